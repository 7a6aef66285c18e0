"""The check every problem passes before anything renders it.

Each numeric part must carry the engine's Quantity whose sympy formula, evaluated exactly, gives
the part's answer; distractors must differ from the answer and from one another and name a known
misconception; a choice question needs at least one correct option and feedback on every option.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from quizgen.errors import InternalError
from quizgen.nets import formulas
from quizgen.problems.measures import engine_lookup, evaluate
from quizgen.problems.misconceptions import CATALOGUE
from quizgen.problems.model import INSTRUCTOR, Part, Problem


def _exact(value: object) -> int | Fraction:
    """ints and Fractions as they are (they compare exactly with each other), anything else as a Fraction."""
    return value if type(value) is int or type(value) is Fraction else Fraction(value)


def verify_problem(problem: Problem, where: str = "") -> Problem:
    """Raise InternalError naming the problem (``where``, else its id) and part on any inconsistency; return it."""
    where = where or problem.id or problem.family
    if not problem.parts and not problem.choices:
        raise InternalError(f"{where}: no parts and no choices")
    lookup = None
    if problem.network is not None:
        lookup = engine_lookup((problem.network, *problem.extra_networks))
    for part in problem.parts:
        if lookup is not None:
            if not part.measure:
                raise InternalError(f"{where} part {part.key}: the problem has a network but the part has no measure")
            measured = evaluate(part.measure, lookup)
            if _exact(measured) != _exact(part.answer):
                raise InternalError(f"{where} part {part.key}: answer {part.answer} but {part.measure} on the network "
                                    f"is {measured}")
        _check_part(part, where)
    if problem.choices:
        if not any(c.correct for c in problem.choices):
            raise InternalError(f"{where}: no correct option")
        if not problem.multiple and sum(c.correct for c in problem.choices) != 1:
            raise InternalError(f"{where}: a single-answer question with several correct options")
        if any(not c.feedback.strip() or not c.text.strip() for c in problem.choices):
            raise InternalError(f"{where}: an option without text or feedback")
        texts = [c.text for c in problem.choices]
        if len(set(texts)) != len(texts):
            raise InternalError(f"{where}: two options with the same text")
        for c in problem.choices:
            if c.measure is not None and (lookup is None or _exact(evaluate(c.measure, lookup)) != _exact(c.value)):
                raise InternalError(f"{where}: option {c.text} shows {c.value}, but {c.measure} on the network is "
                                    f"{evaluate(c.measure, lookup) if lookup is not None else 'not given'}")
    if not problem.stem.strip():
        raise InternalError(f"{where}: empty stem")
    return problem


def _check_part(part: Part, where: str) -> None:
    """The part's own invariants (its formula, its answer, its distractors), which do not depend on the network."""
    if part.quantity is None:
        raise InternalError(f"{where} part {part.key}: no formula behind the answer")
    try:
        formulas.check(part.quantity, where)
    except InternalError as exc:  # named with the part here, not formatted for every part that passes
        raise InternalError(f"{where} part {part.key}: {str(exc).removeprefix(where + ': ')}") from None
    answer = _exact(part.answer)
    if _exact(part.quantity.value) != answer:
        raise InternalError(f"{where} part {part.key}: answer {part.answer} but its formula gives "
                            f"{part.quantity.value}")
    if part.distractors:
        _check_distractors(part, answer, where, CATALOGUE)


def _check_distractors(part: Part, answer: int | Fraction, where: str, catalogue: Mapping[str, object]) -> None:
    """Distractors differ from the answer (beyond the tolerance) and from one another, name a known
    misconception and carry feedback."""
    seen: set[int | Fraction] = set()
    tolerance = _exact(part.tolerance)
    for d in part.distractors:
        value = d.value if type(d.value) is int else _exact(d.value)
        if d.misconception not in catalogue and not d.misconception.startswith(INSTRUCTOR):
            raise InternalError(f"{where} part {part.key}: distractor {d.value} names unknown misconception "
                                f"{d.misconception}")
        if abs(value - answer) <= tolerance:
            raise InternalError(f"{where} part {part.key}: distractor {d.value} ({d.misconception}) equals the answer")
        if value in seen:
            raise InternalError(f"{where} part {part.key}: distractor {d.value} appears twice")
        if not d.feedback.strip():
            raise InternalError(f"{where} part {part.key}: distractor {d.value} has no feedback")
        seen.add(value)
