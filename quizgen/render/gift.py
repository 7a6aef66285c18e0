"""GIFT export: the question types GIFT can carry, with GIFT's own escaping and Moodle's grade list.

GIFT has numerical questions (``{#=34944:0#feedback =%0%34848:0#feedback ~#catch-all}``) and
multiple choice, but no Cloze and no calculated questions. So:

- a single-part problem is one numerical question (or, with ``--style choice``, multiple choice);
- a multi-part problem becomes one numerical question per part, each with the full stem (and the
  table, blanks shown as "?") and "Part k of m: label"; the names say which part;
- concept questions are multiple choice; a multiple-answer question with a single correct option is
  written as single answer, because GIFT cannot write a 100% option without making the question
  single-answer (its weight syntax takes at most two digits).

Moodle's GIFT reader splits on ``~ = # { } :`` unless escaped with a backslash (and ``\\\\`` is one
backslash), so every text is escaped; HTML texts carry the ``[html]`` prefix. The ``// [id:...]
[tag:...]`` comment gives the idnumber and tags (Moodle 3.6 and later read it).
"""

from __future__ import annotations

import html
from collections import Counter

from quizgen.bank.draw import ExportCategory, ExportItem
from quizgen.bank.points import scoring_note
from quizgen.errors import InternalError
from quizgen.problems.model import Problem
from quizgen.render.moodle_common import (
    NumericSpec,
    by_value,
    choice_spec,
    decimal_mark_html,
    grade_for_share,
    html_inline,
    numeric_spec,
    part_hint,
    question_idnumber,
    question_name,
    solution_html,
    string,
)
from quizgen.text import numbers
from quizgen.text.richtext import to_html

# the backslash first: every other escape adds one
_RESERVED = (("\\", "\\\\"), ("~", "\\~"), ("=", "\\="), ("#", "\\#"), ("{", "\\{"), ("}", "\\}"), (":", "\\:"),
             ("\r", ""), ("\n", "\\n"))


def gift_escape(text: str) -> str:
    """Text GIFT reads back as itself: each reserved character behind a backslash, line breaks as \\n."""
    for char, escaped in _RESERVED:
        text = text.replace(char, escaped)
    return text


def _tag_safe(tag: str) -> str:
    return tag.replace("]", ")").replace("[", "(")


def _head(item: ExportItem, suffix: str = "", part: str = "") -> list[str]:
    p = item.problem
    name = question_name(p, item.variant)
    if part:
        name = f"{name} [{part}]"[:255]
    tags = " ".join(f"[tag:{_tag_safe(t)}]" for t in item.tags)
    return [f"// [id:{question_idnumber(p, suffix)}] {tags}".rstrip(), f"::{gift_escape(name)}::"]


def _stem_html(problem: Problem) -> str:
    out = to_html(problem.stem)
    table = problem.table
    if table is not None:
        blanks = set(table.blanks)
        head = "".join(f"<th>{html_inline(c)}</th>" for c in table.columns)
        rows = "".join(
            "<tr>" + "".join(f"<td>{'?' if (r, c) in blanks else html_inline(cell)}</td>"
                             for c, cell in enumerate(row)) + "</tr>"
            for r, row in enumerate(table.rows))
        out += f'<table border="1"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
    return out


def _general_feedback(problem: Problem) -> str:
    solution = solution_html(problem.solution, problem.lang)
    return f"\t####{gift_escape(solution)}" if solution else ""


def _numerical(item: ExportItem, spec: NumericSpec, text: str, part_suffix: str = "", part: str = "",
               hint: str = "") -> str:
    """One numerical question; ``hint`` (a part's own, ``part_hint``) is the catch-all's feedback, else the
    problem's hint."""
    p = item.problem
    lines = _head(item, part_suffix, part)
    lines.append(f"[html]{gift_escape(text)}" + "{#")
    lines.append(f"\t={spec.correct.value}:{spec.correct.tolerance}#{gift_escape(html_inline(spec.correct.feedback))}")
    for wrong in spec.others:
        lines.append(f"\t=%0%{wrong.value}:{wrong.tolerance}#{gift_escape(html_inline(wrong.feedback))}")
    lines.append(f"\t~#{gift_escape(html_inline(hint or p.hint or string(p.lang, 'catch_all')))}")
    feedback = _general_feedback(p)
    if feedback:
        lines.append(feedback)
    lines.append("}")
    return "\n".join(lines)


def _label(spec: NumericSpec) -> str:
    return html_inline(spec.label) + (f" ({html.escape(spec.unit)})" if spec.unit else "")


def _choice_block(item: ExportItem, text: str, options: list[tuple[str, bool, str]], multiple: bool,
                  negative: bool) -> str:
    correct = sum(1 for _, ok, _ in options if ok)
    wrong = len(options) - correct
    if correct == 0 or len(options) < 2:
        raise InternalError(f"{item.problem.id}: {correct} correct of {len(options)} options")
    single = not multiple or correct == 1
    right = "=" if single else f"~%{grade_for_share(correct)}%"
    # several correct options: a wrong tick takes a share away, or ticking everything earns full marks
    penalize = negative or not single
    wrong_mark = f"~%{grade_for_share(wrong, negative=True)}%" if penalize and wrong else "~"
    lines = _head(item)
    lines.append(f"[html]{gift_escape(text)}" + "{")
    for option, ok, feedback in options:
        lines.append(f"\t{right if ok else wrong_mark}{gift_escape(option)}#{gift_escape(feedback)}")
    feedback = _general_feedback(item.problem)
    if feedback:
        lines.append(feedback)
    lines.append("}")
    return "\n".join(lines)


def gift_question(item: ExportItem, style: str = "numerical", negative: bool = False) -> tuple[list[str], str]:
    """The GIFT text of one variant (one or more questions) and the kind written."""
    p = item.problem
    correct = string(p.lang, "correct")
    if p.choices:
        options = [(html_inline(c.text), c.correct, html_inline(c.feedback)) for c in p.choices]
        stem = p.stem + ("\n\n" + scoring_note(p.lang, item.scoring) if p.multiple else "")
        return [_choice_block(item, to_html(stem), options, p.multiple, negative)], "multichoice"
    specs = [numeric_spec(part, item.tolerance, correct, p.lang) for part in p.parts]
    stem = _stem_html(p)
    if len(specs) == 1 and p.table is None:
        spec = specs[0]
        text = stem + f"<p><strong>{_label(spec)}</strong></p>"
        if style == "choice" and spec.wrong:
            unit = html.escape(spec.unit)
            # by value, the mistakes this version offers (its rank among them changes between versions)
            options = [(numbers.with_unit(numbers.shown(v.value, p.lang), unit, p.lang), ok, html_inline(v.feedback))
                       for v, ok in by_value(choice_spec(p, item.tolerance, item.variant))]
            return [_choice_block(item, text, options, False, negative)], "choice"
        return [_numerical(item, spec, text + decimal_mark_html(p.parts, p.lang))], "numerical"
    out = []
    for k, spec in enumerate(specs, start=1):
        label = string(p.lang, "gift_part", number=k, total=len(specs), label=_label(spec))
        text = stem + f"<p><strong>{label}</strong></p>" + decimal_mark_html((p.parts[k - 1],), p.lang)
        # the problem's hint speaks of the whole question: a question made of one part gets that part's own
        out.append(_numerical(item, spec, text, f".{spec.key}", f"{k}/{len(specs)} {spec.key}",
                              part_hint(p, p.parts[k - 1])))
    return out, "numerical (one per part)"


def gift_text(categories: list[ExportCategory], *, style: str = "numerical",
              negative: bool = False) -> tuple[str, Counter]:
    """The whole GIFT file and how many questions of each kind it holds."""
    if style not in ("numerical", "choice"):
        raise InternalError(f"GIFT cannot carry style {style!r}")
    blocks: list[str] = []
    kinds: Counter = Counter()
    for cat in categories:
        blocks.append(f"$CATEGORY: {cat.path}")
        for item in cat.items:
            questions, kind = gift_question(item, style, negative)
            kinds[kind] += len(questions)
            blocks.extend(questions)
    return "\n\n".join(blocks) + "\n", kinds
