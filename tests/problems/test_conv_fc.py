"""conv-fc: flatten length and FC parameters against hand arithmetic, LeNet-5's numbers, distractors, overrides."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen.bank.params import check_params
from quizgen.errors import QuizgenError
from quizgen.nets.layers import Conv, Dense, Pool
from quizgen.problems import family, generate
from tests.problems.family_checks import assert_same_numbers_in_both_languages, assert_torch_agrees

FAMILY = "conv-fc"


def maps_before_fc(network) -> tuple[int, int]:
    """(O, N_c) of the maps the FC layer receives, walked by hand through conv/pool layers."""
    size, depth = network.input.h, network.input.c
    for layer in network.layers:
        if isinstance(layer, (Conv, Pool)):
            f, s, p = layer.kernel[0], layer.stride[0], layer.padding
            size = (size - f + 2 * p) // s + 1
            depth = layer.filters if isinstance(layer, Conv) else depth
    return size, depth


@pytest.mark.parametrize("difficulty", [1, 2, 3])
@pytest.mark.parametrize("lang", ["en", "it"])
def test_hundred_seeds_generate_verify_and_match_hand_arithmetic(difficulty: int, lang: str) -> None:
    for seed in range(100):
        problem = generate(FAMILY, seed=seed, difficulty=difficulty, lang=lang)
        o, n = maps_before_fc(problem.network)
        fc = problem.network.layers[-1]
        assert isinstance(fc, Dense)
        assert problem.part("flatten").answer == o * o * n
        assert problem.part("params").answer == o * o * n * fc.units + fc.units
        if difficulty >= 2:
            assert problem.part("size").answer == o
        if difficulty == 3:
            convs = [x for x in problem.network.layers if isinstance(x, Conv)]
            depth, conv_params = problem.network.input.c, 0
            for conv in convs:
                conv_params += conv.kernel[0] ** 2 * depth * conv.filters + conv.filters
                depth = conv.filters
            assert problem.part("total").answer == conv_params + o * o * n * fc.units + fc.units
        assert len(problem.part("params").distractors) >= 2
        for part in problem.parts:
            assert part.measure and len({d.value for d in part.distractors}) == len(part.distractors)


def test_numbers_identical_across_languages() -> None:
    assert_same_numbers_in_both_languages(FAMILY)


def test_lenet5_c5_from_the_lecture() -> None:
    # 5 x 5 x 16 -> 400 -> 120 nodes: (400 x 120) + 120 = 48,120
    given_maps = generate(FAMILY, seed=2, params={"O": 5, "N": 16, "F": 120})
    assert given_maps.part("flatten").answer == 400
    assert given_maps.part("weights").answer == 48_000
    assert given_maps.part("params").answer == 48_120
    lenet = generate(FAMILY, seed=2, difficulty=3, params={"W": 32, "C": 1, "f": 5, "N1": 6, "N": 16, "pool": 2,
                                                           "F": 120})
    assert lenet.part("size").answer == 5
    assert lenet.part("flatten").answer == 400
    assert lenet.part("params").answer == 48_120
    assert lenet.part("total").answer == (5 * 5 * 1 * 6 + 6) + (5 * 5 * 6 * 16 + 16) + 48_120


def test_input_size_instead_of_output_size() -> None:
    # 28 x 28 x 1 -> conv of 6 filters 5 x 5 (p = 0, s = 1) -> O = 24 -> FC of 10 nodes
    problem = generate(FAMILY, seed=4, difficulty=2, params={"layer": "conv", "W": 28, "C": 1, "f": 5, "s": 1,
                                                             "p": 0, "N": 6, "F": 10})
    assert problem.part("size").answer == 24
    assert problem.part("flatten").answer == 24 * 24 * 6
    params = {d.misconception: d.value for d in problem.part("params").distractors}
    assert params["input-size-before-fc"] == 28 * 28 * 6 * 10 + 10
    assert params["flatten-forgot-depth"] == 24 * 24 * 10 + 10
    assert params["forgot-biases"] == 24 * 24 * 6 * 10
    assert params["bias-per-weight"] == 2 * 24 * 24 * 6 * 10
    assert "o-not-squared" not in params  # 24 x 6 x 10 is not within a factor 10 of the answer
    flatten = {d.misconception: d.value for d in problem.part("flatten").distractors}
    assert flatten["input-size-before-fc"] == 28 * 28 * 6
    feedback = next(d.feedback for d in problem.part("params").distractors if d.misconception == "input-size-before-fc")
    assert "O = 24" in feedback and "W = 28" in feedback
    pooled = generate(FAMILY, seed=4, difficulty=2, params={"layer": "pool", "W": 16, "pool": 2, "N": 8, "F": 10})
    assert {d.misconception: d.value for d in pooled.part("flatten").distractors}["pooling-reduces-depth"] == 8 * 8 * 4


@settings(max_examples=25, deadline=None)
@given(o=st.integers(2, 14), n=st.integers(1, 256), f=st.integers(2, 4096), seed=st.integers(0, 10**6))
def test_overrides_are_honoured(o: int, n: int, f: int, seed: int) -> None:
    problem = generate(FAMILY, seed=seed, params={"O": o, "N": n, "F": f})
    assert problem.network.input.h == o and problem.network.input.c == n
    assert problem.part("weights").answer == o * o * n * f


def test_validate_rejects_impossible_overrides() -> None:
    def validate(params: dict, difficulty: int = 2) -> None:
        check_params(family(FAMILY), params, difficulty)
    with pytest.raises(QuizgenError, match="no conv-fc problem"):
        validate({"W": 3, "f": 7, "p": 0})
    with pytest.raises(QuizgenError, match="layer"):
        validate({"layer": "fc"})
    with pytest.raises(QuizgenError, match="'F'"):
        validate({"F": 0})
    validate({"W": 28, "f": 5})


def test_space() -> None:
    space = family(FAMILY).space
    assert space({"O": 5, "N": 16, "F": [84, 120]}, 1) == 2
    assert space({"layer": "pool", "W": 16, "pool": 2, "N": 8, "F": 10}, 2) == 1
    assert space({}, 3) is None


def test_pytorch_counts_agree() -> None:
    """PyTorch builds every network of the problem and recomputes each part's measure."""
    assert_torch_agrees(FAMILY)
