"""Problem families: the registry, seeding, and ``generate``.

A family is a module under ``quizgen/problems/`` exposing ``FAMILY`` (a ``Family``). Its
``generate(rng, params, difficulty, lang)`` is pure and returns the problem's ``Content``: all randomness
comes from ``rng``, so the same (family, params, difficulty, seed) gives the same problem in any process,
and the same numbers in every language. ``generate`` below adds the identity (id, family, difficulty,
language, seed, parameters) and verifies the problem. Register a new family by adding its
module to ``FAMILY_MODULES``.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from quizgen.errors import QuizgenError
from quizgen.problems.params import Parameters, Params

if TYPE_CHECKING:
    from quizgen.nets.layers import Network
    from quizgen.problems.model import Content, Problem

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
    "receptive-field": "quizgen.problems.receptive_field",
    "macs": "quizgen.problems.macs",
    "training-memory": "quizgen.problems.training_memory",
    "inverse": "quizgen.problems.inverse",
    "batchnorm": "quizgen.problems.batchnorm",
    "model-summary": "quizgen.problems.model_summary",
    "depthwise-separable": "quizgen.problems.depthwise_separable",
    "residual": "quizgen.problems.residual",
    "transposed-conv": "quizgen.problems.transposed_conv",
    "inception": "quizgen.problems.inception",
    "custom": "quizgen.problems.custom",
}


@dataclass(frozen=True)
class Family:
    """A problem family: id, one-line summaries, the generator and the parameters it accepts.

    ``parameters`` declares each parameter a bank may set (``quizgen.problems.params``): banks are
    checked against it and generators draw through it. ``validate(params, difficulty)`` raises
    QuizgenError for values that are each allowed but together can never give a valid problem;
    ``space(params, difficulty)`` is the number of distinct variants, when it is known.
    ``own_network(network, difficulty)`` makes a bank entry's own network (``network:``) the one its questions
    ask about, or raises QuizgenError with the fix (``quizgen.problems.own``); None: the family draws its own.
    """

    id: str
    summary: Mapping[str, str]
    generate: Callable[[random.Random, Params, int, str], Content]
    parameters: Parameters = field(default_factory=Parameters)
    difficulties: tuple[int, ...] = (1, 2, 3)
    validate: Callable[[Mapping[str, Any], int], None] | None = None
    space: Callable[[Mapping[str, Any], int], int | None] | None = None
    tags: tuple[str, ...] = ()
    own_network: Callable[[Network, int], Network] | None = None

    @property
    def shaped(self) -> bool:
        """Whether some of its choices set the kind of question (``Param.shape``): a bank entry draws them once."""
        return any(p.shape for p in self.parameters.values())


def family_ids() -> list[str]:
    return list(FAMILY_MODULES)


def family(family_id: str) -> Family:
    """The family with this id; QuizgenError (with a suggestion) for an unknown id."""
    try:
        module_name = FAMILY_MODULES[family_id]
    except KeyError:
        import difflib

        close = difflib.get_close_matches(family_id, list(FAMILY_MODULES), n=1)
        fix = f"did you mean '{close[0]}'?" if close else "see 'quizgen families'"
        raise QuizgenError(f"unknown family '{family_id}'", fix=fix) from None
    return importlib.import_module(module_name).FAMILY  # imported on first use, then from sys.modules


def families() -> list[Family]:
    return [family(fid) for fid in FAMILY_MODULES]


def import_every_formula() -> None:
    """Import every module of the engine and the families, so that each formula they register at import is in
    ``formulas.keys()`` (``scripts/compile_formulas.py`` compiles them all)."""
    import pkgutil

    import quizgen.nets

    for package in (quizgen.nets, importlib.import_module(__name__)):
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package.__name__}.{module.name}")


def variant_seed(bank_seed: int, entry: int | str, variant: int) -> int:
    """The seed of one variant, from (bank seed, entry, variant index); stable on every machine."""
    digest = hashlib.sha256(f"quizgen/{bank_seed}/{entry}/{variant}".encode()).digest()
    return int.from_bytes(digest[:6], "big")


def params_key(params: Mapping[str, Any] | None) -> str:
    """A short stable hash of parameter overrides ('' when there are none)."""
    params = {k: v for k, v in (params or {}).items() if not k.startswith("_")}  # _at: where a bank writes it
    if not params:
        return ""
    blob = json.dumps(params, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:6]


def problem_id(family_id: str, difficulty: int, seed: int, params: Mapping[str, Any] | None = None,
               shape: int | None = None) -> str:
    """``conv-conv.d2.s123456`` (plus ``.f<shape>`` for a bank entry's shape, ``.p<hash>`` with overrides):
    enough to regenerate it."""
    pid = f"{family_id}.d{difficulty}.s{seed}"
    if shape is not None:
        pid += f".f{shape}"
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


def id_shape(pid: str) -> int | None:
    """The shape seed of a problem id (its ``.f`` part), None when it has none."""
    for part in pid.split(".")[3:]:
        if part[:1] == "f" and part[1:].isdigit():
            return int(part[1:])
    return None


def id_params_key(pid: str) -> str:
    """The parameter-override hash of a problem id (its ``.p`` part), '' when it has none."""
    return next((part[1:] for part in pid.split(".")[3:] if part[:1] == "p"), "")


def generate(
    family_id: str,
    *,
    seed: int,
    difficulty: int = 1,
    lang: str = "en",
    params: Mapping[str, Any] | None = None,
    verify: bool = True,
    shape: int | None = None,
) -> Problem:
    """Generate one problem (pure function of its arguments) and verify it with the engine and sympy.

    ``shape`` is a bank entry's shape seed: the choices that set the kind of question come from it alone
    (``Params.pick``), so all versions of the entry ask the same parts; a family with no such choices ignores it.
    Overrides are checked first against the family's declared parameters and its ``validate`` (a
    ``ParamError`` names the parameter), so a generator draws only values its declarations allow.
    """
    from quizgen.nets.layers import Network
    from quizgen.problems import check
    from quizgen.problems.common import stated_rules
    from quizgen.problems.model import Problem
    from quizgen.text.templating import LANGS

    fam = family(family_id)
    if difficulty not in fam.difficulties:
        raise QuizgenError(
            f"family '{family_id}' has no difficulty {difficulty}",
            fix="use one of " + ", ".join(map(str, fam.difficulties)),
        )
    if lang not in LANGS:
        raise QuizgenError(f"unknown language '{lang}'", fix="use one of " + ", ".join(LANGS))
    overrides = dict(params or {})
    declared = {k: v for k, v in overrides.items() if not k.startswith("_")}  # _at: where a bank writes it
    if declared and fam.parameters:  # a family that declares none (custom) reads its overrides itself
        # an entry's own network was checked by the family's own_network when the bank was loaded
        fam.parameters.check({k: v for k, v in declared.items()
                              if not (k == "network" and fam.own_network and isinstance(v, Network))}, family_id)
        if fam.validate is not None:
            fam.validate(declared, difficulty)
    rng = random.Random(seed)
    shape = shape if fam.shaped else None
    pid = problem_id(family_id, difficulty, seed, overrides, shape)
    content = fam.generate(rng, Params(overrides, rng, fam.parameters, difficulty, shape), difficulty, lang)
    content = stated_rules(content, lang)
    problem = Problem(id=pid, family=family_id, difficulty=difficulty, lang=lang, seed=seed,
                      params=tuple(sorted((k, v) for k, v in overrides.items() if not k.startswith("_"))),
                      **vars(content))
    if verify:
        check.verify_problem(problem)
    return problem


def regenerate(pid: str, lang: str = "en", params: Mapping[str, Any] | None = None) -> Problem:
    """The problem with this id (the bank's overrides are needed when the id has a .p part)."""
    fam, difficulty, seed = parse_problem_id(pid)
    problem = generate(fam, seed=seed, difficulty=difficulty, lang=lang, params=params, shape=id_shape(pid))
    if problem.id != pid:
        raise QuizgenError(
            f"problem {pid} was made with parameter overrides",
            fix="regenerate it from its bank (quizgen sample --bank BANK --id ID)",
        )
    return problem
