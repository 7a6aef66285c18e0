"""Points per answer and multiple-answer scoring (quizgen.bank.points)."""

from __future__ import annotations

from fractions import Fraction
from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen.bank.points import choice_score, split_points


@given(st.integers(1, 40), st.integers(1, 12))
def test_a_split_adds_up_exactly_in_whole_or_half_points(halves: int, n: int) -> None:
    total = Fraction(halves, 2)
    if halves < n:
        with pytest.raises(ValueError):
            split_points(total, n)
        return
    shares = split_points(total, n)
    assert sum(shares) == total and len(shares) == n
    assert all(s > 0 and (2 * s).denominator == 1 for s in shares)
    assert max(shares) - min(shares) <= 1
    if total.denominator == 1 and total >= n:
        assert all(s.denominator == 1 for s in shares)  # whole points whenever there are enough


def test_the_lecture_splits() -> None:
    assert split_points(Fraction(3), 3) == (1, 1, 1)
    assert split_points(Fraction(2), 3) == (1, Fraction(1, 2), Fraction(1, 2))
    assert split_points(Fraction(3), 4) == (1, 1, Fraction(1, 2), Fraction(1, 2))
    assert split_points(Fraction(3), 2) == (2, 1)


@settings(deadline=None)
@given(st.integers(1, 5), st.integers(1, 5))
def test_per_option_ticking_every_option_never_earns_full_marks(right: int, wrong: int) -> None:
    correct = (True,) * right + (False,) * wrong
    assert choice_score(correct, correct, "per-option") == 1
    assert choice_score(correct, (True,) * len(correct), "per-option") == 0
    for ticked in product((False, True), repeat=len(correct)):
        score = choice_score(correct, ticked, "per-option")
        assert 0 <= score <= 1
        assert score < 1 or ticked == correct


def test_all_or_nothing() -> None:
    correct = (True, False, True)
    assert choice_score(correct, correct, "all-or-nothing") == 1
    assert choice_score(correct, (True, False, False), "all-or-nothing") == 0
    assert choice_score(correct, (True, True, True), "all-or-nothing") == 0
