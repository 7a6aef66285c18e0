"""Parameter draws for generators, with a bank's overrides applied.

A bank entry may fix a parameter (``f: 5``), give choices (``f: [3, 5, 7]``) or a range
(``N: {min: 8, max: 64, step: 8}``). Generators ask ``params.draw("f", default)``; the override
wins over the family's default, and every draw comes from the problem's rng.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

from quizgen.errors import QuizgenError


def choices_of(name: str, spec: Any) -> list[Any]:
    """The list of values an override allows (fixed value, list, or {min, max, step} range)."""
    if isinstance(spec, Mapping):
        try:
            lo, hi = spec["min"], spec["max"]
        except KeyError:
            raise QuizgenError(f"range for '{name}' needs min and max", fix="write {min: 3, max: 7}") from None
        step = spec.get("step", 1)
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (lo, hi, step)) or step <= 0:
            raise QuizgenError(f"range for '{name}' must have whole numbers and a positive step",
                               fix="write e.g. {min: 8, max: 64, step: 8}")
        values = list(range(lo, hi + 1, step))
        if not values:
            raise QuizgenError(f"range for '{name}' is empty (min {lo} > max {hi})", fix="swap min and max")
        return values
    if isinstance(spec, (list, tuple)):
        if not spec:
            raise QuizgenError(f"the choices for '{name}' are an empty list", fix="give at least one value")
        return list(spec)
    return [spec]


class Params:
    """The parameter source a generator draws from: overrides first, else the family's defaults."""

    def __init__(self, overrides: Mapping[str, Any], rng: random.Random, family_id: str = "") -> None:
        self.overrides = dict(overrides)
        self.rng = rng
        self.family_id = family_id

    @property
    def arithmetic(self) -> str:
        """``hand`` (numbers computable without a calculator) or ``calculator`` (any)."""
        return str(self.overrides.get("arithmetic", "calculator"))

    @property
    def hand(self) -> bool:
        return self.arithmetic == "hand"

    def has(self, name: str) -> bool:
        return name in self.overrides

    def allowed(self, name: str, default: Sequence[Any]) -> list[Any]:
        if name in self.overrides:
            return choices_of(name, self.overrides[name])
        return list(default)

    def draw(self, name: str, default: Sequence[Any]) -> Any:
        """One value: from the override (fixed/choices/range) if given, else from ``default``."""
        values = self.allowed(name, default)  # (bank checks override allowed to look at each value)
        return values[0] if len(values) == 1 else self.rng.choice(values)

    def get(self, name: str, default: Any) -> Any:
        """A fixed setting (not drawn): the override, else ``default``."""
        return self.overrides.get(name, default)
