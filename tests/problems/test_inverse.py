"""inverse: every answer put back into the forward formulas written out here gives the stated size or count, and no
other value does; the misconceptions' values; both languages; PyTorch; overrides and their checks."""

from __future__ import annotations

from fractions import Fraction

import pytest

from quizgen.bank.params import check_params
from quizgen.errors import QuizgenError
from quizgen.problems import family, generate
from tests.problems.family_checks import assert_same_numbers_in_both_languages, assert_torch_agrees

FAMILY = "inverse"


def size(w: int, f: int, s: int, p: int) -> int:
    return (w - f + 2 * p) // s + 1


def params_of(f: int, c: int, n: int) -> int:
    return (f * f * c + 1) * n


@pytest.mark.parametrize("difficulty", [1, 2, 3])
def test_answers_give_the_stated_numbers_and_are_the_only_ones(difficulty: int) -> None:
    for seed in range(200):
        problem = generate(FAMILY, seed=seed, difficulty=difficulty)
        w, c = problem.network.input.h, problem.network.input.c
        layer = problem.network.layers[0]
        f, s, p, n = layer.kernel[0], layer.stride[0], layer.padding, layer.filters
        stated = f"{w} \\times {w} \\times {c}"
        assert stated in problem.stem
        if difficulty == 1:
            answer = problem.part("p").answer
            assert size(w, f, 1, answer) == w
            assert [q for q in range(w) if size(w, f, 1, q) == w] == [answer]
            total = params_of(f, c, problem.part("N").answer)
            assert f"{total:,}".replace(",", "\\,") in problem.stem or str(total) in problem.stem
        elif difficulty == 2:
            o1 = size(w, f, s, p)
            assert problem.part("s").answer == s and f"{o1} \\times {o1}" in problem.stem
            assert [q for q in range(1, w + 2 * p + 1) if size(w, f, q, p) == o1] == [s]
            second = problem.extra_networks[0].layers[0]
            f2, s2, p2 = second.kernel[0], second.stride[0], second.padding
            o2 = size(w, f2, s2, p2)
            assert problem.part("f").answer == f2 and f"{o2} \\times {o2}" in problem.stem
            assert [q for q in range(1, w + 2 * p2 + 1, 2) if size(w, q, s2, p2) == o2] == [f2]
        else:
            o = size(w, f, s, p)
            assert problem.part("f").answer == f and problem.part("N").answer == n
            assert [q for q in range(1, w + 2 * p + 1, 2) if size(w, q, s, p) == o] == [f]
            assert [q for q in range(1, 5000) if params_of(f, c, q) == params_of(f, c, n)] == [n]


def _wrong(problem, key: str) -> dict[str, object]:  # noqa: ANN001
    return {d.misconception: d.value for d in problem.part(key).distractors}


def test_misconception_values() -> None:
    problem = generate(FAMILY, seed=2, difficulty=3, params={"f": 5, "s": 1, "p": 2, "W": 48, "C": 3, "N": 128})
    assert (problem.part("f").answer, problem.part("N").answer) == (5, 128)  # 48x48x3 -> 48x48, 9 728 parameters
    wrong = _wrong(problem, "f")
    assert wrong["inverse-forgot-plus-one"] == 48 + 4 - 48
    assert wrong["inverse-forgot-padding"] == 48 - 47
    filters = _wrong(problem, "N")
    assert filters["inverse-forgot-biases"] == Fraction(9728, 75)
    assert filters["inverse-forgot-depth"] == Fraction(9728, 26)
    assert filters["inverse-f-not-squared"] == Fraction(9728, 16)
    keep = generate(FAMILY, seed=3, difficulty=1, params={"f": 5, "W": 32})
    assert keep.part("p").answer == 2 and _wrong(keep, "p")["inverse-total-padding"] == 4


def test_same_numbers_in_both_languages() -> None:
    assert_same_numbers_in_both_languages(FAMILY, seeds=20)


def test_italian_text() -> None:
    problem = generate(FAMILY, seed=3, difficulty=2, lang="it")
    assert "stride" in problem.stem and "dispari" in problem.stem
    assert problem.part("f").label == "Dimensione $f$ del kernel"


def test_torch_agrees() -> None:
    assert_torch_agrees(FAMILY)


def test_overrides_and_checks() -> None:
    problem = generate(FAMILY, seed=2, difficulty=3, params={"f": 3, "s": 2, "p": 1, "W": 63, "C": 3, "N": 32})
    assert (problem.part("f").answer, problem.part("N").answer) == (3, 32)
    for bad, difficulty in (({"f": 0}, 1), ({"f": 4}, 1), ({"p": -1}, 2), ({"s": 2}, 1), ({"N": "many"}, 3),
                            ({"s": 3}, 3)):
        with pytest.raises(QuizgenError):
            check_params(family(FAMILY), bad, difficulty)
    check_params(family(FAMILY), {"f": [3, 5], "s": {"min": 1, "max": 3}}, 2)
