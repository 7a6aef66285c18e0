"""Exam sheets ready to print and to mark, read back page by page (pdftotext with word boxes).

Whole questions on a page (a longer one says "Question N (continued)" where it goes on), the cover's
points from the questions, one running head per page, problem ids on the key and the solutions, and
no word of the other language on a sheet.
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest

from quizgen.bank.draw import exam_versions
from quizgen.bank.load import load_bank
from tests.conftest import require_tool
from tests.render.exam_helpers import (
    body_lines,
    head_words,
    lines,
    pdf_pages,
    pdf_words,
    run_cli,
    write_bank,
)

HEADING = {"en": ("Question", "continued"), "it": ("Domanda", "continua")}
# words that give away the other language (technical terms the lecture uses in both are not here)
ENGLISH = ("the", "of", "and", "with", "which", "how", "many", "Table", "maps", "connection", "connections",
           "Gaussian", "Question", "Page", "Answer", "Answers", "Version", "Points", "Total",
           "Working", "continued", "Time", "minutes", "Name", "image", "images", "Solutions")
ITALIAN = ("il", "la", "di", "che", "della", "delle", "sono", "Domanda", "Pagina", "Versione", "Punti",
           "Punteggio", "minuti", "Tabella", "mappe", "con", "una", "Svolgimento", "continua", "Risposte",
           "Soluzioni", "Matricola", "filtri", "immagine", "immagini", "Griglia")


def _build(root: Path, bank: Path, lang: str, n: int, *args: str) -> Path:
    import contextlib
    import io
    import sys

    from quizgen.commands.cli import main

    out = root / f"out-{lang}"
    argv = ["quizgen", "exam", str(bank), "-n", str(n), "--seed", "2026", "-o", str(out), "--lang", lang,
            "--jobs", "2", *args]
    stderr = io.StringIO()
    code = 0
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sys, "argv", argv)
        try:
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(stderr):
                main()
        except SystemExit as exc:
            code = exc.code or 0
    assert code == 0, stderr.getvalue()
    return out


@pytest.fixture(scope="module")
def sheets(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One version of a bank with every family in each language, and a question taller than a page."""
    require_tool("pdflatex")
    require_tool("pdftotext")
    root = tmp_path_factory.mktemp("sheets")
    built = {}
    for lang in ("en", "it"):
        bank = write_bank(root / f"all-{lang}.yaml", lang=lang)
        built[lang] = {"out": _build(root, bank, lang, 1), "versions": exam_versions(load_bank(bank), 1, 2026, lang)}
    tall = root / "tall.yaml"
    tall.write_text("title: Tall\ncourse: DL\nlang: en\nentries:\n"
                    "  - {family: input-conv, difficulty: 2, points: 2, work: box 23cm}\n"
                    "  - {family: fc-fc, points: 1.5, work: lines 3}\n", encoding="utf-8")
    built["tall"] = {"out": _build(root / "t", tall, "en", 1), "versions": exam_versions(load_bank(tall), 1, 2026)}
    return built


def _pdfs(out: Path) -> list[Path]:
    return sorted(out.glob("*.pdf"))


def _check_pages(pdf: Path, lang: str) -> list[str]:
    """The pages that start inside a question without saying so (or say so wrongly); also returns labels."""
    word, continued = HEADING[lang]
    heading = re.compile(rf"^{word} (\d+)(?: \({continued}\))?")
    problems, labels = [], []
    last = 0
    for number, words in enumerate(pdf_words(pdf), start=1):
        body = body_lines(words)
        if not body:
            continue  # the blank page that makes the next version start on an odd page
        m = heading.match(body[0])
        if any(line.startswith(("Name and surname", "Nome e cognome", "Worked solutions:", "Soluzioni svolte:"))
               for line in body[:6]):
            last = 0  # a version's first page starts with its title
        elif m is None:
            problems.append(f"{pdf.name} page {number} starts with {body[0]!r}")
        elif f"({continued})" in body[0]:
            labels.append(body[0])
            if int(m.group(1)) != last:
                problems.append(f"{pdf.name} page {number} says {body[0]!r} after question {last}")
        for line in body:
            started = re.match(rf"^{word} (\d+)\b(?! \()", line)  # not the 1 of "15 (continued)"
            if started:
                last = int(started.group(1))
    return problems + [f"label: {x}" for x in labels]


def test_no_page_starts_inside_a_question_unless_it_says_so(sheets: dict) -> None:
    for lang in ("en", "it"):
        out = sheets[lang]["out"]
        for name in ("all-{}-exam.pdf", "all-{}-solutions.pdf"):
            found = _check_pages(out / name.format(lang), lang)
            assert [p for p in found if not p.startswith("label:")] == []
    # the exam sheets move every question whole; the worked solutions break between steps and say so
    assert not [p for p in _check_pages(sheets["en"]["out"] / "all-en-exam.pdf", "en") if p.startswith("label:")]
    assert [p for p in _check_pages(sheets["en"]["out"] / "all-en-solutions.pdf", "en") if p.startswith("label:")]


def test_a_question_taller_than_a_page_breaks_between_parts_and_says_continued(sheets: dict) -> None:
    pdf = sheets["tall"]["out"] / "tall-exam.pdf"
    found = _check_pages(pdf, "en")
    assert found == ["label: Question 1 (continued)"]
    pages = [body_lines(words) for words in pdf_words(pdf)]
    # page 2 goes on with the answers and the working box of question 1; question 2 follows whole
    assert pages[1][0] == "Question 1 (continued)" and "Working" in " ".join(pages[1])
    assert "Question 2" not in " ".join(pages[1]) and pages[2][0].startswith("Question 2 ")


def test_the_cover_shows_the_points_of_the_questions_and_their_total(sheets: dict) -> None:
    for key in ("en", "it", "tall"):
        out, versions = sheets[key]["out"], sheets[key]["versions"]
        lang = "it" if key == "it" else "en"
        pdf = next(p for p in _pdfs(out) if p.name.endswith("-exam.pdf"))
        pages = pdf_pages(pdf)
        cover = lines(pdf_words(pdf)[0])
        label = {"en": ("Question", "Points", "Total"), "it": ("Domanda", "Punti", "Totale")}[lang]
        # the table wraps into rows of questions: each row a line of numbers and a line of points
        numbers = [x for line in cover if re.fullmatch(rf"{label[0]}( \d+)+( {label[2]})?", line)
                   for x in line.split()[1:]]
        points = [x for line in cover if line.startswith(label[1] + " ") for x in line.split()[1:]]
        questions = versions[0].questions
        assert numbers == [str(q.number) for q in questions] + [label[2]]
        shown = [Fraction(x.replace(",", ".")) for x in points]
        assert shown[:-1] == [Fraction(q.points).limit_denominator(100) for q in questions]
        assert shown[-1] == sum(shown[:-1])
        # ... and each question's own heading says the same points
        text = " ".join(pages)
        unit = {"en": r"points?", "it": r"punt[oi]"}[lang]
        headed = [Fraction(x.replace(",", ".")) for x in re.findall(rf"\((\d+(?:[.,]\d+)?) {unit}\)", text)]
        assert headed == shown[:-1]


def test_nothing_sticks_out_of_the_text_width(sheets: dict) -> None:
    """Every word of every page lies between the margins (2 cm each side of A4), the cover's table included."""
    for key in ("en", "it", "tall"):
        for pdf in _pdfs(sheets[key]["out"]):
            for number, words in enumerate(pdf_words(pdf), start=1):
                out = [w.text for w in words if w.x0 < 54 or w.x1 > 541.5]
                assert not out, f"{pdf.name} page {number}: {out}"


def test_the_running_head_is_drawn_once_on_every_page(sheets: dict) -> None:
    for key in ("en", "it", "tall"):
        for pdf in _pdfs(sheets[key]["out"]):
            for number, words in enumerate(pdf_words(pdf), start=1):
                head = head_words(words)
                if not head:
                    continue  # blank filler page
                where = f"{pdf.name} page {number}"
                assert len(lines(head)) == 1, where
                for i, a in enumerate(head):
                    for b in head[i + 1:]:
                        assert a.x1 <= b.x0 or b.x1 <= a.x0, f"{where}: {a.text!r} overprints {b.text!r}"
                text = lines(head)[0]
                for word in ("Version", "Versione", "Answer key", "Griglia di correzione"):
                    assert len(re.findall(rf"\b{word}\b", text)) <= 1, where


def test_problem_ids_are_on_the_key_and_the_solutions(sheets: dict) -> None:
    for lang in ("en", "it"):
        out = sheets[lang]["out"]
        key = " ".join(pdf_pages(out / f"all-{lang}-key.pdf"))
        solutions = " ".join(pdf_pages(out / f"all-{lang}-solutions.pdf"))
        for q in sheets[lang]["versions"][0].questions:
            assert f"id {q.problem.id}" in key and f"id {q.problem.id}" in solutions, q.problem.id


def test_no_word_of_the_other_language_on_any_sheet(sheets: dict) -> None:
    for lang, foreign in (("en", ITALIAN), ("it", ENGLISH)):
        for pdf in _pdfs(sheets[lang]["out"]):
            text = " ".join(pdf_pages(pdf))
            for word in foreign:
                found = re.search(rf"(?<![\w’']){word}(?![\w’'])", text)
                assert found is None, f"{pdf.name}: {word!r} in ...{text[max(0, found.start() - 60):found.end() + 20]}"
            # one decimal mark: a comma in Italian, a point in English (thousands are thin spaces in both)
            other = r"\d\.\d" if lang == "it" else r"\d,\d"
            assert not re.search(other, text), (pdf.name, re.findall(rf".{{20}}{other}.{{10}}", text)[:3])


def test_multiple_choice_marks_sit_on_their_option_line(sheets: dict) -> None:
    for lang in ("en", "it"):
        pages = [lines(words) for words in pdf_words(sheets[lang]["out"] / f"all-{lang}-solutions.pdf")]
        marked = [line for page in pages for line in page if line[:1] in "✓×" and len(line) > 1]
        alone = [line for page in pages for line in page if line.strip() in ("✓", "×")]
        assert marked and not alone


def test_lang_without_the_bank_text_stops_naming_it(tmp_path: Path, capsys: pytest.CaptureFixture,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from quizgen.render import compile as latex_compile

    monkeypatch.setattr(latex_compile, "pdflatex", lambda: None)  # only the sources matter here
    bank = tmp_path / "b.yaml"
    bank.write_text('title: {it: "Esame di prova", en: "Trial exam"}\ncourse: {it: Reti, en: Networks}\nlang: it\n'
                    'duration: "90 minuti"\nentries:\n  - {family: fc-fc, name: {it: "Dallo FC", en: "From FC"}}\n',
                    encoding="utf-8")
    out = tmp_path / "o"
    code, _, err = run_cli(["exam", str(bank), "--lang", "en", "-o", str(out)], capsys)
    assert code == 2 and err.count("\n") == 1
    assert "'duration'" in err and "b.yaml:4" in err and "--allow-mixed-language" in err and not out.exists()
    code, _, err = run_cli(["exam", str(bank), "--lang", "en", "-o", str(out), "--allow-mixed-language"], capsys)
    assert code == 1, err  # no pdflatex here: the sources and the CSV are written
    source = (out / "b-exam.tex").read_text(encoding="utf-8")
    assert "Trial exam" in source and "Esame" not in source and "90 minuti" in source
    assert ",From FC,fc-fc," in (out / "b-grading.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("work, expected", [
    ("none", None), ("lines 4", r"\QGworklines{4}"), ("box 5cm", r"\QGworkbox{5cm}"), ("auto", r"\QGworkbox{"),
])
def test_working_space_follows_the_bank(tmp_path: Path, work: str, expected: str | None) -> None:
    from quizgen.render.latex import render_sources

    bank = load_bank(write_bank(tmp_path / "w.yaml", families=["input-conv", "concepts"], extra=(f"work: {work}",)))
    exam = render_sources(bank, exam_versions(bank, 1), "en", "").exam
    if expected is None:
        assert r"\QGwork" not in exam.split(r"\begin{document}")[1]
        assert "use the back of the sheet" in exam
    else:
        assert exam.count(expected) == 1  # the concepts question (options only) gets no working space
        assert "Write your working in the space under each question" in exam


@pytest.mark.parametrize("line, word", [
    ("work: lines", "lines N"), ("work: box 5", "box 4cm"), ("work: plenty", "work: none"), ("work: lines 99", "40"),
    ("work: box 30cm", "at most 23 cm"),
])
def test_a_bad_working_space_is_a_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture, line: str,
                                                 word: str) -> None:
    bank = write_bank(tmp_path / "w.yaml", families=["input-conv"], extra=(line,))
    code, _, err = run_cli(["exam", str(bank), "-o", str(tmp_path / "o")], capsys)
    assert code == 2 and err.count("\n") == 1 and "w.yaml:6" in err and word in err


def test_setup_checks_every_latex_package_the_templates_load(tmp_path: Path) -> None:
    import subprocess

    require_tool("kpsewhich")
    root = Path(__file__).resolve().parents[2]
    script = root / "scripts" / "check-latex.sh"
    listed = subprocess.run(["bash", str(script), "--list"], capture_output=True, text=True, check=True).stdout.split()
    used = set()
    for template in (root / "templates" / "exam").glob("*.tex.j2"):
        for group in re.findall(r"^[^%]*\\usepackage(?:\[[^]]*\])?\{([^}]*)\}", template.read_text(), flags=re.M):
            used |= {f"{name.strip()}.sty" for name in group.split(",")}
    assert used <= set(listed) and {"lmodern.sty", "pdfpages.sty", "italian.ldf"} <= set(listed)
    assert subprocess.run(["bash", str(script)], capture_output=True, text=True).returncode == 0
    # a TeX Live without lmodern: the check names it and fails
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "kpsewhich").write_text('#!/bin/sh\n[ "$1" = lmodern.sty ] && exit 1\nexec kpsewhich-real "$@"\n')
    (fake / "kpsewhich").chmod(0o755)
    (fake / "kpsewhich-real").symlink_to(require_tool("kpsewhich"))
    import os

    env = dict(os.environ, PATH=f"{fake}:{os.environ['PATH']}")
    done = subprocess.run(["bash", str(script)], capture_output=True, text=True, env=env)
    assert done.returncode == 1 and "lmodern.sty" in done.stderr and "tikz.sty" not in done.stderr


def test_a_question_comparing_two_designs_draws_both() -> None:
    from quizgen.problems import generate
    from quizgen.render.latex import _diagram

    problem = generate("one-by-one", seed=5, difficulty=2, lang="it")
    assert problem.extra_networks
    drawn = _diagram(problem)
    assert drawn.count(r"\begin{tikzpicture}") == 1 + len(problem.extra_networks)
    for network in (problem.network, *problem.extra_networks):
        assert network.title and network.title.split()[0] in drawn
