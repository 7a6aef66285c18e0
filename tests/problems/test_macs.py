"""macs: MACs and FLOPs against arithmetic written out here, the misconceptions' values, both languages, PyTorch's
flop counter, overrides and their validation."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pytest

from quizgen.bank.params import check_params
from quizgen.errors import QuizgenError
from quizgen.nets.engine import count
from quizgen.nets.layers import Conv, Dense, Pool
from quizgen.problems import family, generate
from tests.problems.family_checks import assert_same_numbers_in_both_languages, assert_torch_agrees

FAMILY = "macs"


def by_hand(network) -> dict[str, tuple[int, int]]:  # noqa: ANN001
    """(MACs, parameters) of every layer: a convolution's f^2 C weights per filter at each output position, a fully
    connected layer's inputs times its nodes; pooling none."""
    h, depth, flat, found = network.input.h, network.input.c, None, {}
    for layer in network.layers:
        if isinstance(layer, Conv):
            f, s, p = layer.kernel[0], layer.stride[0], layer.padding
            o = (h - f + 2 * p) // s + 1
            weights = f * f * depth * layer.filters
            found[layer.name] = (weights * o * o, weights + layer.filters)
            h, depth = o, layer.filters
        elif isinstance(layer, Pool):
            h = (h - layer.kernel[0]) // layer.stride[0] + 1
            found[layer.name] = (0, 0)
        else:
            inputs = flat if flat is not None else h * h * depth
            found[layer.name] = (inputs * layer.units, inputs * layer.units + layer.units)
            flat = layer.units
    return found


@pytest.mark.parametrize("difficulty", [1, 2, 3])
@pytest.mark.parametrize("hand", [False, True])
def test_two_hundred_seeds_match_hand_arithmetic(difficulty: int, hand: bool) -> None:
    params = {"arithmetic": "hand"} if hand else None
    for seed in range(200):
        problem = generate(FAMILY, seed=seed, difficulty=difficulty, params=params)
        counts = by_hand(problem.network)
        macs = sum(m for m, _ in counts.values())
        conv_macs = sum(m for name, (m, _) in counts.items() if name.startswith("C"))
        if difficulty == 1:
            assert problem.part("macs").answer == macs
            assert problem.part("flops").answer == 2 * macs
        elif difficulty == 2:
            assert problem.part("macs-C1").answer == counts["C1"][0]
            assert problem.part("macs-F2").answer == counts["F2"][0]
            assert problem.part("share").answer == Fraction(100 * conv_macs, macs)
        else:
            params_total = sum(p for _, p in counts.values())
            conv_params = sum(p for name, (_, p) in counts.items() if name.startswith("C"))
            assert problem.part("macs").answer == macs
            assert problem.part("share").answer == Fraction(100 * conv_macs, macs)
            assert problem.part("params-share").answer == Fraction(100 * conv_params, params_total)
            assert problem.part("share").answer > problem.part("params-share").answer
        for part in problem.parts:  # the parameters' share may be too far from any mistake's value
            assert part.distractors or part.key == "params-share", (problem.id, part.key)


def _wrong(problem, key: str) -> dict[str, object]:  # noqa: ANN001
    return {d.misconception: d.value for d in problem.part(key).distractors}


def test_misconception_values() -> None:
    problem = generate(FAMILY, seed=1, params={"W": 32, "C": 3, "N": 16, "f": 3, "s": 2})
    pad = problem.network.layers[0].padding
    o = (32 - 3 + 2 * pad) // 2 + 1
    weights = 3 * 3 * 3 * 16
    assert problem.part("macs").answer == weights * o * o
    wrong = _wrong(problem, "macs")
    assert wrong["macs-with-bias"] == (weights + 16) * o * o
    assert wrong["macs-input-positions"] == weights * 32 * 32
    flops = _wrong(problem, "flops")
    assert flops["flops-equals-macs"] == weights * o * o
    assert flops["macs-with-bias"] == 2 * (weights + 16) * o * o
    # AlexNet's first layer: 11x11/4 on 227x227x3 has 55^2 positions; its 34 944 weights alone are no answer
    alexnet = generate(FAMILY, seed=1, params={"W": 227, "C": 3, "N": 96, "f": 11, "s": 4})
    assert "macs-weights-only" not in _wrong(alexnet, "macs")


def test_where_the_operations_are() -> None:
    problem = next(p for p in (generate(FAMILY, seed=seed, difficulty=3) for seed in range(50))
                   if "ops-share-of-params" in _wrong(p, "params-share"))
    share, params_share = problem.part("share"), problem.part("params-share")
    assert _wrong(problem, "share")["ops-share-of-params"] == params_share.answer
    assert _wrong(problem, "params-share")["ops-share-of-params"] == share.answer
    assert _wrong(problem, "share")["ops-share-complement"] == 100 - share.answer
    assert share.unit == "%" and share.decimals == 2
    # the first FC layer fed the maps before the last pooling (S4 left out): a larger total, a smaller share
    nc, unpooled = count(problem.network), count(replace(problem.network, layers=problem.network.layers[:3] +
                                                         problem.network.layers[4:]))
    conv_params = sum(int(lc.parameters.value) for lc in nc.layers if isinstance(lc.layer, Conv))
    wrong = _wrong(problem, "params-share")["fc-input-unpooled"]
    assert wrong == Fraction(100 * conv_params, unpooled.parameters) < params_share.answer
    layers = problem.network.layers
    assert [type(x) for x in layers] == [Conv, Pool, Conv, Pool, Dense, Dense]


def test_fc_part_offers_the_flattening_mistakes() -> None:
    seen = set()
    for seed in range(40):
        problem = generate(FAMILY, seed=seed, difficulty=2)
        seen |= set(_wrong(problem, "macs-F2"))
    assert {"macs-with-bias", "input-size-before-fc"} <= seen


def test_same_numbers_in_both_languages() -> None:
    assert_same_numbers_in_both_languages(FAMILY, seeds=20)


def test_italian_text() -> None:
    problem = generate(FAMILY, seed=3, difficulty=2, lang="it")
    assert "MAC" in problem.stem and "layer fully connected" in problem.stem
    assert problem.part("share").label.startswith("Quota dei MAC in C1")


def test_torch_flop_counter_agrees() -> None:
    assert_torch_agrees(FAMILY)


def test_overrides_and_validation() -> None:
    problem = generate(FAMILY, seed=2, difficulty=2, params={"f": 3, "s": 1, "W": 32, "F": 10, "N": 16, "C": 3})
    conv, fc = problem.network.layers
    assert (conv.kernel, conv.filters, fc.units) == ((3, 3), 16, 10)
    for bad, difficulty in (({"f": 0}, 2), ({"N": "many"}, 2), ({"arithmetic": "abacus"}, 2), ({"N1": 16}, 2),
                            ({"F": 10}, 1)):
        with pytest.raises(QuizgenError):
            check_params(family(FAMILY), bad, difficulty)
    check_params(family(FAMILY), {"f": [3, 5], "F": {"min": 10, "max": 100, "step": 10}}, 2)
