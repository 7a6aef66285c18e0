"""fc-fc: #W_ff = F₋₁·F and #B_ff = F against hand arithmetic, LeNet-5's F6, perceptrons, chains, distractors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen.bank.params import check_params
from quizgen.errors import QuizgenError
from quizgen.nets.layers import Dense
from quizgen.problems import family, generate
from tests.problems.family_checks import assert_same_numbers_in_both_languages, assert_torch_agrees

FAMILY = "fc-fc"


@pytest.mark.parametrize("difficulty", [1, 2, 3])
@pytest.mark.parametrize("lang", ["en", "it"])
def test_hundred_seeds_generate_verify_and_match_hand_arithmetic(difficulty: int, lang: str) -> None:
    for seed in range(100):
        problem = generate(FAMILY, seed=seed, difficulty=difficulty, lang=lang)
        inp = problem.network.input
        previous = inp.h * inp.w * inp.c
        dense = [x for x in problem.network.layers if isinstance(x, Dense)]
        expected = []
        for layer in dense:
            expected.append(previous * layer.units + layer.units)
            previous = layer.units
        if difficulty == 1:
            assert problem.part("weights").answer == expected[0] - dense[0].units
            assert problem.part("biases").answer == dense[0].units
            assert problem.part("params").answer == expected[0]
        else:
            assert [problem.part(f"params-{x.name}").answer for x in dense] == expected
        if difficulty == 2:
            assert problem.part("length").answer == inp.h * inp.w * inp.c
        if difficulty == 3:
            assert problem.part("total").answer == sum(expected)
        for part in problem.parts:
            assert part.measure and len({d.value for d in part.distractors}) == len(part.distractors)


def test_numbers_identical_across_languages() -> None:
    assert_same_numbers_in_both_languages(FAMILY)


def test_lenet5_numbers_from_the_lecture() -> None:
    c5 = generate(FAMILY, seed=0, params={"F_prev": 400, "F": 120})
    assert (c5.part("weights").answer, c5.part("biases").answer, c5.part("params").answer) == (48_000, 120, 48_120)
    f6 = generate(FAMILY, seed=0, params={"F_prev": 120, "F": 84})
    assert (f6.part("weights").answer, f6.part("biases").answer, f6.part("params").answer) == (10_080, 84, 10_164)
    assert "F_{-1} = 120" in f6.stem and "F = 84" in f6.stem


def test_distractors_name_their_misconceptions() -> None:
    problem = generate(FAMILY, seed=0, params={"F_prev": 100, "F": 10})
    assert {d.misconception: d.value for d in problem.part("params").distractors} == {
        "forgot-biases": 1000, "bias-per-weight": 2000, "bias-per-input": 1100}
    assert {d.misconception: d.value for d in problem.part("weights").distractors} == {
        "weights-include-biases": 1010, "bias-node-counted": 990, "bias-node-wrong-layer": 1100}
    assert {d.misconception: d.value for d in problem.part("biases").distractors} == {
        "one-bias-per-layer": 1, "bias-per-input": 100}
    mlp = generate(FAMILY, seed=0, difficulty=2, params={"W": 28, "C": 1, "F": 100, "classes": 10})
    assert mlp.part("length").answer == 784
    assert mlp.part("params-FC1").answer == 784 * 100 + 100
    assert mlp.part("params-FC2").answer == 100 * 10 + 10
    skipped = {d.misconception: d.value for d in mlp.part("params-FC2").distractors}
    assert skipped["size-from-network-input"] == 784 * 10 + 10
    rgb = generate(FAMILY, seed=0, difficulty=2, params={"W": 32, "C": 3, "F": 100, "classes": 10})
    assert {d.misconception: d.value for d in rgb.part("length").distractors} == {"flatten-forgot-depth": 1024}


@settings(max_examples=25, deadline=None)
@given(f_prev=st.integers(1, 10_000), f=st.integers(1, 5000), seed=st.integers(0, 10**6))
def test_overrides_are_honoured(f_prev: int, f: int, seed: int) -> None:
    problem = generate(FAMILY, seed=seed, params={"F_prev": f_prev, "F": f})
    assert problem.part("params").answer == f_prev * f + f


def test_validate_rejects_impossible_overrides() -> None:
    def validate(params: dict, difficulty: int = 1) -> None:
        check_params(family(FAMILY), params, difficulty)
    with pytest.raises(QuizgenError, match="'C'"):
        validate({"C": 2}, 2)
    with pytest.raises(QuizgenError, match="'layers'"):
        validate({"layers": 7}, 3)
    with pytest.raises(QuizgenError, match="'F'"):
        validate({"F": [10, -1]})
    validate({"F": {"min": 10, "max": 100, "step": 10}})


def test_space() -> None:
    space = family(FAMILY).space
    assert space({"F_prev": 400, "F": [84, 120]}, 1) == 2
    assert space({}, 3) is None


def test_pytorch_counts_agree() -> None:
    """PyTorch builds every network of the problem and recomputes each part's measure."""
    assert_torch_agrees(FAMILY)
