"""receptive-field: fields and jumps against arithmetic written out here, the literature, the misconceptions' values,
both languages, PyTorch (gradients), overrides and their validation."""

from __future__ import annotations

import pytest

from quizgen.bank.params import check_params
from quizgen.errors import QuizgenError
from quizgen.nets.layers import Conv, Pool
from quizgen.problems import family, generate
from tests.problems.family_checks import assert_same_numbers_in_both_languages, assert_torch_agrees

FAMILY = "receptive-field"


def by_hand(network) -> dict[str, tuple[int, int]]:  # noqa: ANN001
    """(r, j) of every layer: each window of f taps d apart spans d(f - 1) + 1 units of its input, which are j pixels
    apart; the field grows by the span minus one, in pixels."""
    r, j, found = 1, 1, {}
    for layer in network.layers:
        d = layer.dilation[0] if isinstance(layer, Conv) else 1
        span = d * (layer.kernel[0] - 1) + 1
        r += (span - 1) * j
        j *= layer.stride[0]
        found[layer.name] = (r, j)
    return found


@pytest.mark.parametrize("difficulty", [1, 2, 3])
def test_two_hundred_seeds_match_hand_arithmetic(difficulty: int) -> None:
    for seed in range(200):
        problem = generate(FAMILY, seed=seed, difficulty=difficulty)
        fields = by_hand(problem.network)
        layers = problem.network.layers
        assert layers[0].name == "C1" and isinstance(layers[0], Conv)
        assert [p.key for p in problem.parts if p.key.startswith("r-")] == [f"r-{x.name}" for x in layers[1:]]
        for layer in layers[1:]:
            assert problem.part(f"r-{layer.name}").answer == fields[layer.name][0]
        if difficulty >= 2:
            last = layers[-1].name
            assert problem.part(f"j-{last}").answer == fields[last][1]
            assert fields[last][1] > 1
        else:
            assert not any(p.key.startswith("j-") for p in problem.parts)
            assert any(isinstance(x, Pool) for x in layers)
        dilated = [x for x in layers if isinstance(x, Conv) and x.dilation != (1, 1)]
        assert bool(dilated) == (difficulty == 3)
        assert len(problem.parts[-1].distractors) >= 2
        assert all(p.distractors for p in problem.parts)


def _wrong(problem, key: str) -> dict[str, int]:  # noqa: ANN001
    return {d.misconception: d.value for d in problem.part(key).distractors}


def test_misconception_values() -> None:
    """C1 3x3 d=2, C2 7x7/3, C3 3x3/2, C4 3x3/2 d=3 (seed 39 at difficulty 3): r = 5, 11, 17, 53 and j = 12."""
    problem = generate(FAMILY, seed=39, difficulty=3)
    shape = [(x.kernel[0], x.stride[0], x.dilation[0] if isinstance(x, Conv) else 1) for x in problem.network.layers]
    assert shape == [(3, 1, 2), (7, 3, 1), (3, 2, 1), (3, 2, 3)]
    assert [problem.part(f"r-C{i}").answer for i in (2, 3, 4)] == [11, 17, 53]
    assert problem.part("r-C4").answer == 1 + 2 * 2 + 6 + 2 * 3 + 3 * 2 * 6 and problem.part("j-C4").answer == 12
    wrong = _wrong(problem, "r-C4")
    assert wrong["rf-summed-kernels"] == 1 + 4 + 6 + 2 + 6  # every span added with jump 1
    assert wrong["rf-own-jump"] == 1 + 4 * 1 + 6 * 3 + 2 * 6 + 6 * 12  # grown by j = j_prev * s
    assert wrong["rf-layer-alone"] == 7  # C4's dilated window, 3 * (3 - 1) + 1
    assert wrong["rf-dilation-ignored"] == 1 + 2 + 6 + 2 * 3 + 2 * 6
    from quizgen.problems.misconceptions import CATALOGUE, Context

    chain = ((3, 1, 2, False), (7, 3, 1, False), (3, 2, 1, False))
    assert CATALOGUE["rf-dilation-ignored"].value("rf.size", Context(chain=chain)) == 1 + 2 + 6 + 2 * 3
    jumps = _wrong(problem, "j-C4")
    assert jumps["rf-strides-summed"] == 1 + 3 + 2 + 2
    assert jumps["rf-layer-alone"] == 2


def test_pooling_skipped_is_offered() -> None:
    found = set()
    for seed in range(60):
        problem = generate(FAMILY, seed=seed, difficulty=2)
        last = problem.network.layers[-1]
        if isinstance(last, Conv) and any(isinstance(x, Pool) for x in problem.network.layers):
            kept = [x for x in problem.network.layers if isinstance(x, Conv)]
            r, j = 1, 1
            for x in kept:
                r += (x.kernel[0] - 1) * j
                j *= x.stride[0]
            values = _wrong(problem, f"r-{last.name}")
            if "rf-pooling-skipped" in values:
                assert values["rf-pooling-skipped"] == r
                found.add(seed)
    assert found


def test_same_numbers_in_both_languages() -> None:
    assert_same_numbers_in_both_languages(FAMILY, seeds=20)


def test_italian_text() -> None:
    problem = generate(FAMILY, seed=3, difficulty=3, lang="it")
    assert "campo recettivo" in problem.stem and "salto" in problem.stem
    assert problem.part("r-" + problem.network.layers[1].name).label.startswith("Campo recettivo")


def test_torch_gradients_agree() -> None:
    assert_torch_agrees(FAMILY)


def test_overrides_and_validation() -> None:
    problem = generate(FAMILY, seed=2, difficulty=2, params={"f": 3, "s": 2, "layers": 3, "W": 64})
    assert all(x.kernel[0] in (3, 2) for x in problem.network.layers)
    assert problem.network.input.h == 64
    for bad, difficulty in (({"f": 4}, 2), ({"layers": 7}, 2), ({"s": 0}, 2), ({"W": "big"}, 2), ({"d": 2}, 2),
                            ({"s": 2}, 1)):
        with pytest.raises(QuizgenError):
            check_params(family(FAMILY), bad, difficulty)
    check_params(family(FAMILY), {"f": [3, 5], "layers": {"min": 3, "max": 5}, "d": [1, 2]}, 3)
