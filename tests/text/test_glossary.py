"""One term per concept: no variant that templates/glossary.it.yaml lists as wrong (``wrong`` for Italian, ``en_wrong``
for English) appears in that language's templates, in its banks, in a generated problem of any family, difficulty
and a few seeds, in the messages written in Python (errors, fixes, warnings: English), or in what ``quizgen families``
and ``quizgen params`` print in either language."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

import quizgen
from quizgen.problems import family, family_ids, generate
from quizgen.text.templating import banks_dir, templates_dir
from tests.text.yaml_strings import strings_in

GLOSSARY = templates_dir() / "glossary.it.yaml"
SEEDS = (1, 2, 3)


def _patterns(lang: str) -> list[tuple[str, re.Pattern[str]]]:
    entries = yaml.safe_load(GLOSSARY.read_text(encoding="utf-8"))
    term, wrong = ("term", "wrong") if lang == "it" else ("en", "en_wrong")
    return [(f"{e['concept']} → {e[term]}", re.compile(w, 0 if e.get("case") else re.IGNORECASE))
            for e in entries for w in e.get(wrong, [])]


PATTERNS = {"it": _patterns("it"), "en": _patterns("en")}


def _jinja_text(source: str) -> str:
    """What a reader can see of a Jinja source: the text, and the quoted strings inside {{ }} (not the code)."""
    source = re.sub(r"\{#.*?#\}", " ", source, flags=re.S)
    source = re.sub(r"\{%.*?%\}", " ", source, flags=re.S)
    return re.sub(r"\{\{(.*?)\}\}", lambda m: " ".join(re.findall(r"[\"']([^\"']*)[\"']", m.group(1))), source,
                  flags=re.S)


def _unquoted(text: str) -> str:
    return re.sub(r"“[^”]*”", " ", text)  # the lecture's own words, quoted, stay as the lecture wrote them



def _offences(where: str, text: str, lang: str = "it") -> list[str]:
    text = _unquoted(text)
    found = []
    for concept, pattern in PATTERNS[lang]:
        for match in pattern.finditer(text):
            context = text[max(0, match.start() - 40):match.end() + 40].replace("\n", " ")
            found.append(f"{where}: '{match.group(0)}' (use {concept}): …{context}…")
    return found


def _sources(lang: str) -> Iterator[tuple[str, str]]:
    root = templates_dir()
    for path in sorted(root.rglob(f"{lang}.*")):
        where = str(path.relative_to(root))
        source = path.read_text(encoding="utf-8")
        if path.suffix == ".yaml":
            # id, topic and kind hold ids, not words a reader sees
            for value in strings_in(yaml.safe_load(source), skip=("id", "topic", "kind")):
                yield where, _jinja_text(value)
        else:
            yield where, _jinja_text(source)
    for path in sorted(Path(banks_dir()).glob("*.yaml")):
        bank = yaml.safe_load(path.read_text(encoding="utf-8"))
        if bank.get("lang") == lang:  # the words printed on its sheets (tags and names are ids)
            yield f"banks/{path.name}", "\n".join(v for v in bank.values() if isinstance(v, str))


def test_glossary_is_well_formed() -> None:
    entries = yaml.safe_load(GLOSSARY.read_text(encoding="utf-8"))
    assert len(entries) >= 25
    for entry in entries:
        assert {"concept", "term", "en"} <= set(entry), entry
    # every wrong variant is found where it is written: the patterns can fail
    assert _offences("x", "i layer convolutivi e le mappe di feature in ingresso, il Correttore")
    assert not _offences("x", "“strati convolutivi”, come dice la lezione")
    assert _offences("x", "a conv layer and a minibatch", "en") and not _offences("x", "a convolutional layer", "en")
    # one name for batch norm in each language; Keras's and PyTorch's class names are not words
    assert _offences("x", "batch normalization", "en") and _offences("x", "un layer batch-norm")
    assert not _offences("x", "batch norm after BatchNormalization and BatchNorm2d", "en")


@pytest.mark.parametrize("lang", ["it", "en"])
def test_templates_use_the_glossary_terms(lang: str) -> None:
    offences = [o for where, text in _sources(lang) for o in _offences(where, text, lang)]
    assert not offences, "\n".join(offences)


def _problem_text(problem: object) -> str:
    """The words of a generated problem that a student or an instructor reads (no ids, no keys)."""
    from quizgen.commands.sample import describe

    text = describe(problem)
    text = text.split("\n", 1)[1]  # the header names the family id and the language
    text = re.sub(r"\[[\w.-]+\]", " ", text)  # part keys
    text = re.sub(r"^\s*- [\w-]+ →", " ", text, flags=re.M)  # misconception ids
    return re.sub(r"^.*\b(id|ID)\b.*$", " ", text, flags=re.M)  # the problem id line


@pytest.mark.parametrize("lang", ["it", "en"])
@pytest.mark.parametrize("family_id", family_ids())
def test_generated_problems_use_the_glossary_terms(family_id: str, lang: str) -> None:
    offences = []
    for difficulty in family(family_id).difficulties:
        for seed in SEEDS:
            problem = generate(family_id, seed=seed, difficulty=difficulty, lang=lang)
            where = f"{family_id} d{difficulty} s{seed} {lang}"
            offences += _offences(where, _problem_text(problem), lang)
    assert not offences, "\n".join(offences)


# --- the texts written in Python: messages, and what quizgen params and quizgen families print ----------------------

# calls whose strings a user reads: errors and their fixes (a ParamError is one), own networks' message helpers
# (quizgen.problems.own: the words of a missing layer kind, the fix of a refused layer), warnings echoed
MESSAGE_CALLS = {"QuizgenError", "ParamError", "need", "summable", "difficulties", "prepare", "windows", "echo"}
KERAS_CLASS = re.compile(r"\bDense\b")  # Keras's class, named as Keras names it ("a Dense layer"), not a term


def _call_name(func: ast.expr) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _python_messages() -> Iterator[tuple[str, str]]:
    """Every string (and every literal piece of an f-string) in a call that makes a user message, with its place."""
    root = Path(quizgen.__file__).parent
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in ast.walk(tree):
            if isinstance(call, ast.Call) and _call_name(call.func) in MESSAGE_CALLS:
                for node in ast.walk(call):
                    if isinstance(node, ast.Constant) and isinstance(node.value, str):
                        yield f"quizgen/{path.relative_to(root)}:{node.lineno}", KERAS_CLASS.sub(" ", node.value)


def test_python_messages_use_the_glossary_terms() -> None:
    """Errors, fixes and warnings are written in Python, in English: the same words as the English templates."""
    messages = list(_python_messages())
    assert len(messages) > 500  # the scan finds the messages
    assert _offences("x", "ask buffers of a batch-norm layer (bn)", "en")  # as the old messages read
    offences = [o for where, text in messages for o in _offences(where, text, "en")]
    assert not offences, "\n".join(offences)


def _declared_texts(lang: str) -> Iterator[tuple[str, str]]:
    """What ``quizgen families`` and ``quizgen params`` print in ``lang``: each family's summary, and each parameter's
    meaning, values and how it is chosen, with the parameter's own values (ids such as memory's kind 'batch') left
    out."""
    for fam in [family(fid) for fid in family_ids()]:
        yield f"{fam.id} summary", fam.summary[lang]
        for param in (fam.parameters[name] for name in fam.parameters):
            ids = {str(v) for d in (1, 2, 3) for hand in (False, True) for v in param.defaults(d, hand)}
            if param.kind.values is not None:
                ids |= {str(v) for v in param.kind.values()}
            words = " ".join((param.meaning(lang), param.kind.describe(lang), param.chosen.get(lang, "")))
            for value in sorted(ids, key=len, reverse=True):
                words = re.sub(rf"(?<![\w-]){re.escape(value)}(?![\w-])", " ", words)
            yield f"{fam.id} parameter {param.name}", KERAS_CLASS.sub(" ", words)


@pytest.mark.parametrize("lang", ["it", "en"])
def test_family_summaries_and_parameters_use_the_glossary_terms(lang: str) -> None:
    offences = [o for where, text in _declared_texts(lang) for o in _offences(where, text, lang)]
    assert not offences, "\n".join(offences)
