"""Points: what each answer of a question is worth, and how a multiple-answer question is scored.

A bank entry gives its points as one number (the question's points, split over its answers) or as a
list with one number per answer (``points: [1, 1, 2]``), in whole points or halves; without points,
each answer is worth one point. The split of one
number gives whole points when there are at least as many points as answers and halves otherwise,
the first answers taking the larger shares, so that the shares always add up to the number exactly.
A question's answers are its numeric parts, then its option choice if it has one.

Multiple-answer scoring (``scoring``), the same on the exam sheet, in the CSV and in Moodle:

- ``per-option``: each correct option ticked earns 1/c of the points, each wrong option ticked takes
  away 1/w of them (c correct and w wrong options), never below 0; ticking every option earns 0.
  This is Moodle's multiple-answer rule with fractions 100/c % and −100/w %.
- ``all-or-nothing``: the points only when exactly the correct options are ticked.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from quizgen.errors import QuizgenError

SCORING = ("per-option", "all-or-nothing")
HALF = Fraction(1, 2)


def is_halves(value: Fraction) -> bool:
    """True for a positive whole number of points or of half points."""
    return value > 0 and (value * 2).denominator == 1


def split_points(total: Fraction, n: int) -> tuple[Fraction, ...]:
    """``total`` points over ``n`` answers: whole points when ``total >= n``, else halves; the shares sum to ``total``.

    ValueError when ``total`` is less than half a point per answer.
    """
    if n < 1:
        raise ValueError("no answers to give points to")
    unit = Fraction(1) if total >= n and total.denominator == 1 else HALF
    units = total / unit
    if units.denominator != 1 or units < n:
        raise ValueError(f"{total} points cannot be split over {n} answers in whole or half points")
    base, extra = divmod(int(units), n)
    return tuple((base + (1 if i < extra else 0)) * unit for i in range(n))


def answer_count(problem: Any) -> int:
    """How many answers a problem asks for: its numeric parts, and its option choice if it has one."""
    return len(problem.parts) + (1 if problem.choices else 0)


def question_points(entry: Any, problem: Any) -> tuple[Fraction, ...]:
    """The points of each answer of ``problem`` (parts first, then the choice) as the bank ``entry`` sets them."""
    n = answer_count(problem)
    given = getattr(entry, "part_points", ())
    if given:
        if len(given) != n:
            raise QuizgenError(
                f"points are given for {len(given)} answers but its questions ask for {n}",
                fix=f"give {n} numbers (e.g. points: [{', '.join(['1'] * n)}]) or one number for the whole question")
        return tuple(given)
    if entry.points is None:
        return (Fraction(1),) * n
    total = Fraction(entry.points).limit_denominator(2)
    try:
        return split_points(total, n)
    except ValueError:
        raise QuizgenError(
            f"{entry.points:g} points cannot be split over questions with {n} answers in whole or half points",
            fix=f"give at least {n / 2:g} points (half a point per answer) or one number per answer") from None


def points_of(entry: Any, problem: Any) -> float:
    """A question's points: the sum of its answers' points."""
    return float(sum(question_points(entry, problem)))


def choice_score(correct: tuple[bool, ...], ticked: tuple[bool, ...], scoring: str) -> Fraction:
    """The share (0 to 1) of a multiple-answer question's points that ``ticked`` options earn under ``scoring``."""
    if scoring == "all-or-nothing":
        return Fraction(1) if ticked == correct else Fraction(0)
    right = sum(correct)
    wrong = len(correct) - right
    score = Fraction(0)
    for ok, tick in zip(correct, ticked, strict=True):
        if tick:
            score += Fraction(1, right) if ok else -Fraction(1, wrong)
    return min(Fraction(1), max(Fraction(0), score))


def scoring_note(lang: str, scoring: str) -> str:
    """The sentence that tells students how a multiple-answer question is marked (rich text)."""
    from quizgen.text.templating import text

    return text(lang, "scoring_" + scoring.replace("-", "_"))
