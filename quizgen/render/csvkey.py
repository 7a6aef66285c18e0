"""The grading CSV: one row per answer of every version, for graders and spreadsheets.

Columns: version, question, part, key, correct value, tolerance, unit, points, scoring, the entry's
name, the family and the problem id (``quizgen sample --id ID`` regenerates the question), the question's
number in the bank's order and, on a choice row, the printed options as the id's letters (``C;A;B``: they
differ from ``A;B;C`` when the bank shuffles options, ``quizgen.bank.draw``), then each
distractor as a (value, misconception id) pair of columns. A multiple-choice question has one row whose
value is the correct option letters (``B`` or ``A;C``), whose distractors are the wrong letters and whose
scoring says how ticks are marked: ``single`` (one option), ``per-option`` or ``all-or-nothing``
(``quizgen.bank.points``). The tolerance is the one every output grades with (``key_tolerance``).
Values are plain numbers with a '.' decimal point, exactly as the engine gave them.
"""

from __future__ import annotations

import csv
import io

from quizgen.bank.draw import ExamVersion
from quizgen.problems import precision
from quizgen.render.latex import choice_points, key_tolerance, letters, part_points
from quizgen.text import numbers

HEADER = ("version", "question", "part", "key", "correct", "tolerance", "unit", "points", "scoring", "entry", "family",
          "id", "bank_question", "options")


def grading_csv(versions: list[ExamVersion]) -> str:
    """The CSV text (RFC 4180, '\\n' line ends, deterministic)."""
    rows: list[list[str]] = []
    for version in versions:
        for question in version.questions:
            problem = question.problem
            shares = part_points(question)
            trace = [question.entry.name, problem.family, problem.id, str(question.bank_number or question.number)]
            for part, letter, share in zip(problem.parts, letters(len(problem.parts)), shares, strict=True):
                row = [version.code, str(question.number), letter, part.key,
                       numbers.fixed(part.answer, part.decimals),
                       numbers.tolerance(key_tolerance(question, part)),
                       part.unit, numbers.points(share), "", *trace, ""]
                for d in precision.offered(part, key_tolerance(question, part)):
                    row += [numbers.fixed(d.value, part.decimals), d.misconception]
                rows.append(row)
            if problem.choices:
                names = [chr(ord("A") + i) for i in range(len(problem.choices))]
                correct = ";".join(n for n, c in zip(names, problem.choices, strict=True) if c.correct)
                row = [version.code, str(question.number), letters(len(problem.parts) + 1)[-1], "choice",
                       correct, "0", "", numbers.points(choice_points(question)),
                       question.entry.scoring if problem.multiple else "single", *trace,
                       ";".join(chr(ord("A") + i) for i in question.options or range(len(problem.choices)))]
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
