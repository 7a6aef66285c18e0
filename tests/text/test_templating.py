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



def _cache_in(folder, monkeypatch):  # noqa: ANN001, ANN202 - pytest fixtures
    """The templates' bytecode cache with the system's temporary directory at ``folder``."""
    import tempfile

    from quizgen.text import templating

    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return templating._bytecode_cache()


def _environment(cache):  # noqa: ANN001, ANN202
    from quizgen.text import templating

    return templating._make_environment(cache)


def test_compiled_templates_are_stored_and_read_back_with_the_same_text(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    import jinja2

    from quizgen.text.templating import render_block_context

    path, context = "layers/it.j2", {"padding": 2}
    expected = render_block_context(path, "padding", context)
    assert "2" in expected
    cache = _cache_in(tmp_path, monkeypatch)
    first = _environment(cache).get_template(path)
    stored = list(tmp_path.glob("_jinja2-cache-*/quizgen-*.cache"))
    assert len(stored) == 1
    compiled = []
    monkeypatch.setattr(jinja2.Environment, "compile", lambda *a, **k: compiled.append(a) or None)
    second = _environment(_cache_in(tmp_path, monkeypatch)).get_template(path)
    assert not compiled  # read back, not compiled again
    for template in (first, second):
        assert "".join(template.blocks["padding"](template.new_context(context))).strip() == expected


def test_a_cache_that_cannot_be_used_only_leaves_templates_compiled(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    import os

    # a file where Jinja's folder would be: not a folder it can trust, so no cache at all
    (tmp_path / f"_jinja2-cache-{os.getuid()}").write_text("")
    assert _cache_in(tmp_path, monkeypatch) is None
    # a folder gone after the cache was made: writing fails, the template still renders
    other = tmp_path / "other"
    other.mkdir()
    cache = _cache_in(other, monkeypatch)
    for entry in other.iterdir():
        entry.rmdir()
    template = _environment(cache).get_template("layers/en.j2")
    assert template.blocks and not list(other.iterdir())
