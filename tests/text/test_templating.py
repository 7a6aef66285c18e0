"""Template strings render each value as its own type, through macros, loops and any value."""

from __future__ import annotations

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

