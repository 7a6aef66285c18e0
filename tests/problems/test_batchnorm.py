"""batchnorm: parameters and buffers against arithmetic written out here, the redundant bias, the misconceptions'
values, both languages, PyTorch (BatchNorm2d's parameters and floating buffers), overrides and their checks."""

from __future__ import annotations

import pytest

from quizgen.bank.params import check_params
from quizgen.errors import QuizgenError
from quizgen.nets.layers import BatchNorm, Conv
from quizgen.problems import family, generate
from tests.problems.family_checks import assert_same_numbers_in_both_languages, assert_torch_agrees

FAMILY = "batchnorm"


@pytest.mark.parametrize("difficulty", [1, 2, 3])
def test_two_hundred_seeds_match_hand_arithmetic(difficulty: int) -> None:
    for seed in range(200):
        problem = generate(FAMILY, seed=seed, difficulty=difficulty)
        layers = problem.network.layers
        c = problem.network.input.c
        conv = layers[0]
        f, n = conv.kernel[0], conv.filters
        if difficulty == 1:
            assert not conv.bias and isinstance(layers[1], BatchNorm)
            assert problem.part("bn-params").answer == 2 * n == problem.part("bn-buffers").answer
        elif difficulty == 2:
            assert conv.bias
            assert problem.part("conv-params").answer == f * f * c * n + n
            assert problem.part("bn-params").answer == 2 * n
            assert problem.part("without-bias").answer == f * f * c * n + 2 * n
        else:
            convs = [x for x in layers if isinstance(x, Conv)]
            assert all(not x.bias for x in convs)
            n1, n2 = convs[0].filters, convs[1].filters
            w = problem.network.input.h // 4
            out = layers[-1].units
            expected = 9 * c * n1 + 2 * n1 + 9 * n1 * n2 + 2 * n2 + w * w * n2 * out + out
            assert problem.part("params").answer == expected
            assert problem.part("buffers").answer == 2 * (n1 + n2)
        assert all(p.distractors for p in problem.parts), problem.id


def _wrong(problem, key: str) -> dict[str, object]:  # noqa: ANN001
    return {d.misconception: d.value for d in problem.part(key).distractors}


def test_misconception_values() -> None:
    problem = generate(FAMILY, seed=4, difficulty=2, params={"f": 3, "C": 16, "N": 64, "W": 32})
    weights = 9 * 16 * 64
    assert _wrong(problem, "bn-params")["bn-buffers-as-params"] == 4 * 64
    pair = _wrong(problem, "without-bias")
    assert pair["bn-bias-kept"] == weights + 64 + 128
    assert pair["bn-buffers-as-params"] == weights + 128 + 128
    layer = generate(FAMILY, seed=4, difficulty=1, params={"N": 64})
    buffers = _wrong(layer, "bn-buffers")
    assert buffers["bn-mean-only"] == 64 and buffers["bn-buffers-with-params"] == 256


def test_same_numbers_in_both_languages() -> None:
    assert_same_numbers_in_both_languages(FAMILY, seeds=20)


def test_italian_text() -> None:
    problem = generate(FAMILY, seed=3, difficulty=2, lang="it")
    assert "ridondanti" in problem.stem and "buffer" in problem.stem
    assert problem.part("bn-params").label == "Parametri della batch norm"


def test_torch_agrees() -> None:
    assert_torch_agrees(FAMILY)


def test_overrides_and_checks() -> None:
    problem = generate(FAMILY, seed=2, difficulty=3, params={"N": 32, "N2": 64, "F": 10, "W": 32, "C": 3})
    assert problem.part("buffers").answer == 2 * (32 + 64)
    for bad, difficulty in (({"N2": 64}, 1), ({"F": 0}, 3), ({"W": 4}, 1), ({"f": "big"}, 2)):
        with pytest.raises(QuizgenError):
            check_params(family(FAMILY), bad, difficulty)
    check_params(family(FAMILY), {"N": [16, 32], "W": {"min": 32, "max": 64, "step": 32}}, 3)
