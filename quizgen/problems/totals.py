"""Sums of per-layer numbers (a network's total) as checked Quantities, and their solution step.

The engine gives a network's total only as a plain integer; a Part needs a Quantity whose formula
the verifier re-evaluates. ``total`` registers ``sum.<n>`` (n terms) and substitutes the per-layer
values; ``total_step`` writes it the way the lecture does: ``P = P_{C1} + ... = 156 + ... = 60\\,000``.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from quizgen.nets import formulas
from quizgen.nets.formulas import Quantity
from quizgen.problems.model import Step
from quizgen.problems.steps import substitution_latex
from quizgen.text import numbers

# placeholder symbols for the terms (the step shows the layers' own names instead)
_TERMS = ("A", "B", "D", "K", "M", "P", "R", "U", "n", "k", "b", "F")

for _n in range(1, len(_TERMS) + 1):  # one term: an own network's only layer of a kind (quizgen.problems.own)
    formulas.register(f"sum.{_n}", " + ".join(_TERMS[:_n]), " + ".join(f"[{t}]" for t in _TERMS[:_n]))


def total(values: Sequence[int | Fraction], where: str) -> Quantity:
    """The sum of ``values`` (1 to 12 terms) as a Quantity checked against its formula."""
    names = _TERMS[: len(values)]
    return formulas.quantity(sum(values), f"sum.{len(values)}", where, **dict(zip(names, values, strict=True)))


def total_step(text: str, quantity: Quantity, lhs: str, terms: Sequence[str], lang: str = "en") -> Step:
    """``lhs = term_1 + ... = v_1 + ... = result`` (terms are LaTeX, e.g. ``P_{C1}``), numbers printed in ``lang``;
    ``lhs = term_1 = result`` for one term."""
    chain = [lhs, " + ".join(terms), substitution_latex(quantity, lang), numbers.latex(quantity.value, None, lang)]
    if len(terms) == 1:
        del chain[2]
    return Step(text, " = ".join(chain))

