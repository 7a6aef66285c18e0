"""Bounded memo of a family's pure build step: drawn numbers in, problem fields out.

LeNet-5, AlexNet and memory questions are drawn from short lists of sizes, so the same variant
(numbers, layer, language) comes back again and again in a large exam or practice run; building it
(engine count, misconception values, feedback and solution text) is a pure function of the draw,
so it is done once. The draw itself (every rng call and every override check) stays per problem,
and ``generate`` verifies every problem it returns, cached fields or not.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Hashable
from functools import cache
from typing import Any, Generic, TypeVar

from quizgen.frozen import PerObject
from quizgen.nets.formulas import Quantity
from quizgen.problems.common import numeric_part
from quizgen.problems.model import Number, Part, Problem

T = TypeVar("T")

_MISSING = object()


_MEMOS: list[Memo] = []  # every Memo made, for clear_all


def clear_all() -> None:
    """Forget every kept build, part and checked problem (tests compare fresh builds with kept ones)."""
    from quizgen.problems import layerkit

    for memo in _MEMOS:
        memo.clear()
    _FINISHED.clear()
    layerkit._BUILT.clear()


class Memo(Generic[T]):
    """``memo(key, build)``: build's result for this key, built once (None too: a rejected draw stays rejected).

    Bounded: cleared when full, so a long run never grows without limit (results never depend on it).
    """

    def __init__(self, limit: int = 50_000) -> None:
        self.limit = limit
        self._values: dict[Hashable, T | None] = {}
        _MEMOS.append(self)

    def __call__(self, key: Hashable, build: Callable[[], T | None]) -> T | None:
        value = self._values.get(key, _MISSING)
        if value is _MISSING:
            value = build()
            self.put(key, value)
        return keep(value)  # type: ignore[return-value]

    def get(self, key: Hashable) -> T | None | object:
        """The value kept for ``key``, or ``_MISSING``; TypeError for a key that cannot be hashed."""
        return self._values.get(key, _MISSING)

    def put(self, key: Hashable, value: T | None) -> None:
        if len(self._values) >= self.limit:
            self._values.clear()
        self._values[key] = value

    def clear(self) -> None:
        self._values.clear()

    def __len__(self) -> int:
        return len(self._values)


# Problems a memo hands out again and again: ``generate`` localizes and verifies such a problem once and every later
# copy of it (a new id and seed on the same frozen object) reuses that checked result: nothing in a frozen problem
# can change after its check. None: kept, not checked yet.
_FINISHED: PerObject[Problem | None] = PerObject(50_000)


def keep(value: T) -> T:
    """Note a problem a memo returns (anything else passes through), so that ``finished`` checks it only once."""
    if type(value) is Problem and _FINISHED.get(value, _MISSING) is _MISSING:
        _FINISHED.put(value, None)
    return value


def finished(raw: Problem, finish: Callable[[Problem], Problem]) -> Problem:
    """``finish(raw)`` (localize and verify), done once per problem a memo keeps and every time for any other."""
    done = _FINISHED.get(raw, _MISSING)
    if done is _MISSING:
        return finish(raw)
    if done is None:
        done = finish(raw)  # raises on a failed check: nothing is stored then
        _FINISHED.put(raw, done)
    return done  # type: ignore[return-value]


_PARTS: Memo[Part] = Memo(100_000)


def part(key: str, label: str, quantity: Quantity, kind: str, context: dict[str, Any], lang: str, *,
         unit: str = "", tolerance: Number = 0, decimals: int = 0, only: tuple[str, ...] | None = None,
         extra: tuple[tuple[str, Number | None], ...] = (), measure: str = "", defining: tuple[str, ...] = ()) -> Part:
    """``common.numeric_part``, built once per distinct arguments: a layer's part recurs across variants (in a
    lecture-bank run, about half the parts of the conv→conv, conv→FC, output-size and 1×1 questions)."""
    ident = (key, label, quantity, kind, tuple(context.items()), tuple(map(type, context.values())), lang, unit,
             tolerance, decimals, only, extra, measure, defining)  # the types: True and 1, 2 and Fraction(2) differ
    try:
        found = _PARTS.get(ident)
    except TypeError:  # a context value that cannot be a key: build it every time
        found = ident = None
    if found is _MISSING or ident is None:
        found = numeric_part(key, label, quantity, kind, context, lang, unit=unit, tolerance=tolerance,
                             decimals=decimals, only=only, extra=extra, measure=measure, defining=defining)
        if ident is not None:
            _PARTS.put(ident, found)
    return found  # type: ignore[return-value]


@cache
def _row_type(names: tuple[str, ...]) -> type:
    return namedtuple("Row", names)  # noqa: PYI024 - field names vary with the caller


def row(**fields: Any) -> tuple:
    """A row a stem lists (a layer: label, kind, ...): templates read ``row.label``, and a tuple of rows is hashable,
    so the rendered stem is reused when the same rows come back."""
    return _row_type(tuple(fields))(**fields)
