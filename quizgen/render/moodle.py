"""Moodle XML question banks: one category per bank entry, n verified variants in each.

Every question is written with lxml's incremental writer (``etree.xmlfile``), so the file is
well-formed by construction: XML declaration first, UTF-8, root ``<quiz>``, HTML inside CDATA
(content holding ``]]>`` is split over two CDATA sections). What each kind of question carries:

- numerical (one part): the exact answer at 100%, one 0% answer per distractor with its
  misconception's feedback, then the ``*`` catch-all with the hint; Moodle tries them in order;
- cloze (several parts, or a table to complete): one NUMERICAL gap per part (``cloze.py``), its catch-all
  with the formula of that part (``moodle_common.part_hint``);
- multichoice (concept questions, and ``--style choice`` for single-part problems): single or
  multiple answer, grades from Moodle's list that sum to 100%, feedback on every option, shuffled;
- calculated (``--style calculated``, ``moodle_calculated.py``): a formula over wildcards and a
  dataset of engine-verified values, so Moodle draws fresh numbers at every attempt.

General feedback is the worked solution, math in ``\\( \\)``/``\\[ \\]`` for Moodle's MathJax filter;
network diagrams are SVG files embedded in the question text and referenced by ``@@PLUGINFILE@@``.
"""

from __future__ import annotations

import binascii
import html
import io
from fractions import Fraction
from typing import Any

from lxml import etree

from quizgen.bank.draw import ExportCategory, ExportItem
from quizgen.bank.points import scoring_note
from quizgen.errors import InternalError
from quizgen.problems import precision
from quizgen.problems.model import Problem
from quizgen.render import cloze
from quizgen.render.moodle_common import (
    NumericSpec,
    by_value,
    choice_spec,
    decimal_mark_html,
    file_name,
    grade_for_share,
    html_inline,
    numeric_spec,
    part_hint,
    question_idnumber,
    question_name,
    rich_html,
    solution_html,
    string,
)
from quizgen.render.moodle_elements import (
    _HTML,
    PENALTY,
    File,
    XmlFile,
    _leaf,
    _name,
    _rich,
    _tags,
    _text,
)
from quizgen.text import numbers

STYLES = ("numerical", "choice", "calculated")


def question_kind(problem: Problem, style: str = "numerical", minimum: Fraction = Fraction(0)) -> str:
    """Which Moodle question type a problem becomes: multichoice, cloze, choice (MC from distractors) or numerical.

    ``minimum`` is the bank's or entry's tolerance: a choice question needs a mistake clear of it."""
    if problem.choices:
        return "multichoice"
    if not problem.parts:
        raise InternalError(f"{problem.id}: neither parts nor choices")
    if problem.table is not None or len(problem.parts) > 1:
        return "cloze"
    if style == "choice" and precision.asked_as_choice(problem, minimum):
        return "choice"
    return "numerical"


# --- HTML for question texts ------------------------------------------------------------------


def _drawing(problem: Problem) -> tuple[str, str]:
    """The alt text (escaped for an attribute) and base64 SVG of the problem's network, the sizes its parts
    ask for drawn as '?'."""
    from quizgen.render.svg import network_drawing

    title, svg = network_drawing(problem.network, problem.lang, problem=problem)
    alt = html.escape(title or string(problem.lang, "diagram_alt"), quote=True)
    return alt, binascii.b2a_base64(svg, newline=False).decode("ascii")


def diagram(problem: Problem) -> tuple[str, list[File]]:
    """The network diagram as an ``<img>`` on ``@@PLUGINFILE@@`` and the SVG file it needs ('' when none)."""
    if problem.network is None:
        return "", []
    alt, data = _drawing(problem)
    name = file_name("network", problem, "svg")
    return (f'<p><img src="@@PLUGINFILE@@/{name}" alt="{alt}" style="max-width: 100%; height: auto;"></p>',
            [(name, data)])


def _connection_table_html(problem: Problem) -> str:
    table = problem.connection_table
    if not table:
        return ""
    cols = len(table[0])
    head = "".join(f"<th>{j}</th>" for j in range(cols))
    rows = "".join(
        f"<tr><th>{i}</th>" + "".join(f"<td>{'X' if cell else ''}</td>" for cell in row) + "</tr>"
        for i, row in enumerate(table)
    )
    caption = html.escape(string(problem.lang, "connection_table"))
    return (f'<table border="1" style="border-collapse: collapse; text-align: center;"><caption>{caption}</caption>'
            f"<thead><tr><th></th>{head}</tr></thead><tbody>{rows}</tbody></table>")


def _table_html(problem: Problem, gaps: dict[str, str]) -> str:
    """The problem's table with a Cloze gap in every blank cell (``cell-<row>-<column>``)."""
    table = problem.table
    if table is None:
        return ""
    blanks = set(table.blanks)
    head = "".join(f"<th>{html_inline(c)}</th>" for c in table.columns)
    body = []
    for r, row in enumerate(table.rows):
        cells = []
        for c, cell in enumerate(row):
            if (r, c) in blanks:
                key = f"cell-{r}-{c}"
                if key not in gaps:
                    raise InternalError(f"{problem.id}: blank ({r}, {c}) has no part {key}")
                cells.append(f"<td>{gaps[key]}</td>")
            else:
                cells.append(f"<td>{cloze.guard_outside(html_inline(cell))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    caption = f"<caption>{cloze.guard_outside(html_inline(table.caption))}</caption>" if table.caption else ""
    return (f'<table border="1" style="border-collapse: collapse;">{caption}<thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")


def _label(spec: NumericSpec) -> str:
    unit = f" ({html.escape(spec.unit)})" if spec.unit else ""
    return html_inline(spec.label) + unit


# --- the writer -------------------------------------------------------------------------------

def _leaves(*pairs: tuple[str, str]) -> tuple[etree._Element, ...]:
    """Elements that every question of a kind writes the same, made once as lxml elements."""
    out = []
    for tag, value in pairs:
        element = etree.Element(tag)
        element.text = value
        out.append(element)
    return tuple(out)


_PENALTY_HIDDEN = _leaves(("penalty", PENALTY), ("hidden", "0"))
_SETTINGS_SINGLE, _SETTINGS_MULTIPLE = (
    _leaves(("single", single), ("shuffleanswers", "true"), ("answernumbering", "abc"),
            ("showstandardinstruction", "0"))
    for single in ("true", "false"))


def _combined_feedback(lang: str, multiple: bool) -> tuple[etree._Element, ...]:
    """A multichoice question's feedback for right, partly right and wrong answers (the same in every one)."""
    out = []
    for tag, key in (("correctfeedback", "feedback_correct"), ("partiallycorrectfeedback", "feedback_partial"),
                     ("incorrectfeedback", "feedback_incorrect")):
        element = etree.Element(tag, _HTML)
        etree.SubElement(element, "text").text = etree.CDATA(f"<p>{html.escape(string(lang, key))}</p>")
        out.append(element)
    if multiple:
        out.append(etree.Element("shownumcorrect"))
    return tuple(out)
_SETTINGS_NUMERICAL = _leaves(("unitgradingtype", "0"), ("unitpenalty", "0.1000000"), ("showunits", "3"),
                              ("unitsleft", "0"))


class _Writer:
    """Writes questions of every kind into the open ``<quiz>`` element of an lxml incremental writer."""

    def __init__(self, xf: XmlFile, style: str, negative: bool, diagrams: bool) -> None:
        self.xf = xf
        self.style = style
        self.negative = negative
        self.diagrams = diagrams

    def category(self, cat: ExportCategory, lang: str) -> None:
        xf = self.xf
        with xf.element("question", {"type": "category"}):
            with xf.element("category"):
                _text(xf, cat.path)
            with xf.element("info", _HTML):
                _text(xf, "<p>" + html.escape(string(lang, "category_info", family=cat.family,
                                                     difficulty=cat.difficulty, n=len(cat.items))) + "</p>")

    def _stem(self, problem: Problem) -> tuple[str, list[File]]:
        img, files = diagram(problem) if self.diagrams else ("", [])
        return rich_html(problem.stem) + img + _connection_table_html(problem), files

    def _header(self, item: ExportItem, text: str, files: list[File], grade: bool = True) -> None:
        p = item.problem
        xf = self.xf
        _name(xf, question_name(p, item.variant))
        _rich(xf, "questiontext", text, files)
        _rich(xf, "generalfeedback", solution_html(p.solution, p.lang))
        if grade:
            _leaf(xf, "defaultgrade", f"{item.points:g}")
        xf.write(*_PENALTY_HIDDEN)
        _leaf(xf, "idnumber", question_idnumber(p))

    def _answer(self, fraction: str, value: str, feedback_html: str, tolerance: str | None = None,
                fmt: str = "moodle_auto_format") -> None:
        xf = self.xf
        with xf.element("answer", {"fraction": fraction, "format": fmt}):
            _text(xf, value)
            _rich(xf, "feedback", feedback_html)
            if tolerance is not None:
                _leaf(xf, "tolerance", tolerance)

    def numerical(self, item: ExportItem) -> None:
        p = item.problem
        spec = numeric_spec(p.parts[0], item.tolerance, string(p.lang, "correct"), p.lang)
        stem, files = self._stem(p)
        text = stem + f"<p><strong>{_label(spec)}</strong></p>" + decimal_mark_html(p.parts, p.lang)
        xf = self.xf
        with xf.element("question", {"type": "numerical"}):
            self._header(item, text, files)
            self._answer("100", spec.correct.value, html_inline(spec.correct.feedback), spec.correct.tolerance)
            for wrong in spec.others:
                self._answer("0", wrong.value, html_inline(wrong.feedback), wrong.tolerance)
            self._answer("0", "*", html_inline(p.hint or string(p.lang, "catch_all")), "0")
            xf.write(*_SETTINGS_NUMERICAL)
            _tags(xf, item.tags)

    def cloze(self, item: ExportItem) -> None:
        p = item.problem
        correct = string(p.lang, "correct")
        specs = [numeric_spec(part, item.tolerance, correct, p.lang) for part in p.parts]
        weights = cloze.gap_weights(item.part_points[: len(p.parts)] or (Fraction(1),) * len(p.parts))
        gaps = {s.key: cloze.numerical_gap(s, w, part_hint(p, part))
                for s, w, part in zip(specs, weights, p.parts, strict=True)}
        stem, files = self._stem(p)
        text = cloze.guard_outside(stem) + _table_html(p, gaps)
        in_table = {f"cell-{r}-{c}" for r, c in p.table.blanks} if p.table else set()
        listed = [s for s in specs if s.key not in in_table]
        if listed:
            text += "<ol>" + "".join(
                f"<li>{cloze.guard_outside(_label(s))}: {gaps[s.key]}</li>" for s in listed) + "</ol>"
        text += decimal_mark_html(p.parts, p.lang)
        xf = self.xf
        with xf.element("question", {"type": "cloze"}):
            self._header(item, text, files, grade=False)
            if p.hint:
                _rich(xf, "hint", rich_html(p.hint))
            _tags(xf, item.tags)

    def _multichoice(self, item: ExportItem, text: str, files: list[File],
                     options: list[tuple[str, bool, str]], multiple: bool) -> None:
        """Options are (HTML, correct, feedback HTML); grades from Moodle's list, correct ones summing to 100%."""
        correct = sum(1 for _, ok, _ in options if ok)
        wrong = len(options) - correct
        if correct == 0 or len(options) < 2 or (not multiple and correct != 1):
            raise InternalError(f"{item.problem.id}: {correct} correct of {len(options)} options")
        right_grade = grade_for_share(correct)
        # several correct options: Moodle adds the grades of the ticked ones (clamped to 0..100%), so each wrong
        # tick takes a share away, or ticking everything would earn full marks (quizgen.bank.points, per-option)
        penalize = self.negative or multiple
        wrong_grade = grade_for_share(wrong, negative=True) if penalize and wrong else "0"
        xf = self.xf
        with xf.element("question", {"type": "multichoice"}):
            self._header(item, text, files)
            xf.write(*_SETTINGS_MULTIPLE if multiple else _SETTINGS_SINGLE)
            xf.write(*_combined_feedback(item.problem.lang, multiple))
            for option, ok, feedback in options:
                self._answer(right_grade if ok else wrong_grade, option, feedback, fmt="html")
            _tags(xf, item.tags)

    def multichoice(self, item: ExportItem) -> None:
        p = item.problem
        stem, files = self._stem(p)
        if p.multiple:
            stem += rich_html(scoring_note(p.lang, item.scoring))
        options = [(rich_html(c.text), c.correct, html_inline(c.feedback)) for c in p.choices]
        self._multichoice(item, stem, files, options, p.multiple)

    def choice(self, item: ExportItem) -> None:
        """A single-part problem as one-answer multiple choice: the answer and its distractors as options."""
        p = item.problem
        spec = choice_spec(p, item.tolerance, item.variant)
        unit = html.escape(spec.unit)
        # sorted by value (shuffle is on, and without it the position still tells nothing); which mistakes are
        # offered changes the answer's rank between versions
        options = [(f"<p>{numbers.with_unit(numbers.shown(v.value, p.lang), unit, p.lang)}</p>", ok,
                    html_inline(v.feedback)) for v, ok in by_value(spec)]
        stem, files = self._stem(p)
        text = stem + f"<p><strong>{_label(spec)}</strong></p>"
        self._multichoice(item, text, files, options, multiple=False)


def moodle_xml(categories: list[ExportCategory], *, style: str = "numerical", negative: bool = False,
               diagrams: bool = True, calculated: dict[int, Any] | None = None) -> bytes:
    """The Moodle XML file (bytes, UTF-8) for these categories, written by lxml one question at a time.

    ``calculated`` maps a category's index to its calculated question (``moodle_calculated``); such a
    category holds that one question instead of its variants.
    """
    if style not in STYLES:
        raise InternalError(f"unknown style {style!r}")
    buffer = io.BytesIO()
    with etree.xmlfile(buffer, encoding="UTF-8") as xf:
        xf.write_declaration()
        writer = _Writer(xf, style, negative, diagrams)
        with xf.element("quiz"):
            for index, cat in enumerate(categories):
                lang = cat.items[0].problem.lang if cat.items else "en"
                xf.write("\n")
                writer.category(cat, lang)
                xf.write("\n")
                if calculated and index in calculated:
                    from quizgen.render.moodle_calculated import write_calculated

                    write_calculated(xf, calculated[index])
                    xf.write("\n")
                    continue
                for item in cat.items:
                    getattr(writer, question_kind(item.problem, style, item.tolerance))(item)
                    xf.write("\n")
    return buffer.getvalue()
