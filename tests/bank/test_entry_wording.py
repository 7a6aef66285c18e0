"""An entry's own title, note and excluded misconceptions reach every output; version labels name the versions
on every page, in file names, the key and the CSV."""

from __future__ import annotations

import csv
import io
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from quizgen.bank.draw import categories, entry_draws, entry_variants, exam_versions, practice_variants
from quizgen.bank.load import load_bank
from quizgen.errors import QuizgenError
from quizgen.problems.misconceptions import CATALOGUE
from quizgen.render.csvkey import grading_csv
from quizgen.render.latex import render_sources

OWN = """\
title: Own wording
lang: en
seed: 11
entries:
  - family: conv-conv
    difficulty: 1
    title: {en: "Layer 2 of our CNN", it: "Il layer 2 della nostra CNN"}
    note: {en: "Use the notation of chapter 4.", it: "Usa la notazione del capitolo 4."}
    exclude_misconceptions: [f-not-squared, image-depth-not-maps]
  - family: conv-conv
    difficulty: 1
    id: plain
"""


def _write(tmp_path: Path, text: str, name: str = "own.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_title_and_note_in_every_language_and_draw(tmp_path: Path) -> None:
    bank = load_bank(_write(tmp_path, OWN))
    for lang, title, note in (("en", "Layer 2 of our CNN", "Use the notation of chapter 4."),
                              ("it", "Il layer 2 della nostra CNN", "Usa la notazione del capitolo 4.")):
        drawn = [*entry_variants(bank, 0, 3, lang=lang),
                 *(d for (d,) in practice_variants(bank, [bank.entries[0]], 2, 3, [lang]))]
        for problem in drawn:
            assert problem.title == title
            assert problem.stem.endswith("\n\n" + note)
        # the other entry keeps the family's own title and stem
        plain = entry_variants(bank, 1, 1, lang=lang)[0]
        assert plain.title != title and note not in plain.stem


def test_excluded_misconceptions_never_named_and_numbers_kept(tmp_path: Path) -> None:
    bank = load_bank(_write(tmp_path, OWN))
    excluded = set(bank.entries[0].exclude)
    originals = [draw.generate() for draw in entry_draws(bank, 0, 40)]
    named = {d.misconception for problem in originals for p in problem.parts for d in p.distractors}
    assert excluded <= named, "the test must exclude misconceptions the family really names"
    tailored = entry_variants(bank, 0, 20)
    # the same draws, the same numbers: only the distractors named change
    by_id = {o.id: o for o in originals}
    assert [[p.answer for p in t.parts] for t in tailored] == [[p.answer for p in by_id[t.id].parts] for t in tailored]
    for problem in tailored:
        assert not {d.misconception for p in problem.parts for d in p.distractors} & excluded
    for category in categories(bank, 5, None, None)[:1]:
        for item in category.items:
            assert not {d.misconception for p in item.problem.parts for d in p.distractors} & excluded


def test_moodle_gift_practice_and_exam_show_the_title_and_note(tmp_path: Path, run_cli) -> None:  # noqa: ANN001
    path = _write(tmp_path, OWN)
    out = tmp_path / "out"
    assert run_cli("moodle", str(path), "-n", "2", "-o", str(out / "b.xml")).code == 0
    root = ET.parse(out / "b.xml").getroot()
    names = [q.findtext("name/text") for q in root.iter("question") if q.get("type") != "category"]
    texts = [q.findtext("questiontext/text") for q in root.iter("question") if q.get("type") != "category"]
    assert sum("Layer 2 of our CNN" in n for n in names) == 2
    assert sum("Use the notation of chapter 4." in t for t in texts) == 2
    assert run_cli("gift", str(path), "-n", "2", "-o", str(out / "b.gift")).code == 0
    gift = (out / "b.gift").read_text(encoding="utf-8")
    # one GIFT question per answer: each names the entry's title and carries its note
    titled = gift.count("] Layer 2 of our CNN (conv-conv.")
    assert titled >= 2 and gift.count("Use the notation of chapter 4.") == titled
    assert run_cli("practice-html", str(path), "-n", "4", "--lang", "both", "-o", str(out / "p.html")).code == 0
    page = (out / "p.html").read_text(encoding="utf-8")
    assert "Usa la notazione del capitolo 4." in page and "Use the notation of chapter 4." in page
    bank = load_bank(path)
    sources = render_sources(bank, exam_versions(bank, 1), "en", "")
    assert "Layer 2 of our CNN" in sources.exam and "Use the notation of chapter 4." in sources.exam
    assert "Layer 2 of our CNN" in sources.solutions


def test_a_text_missing_in_the_asked_language_is_named(tmp_path: Path, run_cli) -> None:  # noqa: ANN001
    path = _write(tmp_path, OWN.replace('{en: "Use the notation of chapter 4.", it: "Usa la notazione del '
                                        'capitolo 4."}', '"Use the notation of chapter 4."')
                  .replace("title: Own wording", "title: {en: Own wording, it: Formulazione propria}"))
    result = run_cli("exam", str(path), "--lang", "it", "-o", str(tmp_path / "out"))
    assert result.code == 2
    assert "'entries[1].note' is given in en only, not in it" in result.err
    assert f"{path}:5" in result.err and not (tmp_path / "out").exists()


@pytest.mark.parametrize(("entry", "line", "message", "fix"), [
    ("    exclude_misconceptions: [forgot-bias]\n", 6, "no misconception 'forgot-bias'",
     "did you mean 'forgot-biases'? list the ids with: quizgen misconceptions"),
    ("    exclude_misconceptions:\n      - forgot-biases\n      - 12\n", 8, "no misconception 12",
     "quizgen misconceptions"),
    ("    title: '  '\n", 6, "the title is empty", 'title: "My CNN, layer 2"'),
    ("    note: {en: ''}\n", 6, "the note is empty", "note:"),
    ("    exclude_misconceptions: forgot-biases\n", 6, "'exclude_misconceptions' must be a list", ""),
])
def test_bad_entry_wording_is_one_line_with_its_line(tmp_path: Path, run_cli, entry: str, line: int,  # noqa: ANN001
                                                     message: str, fix: str) -> None:
    text = "title: T\nlang: en\nentries:\n  - family: conv-conv\n    difficulty: 1\n" + entry
    path = _write(tmp_path, text)
    with pytest.raises(QuizgenError) as info:
        load_bank(path)
    assert str(info.value.where) == f"{path}:{line}"
    assert message in info.value.message and fix in (info.value.fix or "")
    result = run_cli("stress", str(path))
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1


def test_misconceptions_command_lists_every_id_in_both_languages(run_cli) -> None:  # noqa: ANN001
    result = run_cli("misconceptions")
    assert result.code == 0
    lines = result.out.splitlines()
    ids = [line.split()[0] for line in lines if not line.startswith(" ")]
    assert ids == sorted(CATALOGUE)
    for mid in CATALOGUE:
        block = lines[lines.index(next(x for x in lines if x.startswith(mid + " "))):][:3]
        assert block[1] == f"    en: {CATALOGUE[mid].title('en')}"
        assert block[2] == f"    it: {CATALOGUE[mid].title('it')}"
    only_it = run_cli("misconceptions", "--lang", "it").out
    assert "    en:" not in only_it and only_it.count("    it:") == len(CATALOGUE)


# --- version labels ---------------------------------------------------------------------------

LABELLED = "title: Labelled\nlang: en\nseed: 3\nlabels: [A, B]\nentries:\n  - family: fc-fc\n"


def test_bank_labels_name_versions_everywhere(tmp_path: Path, run_cli) -> None:  # noqa: ANN001
    path = _write(tmp_path, LABELLED)
    from quizgen.commands.exam import WRITER
    from quizgen.commands.writers import Request

    request = Request(bank=str(path), n=None, seed=None, lang=None, output=None, force=False,
                      options={"labels": None, "allow_mixed_language": False})
    bank = load_bank(path)
    versions = WRITER.draw(bank, request)
    assert [v.code for v in versions] == ["A", "B"]
    # the same numbers as the versions V01, V02 of the same bank without labels
    assert [v.questions[0].problem.id for v in versions] == [v.questions[0].problem.id for v in exam_versions(bank, 2)]
    rows = list(csv.DictReader(io.StringIO(grading_csv(versions))))
    assert {r["version"] for r in rows} == {"A", "B"}
    sources = render_sources(bank, versions, "en", "")
    assert r"\QGbeginversion{A}" in sources.exam and r"\QGbeginversion{B}" in sources.exam
    assert "V01" not in sources.exam + sources.key + sources.solutions
    assert r"\gdef\QGcode{B}" in sources.key
    # --labels wins over the bank's
    request = Request(bank=str(path), n=None, seed=None, lang=None, output=None, force=False,
                      options={"labels": "Room-1,Room-2,Room-3", "allow_mixed_language": False})
    assert [v.code for v in WRITER.draw(bank, request)] == ["Room-1", "Room-2", "Room-3"]


def test_labels_name_the_split_files(tmp_path: Path, run_cli) -> None:  # noqa: ANN001
    from tests.conftest import require_tool

    require_tool("pdflatex")
    path = _write(tmp_path, LABELLED)
    result = run_cli("exam", str(path), "--split", "-o", str(tmp_path / "out"))
    assert result.code == 0, result.err
    assert sorted(p.name for p in (tmp_path / "out").glob("*.pdf")) == [
        "own-A.pdf", "own-B.pdf", "own-exam.pdf", "own-key.pdf", "own-solutions.pdf"]
    assert "2 versions" in result.err


@pytest.mark.parametrize(("args", "bank_labels", "message"), [
    (["--labels", "A,B", "-n", "3"], "", "-n 3 asks for 3 versions but --labels name 2"),
    (["-n", "3"], "labels: [A, B]\n", "-n 3 asks for 3 versions but the bank's labels"),
    (["--labels", "A,a"], "", "version label 'a' is given twice"),
    (["--labels", "A,B C"], "", "version label 'B C' is not a short word"),
    (["--labels", "A,"], "", "version label '' is not a short word"),
    ([], "labels: []\n", "labels is an empty list"),
    ([], "labels: [A, 'x/y']\n", "version label 'x/y' is not a short word"),
])
def test_bad_labels_are_refused_before_anything_is_written(tmp_path: Path, run_cli, args: list[str],  # noqa: ANN001
                                                           bank_labels: str, message: str) -> None:
    path = _write(tmp_path, f"title: T\nlang: en\n{bank_labels}entries:\n  - family: fc-fc\n")
    result = run_cli("exam", str(path), *args, "-o", str(tmp_path / "out"))
    assert result.code == 2, result.err
    assert message in result.err and len(result.err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()
