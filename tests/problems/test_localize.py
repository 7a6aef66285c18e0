"""Italian number convention: decimal commas in every text a student reads, exact answers untouched."""

from __future__ import annotations

import re

import pytest

from quizgen.problems import generate
from quizgen.problems.localize import _texts
from quizgen.text.richtext import decimal_comma, math_decimal_comma

ANY_DECIMAL_POINT = re.compile(r"\d\.\d")


@pytest.mark.parametrize(("text", "expected"), [
    ("8.55 MB", "8,55 MB"),
    ("$8.55$ MB", "$8{,}55$ MB"),
    ("Fine. 12. Poi 3.4", "Fine. 12. Poi 3,4"),
    ("$$x = 1.25 + 0.5$$", "$$x = 1{,}25 + 0{,}5$$"),
    ("v1.2.3", "v1,2,3"),
    (".5 e 5.", ".5 e 5."),
])
def test_decimal_comma(text: str, expected: str) -> None:
    assert decimal_comma(text) == expected


def test_math_decimal_comma() -> None:
    assert math_decimal_comma(r"\frac{86.03}{2} = 43.015\,\%") == r"\frac{86{,}03}{2} = 43{,}015\,\%"


@pytest.mark.parametrize("family", ["memory", "one-by-one"])
def test_italian_text_has_no_decimal_point_where_english_has_them(family: str) -> None:
    english_points = 0
    for seed in range(40):
        it = generate(family, seed=seed, difficulty=2, lang="it")
        en = generate(family, seed=seed, difficulty=2, lang="en")
        assert [p.answer for p in it.parts] == [p.answer for p in en.parts]
        assert not [t for t in _texts(it) if ANY_DECIMAL_POINT.search(t)]
        english_points += sum(bool(ANY_DECIMAL_POINT.search(t)) for t in _texts(en))
    assert english_points > 0  # the English texts do print decimals, so the Italian check above means something
