"""Where templates live and how problem text is rendered from them (Jinja2).

Problem stems, part labels and solution sentences live in ``templates/problems/<family>/<lang>.j2``
as named blocks (``{% block stem %}``); misconception feedback and interface strings in YAML files
under ``templates/``. An instructor rewords a question by editing those files, not Python.
"""

from __future__ import annotations

from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

LANGS = ("en", "it")


def _root(name: str) -> Path:
    """A data folder: inside the installed package, else beside it in the source tree."""
    here = Path(__file__).resolve().parent
    for candidate in (here / name, here.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"quizgen's {name}/ folder is missing (looked in {here} and {here.parent})")


def templates_dir() -> Path:
    return _root("templates")


def banks_dir() -> Path:
    return _root("banks")


def num(value: Any, decimals: int | None = None) -> str:
    """A number for LaTeX math (use inside $...$): ``34\\,944``, ``0.25``."""
    from quizgen.nets.formulas import latex_number

    if isinstance(value, float):
        value = Fraction(value).limit_denominator(10**9)
    return latex_number(value, decimals)


@cache
def environment() -> Any:
    """The Jinja2 environment for problem text: strict about undefined names, no autoescape."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["num"] = num
    return env


@cache
def _template(path: str) -> Any:
    return environment().get_template(path)


def render_block(path: str, block: str, **context: Any) -> str:
    """Render one named block of a template (e.g. ``problems/conv-conv/it.j2``, ``stem``)."""
    template = _template(path)
    try:
        render = template.blocks[block]
    except KeyError:
        from quizgen.errors import InternalError

        raise InternalError(f"template {path} has no block '{block}'") from None
    return "".join(render(template.new_context(context))).strip()


def has_block(path: str, block: str) -> bool:
    return block in _template(path).blocks


@cache
def _yaml(path: str) -> dict[str, Any]:
    import yaml

    with open(templates_dir() / path, encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


@cache
def _compiled(source: str) -> Any:
    return environment().from_string(source)


def render_string(source: str, **context: Any) -> str:
    """Render a Jinja source string (compiled once, then cached)."""
    return _compiled(source).render(**context).strip()


def text(lang: str, key: str, **context: Any) -> str:
    """An interface string (headings, labels) from ``templates/text/<lang>.yaml``."""
    strings = _yaml(f"text/{lang}.yaml")
    try:
        source = strings[key]
    except KeyError:
        from quizgen.errors import InternalError

        raise InternalError(f"templates/text/{lang}.yaml has no string '{key}'") from None
    return render_string(source, **context) if context or "{" in source else source


def text_keys(lang: str) -> set[str]:
    return set(_yaml(f"text/{lang}.yaml"))


def misconception_text(lang: str, misconception: str) -> dict[str, str]:
    """{'title': ..., 'feedback': ...} Jinja sources for a misconception in a language."""
    return _yaml(f"misconceptions/{lang}.yaml")[misconception]


def misconception_ids(lang: str) -> set[str]:
    return set(_yaml(f"misconceptions/{lang}.yaml"))
