"""depthwise-separable: MobileNet's depthwise + pointwise pair against a standard convolution, by hand arithmetic,
against the engine and sympy (generate verifies) and against PyTorch (parameters and the flop counter's MACs)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from quizgen.bank.params import check_params
from quizgen.errors import QuizgenError
from quizgen.problems import family, generate
from tests.problems.family_checks import assert_same_numbers_in_both_languages, assert_torch_agrees

FAMILY = "depthwise-separable"


def _sizes(problem):  # noqa: ANN001, ANN202
    standard, (separable,) = problem.network, problem.extra_networks
    h, c = standard.input.h, standard.input.c
    conv = standard.layers[0]
    k, n, s = conv.kernel[0], conv.filters, conv.stride[0]
    return h, c, n, k, s, -(-h // s), separable


@pytest.mark.parametrize("difficulty", [1, 2, 3])
@pytest.mark.parametrize("lang", ["en", "it"])
def test_hundred_seeds_match_hand_arithmetic(difficulty: int, lang: str) -> None:
    for seed in range(100):
        problem = generate(FAMILY, seed=seed, difficulty=difficulty, lang=lang)
        h, c, n, k, s, o, separable = _sizes(problem)
        assert c <= n <= 4 * c
        dw = separable.layers[0]
        assert dw.groups == c and dw.filters == c and dw.kernel == (k, k)
        share = problem.part("share")
        assert share.unit == "%" and share.decimals == 2 and share.tolerance == Fraction(1, 200)
        if difficulty == 1:
            assert s == 1
            assert problem.part("depthwise").answer == k * k * c + c
            assert problem.part("pointwise").answer == c * n + n
            assert problem.part("standard").answer == k * k * c * n + n
            assert share.answer == Fraction(100 * (k * k * c + c + c * n + n), k * k * c * n + n)
            continue
        standard_macs = k * k * c * n * o * o
        assert problem.part("standard").answer == standard_macs
        # without biases in the MACs, S keeps 1/N + 1/k² of D's (Howard et al. 2017, section 3.1)
        assert share.answer == 100 * (Fraction(1, n) + Fraction(1, k * k))
        if difficulty == 2:
            assert problem.part("depthwise").answer == k * k * c * o * o
            assert problem.part("pointwise").answer == c * n * o * o
        else:
            assert problem.part("macs").answer == (k * k * c + c * n) * o * o
            assert problem.part("params").answer == k * k * c + 2 * c + c * n + 2 * n  # BN: gamma and beta


def test_mobilenet_first_separable_layer() -> None:
    # MobileNet v1 (Howard et al. 2017, Table 1): conv dw 3x3 on 112x112x32, then conv 1x1 to 64 maps
    problem = generate(FAMILY, seed=0, difficulty=3, params={"H": 112, "C": 32, "N": 64, "k": 3, "s": 1})
    assert problem.part("params").answer == 288 + 64 + 2048 + 128
    assert problem.part("macs").answer == (288 + 2048) * 112 * 112 == 29_302_784
    assert problem.part("standard").answer == 9 * 32 * 64 * 112 * 112


def test_the_defining_mistakes_are_offered() -> None:
    problem = generate(FAMILY, seed=0, difficulty=1, params={"H": 14, "C": 32, "N": 64, "k": 3})
    dw = {d.misconception: d.value for d in problem.part("depthwise").distractors}
    assert dw["depthwise-full-depth"] == 9 * 32 * 32 + 32
    assert dw["depthwise-n-filters"] == 9 * 64 + 64
    macs = generate(FAMILY, seed=0, difficulty=2, params={"H": 28, "C": 32, "N": 64, "k": 3, "s": 2})
    found = {d.misconception: d.value for d in macs.part("standard").distractors}
    assert found["macs-with-bias"] == (9 * 32 * 64 + 64) * 14 * 14
    assert found["flops-for-macs"] == 2 * 9 * 32 * 64 * 14 * 14
    assert found["macs-input-positions"] == 9 * 32 * 64 * 28 * 28
    mobilenet = generate(FAMILY, seed=0, difficulty=3, params={"H": 28, "C": 32, "N": 64, "k": 3, "s": 1})
    params = {d.misconception: d.value for d in mobilenet.part("params").distractors}
    right = mobilenet.part("params").answer
    assert params == {"bn-forgotten": right - 192, "bn-buffers-counted": right + 192,
                      "conv-bias-before-bn": right + 96}


def test_numbers_identical_across_languages() -> None:
    assert_same_numbers_in_both_languages(FAMILY)


def test_torch_agrees() -> None:
    assert_torch_agrees(FAMILY)


def test_bad_overrides_are_refused() -> None:
    def check(params: dict, difficulty: int = 2) -> None:
        check_params(family(FAMILY), params, difficulty)

    with pytest.raises(QuizgenError, match="between the depth C and 4C"):
        check({"C": 64, "N": 16})
    with pytest.raises(QuizgenError, match="'s'"):
        check({"s": 3})
    with pytest.raises(QuizgenError, match="'k'"):
        check({"k": 1})
    with pytest.raises(QuizgenError, match="difficult"):
        check({"s": 2}, 1)  # difficulty 1 has stride 1 only
    check({"C": 32, "N": [32, 64], "k": 3, "s": 2})
    space = family(FAMILY).space
    assert space({}, 1) and space({}, 2) == 2 * space({}, 1)
    assert space({"H": 14, "C": [16, 32], "N": 96, "k": 3}, 1) == 1  # 96 > 4 × 16
