"""training-memory: bytes and batches against arithmetic written out here, the misconceptions' values, both
languages, PyTorch (a real optimizer step is in tests/verify/test_torch_measures.py), overrides and validation."""

from __future__ import annotations

from fractions import Fraction

import pytest

from quizgen.bank.params import check_params
from quizgen.errors import QuizgenError
from quizgen.nets.layers import BatchNorm, Conv, Dense, Pool
from quizgen.problems import family, generate
from tests.problems.family_checks import assert_same_numbers_in_both_languages, assert_torch_agrees

FAMILY = "training-memory"
UNIT = {"MB": 10**6, "MiB": 2**20}


def counts(network) -> tuple[int, int, int]:  # noqa: ANN001
    """(parameters, buffers, activations) of a chain of conv (3x3, p = 1), batch norm, 2x2 pooling and FC layers,
    counted again: batch norm 2 parameters and 2 buffers per map, its output counted as a layer's."""
    h, depth, flat = network.input.h, network.input.c, None
    params = buffers = acts = 0
    for layer in network.layers:
        if isinstance(layer, Conv):
            params += 9 * depth * layer.filters + (layer.filters if layer.bias else 0)
            depth = layer.filters
            acts += h * h * depth
        elif isinstance(layer, BatchNorm):
            params, buffers, acts = params + 2 * depth, buffers + 2 * depth, acts + h * h * depth
        elif isinstance(layer, Pool):
            h //= 2
            acts += h * h * depth
        else:
            inputs = flat if flat is not None else h * h * depth
            params += inputs * layer.units + layer.units
            flat = layer.units
            acts += layer.units
    return params, buffers, acts


def _k(problem) -> int:  # noqa: ANN001
    return 2 if "with Adam" in problem.stem else 1  # "with Adam" or "with AdamW"


def _b(problem) -> int:  # noqa: ANN001
    """Bytes per value: the stem's dtype (float32 at difficulties 2-3)."""
    sizes = {"float32": 4, "float16": 2, "bfloat16": 2, "float64": 8}
    return next(b for name, b in sizes.items() if f"every value in {name} ({b} bytes)" in problem.stem)


@pytest.mark.parametrize("difficulty", [1, 2, 3])
def test_two_hundred_seeds_match_hand_arithmetic(difficulty: int) -> None:
    from quizgen.nets.engine import count

    for seed in range(200):
        problem = generate(FAMILY, seed=seed, difficulty=difficulty)
        k, unit, b = _k(problem), problem.parts[0].unit, _b(problem)
        if difficulty == 1:  # a built-in network: its counts are checked against torchvision elsewhere
            nc = count(problem.network)
            p, u = nc.parameters, nc.buffers
            assert f"{p:,}".replace(",", " ") in problem.stem.replace("\\,", " ")
        else:
            p, u, a = counts(problem.network)
        fixed = b * ((2 + k) * p + u)
        if difficulty == 1:
            assert problem.part("gradients").answer == Fraction(b * p, UNIT[unit])
            assert problem.part("state").answer == Fraction(b * k * p, UNIT[unit])
            assert problem.part("static").answer == Fraction(fixed, UNIT[unit])
        elif difficulty == 2:
            batch = int(problem.stem.split("$B = ")[1].split("$")[0])
            assert problem.part("activations").answer == Fraction(4 * batch * a, UNIT[unit])
            assert problem.part("total").answer == Fraction(fixed + 4 * batch * a, UNIT[unit])
        else:
            gpu, gpu_unit = problem.stem.rsplit("GPU ", 1)[1].split()[1:3]
            memory = int(gpu) * {"GB": 10**9, "GiB": 2**30}[gpu_unit.rstrip("?")]
            best = problem.part("batch").answer
            assert fixed + best * 4 * a <= memory < fixed + (best + 1) * 4 * a
            assert problem.part("static").answer == Fraction(fixed, UNIT[unit])
        for part in problem.parts:
            assert part.distractors, (problem.id, part.key)


def _wrong(problem, key: str) -> dict[str, object]:  # noqa: ANN001
    return {d.misconception: d.value for d in problem.part(key).distractors}


def test_misconception_values() -> None:
    adam = generate(FAMILY, seed=1, difficulty=2, params={"optimizer": "adam", "unit": "MB", "batch": 32})
    p, u, a = counts(adam.network)
    wrong = _wrong(adam, "total")
    assert wrong["training-forgot-gradients"] == Fraction(4 * (3 * p + u + 32 * a), 10**6)
    assert "adam-one-moment" not in wrong  # the same value: named as forgotten gradients, whose feedback says both
    assert "Adam" in next(d.feedback for d in adam.part("total").distractors
                          if d.misconception == "training-forgot-gradients")
    assert wrong["training-forgot-batch"] == Fraction(4 * (4 * p + u + a), 10**6)
    assert _wrong(adam, "state")["adam-one-moment"] == Fraction(4 * p, 10**6)
    momentum = generate(FAMILY, seed=1, difficulty=3, params={"optimizer": "sgd-momentum", "gpu": 8,
                                                              "gpu_unit": "GiB"})
    p, u, a = counts(momentum.network)
    batches = _wrong(momentum, "batch")
    assert batches["training-forgot-gradients"] == (8 * 2**30 - 4 * (2 * p + u)) // (4 * a)
    assert batches["gib-vs-gb"] == (8 * 10**9 - 4 * (3 * p + u)) // (4 * a)
    assert batches["forgot-params-memory"] == 8 * 2**30 // (4 * a)


def test_buffers_are_kept_apart_from_parameters() -> None:
    problem = generate(FAMILY, seed=2, difficulty=2)
    p, u, _ = counts(problem.network)
    assert u == 2 * sum(x.filters for x in problem.network.layers if isinstance(x, Conv))
    assert all(not x.bias for x in problem.network.layers if isinstance(x, Conv))
    assert isinstance(problem.network.layers[-1], Dense)
    assert f"U = {u}" in problem.stem


def test_same_numbers_in_both_languages() -> None:
    assert_same_numbers_in_both_languages(FAMILY, seeds=15)


def test_italian_text() -> None:
    problem = generate(FAMILY, seed=3, difficulty=3, lang="it", params={"optimizer": "adam"})
    assert "mini-batch" in problem.stem and "Adam" in problem.stem and "gradiente" in problem.stem
    assert problem.part("batch").label.startswith("Mini-batch più grande")


def test_torch_agrees() -> None:
    assert_torch_agrees(FAMILY)


def test_overrides_and_validation() -> None:
    problem = generate(FAMILY, seed=2, difficulty=1, params={"network": "resnet18", "unit": "MiB",
                                                             "optimizer": "adam"})
    assert "ResNet-18" in problem.stem and "11 689 512" in problem.stem.replace("\\,", " ")
    assert problem.part("state").answer == Fraction(2 * 11_689_512 * 4, 2**20)
    for bad, difficulty in (({"optimizer": "adagrad"}, 2), ({"dtype": "float16"}, 2), ({"dtype": "int8"}, 1),
                            ({"unit": "GB"}, 2), ({"network": "lenet5"}, 1),
                            ({"W": 30}, 2), ({"batch": 0}, 2), ({"batch": 32}, 3), ({"gpu": 8}, 1)):
        with pytest.raises(QuizgenError):
            check_params(family(FAMILY), bad, difficulty)
    check_params(family(FAMILY), {"optimizer": ["adam", "sgd-momentum"], "W": [32, 64],
                                  "batch": {"min": 8, "max": 64, "step": 8}}, 2)


def test_difficulty_one_has_hundreds_of_variants() -> None:
    """13 networks x 4 optimizers x 4 dtypes x 2 units (it had 11 x 2 x 2 = 44): a practice page of 200 does not
    repeat an exercise."""
    assert family(FAMILY).space({}, 1) == 416 and family(FAMILY).space({}, 2) is None
    assert len({generate(FAMILY, seed=seed, difficulty=1).stem for seed in range(60)}) >= 50
    rms = generate(FAMILY, seed=0, difficulty=1, params={"network": "unet", "optimizer": "rmsprop",
                                                         "dtype": "bfloat16", "unit": "MB"})
    assert "U-Net" in rms.stem and "RMSprop" in rms.stem and "bfloat16 (2 bytes)" in rms.stem
    assert rms.part("state").answer == rms.part("gradients").answer == Fraction(2 * 31_030_658, 10**6)
    assert _wrong(rms, "state")["rmsprop-two-states"] == Fraction(2 * 2 * 31_030_658, 10**6)
    adamw = generate(FAMILY, seed=0, difficulty=1, lang="it", params={"network": "alexnet", "optimizer": "adamw",
                                                                      "dtype": "float64", "unit": "MiB"})
    assert "AdamW" in adamw.stem and "float64 (8 byte)" in adamw.stem
    assert adamw.part("static").answer == Fraction(8 * 4 * 201_838_952, 2**20)
    assert _wrong(adamw, "state")["adam-one-moment"] == Fraction(8 * 201_838_952, 2**20)
    bits = next(d for d in adamw.part("gradients").distractors if d.misconception == "bits-vs-bytes")
    assert bits.value == 8 * adamw.part("gradients").answer
    assert "in float64 ogni valore occupa 64 bit = 8 byte" in bits.feedback


@pytest.mark.slow
def test_every_difficulty_one_variant_is_distinct() -> None:
    import itertools

    from quizgen.problems.training_memory import DTYPES, NAMED, TRAINERS

    seen = {generate(FAMILY, seed=0, difficulty=1, params={"network": n, "optimizer": o, "dtype": d, "unit": u}).stem
            for n, o, d, u in itertools.product(NAMED, TRAINERS, DTYPES, ("MB", "MiB"))}
    assert len(seen) == family(FAMILY).space({}, 1)
