"""Where templates live and how problem text is rendered from them (Jinja2).

Problem stems, part labels and solution sentences live in ``templates/problems/<family>/<lang>.j2``
as named blocks (``{% block stem %}``); misconception feedback and interface strings in YAML files
under ``templates/``. An instructor rewords a question by editing those files, not Python.
"""

from __future__ import annotations

import hashlib
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from jinja2 import pass_context

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


# how templates are compiled (the compiled code depends on them, so the bytecode cache's file names do too)
_SETTINGS = {"autoescape": False, "trim_blocks": True, "lstrip_blocks": True, "keep_trailing_newline": False,
             "auto_reload": False}


@cache
def environment() -> Any:
    """The Jinja2 environment for problem text: strict about undefined names, no autoescape.

    Templates are loaded once (Jinja's own cache; ``auto_reload`` off: they do not change while quizgen runs).
    """
    return _make_environment(_bytecode_cache())


def _make_environment(bytecode_cache: Any) -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        undefined=jinja2.StrictUndefined,
        bytecode_cache=bytecode_cache,
        **_SETTINGS,
    )
    env.globals.clear()  # range, dict, lipsum, ...: no template uses them, and every render would copy them
    env.filters["num"] = num
    env.filters["join_and"] = join_and
    env.filters["plural"] = plural
    return env


def _bytecode_cache() -> Any:
    """Jinja's own cache of compiled templates, in its per-user folder of the system's temporary directory (it
    checks the folder's owner and permissions, and a template whose source changed is compiled again). The files'
    names carry the compile settings, so a change of ``_SETTINGS`` never reads code compiled with other ones.

    Compiling the templates a command uses costs about a tenth of a second in every process; with the cache, a
    process loads them as Python loads a module's bytecode. A folder that cannot be used, or a file that cannot be
    written, leaves quizgen only slower, never failing (``None``: no cache).
    """
    import jinja2

    class Cache(jinja2.FileSystemBytecodeCache):
        def dump_bytecode(self, bucket: Any) -> None:
            try:
                super().dump_bytecode(bucket)
            except OSError:
                pass

    settings = hashlib.sha256(repr(sorted(_SETTINGS.items())).encode()).hexdigest()[:12]
    try:
        return Cache(pattern=f"quizgen-{settings}-%s.cache")
    except (OSError, RuntimeError):  # no safe folder (Jinja refuses one another user owns)
        return None


def render_block(path: str, block: str, **context: Any) -> str:
    """Render one named block of a template (e.g. ``problems/conv-conv/it.j2``, ``stem``)."""
    return render_block_context(path, block, context)


def render_block_context(path: str, block: str, context: dict[str, Any]) -> str:
    """``render_block`` with the context as a dict."""
    template = environment().get_template(path)
    try:
        render = template.blocks[block]
    except KeyError:
        from quizgen.errors import InternalError

        raise InternalError(f"template {path} has no block '{block}'") from None
    return "".join(render(template.new_context(context))).strip()


def has_block(path: str, block: str) -> bool:
    return block in environment().get_template(path).blocks


@cache
def template_yaml(path: str) -> dict[str, Any]:
    """A YAML file of quizgen's own ``templates/`` (``text/it.yaml``), read once, with libyaml where PyYAML has it
    (these files are part of quizgen: a bank, written by a user, is read by ``quizgen.text.yamlsource``)."""
    import yaml

    with open(templates_dir() / path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}


@lru_cache(maxsize=4096)
def _compiled(source: str) -> Any:
    """A template string compiled (interface strings and misconception feedback are rendered again and again)."""
    return environment().from_string(source)


def render_string(source: str, **context: Any) -> str:
    """Render a Jinja source string."""
    return render_source(source, context)


def render_source(source: str, context: dict[str, Any]) -> str:
    """``render_string`` with the context as a dict."""
    return _compiled(source).render(context).strip()


def text(lang: str, key: str, **context: Any) -> str:
    """An interface string (headings, labels) from ``templates/text/<lang>.yaml``."""
    strings = template_yaml(f"text/{lang}.yaml")
    try:
        source = strings[key]
    except KeyError:
        from quizgen.errors import InternalError

        raise InternalError(f"templates/text/{lang}.yaml has no string '{key}'") from None
    return render_string(source, **context) if context or "{" in source else source


def tag_word(lang: str, key: str) -> str:
    """A question tag in ``lang`` (``templates/tags.yaml``): ``params`` → ``parametri``; a word not listed as is."""
    words = template_yaml("tags.yaml").get(key)
    return words[lang] if words else key


def text_table(lang: str, key: str) -> dict[str, str]:
    """A table of interface strings from ``templates/text/<lang>.yaml`` (phrase -> Jinja source)."""
    return dict(template_yaml(f"text/{lang}.yaml")[key])


def text_keys(lang: str) -> set[str]:
    return set(template_yaml(f"text/{lang}.yaml"))


def misconception_text(lang: str, misconception: str) -> dict[str, str]:
    """{'title': ..., 'feedback': ...} Jinja sources for a misconception in a language."""
    return template_yaml(f"misconceptions/{lang}.yaml")[misconception]


def misconception_ids(lang: str) -> set[str]:
    return set(template_yaml(f"misconceptions/{lang}.yaml"))
