"""Counted words by the CLDR plural rules of each language: "1 versione", "2 versioni", "0 versioni".

One helper for Python and for templates (the ``plural`` filter): ``plural(count, "it", "versione", "versioni")``
gives the word for ``count``, not the number, so the caller formats the number as it does everywhere else.
The rules come from babel's CLDR data: in both languages "one" is an integer 1 written without decimals, and
Italian has a "many" category for round millions ("un milione di versioni"), which reads as "other" here.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from typing import Any

from babel import Locale


@cache
def _rule(lang: str) -> Any:
    return Locale.parse(lang).plural_form


_GROUPED = re.compile(r"\d{1,3}(,\d{3})+")  # "1,000" as Python's f"{n:,}" writes it


def _operand(count: int | float | str) -> int | Decimal:
    """A count as CLDR reads it: a formatted string keeps its written decimals ("1,0" and "1.0" are not "one")."""
    if not isinstance(count, str):
        return count if isinstance(count, int) else Decimal(str(count))
    written = re.sub(r"[\s\u2009\u202f]", "", count)
    if _GROUPED.fullmatch(written):
        written = written.replace(",", "")
    return Decimal(written.replace(",", "."))


def plural_category(count: int | float | str, lang: str) -> str:
    """The CLDR category of ``count`` in ``lang``: ``one``, ``many`` or ``other`` (it and en use no others).

    ``count`` may be a number or a number already formatted for the reader ("12", "1 000", "1,000", "0,5").
    """
    return _rule(lang)(_operand(count))


def plural(count: int | float | str, lang: str, one: str, other: str, many: str | None = None) -> str:
    """The form of a word or phrase that agrees with ``count``: ``one`` for 1, ``other`` (or ``many``) else."""
    category = plural_category(count, lang)
    if category == "one":
        return one
    if category == "many" and many is not None:
        return many
    return other
