"""Every family's answers recomputed from torch modules: 200 seeds each, and a corrupted answer caught."""

from __future__ import annotations

import importlib
from dataclasses import replace
from fractions import Fraction
from functools import cache

import pytest

from quizgen.errors import InternalError
from quizgen.nets.spec import parse_spec
from quizgen.problems import FAMILY_MODULES, family, generate, variant_seed
from quizgen.problems.measures import At, Measure, Total, diff, in_bytes, in_unit
from quizgen.problems.model import Part, Problem
from tests.conftest import require_module

SEEDS = 200


@pytest.fixture(scope="module")
def torch():  # noqa: ANN201
    require_module("torch")
    from quizgen.verify.torch_check import require_torch

    return require_torch()


@cache
def problems_of(fid: str) -> tuple[Problem, ...]:
    """200 problems of a family, difficulties in turn (the seeds ``quizgen verify --seed 0`` uses)."""
    try:
        importlib.import_module(FAMILY_MODULES[fid])
    except ModuleNotFoundError:
        pytest.skip(f"family {fid} is not implemented yet")
    levels = family(fid).difficulties
    return tuple(generate(fid, seed=variant_seed(0, fid, k), difficulty=levels[k % len(levels)])
                 for k in range(SEEDS))


@pytest.mark.parametrize("fid", list(FAMILY_MODULES))
def test_family_answers_agree_with_torch(torch, fid: str) -> None:
    """200 seeds, each network built in torch and run on a zero tensor on the CPU."""
    from quizgen.verify.torch_check import check_problems

    problems = problems_of(fid)
    assert check_problems(problems, "cpu") == []


@pytest.mark.slow
@pytest.mark.parametrize("fid", list(FAMILY_MODULES))
def test_family_answers_agree_with_torch_2000_seeds(torch, fid: str) -> None:
    """A longer sweep: 2,000 seeds per family through torch's meta kernels (torch's own shape functions)."""
    from quizgen.verify.torch_check import check_problems

    try:
        importlib.import_module(FAMILY_MODULES[fid])
    except ModuleNotFoundError:
        pytest.skip(f"family {fid} is not implemented yet")
    levels = family(fid).difficulties
    problems = [generate(fid, seed=variant_seed(1, fid, k), difficulty=levels[k % len(levels)]) for k in range(2000)]
    assert check_problems(problems, "meta") == []


def _problem(measure: Measure, answer: int | Fraction, spec: str = "32x32x3 > C1: conv 8 5 > S2: maxpool 2 > F: fc 10",
             extra: tuple[str, ...] = ()) -> Problem:
    return Problem(id="hand.d1.s1", family="hand", difficulty=1, lang="en", seed=1, title="t", stem="s",
                   parts=(Part("q", "q", answer, measure=measure),), network=parse_spec(spec, name="net"),
                   extra_networks=tuple(parse_spec(e, name=f"extra{i}") for i, e in enumerate(extra)))


@pytest.mark.parametrize(("measure", "answer"), [
    (At("params", "C1"), 5 * 5 * 3 * 8 + 8),
    (At("weights", "C1"), 600),
    (At("biases", "-1"), 10),
    (At("out_h", "S2"), 14),
    (At("out_d", "C1"), 8),
    (At("flatten", "S2"), 14 * 14 * 8),
    (At("activations", "C1"), 28 * 28 * 8),
    (Total("params"), 608 + 14 * 14 * 8 * 10 + 10),
    (Total("activations"), 28 * 28 * 8 + 14 * 14 * 8 + 10),
    (in_unit(in_bytes(Total("params"), "float32"), "MB"), Fraction((608 + 15690) * 4, 10**6)),
    (in_unit(in_bytes(Total("params"), "float16"), "KiB"), Fraction((608 + 15690) * 2, 2**10)),
    (in_bytes(At("params", "C1"), "bits16"), 608 * 16),
    (diff(Total("params", 1), Total("params")), 2 * 2 * 3 * 8 + 8 - (608 + 15_690)),
], ids=str)
def test_measures_on_torch(torch, measure: Measure, answer: int | Fraction) -> None:
    from quizgen.verify.torch_check import check_problems

    problem = _problem(measure, answer, extra=("32x32x3 > C1: conv 8 2",))
    assert check_problems([problem]) == []


def test_dtype_sizes_come_from_torch(torch) -> None:
    from quizgen.verify.torch_check import dtype_size

    assert (dtype_size("float32"), dtype_size("float16"), dtype_size("float64")) == (4, 2, 8)
    assert (dtype_size("bits32"), dtype_size("bits16")) == (32, 16)


def test_a_corrupted_answer_is_reported_with_id_and_part(torch) -> None:
    from quizgen.verify.torch_check import check_problems

    good = next(p for p in problems_of("input-conv") if p.network is not None)
    part = good.parts[-1]
    bad = replace(good, parts=(*good.parts[:-1], replace(part, answer=part.answer + 1)))
    found = check_problems([good, bad])
    assert len(found) == 1
    assert found[0].startswith(f"{good.id} part {part.key}: answer {part.answer + 1}, torch gives {part.answer}")


def test_a_part_without_measure_cannot_pass(torch) -> None:
    from quizgen.verify.torch_check import check_problems

    found = check_problems([_problem("", 1)])
    assert found == ["hand.d1.s1 part q: no measure, so torch cannot recompute the answer"]


def test_a_network_torch_cannot_run_is_a_disagreement(torch) -> None:
    from quizgen.verify.torch_check import check_problems

    problem = _problem("params@C1", 1, spec="4x4x1 > C1: conv 2 3 > fc 2")
    problem = replace(problem, network=replace(problem.network, layers=(problem.network.layers[0],) * 3))
    found = check_problems([problem])
    assert len(found) == 1 and "torch cannot run it" in found[0] and found[0].startswith("hand.d1.s1")


def test_every_measure_quantity_is_measured_on_torch_as_on_the_engine(torch) -> None:
    """A quantity added to the measure grammar must be added to the torch lookup too."""
    from quizgen.problems.measures import LAYER_QUANTITIES, NET_QUANTITIES, engine_lookup
    from quizgen.verify.torch_check import torch_lookup

    networks = (parse_spec("20x18x3 > C1: conv 6 5 same > S2: subsample 2 > C3: conv 16 3 table=lenet5 > F: fc 10",
                           name="a"), parse_spec("8x8x1 > fc 4 > rbf 3", name="b"))
    ours, engine = torch_lookup(networks), engine_lookup(networks)
    for quantity in NET_QUANTITIES:
        for index in (0, 1):
            assert ours(quantity, index, None) == engine(quantity, index, None), quantity
    for quantity in LAYER_QUANTITIES:
        for layer in ("C1", "S2", "C3", "-1"):
            if quantity in ("out_h", "out_w") and layer == "-1":
                continue
            if quantity in ("rf_size", "rf_jump") and layer == "-1":  # no field after a fully connected layer
                with pytest.raises(InternalError):
                    engine(quantity, 0, layer)
                continue
            assert ours(quantity, 0, layer) == engine(quantity, 0, layer), (quantity, layer)
