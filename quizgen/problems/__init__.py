"""Problem families: the registry, seeding, and ``generate``.

A family is a module under ``quizgen/problems/`` exposing ``FAMILY`` (a ``Family``). Its
``generate(rng, params, difficulty, lang)`` is pure: all randomness comes from ``rng``, so the same
(family, params, difficulty, seed) gives the same problem in any process, and the same numbers in
every language. Register a new family by adding its module to ``FAMILY_MODULES``.
"""

from __future__ import annotations

import gc
import hashlib
import importlib
import json
import random
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from quizgen.errors import QuizgenError

if TYPE_CHECKING:
    from quizgen.problems.model import Problem
    from quizgen.problems.params import Params

# id -> module; the order is the order `quizgen families` lists them in (the lecture's order)
FAMILY_MODULES: dict[str, str] = {
    "input-conv": "quizgen.problems.input_conv",
    "conv-conv": "quizgen.problems.conv_conv",
    "conv-fc": "quizgen.problems.conv_fc",
    "fc-fc": "quizgen.problems.fc_fc",
    "one-by-one": "quizgen.problems.one_by_one",
    "output-size": "quizgen.problems.output_size",
    "lenet5": "quizgen.problems.lenet5",
    "alexnet": "quizgen.problems.alexnet",
    "memory": "quizgen.problems.memory",
    "concepts": "quizgen.problems.concepts",
}


@dataclass(frozen=True)
class Family:
    """A problem family: id, one-line summaries, the generator and the parameters it accepts.

    ``parameters`` maps each overridable parameter to a one-line description (banks are checked
    against it); ``validate(params)`` raises QuizgenError for overrides that can never give a valid
    problem; ``space(params, difficulty)`` is the number of distinct variants, when it is known.
    """

    id: str
    summary: Mapping[str, str]
    generate: Callable[[random.Random, Params, int, str], Problem]
    parameters: Mapping[str, str] = field(default_factory=dict)
    difficulties: tuple[int, ...] = (1, 2, 3)
    validate: Callable[[Mapping[str, Any]], None] | None = None
    space: Callable[[Mapping[str, Any], int], int | None] | None = None
    tags: tuple[str, ...] = ()


def family_ids() -> list[str]:
    return list(FAMILY_MODULES)


def family(family_id: str) -> Family:
    """The family with this id; QuizgenError (with a suggestion) for an unknown id."""
    module = _LOADED.get(family_id)
    if module is not None:
        return module.FAMILY
    try:
        module_name = FAMILY_MODULES[family_id]
    except KeyError:
        import difflib

        close = difflib.get_close_matches(family_id, list(FAMILY_MODULES), n=1)
        fix = f"did you mean '{close[0]}'?" if close else "see 'quizgen families'"
        raise QuizgenError(f"unknown family '{family_id}'", fix=fix) from None
    module = _LOADED[family_id] = importlib.import_module(module_name)
    return module.FAMILY


_LOADED: dict[str, Any] = {}  # id -> its module, once imported


def families() -> list[Family]:
    return [family(fid) for fid in FAMILY_MODULES]


def variant_seed(bank_seed: int, entry: int | str, variant: int) -> int:
    """The seed of one variant, from (bank seed, entry, variant index); stable on every machine."""
    digest = hashlib.sha256(f"quizgen/{bank_seed}/{entry}/{variant}".encode()).digest()
    return int.from_bytes(digest[:6], "big")


def params_key(params: Mapping[str, Any] | None) -> str:
    """A short stable hash of parameter overrides ('' when there are none)."""
    if not params:
        return ""
    blob = json.dumps(params, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:6]


def problem_id(family_id: str, difficulty: int, seed: int, params: Mapping[str, Any] | None = None) -> str:
    """``conv-conv.d2.s123456`` (plus ``.p<hash>`` with overrides): enough to regenerate it."""
    pid = f"{family_id}.d{difficulty}.s{seed}"
    key = params_key(params)
    return f"{pid}.p{key}" if key else pid


def parse_problem_id(pid: str) -> tuple[str, int, int]:
    """(family, difficulty, seed) from a problem id."""
    try:
        fam, d, s, *_ = pid.split(".")
        assert d.startswith("d") and s.startswith("s")
        return fam, int(d[1:]), int(s[1:])
    except (ValueError, AssertionError):
        raise QuizgenError(f"'{pid}' is not a problem id", fix="ids look like conv-conv.d2.s123456") from None


def generate(
    family_id: str,
    *,
    seed: int,
    difficulty: int = 1,
    lang: str = "en",
    params: Mapping[str, Any] | None = None,
    verify: bool = True,
) -> Problem:
    """Generate one problem (pure function of its arguments) and verify it with the engine and sympy."""
    Params, LANGS, memo, sympy_check = _generating()  # noqa: N806 - the names they have elsewhere
    fam = family(family_id)
    if difficulty not in fam.difficulties:
        raise QuizgenError(
            f"family '{family_id}' has no difficulty {difficulty}",
            fix="use one of " + ", ".join(map(str, fam.difficulties)),
        )
    if lang not in LANGS:
        raise QuizgenError(f"unknown language '{lang}'", fix="use one of " + ", ".join(LANGS))
    overrides = dict(params or {})
    rng = random.Random(seed)
    pid = problem_id(family_id, difficulty, seed, overrides)
    raw = fam.generate(rng, Params(overrides, rng, family_id), difficulty, lang)
    # the check does not read the id or the seed, so a problem a family's memo returns again is checked once
    problem = memo.finished(raw, lambda p: sympy_check.verify_problem(p, where=pid)) if verify else raw
    return _identified(problem, id=pid, family=family_id, difficulty=difficulty, lang=lang, seed=seed,
                       params=tuple(sorted(overrides.items())))


@cache
def _generating() -> tuple:
    """What ``generate`` calls, imported on first use (they import this package) and looked up once: an import
    statement in a function costs about 2 µs at every call, a few percent of a fast problem."""
    from quizgen.problems import memo
    from quizgen.problems.params import Params
    from quizgen.text.templating import LANGS
    from quizgen.verify import sympy_check

    return Params, LANGS, memo, sympy_check


def _identified(problem: Problem, **identity: Any) -> Problem:
    """``dataclasses.replace(problem, **identity)`` for the identity fields, which no check reads: a copy of the
    frozen instance's fields with these set (``replace`` re-runs the whole ``__init__``, a tenth of a fast
    problem's time). Every key must be a field."""
    copy = object.__new__(type(problem))
    fields = copy.__dict__
    fields.update(problem.__dict__)
    fields.update(identity)
    return copy


@contextmanager
def many() -> Iterator[None]:
    """Around generating many problems at once (a bank's variants for an exam, an export, practice, stress).

    Python's cyclic garbage collector is paused meanwhile, and resumes after with what was made frozen out of its
    passes (``gc.freeze``). Problems are trees of frozen values without reference cycles (a test checks), so its
    passes free nothing here; but each full pass walks every object the memos keep, and in a 20,000-problem run
    those passes took a sixth of the time or more (``scripts/bench_problems.py --plain`` shows it). Nested uses
    leave the collector to the outermost one.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        # what the run made and still holds (the memos' builds) is long-lived and acyclic: left to the collector,
        # its first full pass after resuming walks all of it (half a second after 20,000 problems); frozen, the
        # collector skips it, and reference counting still frees it when a memo lets go
        gc.freeze()
        gc.enable()


def regenerate(pid: str, lang: str = "en", params: Mapping[str, Any] | None = None) -> Problem:
    """The problem with this id (the bank's overrides are needed when the id has a .p part)."""
    fam, difficulty, seed = parse_problem_id(pid)
    problem = generate(fam, seed=seed, difficulty=difficulty, lang=lang, params=params)
    if problem.id != pid:
        raise QuizgenError(
            f"problem {pid} was made with parameter overrides",
            fix="regenerate it from its bank (quizgen sample --bank BANK --id ID)",
        )
    return problem
