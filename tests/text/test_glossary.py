"""One term per concept: no variant that templates/glossary.it.yaml lists as wrong (``wrong`` for Italian, ``en_wrong``
for English) appears in that language's templates, in its banks, or in a generated problem of any family, difficulty
and a few seeds."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

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
