"""Number conventions of the problem's language, applied to every text a student reads.

Generators write decimals with a point; Italian writes them with a comma (``8,55 MB``,
``86{,}03\\,\\%`` in math). Answers themselves stay exact numbers: this only touches text.
"""

from __future__ import annotations

from dataclasses import replace

from quizgen.problems.model import Distractor, Part, Problem, Step, Table
from quizgen.text.numbers import DECIMAL_COMMA_LANGS
from quizgen.text.richtext import DECIMAL_POINT, decimal_comma, math_decimal_comma


def _texts(problem: Problem) -> list[str]:
    texts = [problem.stem, problem.title, problem.hint]
    for p in problem.parts:
        texts.append(p.label)
        texts.extend(d.feedback for d in p.distractors)
    for c in problem.choices:
        texts += [c.text, c.feedback]
    for step in problem.solution:
        texts += [step.text, step.math]
    if problem.table is not None:
        texts.append(problem.table.caption)
        texts.extend(cell for row in problem.table.rows for cell in row)
    return texts


def _comma(text: str) -> str:
    """Rich text with decimal commas; the very same string when it has no decimal point."""
    return decimal_comma(text) if DECIMAL_POINT.search(text) else text


def _math_comma(math: str) -> str:
    return math_decimal_comma(math) if DECIMAL_POINT.search(math) else math


def _distractor(d: Distractor) -> Distractor:
    feedback = _comma(d.feedback)
    return d if feedback is d.feedback else Distractor(d.value, d.misconception, feedback)


def _part(p: Part) -> Part:
    # a problem with decimals usually has them in one or two parts: the others are kept as they are
    label = _comma(p.label)
    distractors = tuple(map(_distractor, p.distractors))
    if label is p.label and all(new is old for new, old in zip(distractors, p.distractors, strict=True)):
        return p
    return replace(p, label=label, distractors=distractors)


def _step(s: Step) -> Step:
    text, math = _comma(s.text), _math_comma(s.math)
    return s if text is s.text and math is s.math else Step(text, math)


def localize(problem: Problem, lang: str | None = None) -> Problem:
    """The problem with its text in the number convention of ``lang`` (default: its own; unchanged for English)."""
    if (lang or problem.lang) not in DECIMAL_COMMA_LANGS:
        return problem
    if not DECIMAL_POINT.search("\x00".join(_texts(problem))):
        return problem  # most problems print whole numbers only: nothing to rebuild
    f = _comma
    parts = tuple(map(_part, problem.parts))
    choices = tuple(replace(c, text=f(c.text), feedback=f(c.feedback)) for c in problem.choices)
    solution = tuple(map(_step, problem.solution))
    table = problem.table
    if table is not None:
        table = Table(table.columns, tuple(tuple(f(cell) for cell in row) for row in table.rows), table.blanks,
                      f(table.caption))
    return replace(problem, stem=f(problem.stem), title=f(problem.title), hint=f(problem.hint), parts=parts,
                   choices=choices, solution=solution, table=table)
