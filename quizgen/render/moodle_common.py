"""What the Moodle XML and GIFT writers share: grades, number text, tolerances, names and categories.

Moodle is strict where it matters and silent when it fails, so the values every writer emits are
decided here, once: grades come only from Moodle's list (``question_bank::fraction_options_full``),
numbers are plain decimals with a '.' point printed at the part's stated ``decimals``, and tolerances follow
the one rule of ``quizgen.problems.precision`` (half a unit of the last stated decimal, or the bank's).
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from quizgen.errors import InternalError
from quizgen.problems import precision
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
    """A part ready to write: the correct answer first, then one answer per distinct distractor.

    ``rounded``: the answer rounded (or cut) at fewer decimals than asked, each exact (tolerance 0) with the
    "rounded differently" feedback; graded outputs try them after the correct answer (``others``).
    """

    key: str
    label: str  # rich text
    unit: str
    correct: NumericAnswer
    wrong: tuple[NumericAnswer, ...]
    rounded: tuple[NumericAnswer, ...] = ()

    @property
    def others(self) -> tuple[NumericAnswer, ...]:
        """Every answer after the correct one, in the order a numerical question or gap lists them."""
        return (*self.rounded, *self.wrong)


def part_tolerance(part: Part, minimum: Number = 0) -> Fraction:
    """The absolute tolerance of a part (``precision.tolerance``): the stated precision's, or the bank's or
    entry's ``minimum`` when larger."""
    return precision.tolerance(part, minimum)


def numeric_spec(part: Part, minimum: Number, correct_feedback: str, lang: str = "",
                 mistakes: tuple | None = None) -> NumericSpec:
    """The answers Moodle tries in order: the key (the answer at its stated decimals) with its tolerance, the
    roundings at fewer decimals (with ``lang``), then each distractor clear of it (``precision.offered``, or those
    of them in ``mistakes``).

    Moodle takes the first answer whose interval holds the response, and here no two intervals meet: the
    distractors' windows (half a unit of the last stated decimal, 0 for a count) lie apart from the key's and
    from one another's, and the roundings are single values outside all of them.
    """
    decimals = part.decimals
    tol = precision.tolerance(part, minimum)
    answer_text = numbers.fixed(part.answer, decimals)
    tol_text = str(tol.numerator) if tol.denominator == 1 else numbers.tolerance(tol)
    correct = NumericAnswer(answer_text, tol_text, correct_feedback)
    half = numbers.tolerance(precision.rule_tolerance(decimals)) if decimals else "0"
    wrong = tuple(NumericAnswer(numbers.fixed(d.value, decimals), half, d.feedback, d.misconception)
                  for d in (precision.offered(part, minimum) if mistakes is None else mistakes))
    rounded: tuple[NumericAnswer, ...] = ()
    if lang and decimals:
        feedback = precision.rounded_feedback(decimals, lang)
        rounded = tuple(NumericAnswer(numbers.fixed(r, decimals - 1), "0", feedback, precision.ROUNDED)
                        for r in precision.roundings(part.answer, decimals) if not precision.accepts(part, r, minimum))
    return NumericSpec(part.key, part.label, part.unit, correct, wrong, rounded)


def choice_spec(problem: Problem, minimum: Number, version: int) -> NumericSpec:
    """A single-part problem asked as multiple choice (``--style choice``): the key and the mistakes version
    ``version`` of its entry offers (``precision.choice_offer``: the answer's rank among them changes between
    versions)."""
    part = problem.parts[0]
    return numeric_spec(part, minimum, string(problem.lang, "correct"),
                        mistakes=precision.choice_offer(part, minimum, version, problem.id))


def by_value(spec: NumericSpec) -> list[tuple[NumericAnswer, bool]]:
    """A choice question's options, the key (True) and its mistakes, from the smallest value to the largest."""
    return sorted([(spec.correct, True), *((w, False) for w in spec.wrong)], key=lambda pair: Fraction(pair[0].value))


def part_hint(problem: Problem, part: Part) -> str:
    """What a value that no answer of ``part`` anticipated is told (rich text): the formula of that part's own
    quantity with what its letters stand for (``steps.formula_hint``: the student has not seen the worked solution,
    which defines them); a part without one gets the problem's hint when it is the only part, else the general
    advice.

    Never another part's hint: a problem's hint speaks of the whole question (a CONV→CONV hint gives the
    weights formula, no help with the output size asked in the gap beside it)."""
    if part.quantity is not None:
        from quizgen.problems.steps import formula_hint, is_sum

        key = part.quantity.formula
        return string(problem.lang, "part_hint_sum" if is_sum(key) else "part_hint",
                      formula=formula_hint(key, problem.lang))
    if len(problem.parts) == 1 and problem.hint:
        return problem.hint
    return string(problem.lang, "catch_all")


# --- interface strings (templates/moodle/<lang>.yaml) ----------------------------------------


def decimal_mark_html(parts: tuple[Part, ...], lang: str) -> str:
    """A paragraph that says how to type decimals, when a part asks for them: with a point, whatever Moodle's language.

    Moodle reads a numerical response with the decimal mark and thousands separator of the language the student
    uses when the attempt starts (``langconfig``'s ``decsep`` and ``thousandssep``, kept with the attempt; the
    user's or the course's language, else the site's), not with the question's:
    ``qtype_numerical_answer_processor::apply_units`` drops every comma from a response that holds a point (so a
    point is the decimal mark in every language), and otherwise drops the language's thousands separator before
    reading its decimal mark. In English ``2,08`` is thus 208 and ``110,592`` is 110592; in Italian ``2,08`` and
    ``2.08`` are both 2.08. So the question asks for a point (and no thousands separator) in both languages, and
    says when a comma also works."""
    if not any(p.decimals for p in parts):
        return ""
    return f"<p><em>{html.escape(string(lang, 'decimal_mark'))}</em></p>"



def _strings(lang: str) -> dict[str, str]:
    from quizgen.text.templating import template_yaml

    return template_yaml(f"moodle/{lang}.yaml")


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
