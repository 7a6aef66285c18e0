"""Small pieces every family uses: its template blocks, parts from engine quantities, re-draws."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from quizgen.errors import InternalError
from quizgen.nets.engine import count
from quizgen.nets.formulas import Quantity
from quizgen.nets.layers import Network
from quizgen.problems import misconceptions, precision
from quizgen.problems.measures import Measure
from quizgen.problems.model import Content, Number, Part, Step
from quizgen.problems.steps import steps_latex
from quizgen.text.templating import render_block_context

T = TypeVar("T")


class Text:
    """The named blocks of one family's template in one language: ``t("stem", N=6)``."""

    def __init__(self, family_id: str, lang: str) -> None:
        self.path = f"problems/{family_id}/{lang}.j2"
        self.lang = lang

    def __call__(self, block: str, **context: Any) -> str:
        return render_block_context(self.path, block, context)


def numeric_part(
    key: str,
    label: str,
    quantity: Quantity,
    kind: str,
    context: dict[str, Any],
    lang: str,
    *,
    unit: str = "",
    decimals: int = 0,
    only: tuple[str, ...] | None = None,
    extra: tuple[tuple[str, Number | None], ...] = (),
    measure: Measure | None = None,
    defining: tuple[str, ...] = (),
    **unknown: Any,
) -> Part:
    """A Part whose answer is the quantity's value, with the catalogue's distractors for ``kind``.

    The answer contract (``quizgen.problems.precision``): ``decimals`` is the fewest decimals the family asks for
    (0: a whole count, asked exactly); the part is asked at ``precision.stated_decimals`` (enough for 3 significant
    digits), its label says so in words (``..., to 2 decimal places``), and its tolerance is half a unit of that
    last decimal. There is no tolerance to pass: a bank or entry ``tolerance`` widens it at export.

    ``context`` names the facts the misconceptions read (the fields of ``misconceptions.Context``: a name it does
    not declare is a TypeError). ``defining``: the family's defining misconceptions, kept farther from the answer
    (``misconceptions.distractors``). Only the values clear of the answer are kept (``precision.clear_of``).
    """
    if unknown:
        raise TypeError(f"numeric_part() got {', '.join(sorted(unknown))}: a part's tolerance follows from its "
                        "decimals (quizgen.problems.precision); pass decimals=, the fewest the family asks for"
                        if "tolerance" in unknown else f"numeric_part() got unexpected {', '.join(sorted(unknown))}")
    answer = quantity.value
    shown = precision.stated_decimals(answer, decimals)
    tolerance = precision.rule_tolerance(shown)
    found = misconceptions.distractors(kind, answer, misconceptions.Context(**context), lang, only=only, extra=extra,
                                       decimals=shown, tolerance=tolerance, defining=defining)
    return Part(key, precision.stated_label(label, shown, lang), answer, quantity, tolerance if shown else 0, unit,
                shown, found, measure)


def step(text: str, quantity: Quantity | None = None, lhs: str = "", lang: str = "en") -> Step:
    """A solution step: a sentence and ``lhs = formula = substitution = result``; ``lang`` is the language of its
    decimal numbers (whole numbers print alike in every language)."""
    return Step(text, steps_latex(quantity, lhs, lang) if quantity is not None else "")


class NoProblem(InternalError):
    """``redraw`` found no numbers that work: a family's ranges too narrow, or an own network that cannot work."""


def redraw(make: Callable[[], T | None], attempts: int = 200) -> T:
    """Call ``make`` until it returns a problem (None means: these numbers do not work, draw again)."""
    for _ in range(attempts):
        result = make()
        if result is not None:
            return result
    raise NoProblem(f"no valid problem after {attempts} draws; the parameter ranges are too narrow")


def enough(parts: list[Part], minimum: int = 2) -> bool:
    """True when every part has at least ``minimum`` distractors (else the generator re-draws)."""
    return all(len(p.distractors) >= minimum for p in parts)


def pick(rng: random.Random, values: list[T]) -> T:
    return values[0] if len(values) == 1 else rng.choice(values)


_FLOORED = ("size.explicit", "size.explicit.dilated", "size.sides", "size.sides.dilated")


def floors(network: Network) -> bool:
    """True when a layer of ``network`` with explicit padding has a (W − f + 2p)/s that is not whole, so its
    output size takes the floor (the last window that does not fit is not applied)."""
    for lc in count(network).layers:
        for axis in (lc.out_h, lc.out_w):
            if axis is None or axis.size.formula not in _FLOORED:
                continue
            v = dict(axis.size.values)
            pad = 2 * v["p"] if "p" in v else v["p_1"] + v["p_2"]
            if (v["W"] - (v.get("d", 1) * (v["f"] - 1) + 1) + pad) % v["s"]:
                return True
    return False


def stated_rules(content: Content, lang: str) -> Content:
    """The content with the rules its numbers follow said in its stem: the floor in output sizes, where a layer
    of its networks with explicit padding does not divide evenly (``floors``)."""
    networks = [n for n in (content.network, *content.extra_networks) if n is not None]
    if not any(floors(n) for n in networks):
        return content
    from quizgen.text.templating import text

    return replace(content, stem=content.stem.rstrip() + "\n\n" + text(lang, "floor_rule"))
