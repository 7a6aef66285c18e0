"""output-size: sizes checked against hand arithmetic, SAME/VALID, chains, distractors, overrides, validation."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen.bank.params import check_params
from quizgen.errors import QuizgenError
from quizgen.nets.layers import Conv
from quizgen.problems import family, generate
from tests.problems.family_checks import assert_torch_agrees

FAMILY = "output-size"


def by_hand(w: int, f: int, s: int, padding: int | str) -> int:
    """The output size as the lecture computes it, written out independently of the engine."""
    if padding == "same":
        return math.ceil(w / s)
    if padding == "valid":
        return math.ceil((w - f + 1) / s)
    return math.floor((w - f + 2 * padding) / s) + 1


def numbers(problem):
    return [(p.key, p.answer, [(d.value, d.misconception) for d in p.distractors]) for p in problem.parts]


@pytest.mark.parametrize("difficulty", [1, 2, 3])
@pytest.mark.parametrize("lang", ["en", "it"])
def test_hundred_seeds_generate_verify_and_match_hand_arithmetic(difficulty: int, lang: str) -> None:
    for seed in range(100):
        problem = generate(FAMILY, seed=seed, difficulty=difficulty, lang=lang)
        assert problem.stem and problem.solution and problem.network is not None
        w = problem.network.input.h
        for layer in problem.network.layers:
            size = by_hand(w, layer.kernel[0], layer.stride[0], layer.padding)
            key = {1: "size", 2: "same", 3: f"size-{layer.name}"}[difficulty]
            assert problem.part(key).answer == size
            w = size
        if difficulty == 2:
            (valid_net,) = problem.extra_networks
            layer = valid_net.layers[0]
            assert layer.padding == "valid"
            w0 = valid_net.input.h
            assert problem.part("valid").answer == by_hand(w0, layer.kernel[0], layer.stride[0], "valid")
        for part in problem.parts:
            assert part.measure
            assert len({d.value for d in part.distractors}) == len(part.distractors)
            assert all(d.value != part.answer and d.feedback for d in part.distractors)
        main = problem.parts[0]
        assert len(main.distractors) >= (2 if difficulty < 3 else 1)


def test_numbers_identical_across_languages() -> None:
    for difficulty in (1, 2, 3):
        for seed in range(30):
            en = generate(FAMILY, seed=seed, difficulty=difficulty, lang="en")
            it = generate(FAMILY, seed=seed, difficulty=difficulty, lang="it")
            assert numbers(en) == numbers(it)
            assert en.network == it.network
            assert en.stem != it.stem


def test_known_cases() -> None:
    alexnet_c1 = generate(FAMILY, seed=1, params={"layer": "conv", "W": 227, "f": 11, "s": 4, "p": 0, "C": 3})
    assert alexnet_c1.part("size").answer == 55
    pool = generate(FAMILY, seed=1, params={"layer": "pool", "W": 55, "pool_f": 3, "pool_s": 2})
    assert pool.part("size").answer == 27
    same_valid = generate(FAMILY, seed=1, difficulty=2, params={"layer": "conv", "W": 224, "f": 11, "s": 4,
                                                                "N": 96, "C": 3})
    assert same_valid.part("same").answer == 56
    assert same_valid.part("valid").answer == 54
    assert same_valid.part("activations").answer == 56 * 56 * 96


def test_distractors_name_their_misconceptions() -> None:
    # W = 32, f = 3, s = 2, p = 2: floor(33/2) + 1 = 17
    problem = generate(FAMILY, seed=3, params={"layer": "conv", "W": 32, "f": 3, "s": 2, "p": 2})
    part = problem.part("size")
    assert part.answer == 17
    found = {d.misconception: d.value for d in part.distractors}
    assert found == {"forgot-padding": 15, "forgot-plus-one": 16, "floor-ceil-swapped": 18, "stride-ignored": 34}
    stride = next(d for d in part.distractors if d.misconception == "stride-ignored")
    assert "s = 2" in stride.feedback
    # SAME vs VALID: the other convention is a named mistake
    two = generate(FAMILY, seed=3, difficulty=2, params={"layer": "conv", "W": 30, "f": 5, "s": 4})
    assert two.part("same").answer == 8 and two.part("valid").answer == 7
    assert {d.misconception: d.value for d in two.part("valid").distractors}["same-valid-swapped"] == 8
    # ... and the VALID size typed as the SAME one is the same swap, not a forgotten p (the stem gives none)
    three = generate(FAMILY, seed=3, difficulty=2, params={"layer": "conv", "W": 30, "f": 7, "s": 4})
    assert three.part("same").answer == 8 and three.part("valid").answer == 6
    same = {d.misconception: d for d in three.part("same").distractors}
    assert same["same-valid-swapped"].value == 6 and "forgot-padding" not in same
    assert "This layer uses SAME" in same["same-valid-swapped"].feedback


@settings(max_examples=30, deadline=None)
@given(w=st.integers(12, 80), f=st.sampled_from([3, 5, 7]), s=st.sampled_from([1, 2, 3]), p=st.integers(1, 3),
       seed=st.integers(0, 10**6))
def test_overrides_are_honoured(w: int, f: int, s: int, p: int, seed: int) -> None:
    problem = generate(FAMILY, seed=seed, params={"layer": "conv", "W": w, "f": f, "s": s, "p": p})
    (layer,) = problem.network.layers
    assert isinstance(layer, Conv)
    assert (problem.network.input.h, layer.kernel[0], layer.stride[0], layer.padding) == (w, f, s, p)
    assert problem.part("size").answer == by_hand(w, f, s, p)


def test_a_plain_layer_can_be_pinned() -> None:
    # s = 1 and p = 0 leaves only the +1 to forget: the default draws avoid it, a bank may still ask for it
    problem = generate(FAMILY, seed=0, params={"layer": "conv", "W": 32, "f": 5, "s": 1, "p": 0})
    assert problem.part("size").answer == 28
    assert [d.misconception for d in problem.part("size").distractors] == ["forgot-plus-one"]


def test_hand_arithmetic_divides_evenly() -> None:
    for seed in range(60):
        problem = generate(FAMILY, seed=seed, difficulty=1, params={"arithmetic": "hand"})
        (layer,) = problem.network.layers
        w, f, s, p = problem.network.input.h, layer.kernel[0], layer.stride[0], layer.padding
        assert (w - f + 2 * p) % s == 0 and w <= 64


def test_validate_rejects_impossible_overrides() -> None:
    def validate(params: dict, difficulty: int = 1) -> None:
        check_params(family(FAMILY), params, difficulty)
    with pytest.raises(QuizgenError, match="no output-size problem"):
        validate({"layer": "conv", "W": 4, "f": 9, "p": 0})
    with pytest.raises(QuizgenError, match="layer"):
        validate({"layer": "triangle"})
    with pytest.raises(QuizgenError, match="'p'"):
        validate({"p": -1})
    validate({"layer": "conv", "W": 32, "f": 5})


def test_space_counts_distinct_draws() -> None:
    space = family(FAMILY).space
    assert space({"layer": "conv", "W": 32, "f": 3, "s": 2, "p": 1, "N": 8, "C": 1}, 1) == 1
    assert space({"layer": "conv", "W": 32, "f": 3, "s": 2, "p": [1, 2], "N": 8, "C": [1, 3]}, 1) == 4
    assert space({}, 3) is None
    assert space({}, 1) > 100


def test_pytorch_counts_agree() -> None:
    """PyTorch builds every network of the problem and recomputes each part's measure."""
    assert_torch_agrees(FAMILY)
