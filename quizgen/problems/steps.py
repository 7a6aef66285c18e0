"""A formula and its substitution printed as LaTeX, the way the lecture writes a worked step.

The engine (``quizgen.nets.formulas``) keeps each formula's display template (``[f]^2 \\times [C]``);
this module prints it with its symbols, with the values in place of the symbols, and as the chain
``lhs = formula = substitution = result``, every number through ``quizgen.text.numbers``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from quizgen.nets.formulas import PLACEHOLDER, SYMBOLS, Quantity, display
from quizgen.text import numbers
from quizgen.text.numbers import Number


def formula_latex(key: str) -> str:
    """The formula with its symbols: ``f^2 \\times C \\times N_c``."""
    return PLACEHOLDER.sub(lambda m: SYMBOLS[m.group(1)], display(key))


def substitution_latex(q: Quantity, lang: str = "en", printer: Callable[[Number], str] | None = None) -> str:
    """The formula with the values in place of the symbols: ``11^2 \\times 3 \\times 96``.

    ``printer`` prints a value (default: ``numbers.latex`` in ``lang``)."""
    values = dict(q.values)

    def number(match: re.Match[str]) -> str:
        value = values[match.group(1)]
        text = printer(value) if printer else numbers.latex(value, None, lang)
        return "{" + text + "}" if not isinstance(value, int) or value < 0 else text

    return PLACEHOLDER.sub(number, display(q.formula))


def steps_latex(q: Quantity, lhs: str, lang: str = "en") -> str:
    """``lhs = formula = substitution = result`` in one line of LaTeX math."""
    chain = [lhs, formula_latex(q.formula)]
    substituted = substitution_latex(q, lang)
    if substituted != chain[-1]:
        chain.append(substituted)
    result = numbers.latex(q.value, None, lang)
    if result != chain[-1]:
        chain.append(result)
    return " = ".join(chain)
