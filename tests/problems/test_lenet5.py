"""LeNet-5 family: LeCun's published numbers, independent arithmetic, misconceptions, overrides."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen.bank.params import check_params
from quizgen.errors import QuizgenError
from quizgen.nets.builtin import LENET5_C3_TABLE
from quizgen.nets.engine import count
from quizgen.nets.layers import RBF, Conv, Dense, FeatureMaps, Pool
from quizgen.problems import family, generate
from quizgen.problems.lenet5 import random_table

PUBLISHED = {"W": 32, "f1": 5, "f3": 5, "f5": 5, "N5": 120, "F6": 84, "classes": 10, "table": "lenet5"}


def answers(problem) -> dict:
    return {p.key: p.answer for p in problem.parts}


def test_published_parameters_and_connections_come_out_exactly() -> None:
    params = generate("lenet5", seed=3, difficulty=3, params={**PUBLISHED, "kind": "network", "form": "original"})
    assert answers(params) == {"params-C1": 156, "params-S2": 12, "params-C3": 1516, "params-S4": 32,
                               "params-C5": 48120, "params-F6": 10164, "total": 60000}
    assert params.network.name == "lenet5" and params.connection_table == LENET5_C3_TABLE
    conn = generate("lenet5", seed=4, difficulty=3, params={**PUBLISHED, "kind": "network-connections"})
    assert answers(conn) == {"connections-C1": 122304, "connections-S2": 5880, "connections-C3": 151600,
                             "connections-S4": 2000, "connections-C5": 48120, "connections-F6": 10164,
                             "connections-Out": 840, "total": 340908}


def test_modern_form_has_61706_parameters() -> None:
    p = generate("lenet5", seed=5, difficulty=3,
                 params={**PUBLISHED, "N1": 6, "N3": 16, "kind": "network", "form": "modern"})
    assert answers(p)["total"] == 61706
    assert answers(p)["params-C3"] == 2416 and p.connection_table is None


def test_c3_table_problem_with_table_one() -> None:
    p = generate("lenet5", seed=1, difficulty=2, params={**PUBLISHED, "kind": "c3-table"})
    assert answers(p) == {"weights": 1500, "params": 1516, "connections": 151600}
    wrong = {d.misconception: d.value for d in p.part("params").distractors}
    assert wrong["c3-fully-connected"] == 5 * 5 * 6 * 16 + 16
    assert wrong["forgot-biases"] == 1500
    conn = {d.misconception: d.value for d in p.part("connections").distractors}
    assert conn["connections-without-bias"] == 1500 * 100
    assert conn["connections-input-size"] == 1516 * 14 * 14
    assert "K = 60" in p.solution[0].text


def test_subsampling_misconceptions() -> None:
    p = generate("lenet5", seed=2, difficulty=2, params={**PUBLISHED, "kind": "subsampling", "layer": "S2"})
    assert answers(p) == {"size": 14, "params": 12, "connections": 5880}
    wrong = {d.misconception: d.value for d in p.part("params").distractors}
    assert wrong == {"subsampling-kernel": 30, "subsampling-no-params": 0}
    conn = {d.misconception: d.value for d in p.part("connections").distractors}
    assert conn["connections-without-bias"] == 4 * 6 * 14 * 14
    assert conn["connections-as-parameters"] == 12 * 14 * 14


def test_total_misconceptions_of_the_original() -> None:
    p = generate("lenet5", seed=3, difficulty=3, params={**PUBLISHED, "kind": "network", "form": "original"})
    wrong = {d.misconception: d.value for d in p.part("total").distractors}
    assert wrong["rbf-counted"] == 60000 + 84 * 10
    assert wrong["subsampling-no-params"] == 60000 - 12 - 32
    assert wrong["c3-fully-connected"] == 60000 + 25 * (96 - 60)
    assert wrong["forgot-biases"] == 60000 - (6 + 6 + 16 + 16 + 120 + 84)


def _independent_params(network) -> dict[str, int]:
    """Parameters per layer by the lecture's formulas, written out again here."""
    out, shape = {}, (network.input.h, network.input.c)
    for layer in network.layers:
        size, depth = shape if isinstance(shape, tuple) else (None, None)
        if isinstance(layer, Conv):
            f = layer.kernel[0]
            cells = sum(map(sum, layer.table)) if layer.table else depth * layer.filters
            out[layer.name] = f * f * cells + layer.filters
            shape = (size - f + 1, layer.filters)
        elif isinstance(layer, Pool):
            out[layer.name] = 2 * depth if layer.trainable else 0
            shape = (size // 2, depth)
        elif isinstance(layer, Dense):
            inputs = size * size * depth if isinstance(shape, tuple) else shape
            out[layer.name] = inputs * layer.units + layer.units
            shape = layer.units
        elif isinstance(layer, RBF):
            out[layer.name] = 0
            shape = layer.units
        elif layer.__class__.__name__ == "Flatten":
            shape = size * size * depth
    return out


@pytest.mark.parametrize("form", ["original", "modern"])
def test_whole_network_against_independent_arithmetic(form: str) -> None:
    for seed in range(20):
        p = generate("lenet5", seed=seed, difficulty=3, params={"kind": "network", "form": form})
        expected = _independent_params(p.network)
        for label, value in expected.items():
            if value:
                assert p.part(f"params-{label}").answer == value, (seed, label)
        assert p.part("total").answer == sum(expected.values())


@pytest.mark.parametrize("difficulty", [1, 2, 3])
@pytest.mark.parametrize("lang", ["en", "it"])
def test_every_difficulty_and_language_generates_and_verifies(difficulty: int, lang: str) -> None:
    for seed in range(100):
        p = generate("lenet5", seed=seed, difficulty=difficulty, lang=lang)
        assert p.stem and p.solution and p.network is not None
        assert all(part.measure for part in p.parts)
        if lang == "it" and seed < 25:
            en = generate("lenet5", seed=seed, difficulty=difficulty, lang="en")
            assert [x.answer for x in en.parts] == [x.answer for x in p.parts]
            values = [[d.value for d in x.distractors] for x in p.parts]
            assert [[d.value for d in x.distractors] for x in en.parts] == values
            assert en.stem != p.stem


def test_hand_arithmetic_and_overrides() -> None:
    for seed in range(30):
        p = generate("lenet5", seed=seed, difficulty=1,
                     params={"arithmetic": "hand", "layer": "C5", "form": "original"})
        assert p.network.input.h in (28, 32, 36)
        assert p.part("params").answer == _independent_params(p.network)["C5"]
    p = generate("lenet5", seed=0, difficulty=1, params={"layer": "C3", "form": "original", "table": "random", "N1": 4})
    assert p.connection_table is not None and len(p.connection_table) == 4


def test_validate_rejects_impossible_overrides() -> None:
    def validate(params: dict, difficulty: int = 1) -> None:
        check_params(family("lenet5"), params, difficulty)
    with pytest.raises(QuizgenError, match="cannot be 'everything'"):
        validate({"kind": "everything"})
    with pytest.raises(QuizgenError, match="Table I"):
        validate({"table": "lenet5", "N1": 4})
    with pytest.raises(QuizgenError, match="original or modern"):
        validate({"form": "ancient"})
    with pytest.raises(QuizgenError, match="tiles"):
        validate({"W": 32, "f1": 4})
    validate({"W": [32, 28], "f1": 5, "table": "random"})
    with pytest.raises(QuizgenError, match="difficulty-1"):
        generate("lenet5", seed=0, difficulty=1, params={"kind": "network"})
    with pytest.raises(QuizgenError, match="no parameters"):
        generate("lenet5", seed=0, difficulty=1, params={"layer": "S2", "form": "modern"})


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32), rows=st.integers(3, 10), cols=st.integers(4, 24))
def test_random_tables_are_partial_and_cover_every_map(seed: int, rows: int, cols: int) -> None:
    table = random_table(random.Random(seed), rows, cols)
    assert len(table) == rows and all(len(r) == cols for r in table)
    assert all(any(r) for r in table)
    assert all(any(r[j] for r in table) for j in range(cols))


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**40), n1=st.sampled_from([4, 6, 8]), n3=st.sampled_from([10, 12, 16]))
def test_c3_from_any_table_is_f2_k_plus_n(seed: int, n1: int, n3: int) -> None:
    p = generate("lenet5", seed=seed, difficulty=2, params={"kind": "c3-table", "table": "random", "N1": n1, "N3": n3})
    table = p.connection_table
    k = sum(map(sum, table))
    f = p.network.layers[2].kernel[0]
    assert p.part("weights").answer == f * f * k
    assert p.part("params").answer == f * f * k + n3
    c3_in = p.network.input.h - p.network.layers[0].kernel[0] + 1
    o = c3_in // 2 - f + 1
    assert p.part("connections").answer == (f * f * k + n3) * o * o
    assert isinstance(FeatureMaps(o, o, n3), FeatureMaps)


def test_sizes_and_connection_totals_have_distractors_on_both_sides() -> None:
    p = generate("lenet5", seed=0, difficulty=2, params={**PUBLISHED, "kind": "connections", "layer": "C3"})
    size = p.part("size")
    wrong = {d.misconception: d.value for d in size.distractors}
    assert size.answer == 10
    assert wrong == {"forgot-plus-one": 9, "same-valid-swapped": 14, "size-skipped-pooling": 24}
    conn = generate("lenet5", seed=4, difficulty=3, params={**PUBLISHED, "kind": "network-connections"})
    total = conn.part("total")
    on_inputs = {d.misconception: d for d in total.distractors}["connections-input-size"]
    # each layer's parameters (per unit) times its INPUT positions: C1 32^2, S2 28^2, C3 14^2, S4 10^2, C5 5^2
    assert on_inputs.value == (156 * 32**2 + 5 * 6 * 28**2 + 1516 * 14**2 + 5 * 16 * 10**2 + 48120 * 5**2
                               + 10164 + 840)
    assert on_inputs.value > total.answer > min(d.value for d in total.distractors)
    assert "32" in on_inputs.feedback and "28" in on_inputs.feedback


PUBLISHED_PARAMS = {"W": 32, "f1": 5, "N1": 6, "f3": 5, "N3": 16, "f5": 5, "N5": 120, "F6": 84, "classes": 10,
                    "table": "lenet5", "form": "original"}


def test_only_the_published_sizes_are_named_after_the_paper() -> None:
    for lang, cited, style in (("en", "LeNet-5 (LeCun et al., 1998)", "LeNet-5-style"),
                               ("it", "LeNet-5 (LeCun et al., 1998)", "in stile LeNet-5")):
        p = generate("lenet5", seed=1, difficulty=3, lang=lang, params={**PUBLISHED_PARAMS, "kind": "network"})
        assert cited in p.stem and style not in p.stem
        for seed in range(1, 30):
            p = generate("lenet5", seed=seed, difficulty=1, lang=lang)
            if p.network.name.endswith("variant"):
                assert "LeCun et al." not in p.stem and style in p.stem, p.stem


def test_the_subsampling_adds_the_four_inputs() -> None:
    p = generate("lenet5", seed=1, difficulty=2, params={"kind": "subsampling"})
    assert "adds the four inputs" in p.stem and "average" not in p.stem
    p = generate("lenet5", seed=1, difficulty=2, lang="it", params={"kind": "subsampling"})
    assert "somma i quattro valori" in p.stem and "media" not in p.stem


def test_the_modern_network_solution_derives_the_flattened_size() -> None:
    p = generate("lenet5", seed=1, difficulty=3, params={"kind": "network", "form": "modern"})
    lhs = [s.math.split(" = ")[0] for s in p.solution]
    assert lhs.index("F_{-1}") == lhs.index(r"P_{\mathrm{C5}}") - 1
    assert all(rf"O_{{\mathrm{{{x}}}}}" in lhs for x in ("C1", "S2", "C3", "S4"))
    flat = count(p.network).layer("C5").input_shape.size
    assert p.solution[lhs.index("F_{-1}")].math.endswith(f"= {flat}"), p.solution[lhs.index("F_{-1}")].math
