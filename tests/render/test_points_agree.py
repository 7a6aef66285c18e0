"""Points and tolerances agree across outputs: the exam's versions, the grading CSV and Moodle's marks.

Moodle's rules as its code applies them: a numerical or multiple-choice question's mark is its
``defaultgrade``; a Cloze question's mark is the sum of its gaps' weights (``{N:NUMERICAL:...}``,
qtype_multianswer_extract_question), whole numbers; a multiple-answer question adds the fractions of
the ticked options and clamps the sum to 0..100 %.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from fractions import Fraction

import pytest
from lxml import etree

from quizgen.bank.draw import categories as collect
from quizgen.bank.draw import exam_versions
from quizgen.bank.load import load_bank
from quizgen.bank.points import question_points
from quizgen.render.csvkey import grading_csv
from quizgen.render.moodle import moodle_xml

BANK = """title: Points
seed: 5
tolerance: 5
entries:
  - {family: input-conv, difficulty: 1, points: [1, 0.5, 1.5]}
  - {family: conv-conv, difficulty: 2, points: 2}
  - {family: fc-fc, difficulty: 1, tolerance: 0}
  - {family: concepts, params: {topic: gpu-memory, kind: multiple}, points: 2}
  - {family: memory, difficulty: 2, points: 3}
"""
GAP_WEIGHT = re.compile(r"\{([0-9]*):NUMERICAL:")


@pytest.fixture(scope="module")
def banks(tmp_path_factory: pytest.TempPathFactory) -> list:
    path = tmp_path_factory.mktemp("points") / "points.yaml"
    path.write_text(BANK, encoding="utf-8")
    return [load_bank("lecture"), load_bank(path)]


def _csv_points(text: str) -> dict[tuple[str, str], Fraction]:
    totals: dict[tuple[str, str], Fraction] = defaultdict(Fraction)
    for row in csv.DictReader(io.StringIO(text)):
        totals[row["version"], row["question"]] += Fraction(row["points"])
    return totals


def test_the_csv_points_add_up_to_each_question_and_to_the_cover_totals(banks: list) -> None:
    for bank in banks:
        versions = exam_versions(bank, 3)
        per_question = _csv_points(grading_csv(versions))
        for v in versions:
            for q in v.questions:
                assert per_question[v.code, str(q.number)] == Fraction(q.points)
                assert all((2 * p).denominator == 1 for p in question_points(q.entry, q.problem))  # halves at most
            assert sum(per_question[v.code, str(q.number)] for q in v.questions) == Fraction(v.points)
    lecture = exam_versions(banks[0], 1)[0]
    assert lecture.points == 41  # every part of the lecture bank is worth whole points


def test_the_bank_tolerance_is_in_the_csv_as_in_moodle(banks: list) -> None:
    versions = exam_versions(banks[1], 2)
    rows = list(csv.DictReader(io.StringIO(grading_csv(versions))))
    by_family = defaultdict(set)
    for v in versions:
        for q in v.questions:
            for row in rows:
                if (row["version"], row["question"]) == (v.code, str(q.number)) and row["key"] != "choice":
                    by_family[q.problem.family].add(Fraction(row["tolerance"]))
    assert by_family["input-conv"] == by_family["conv-conv"] == {5}  # the bank's
    assert by_family["fc-fc"] == {0}  # the entry's own
    data = moodle_xml(collect(banks[1], 2, None, None))
    tolerances = {Fraction(t) for t in re.findall(r"=[0-9.]+:([0-9.]+)#", data.decode())}
    assert 5 in tolerances and 0 in tolerances


def _mark(q: etree._Element) -> Fraction:
    if q.get("type") == "cloze":
        return Fraction(sum(int(w or 1) for w in GAP_WEIGHT.findall(q.findtext("questiontext/text"))))
    return Fraction(q.findtext("defaultgrade"))


def test_every_moodle_question_is_marked_with_its_entry_points(banks: list) -> None:
    for bank in banks:
        categories = collect(bank, 3, None, None)
        root = etree.fromstring(moodle_xml(categories))
        questions = iter(q for q in root.findall("question") if q.get("type") != "category")
        for entry, cat in zip(bank.entries, categories, strict=True):  # one category per entry, in order
            for item in cat.items:
                q = next(questions)
                points = question_points(entry, item.problem)
                if entry.points is not None:
                    assert sum(points) == Fraction(entry.points)
                if q.get("type") != "cloze":
                    assert _mark(q) == sum(points)
                    continue
                weights = [int(w) for w in GAP_WEIGHT.findall(q.findtext("questiontext/text"))]
                halves = any(p.denominator != 1 for p in points)
                # the weights are the parts' points, doubled when one of them is a half (Moodle's are whole)
                assert sorted(Fraction(w, 2 if halves else 1) for w in weights) == sorted(points)
                assert _mark(q) == sum(points) * (2 if halves else 1)
        assert next(questions, None) is None


def test_ticking_every_option_of_a_multiple_answer_question_scores_below_full_marks(banks: list) -> None:
    for bank in banks:
        root = etree.fromstring(moodle_xml(collect(bank, 5, None, None)))
        multiple = [q for q in root.findall("question") if q.get("type") == "multichoice"
                    and q.findtext("single") == "false"]
        assert multiple
        for q in multiple:
            fractions = [Fraction(a.get("fraction")) for a in q.findall("answer")]
            everything = min(max(sum(fractions), Fraction(0)), Fraction(100))  # Moodle's rule
            assert everything < 100
            right_only = sum(f for f in fractions if f > 0)
            assert abs(right_only - 100) < Fraction(1, 1000)
            text = q.findtext("questiontext/text")
            assert "equal share" in text or "parte uguale" in text  # the rule is stated with the question
