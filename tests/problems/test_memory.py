"""Memory family: bytes, units, batches against independent arithmetic; misconceptions; overrides."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen.bank.params import check_params
from quizgen.errors import QuizgenError
from quizgen.nets.engine import count
from quizgen.problems import family, generate


def answers(problem) -> dict:
    return {p.key: p.answer for p in problem.parts}


def test_lenet5_parameter_memory() -> None:
    p = generate("memory", seed=0, difficulty=1, params={"network": "lenet5", "unit": "MB"})
    assert answers(p) == {"float32": Fraction(240_000, 10**6), "float16": Fraction(120_000, 10**6)}
    wrong = {d.misconception: d.value for d in p.part("float16").distractors}
    assert wrong["float16-as-4-bytes"] == Fraction(24, 100)
    assert wrong["bits-vs-bytes"] == Fraction(96, 100)
    assert wrong["mb-vs-mib"] == Fraction(120_000, 2**20)
    # stated to 3 significant digits (0.240 MB), graded within half a unit of the last decimal
    assert p.part("float32").decimals == 3 and p.part("float32").tolerance == Fraction(1, 2000)
    assert p.part("float32").label.endswith(", to 3 decimal places")


def test_vgg16_in_mib() -> None:
    p = generate("memory", seed=0, difficulty=1, params={"network": "vgg16", "unit": "MiB"})
    assert p.part("float32").answer == Fraction(138_357_544 * 4, 2**20)
    assert round(float(p.part("float32").answer), 2) == 527.79
    assert p.part("float32").decimals == 2 and p.part("float32").tolerance == Fraction(1, 200)


def _activations(network) -> int:
    """Every layer's output for one image, counted again: conv p=1 keeps the size, pooling halves it."""
    w, total = network.input.h, 0
    for layer in network.layers:
        name = type(layer).__name__
        if name == "Conv":
            depth = layer.filters
            total += w * w * depth
        elif name == "Pool":
            w //= 2
            total += w * w * depth
        else:
            total += layer.units
    return total


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**40), dtype=st.sampled_from(["float32", "float16"]),
       unit=st.sampled_from(["MB", "MiB"]))
def test_batch_activation_memory(seed: int, dtype: str, unit: str) -> None:
    p = generate("memory", seed=seed, difficulty=3, params={"kind": "activations", "dtype": dtype, "unit": unit})
    a = _activations(p.network)
    batch = int(str(p.part("memory").measure).split(", ")[1].rstrip(")"))
    assert p.part("activations").answer == a
    size = {"float32": 4, "float16": 2}[dtype]
    assert p.part("memory").answer == Fraction(batch * a * size, {"MB": 10**6, "MiB": 2**20}[unit])


def test_forgot_batch_for_small_batches() -> None:
    p = generate("memory", seed=1, difficulty=2, params={"kind": "activations", "batch": 8, "dtype": "float16"})
    memory = p.part("memory")
    wrong = {d.misconception: d.value for d in memory.distractors}
    assert wrong["forgot-batch"] == memory.answer / 8
    assert wrong["float16-as-4-bytes"] == memory.answer * 2


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**40))
def test_largest_batch(seed: int) -> None:
    p = generate("memory", seed=seed, difficulty=3, params={"kind": "batch"})
    nc = count(p.network)
    memory = int(str(p.part("batch").measure).split("(")[2].split(",")[0])
    b = p.part("batch").answer
    need = lambda n: nc.parameters * 4 + n * _activations(p.network) * 4  # noqa: E731
    assert need(b) <= memory < need(b + 1)
    assert p.part("params").answer == nc.parameters


def test_largest_batch_misconceptions() -> None:
    p = generate("memory", seed=5, difficulty=3, params={"kind": "batch", "gpu": 2, "gpu_unit": "GiB", "W": 64})
    nc = count(p.network)
    a, params = _activations(p.network), nc.parameters
    wrong = {d.misconception: d.value for d in p.part("batch").distractors}
    assert wrong.get("gib-vs-gb", (2 * 10**9 - params * 4) // (a * 4)) == (2 * 10**9 - params * 4) // (a * 4)
    assert wrong.get("forgot-params-memory", 2 * 2**30 // (a * 4)) == 2 * 2**30 // (a * 4)


@pytest.mark.parametrize("difficulty", [1, 2, 3])
@pytest.mark.parametrize("lang", ["en", "it"])
def test_every_difficulty_and_language_generates_and_verifies(difficulty: int, lang: str) -> None:
    for seed in range(100):
        p = generate("memory", seed=seed, difficulty=difficulty, lang=lang)
        assert p.stem and p.solution and p.network is not None
        assert all(part.measure for part in p.parts)
        if lang == "it" and seed < 10:
            en = generate("memory", seed=seed, difficulty=difficulty, lang="en")
            assert [x.answer for x in en.parts] == [x.answer for x in p.parts]
            assert en.stem != p.stem


def test_hand_arithmetic_uses_decimal_units() -> None:
    for seed in range(30):
        p = generate("memory", seed=seed, difficulty=seed % 3 + 1, params={"arithmetic": "hand"})
        assert "MiB" not in p.stem and "GiB" not in p.stem


def test_validate_and_bad_overrides() -> None:
    def validate(params: dict, difficulty: int = 2) -> None:
        check_params(family("memory"), params, difficulty)
    with pytest.raises(QuizgenError, match="cannot be 'KB'"):
        validate({"unit": "KB"})
    with pytest.raises(QuizgenError, match="multiple of 4"):
        validate({"W": 30})
    with pytest.raises(QuizgenError, match="cannot be 'resnet'"):
        validate({"network": "resnet"}, 1)
    validate({"unit": ["MB", "MiB"], "W": {"min": 32, "max": 64, "step": 32}})
    with pytest.raises(QuizgenError, match="difficulty-1"):
        generate("memory", seed=0, difficulty=1, params={"kind": "batch"})


def test_parameter_count_has_distractors_on_both_sides() -> None:
    sizes = {"W": 32, "C": 3, "N1": 16, "N3": 32, "F": 128}
    p = generate("memory", seed=0, difficulty=2, params={"kind": "params", **sizes})
    answer = p.part("params").answer
    f5 = 8 * 8 * 32 * 128  # F5 sees S4's 8x8x32 maps
    assert answer == (27 * 16 + 16) + (9 * 16 * 32 + 32) + (f5 + 128) + (128 * 10 + 10)
    wrong = {d.misconception: d.value for d in p.part("params").distractors}
    assert wrong["forgot-biases"] < answer
    assert wrong["pooling-weights"] == answer + 5 * 16 + 5 * 32
    assert wrong["fc-input-unpooled"] == answer + (16 * 16 - 8 * 8) * 32 * 128  # F5 fed S4's 16x16 input
    assert "16 \\times 16" in next(d.feedback for d in p.part("params").distractors
                                   if d.misconception == "fc-input-unpooled")


def test_the_batch_question_honours_the_dtype() -> None:
    for dtype, b in (("float16", 2), ("float32", 4)):
        p = generate("memory", seed=5, difficulty=3, params={"kind": "batch", "dtype": dtype})
        nc = count(p.network)
        measure = str(p.part("batch").measure)
        assert f"bytes(net.params, {dtype})" in measure
        m = int(measure.split("diff(")[1].split(",")[0])
        assert p.part("batch").answer == (m - nc.parameters * b) // (nc.activations * b)
        assert f"{dtype} ({b} bytes per value)" in p.stem
    p = generate("memory", seed=5, difficulty=3, params={"kind": "batch"})
    assert "float32 (4 bytes per value)" in p.stem and "4P" not in p.hint


def test_named_networks_have_display_names_in_both_languages() -> None:
    for name, en, it in (("alexnet-2012", "AlexNet 2012 (Krizhevsky et al., two GPU groups) has",
                          "AlexNet 2012 (Krizhevsky et al., due gruppi GPU) ha"),
                         ("lenet5-modern", "The modern form of LeNet-5", "La forma moderna di LeNet-5")):
        assert en in generate("memory", seed=2, difficulty=1, params={"network": name}).stem
        assert it in generate("memory", seed=2, difficulty=1, lang="it", params={"network": name}).stem
