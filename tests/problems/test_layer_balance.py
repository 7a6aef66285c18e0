"""Wrong answers on both sides of the right one: the bias and FC-weight misconceptions, and the stress test
of the bundled banks' layer-family entries."""

from __future__ import annotations

from dataclasses import replace

import pytest

from quizgen.bank.load import load_bank, resolve_bank_path
from quizgen.problems import generate
from quizgen.problems.misconceptions import CATALOGUE, Context, distractors
from quizgen.verify.stress import stress_entry

LAYER_FAMILIES = {"input-conv", "conv-conv", "conv-fc", "fc-fc", "one-by-one", "output-size"}
NEW = ("one-bias-per-layer", "bias-per-input-channel", "bias-per-filter-channel", "bias-node-counted",
       "bias-node-wrong-layer")


def _values(part) -> dict[str, object]:  # noqa: ANN001
    return {d.misconception: d.value for d in part.distractors}


def test_conv_biases_below_and_above() -> None:
    problem = generate("input-conv", seed=0, params={"C": 3, "f": 3, "N": 12, "W": 32})
    assert problem.part("biases").answer == 12
    # one bias per input channel (3) lies below N_c, one per filter and channel (36) above; a single bias (1)
    # and one per weight (324) are more than ten times off and left out
    assert _values(problem.part("biases")) == {"bias-per-input-channel": 3, "bias-per-filter-channel": 36}
    grey = generate("input-conv", seed=0, params={"C": 1, "f": 3, "N": 8, "W": 32})
    assert _values(grey.part("biases")) == {"one-bias-per-layer": 1, "bias-per-weight": 72}


def test_fc_weights_below_and_above() -> None:
    ctx = Context(F_prev=120, F=84, weights=120 * 84, biases=84, params=120 * 84 + 84)
    found = {d.misconception: d.value for d in distractors("fc.weights", 120 * 84, ctx, "en")}
    assert found["bias-node-counted"] == 119 * 84 < 120 * 84
    assert found["bias-node-wrong-layer"] == 120 * 85 > 120 * 84
    assert found["weights-include-biases"] == 120 * 84 + 84
    # a square layer has no wrong side for the bias node (F_prev (F + 1) would be the parameters)
    square = replace(ctx, F_prev=84, weights=84 * 84, params=84 * 85)
    assert "bias-node-wrong-layer" not in {d.misconception for d in distractors("fc.weights", 84 * 84, square, "en")}


@pytest.mark.parametrize("lang", ["en", "it"])
def test_new_misconceptions_have_titles_and_feedback_with_the_numbers(lang: str) -> None:
    for mid in NEW:
        assert CATALOGUE[mid].title(lang).strip()
    ctx = Context(C=3, N_c=12, f=3, weights=324, biases=12, params=336)
    feedback = {d.misconception: d.feedback for d in distractors("conv.biases", 12, ctx, lang)}
    assert "12" in feedback["bias-per-input-channel"] and "3" in feedback["bias-per-input-channel"]
    assert "36" in feedback["bias-per-filter-channel"]
    fc = Context(F_prev=120, F=84, weights=10_080, biases=84, params=10_164)
    feedback = {d.misconception: d.feedback for d in distractors("fc.weights", 10_080, fc, lang)}
    assert r"10\,080" in feedback["bias-node-counted"] and "120" in feedback["bias-node-counted"]
    assert r"10\,200" in feedback["bias-node-wrong-layer"]
    assert "$" in feedback["bias-node-counted"] and r"\\" not in feedback["bias-node-counted"]


@pytest.mark.parametrize("bank_name", ["lecture", "practice"])
def test_bundled_banks_layer_entries_have_no_exploitable_pattern(bank_name: str) -> None:
    bank = load_bank(resolve_bank_path(bank_name))
    for index, entry in enumerate(bank.entries):
        if entry.family in LAYER_FAMILIES:
            report = stress_entry(bank, index, 120)
            assert not report.patterns, (bank_name, index + 1, entry.family, report.patterns)
