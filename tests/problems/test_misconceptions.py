"""The misconception context is a typed value: the names families may give are declared once, absent ones read
as None in value functions and templates alike."""

from __future__ import annotations

from fractions import Fraction

import pytest

from quizgen.nets import formulas
from quizgen.problems.common import numeric_part
from quizgen.problems.misconceptions import CATALOGUE, Context, distractors


def test_absent_names_read_as_none() -> None:
    mb_vs_mib = CATALOGUE["mb-vs-mib"].value
    assert mb_vs_mib("memory", Context()) is None
    assert mb_vs_mib("memory", Context(unit="MB", bytes=2**20)) == 1


def test_a_name_the_context_does_not_declare_is_refused() -> None:
    q = formulas.quantity(12, "conv.biases", "test", N_c=12)
    with pytest.raises(TypeError, match="Kernel"):
        numeric_part("biases", "Biases", q, "conv.params", {"Kernel": 3}, "en")


def test_feedback_renders_the_fields_and_the_value() -> None:
    answer = Fraction(4_000_000, 10**6)
    context = Context(answer=answer, unit="MB", bytes=4_000_000, dtype="float32", batch=1)
    found = {d.misconception: d for d in distractors("memory", answer, context, "en", decimals=2)}
    assert found["mb-vs-mib"].value == Fraction(4_000_000, 2**20)
    assert all(d.feedback.strip() and "None" not in d.feedback for d in found.values())
