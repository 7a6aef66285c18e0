"""Every number a student reads, rounded and printed one way.

One rounding rule: half away from zero, as students and calculators round (1/40 at 2 decimals is
0.03, -1/40 is -0.03), done in integers so it is exact for fractions. One choice of decimal mark by
language: a point in English, a comma in Italian (``{,}`` inside LaTeX math, so no space follows it).
Thousands are grouped from five digits by thin spaces (SI style, the same in both languages, in text and
in diagrams alike: 4096 but 34 944); machine-read text (Moodle answers, CSV) has a point and no groups.
Each printer differs only in those marks:

>>> latex(Fraction(34944), 0), latex(Fraction(1, 40), 2, "it"), fixed(Fraction(-1, 40), 2)
('34\\\\,944', '0{,}03', '-0.03')
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

Number = int | Fraction

DECIMAL_COMMA_LANGS = frozenset({"it"})
SPACED_PERCENT_LANGS = frozenset({"it"})  # "70,95 %" in Italian, "70.95%" in English
AUTO_PLACES = 4  # decimals=None: a non-whole value at up to this many decimals, trailing zeros dropped
NARROW = "\u202f"  # narrow no-break space: LaTeX's "\," read as plain text


def _ratio(value: Any) -> tuple[int, int]:
    if isinstance(value, (int, Fraction)):
        return value.numerator, value.denominator
    if isinstance(value, float):
        value = Fraction(value).limit_denominator(10**9)  # 0.1 is one tenth, not its binary neighbour
    else:
        value = Fraction(value)
    return value.numerator, value.denominator


def units(value: Number, decimals: int) -> int:
    """``value`` in units of its last printed decimal, rounded half away from zero: ``units(1/40, 2) == 3``."""
    num, den = _ratio(value)
    whole, rest = divmod(abs(num) * 10**decimals, den)
    if 2 * rest >= den:
        whole += 1
    return -whole if num < 0 else whole


def exact_at(value: Number, decimals: int) -> bool:
    """True when ``value`` prints exactly at ``decimals`` (nothing is rounded away)."""
    num, den = _ratio(value)
    return num * 10**decimals % den == 0


def places(value: Number, decimals: int | None) -> int:
    """How many decimals ``value`` prints at: ``decimals``, or for None none when whole, else up to 4."""
    if decimals is not None:
        return decimals
    num, den = _ratio(value)
    if den == 1:
        return 0
    scaled = abs(units(value, AUTO_PLACES))
    shown = AUTO_PLACES
    while shown and scaled % 10 == 0:
        scaled //= 10
        shown -= 1
    return shown


def _parts(value: Number, decimals: int | None) -> tuple[str, str, str]:
    """(sign, whole digits, decimal digits) of ``value`` rounded at ``decimals`` (None: see ``places``)."""
    shown = places(value, decimals)
    scaled = units(value, shown)
    digits = str(abs(scaled)).rjust(shown + 1, "0")
    sign = "-" if scaled < 0 else ""  # a value that rounds to zero has no sign
    if not shown:
        return sign, digits, ""
    return sign, digits[:-shown], digits[-shown:]


def _grouped(whole: str, separator: str, from_digits: int) -> str:
    if len(whole) < from_digits:
        return whole
    head = len(whole) % 3 or 3
    return separator.join([whole[:head]] + [whole[i:i + 3] for i in range(head, len(whole), 3)])


def compose(value: Number, decimals: int | None = None, *, point: str = ".", group: str = "",
            group_from: int = 5) -> str:
    """The printer every other one is: rounded at ``decimals``, ``point`` before the decimals, ``group`` between
    thousands when the whole part has at least ``group_from`` digits."""
    sign, whole, frac = _parts(value, decimals)
    if group:
        whole = _grouped(whole, group, group_from)
    return sign + whole + (point + frac if frac else "")


def point(lang: str, math: bool = False) -> str:
    """The decimal mark of ``lang`` (``{,}`` in LaTeX math: a bare comma there is followed by a space)."""
    if lang in DECIMAL_COMMA_LANGS:
        return "{,}" if math else ","
    return "."


def fixed(value: Number, decimals: int = 0) -> str:
    """For machines (Moodle answers, GIFT, CSV): ``decimals`` places, '.' point, no grouping: ``0.03``."""
    if decimals == 0 and type(value) is int:
        return str(value)
    return compose(value, decimals)


def tolerance(value: Number) -> str:
    """A non-negative tolerance for machines: exact when it ends within 9 decimals, else rounded up."""
    num, den = _ratio(value)
    if num < 0:
        raise ValueError("negative tolerance")
    for shown in range(10):
        if num * 10**shown % den == 0:
            return compose(value, shown)
    up = -(-num * 10**9 // den)
    return compose(Fraction(up, 10**9), 9).rstrip("0").rstrip(".")


def latex(value: Number, decimals: int | None = None, lang: str = "en") -> str:
    """For LaTeX math: ``34\\,944``, ``0.25`` (``0{,}25`` in Italian); None decimals: see ``places``."""
    if type(value) is int and not decimals:
        return str(value) if -10_000 < value < 10_000 else compose(value, 0, group=r"\,")
    return compose(value, decimals, point=point(lang, math=True), group=r"\,")


def plain(value: Number, decimals: int | None = None, lang: str = "en") -> str:
    """As plain text (terminal, practice page, diagrams): LaTeX's number, ``34 944`` with a narrow no-break space,
    ``4096`` ungrouped below five digits, ``0,25``."""
    if type(value) is int and not decimals:  # most numbers: a size, a count (compose gives the same, slower)
        return str(value) if -10_000 < value < 10_000 else compose(value, 0, group=NARROW)
    return compose(value, decimals, point=point(lang), group=NARROW)


def english(value: Number, decimals: int | None = 0) -> str:
    """With English commas between thousands (``61,100,840``), for the network summaries of ``solve``."""
    return compose(value, decimals, group=",", group_from=4)


def with_unit(number: str, unit: str, lang: str = "en") -> str:
    """A printed number and its unit: ``8.55 MB``; a percent sign by the language, ``70.95%``, ``70,95 %``."""
    if not unit:
        return number
    if unit in ("%", r"\%") and lang not in SPACED_PERCENT_LANGS:
        return number + unit
    return f"{number} {unit}"


def shown(machine: str, lang: str = "en") -> str:
    """A value printed for machines (``fixed``: ``70.95``) as a student reads it in ``lang`` (``plain``)."""
    return plain(Fraction(machine), len(machine.partition(".")[2]), lang)


def points(value: Number) -> str:
    """Exam points: ``4``, ``1.5``, ``0.67`` (at most 2 decimals, trailing zeros dropped)."""
    value = Fraction(value).limit_denominator(1000)
    return str(value.numerator) if value.denominator == 1 else compose(value, 2).rstrip("0").rstrip(".")
