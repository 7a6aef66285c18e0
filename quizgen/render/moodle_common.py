"""What the Moodle XML and GIFT writers share: grades, number text, tolerances, names and categories.

Moodle is strict where it matters and silent when it fails, so the values every writer emits are
decided here, once: grades come only from Moodle's list (``question_bank::fraction_options_full``),
numbers are plain decimals with a '.' point printed exactly at the part's ``decimals``, and a part
whose exact answer is not what gets printed gets a tolerance of at least half a unit of the last
printed decimal (else the printed value itself would be marked wrong).
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from typing import Any

from quizgen.errors import InternalError
from quizgen.problems.model import Number, Part, Problem, Step
from quizgen.text import numbers
from quizgen.text.richtext import to_html

# Moodle's question_bank::fraction_options_full(), as percentages written the way Moodle exports them
GRADES: tuple[str, ...] = (
    "100", "90", "83.33333", "80", "75", "70", "66.66667", "60", "50", "40", "33.33333", "30", "25", "20",
    "16.66667", "14.28571", "12.5", "11.11111", "10", "5", "0",
)
ALLOWED_GRADES: frozenset[str] = frozenset(GRADES) | frozenset("-" + g for g in GRADES if g != "0")
NAME_LIMIT = 255  # Moodle's question.name column
IDNUMBER_LIMIT = 100  # Moodle's question_bank_entries.idnumber column


def grade_for_share(parts: int, negative: bool = False) -> str:
    """The grade of one of ``parts`` equal shares of 100% (Moodle's list only; 1..10 shares exist)."""
    if parts < 1:
        raise InternalError("a share of zero parts")
    target = Fraction(100, parts)
    for grade in GRADES:
        if abs(Fraction(grade) - target) < Fraction(1, 10**4):
            return ("-" + grade) if negative and grade != "0" else grade
    raise InternalError(f"100/{parts} % is not one of Moodle's grades")


def share_possible(parts: int) -> bool:
    """True when 100% splits into ``parts`` equal grades Moodle accepts."""
    try:
        grade_for_share(parts)
    except InternalError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class NumericAnswer:
    """One answer line of a numerical question or Cloze gap: value text, tolerance text, feedback."""

    value: str
    tolerance: str
    feedback: str  # rich text
    misconception: str = ""


@dataclass(frozen=True, slots=True)
class NumericSpec:
    """A part ready to write: the correct answer first, then one answer per distinct distractor."""

    key: str
    label: str  # rich text
    unit: str
    correct: NumericAnswer
    wrong: tuple[NumericAnswer, ...]


def part_tolerance(part: Part, minimum: Number = 0) -> Fraction:
    """The absolute tolerance of a part: its own, the bank's, and half a printed unit when rounding happens."""
    tol = Fraction(part.tolerance) if part.tolerance >= minimum else Fraction(minimum)
    if not numbers.exact_at(part.answer, part.decimals):
        tol = max(tol, Fraction(1, 2 * 10**part.decimals))
    return tol


def _half_unit(decimals: int) -> str:
    """The tolerance of a value that rounds when printed at ``decimals``: half a unit of the last decimal."""
    return numbers.tolerance(Fraction(1, 2 * 10**decimals))


def numeric_spec(part: Part, minimum: Number, correct_feedback: str) -> NumericSpec:
    """The answers Moodle tries in order: exact answer, then each distractor outside the answer's range.

    A distractor whose printed value falls inside the correct range (or repeats an earlier one) could
    never be reached, so it is left out; distractors print at the part's decimals like the answer.
    """
    decimals = part.decimals
    if (decimals == 0 and type(part.answer) is int and type(part.tolerance) is int
            and (type(minimum) is int or (type(minimum) is Fraction and minimum.denominator == 1))):
        # the common case, a count with an integer tolerance, in integers (a Fraction costs microseconds)
        tol: int | Fraction = max(part.tolerance, minimum if type(minimum) is int else minimum.numerator)
        printed: int | Fraction = part.answer
        answer_text = str(printed)
        limit: int | Fraction = tol
    else:
        tol = part_tolerance(part, minimum)
        answer_text = numbers.fixed(part.answer, decimals)
        # compared in units of the last printed decimal: printed values are whole numbers of them
        printed = int(answer_text.replace(".", ""))
        scaled = tol * 10**decimals
        limit = int(scaled) if scaled.denominator == 1 else scaled
    tol_text = str(tol) if type(tol) is int and tol >= 0 else numbers.tolerance(tol)
    correct = NumericAnswer(answer_text, tol_text, correct_feedback)
    wrong: list[NumericAnswer] = []
    seen = {answer_text}
    for d in part.distractors:
        value = d.value
        if decimals == 0 and type(value) is int:
            text, d_tol = str(value), "0"
        else:
            text = numbers.fixed(value, decimals)
            value = int(text.replace(".", "")) if decimals else int(text)
            d_tol = ""
        if text in seen or abs(value - printed) <= limit:
            continue
        seen.add(text)
        if not d_tol:
            d_tol = "0" if numbers.exact_at(d.value, decimals) else _half_unit(decimals)
        wrong.append(NumericAnswer(text, d_tol, d.feedback, d.misconception))
    return NumericSpec(part.key, part.label, part.unit, correct, tuple(wrong))


# --- interface strings (templates/moodle/<lang>.yaml) ----------------------------------------


@cache
def _strings(lang: str) -> dict[str, str]:
    import yaml

    from quizgen.text.templating import templates_dir

    with open(templates_dir() / "moodle" / f"{lang}.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def string(lang: str, key: str, **context: Any) -> str:
    """A Moodle-export string (feedback words, labels) in ``lang``, rendered with Jinja when it has a context."""
    try:
        source = _strings(lang)[key]
    except KeyError:
        raise InternalError(f"templates/moodle/{lang}.yaml has no string '{key}'") from None
    if not context:
        return source
    from quizgen.text.templating import render_string

    return render_string(source, **context)


def string_keys(lang: str) -> set[str]:
    return set(_strings(lang))


# --- HTML pieces ------------------------------------------------------------------------------


def rich_html(text: str) -> str:
    """Rich text as HTML paragraphs (``richtext.to_html``)."""
    return to_html(text)


def html_inline(text: str) -> str:
    """Rich text as HTML without the outer paragraph (for labels, options and feedback)."""
    out = to_html(text)
    if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        return out[3:-4]
    return out


def solution_html(steps: tuple[Step, ...], lang: str) -> str:
    """The worked solution as HTML: each step's sentence, then its math as display math for MathJax."""
    if not steps:
        return ""
    head = f"<p><strong>{html.escape(string(lang, 'solution'))}</strong></p>"
    return head + "".join([_step_html(s.text, s.math) for s in steps])


def _step_html(text: str, math: str) -> str:
    """One step of a worked solution as HTML: its sentence, then its math as display math."""
    out = to_html(text) if text.strip() else ""
    return out + "<p>\\[" + html.escape(math, quote=False) + "\\]</p>" if math else out


# --- names, ids, tags, categories -------------------------------------------------------------


def question_name(problem: Problem, variant: int) -> str:
    """``[conv-conv d2 v007] Title (conv-conv.d2.s123)``: family, difficulty, variant and the id to regenerate it."""
    head = f"[{problem.family} d{problem.difficulty} v{variant + 1:03d}] "
    tail = f" ({problem.id})"
    title = " ".join(problem.title.split())
    room = NAME_LIMIT - len(head) - len(tail)
    if len(title) > room:
        title = title[: max(room - 1, 0)].rstrip() + "…"
    return head + title + tail


def question_idnumber(problem: Problem, suffix: str = "") -> str:
    """A stable idnumber: the problem id and language (hashed down when longer than Moodle's column)."""
    raw = f"{problem.id}.{problem.lang}{suffix}"
    if len(raw) <= IDNUMBER_LIMIT:
        return raw
    digest = hashlib.sha256(raw.encode()).hexdigest()[:12]
    return raw[: IDNUMBER_LIMIT - 13] + "." + digest


_SAFE_FILE = re.compile(r"[^A-Za-z0-9._-]+")


def file_name(prefix: str, problem: Problem, ext: str) -> str:
    """A file name safe in a URL and in Moodle's file area: ``network-conv-conv.d2.s123.svg``."""
    return f"{prefix}-{_SAFE_FILE.sub('-', problem.id)}.{ext}"
