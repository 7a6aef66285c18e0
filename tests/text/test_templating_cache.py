"""The rendered-text cache never changes what is rendered: keyed by every name a template reads."""

from __future__ import annotations

import importlib.util

import pytest

import quizgen.text.templating as templating
from quizgen.problems import FAMILY_MODULES, family, generate, memo
from quizgen.text.templating import render_string


def test_values_of_different_types_render_differently() -> None:
    assert render_string("{{ x }}", x=True) == "True"
    assert render_string("{{ x }}", x=1) == "1"
    assert render_string("{{ x|num }}", x=1234567) == r"1\,234\,567"


def test_macros_loops_and_unhashable_values() -> None:
    source = "{% macro m() %}{{ y }}{% endmacro %}[{{ m() }}]"
    assert render_string(source, y=1) == "[1]" and render_string(source, y=2) == "[2]"
    loop = "{% for i in xs %}{{ i }}{% endfor %}"
    assert render_string(loop, xs=(1, 2)) == "12" and render_string(loop, xs=[3]) == "3"
    assert render_string("{{ d.a }}", d={"a": 5}) == "5" and render_string("{{ d.a }}", d={"a": 6}) == "6"


def test_problems_are_the_same_with_and_without_the_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    present = [f for f, m in FAMILY_MODULES.items() if importlib.util.find_spec(m) is not None]
    jobs = [(f, d, lang, seed) for f in present for d in family(f).difficulties for lang in ("en", "it")
            for seed in range(2)]
    cached = [generate(f, seed=s, difficulty=d, lang=lang) for f, d, lang, s in jobs]
    monkeypatch.setattr(templating, "_cached", lambda *args: (None, None))
    memo.clear_all()  # else the families' memos hand back the problems built above, text and all
    assert [generate(f, seed=s, difficulty=d, lang=lang) for f, d, lang, s in jobs] == cached
