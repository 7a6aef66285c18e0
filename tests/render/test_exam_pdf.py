"""quizgen exam end to end: real pdflatex, text read back with pdftotext, compared with the problems."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from quizgen.bank.draw import exam_versions
from quizgen.bank.load import load_bank
from quizgen.text.richtext import to_plain
from tests.conftest import require_tool
from tests.render.exam_helpers import normalize, pdf_pages, plain_answer, run_cli, write_bank

N = 2


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Two versions of a bank with every family, split, compiled once for the whole module."""
    require_tool("pdflatex")
    require_tool("pdftotext")
    root = tmp_path_factory.mktemp("exam")
    bank = write_bank(root / "allfam.yaml", title="Test 50% & more_#1 {x} ~ $5 \\ end")
    out = root / "out"
    import contextlib
    import sys

    from quizgen.commands.cli import main

    stdout, stderr = io.StringIO(), io.StringIO()
    args = ["quizgen", "exam", str(bank), "-n", str(N), "--seed", "2026", "-o", str(out), "--split", "--jobs", "2"]
    code = 0
    with pytest.MonkeyPatch.context() as mp:
        # one version per slice: the exam is compiled in slices and joined, as for a large class
        mp.setattr("quizgen.render.exam.SLICE_VERSIONS", 1)
        mp.setattr(sys, "argv", args)
        try:
            with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
                main()
        except SystemExit as exc:
            code = exc.code or 0
    assert code == 0, stderr.getvalue()
    versions = exam_versions(load_bank(bank), N, 2026, "en")
    return {"out": out, "bank": bank, "versions": versions, "stdout": stdout.getvalue()}


def _version_pages(pages: list[str]) -> dict[str, list[str]]:
    """Version code -> its pages, from the header every page carries."""
    by_code: dict[str, list[str]] = {}
    for text in pages:
        m = re.search(r"Version (V\d+)", text)
        if m:
            by_code.setdefault(m.group(1), []).append(text)
    return by_code


def test_every_file_is_written(built: dict) -> None:
    out: Path = built["out"]
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(["allfam-exam.pdf", "allfam-exam.tex", "allfam-key.pdf", "allfam-key.tex",
                            "allfam-solutions.pdf", "allfam-solutions.tex", "allfam-grading.csv",
                            *(f"allfam-V{i:02d}.pdf" for i in range(1, N + 1))])


def test_each_version_starts_on_an_odd_page_with_page_x_of_y(built: dict) -> None:
    pages = pdf_pages(built["out"] / "allfam-exam.pdf")
    assert len(pages) % 2 == 0
    starts = [i for i, text in enumerate(pages, start=1) if "Name and surname" in text]
    assert len(starts) == N
    assert all(s % 2 == 1 for s in starts)
    for start, version in zip(starts, built["versions"], strict=True):
        first = pages[start - 1]
        assert f"Version {version.code}" in first
        total = int(re.search(r"Page 1 of (\d+)", first).group(1))
        for k in range(1, total + 1):
            assert f"Page {k} of {total}" in pages[start - 2 + k]
            assert "Deep Learning" in pages[start - 2 + k] and version.code in pages[start - 2 + k]
        split = pdf_pages(built["out"] / f"allfam-{version.code}.pdf")
        assert len(split) == total and split == pages[start - 1:start - 1 + total]


def test_bank_text_prints_as_itself(built: dict) -> None:
    first = pdf_pages(built["out"] / "allfam-exam.pdf")[0]
    assert "Test 50% & more_#1 {x} ~ $5 \\ end" in first


def test_exam_shows_each_version_its_own_problem_numbers(built: dict) -> None:
    by_code = _version_pages(pdf_pages(built["out"] / "allfam-exam.pdf"))
    for version in built["versions"]:
        text = normalize(" ".join(by_code[version.code]))
        assert "Total" in text
        for q in version.questions:
            numbers = re.findall(r"\d{2,}", normalize(to_plain(q.problem.stem)).replace("\u202f", ""))
            for number in numbers:
                assert number in text.replace(" ", ""), (version.code, q.number, number)


def test_two_versions_differ(built: dict) -> None:
    by_code = _version_pages(pdf_pages(built["out"] / "allfam-exam.pdf"))
    a, b = (re.sub(r"V\d+", "", " ".join(by_code[v.code])) for v in built["versions"][:2])
    assert a != b


def test_key_lists_every_answer_in_order(built: dict) -> None:
    text = " ".join(pdf_pages(built["out"] / "allfam-key.pdf")).replace(" ", "")
    for version in built["versions"]:
        start = text.index(f"Version{version.code}")
        position = start
        for q in version.questions:
            for part in q.problem.parts:
                found = text.find(plain_answer(part.answer, part.decimals), position)
                assert found >= 0, (version.code, q.number, part.key, plain_answer(part.answer, part.decimals))
                position = found
            if q.problem.choices:
                correct = ", ".join(chr(65 + i) for i, c in enumerate(q.problem.choices) if c.correct)
                assert text.find(correct.replace(" ", ""), position) >= 0


def test_solutions_show_every_answer_of_their_version(built: dict) -> None:
    pages = pdf_pages(built["out"] / "allfam-solutions.pdf")
    by_code = {}
    for text in pages:
        m = re.search(r"Version (V\d+)", text)
        if m is None:
            assert not text.strip()  # the blank page that makes the next version start on an odd page
            continue
        by_code.setdefault(m.group(1), []).append(text)
    for version in built["versions"]:
        text = " ".join(by_code[version.code]).replace(" ", "")
        for q in version.questions:
            for part in q.problem.parts:
                assert plain_answer(part.answer, part.decimals) in text, (version.code, q.number, part.key)


def test_grading_csv_matches_the_problems(built: dict) -> None:
    rows = list(csv.DictReader(io.StringIO((built["out"] / "allfam-grading.csv").read_text(encoding="utf-8"))))
    expected = []
    for version in built["versions"]:
        for q in version.questions:
            for part in q.problem.parts:
                expected.append((version.code, str(q.number), part.key))
            if q.problem.choices:
                expected.append((version.code, str(q.number), "choice"))
    assert [(r["version"], r["question"], r["key"]) for r in rows] == expected
    index = 0
    for version in built["versions"]:
        for q in version.questions:
            for part in q.problem.parts:
                row = rows[index]
                index += 1
                assert row["correct"] == plain_answer(part.answer, part.decimals)
                # every row says where it comes from: quizgen sample --id regenerates the question
                assert (row["entry"], row["family"], row["id"]) == (q.entry.name, q.problem.family, q.problem.id)
                got = [(row[f"distractor_{i}"], row[f"misconception_{i}"]) for i in range(1, len(part.distractors) + 1)]
                assert got == [(plain_answer(d.value, part.decimals), d.misconception) for d in part.distractors]
            index += bool(q.problem.choices)


def test_same_bank_and_seed_give_identical_files(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    require_tool("pdflatex")
    bank = write_bank(tmp_path / "small.yaml", families=["input-conv"])
    outs = [tmp_path / "a", tmp_path / "b"]
    for out, jobs in zip(outs, ("1", "2"), strict=True):
        code, _, err = run_cli(["exam", str(bank), "-n", "2", "-o", str(out), "--split", "--jobs", jobs], capsys)
        assert code == 0, err
    for path in sorted(outs[0].iterdir()):
        assert (outs[1] / path.name).read_bytes() == path.read_bytes(), path.name


def test_every_page_of_every_pdf_is_a4(built: dict) -> None:
    """Joined slices and split versions keep the sheets' A4 pages (not shrunk onto another paper)."""
    import subprocess

    for pdf in sorted(built["out"].glob("*.pdf")):
        info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True,
                              check=True).stdout
        found = re.findall(r"Page +\d+ size: +([\d.]+) x ([\d.]+)", info)
        sizes = {(round(float(w)), round(float(h))) for w, h in found}
        assert sizes == {(595, 842)}, (pdf.name, sizes)


def test_key_starts_its_first_version_on_the_first_page(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """A version grid just short of a page stays under the key's title (it once left page 1 with the title
    alone), and every page of the key carries answer rows, each version heading followed by its grid."""
    require_tool("pdflatex")
    require_tool("pdftotext")
    out = tmp_path / "out"
    code, _, err = run_cli(["exam", "lecture", "-n", "4", "--seed", "2026", "-o", str(out), "--lang", "en"], capsys)
    assert code == 0, err
    pages = pdf_pages(out / "lecture-key.pdf")
    assert "Version V01" in pages[0]
    for number, text in enumerate(pages, 1):
        assert re.search(r"\bid \w", text), f"page {number} of the key has no answer rows"
        for m in re.finditer(r"Version V\d+", text):
            assert re.search(r"\(a\)", text[m.end():]), f"page {number}: {m.group()} ends the page alone"
