"""Shuffled versions on paper: the key and the grading CSV say where each question and option came from."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from quizgen.bank.draw import exam_versions
from quizgen.bank.load import load_bank
from quizgen.render.csvkey import grading_csv
from quizgen.render.latex import render_sources
from tests.conftest import require_tool
from tests.render.exam_helpers import pdf_pages

BANK = """title: Shuffled
lang: en
seed: 4
shuffle: [questions, options]
entries:
  - {family: input-conv, difficulty: 1}
  - {family: fc-fc, difficulty: 1}
  - {family: concepts, difficulty: 1, params: {kind: single}}
"""


def _bank(tmp_path: Path):  # noqa: ANN202
    path = tmp_path / "shuffled.yaml"
    path.write_text(BANK, encoding="utf-8")
    return load_bank(path)


def test_the_csv_records_the_bank_order_and_the_options_order(tmp_path: Path) -> None:
    bank = _bank(tmp_path)
    versions = exam_versions(bank, 4)
    rows = list(csv.DictReader(io.StringIO(grading_csv(versions))))
    for v in versions:
        for q in v.questions:
            mine = [r for r in rows if (r["version"], r["question"]) == (v.code, str(q.number))]
            assert {r["bank_question"] for r in mine} == {str(q.bank_number)}
            if q.problem.choices:
                (choice,) = [r for r in mine if r["key"] == "choice"]
                assert choice["options"] == ";".join(chr(ord("A") + i) for i in q.options)
                assert choice["correct"] == chr(ord("A") + next(i for i, c in enumerate(q.problem.choices)
                                                                if c.correct))
    assert {r["options"] for r in rows if r["key"] == "choice"} - {"A;B;C;D;E"}, "some version reorders options"
    assert {r["question"] for r in rows if r["bank_question"] != r["question"]}, "some version reorders questions"


def test_the_key_says_where_a_moved_question_came_from(tmp_path: Path) -> None:
    require_tool("pdflatex")
    from quizgen.render.compile import Job, run_all

    bank = _bank(tmp_path)
    versions = exam_versions(bank, 4)
    sources = render_sources(bank, versions, "en", "")
    (tmp_path / "key.tex").write_text(sources.key, encoding="utf-8")
    run_all([Job("key", "key.tex")], tmp_path, 1)
    key = " ".join(pdf_pages(tmp_path / "key.pdf")).replace("\u2019", "'")
    moved = [q for v in versions for q in v.questions if q.bank_number != q.number]
    assert moved and all(f"question {q.bank_number} in the bank's order" in key for q in moved)
    reordered = [q for v in versions for q in v.questions if q.options and q.options != tuple(range(len(q.options)))]
    assert reordered and all("options " + ", ".join(chr(ord("A") + i) for i in q.options) + " of the id" in key
                             for q in reordered)
    (tmp_path / "plain.yaml").write_text(BANK.replace("shuffle: [questions, options]\n", ""), encoding="utf-8")
    plain = load_bank(tmp_path / "plain.yaml")
    assert "bank's order" not in render_sources(plain, exam_versions(plain, 4), "en", "").key
