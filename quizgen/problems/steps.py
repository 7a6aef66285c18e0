"""A formula and its substitution printed as LaTeX, the way the lecture writes a worked step.

The engine (``quizgen.nets.formulas``) keeps each formula's display template (``[f]^2 \\times [C]``);
this module prints it with its symbols, with the values in place of the symbols, and as the chain
``lhs = formula = substitution = result``, every number through ``quizgen.text.numbers``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from quizgen.errors import InternalError
from quizgen.nets.formulas import PLACEHOLDER, SYMBOLS, Quantity, display
from quizgen.text import numbers
from quizgen.text.numbers import Number


def formula_latex(key: str) -> str:
    """The formula with its symbols: ``f^2 \\times C \\times N_c``."""
    return PLACEHOLDER.sub(lambda m: SYMBOLS[m.group(1)], display(key))


# a sum of per-layer numbers: its letters (A + B + D + ..., P_1 + P_2 + ...) only name the terms
_SUM = re.compile(r"(?:sum\.|chain\.total)(\d+)")
_SUM_ALL = "custom.total"  # a sum of more layers than one formula holds, written as its result P


def _symbols_text(lang: str) -> dict[str, Any]:
    from quizgen.text.templating import template_yaml

    return template_yaml(f"symbols/{lang}.yaml")


def meanings(key: str, lang: str) -> dict[str, str]:
    """What each symbol of a formula stands for in ``lang`` (``templates/symbols``), in the formula's order;
    InternalError for a symbol without a meaning."""
    words = _symbols_text(lang)
    out: dict[str, str] = {}
    for piece in key.split("+"):
        # a formula made from another (conv.weights.table.macs) keeps its letters' meanings
        names = piece.split(".")
        own = next((words["formulas"][".".join(names[:n])] for n in range(len(names), 0, -1)
                    if ".".join(names[:n]) in words["formulas"]), {})
        for name in PLACEHOLDER.findall(display(piece)):
            if name in out:
                continue
            meaning = own.get(name) or words["symbols"].get(name)
            if not meaning:
                raise InternalError(f"formula {piece!r}: no meaning for {name!r} in templates/symbols/{lang}.yaml")
            out[name] = meaning
    return out


def is_sum(key: str) -> bool:
    """Whether a formula is a sum of per-layer numbers, which a hint words as such (``formula_hint``)."""
    return key == _SUM_ALL or _SUM.fullmatch(key) is not None


@cache
def formula_hint(key: str, lang: str) -> str:
    """A formula as a hint shows it to a student who has not seen the worked solution (rich text): the formula and
    what each of its letters stands for, ``$f^2 \\times C$, where $f$ is the size of the filter and $C$ ...``; a
    sum of per-layer numbers in words, since its letters only name the terms.

    Cached: every gap of an export asks for its formula's hint (``moodle lecture -n 30``: 1,020 hints of 21
    formulas, 0.04 s of CPU uncached)."""
    from quizgen.text.templating import join_and, render_string

    words = _symbols_text(lang)
    total = _SUM.fullmatch(key)
    if total:
        return render_string(words["sum"], count=int(total.group(1)))
    if key == _SUM_ALL:
        return render_string(words["sum_all"])
    formula = f"${formula_latex(key)}$"
    items = [render_string(words["where_first" if i == 0 else "where_next"], symbol=f"${SYMBOLS[name]}$",
                           meaning=meaning) for i, (name, meaning) in enumerate(meanings(key, lang).items())]
    return f"{formula}, {join_and(items, words['and'])}" if items else formula


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
