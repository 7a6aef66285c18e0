"""Moodle XML question banks: one category per bank entry, n verified variants in each.

Every question is written with lxml's incremental writer (``etree.xmlfile``), so the file is
well-formed by construction: XML declaration first, UTF-8, root ``<quiz>``, HTML inside CDATA
(content holding ``]]>`` is split over two CDATA sections). What each kind of question carries:

- numerical (one part): the exact answer at 100%, one 0% answer per distractor with its
  misconception's feedback, then the ``*`` catch-all with the hint; Moodle tries them in order;
- cloze (several parts, or a table to complete): one NUMERICAL gap per part (``cloze.py``);
- multichoice (concept questions, and ``--style choice`` for single-part problems): single or
  multiple answer, grades from Moodle's list that sum to 100%, feedback on every option, shuffled;
- calculated (``--style calculated``, ``moodle_calculated.py``): a formula over wildcards and a
  dataset of engine-verified values, so Moodle draws fresh numbers at every attempt.

General feedback is the worked solution, math in ``\\( \\)``/``\\[ \\]`` for Moodle's MathJax filter;
network diagrams are SVG files embedded in the question text and referenced by ``@@PLUGINFILE@@``.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from quizgen.errors import InternalError
from quizgen.problems.model import Problem
from quizgen.render import cloze
from quizgen.render.moodle_common import (
    ExportCategory,
    ExportItem,
    NumericSpec,
    file_name,
    grade_for_share,
    html_inline,
    numeric_spec,
    question_idnumber,
    question_name,
    rich_html,
    solution_html,
    string,
)
from quizgen.richtext import to_html

STYLES = ("numerical", "choice", "calculated")
PENALTY = "0.3333333"  # Moodle's default penalty for each wrong try (adaptive mode)
File = tuple[str, str]  # (name, base64 of the content) embedded in a text element


def question_kind(problem: Problem, style: str = "numerical") -> str:
    """Which Moodle question type a problem becomes: multichoice, cloze, choice (MC from distractors) or numerical."""
    if problem.choices:
        return "multichoice"
    if not problem.parts:
        raise InternalError(f"{problem.id}: neither parts nor choices")
    if problem.table is not None or len(problem.parts) > 1:
        return "cloze"
    if style == "choice" and problem.parts[0].distractors:
        return "choice"
    return "numerical"


# --- low-level writing ------------------------------------------------------------------------
# The file is assembled as text, escaped exactly as libxml2 escapes it (the bytes are those lxml's
# incremental writer produced): 20,000 questions are written in a few seconds. Text that XML cannot
# hold (control characters) is refused, as lxml refused it; base64 files need no such check.

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _checked(text: str) -> str:
    """The text, when XML can hold every character of it (every text and value written passes here)."""
    bad = _NOT_XML.search(text)
    if bad:
        before = text[max(bad.start() - 60, 0):bad.start()]
        raise InternalError(f"character {bad.group()!r} cannot be written in XML (after {before!r})")
    return text


def _escape(text: str) -> str:
    return _checked(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _attrs(attrs: dict[str, str] | None) -> str:
    if not attrs:
        return ""
    return "".join(
        f' {key}="' + _escape(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;") + '"'
        for key, value in attrs.items()
    )


def _leaf(out: list[str], tag: str, value: str, attrs: dict[str, str] | None = None) -> None:
    out.append(f"<{tag}{_attrs(attrs)}>{_escape(value)}</{tag}>")


def _text(out: list[str], content: str) -> None:
    """``<text>``: markup goes in CDATA (split at ``]]>``), plain values as escaped text."""
    if "<" in content or ">" in content or "&" in content:
        # "]]>" cannot sit inside CDATA: end the section after "]]" and start the next with ">"
        out.append("<text><![CDATA[" + _checked(content).replace("]]>", "]]]]><![CDATA[>") + "]]></text>")
    else:
        out.append(f"<text>{_escape(content)}</text>")


def _rich(out: list[str], tag: str, content: str, files: Iterable[File] = (),
          attrs: dict[str, str] | None = None) -> None:
    """A text element in HTML format with its embedded files (``<file ... encoding="base64">``)."""
    out.append(f'<{tag} format="html"{_attrs(attrs)}>')
    _text(out, content)
    for name, data in files:
        out.append(f'<file{_attrs({"name": name})} path="/" encoding="base64">{data}</file>')
    out.append(f"</{tag}>")


def _name(out: list[str], name: str) -> None:
    out.append("<name>")
    _text(out, name)
    out.append("</name>")


def _tags(out: list[str], tags: tuple[str, ...]) -> None:
    if not tags:
        return
    out.append("<tags>")
    for tag in tags:
        out.append("<tag>")
        _text(out, tag)
        out.append("</tag>")
    out.append("</tags>")


# --- HTML for question texts ------------------------------------------------------------------


_DRAWINGS: dict[Any, tuple[str, str]] = {}  # (network, lang, hidden sizes) -> (alt text, base64 SVG)
_DRAWINGS_LIMIT = 4096


def _drawing(problem: Problem) -> tuple[str, str]:
    """The alt text and base64 SVG of the problem's network, the sizes its parts ask for drawn as '?'.

    Memoised on the network, language and hidden sizes: the variants of a built-in network (LeNet-5,
    AlexNet) share a handful of drawings.
    """
    from quizgen.render.svg import asked_sizes, network_drawing

    network = problem.network
    asked = asked_sizes(problem, network)
    key: Any = (network, problem.lang, tuple(sorted((i, "".join(sorted(s))) for i, s in asked.items())))
    try:
        hit = _DRAWINGS.get(key)
    except TypeError:  # a network holding an unhashable value: its text stands for it
        key = (repr(network), *key[1:])
        hit = _DRAWINGS.get(key)
    if hit is not None:
        return hit
    title, svg = network_drawing(network, problem.lang, asked=asked)
    alt = title or string(problem.lang, "diagram_alt")
    if len(_DRAWINGS) >= _DRAWINGS_LIMIT:
        _DRAWINGS.clear()
    result = _DRAWINGS[key] = (alt, base64.b64encode(svg.encode("utf-8")).decode("ascii"))
    return result


def diagram(problem: Problem) -> tuple[str, list[File]]:
    """The network diagram as an ``<img>`` on ``@@PLUGINFILE@@`` and the SVG file it needs ('' when none)."""
    if problem.network is None:
        return "", []
    alt, data = _drawing(problem)
    name = file_name("network", problem, "svg")
    img = (f'<p><img src="@@PLUGINFILE@@/{name}" alt="{html.escape(alt, quote=True)}" '
           f'style="max-width: 100%; height: auto;"></p>')
    return img, [(name, data)]


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


class _Writer:
    """Writes questions of every kind as text pieces of the open ``<quiz>`` element."""

    def __init__(self, style: str, negative: bool, diagrams: bool) -> None:
        self.out: list[str] = []
        self.style = style
        self.negative = negative
        self.diagrams = diagrams

    def category(self, cat: ExportCategory, lang: str) -> None:
        out = self.out
        out.append('<question type="category"><category>')
        _text(out, cat.path)
        out.append('</category><info format="html">')
        _text(out, "<p>" + html.escape(string(lang, "category_info", family=cat.family, difficulty=cat.difficulty,
                                              n=len(cat.items))) + "</p>")
        out.append("</info></question>")

    def _stem(self, problem: Problem) -> tuple[str, list[File]]:
        img, files = diagram(problem) if self.diagrams else ("", [])
        return to_html(problem.stem) + img + _connection_table_html(problem), files

    def _header(self, item: ExportItem, text: str, files: list[File], grade: bool = True) -> None:
        p = item.problem
        out = self.out
        _name(out, question_name(p, item.variant))
        _rich(out, "questiontext", text, files)
        _rich(out, "generalfeedback", solution_html(p.solution, p.lang))
        if grade:
            _leaf(out, "defaultgrade", f"{item.points:g}")
        _leaf(out, "penalty", PENALTY)
        _leaf(out, "hidden", "0")
        _leaf(out, "idnumber", question_idnumber(p))

    def _answer(self, fraction: str, value: str, feedback_html: str, tolerance: str | None = None,
                fmt: str = "moodle_auto_format") -> None:
        out = self.out
        out.append(f'<answer{_attrs({"fraction": fraction, "format": fmt})}>')
        _text(out, value)
        _rich(out, "feedback", feedback_html)
        if tolerance is not None:
            _leaf(out, "tolerance", tolerance)
        out.append("</answer>")

    def numerical(self, item: ExportItem) -> None:
        p = item.problem
        spec = numeric_spec(p.parts[0], item.tolerance, string(p.lang, "correct"))
        stem, files = self._stem(p)
        text = stem + f"<p><strong>{_label(spec)}</strong></p>"
        self.out.append('<question type="numerical">')
        self._header(item, text, files)
        self._answer("100", spec.correct.value, html_inline(spec.correct.feedback), spec.correct.tolerance)
        for wrong in spec.wrong:
            self._answer("0", wrong.value, html_inline(wrong.feedback), wrong.tolerance)
        self._answer("0", "*", html_inline(p.hint or string(p.lang, "catch_all")), "0")
        self.out.append("<unitgradingtype>0</unitgradingtype><unitpenalty>0.1000000</unitpenalty>"
                        "<showunits>3</showunits><unitsleft>0</unitsleft>")
        _tags(self.out, item.tags)
        self.out.append("</question>")

    def cloze(self, item: ExportItem) -> None:
        p = item.problem
        specs = [numeric_spec(part, item.tolerance, string(p.lang, "correct")) for part in p.parts]
        gaps = {s.key: cloze.numerical_gap(s) for s in specs}
        stem, files = self._stem(p)
        text = cloze.guard_outside(stem) + _table_html(p, gaps)
        in_table = {f"cell-{r}-{c}" for r, c in p.table.blanks} if p.table else set()
        listed = [s for s in specs if s.key not in in_table]
        if listed:
            text += "<ol>" + "".join(
                f"<li>{cloze.guard_outside(_label(s))}: {gaps[s.key]}</li>" for s in listed) + "</ol>"
        self.out.append('<question type="cloze">')
        self._header(item, text, files, grade=False)
        if p.hint:
            _rich(self.out, "hint", rich_html(p.hint))
        _tags(self.out, item.tags)
        self.out.append("</question>")

    def _combined_feedback(self, lang: str, multiple: bool) -> None:
        _rich(self.out, "correctfeedback", f"<p>{html.escape(string(lang, 'feedback_correct'))}</p>")
        _rich(self.out, "partiallycorrectfeedback", f"<p>{html.escape(string(lang, 'feedback_partial'))}</p>")
        _rich(self.out, "incorrectfeedback", f"<p>{html.escape(string(lang, 'feedback_incorrect'))}</p>")
        if multiple:
            self.out.append("<shownumcorrect/>")

    def _multichoice(self, item: ExportItem, text: str, files: list[File],
                     options: list[tuple[str, bool, str]], multiple: bool) -> None:
        """Options are (HTML, correct, feedback HTML); grades from Moodle's list, correct ones summing to 100%."""
        correct = sum(1 for _, ok, _ in options if ok)
        wrong = len(options) - correct
        if correct == 0 or len(options) < 2 or (not multiple and correct != 1):
            raise InternalError(f"{item.problem.id}: {correct} correct of {len(options)} options")
        right_grade = grade_for_share(correct)
        wrong_grade = grade_for_share(wrong, negative=True) if self.negative and wrong else "0"
        out = self.out
        out.append('<question type="multichoice">')
        self._header(item, text, files)
        out.append(f"<single>{'false' if multiple else 'true'}</single><shuffleanswers>true</shuffleanswers>"
                   "<answernumbering>abc</answernumbering><showstandardinstruction>0</showstandardinstruction>")
        self._combined_feedback(item.problem.lang, multiple)
        for option, ok, feedback in options:
            self._answer(right_grade if ok else wrong_grade, option, feedback, fmt="html")
        _tags(out, item.tags)
        out.append("</question>")

    def multichoice(self, item: ExportItem) -> None:
        p = item.problem
        stem, files = self._stem(p)
        options = [(rich_html(c.text), c.correct, html_inline(c.feedback)) for c in p.choices]
        self._multichoice(item, stem, files, options, p.multiple)

    def choice(self, item: ExportItem) -> None:
        """A single-part problem as one-answer multiple choice: the answer and its distractors as options."""
        p = item.problem
        spec = numeric_spec(p.parts[0], item.tolerance, string(p.lang, "correct"))
        unit = f" {html.escape(spec.unit)}" if spec.unit else ""
        values = [(spec.correct, True), *((w, False) for w in spec.wrong)]
        # sorted by value: shuffle is on, and without it the answer's position still tells nothing
        values.sort(key=lambda pair: Fraction(pair[0].value))
        options = [(f"<p>{v.value}{unit}</p>", ok, html_inline(v.feedback)) for v, ok in values]
        stem, files = self._stem(p)
        text = stem + f"<p><strong>{_label(spec)}</strong></p>"
        self._multichoice(item, text, files, options, multiple=False)

    def flush(self, chunks: list[bytes]) -> None:
        """Move what was written so far into ``chunks`` as UTF-8 (one question at a time keeps memory low)."""
        chunks.append("".join(self.out).encode("utf-8"))
        self.out.clear()


def moodle_xml(categories: list[ExportCategory], *, style: str = "numerical", negative: bool = False,
               diagrams: bool = True, calculated: dict[int, Any] | None = None) -> bytes:
    """The Moodle XML file (bytes, UTF-8) for these categories.

    ``calculated`` maps a category's index to its calculated question (``moodle_calculated``); such a
    category holds that one question instead of its variants.
    """
    if style not in STYLES:
        raise InternalError(f"unknown style {style!r}")
    chunks = [b"<?xml version='1.0' encoding='UTF-8'?>\n<quiz>"]
    writer = _Writer(style, negative, diagrams)
    out = writer.out
    for index, cat in enumerate(categories):
        lang = cat.items[0].problem.lang if cat.items else "en"
        out.append("\n")
        writer.category(cat, lang)
        out.append("\n")
        if calculated and index in calculated:
            from quizgen.render.moodle_calculated import write_calculated

            write_calculated(out, calculated[index])
            out.append("\n")
            writer.flush(chunks)
            continue
        for item in cat.items:
            getattr(writer, question_kind(item.problem, style))(item)
            out.append("\n")
            writer.flush(chunks)
    writer.flush(chunks)
    chunks.append(b"</quiz>\n")
    return b"".join(chunks)
