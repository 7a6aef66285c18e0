"""inception: GoogLeNet's modules with and without the 1×1 reductions, by hand arithmetic and GoogLeNet's table,
against the engine and sympy (generate verifies) and against PyTorch (every convolution inside the concat block)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from quizgen.bank.params import check_params
from quizgen.errors import QuizgenError
from quizgen.problems import family, generate
from quizgen.problems.inception import GOOGLENET, HAND
from tests.problems.family_checks import assert_same_numbers_in_both_languages, assert_torch_agrees

FAMILY = "inception"


def conv(f: int, c: int, n: int) -> int:
    return f * f * c * n + n


def module(h: int, c: int, n1: int, r3: int, n3: int, r5: int, n5: int, pp: int) -> int:
    return conv(1, c, n1) + conv(1, c, r3) + conv(3, r3, n3) + conv(1, c, r5) + conv(5, r5, n5) + conv(1, c, pp)


def naive(h: int, c: int, n1: int, r3: int, n3: int, r5: int, n5: int, pp: int) -> int:
    return conv(1, c, n1) + conv(3, c, n3) + conv(5, c, n5)


@pytest.mark.parametrize("difficulty", [1, 2, 3])
@pytest.mark.parametrize("arithmetic", ["calculator", "hand"])
def test_every_module_matches_hand_arithmetic(difficulty: int, arithmetic: str) -> None:
    modules = {**GOOGLENET, **HAND} if arithmetic == "calculator" else HAND
    for name, numbers in modules.items():
        problem = generate(FAMILY, seed=0, difficulty=difficulty, params={"module": name, "arithmetic": arithmetic})
        h, c, n1, r3, n3, r5, n5, pp = numbers
        if difficulty == 1:
            assert problem.part("depth").answer == n1 + n3 + n5 + pp
            assert problem.part("branch3").answer == conv(1, c, r3) + conv(3, r3, n3)
            continue
        assert problem.part("module").answer == module(*numbers)
        assert problem.part("naive").answer == naive(*numbers)
        if difficulty == 2:
            assert problem.part("depth-naive").answer == n1 + n3 + n5 + c
        else:
            assert problem.part("percent").answer == Fraction(100 * (naive(*numbers) - module(*numbers)),
                                                              naive(*numbers))
        for part in problem.parts:
            assert len(part.distractors) >= 2, (name, part.key)


def test_googlenet_3a_as_published() -> None:
    # Szegedy et al. 2015, table 1: inception (3a) has 159K parameters without biases; 163,696 with them
    problem = generate(FAMILY, seed=0, difficulty=2, params={"module": "3a"})
    assert problem.part("module").answer == 163_696
    assert problem.part("module").answer - (64 + 96 + 128 + 16 + 32 + 32) == 163_328
    assert problem.part("depth-naive").answer == 64 + 128 + 32 + 192


def test_numbers_identical_across_languages() -> None:
    assert_same_numbers_in_both_languages(FAMILY)


def test_torch_agrees() -> None:
    assert_torch_agrees(FAMILY)


def test_bad_overrides_are_refused() -> None:
    with pytest.raises(QuizgenError, match="'module'"):
        check_params(family(FAMILY), {"module": "6a"}, 1)
    check_params(family(FAMILY), {"module": ["3a", "a"]}, 2)
    assert family(FAMILY).space({}, 1) == len(GOOGLENET) + len(HAND)
