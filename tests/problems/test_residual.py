"""residual: ResNet's basic and bottleneck blocks by hand arithmetic, against the engine and sympy (generate
verifies) and against PyTorch (every layer inside the block, and the block's output)."""

from __future__ import annotations

import pytest

from quizgen.bank.params import check_params
from quizgen.errors import QuizgenError
from quizgen.nets.layers import Residual
from quizgen.problems import family, generate
from tests.problems.family_checks import assert_same_numbers_in_both_languages, assert_torch_agrees

FAMILY = "residual"


def _conv(f: int, c: int, n: int) -> int:
    return f * f * c * n + 2 * n  # no bias; batch normalization's gamma and beta


@pytest.mark.parametrize("difficulty", [1, 2, 3])
@pytest.mark.parametrize("lang", ["en", "it"])
def test_hundred_seeds_match_hand_arithmetic(difficulty: int, lang: str) -> None:
    for seed in range(100):
        problem = generate(FAMILY, seed=seed, difficulty=difficulty, lang=lang)
        block = problem.network.layers[0]
        assert isinstance(block, Residual)
        h, c = problem.network.input.h, problem.network.input.c
        if difficulty == 1:
            assert not block.shortcut
            assert problem.part("conv1").answer == 9 * c * c
            assert problem.part("block").answer == 2 * _conv(3, c, c)
            assert problem.part("size").answer == h
        elif difficulty == 2:
            out = 2 * c
            assert problem.part("size").answer == (h - 1) // 2 + 1
            assert problem.part("body").answer == _conv(3, c, out) + _conv(3, out, out)
            assert problem.part("projection").answer == _conv(1, c, out)
            assert problem.part("block").answer == _conv(3, c, out) + _conv(3, out, out) + _conv(1, c, out)
            kinds = {d.misconception for d in problem.part("block").distractors}
            assert "forgot-projection" in kinds
        else:
            r = block.body[0].filters
            out = 4 * r
            expected = _conv(1, c, r) + _conv(3, r, r) + _conv(1, r, out)
            assert problem.part("conv1").answer == c * r and problem.part("conv3").answer == r * out
            if block.shortcut:
                assert problem.part("projection").answer == _conv(1, c, out)
                expected += _conv(1, c, out)
            else:
                assert c == out
            assert problem.part("block").answer == expected


def test_resnet50_first_bottleneck() -> None:
    # torchvision's resnet50 layer1.0: 56x56x64, r = 64, projection to 256 maps with stride 1: 75,008 parameters
    problem = generate(FAMILY, seed=0, difficulty=3, params={"H": 56, "r": 64, "shortcut": "projection", "s": 1})
    assert problem.network.input.c == 64
    assert problem.part("block").answer == 75_008
    identity = generate(FAMILY, seed=0, difficulty=3, params={"H": 56, "r": 64, "shortcut": "identity"})
    assert identity.network.input.c == 256 and identity.part("block").answer == 70_400  # layer1.1


def test_resnet18_blocks() -> None:
    # torchvision's resnet18 layer1.0 (64 maps) and layer2.0 (64 -> 128, stride 2, projection)
    assert generate(FAMILY, seed=0, difficulty=1, params={"H": 56, "C": 64}).part("block").answer == 73_984
    downsample = generate(FAMILY, seed=0, difficulty=2, params={"H": 56, "C": 64})
    assert downsample.part("block").answer == 230_144 and downsample.part("size").answer == 28


def test_numbers_identical_across_languages() -> None:
    assert_same_numbers_in_both_languages(FAMILY)


def test_torch_agrees() -> None:
    assert_torch_agrees(FAMILY)


def test_bad_overrides_are_refused() -> None:
    def check(params: dict, difficulty: int = 3) -> None:
        check_params(family(FAMILY), params, difficulty)

    with pytest.raises(QuizgenError, match="identity"):
        check({"shortcut": "identity", "s": 2})
    with pytest.raises(QuizgenError, match="'shortcut'"):
        check({"shortcut": "conv"})
    with pytest.raises(QuizgenError, match="difficult"):
        check({"r": 64}, 1)
    check({"shortcut": "projection", "s": [1, 2], "r": 32})
    space = family(FAMILY).space
    assert space({"H": 14, "r": 64}, 3) == 3 and space({"H": 14, "C": 64}, 1) == 1
