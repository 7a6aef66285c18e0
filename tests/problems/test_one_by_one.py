"""one-by-one: 1×1 parameters and depth, Inception and ResNet bottleneck savings against hand arithmetic."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen.bank.params import check_params
from quizgen.errors import QuizgenError
from quizgen.problems import family, generate
from tests.problems.family_checks import assert_same_numbers_in_both_languages, assert_torch_agrees

FAMILY = "one-by-one"


def conv(f: int, c: int, n: int) -> int:
    return f * f * c * n + n


@pytest.mark.parametrize("difficulty", [1, 2, 3])
@pytest.mark.parametrize("lang", ["en", "it"])
def test_hundred_seeds_generate_verify_and_match_hand_arithmetic(difficulty: int, lang: str) -> None:
    for seed in range(100):
        problem = generate(FAMILY, seed=seed, difficulty=difficulty, lang=lang)
        h, c = problem.network.input.h, problem.network.input.c
        layers = problem.network.layers
        if difficulty == 1:
            n = layers[0].filters
            assert problem.part("params").answer == c * n + n
            assert problem.part("depth").answer == n
            assert problem.part("size").answer == h
            continue
        # the diagrams in the stem's order, labelled: D (direct) first, then B (bottleneck)
        direct_net, (bottleneck_net,) = problem.network, problem.extra_networks
        assert direct_net.title.startswith("D (") and bottleneck_net.title == "B (bottleneck)"
        layers = bottleneck_net.layers
        direct_layer = direct_net.layers[0]
        direct = conv(direct_layer.kernel[0], c, direct_layer.filters)
        depth, block = c, 0
        for layer in layers:
            block += conv(layer.kernel[0], depth, layer.filters)
            depth = layer.filters
        assert problem.part("direct").answer == direct
        assert problem.part("bottleneck").answer == block
        percent = problem.part("percent")
        assert percent.answer == Fraction(100 * (direct - block), direct)
        assert percent.decimals == 2 and percent.tolerance == Fraction(1, 200) and percent.unit == "%"
        assert len(percent.distractors) >= 2
        assert all(abs(d.value - percent.answer) > Fraction(1, 100) for d in percent.distractors)
        if difficulty == 2:
            assert problem.part("saving").answer == direct - block


def test_numbers_identical_across_languages() -> None:
    assert_same_numbers_in_both_languages(FAMILY)


def test_one_by_one_layer() -> None:
    problem = generate(FAMILY, seed=0, params={"H": 28, "C": 192, "n": 64})
    assert problem.part("params").answer == 192 * 64 + 64
    assert problem.part("size").answer == 28
    assert problem.part("depth").answer == 64
    depth = {d.misconception: d.value for d in problem.part("depth").distractors}
    assert depth == {"one-by-one-keeps-depth": 192}  # depth 1 is not within a factor 10 of 64
    small = generate(FAMILY, seed=0, params={"H": 8, "C": 32, "n": 8})
    assert {d.misconception: d.value for d in small.part("depth").distractors} == {
        "one-by-one-keeps-depth": 32, "one-by-one-depth-one": 1}


def test_inception_5x5_branch() -> None:
    # GoogLeNet inception (3a): 28 x 28 x 192, 1x1 reduction to 16 maps before 32 filters of 5x5
    problem = generate(FAMILY, seed=0, difficulty=2, params={"H": 28, "C": 192, "n": 16, "N": 32, "k": 5})
    direct = 5 * 5 * 192 * 32 + 32
    block = (192 * 16 + 16) + (5 * 5 * 16 * 32 + 32)
    assert (direct, block) == (153_632, 15_920)
    assert problem.part("direct").answer == direct
    assert problem.part("bottleneck").answer == block
    assert problem.part("saving").answer == 137_712
    assert round(float(problem.part("percent").answer), 2) == 89.64
    found = {d.misconception: d.value for d in problem.part("percent").distractors}
    assert found["savings-forgot-reduction"] == Fraction(100 * (direct - (block - 3088)), direct)
    assert found["savings-kept-not-saved"] == Fraction(100 * block, direct)
    bottleneck = {d.misconception: d.value for d in problem.part("bottleneck").distractors}
    assert bottleneck["savings-forgot-reduction"] == 5 * 5 * 16 * 32 + 32


def test_resnet_bottleneck() -> None:
    problem = generate(FAMILY, seed=0, difficulty=3, params={"H": 56, "C": 256, "n": 64, "k": 3})
    assert [problem.part(f"params-C{i}").answer for i in (1, 2, 3)] == [16_448, 36_928, 16_640]
    assert problem.part("bottleneck").answer == 70_016
    assert problem.part("direct").answer == 590_080
    assert problem.part("percent").answer == Fraction(100 * (590_080 - 70_016), 590_080)


@settings(max_examples=20, deadline=None)
@given(c=st.integers(2, 512), n=st.integers(1, 256), seed=st.integers(0, 10**6))
def test_overrides_are_honoured(c: int, n: int, seed: int) -> None:
    if c == n:
        return
    problem = generate(FAMILY, seed=seed, params={"C": c, "n": n})
    assert problem.part("params").answer == c * n + n


def test_validate_rejects_impossible_overrides() -> None:
    def validate(params: dict, difficulty: int = 2) -> None:
        check_params(family(FAMILY), params, difficulty)
    with pytest.raises(QuizgenError, match="2 or more"):
        validate({"C": 1})
    with pytest.raises(QuizgenError, match="half"):
        validate({"C": 32, "n": 32})
    validate({"C": 256, "n": 64})


def test_space() -> None:
    space = family(FAMILY).space
    assert space({"H": 28, "C": 192, "n": [16, 32], "N": 32, "k": 5}, 2) == 2
    assert space({"H": 28, "C": 192, "n": [16, 128], "N": 32, "k": 5}, 2) == 1


def test_pytorch_counts_agree() -> None:
    """PyTorch builds every network of the problem and recomputes each part's measure."""
    assert_torch_agrees(FAMILY)
