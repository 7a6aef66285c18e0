"""Small pieces every family uses: its template blocks, parts from engine quantities, re-draws."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any, TypeVar

from quizgen.errors import InternalError
from quizgen.nets.formulas import Quantity
from quizgen.problems import misconceptions
from quizgen.problems.measures import Measure
from quizgen.problems.model import Number, Part, Step
from quizgen.problems.steps import steps_latex
from quizgen.text.templating import render_block_context

T = TypeVar("T")


class Text:
    """The named blocks of one family's template in one language: ``t("stem", N=6)``."""

    def __init__(self, family_id: str, lang: str) -> None:
        self.path = f"problems/{family_id}/{lang}.j2"
        self.lang = lang

    def __call__(self, block: str, **context: Any) -> str:
        return render_block_context(self.path, block, context)


def numeric_part(
    key: str,
    label: str,
    quantity: Quantity,
    kind: str,
    context: dict[str, Any],
    lang: str,
    *,
    unit: str = "",
    tolerance: Number = 0,
    decimals: int = 0,
    only: tuple[str, ...] | None = None,
    extra: tuple[tuple[str, Number | None], ...] = (),
    measure: Measure | None = None,
    defining: tuple[str, ...] = (),
) -> Part:
    """A Part whose answer is the quantity's value, with the catalogue's distractors for ``kind``.

    ``context`` names the facts the misconceptions read (the fields of ``misconceptions.Context``: a name it does
    not declare is a TypeError). ``defining``: the family's defining misconceptions, kept farther from the answer
    (``misconceptions.distractors``).
    """
    answer = quantity.value
    found = misconceptions.distractors(kind, answer, misconceptions.Context(**context), lang, only=only, extra=extra,
                                       decimals=decimals, tolerance=tolerance, defining=defining)
    return Part(key, label, answer, quantity, tolerance, unit, decimals, found, measure)


def step(text: str, quantity: Quantity | None = None, lhs: str = "", lang: str = "en") -> Step:
    """A solution step: a sentence and ``lhs = formula = substitution = result``; ``lang`` is the language of its
    decimal numbers (whole numbers print alike in every language)."""
    return Step(text, steps_latex(quantity, lhs, lang) if quantity is not None else "")


def redraw(make: Callable[[], T | None], attempts: int = 200) -> T:
    """Call ``make`` until it returns a problem (None means: these numbers do not work, draw again)."""
    for _ in range(attempts):
        result = make()
        if result is not None:
            return result
    raise InternalError(f"no valid problem after {attempts} draws; the parameter ranges are too narrow")


def enough(parts: list[Part], minimum: int = 2) -> bool:
    """True when every part has at least ``minimum`` distractors (else the generator re-draws)."""
    return all(len(p.distractors) >= minimum for p in parts)


def pick(rng: random.Random, values: list[T]) -> T:
    return values[0] if len(values) == 1 else rng.choice(values)
