"""Checks of a bank entry's parameter overrides: shape, type, and whether they can ever give a problem.

Three layers, cheapest first: the shape of each override (a value, a list of values, or a
``{min, max, step}`` range); the family's own ``validate``; then a probe that runs the family's
generator with the overrides, records what kind of value each overridden parameter normally takes
(its defaults) and catches overrides that never give a valid problem (every kernel larger than
every input). Each failure is a QuizgenError whose message and fix the bank loader locates.
"""

from __future__ import annotations

import difflib
import random
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from quizgen.errors import InternalError, QuizgenError
from quizgen.problems import Family
from quizgen.problems.params import Params, choices_of

RANGE_KEYS = ("min", "max", "step")
MAX_RANGE_VALUES = 10_000
ARITHMETIC = ("hand", "calculator")
PROBE_SEEDS = (20260, 20261)


class ParamError(QuizgenError):
    """A mistake in one parameter's override: ``param`` names it, so a bank can point at its line."""

    def __init__(self, param: str, message: str, *, fix: str) -> None:
        super().__init__(message, fix=fix)
        self.param = param


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


def _compatible(value: Any, defaults: Sequence[Any]) -> str | None:
    """None when ``value`` fits the kind of the family's defaults, else what it should be."""
    kinds = {kind_of(d) for d in defaults}
    kind = kind_of(value)
    if kind in kinds or (kind == "a whole number" and "a number" in kinds):
        return None
    return " or ".join(sorted(kinds))


class _ProbeParams(Params):
    """Params that remember the defaults the generator offers for each overridden parameter."""

    def __init__(self, overrides: Mapping[str, Any], rng: random.Random, family_id: str) -> None:
        super().__init__(overrides, rng, family_id)
        self.defaults: dict[str, list[Any]] = {}

    def allowed(self, name: str, default: Sequence[Any]) -> list[Any]:
        if name in self.overrides and default:
            self.defaults.setdefault(name, list(default))
        return super().allowed(name, default)

    def get(self, name: str, default: Any) -> Any:
        if name in self.overrides and default is not None:
            self.defaults.setdefault(name, [default])
        return super().get(name, default)


def _check_kinds(fam: Family, params: Mapping[str, Any], probe: _ProbeParams) -> None:
    for name, defaults in probe.defaults.items():
        for value in choices_of(name, params[name]):
            expected = _compatible(value, defaults)
            if expected is not None:
                example = ", ".join(map(str, defaults[:3]))
                raise ParamError(name, f"'{name}' of {fam.id} must be {expected}, not {kind_of(value)} {value!r}",
                                 fix=f"write e.g. {name}: {defaults[0]!r} (the family draws from {example}, ...)")
            if isinstance(value, str) and value not in defaults:
                close = difflib.get_close_matches(value, [str(d) for d in defaults], n=1)
                if close:
                    raise ParamError(name, f"'{name}' of {fam.id} cannot be '{value}'",
                                     fix=f"did you mean '{close[0]}'?")


def _never_valid(fam: Family, params: Mapping[str, Any]) -> QuizgenError:
    """The error for overrides with which the generator never finds a valid problem."""
    if "f" in params and "W" in params:
        f_min = min(choices_of("f", params["f"]))
        w_max = max(choices_of("W", params["W"]))
        if f_min > w_max:
            return QuizgenError(f"every kernel (f >= {f_min}) is larger than every input (W <= {w_max})",
                                fix="lower f or raise W")
    names = ", ".join(sorted(params))
    return QuizgenError(f"no valid {fam.id} problem can be drawn with these values of {names}",
                        fix=f"widen the ranges (try them with quizgen sample {fam.id} --param NAME=VALUE)")


def check_params(fam: Family, params: Mapping[str, Any], difficulty: int, lang: str) -> None:
    """Check overrides against the family: shapes, its validate, then a probe of its generator."""
    for name, spec in params.items():
        check_shape(name, spec)
        if name == "arithmetic":
            for value in choices_of(name, spec):
                if value not in ARITHMETIC:
                    raise ParamError(name, f"arithmetic cannot be {value!r}", fix="use hand or calculator")
    if fam.validate is not None:
        fam.validate(dict(params))
    if not params:
        return
    failure: BaseException | None = None
    for seed in PROBE_SEEDS:
        rng = random.Random(seed)
        probe = _ProbeParams(params, rng, fam.id)
        try:
            fam.generate(rng, probe, difficulty, lang)
        except QuizgenError:
            _check_kinds(fam, params, probe)
            raise
        except Exception as exc:  # noqa: BLE001 - any crash under overrides is reported as the overrides' fault
            _check_kinds(fam, params, probe)
            failure = exc
            continue
        _check_kinds(fam, params, probe)
        return
    if isinstance(failure, InternalError) and "no valid problem" in str(failure):
        raise _never_valid(fam, params)
    # a crash without the overrides too is the family's bug, not the bank's: let it surface as one
    rng = random.Random(PROBE_SEEDS[0])
    fam.generate(rng, Params({}, rng, fam.id), difficulty, lang)
    names = ", ".join(sorted(params))
    raise QuizgenError(f"the values of {names} make {fam.id} fail ({type(failure).__name__}: {failure})",
                       fix="check each value against the family's parameters (quizgen families)")
