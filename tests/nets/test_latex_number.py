"""Numbers as LaTeX math: thin-space groups from five digits, decimals rounded exactly (halves to even)."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen.nets.formulas import latex_number


def test_whole_numbers() -> None:
    assert [latex_number(v) for v in (0, 7, -9999, 9999, 10_000, -34_944, 60_965_224)] == [
        "0", "7", "-9999", "9999", r"10\,000", r"-34\,944", r"60\,965\,224"]
    assert latex_number(71, 2) == "71.00"


def test_decimals() -> None:
    assert latex_number(Fraction(1, 8), 2) == "0.12"  # half to even
    assert latex_number(Fraction(3, 8), 2) == "0.38"
    assert latex_number(Fraction(-1, 1000), 2) == "0.00"  # rounds to zero: no sign
    assert latex_number(Fraction(123_456_789, 10)) == r"12\,345\,678.9"
    assert latex_number(Fraction(1, 3)) == "0.3333" and latex_number(Fraction(1, 2)) == "0.5"


@settings(max_examples=2000, deadline=None)
@given(st.integers(-10**12, 10**12), st.integers(1, 10**6), st.sampled_from([None, 0, 1, 2, 3, 4]))
def test_decimals_agree_with_exact_rounding(n: int, d: int, decimals: int | None) -> None:
    value = Fraction(n, d)
    places = 4 if decimals is None else decimals
    rounded = round(value, places)  # Fraction rounding: exact, halves to even
    text = latex_number(value, decimals).replace(r"\,", "")
    assert Fraction(text) == rounded
    if value.denominator != 1 and decimals is not None:
        assert len(text.partition(".")[2]) == places
