"""A worked step as the lecture writes it: formula, substitution, result."""

from __future__ import annotations

from fractions import Fraction

from quizgen.nets import formulas
from quizgen.nets.engine import count_layer
from quizgen.nets.layers import Conv, FeatureMaps
from quizgen.problems.steps import steps_latex


def test_worked_solution_strings() -> None:
    lc = count_layer(Conv(96, (11, 11), (4, 4), "same"), FeatureMaps(224, 224, 3), 1)
    weights = r"\#W_c = f^2 \times C \times N_c = 11^2 \times 3 \times 96 = 34\,848"
    assert steps_latex(lc.weights, r"\#W_c") == weights
    size = r"O = \left\lceil \frac{W}{s} \right\rceil = \left\lceil \frac{224}{4} \right\rceil = 56"
    assert steps_latex(lc.out_h.size, "O") == size


def test_steps_print_numbers_in_the_language() -> None:
    q = formulas.Quantity(Fraction(1, 40), "units", (("F", Fraction(1, 40)),))
    assert steps_latex(q, "x") == "x = F = {0.025} = 0.025"
    assert steps_latex(q, "x", "it") == "x = F = {0{,}025} = 0{,}025"
