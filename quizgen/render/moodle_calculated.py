"""Moodle "calculated" questions: one formula over wildcards, values drawn by Moodle at every attempt.

Only a part whose answer is one formula over integer symbols can become one (input→conv's total
f²·C·N + N, for instance): the sympy expression of its Quantity is translated to Moodle's formula
syntax (``pow({f},2)*{C}*{N}+{N}``), and the dataset is made of the symbol values of real, verified
variants of the bank entry. Before anything is written, the translated formula is evaluated on every
dataset item and must give the exact value the engine and sympy gave (``formulas.evaluate``).

Stems and solutions use wildcards instead of numbers, so they live in their own templates:
``templates/moodle/calculated/<family>/<lang>.j2`` with blocks ``part`` (the part's key),
``difficulties``, ``stem`` and ``solution``; a symbol ``f`` renders as ``{f}`` and ``answer`` as
``{=formula}``. Write no other ``{letter...}`` in them: Moodle would take it for a wildcard.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from quizgen.bank.draw import ExportCategory
from quizgen.errors import InternalError
from quizgen.nets import formulas
from quizgen.render.moodle_common import html_inline, string
from quizgen.render.moodle_elements import PENALTY, _leaf, _name, _rich, _tags, _text
from quizgen.text.richtext import to_html
from quizgen.text.templating import tag_word

MAX_ITEMS = 100  # Moodle's qtype_calculated::MAX_DATASET_ITEMS


def wildcard(symbol: str) -> str:
    """Moodle wildcard name of an engine symbol: ``N_c`` → ``N`` (as the lecture says it), else without '_'."""
    return {"N_c": "N", "F_prev": "Fprev"}.get(symbol, symbol.replace("_", ""))


def moodle_formula(expr: Any) -> str:
    """A sympy expression in Moodle's calculated syntax: ``{f}`` wildcards, ``pow()``, ``floor()``, ``ceil()``."""
    import sympy

    if expr.is_Integer:
        value = int(expr)
        return str(value) if value >= 0 else f"({value})"
    if expr.is_Rational:
        return f"({expr.p}/{expr.q})"
    if expr.is_Symbol:
        return "{" + wildcard(expr.name) + "}"
    if expr.is_Add:
        return "(" + "+".join(moodle_formula(a) for a in expr.args) + ")"
    if expr.is_Mul:
        return "*".join(moodle_formula(a) for a in expr.args)
    if expr.is_Pow:
        base, exp = expr.args
        if exp.is_Integer and int(exp) >= 2:
            return f"pow({moodle_formula(base)},{int(exp)})"
        if exp.is_Integer and int(exp) < 0:
            return f"(1/pow({moodle_formula(base)},{-int(exp)}))"
    if isinstance(expr, sympy.floor):
        return f"floor({moodle_formula(expr.args[0])})"
    if isinstance(expr, sympy.ceiling):
        return f"ceil({moodle_formula(expr.args[0])})"
    raise InternalError(f"no Moodle formula for {expr!r}")


def evaluate_moodle(formula: str, values: dict[str, int | Fraction]) -> float:
    """Evaluate a Moodle formula as Moodle does (floating point), for the check before writing."""
    source = formula
    for name, value in values.items():
        source = source.replace("{" + name + "}", f"({float(value)!r})")
    if "{" in source:
        raise InternalError(f"formula {formula!r} has a wildcard without a value")
    namespace = {"pow": pow, "floor": math.floor, "ceil": math.ceil, "__builtins__": {}}
    return float(eval(source, namespace))  # noqa: S307 - the formula is generated above from sympy


@dataclass(frozen=True)
class Dataset:
    """One wildcard and its values, item k of every dataset forming variant k."""

    name: str
    values: tuple[int, ...]


@dataclass(frozen=True)
class Mistake:
    """A wrong answer of a calculated question: a misconception's formula over the same wildcards, at 0 %."""

    misconception: str
    formula: str
    feedback: str  # HTML


@dataclass(frozen=True)
class CalculatedQuestion:
    """Everything a calculated question needs, checked: formula, datasets, texts with wildcards."""

    name: str
    idnumber: str
    text: str  # HTML with {wildcards}
    general_feedback: str
    formula: str
    datasets: tuple[Dataset, ...]
    points: float
    tags: tuple[str, ...]
    correct_feedback: str
    lang: str
    mistakes: tuple[Mistake, ...] = ()


def _template(family: str, lang: str) -> str | None:
    from quizgen.text.templating import templates_dir

    path = f"moodle/calculated/{family}/{lang}.j2"
    return path if (templates_dir() / path).is_file() else None


def eligible(cat: ExportCategory) -> bool:
    """True when the category's family has a calculated template for its difficulty and language."""
    from quizgen.text.templating import render_block

    if not cat.items:
        return False
    lang = cat.items[0].problem.lang
    path = _template(cat.family, lang)
    if path is None:
        return False
    levels = {int(x) for x in render_block(path, "difficulties").split()}
    return cat.difficulty in levels


def build_calculated(cat: ExportCategory) -> CalculatedQuestion:
    """The calculated question of one category, from its verified variants (at most 100 dataset items)."""
    from quizgen.text.templating import render_block

    first = cat.items[0].problem
    lang = first.lang
    path = _template(cat.family, lang)
    if path is None:
        raise InternalError(f"no calculated template for {cat.family} in {lang}")
    key = render_block(path, "part")
    quantity = first.part(key).quantity
    if quantity is None:
        raise InternalError(f"{first.id}: part {key} has no formula")
    symbols = [name for name, _ in quantity.values]
    formula = moodle_formula(formulas.expression(quantity.formula))
    rows: list[tuple[int, ...]] = []
    for item in cat.items[:MAX_ITEMS]:
        part = item.problem.part(key)
        q = part.quantity
        if q is None or q.formula != quantity.formula or [n for n, _ in q.values] != symbols:
            raise InternalError(f"{item.problem.id}: part {key} does not use {quantity.formula}")
        values = dict(q.values)
        if any(not isinstance(v, int) for v in values.values()):
            raise InternalError(f"{item.problem.id}: calculated questions need integer symbols")
        exact = formulas.evaluate(q.formula, values)
        moodle = evaluate_moodle(formula, {wildcard(n): v for n, v in values.items()})
        if exact != part.answer or Fraction(moodle) != Fraction(exact):
            raise InternalError(f"{item.problem.id}: {formula} gives {moodle}, the engine {part.answer}")
        row = tuple(int(values[n]) for n in symbols)
        if row not in rows:
            rows.append(row)
    datasets = tuple(Dataset(wildcard(n), tuple(r[i] for r in rows)) for i, n in enumerate(symbols))
    mistakes = _mistakes(render_block(path, "kind"), quantity, formula, cat, key, lang)
    context = {n: "{" + wildcard(n) + "}" for n in symbols}
    context["answer"] = "{=" + formula + "}"
    stem = render_block(path, "stem", **context)
    solution = render_block(path, "solution", **context)
    label = html_inline(first.part(key).label)
    digest = hashlib.sha256(repr((formula, rows)).encode()).hexdigest()[:10]
    title = render_block(path, "title", **context)
    name = f"[{cat.family} d{cat.difficulty} calculated, {len(rows)} items] {title}"[:255]
    return CalculatedQuestion(
        name=name,
        idnumber=f"{cat.family}.d{cat.difficulty}.calculated.{digest}.{lang}",
        text=to_html(stem) + f"<p><strong>{label}</strong></p>",
        general_feedback=f"<p><strong>{string(lang, 'solution')}</strong></p>" + to_html(solution),
        formula=formula,
        datasets=datasets,
        points=cat.items[0].points,
        tags=tuple(dict.fromkeys((*cat.items[0].tags, tag_word(cat.lang, "calculated")))),
        correct_feedback=html_inline(string(lang, "correct")),
        lang=lang,
        mistakes=mistakes,
    )


# what a kind of quantity tells the misconceptions besides the formula's own symbols (the answer ``e``)
_FACTS = {"conv.params": lambda sym, e: {"biases": sym["N_c"], "weights": e - sym["N_c"], "params": e}}


def _mistakes(kind: str, quantity: Any, formula: str, cat: ExportCategory, key: str, lang: str) -> tuple[Mistake, ...]:
    """The misconceptions of the part as formulas over the wildcards, each checked on every dataset item.

    The catalogue's value function runs on symbols (``misconceptions.Context`` holding sympy symbols, and the
    facts ``_FACTS`` gives for the kind); a formula is kept when, on every variant of the category where the
    numerical export offers that misconception, it gives exactly the value offered there, and it is offered on
    at least one. Its feedback is the misconception's title (the worked feedback quotes one variant's numbers).
    """
    import sympy

    from quizgen.problems.misconceptions import CATALOGUE, Context

    expr = formulas.expression(quantity.formula)
    sym = {s.name: s for s in expr.free_symbols}
    fields = set(Context.__dataclass_fields__)
    facts = {**{k: v for k, v in sym.items() if k in fields}, **_FACTS[kind](sym, expr), "kind": kind, "answer": expr}
    context = Context(**facts)
    items = cat.items[:MAX_ITEMS]
    found = []
    for mid, m in CATALOGUE.items():
        if kind not in m.kinds:
            continue
        try:
            value = m.value(kind, context)
        except (TypeError, ValueError, AttributeError):
            continue  # a fact the kind does not give
        if value is None or not isinstance(value, sympy.Expr) or not value.free_symbols <= set(sym.values()):
            continue
        if sympy.simplify(value - expr) == 0:
            continue
        try:
            text = moodle_formula(sympy.expand(value) if not value.has(sympy.floor) else value)
        except InternalError:
            continue
        offered = 0
        for item in items:
            part = item.problem.part(key)
            values = {wildcard(n): v for n, v in part.quantity.values}
            got = Fraction(evaluate_moodle(text, values))
            wanted = [d.value for d in part.distractors if d.misconception == mid]
            if wanted and got != wanted[0]:
                break
            offered += bool(wanted)
        else:
            if offered:
                title = CATALOGUE[mid].title(lang)
                found.append(Mistake(mid, text, html_inline(string(lang, "calculated_mistake", title=title))))
    return tuple(found)


def write_calculated(xf: Any, q: CalculatedQuestion) -> None:
    """The ``<question type="calculated">`` element, with every tag Moodle's importer reads without a default.

    ``xf`` is the lxml incremental writer of the open ``<quiz>`` (``moodle.moodle_xml``).
    """
    with xf.element("question", {"type": "calculated"}):
        _name(xf, q.name)
        _rich(xf, "questiontext", q.text)
        _rich(xf, "generalfeedback", q.general_feedback)
        for tag, value in (("defaultgrade", f"{q.points:g}"), ("penalty", PENALTY), ("hidden", "0"),
                           ("idnumber", q.idnumber), ("synchronize", "0"), ("single", "0"),
                           ("answernumbering", "abc"), ("shuffleanswers", "0")):
            _leaf(xf, tag, value)
        for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
            _rich(xf, tag, "")
        with xf.element("answer", {"fraction": "100"}):
            _text(xf, q.formula)
            _leaf(xf, "tolerance", "0")
            _leaf(xf, "tolerancetype", "2")  # nominal: an absolute tolerance
            _leaf(xf, "correctanswerformat", "1")  # decimals
            _leaf(xf, "correctanswerlength", "0")
            _rich(xf, "feedback", q.correct_feedback)
        for mistake in q.mistakes:  # Moodle tries the answers in order: the right one first
            with xf.element("answer", {"fraction": "0"}):
                _text(xf, mistake.formula)
                _leaf(xf, "tolerance", "0")
                _leaf(xf, "tolerancetype", "2")
                _leaf(xf, "correctanswerformat", "1")
                _leaf(xf, "correctanswerlength", "0")
                _rich(xf, "feedback", mistake.feedback)
        for tag, value in (("unitgradingtype", "0"), ("unitpenalty", "0.1000000"), ("showunits", "3"),
                           ("unitsleft", "0")):
            _leaf(xf, tag, value)
        with xf.element("dataset_definitions"):
            for ds in q.datasets:
                _dataset(xf, ds)
        _tags(xf, q.tags)


def _dataset(xf: Any, ds: Dataset) -> None:
    """One ``<dataset_definition>``: a private wildcard and its items, numbered from 1."""
    with xf.element("dataset_definition"):
        for tag, value in (("status", "private"), ("name", ds.name)):
            with xf.element(tag):
                _text(xf, value)
        _leaf(xf, "type", "calculated")
        for tag, value in (("distribution", "uniform"), ("minimum", str(min(ds.values))),
                           ("maximum", str(max(ds.values))), ("decimals", "0")):
            with xf.element(tag):
                _text(xf, value)
        _leaf(xf, "itemcount", str(len(ds.values)))
        with xf.element("dataset_items"):
            for number, value in enumerate(ds.values, start=1):
                with xf.element("dataset_item"):
                    _leaf(xf, "number", str(number))
                    _leaf(xf, "value", str(value))
        _leaf(xf, "number_of_items", str(len(ds.values)))
