"""model-summary: every cell of the table (shown or blank) against Keras's arithmetic written out here, Keras's
layer names, the misconceptions offered, both languages, PyTorch, overrides and their checks."""

from __future__ import annotations

import math

import pytest

from quizgen.bank.params import check_params
from quizgen.errors import QuizgenError
from quizgen.nets.layers import Conv, Flatten, Pool
from quizgen.problems import family, generate
from tests.problems.family_checks import assert_same_numbers_in_both_languages, assert_torch_agrees

FAMILY = "model-summary"


def keras_rows(network) -> list[tuple[str, str, int]]:  # noqa: ANN001
    """(name, output shape, parameters) of every layer, as Keras computes them."""
    h, d, flat, rows = network.input.h, network.input.c, None, []
    for layer in network.layers:
        if isinstance(layer, Conv):
            f, s = layer.kernel[0], layer.stride[0]
            h = math.ceil(h / s) if layer.padding == "same" else math.ceil((h - f + 1) / s)
            rows.append((layer.name, f"(None, {h}, {h}, {layer.filters})", (f * f * d + 1) * layer.filters))
            d = layer.filters
        elif isinstance(layer, Pool):
            h //= 2
            rows.append((layer.name, f"(None, {h}, {h}, {d})", 0))
        elif isinstance(layer, Flatten):
            flat = h * h * d
            rows.append((layer.name, f"(None, {flat})", 0))
        else:
            rows.append((layer.name, f"(None, {layer.units})", (flat + 1) * layer.units))
            flat = layer.units
    return rows


@pytest.mark.parametrize("difficulty", [1, 2, 3])
def test_every_cell_matches_keras(difficulty: int) -> None:
    for seed in range(150):
        problem = generate(FAMILY, seed=seed, difficulty=difficulty)
        rows = keras_rows(problem.network)
        table = problem.table
        assert table is not None and len(table.rows) == len(rows) + 1
        names = [r[0] for r in rows]
        assert names[0] == "conv2d" and names[-2:] == ["dense", "dense_1"]
        for i, (name, shape, params) in enumerate(rows):
            cells = table.rows[i]
            assert cells[0].startswith(name + " (")
            for j, expected in ((1, shape), (2, params)):
                if (i, j) in table.blanks:
                    answer = problem.part(f"cell-{i}-{j}").answer
                    if j == 2:
                        assert answer == expected
                    else:
                        assert f"{answer}, {answer}," in expected or expected == f"(None, {answer})"
                else:
                    shown = cells[j].strip("$").replace("\\,", "")
                    assert shown == (expected if j == 1 else str(expected))
        total = sum(p for *_, p in rows)
        if difficulty > 1:
            assert problem.part(f"cell-{len(rows)}-2").answer == total
        assert len(problem.parts) == {1: 2, 2: 4, 3: 6}[difficulty]
        assert all(p.distractors for p in problem.parts), problem.id


def test_misconceptions_offered() -> None:
    seen = set()
    for seed in range(20):
        problem = generate(FAMILY, seed=seed, difficulty=3)
        seen |= {d.misconception for p in problem.parts for d in p.distractors}
    assert {"forgot-biases", "stride-ignored", "flatten-forgot-depth", "same-valid-swapped"} <= seen


def test_same_numbers_in_both_languages() -> None:
    assert_same_numbers_in_both_languages(FAMILY, seeds=15)


def test_italian_text() -> None:
    problem = generate(FAMILY, seed=3, difficulty=2, lang="it")
    assert "model.summary()" in problem.stem and "celle vuote" in problem.stem
    assert problem.table is not None and problem.table.columns == ("Layer (type)", "Output Shape", "Param #")


def test_torch_agrees() -> None:
    assert_torch_agrees(FAMILY)


def test_overrides_and_checks() -> None:
    problem = generate(FAMILY, seed=2, difficulty=1, params={"N": 16, "f": 3, "W": 32, "C": 3, "F": 64,
                                                             "classes": 10})
    assert problem.part("cell-0-2").answer == (9 * 3 + 1) * 16
    for bad in ({"N": 0}, {"W": 4}, {"classes": "ten"}):
        with pytest.raises(QuizgenError):
            check_params(family(FAMILY), bad, 1)
