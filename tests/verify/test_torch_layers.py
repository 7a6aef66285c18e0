"""Each layer kind beyond the lecture against PyTorch, on random shapes: output shape, weights, biases,
buffers and MACs (``torch.utils.flop_counter``), for networks written in the one-line spec.

A few seeds per kind run by default; ``-m slow`` runs 200 seeds per kind.
"""

from __future__ import annotations

import random

import pytest

from quizgen.errors import QuizgenError
from quizgen.nets.engine import count
from quizgen.nets.spec import format_spec, parse_spec
from tests.conftest import require_module


@pytest.fixture(scope="module")
def torch():  # noqa: ANN201
    require_module("torch")
    from quizgen.verify.torch_check import require_torch

    return require_torch()


def _size(rng: random.Random, low: int, high: int) -> str:
    h, w = rng.randint(low, high), rng.randint(low, high)
    return str(h) if h == w or rng.random() < 0.3 else f"{h}x{w}"


def _padding(rng: random.Random, kernel: str, limit: int = 3) -> str:
    kinds = ["", "same", "valid", f"p={rng.randint(0, limit)}", f"p={rng.randint(0, limit)}x{rng.randint(0, limit)}",
             "p=" + ",".join(str(rng.randint(0, limit)) for _ in range(4))]
    return rng.choice(kinds)


def _input(rng: random.Random, channels: int = 8) -> str:
    return f"{rng.randint(6, 40)}x{rng.randint(6, 40)}x{rng.randint(1, channels)}"


def _conv(rng: random.Random) -> str:
    c = rng.choice([1, 2, 4, 6])
    n, g = rng.choice([2, 4, 6, 12]), 1
    if rng.random() < 0.3:
        g = rng.choice([x for x in (1, 2) if c % x == 0 and n % x == 0])
    kernel = _size(rng, 1, 5)
    text = f"conv {n} {kernel}/{_size(rng, 1, 3)} {_padding(rng, kernel)} d={_size(rng, 1, 3)} g={g}"
    return f"{rng.randint(8, 40)}x{rng.randint(8, 40)}x{c} > {text}" + (" nobias" if rng.random() < 0.2 else "")


def _pool(rng: random.Random) -> str:
    kh, kw = rng.randint(1, 4), rng.randint(1, 4)
    kernel = f"{kh}x{kw}"
    ceil = rng.random() < 0.6
    if ceil:  # ceil mode: an explicit padding of at most half the window, the same on both sides
        ph, pw = rng.randint(0, kh // 2), rng.randint(0, kw // 2)
        padding = f"p={ph}x{pw} ceil"
    else:
        padding = _padding(rng, kernel, 2)
    kind = rng.choice(["maxpool", "avgpool"])
    return f"{_input(rng)} > {kind} {kernel}/{_size(rng, 1, 3)} {padding}"


def _deconv(rng: random.Random) -> str:
    s, d = (rng.randint(1, 3), rng.randint(1, 3)), (rng.randint(1, 2), rng.randint(1, 2))
    op = [rng.randint(0, max(s[i], d[i]) - 1) for i in (0, 1)]
    c, n = rng.choice([2, 4]), rng.choice([2, 4, 6])
    g = rng.choice([1, 2])
    text = (f"deconv {n} {_size(rng, 1, 4)} s={s[0]}x{s[1]} p={rng.randint(0, 2)}x{rng.randint(0, 2)} "
            f"op={op[0]}x{op[1]} d={d[0]}x{d[1]} g={g}")
    return f"{rng.randint(3, 16)}x{rng.randint(3, 16)}x{c} > {text}" + (" nobias" if rng.random() < 0.2 else "")


def _batchnorm(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"{_input(rng)} > conv {rng.randint(1, 16)} 3 p=1 nobias > bn > relu"
    return f"{_input(rng)} > flatten > fc {rng.randint(1, 32)} > bn > relu6"


def _globalavgpool(rng: random.Random) -> str:
    return f"{_input(rng)} > conv {rng.randint(1, 16)} {rng.randint(1, 5)} > globalavgpool > flatten > fc 3"


def _concat(rng: random.Random) -> str:
    branches = []
    for _ in range(rng.randint(2, 4)):
        f = rng.choice([1, 3, 5])
        branch = rng.choice([f"conv {rng.randint(1, 8)} {f} p={f // 2}",
                             f"maxpool 3/1 p=1 > conv {rng.randint(1, 8)} 1",
                             f"conv {rng.randint(1, 8)} 1 > conv {rng.randint(1, 8)} {f} same", "id",
                             f"conv {rng.randint(1, 8)} 1 p=1 > crop 8"])
        branches.append(branch)
    crop = " > crop 8" if any("crop" in b for b in branches) else ""
    return f"{_input(rng)}{crop} > block: concat({' | '.join(branches)}) > bn"


def _residual(rng: random.Random) -> str:
    c, n, s = rng.choice([4, 8]), rng.choice([4, 8, 16]), rng.choice([1, 2])
    body = f"conv {n} 3/{s} p=1 nobias > bn > relu > conv {n} 3 p=1 nobias > bn"
    if rng.random() < 0.3:  # a bottleneck, as ResNet-50
        body = f"conv {n} 1 nobias > bn > relu > conv {n} 3/{s} p=1 nobias > bn > relu > conv {4 * n} 1 nobias > bn"
        n = 4 * n
    shortcut = "" if (c, s) == (n, 1) and rng.random() < 0.7 else f" | conv {n} 1/{s} nobias > bn"
    if (c, s) != (n, 1):
        shortcut = f" | conv {n} 1/{s} nobias > bn"
    return f"{rng.randint(6, 30)}x{rng.randint(6, 30)}x{c} > layer1.0: res({body}{shortcut}) > relu"


KINDS = {"conv": _conv, "pool": _pool, "deconv": _deconv, "bn": _batchnorm, "globalavgpool": _globalavgpool,
         "concat": _concat, "res": _residual}


def torch_macs(network) -> int:  # noqa: ANN001
    """MACs as torch.utils.flop_counter counts them (FLOPs / 2) for a forward pass of batch 1."""
    import torch as t
    from torch.utils.flop_counter import FlopCounterMode

    from quizgen.verify.torch_check import build_module

    module = build_module(network, "cpu")
    inp = network.input
    with FlopCounterMode(display=False) as counter, t.no_grad():
        module(t.zeros(1, inp.c, inp.h, inp.w))
    flops = counter.get_total_flops()
    assert flops % 2 == 0
    return flops // 2


def _check(kind: str, seed: int) -> bool:
    """Engine against torch for one random network; False when the engine rejects it (an impossible draw)."""
    from quizgen.verify.torch_check import check_network

    spec = KINDS[kind](random.Random(f"{kind}-{seed}"))
    try:
        network = parse_spec(spec)
        nc = count(network)
    except QuizgenError:
        return False
    assert parse_spec(format_spec(network)).layers == network.layers, spec
    assert check_network(network) == [], spec
    assert nc.macs == torch_macs(network), spec
    return True


@pytest.mark.parametrize("kind", list(KINDS))
def test_layer_kind_against_torch(torch, kind: str) -> None:
    checked = sum(_check(kind, seed) for seed in range(8))
    assert checked >= 4, f"only {checked} of 8 random {kind} networks were possible"


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(KINDS))
def test_layer_kind_against_torch_200_seeds(torch, kind: str) -> None:
    checked = sum(_check(kind, seed) for seed in range(200))
    assert checked >= 100, f"only {checked} of 200 random {kind} networks were possible"


CEIL = [  # (input, window/stride, padding) -> output size, from PyTorch's ceil_mode rule
    ("6x6x1 > maxpool 3/2 ceil", 3),        # ceil((6 - 3)/2) + 1 = 3: the last window hangs over the edge
    ("5x5x1 > maxpool 2/2 p=1 ceil", 3),     # ceil((5 - 2 + 2)/2) + 1 = 4 would start in the right padding: 3
    ("112x112x64 > maxpool 3/2 ceil", 56),   # GoogLeNet's maxpool1
    ("14x14x1 > maxpool 2/2 ceil", 7),
]


@pytest.mark.parametrize(("spec", "size"), CEIL)
def test_ceil_mode_sizes(torch, spec: str, size: int) -> None:
    from quizgen.verify.torch_check import check_network

    network = parse_spec(spec)
    assert count(network).output_shape.h == size
    assert check_network(network) == []
