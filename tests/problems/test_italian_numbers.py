"""Numbers are printed in the problem's language where the text is made: no Italian text has a decimal point."""

from __future__ import annotations

import re

import pytest

from quizgen.problems import families, generate
from quizgen.problems.model import Problem

DECIMAL_POINT = re.compile(r"\d\.\d")


def texts(problem: Problem) -> list[str]:
    """Every text of a problem a student reads."""
    out = [problem.stem, problem.title, problem.hint]
    for part in problem.parts:
        out += [part.label, *(d.feedback for d in part.distractors)]
    for choice in problem.choices:
        out += [choice.text, choice.feedback]
    for step in problem.solution:
        out += [step.text, step.math]
    if problem.table is not None:
        out += [problem.table.caption, *(cell for row in problem.table.rows for cell in row)]
    return out


@pytest.mark.parametrize("family_id", [f.id for f in families()])
def test_italian_text_has_decimal_commas_only(family_id: str) -> None:
    english_points = 0
    for difficulty in next(f for f in families() if f.id == family_id).difficulties:
        for seed in range(1, 31):
            it = generate(family_id, seed=seed, difficulty=difficulty, lang="it")
            assert not [t for t in texts(it) if DECIMAL_POINT.search(t)], it.id
            en = generate(family_id, seed=seed, difficulty=difficulty, lang="en")
            english_points += sum(bool(DECIMAL_POINT.search(t)) for t in texts(en))
    if family_id in ("memory", "one-by-one"):
        assert english_points > 0  # their English texts print decimals: the Italian check above means something


def test_a_decimal_in_a_template_and_in_a_step_prints_in_the_language() -> None:
    from fractions import Fraction

    from quizgen.nets import formulas
    from quizgen.problems.common import step
    from quizgen.text.templating import render_string

    assert render_string("${{ x|num }}$", x=Fraction(1, 40), lang="it") == "$0{,}025$"
    assert render_string("${{ x|num(2) }}$", x=Fraction(1, 40)) == "$0.03$"
    q = formulas.Quantity(Fraction(1, 40), "units", (("F", Fraction(1, 40)),))
    assert step("x", q, "y", "it").math == "y = F = {0{,}025} = 0{,}025"
