"""One rounding rule (half away from zero, exact on fractions) and one printer per medium."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen.text import numbers


def _half_away(value: Fraction, decimals: int) -> Fraction:
    scaled = abs(value) * 10**decimals
    units = int(scaled) + (1 if scaled - int(scaled) >= Fraction(1, 2) else 0)
    return (-1 if value < 0 else 1) * Fraction(units, 10**decimals)


def test_halves_round_away_from_zero_in_every_printer() -> None:
    quarter = Fraction(1, 40)  # 0.025
    assert numbers.fixed(quarter, 2) == "0.03" and numbers.fixed(-quarter, 2) == "-0.03"
    assert numbers.latex(quarter, 2) == "0.03" and numbers.latex(quarter, 2, "it") == "0{,}03"
    assert numbers.plain(quarter, 2, "it") == "0,03"
    assert numbers.plain(2400) == "2400"
    assert numbers.fixed(Fraction(1, 8), 2) == "0.13" and numbers.fixed(Fraction(-5, 2), 0) == "-3"
    assert numbers.fixed(Fraction(-1, 1000), 2) == "0.00"  # rounds to zero: no sign


def test_whole_numbers_and_groups() -> None:
    assert [numbers.latex(v) for v in (0, 7, -9999, 9999, 10_000, -34_944, 60_965_224)] == [
        "0", "7", "-9999", "9999", r"10\,000", r"-34\,944", r"60\,965\,224"]
    assert numbers.latex(71, 2) == "71.00" and numbers.latex(71, 2, "it") == "71{,}00"
    assert numbers.plain(34_944) == "34\u202f944" and numbers.plain(9999) == "9999"
    assert numbers.plain(Fraction(12, 5), 2, "it") == "2,40"
    assert numbers.english(61_100_840) == "61,100,840" and numbers.english(7728) == "7,728"
    assert numbers.fixed(34_944) == "34944"


def test_automatic_decimals() -> None:
    assert numbers.latex(Fraction(123_456_789, 10)) == r"12\,345\,678.9"
    assert numbers.latex(Fraction(1, 3)) == "0.3333" and numbers.latex(Fraction(1, 2)) == "0.5"
    assert numbers.latex(Fraction(1, 3), None, "it") == "0{,}3333"
    assert numbers.latex(0.1) == "0.1"


def test_units_and_percent_by_language() -> None:
    assert numbers.with_unit("70.95", "%") == "70.95%" and numbers.with_unit("70,95", "%", "it") == "70,95 %"
    assert numbers.with_unit("$70.95$", r"\%") == r"$70.95$\%" and numbers.with_unit("8,55", "MB", "it") == "8,55 MB"
    assert numbers.with_unit("12", "") == "12"
    assert numbers.shown("70.95", "it") == "70,95" and numbers.shown("34944") == "34\u202f944"


def test_points_and_tolerances() -> None:
    assert [numbers.points(v) for v in (4, Fraction(3, 2), Fraction(2, 3), 1.5)] == ["4", "1.5", "0.67", "1.5"]
    assert numbers.tolerance(Fraction(1, 200)) == "0.005" and numbers.tolerance(Fraction(1, 3)) == "0.333333334"
    assert numbers.tolerance(0) == "0"
    assert numbers.exact_at(Fraction(1, 4), 2) and not numbers.exact_at(Fraction(1, 8), 2)


@settings(max_examples=500, deadline=None)
@given(st.fractions(min_value=-10**9, max_value=10**9, max_denominator=10**6) | st.integers(-10**12, 10**12),
       st.sampled_from([None, 0, 1, 2, 3, 4, 6]), st.sampled_from(["en", "it"]))
def test_every_printer_shows_the_exactly_rounded_value(value: Fraction | int, decimals: int | None, lang: str) -> None:
    exact = Fraction(value)
    shown = numbers.places(value, decimals)
    rounded = _half_away(exact, shown)
    texts = [numbers.latex(value, decimals, lang).replace(r"\,", "").replace("{,}", "."),
             numbers.plain(value, decimals, lang).replace("\u202f", "").replace(",", "."),
             numbers.english(value, decimals).replace(",", ""), numbers.compose(value, decimals)]
    if decimals is not None:
        texts.append(numbers.fixed(value, decimals))
    for text in texts:
        assert Fraction(text) == rounded, text
        assert len(text.partition(".")[2]) == shown, text
    if decimals is None and exact.denominator == 1:
        assert shown == 0
    tol = numbers.tolerance(abs(exact))
    assert Fraction(tol) >= abs(exact) and Fraction(tol) - abs(exact) < Fraction(1, 10**9)
