"""The grading CSV: one row per answer of every version, for graders and spreadsheets.

Columns: version, question, part, key, correct value, tolerance, unit, points, then each distractor
as a (value, misconception id) pair of columns. A multiple-choice question has one row whose value
is the correct option letters (``B`` or ``A;C``) and whose distractors are the wrong letters.
Values are plain numbers with a '.' decimal point, exactly as the engine gave them.
"""

from __future__ import annotations

import csv
import io
from fractions import Fraction

from quizgen.bank.load import ExamVersion
from quizgen.problems.model import Number
from quizgen.render.latex import choice_points, letters, part_points, points_text

HEADER = ("version", "question", "part", "key", "correct", "tolerance", "unit", "points")


def plain_number(value: Number, decimals: int = 0) -> str:
    """A value as spreadsheets read it: ``34944``, ``0.25`` (exact fractions rounded to ``decimals``)."""
    if isinstance(value, Fraction) and value.denominator != 1:
        places = decimals or 6
        return f"{float(round(value, places)):.{places}f}"
    return str(int(value)) if not decimals else f"{int(value)}.{'0' * decimals}"


def grading_csv(versions: list[ExamVersion]) -> str:
    """The CSV text (RFC 4180, '\\n' line ends, deterministic)."""
    rows: list[list[str]] = []
    for version in versions:
        for question in version.questions:
            problem = question.problem
            share = points_text(part_points(question))
            for part, letter in zip(problem.parts, letters(len(problem.parts)), strict=True):
                row = [version.code, str(question.number), letter, part.key,
                       plain_number(part.answer, part.decimals),
                       plain_number(part.tolerance, part.decimals) if part.tolerance else "0",
                       part.unit, share]
                for d in part.distractors:
                    row += [plain_number(d.value, part.decimals), d.misconception]
                rows.append(row)
            if problem.choices:
                names = [chr(ord("A") + i) for i in range(len(problem.choices))]
                correct = ";".join(n for n, c in zip(names, problem.choices, strict=True) if c.correct)
                row = [version.code, str(question.number), letters(len(problem.parts) + 1)[-1], "choice",
                       correct, "0", "", points_text(choice_points(question))]
                for n, c in zip(names, problem.choices, strict=True):
                    if not c.correct:
                        row += [n, c.misconception or ""]
                rows.append(row)
    pairs = max([(len(r) - len(HEADER)) // 2 for r in rows] + [0])
    header = list(HEADER)
    for i in range(1, pairs + 1):
        header += [f"distractor_{i}", f"misconception_{i}"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(row + [""] * (len(header) - len(row)))
    return out.getvalue()
