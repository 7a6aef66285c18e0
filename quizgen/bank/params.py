"""Checks of a bank entry's parameter overrides against the family's declarations.

Cheapest first, and none runs the generator: the shape of each override (a value, a list of
values, or a ``{min, max, step}`` range); its name and each of its values against the family's
declared parameters (``quizgen.problems.params``); whether the entry's difficulty uses it; then the
family's own ``validate`` for values that are each allowed but together never give a problem
(every kernel larger than every input). Each failure is a QuizgenError whose message and fix the
bank loader locates (a ``ParamError`` names the parameter, so the loader points at its line).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from quizgen.errors import QuizgenError
from quizgen.problems import Family
from quizgen.problems.params import ParamError

RANGE_KEYS = ("min", "max", "step")
MAX_RANGE_VALUES = 10_000


def kind_of(value: Any) -> str:
    """A value's kind in words a bank author knows: a whole number, a number, text, yes/no."""
    if isinstance(value, bool):
        return "yes/no"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, (float, Fraction)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    return type(value).__name__


def check_shape(name: str, spec: Any) -> None:
    """A fixed value, a non-empty list of values of one kind, or a whole-number range of bounded size."""
    if isinstance(spec, Mapping):
        for key in spec:
            if key not in RANGE_KEYS:
                close = difflib.get_close_matches(str(key), RANGE_KEYS, n=1)
                fix = f"did you mean '{close[0]}'?" if close else "a range has min, max and (optionally) step"
                raise QuizgenError(f"the range for '{name}' has an unknown key '{key}'", fix=fix)
        for key in ("min", "max"):
            if key not in spec:
                raise QuizgenError(f"the range for '{name}' has no '{key}'",
                                   fix=f"write {name}: {{min: 3, max: 7}} (step is optional)")
        for key in RANGE_KEYS:
            if key in spec and kind_of(spec[key]) != "a whole number":
                raise QuizgenError(f"'{key}' of the range for '{name}' must be a whole number, "
                                   f"not {kind_of(spec[key])} {spec[key]!r}",
                                   fix=f"write e.g. {name}: {{min: 8, max: 64, step: 8}}")
        lo, hi, step = spec["min"], spec["max"], spec.get("step", 1)
        if step <= 0:
            raise QuizgenError(f"the step of the range for '{name}' is {step}", fix="use a positive step")
        if lo > hi:
            raise QuizgenError(f"the range for '{name}' is empty (min {lo} > max {hi})",
                               fix=f"swap them: {{min: {hi}, max: {lo}}}")
        if (hi - lo) // step + 1 > MAX_RANGE_VALUES:
            raise QuizgenError(f"the range for '{name}' has {(hi - lo) // step + 1} values",
                               fix=f"narrow it or raise its step (at most {MAX_RANGE_VALUES:,} values)")
        return
    if isinstance(spec, (list, tuple)):
        if not spec:
            raise QuizgenError(f"the choices for '{name}' are an empty list", fix="give at least one value")
        for value in spec:
            if isinstance(value, (list, tuple, Mapping)) or value is None:
                raise QuizgenError(f"the choices for '{name}' contain {kind_of(value)} {value!r}",
                                   fix=f"list plain values, e.g. {name}: [3, 5, 7]")
        kinds = sorted({kind_of(v) for v in spec})
        if len(kinds) > 1:
            raise QuizgenError(f"the choices for '{name}' mix {' and '.join(kinds)}: {list(spec)!r}",
                               fix="give every value of the same kind (quote nothing that is a number)")
        return
    if spec is None:
        raise QuizgenError(f"'{name}' has no value", fix=f"write e.g. {name}: 5, or remove the line")


def unused(fam: Family, params: Mapping[str, Any], difficulty: int) -> list[ParamError]:
    """The overrides of parameters that this difficulty's questions never use, each as an error."""
    found = []
    for name in params:
        used = fam.parameters[name].difficulties
        if difficulty not in used:
            which = "difficulty " + str(used[0]) if len(used) == 1 else \
                "difficulties " + ", ".join(map(str, used[:-1])) + " and " + str(used[-1])
            found.append(ParamError(name, f"'{name}' is not used at difficulty {difficulty} of {fam.id}: "
                                          f"only {which} {'uses' if len(used) == 1 else 'use'} it",
                                    fix=f"remove it, or use difficulty: {used[0]}"))
    return found


def check_params(fam: Family, params: Mapping[str, Any], difficulty: int, *, lenient: bool = False
                 ) -> list[ParamError]:
    """Check overrides against the family's declarations and rules; the unused ones returned when lenient.

    Without ``lenient`` a value fixed for a parameter the difficulty does not use is an error; with
    it, it is returned (as the error it would be) for the caller to warn about.
    """
    for name, spec in params.items():
        if name not in fam.parameters:
            raise ParamError(str(name), f"{fam.id} has no parameter '{name}'",
                             fix=fam.parameters.names_fix(str(name)))
        try:
            check_shape(name, spec)
        except ParamError:
            raise
        except QuizgenError as exc:
            raise ParamError(name, exc.message, fix=exc.fix or "") from None
        if name == "arithmetic" and isinstance(spec, (list, tuple, Mapping)):
            raise ParamError(name, "arithmetic is one setting, not a list", fix="write arithmetic: hand or calculator")
    fam.parameters.check(params, fam.id)
    ignored = unused(fam, params, difficulty)
    if ignored and not lenient:
        raise ignored[0]
    if fam.validate is not None:
        fam.validate(params, difficulty)
    return ignored
