"""AlexNet family: the lecture's table, AlexNet 2012's groups, independent arithmetic, misconceptions."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen.bank.params import check_params
from quizgen.errors import QuizgenError
from quizgen.nets.engine import count
from quizgen.nets.published import contradictions
from quizgen.problems import family, generate
from quizgen.problems.alexnet_table import SPATIAL, next_size

LECTURE = {"W": 224, "n1": 96, "n3": 256, "n5": 384, "n6": 384, "n7": 256, "fc": 4096, "classes": 1000}


def answers(problem) -> dict:
    return {p.key: p.answer for p in problem.parts}


def _size(w: int, f: int, s: int, padding: str) -> int:
    return -(-w // s) if padding == "same" else -(-(w - f + 1) // s)


def _independent(v: dict[str, int]) -> dict[str, int]:
    """The lecture's AlexNet counted again by hand: sizes, then #W = f^2 C N + N and F_prev F + F."""
    o = _size(_size(_size(_size(v["W"], 11, 4, "same"), 3, 2, "valid"), 5, 1, "same"), 3, 2, "valid")
    p = {"C1": 11 * 11 * 3 * v["n1"] + v["n1"], "C3": 25 * v["n1"] * v["n3"] + v["n3"],
         "C5": 9 * v["n3"] * v["n5"] + v["n5"], "C6": 9 * v["n5"] * v["n6"] + v["n6"],
         "C7": 9 * v["n6"] * v["n7"] + v["n7"], "F8": o * o * v["n7"] * v["fc"] + v["fc"],
         "F9": v["fc"] * v["fc"] + v["fc"], "Out": v["fc"] * v["classes"] + v["classes"]}
    return {**p, "o": o, "conv": sum(p[k] for k in ("C1", "C3", "C5", "C6", "C7")),
            "fc": p["F8"] + p["F9"] + p["Out"]}


def test_lecture_network_totals() -> None:
    p = generate("alexnet", seed=1, difficulty=3, params={**LECTURE, "kind": "total"})
    expected = _independent(LECTURE)
    assert answers(p) == {"conv": expected["conv"], "fc": expected["fc"], "total": 201_838_952}
    assert p.network.name == "alexnet"
    wrong = {d.misconception: d.value for d in p.part("total").distractors}
    assert wrong["pooling-weights"] == 201_838_952 + 10 * 96 + 10 * 256


def test_fc_share_two_decimals() -> None:
    p = generate("alexnet", seed=2, difficulty=3, params={**LECTURE, "kind": "fc-share"})
    share = p.part("share")
    fc = 177_213_440 + 16_781_312 + 4_097_000
    assert share.answer == Fraction(100 * fc, 201_838_952)
    assert share.decimals == 2 and share.unit == "%" and round(float(share.answer), 2) == 98.14
    wrong = {d.misconception: d.value for d in share.distractors}
    assert wrong["share-first-fc-only"] == Fraction(100 * 177_213_440, 201_838_952)
    assert wrong["share-without-output"] == Fraction(100 * (177_213_440 + 16_781_312), 201_838_952)


def test_grouped_layers_of_alexnet_2012() -> None:
    published = {"conv2": 307_456, "conv4": 663_936, "conv5": 442_624}
    for layer, params in published.items():
        p = generate("alexnet", seed=3, difficulty=1, params={**LECTURE, "kind": "grouped", "layer": layer})
        assert p.network.name == "alexnet-2012" and answers(p)["params"] == params
        wrong = {d.misconception: d.value for d in p.part("weights").distractors}
        lc = count(p.network).layer(layer)
        f, c, n = lc.layer.kernel[0], lc.input_shape.d, lc.output_shape.d
        assert answers(p)["weights"] == f * f * (c // 2) * n
        assert wrong["groups-ignored"] == f * f * c * n
        assert wrong["one-gpu-only"] == f * f * (c // 2) * (n // 2)
    p = generate("alexnet", seed=3, difficulty=2, params={**LECTURE, "kind": "grouped", "layer": "conv2"})
    assert answers(p)["depth"] == 96


def test_the_lectures_own_inconsistent_row_is_c1() -> None:
    found = set()
    for seed in range(30):
        p = generate("alexnet", seed=seed, difficulty=3, params={**LECTURE, "kind": "inconsistent"})
        right = [c for c in p.choices if c.correct]
        assert len(right) == 1 and len(p.choices) == 7
        label = right[0].text.split(" ")[0]
        assert [w.label for w in contradictions(count(p.network))] == [label]
        if label == "C1" and "55" in right[0].text:
            found.add(seed)
            assert "56" in right[0].feedback
    assert found, "the lecture's 55x55 row never came up"


def test_table_blanks_are_parts_with_cell_keys() -> None:
    for seed in range(20):
        p = generate("alexnet", seed=seed, difficulty=3, params={"kind": "table"})
        assert p.table is not None and len(p.table.columns) == 8
        assert {f"cell-{r}-{c}" for r, c in p.table.blanks} == {x.key for x in p.parts}
        for r, c in p.table.blanks:
            assert p.table.rows[r][c] == "?"
        nc = count(p.network)
        for part in p.parts:
            _, row, col = part.key.split("-")
            label = p.table.rows[int(row)][0]
            shape = nc.layer(label).output_shape
            assert part.answer == (shape.h if col == "3" else shape.d)
        assert p.part("cell-9-3").answer == _size(p.network.input.h, 11, 4, "same")


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**40), kind=st.sampled_from(["total", "fc-share"]))
def test_totals_against_independent_arithmetic(seed: int, kind: str) -> None:
    p = generate("alexnet", seed=seed, difficulty=3, params={"kind": kind})
    layers = {layer.name: layer for layer in p.network.layers if layer.name}
    v = {"W": p.network.input.h, "n1": layers["C1"].filters, "n3": layers["C3"].filters,
         "n5": layers["C5"].filters, "n6": layers["C6"].filters, "n7": layers["C7"].filters,
         "fc": layers["F8"].units, "classes": layers["Out"].units}
    expected = _independent(v)
    assert answers(p)["fc"] == expected["fc"]
    assert answers(p)["total"] == expected["conv"] + expected["fc"]


def test_layer_questions() -> None:
    for seed in range(20):
        p = generate("alexnet", seed=seed, difficulty=2, params={"kind": "layer"})
        v = _independent({**LECTURE, "W": p.network.input.h, "n7": p.network.layers[10].filters,
                          "n1": p.network.layers[0].filters, "n3": p.network.layers[3].filters,
                          "n5": p.network.layers[6].filters, "n6": p.network.layers[8].filters,
                          "fc": p.network.layers[12].units, "classes": p.network.layers[16].units})
        assert answers(p)["size"] == v["o"] and answers(p)["params"] == v["F8"]
        assert {d.misconception for d in p.part("flatten").distractors} >= {"forgot-pooling"}


@pytest.mark.parametrize("difficulty", [1, 2, 3])
@pytest.mark.parametrize("lang", ["en", "it"])
def test_every_difficulty_and_language_generates_and_verifies(difficulty: int, lang: str) -> None:
    for seed in range(100):
        p = generate("alexnet", seed=seed, difficulty=difficulty, lang=lang)
        assert p.stem and p.solution and p.network is not None
        assert all(part.measure for part in p.parts)
        if lang == "it" and seed < 10:
            en = generate("alexnet", seed=seed, difficulty=difficulty, lang="en")
            assert [x.answer for x in en.parts] == [x.answer for x in p.parts]
            assert [c.correct for c in en.choices] == [c.correct for c in p.choices]
            assert en.stem != p.stem


def test_validate_and_bad_overrides() -> None:
    def validate(params: dict, difficulty: int = 1) -> None:
        check_params(family("alexnet"), params, difficulty)
    with pytest.raises(QuizgenError, match="cannot be 'vgg'"):
        validate({"kind": "vgg"})
    with pytest.raises(QuizgenError, match="67 or more"):
        validate({"W": 32})
    with pytest.raises(QuizgenError, match="even"):
        validate({"kind": "grouped", "n3": 255})
    validate({"kind": "total", "W": [224, 227]}, 3)
    with pytest.raises(QuizgenError, match="difficulty-1"):
        generate("alexnet", seed=0, difficulty=1, params={"kind": "table"})
    with pytest.raises(QuizgenError, match="grouped layer"):
        generate("alexnet", seed=0, difficulty=1, params={"kind": "grouped", "layer": "C3"})
    with pytest.raises(QuizgenError, match="cannot be 'conv3'"):
        generate("alexnet", seed=0, difficulty=1, params={"kind": "grouped", "layer": "conv3"})


def test_hand_arithmetic_uses_round_sizes() -> None:
    for seed in range(20):
        p = generate("alexnet", seed=seed, difficulty=1, params={"arithmetic": "hand", "kind": "layer"})
        assert p.network.input.h in (224, 256)


def test_distractors_on_both_sides_of_flatten_and_table_sizes() -> None:
    p = generate("alexnet", seed=0, difficulty=2, params={**LECTURE, "kind": "layer"})
    flatten = {d.misconception: d.value for d in p.part("flatten").distractors}
    assert p.part("flatten").answer == 13 * 13 * 256
    assert flatten["extra-pooling"] == 6 * 6 * 256  # AlexNet 2012's 9216, after a pool5 this network lacks
    assert flatten["forgot-pooling"] == 27 * 27 * 256
    for seed in range(40):
        p = generate("alexnet", seed=seed, difficulty=3, params={**LECTURE, "kind": "table"})
        for row, unpooled in ((7, 56), (5, 27)):  # C3 after S2 (C1: 56), C5 after S4 (C3: 27)
            if f"cell-{row}-3" in {x.key for x in p.parts}:
                wrong = {d.misconception: d.value for d in p.part(f"cell-{row}-3").distractors}
                assert wrong["size-skipped-pooling"] == unpooled  # SAME, stride 1: the pooling's input size
                assert min(wrong.values()) < p.part(f"cell-{row}-3").answer < max(wrong.values())


def test_totals_and_share_have_distractors_above_the_answer() -> None:
    p = generate("alexnet", seed=1, difficulty=3, params={**LECTURE, "kind": "fc-share"})
    share = p.part("share")
    wrong = {d.misconception: d.value for d in share.distractors}
    fc_unpooled = 27 * 27 * 256 * 4096 + 4096 + 16_781_312 + 4_097_000
    conv = 201_838_952 - (177_213_440 + 16_781_312 + 4_097_000)
    assert wrong["forgot-pooling"] == Fraction(100 * fc_unpooled, conv + fc_unpooled) > share.answer
    for key in ("fc", "total"):
        assert max(d.value for d in p.part(key).distractors) > p.part(key).answer
    t = generate("alexnet", seed=1, difficulty=3, params={**LECTURE, "kind": "total"})
    assert {d.misconception: d.value for d in t.part("conv").distractors}["pooling-weights"] == (
        t.part("conv").answer + 10 * 96 + 10 * 256)


def test_the_inconsistent_row_is_spread_over_all_rows_and_positions() -> None:
    rows: dict[str, int] = {}
    positions: dict[int, int] = {}
    for seed in range(210):
        p = generate("alexnet", seed=seed, difficulty=3, params={"kind": "inconsistent"})
        i = [c.correct for c in p.choices].index(True)
        label = p.choices[i].text.split(" ")[0]
        rows[label] = rows.get(label, 0) + 1
        positions[i] = positions.get(i, 0) + 1
        assert [w.label for w in contradictions(count(p.network))] == [label]
        # exactly one row does not follow from the listed row below it: the answer
        nc, below, failing = count(p.network), p.network.input.h, []
        for row_label in SPATIAL:
            listed = int(next(r for r in p.table.rows if r[0] == row_label)[3].strip("$").split(" ")[0])
            if next_size(nc.layer(row_label).layer, below) != listed:
                failing.append(row_label)
            below = listed
        assert failing == [label], (seed, failing)
    # 7 rows, 30 expected each: every row and every option position comes up, none dominates
    assert set(rows) == {"C1", "S2", "C3", "S4", "C5", "C6", "C7"}
    assert max(rows.values()) <= 50 and min(rows.values()) >= 15, rows
    assert max(positions.values()) <= 50 and min(positions.values()) >= 15, positions


def test_only_the_published_sizes_are_called_alexnet() -> None:
    for lang, variant, table in (("en", "a variant of AlexNet", "with no pooling after C7"),
                                 ("it", "una variante di AlexNet", "senza pooling dopo C7")):
        for seed in range(1, 25):
            for kind, difficulty in (("layer", 1), ("layer", 2), ("total", 3), ("inconsistent", 3)):
                p = generate("alexnet", seed=seed, difficulty=difficulty, lang=lang, params={"kind": kind})
                assert (variant in p.stem) == p.network.name.endswith("-variant"), p.stem
                if difficulty > 1:
                    assert table in p.stem
        p = generate("alexnet", seed=1, difficulty=2, lang=lang, params={**LECTURE, "kind": "layer"})
        assert variant not in p.stem and table in p.stem
