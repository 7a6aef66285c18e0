"""transposed-conv: output sizes, parameters and output padding by hand arithmetic, against the engine and sympy
(generate verifies) and against PyTorch's ConvTranspose2d (shapes and parameters)."""

from __future__ import annotations

import pytest

from quizgen.bank.params import check_params
from quizgen.errors import QuizgenError
from quizgen.problems import family, generate
from tests.problems.family_checks import assert_same_numbers_in_both_languages, assert_torch_agrees

FAMILY = "transposed-conv"
PADDING = {2: 0, 3: 1, 4: 1}


def up(w: int, f: int, p_o: int = 0) -> int:
    return (w - 1) * 2 - 2 * PADDING[f] + f + p_o


@pytest.mark.parametrize("difficulty", [1, 2, 3])
@pytest.mark.parametrize("lang", ["en", "it"])
def test_hundred_seeds_match_hand_arithmetic(difficulty: int, lang: str) -> None:
    paddings = set()
    for seed in range(100):
        problem = generate(FAMILY, seed=seed, difficulty=difficulty, lang=lang)
        w, c = problem.network.input.h, problem.network.input.c
        f = problem.network.layers[-1].kernel[0]
        if difficulty == 1:
            assert problem.part("size").answer == up(w, f)
            assert problem.part("params-U1").answer == f * f * c * (c // 2) + c // 2
            assert "deconv-conv-formula" in {d.misconception for d in problem.part("size").distractors}
        elif difficulty == 2:
            assert problem.part("size-U1").answer == up(w, f)
            assert problem.part("size-U2").answer == up(up(w, f), f)
            assert problem.part("params-U2").answer == f * f * (c // 2) * (c // 4) + c // 4
        else:
            o = (w - f + 2 * PADDING[f]) // 2 + 1
            assert problem.part("size-C1").answer == o
            assert problem.part("size-U1").answer == up(o, f)
            p_o = problem.part("output-padding").answer
            # the floor drops a row for an odd W with f = 2 or 4 and an even W with f = 3
            assert p_o == w - up(o, f) == (w % 2 == (0 if f == 3 else 1))
            assert problem.network.layers[-1].output_padding == (p_o, p_o)
            assert problem.part("params-U1").answer == f * f * c * c + c
            paddings.add(p_o)
    assert difficulty < 3 or paddings == {0, 1}


def test_output_padding_is_not_always_the_smallest_option() -> None:
    """p_o = 1 has the mistake 0 below it (the pair taken as exact inverses), p_o = 0 the recipe s - 1 above it."""
    one = generate(FAMILY, seed=0, difficulty=3, params={"W": 28, "f": 3})
    assert one.part("output-padding").answer == 1
    assert {d.misconception: d.value for d in one.part("output-padding").distractors}["output-padding-none"] == 0
    zero = generate(FAMILY, seed=0, difficulty=3, params={"W": 28, "f": 2})  # U-Net's 2x2 on an even size
    assert zero.part("output-padding").answer == 0 and zero.part("size-U1").answer == 28
    wrong = {d.misconception: d.value for d in zero.part("output-padding").distractors}
    assert wrong["output-padding-stride-minus-one"] == 1 and "output-padding-none" not in wrong


def test_unet_up_convolution() -> None:
    # U-Net (Ronneberger et al. 2015): 28x28x1024 -> up-conv 2x2 -> 56x56x512: 2,097,664 parameters
    problem = generate(FAMILY, seed=0, difficulty=1, params={"W": 28, "C": 1024, "f": 2})
    assert problem.part("size").answer == 56
    assert problem.part("params-U1").answer == 2_097_664
    wrong = {d.misconception: d.value for d in problem.part("size").distractors}
    assert wrong["deconv-conv-formula"] == 14  # the convolution's formula halves instead of doubling


def test_numbers_identical_across_languages() -> None:
    assert_same_numbers_in_both_languages(FAMILY)


def test_torch_agrees() -> None:
    assert_torch_agrees(FAMILY)


def test_bad_overrides_are_refused() -> None:
    with pytest.raises(QuizgenError, match="larger than the kernel"):
        check_params(family(FAMILY), {"W": [3, 4], "f": 4}, 3)
    check_params(family(FAMILY), {"W": 28, "f": 4}, 3)
    with pytest.raises(QuizgenError, match="'f'"):
        check_params(family(FAMILY), {"f": 5}, 1)
    check_params(family(FAMILY), {"W": [27, 28], "f": 4}, 3)
    assert family(FAMILY).space({"W": [27, 28], "C": 64, "f": [3, 4]}, 3) == 4
