"""Neutral wording: questions speak of "the course" unless the bank names its source; the practice page's intro
lists the page's own topics; an entry's name titles its questions."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
import yaml

from quizgen.bank.draw import entry_variants
from quizgen.bank.load import load_bank
from quizgen.bank.tailor import _phrases
from quizgen.problems import generate
from quizgen.text.templating import templates_dir
from tests.text.yaml_strings import strings_in

WORD = {"en": re.compile(r"\b(course|lecture)\b", re.IGNORECASE), "it": re.compile(r"\b(corso|lezione)\b",
                                                                                 re.IGNORECASE)}


def _student_texts(lang: str) -> list[str]:
    """Every text of the templates that a question can show: concepts, family templates, misconceptions."""
    root = templates_dir()
    texts = list(strings_in(yaml.safe_load((root / "concepts" / f"{lang}.yaml").read_text(encoding="utf-8"))))
    texts += list(strings_in(yaml.safe_load((root / "misconceptions" / f"{lang}.yaml").read_text(encoding="utf-8"))))
    texts += [p.read_text(encoding="utf-8") for p in sorted((root / "problems").glob(f"*/{lang}.j2"))]
    return texts


@pytest.mark.parametrize("lang", ["en", "it"])
def test_templates_name_no_lecture_and_every_course_phrase_takes_a_source(lang: str) -> None:
    texts = _student_texts(lang)
    lecture = "lecture" if lang == "en" else "lezione"
    # the word, not a template's block names (lecture_size_note)
    assert not [t for t in texts if re.search(rf"\b{lecture}(?!_)", t, re.IGNORECASE)]
    pattern, words = _phrases(lang, "Lecture 3")
    said = [t for t in texts if WORD[lang].search(t)]
    assert len(said) > 50  # the concept questions quote the course often
    for text in said:
        rest = pattern.sub(lambda m: words[m.group(0)], text)
        assert not WORD[lang].search(rest.replace("Lecture 3", "")), text


def _bank(tmp_path: Path, head: str) -> Path:
    path = tmp_path / "bank.yaml"
    path.write_text(textwrap.dedent(head) + "entries:\n  - family: concepts\n    count: 12\n"
                    "  - family: alexnet\n    name: {en: 'AlexNet, layer by layer', it: 'AlexNet, layer per layer'}\n",
                    encoding="utf-8")
    return path


def _words(problem) -> str:  # noqa: ANN001
    return "\n".join([problem.title, problem.stem, problem.hint, *(s.text for s in problem.solution),
                      *(c.text + c.feedback for c in problem.choices),
                      *(d.feedback for p in problem.parts for d in p.distractors)])


def test_a_bank_source_replaces_the_course_in_both_languages(tmp_path: Path) -> None:
    plain = load_bank(_bank(tmp_path, "title: T\nlang: en\nseed: 4\n"))
    for lang in ("en", "it"):
        words = "\n".join(_words(p) for p in entry_variants(plain, 0, 12, lang=lang))
        assert WORD[lang].search(words) and not re.search("lecture|lezione", words, re.IGNORECASE)
    named = load_bank(_bank(tmp_path, "title: T\nlang: en\nseed: 4\nsource: {en: Lecture 3, it: Lezione 3}\n"))
    for lang, quoted in (("en", "Lecture 3"), ("it", "«Lezione 3»")):
        problems = entry_variants(named, 0, 12, lang=lang)
        words = "\n".join(_words(p) for p in problems)
        assert quoted in words and not WORD[lang].search(words.replace(quoted, ""))
        # only the wording changes: the same questions, the same answers
        assert [p.id for p in problems] == [p.id for p in entry_variants(plain, 0, 12, lang=lang)]
        assert [[c.correct for c in p.choices] for p in problems] == [
            [c.correct for c in p.choices] for p in entry_variants(plain, 0, 12, lang=lang)]


def test_an_empty_source_is_refused(tmp_path: Path) -> None:
    from quizgen.errors import QuizgenError

    with pytest.raises(QuizgenError, match="the source is empty"):
        load_bank(_bank(tmp_path, "title: T\nsource: ''\n"))


def test_entry_names_title_their_questions(tmp_path: Path) -> None:
    bank = load_bank(_bank(tmp_path, "title: T\nlang: en\nseed: 4\n"))
    assert {p.title for p in entry_variants(bank, 1, 3)} == {"AlexNet, layer by layer"}
    assert {p.title for p in entry_variants(bank, 1, 3, lang="it")} == {"AlexNet, layer per layer"}
    # an entry without name or title keeps the family's titles
    for problem in entry_variants(bank, 0, 3):
        assert problem.title == generate("concepts", seed=problem.seed, difficulty=1).title


def test_practice_page_intro_lists_its_own_topics(tmp_path: Path, run_cli) -> None:  # noqa: ANN001
    path = tmp_path / "two.yaml"
    path.write_text("title: T\nlang: en\nentries:\n  - family: fc-fc\n  - family: memory\n", encoding="utf-8")
    out = tmp_path / "p.html"
    assert run_cli("practice-html", str(path), "-n", "4", "-o", str(out)).code == 0
    page = out.read_text(encoding="utf-8")
    intro = re.search(r'id="page-intro" class="intro">([^<]*)<', page).group(1)
    assert "Topics: Parameters: FC → FC; Memory." in intro
    assert "LeNet" not in intro and "AlexNet" not in intro
    assert "Argomenti: Parametri: FC → FC; Memoria." in page
