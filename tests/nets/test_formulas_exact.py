"""The formulas compiled ahead of time are the ones sympy compiles now, and they give sympy's values."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from quizgen.nets import formulas
from quizgen.nets.formulas_exact import EXACT
from quizgen.problems import import_every_formula

import_every_formula()


def test_the_compiled_table_holds_every_formula_as_registered() -> None:
    """Every formula, compiled from its current source (sympy's printing of the code may change between versions:
    what each compiled formula gives is checked against sympy below)."""
    assert sorted(EXACT) == formulas.keys(), "run scripts/compile_formulas.py"
    stale = [key for key in EXACT if EXACT[key][0] != formulas._source_of(key)]
    assert not stale, f"run scripts/compile_formulas.py: {stale} changed since they were compiled"


def test_the_script_writes_the_table_that_is_read() -> None:
    """What the script writes is Python that gives the table in the file, formulas and values alike."""
    namespace: dict = {}
    exec(formulas.exact_module(), namespace)  # noqa: S102 - the module's own source, as the script writes it
    written = namespace["EXACT"]
    assert {key: source for key, (source, _) in written.items()} == {key: source for key, (source, _) in EXACT.items()}
    values = {name: 7 for name in formulas.SYMBOLS}
    for key, (_, evaluate) in EXACT.items():
        assert written[key][1](values) == evaluate(values), key


@pytest.mark.parametrize("key", formulas.keys())
def test_each_compiled_formula_gives_sympys_own_substitution(key: str) -> None:
    expr = formulas.expression(key)
    rng = random.Random(key)
    for _ in range(20):
        values: dict[str, int | Fraction] = {s.name: rng.randint(1, 40) for s in expr.free_symbols}
        if "c_prev" in values:
            values["c_prev"] = Fraction(rng.randint(-9, 40), 2)
        try:
            expected = expr.subs({s: values[s.name] for s in expr.free_symbols})
        except ZeroDivisionError:
            continue
        if not expected.is_finite:  # a division by zero for these values (inverse.s with O = 1)
            continue
        assert EXACT[key][1](values) == expected, values  # the compiled table itself, not a fallback to sympy


def test_a_composite_key_sums_its_parts_compiled_formulas() -> None:
    key = "conv.weights.grouped+conv.biases"
    values = {"f": 3, "C": 12, "g": 4, "N_c": 10}
    expr = formulas.expression(key)
    expected = expr.subs({s: values[s.name] for s in expr.free_symbols})
    assert formulas.evaluator(key)(values) == expected == 3 * 3 * 3 * 10 + 10
    assert type(formulas.evaluate(key, values)) is int


def test_a_formula_changed_since_it_was_compiled_is_compiled_from_sympy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(formulas._FORMULAS, "fc.biases", ("F + 1", "[F] + 1"))
    formulas.evaluator.cache_clear()
    formulas.expression.cache_clear()
    try:
        assert formulas.evaluator("fc.biases")({"F": 10}) == 11
        assert formulas.evaluator("fc.weights+fc.biases")({"F_prev": 3, "F": 10}) == 41
    finally:
        formulas.evaluator.cache_clear()
        formulas.expression.cache_clear()
