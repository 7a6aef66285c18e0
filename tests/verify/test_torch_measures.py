"""The measures beyond the counts against PyTorch: receptive fields (from the gradient of one output unit),
fan-in (``torch.nn.init``), the memory of parameters, gradients, optimizer state and buffers after a real
training step (SGD with momentum, Adam), and the activations' bytes for a batch and dtype."""

from __future__ import annotations

import random

import pytest

from quizgen.nets.engine import count
from quizgen.nets.footprint import DTYPE_BYTES, OPTIMIZERS, report, training_memory
from quizgen.nets.spec import parse_spec
from tests.conftest import require_module


@pytest.fixture(scope="module")
def torch():  # noqa: ANN201
    require_module("torch")
    from quizgen.verify.torch_check import require_torch

    return require_torch()


def _chain(rng: random.Random) -> str:
    """A random chain of convolutions and average pooling (no max pooling: its gradient reaches one cell)."""
    layers = []
    for _ in range(rng.randint(1, 4)):
        k, s = rng.randint(1, 4), rng.randint(1, 3)
        if rng.random() < 0.7:
            pad = rng.choice(["", f"p={rng.randint(0, 2)}", f"p={rng.randint(0, 2)}x{rng.randint(0, 2)}", "same"])
            layers.append(f"conv 2 {k}x{rng.randint(1, 4)}/{s} d={rng.randint(1, 2)} {pad}")
        else:
            layers.append(f"avgpool {k}/{s} p={rng.randint(0, k // 2)}" + (" ceil" if rng.random() < 0.5 else ""))
        if rng.random() < 0.3:
            layers.append("bn")
    return "96x96x1 > " + " > ".join(layers)


def _gradient_extent(torch, network, unit: tuple[int, int]) -> tuple[tuple[int, int], tuple[int, int]] | None:  # noqa: ANN001
    """(first, last) input row and column whose value reaches output unit ``unit`` (all weights 1); None when
    the unit sees only padding."""
    from quizgen.verify.torch_check import build_module

    module = build_module(network, "cpu").double()
    for name, p in module.named_parameters():
        p.requires_grad_(False)
        p.fill_(0.0 if name.endswith("bias") else 1.0)
    inp = network.input
    x = torch.ones(1, inp.c, inp.h, inp.w, dtype=torch.float64, requires_grad=True)
    module(x)[0, :, unit[0], unit[1]].sum().backward()
    rows = torch.nonzero(x.grad[0].abs().sum(0).sum(1)).flatten()
    cols = torch.nonzero(x.grad[0].abs().sum(0).sum(0)).flatten()
    if not len(rows):
        return None
    return (int(rows[0]), int(rows[-1])), (int(cols[0]), int(cols[-1]))


def _fields_agree_with_the_gradient(torch, spec: str, units) -> None:  # noqa: ANN001
    """The last layer's receptive field of each unit ``units(output shape)`` names is the input region whose gradient
    reaches it (all weights 1), on both axes; a region the padding clips shows only its inner edge and is skipped,
    and at least two axes must be compared."""
    network = parse_spec(spec)
    nc = count(network)
    fields = report(nc).fields[nc.layers[-1].label]
    assert fields is not None, spec
    found = 0
    for unit in units(nc.output_shape):
        extents = _gradient_extent(torch, network, unit)
        if extents is None:
            continue
        sizes = (network.input.h, network.input.w)
        for field, i, (first, last), size in zip(fields, unit, extents, sizes, strict=True):
            r, j, c = field.values()
            low, high = c + i * j - (r - 1) / 2, c + i * j + (r - 1) / 2
            if low < 0 or high > size - 1:  # the region is clipped by the padding: only its inner edge is seen
                continue
            found += 1
            assert (first, last) == (low, high), (spec, unit)
    assert found >= 2, spec


@pytest.mark.parametrize("seed", range(16))
def test_receptive_field_against_the_gradient(torch, seed: int) -> None:
    _fields_agree_with_the_gradient(torch, _chain(random.Random(seed)),
                                    lambda out: ((out.h // 2, out.w // 2), (out.h - 1, out.w - 1), (0, 0)))


def _chain_with_deconvs(rng: random.Random) -> str:
    """Convolutions and average pooling with transposed convolutions of stride 1 among them (in any order)."""
    layers = []
    for _ in range(rng.randint(2, 4)):
        k, d = rng.randint(1, 4), rng.randint(1, 2)
        choice = rng.random()
        if choice < 0.4:
            layers.append(f"deconv 2 {k}x{rng.randint(1, 4)} d={d} p={rng.randint(0, d * (k - 1) // 2)}")
        elif choice < 0.8:
            layers.append(f"conv 2 {k}/{rng.randint(1, 3)} d={d} p={rng.randint(0, 1)}")
        else:
            layers.append(f"avgpool {max(k, 2)}/{rng.randint(1, 2)}")
    return "80x80x1 > " + " > ".join(layers)


@pytest.mark.parametrize("seed", range(12))
def test_receptive_field_through_transposed_convolutions_against_the_gradient(torch, seed: int) -> None:
    """A transposed convolution of stride 1: output unit o takes input units o + p - d(f - 1) to o + p."""
    _fields_agree_with_the_gradient(
        torch, _chain_with_deconvs(random.Random(seed)),
        lambda out: ((out.h // 2, out.w // 2), (out.h // 2 + 1, out.w // 2 + 1), (out.h - 1, out.w - 1)))


def test_a_strided_transposed_convolution_has_no_single_field(torch) -> None:
    """U-Net's 2x2 up-convolution of stride 2: units 2i and 2i + 1 both see exactly unit i's region, so neighbours
    are 0 or j apart (no one jump; the average r + (f - 1) j/s is no unit's field) and the layers after it see
    regions of different sizes: the field is not given, and ``field_gaps`` says why."""
    from quizgen.nets.receptive import field_gaps, receptive_fields

    network = parse_spec("64x64x1 > conv 2 3/2 > deconv 2 2/2 > conv 2 2")
    nc = count(network)
    up = [_gradient_extent(torch, parse_spec("64x64x1 > conv 2 3/2 > deconv 2 2/2"), (i, i)) for i in (20, 21, 22)]
    assert up[0] == up[1] != up[2] and up[0][0][1] - up[0][0][0] + 1 == 3  # the conv's field, r = 3, shared
    after = [_gradient_extent(torch, network, (i, i))[0] for i in (20, 21)]
    assert {last - first + 1 for first, last in after} == {3, 5}  # two sizes in a row: no single r
    fields, gaps = receptive_fields(nc), field_gaps(nc)
    assert fields["conv#1"] is not None and fields["deconv#2"] is None and fields["conv#3"] is None
    assert set(gaps) == {"deconv#2", "conv#3"} and "transposed convolution of stride 2" in gaps["conv#3"]
    assert "sees the whole input" in field_gaps(count(parse_spec("8x8x1 > conv 2 3 > flatten > fc 2")))["fc#3"]


def test_a_field_clipped_by_the_padding_inside_the_chain_is_not_taken(torch) -> None:
    """Fields larger than the maps they pass through: on a small input the middle unit of C3 sees only 57 rows,
    cut off by S2's last row (not by the input's border), and C4 has two rows (no middle unit with a neighbour):
    the reference grows the input until the field no longer changes."""
    from quizgen.verify.torch_check import torch_receptive_field

    network = parse_spec("64x64x3 > C1: conv 32 3/3 p=1 > S2: maxpool 3/2 > C3: conv 64 11/3 p=5 > C4: conv 32 7/2 p=3")
    fields = report(count(network)).fields
    assert fields["C3"][0].values()[:2] == (69, 18) and fields["C4"][0].values()[:2] == (177, 36)
    assert torch_receptive_field(network, "C3") == (69, 18)
    assert torch_receptive_field(network, "C4") == (177, 36)


def test_receptive_fields_of_the_literature() -> None:
    fields = report(count(parse_spec("227x227x3 > conv 96 11/4 > maxpool 3/2 > conv 256 5 p=2 > maxpool 3/2"
                                     " > conv 384 3 p=1 > conv 384 3 p=1 > conv 256 3 p=1 > maxpool 3/2"))).fields
    assert [f[0].values()[0] for f in fields.values()] == [11, 19, 51, 67, 99, 131, 163, 195]
    from quizgen.nets.builtin import builtin

    resnet = report(count(builtin("resnet18"))).fields
    assert resnet["layer4.1"][0].values()[:2] == (435, 32)


def test_fan_in_as_torch_init_computes_it(torch) -> None:
    from torch.nn.init import _calculate_fan_in_and_fan_out

    from quizgen.verify.torch_check import build_module

    network = parse_spec("16x16x4 > conv 8 3x5 g=2 > deconv 6 3/2 g=2 > conv 6 1 > flatten > fc 10 > fc 3")
    nc = count(network)
    module = build_module(network, "meta")
    weights = [m.weight for m in module.modules() if isinstance(m, (torch.nn.Conv2d, torch.nn.ConvTranspose2d,
                                                                    torch.nn.Linear))]
    ours = [report(nc).fan_in[lc.label] for lc in nc.layers if lc.parameters.value]
    assert [int(q.value) for q in ours] == [_calculate_fan_in_and_fan_out(w)[0] for w in weights]


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_training_state_after_a_real_step(torch, optimizer: str) -> None:
    from quizgen.verify.torch_check import build_module

    network = parse_spec("12x12x3 > conv 8 3 p=1 nobias > bn > relu > res(conv 8 3 p=1 > bn) > flatten > fc 5 > bn")
    nc = count(network)
    module = build_module(network, "cpu").train()
    for p in module.parameters():
        torch.nn.init.normal_(p)
    optim = {"sgd": lambda ps: torch.optim.SGD(ps, lr=0.1), "sgd-momentum": lambda ps: torch.optim.SGD(
        ps, lr=0.1, momentum=0.9), "rmsprop": torch.optim.RMSprop, "adam": torch.optim.Adam,
        "adamw": torch.optim.AdamW}[optimizer](module.parameters())
    module(torch.randn(4, 3, 12, 12)).sum().backward()
    optim.step()
    size = DTYPE_BYTES["float32"]
    params = sum(p.numel() for p in module.parameters())
    grads = sum(p.grad.numel() for p in module.parameters())
    state = sum(v.numel() for s in optim.state.values() for k, v in s.items() if k != "step")
    buffers = sum(b.numel() for b in module.buffers() if b.is_floating_point())
    memory = training_memory(nc, 4, "float32", optimizer)
    assert memory.parameters.value == params * size and memory.gradients.value == grads * size
    assert memory.state.value == state * size
    assert memory.buffers.value == buffers * size
    assert memory.total.value == (params + grads + state + buffers + 4 * nc.activations) * size


@pytest.mark.parametrize("dtype", list(DTYPE_BYTES))
def test_activation_bytes_for_a_batch(torch, dtype: str) -> None:
    """The outputs torch computes for a batch, in the dtype, layer by layer (in-place layers once)."""
    from quizgen.verify.torch_check import build_module

    network = parse_spec("20x20x3 > conv 4 3 > relu > maxpool 2 > bn > flatten > dropout 0.5 > fc 7 > softmax")
    nc = count(network)
    module = build_module(network, "meta").to(getattr(torch, dtype))
    sizes = []
    for child in module.children():
        child.register_forward_hook(lambda m, a, out: sizes.append(out.numel() * out.element_size()))
    module(torch.zeros(5, 3, 20, 20, device="meta", dtype=getattr(torch, dtype)))
    rep = report(nc, 5, dtype)
    assert [rep.activation_bytes[lc.label].value for lc in nc.layers] == sizes
    assert rep.total_activation_bytes.value == sum(s for s, lc in zip(sizes, nc.layers, strict=True)
                                                   if lc.in_activations_total)


def test_activations_total_ignores_written_out_parameter_free_layers() -> None:
    from quizgen.nets.builtin import BUILTINS, builtin

    vgg = count(builtin("vgg16"))
    bare = parse_spec(" > ".join(part for part in BUILTINS["vgg16"].spec.split(" > ")
                                 if part.split(": ")[-1] not in ("relu", "dropout 0.5", "flatten", "softmax")))
    assert vgg.activations == count(bare).activations == 15_087_080
