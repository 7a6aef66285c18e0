"""conv-conv: C is the depth of the previous maps; counts against hand arithmetic, distractors, overrides."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen.bank.params import check_params
from quizgen.errors import QuizgenError
from quizgen.nets.layers import Conv, Pool
from quizgen.problems import family, generate
from tests.problems.family_checks import assert_same_numbers_in_both_languages, assert_torch_agrees

FAMILY = "conv-conv"


def walk(network):
    """(layer, input depth, input size) for every layer, computed by hand (explicit padding or SAME)."""
    depth, size, out = network.input.c, network.input.h, []
    for layer in network.layers:
        out.append((layer, depth, size))
        f, s, p = layer.kernel[0], layer.stride[0], layer.padding
        size = -(-size // s) if p == "same" else (size - f + 2 * p) // s + 1
        if isinstance(layer, Conv):
            depth = layer.filters
    return out


def conv_params(layer: Conv, depth: int) -> int:
    return layer.kernel[0] ** 2 * depth * layer.filters + layer.filters


@pytest.mark.parametrize("difficulty", [1, 2, 3])
@pytest.mark.parametrize("lang", ["en", "it"])
def test_hundred_seeds_generate_verify_and_match_hand_arithmetic(difficulty: int, lang: str) -> None:
    for seed in range(100):
        problem = generate(FAMILY, seed=seed, difficulty=difficulty, lang=lang)
        walked = walk(problem.network)
        convs = [(layer, depth) for layer, depth, _ in walked if isinstance(layer, Conv)]
        if difficulty < 3:
            layer, depth = convs[-1]
            assert problem.part("weights").answer == layer.kernel[0] ** 2 * depth * layer.filters
            assert problem.part("params").answer == conv_params(layer, depth)
            assert len(problem.part("params").distractors) >= 3
            assert len(problem.part("weights").distractors) >= 2
        else:
            answers = [conv_params(layer, depth) for layer, depth in convs]
            assert [problem.part(f"params-{layer.name}").answer for layer, _ in convs] == answers
            assert problem.part("total").answer == sum(answers)
            assert len(problem.part("total").distractors) >= 2
        if difficulty == 2:
            last, _, size = walked[-1]
            f, s, p = last.kernel[0], last.stride[0], last.padding
            assert problem.part("size").answer == (size - f + 2 * p) // s + 1
        for part in problem.parts:
            assert part.measure and len({d.value for d in part.distractors}) == len(part.distractors)


def test_numbers_identical_across_languages() -> None:
    assert_same_numbers_in_both_languages(FAMILY)


def test_lenet_c3_as_fully_connected() -> None:
    # LeNet-5 without the connection table: C1 has 6 filters, S2 pools, C3 has 16 filters of 5x5: 5*5*6*16 + 16
    problem = generate(FAMILY, seed=5, params={"prev": "pool", "C_img": 1, "W": 32, "N1": 6, "f1": 5, "f": 5, "N": 16})
    assert problem.part("weights").answer == 2400
    assert problem.part("params").answer == 2416
    assert "$6$" in problem.stem and "$16$" in problem.stem


def test_distractors_name_their_misconceptions() -> None:
    problem = generate(FAMILY, seed=1, params={"prev": "conv", "C_img": 3, "N1": 8, "f": 3, "N": 16})
    weights = {d.misconception: d.value for d in problem.part("weights").distractors}
    assert weights == {"forgot-depth": 144, "f-not-squared": 384, "image-depth-not-maps": 432,
                       "weights-include-biases": 1168}
    params = {d.misconception: d.value for d in problem.part("params").distractors}
    assert params == {"forgot-biases": 1152, "forgot-depth": 160, "f-not-squared": 400, "bias-per-weight": 2304,
                      "image-depth-not-maps": 448}
    image = next(d for d in problem.part("params").distractors if d.misconception == "image-depth-not-maps")
    assert "C = 8" in image.feedback and "C = 3" in image.feedback
    pooled = generate(FAMILY, seed=1, params={"prev": "pool", "C_img": 3, "N1": 8, "f": 3, "N": 16})
    assert {d.misconception: d.value for d in pooled.part("params").distractors}["pooling-reduces-depth"] == 592


@settings(max_examples=25, deadline=None)
@given(n1=st.integers(2, 64), n=st.integers(2, 128), f=st.sampled_from([1, 3, 5]), prev=st.sampled_from(
    ["conv", "pool", "maps"]), seed=st.integers(0, 10**6))
def test_overrides_are_honoured(n1: int, n: int, f: int, prev: str, seed: int) -> None:
    problem = generate(FAMILY, seed=seed, params={"N1": n1, "N": n, "f": f, "prev": prev})
    layer = problem.network.layers[-1]
    assert (layer.filters, layer.kernel[0]) == (n, f)
    assert problem.part("params").answer == f * f * n1 * n + n
    assert any(isinstance(x, Pool) for x in problem.network.layers) == (prev == "pool")


def test_validate_rejects_impossible_overrides() -> None:
    def validate(params: dict, difficulty: int = 2) -> None:
        check_params(family(FAMILY), params, difficulty)
    with pytest.raises(QuizgenError, match="no conv-conv problem"):
        validate({"W": 2, "f1": 7, "f": 7, "p": 0})
    with pytest.raises(QuizgenError, match="prev"):
        validate({"prev": "fc"})
    with pytest.raises(QuizgenError, match="C_img"):
        validate({"C_img": 2})
    validate({"W": 32, "f": 5})


def test_pinned_numbers_with_few_plausible_wrong_values_still_generate() -> None:
    # f = 1 and C = N = 2: no f-not-squared, and most wrong values are far off; the problem is still made
    problem = generate(FAMILY, seed=0, params={"prev": "maps", "N1": 2, "N": 2, "f": 1, "W": 8})
    assert problem.part("params").answer == 1 * 2 * 2 + 2
    assert len(problem.part("params").distractors) < 3


def test_space() -> None:
    space = family(FAMILY).space
    fixed = {"prev": "conv", "C_img": 1, "W": 32, "N1": 6, "f1": 5, "f": 5, "N": 16}
    assert space(fixed, 1) == 1
    assert space({**fixed, "N": [16, 32]}, 1) == 2
    assert space({}, 3) is None


def test_pytorch_counts_agree() -> None:
    """PyTorch builds every network of the problem and recomputes each part's measure."""
    assert_torch_agrees(FAMILY)
