"""Family parameters: each declared once, and the draws generators make through the declaration.

A family lists its parameters as ``Param`` values in a ``Parameters`` table::

    PARAMETERS = Parameters(
        Param("f", "kernel size f (the filter is f × f × C)", "dimensione f del kernel (il filtro è f × f × C)",
              whole(1), calculator=(3, 5, 7, 9, 11), hand=(1, 3, 5)),
        Param("p", "explicit zero padding p", "zero padding esplicito p", whole(0), default=(0, 1, 2),
              difficulties=(2,)),
        ARITHMETIC,
    )

Each declaration says what the parameter means (English and Italian), which values it takes (a
``Kind``: a checker and the words an error quotes), the values drawn when a bank fixes none (the
same in both arithmetic modes with ``default=``, or ``calculator=`` and ``hand=``, each a tuple or a
``{difficulty: tuple}``), and the difficulties whose questions use it. ``quizgen params FAMILY``,
``quizgen sample FAMILY --help``, the README table and the bank checks all read these declarations.

A bank entry may fix a parameter (``f: 5``), give choices (``f: [3, 5, 7]``) or a range
(``N: {min: 8, max: 64, step: 8}``). Generators call ``params.draw("f")``: the bank's values win
over the declared defaults, and every draw comes from the problem's rng.
"""

from __future__ import annotations

import difflib
import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from quizgen.errors import InternalError, QuizgenError, shown

Values = Sequence[Any] | Mapping[int, Sequence[Any]]


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


class ParamError(QuizgenError):
    """A mistake in one parameter's value: ``param`` names it, so a bank can point at its line."""

    def __init__(self, param: str, message: str, *, fix: str) -> None:
        super().__init__(message, fix=fix)
        self.param = param


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class Kind:
    """The values a parameter takes: ``check`` accepts one value; ``words`` say which, per language.

    ``values`` lists the allowed values when there are few (for did-you-mean); ``spell_out`` adds
    that list to the words (for values kept in a file, such as the concept topics).
    """

    check: Callable[[Any], bool]
    words: Mapping[str, str]
    values: Callable[[], Sequence[Any]] | None = None
    spell_out: bool = False

    def describe(self, lang: str) -> str:
        """The allowed values in words (``a whole number of 1 or more``, ``conv or pool``)."""
        words = self.words.get(lang, self.words["en"])
        if self.spell_out and self.values is not None:
            words += ": " + ", ".join(map(str, self.values()))
        return words


def whole(least: int = 1, most: int | None = None) -> Kind:
    """Whole numbers from ``least`` (to ``most``)."""
    if most is not None:
        return Kind(lambda v: _is_whole(v) and least <= v <= most,
                    {"en": f"a whole number from {least} to {most}", "it": f"un numero intero da {least} a {most}"})
    return Kind(lambda v: _is_whole(v) and v >= least,
                {"en": f"a whole number of {least} or more", "it": f"un numero intero da {least} in su"})


def one_of(*values: Any) -> Kind:
    """Exactly one of these values."""
    listed = [str(v) for v in values]
    en = listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " or " + listed[-1]
    it = listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " o " + listed[-1]
    allowed = tuple(values)
    return Kind(lambda v: not isinstance(v, bool) and v in allowed, {"en": en, "it": it}, lambda: allowed)


@dataclass(frozen=True)
class Param:
    """One parameter of a family, declared once: meaning, values, defaults and the difficulties that use it.

    ``calculator`` and ``hand`` are the values drawn in each arithmetic mode when a bank fixes none
    (``default`` sets both); each is a tuple, or a ``{difficulty: tuple}`` for values that change with
    the difficulty. An empty default means the generator picks the value from what it has already
    drawn; ``chosen`` then says how, in English and Italian.
    """

    name: str
    en: str
    it: str
    kind: Kind
    default: Values = ()
    calculator: Values | None = None
    hand: Values | None = None
    difficulties: tuple[int, ...] = (1, 2, 3)
    chosen: Mapping[str, str] = field(default_factory=dict)
    shape: bool = False  # it sets the kind of question (parts, layers): drawn once per bank entry (``Params.pick``)

    def meaning(self, lang: str) -> str:
        return self.it if lang == "it" else self.en

    def defaults(self, difficulty: int, hand: bool = False) -> list[Any]:
        """The values drawn at this difficulty and arithmetic mode when a bank fixes none."""
        values = (self.hand if hand else self.calculator)
        if values is None:
            values = self.default
        if isinstance(values, Mapping):
            values = values.get(difficulty, ())
        return list(values)


ARITHMETIC = Param("arithmetic", "hand: round numbers and whole divisions, for an exam without a calculator; "
                                 "calculator: any numbers",
                   "hand: numeri tondi e divisioni esatte, per un esame senza calcolatrice; "
                   "calculator: numeri qualsiasi",
                   one_of("hand", "calculator"), default=("calculator",))


def _did_you_mean(value: Any, kind: Kind) -> str:
    if not isinstance(value, str) or kind.values is None:
        return ""
    close = difflib.get_close_matches(value, [str(v) for v in kind.values()], n=1)
    return f"did you mean '{close[0]}'? " if close else ""


class Parameters(Mapping[str, Param]):
    """A family's parameters by name, in the order they are declared."""

    def __init__(self, *params: Param) -> None:
        self._params = {p.name: p for p in params}
        if len(self._params) != len(params):
            raise InternalError("a parameter is declared twice")

    def __getitem__(self, name: str) -> Param:
        return self._params[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._params)

    def __len__(self) -> int:
        return len(self._params)

    def check(self, overrides: Mapping[str, Any], family_id: str) -> None:
        """ParamError for an undeclared name or a value its declaration does not allow."""
        for name, spec in overrides.items():
            param = self._params.get(name)
            if param is None:
                raise ParamError(str(name), f"{family_id} has no parameter '{name}'", fix=self.names_fix(str(name)))
            for value in choices_of(name, spec):
                if not param.kind.check(value):
                    raise ParamError(name, f"'{name}' of {family_id} cannot be {shown(value)}",
                                     fix=_did_you_mean(value, param.kind) + "use " + param.kind.describe("en"))

    def names_fix(self, name: str) -> str:
        """The fix for an unknown parameter name: the nearest name, and every name."""
        if not self._params:
            return "this family takes no parameters"
        close = difflib.get_close_matches(name, list(self._params), n=1)
        listed = "its parameters are " + ", ".join(self._params)
        return f"did you mean '{close[0]}'? {listed}" if close else listed

    def allowed(self, overrides: Mapping[str, Any], difficulty: int) -> dict[str, list[Any]]:
        """Every parameter's possible values: the bank's, else the declared defaults (arithmetic from the bank)."""
        hand = overrides.get("arithmetic") == "hand"
        return {name: choices_of(name, overrides[name]) if name in overrides else p.defaults(difficulty, hand)
                for name, p in self._params.items()}


def shape_choice(shape: int, key: str, values: Sequence[Any]) -> Any:
    """The value of the choice ``key`` among ``values`` for the shape seed ``shape`` (``Params.pick``)."""
    return random.Random(f"{shape}/{key}").choice(values)


def shaped(overrides: Mapping[str, Any], declared: Parameters, difficulty: int, shape: int | None) -> dict[str, Any]:
    """The overrides with the values that the shape seed gives the declared shape parameters the bank leaves open."""
    fixed = dict(overrides)
    if shape is None:
        return fixed
    allowed = declared.allowed(overrides, difficulty)
    for name, param in declared.items():
        if param.shape and difficulty in param.difficulties and name not in overrides and len(allowed[name]) > 1:
            fixed[name] = shape_choice(shape, name, allowed[name])
    return fixed


class Params:
    """The parameter source a generator draws from: the bank's values first, else the declared defaults."""

    def __init__(self, overrides: Mapping[str, Any], rng: random.Random, declared: Parameters, difficulty: int,
                 shape: int | None = None) -> None:
        self.overrides = dict(overrides)
        self.rng = rng
        self.declared = declared
        self.difficulty = difficulty
        self.shape = shape

    @property
    def arithmetic(self) -> str:
        """``hand`` (numbers computable without a calculator) or ``calculator`` (any)."""
        return str(self.overrides.get("arithmetic", "calculator"))

    @property
    def hand(self) -> bool:
        return self.arithmetic == "hand"

    def has(self, name: str) -> bool:
        return name in self.overrides

    def default(self, name: str) -> list[Any]:
        """The declared defaults of ``name`` at this difficulty and arithmetic mode."""
        try:
            param = self.declared[name]
        except KeyError:
            raise InternalError(f"parameter '{name}' is drawn but not declared") from None
        return param.defaults(self.difficulty, self.hand)

    def allowed(self, name: str, default: Sequence[Any] | None = None) -> list[Any]:
        """The values ``name`` can take: the bank's, else ``default`` (the declared defaults when None)."""
        if name not in self.declared:
            raise InternalError(f"parameter '{name}' is drawn but not declared")
        if name in self.overrides:
            return choices_of(name, self.overrides[name])
        values = self.default(name) if default is None else list(default)
        if not values:
            raise InternalError(f"parameter '{name}' has no values to draw from")
        return values

    def draw(self, name: str, default: Sequence[Any] | None = None) -> Any:
        """One value of ``name``: from the bank's values if given, else from ``default`` or the declared defaults.

        A generator passes ``default`` only for values narrowed from the declared ones
        (``params.default(name)``) or chosen from what it has drawn already.
        """
        values = self.allowed(name, default)
        if len(values) == 1:
            return values[0]
        return self.pick(name, values) if self.declared[name].shape else self.rng.choice(values)

    def pick(self, key: str, values: Sequence[Any]) -> Any:
        """A choice that sets the kind of question (which parts, which layers), named ``key``.

        With the entry's ``shape`` seed (the versions of a bank entry share it) the choice is a function of
        that seed and ``key`` alone, so every version of the entry, and every redraw of one version, makes the
        same choice and only the numbers vary; without it (practice, the terminal, ``sample``) it comes from
        the problem's rng like any other draw.
        """
        if self.shape is None:
            return self.rng.choice(values)
        return shape_choice(self.shape, key, values)

    def chance(self, key: str, p: float) -> bool:
        """True with probability ``p``: a choice that sets the kind of question, as ``pick``."""
        rng = self.rng if self.shape is None else random.Random(f"{self.shape}/{key}")
        return rng.random() < p
