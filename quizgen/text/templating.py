"""Where templates live and how problem text is rendered from them (Jinja2).

Problem stems, part labels and solution sentences live in ``templates/problems/<family>/<lang>.j2``
as named blocks (``{% block stem %}``); misconception feedback and interface strings in YAML files
under ``templates/``. An instructor rewords a question by editing those files, not Python.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import new_context

from quizgen.text import numbers
from quizgen.text.plural import plural

LANGS = ("en", "it")


def _root(name: str) -> Path:
    """A data folder: inside the installed package, else beside it in the source tree."""
    here = Path(__file__).resolve().parent.parent  # the quizgen package
    for candidate in (here / name, here.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"quizgen's {name}/ folder is missing (looked in {here} and {here.parent})")


def templates_dir() -> Path:
    return _root("templates")


def banks_dir() -> Path:
    return _root("banks")


@pass_context
def num(context: Any, value: Any, decimals: int | None = None) -> str:
    """A number for LaTeX math (use inside $...$) in the template's language: ``34\\,944``, ``0.25`` (``0{,}25``)."""
    return numbers.latex(value, decimals, language(context))


def language(context: Any) -> str:
    """The language a template writes: the ``lang`` it is given, else its file's (``problems/memory/it.j2``)."""
    lang = context.get("lang")
    if lang in LANGS:
        return lang
    stem = (context.name or "").rpartition("/")[2].partition(".")[0]
    return stem if stem in LANGS else "en"


def join_and(items: Any, word: str = "and") -> str:
    """A list as a sentence: ``A, B and C`` (``{{ names|join_and("e") }}`` in Italian)."""
    items = [str(x) for x in items]
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


@cache
def environment() -> Any:
    """The Jinja2 environment for problem text: strict about undefined names, no autoescape."""
    import jinja2

    class Environment(jinja2.Environment):
        def make_globals(self, d: Any) -> Any:
            """A template's globals as a plain dict (Jinja's own is a ChainMap): every render copies them into its
            context, and copying a ChainMap was the largest part of rendering a short text. Globals are set once,
            before any template loads, so a snapshot is the same map."""
            return {**self.globals, **(d or {})}

    env = Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["num"] = num
    env.filters["join_and"] = join_and
    env.filters["plural"] = plural
    return env


@cache
def _template(path: str) -> Any:
    return environment().get_template(path)


def render_block(path: str, block: str, **context: Any) -> str:
    """Render one named block of a template (e.g. ``problems/conv-conv/it.j2``, ``stem``)."""
    return render_block_context(path, block, context)


def render_block_context(path: str, block: str, context: dict[str, Any]) -> str:
    """``render_block`` with the context as a dict, not copied into keyword arguments (read only)."""
    names = _NAMES.get((path, block), _MISSING)
    if names is _MISSING:
        names = _NAMES[path, block] = _block_names(path, block)
    key, hit = _cached(path, block, names, context)  # type: ignore[arg-type]
    if hit is not None:
        return hit
    template = _template(path)
    try:
        render = template.blocks[block]
    except KeyError:
        from quizgen.errors import InternalError

        raise InternalError(f"template {path} has no block '{block}'") from None
    # a block that reads only its own names (names known: no self.other() or super()) gets a context that holds
    # only itself: Jinja's own copies every block of the template into each context (a quarter of a short render)
    blocks = template.blocks if names is None else {block: render}
    result = "".join(render(new_context(template.environment, template.name, blocks, context, False,
                                        template.globals, None))).strip()
    if key is not None:
        _remember(key, result)
    return result


_MISSING = object()
_NAMES: dict[tuple[str, str], tuple[str, ...] | None] = {}  # _block_names by (path, block), found once


# Rendered text, keyed by the values of the names a block (or string) reads: problems repeat the same
# labels, sentences and feedback with the same few numbers, and Jinja's per-render context setup is
# the largest cost of generating a problem. Bounded; cleared when full (results never depend on it).
_RENDERED: dict[tuple, str] = {}
_RENDERED_LIMIT = 200_000


def _remember(key: tuple, result: str) -> None:
    if len(_RENDERED) >= _RENDERED_LIMIT:
        _RENDERED.clear()
    _RENDERED[key] = result


def _cached(source: str, block: str | None, names: tuple[str, ...] | None,
            context: dict[str, Any]) -> tuple[tuple | None, str | None]:
    """(the cache key, or None when the names are unknown or a value cannot be a key; the text rendered before
    under it, or None). The key is the template and (type, value) of every name the text reads."""
    if names is None:
        return None, None
    values = tuple(map(context.get, names))  # a missing name reads as None: it is a local (loop, set) or unused
    key = source, block, values, tuple(map(type, values))  # True and 1 are equal keys but render differently
    try:
        return key, _RENDERED.get(key)
    except TypeError:  # an unhashable value (a list): rendered every time
        return None, None


def _names_read(node: Any, macros: dict[str, Any], seen: set[str] | None = None) -> set[str] | None:
    """Names a template node loads, following the template's own macros; None if it reaches outside."""
    from jinja2 import nodes

    seen = set() if seen is None else seen
    names: set[str] = set()
    for name in node.find_all(nodes.Name):
        if name.ctx != "load":
            continue
        if name.name in ("self", "super"):
            return None
        if name.name in macros and name.name not in seen:
            seen.add(name.name)
            inner = _names_read(macros[name.name], macros, seen)
            if inner is None:
                return None
            names |= inner
        names.add(name.name)
    return names


@cache
def _parsed(source: str) -> tuple[Any, bool, dict[str, Any], dict[str, Any]]:
    """A template's AST (parsed once, not once per block), whether it reaches other templates, macros, blocks."""
    from jinja2 import nodes

    ast = environment().parse(source)
    outside = any(True for _ in ast.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)))
    return ast, outside, {m.name: m for m in ast.find_all(nodes.Macro)}, {b.name: b for b in ast.find_all(nodes.Block)}


def _template_names(source: str, block: str | None) -> tuple[str, ...] | None:
    ast, outside, macros, blocks = _parsed(source)
    if outside:
        return None
    target = ast if block is None else blocks.get(block)
    if target is None:
        return None
    names = _names_read(target, macros)
    return None if names is None else tuple(sorted(names))


def _block_names(path: str, block: str) -> tuple[str, ...] | None:
    env = environment()
    source = env.loader.get_source(env, path)[0]
    return _template_names(source, block)


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


def _string_names(source: str) -> tuple[str, ...] | None:
    return _template_names(source, None)


def render_string(source: str, **context: Any) -> str:
    """Render a Jinja source string (compiled once, then cached)."""
    return render_source(source, context)


def render_source(source: str, context: dict[str, Any]) -> str:
    """``render_string`` with the context as a dict, not copied into keyword arguments (read only)."""
    return compiled_source(source).render(context)


class Source:
    """A Jinja source string and the names it reads: rendered through the rendered-text cache, compiled on the
    first miss. Hold one for a string rendered again and again (a misconception's feedback) to skip looking
    it up each time."""

    __slots__ = ("source", "names")

    def __init__(self, source: str) -> None:
        self.source = source
        self.names = _string_names(source)

    def render(self, context: dict[str, Any]) -> str:
        key, hit = _cached(self.source, None, self.names, context)
        if hit is not None:
            return hit
        result = _compiled(self.source).render(context).strip()
        if key is not None:
            _remember(key, result)
        return result


@cache
def compiled_source(source: str) -> Source:
    return Source(source)


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
