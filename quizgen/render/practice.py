"""Practice: reading a typed number, judging it, and the terminal mode.

Both practice modes share this: the page builder (``quizgen.render.html``) embeds the variants that
``quizgen.bank.draw.practice_variants`` picks, and its JavaScript reads numbers with the same rules as
``parse_number``. Judging compares a typed value with the values a problem already holds (answer,
tolerance, distractors); nothing here computes an answer.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, TextIO

from quizgen.problems import precision
from quizgen.problems.model import Distractor, Part, Problem
from quizgen.render.practice_text import wrap

Ask = Callable[[str], str]
"""Reads one line after showing a prompt; raises EOFError at end of input, KeyboardInterrupt on Ctrl-C."""

_SPACES = re.compile(r"[\s\u00a0\u2009\u202f'’_]")
_NUMBER = re.compile(r"^([+-]?)([0-9.,]*[0-9][0-9.,]*)(?:[eE]([+-]?[0-9]+))?$")


def parse_number(text: str, integer: bool = False, unit: str = "") -> Fraction | None:
    """The number a student typed, or None when it is not one.

    Accepts ``.`` or ``,`` as the decimal mark and as a thousands separator: when both appear the
    last one is the decimal mark; one kind repeated is grouping (``1,234,567``); a single one
    followed by exactly three digits is grouping when the answer is a count (``integer``), so
    ``34,944`` and ``34.944`` both read 34944 there, and a decimal mark otherwise. Spaces, thin
    spaces, apostrophes and the part's unit (``2.4 MB``) are ignored. A number beyond what a float
    holds (``1e999``) is not one: the exponent is read only up to three digits, so ``1e99999999``
    is refused at once instead of building a huge integer. Mirrored in practice.js.
    """
    s = text.strip()
    if unit and s.lower().endswith(unit.lower()):
        s = s[: -len(unit)]
    s = _SPACES.sub("", s)
    m = _NUMBER.match(s)
    if not m:
        return None
    sign, mantissa, exponent = m.group(1), m.group(2), m.group(3)
    dots, commas = mantissa.count("."), mantissa.count(",")
    if dots and commas:
        decimal = "." if mantissa.rfind(".") > mantissa.rfind(",") else ","
        grouping = "," if decimal == "." else "."
        if mantissa.count(decimal) > 1 or mantissa.index(grouping) > mantissa.index(decimal):
            return None
        if not _grouped(mantissa.split(decimal)[0], grouping):
            return None
        mantissa = mantissa.replace(grouping, "").replace(decimal, ".")
    elif dots + commas > 1:
        sep = "." if dots else ","
        if not _grouped(mantissa, sep):
            return None
        mantissa = mantissa.replace(sep, "")
    elif dots + commas == 1:
        sep = "." if dots else ","
        before, after = mantissa.split(sep)
        if integer and len(after) == 3 and 1 <= len(before) <= 3 and before != "0":
            mantissa = before + after
        else:
            mantissa = f"{before or '0'}.{after or '0'}"
    exponent = (exponent or "0").lstrip("+")
    if len(exponent.lstrip("-").lstrip("0")) > 3:  # beyond ±999: no float holds it (or it is 0 there)
        return None
    value = Fraction(mantissa) * Fraction(10) ** int(exponent)
    if value > _LARGEST_FLOAT:
        return None
    return -value if sign == "-" else value


_LARGEST_FLOAT = Fraction(sys.float_info.max)


def _grouped(digits: str, sep: str) -> bool:
    """True for ``1,234,567``: a group of 1-3 digits, then groups of exactly three."""
    groups = digits.split(sep)
    return 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])


def window(part: Part) -> Fraction:
    """How far a typed value may be from the key and still be right (``precision.tolerance``)."""
    return precision.tolerance(part)


@dataclass(frozen=True)
class Verdict:
    """What a typed value is: ``correct``, ``rounded`` (right, rounded at fewer decimals than asked), a known
    ``misconception`` (with its distractor), or ``wrong``."""

    kind: str
    distractor: Distractor | None = None


def judge(part: Part, value: Fraction) -> Verdict:
    """Compare a typed value with the key, then the roundings at fewer decimals, then the misconceptions' values
    (each within half a unit of the last stated decimal), as every output grades (``quizgen.problems.precision``)."""
    if precision.accepts(part, value):
        return Verdict("correct")
    if precision.rounded_differently(part, value):
        return Verdict("rounded")
    half = precision.rule_tolerance(part.decimals)
    for d in part.distractors:
        if abs(value - precision.key(d.value, part.decimals)) <= half:
            return Verdict("misconception", d)
    return Verdict("wrong")


def part_hints(part: Part, lang: str) -> tuple[str, ...]:
    """A part's hints as rich text, the mildest first: the formula to use with what its letters stand for
    (``steps.formula_hint``), then the values put in it.

    Both come from the part's Quantity (the engine's formula and substitution); a part without one
    has none.
    """
    if part.quantity is None:
        return ()
    from quizgen.problems.steps import formula_hint, formula_latex, is_sum, substitution_latex

    key = part.quantity.formula
    formula, substituted = formula_latex(key), substitution_latex(part.quantity, lang)
    hints = [ui(lang, "practice_hint_sum" if is_sum(key) else "practice_hint_formula",
                formula=formula_hint(key, lang))]
    if substituted != formula:
        hints.append(ui(lang, "practice_hint_substitution", substitution=f"${substituted}$"))
    return tuple(hints)


# --- the terminal mode --------------------------------------------------------------------------

def ui_strings(lang: str) -> dict[str, str]:
    """Every interface string of the practice modes in a language (terminal and page)."""
    from quizgen.text.templating import template_yaml

    return template_yaml(f"practice/{lang}.yaml")


def ui(lang: str, key: str, **context: Any) -> str:
    """An interface string of the practice modes (``templates/practice/<lang>.yaml``)."""
    from quizgen.text.templating import render_string

    source = ui_strings(lang)[key]
    return render_string(source, **context) if "{" in source else source


@dataclass
class Tally:
    """Right and wrong answers per family (a part counts once, at the first answer)."""

    right: dict[str, int] = field(default_factory=dict)
    wrong: dict[str, int] = field(default_factory=dict)

    def add(self, family: str, correct: bool) -> None:
        book = self.right if correct else self.wrong
        book[family] = book.get(family, 0) + 1
        other = self.wrong if correct else self.right
        other.setdefault(family, 0)

    @property
    def families(self) -> list[str]:
        return list(dict.fromkeys([*self.right, *self.wrong]))


class _Quit(Exception):
    """The student asked to stop (q, end of input or Ctrl-C)."""


class Session:
    """One terminal practice session: asks, judges, explains, and keeps the tally."""

    def __init__(self, ask: Ask, out: TextIO, lang: str) -> None:
        self.ask, self.out, self.lang = ask, out, lang
        self.tally = Tally()
        self.told_decimal_mark = False  # "a point or a comma", said before the first decimal part

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def t(self, key: str, **context: Any) -> str:
        return ui(self.lang, key, **context)

    def read(self, prompt: str) -> str:
        try:
            answer = self.ask(prompt)
        except (EOFError, KeyboardInterrupt):
            self.say()
            raise _Quit from None
        if answer.strip().lower() in ("q", "quit", "exit"):
            raise _Quit
        return answer.strip()

    def run(self, problems: Iterable[Problem], n: int) -> Tally:
        """Ask up to ``n`` problems; always ends with the summary, whatever stopped it."""
        from quizgen.render.practice_text import show_problem, show_solution

        self.say(self.t("practice_help"))
        try:
            for i, problem in enumerate(problems, start=1):
                if i > n:
                    break
                self.say()
                show_problem(self, problem, i, n)
                revealed = self.choice(problem) if problem.is_choice else self.numeric(problem)
                if i == n:
                    break
                if not revealed and self.read(self.t("practice_next_prompt")) in ("?", "s"):
                    show_solution(self, problem)
                    revealed = True
                if revealed:
                    self.read(self.t("practice_continue_prompt"))
        except (_Quit, KeyboardInterrupt):  # Ctrl-C while a question is being generated, too
            pass
        self.summary()
        return self.tally

    def numeric(self, problem: Problem) -> bool:
        """Ask each part; True when the whole worked solution was shown (the exercise is over)."""
        from quizgen.render.practice_text import show_answers, show_step

        scored: set[str] = set()  # parts whose first answer is in the tally
        peeked: set[str] = set()  # parts scored as not right because the solution was opened first
        shown = 0  # steps of the worked solution shown so far
        for part in problem.parts:
            hints = part_hints(part, self.lang) or ((problem.hint,) if problem.hint else ())
            given = 0
            label = self.plain(part.label)
            # the unit once: not again after a label that already says it ("Memory (MiB)")
            said = part.unit and re.search(rf"(?<!\w){re.escape(part.unit)}(?!\w)", label)
            unit = f" [{part.unit}]" if part.unit and not said else ""
            if part.decimals and not self.told_decimal_mark:
                self.say(self.t("practice_decimal_mark"))
                self.told_decimal_mark = True
            while True:
                answer = self.read(f"{label}{unit} > ")
                if answer in ("?", "s"):
                    if shown == 0:
                        peeked = self.peeked(problem, scored)
                    if shown < len(problem.solution):
                        show_step(self, problem, shown)
                        shown += 1
                    if shown == len(problem.solution):
                        show_answers(self, problem)
                        return True
                    self.say(self.t("practice_more_steps"))
                    continue
                if answer == "h":
                    if given < len(hints):
                        self.say(wrap(self.t("practice_hint", hint=hints[given]), "  "))
                        given += 1
                    else:
                        self.say(self.t("practice_no_hint" if not hints else "practice_no_more_hints"))
                    continue
                if answer == "":
                    if part.key in scored:
                        break
                    self.say(self.t("practice_empty"))
                    continue
                value = parse_number(answer, integer=part.decimals == 0, unit=part.unit)
                if value is None:
                    self.say(self.t("practice_not_number", text=answer))
                    continue
                verdict = judge(part, value)
                if part.key not in scored:
                    self.tally.add(problem.family, verdict.kind == "correct")
                    scored.add(part.key)
                hint = ""
                if verdict.kind == "wrong" and given < len(hints):
                    hint, given = hints[given], given + 1
                if verdict.kind == "correct" and part.key in peeked:
                    self.say(self.t("practice_correct_peeked"))
                else:
                    self.feedback(verdict, hint, part)
                if verdict.kind == "correct":
                    break
                self.say(self.t("practice_try_again"))
        return False

    def peeked(self, problem: Problem, scored: set[str]) -> set[str]:
        """The first look at the worked solution: every part not answered yet counts as not right."""
        unscored = {p.key for p in problem.parts if p.key not in scored}
        for _ in unscored:
            self.tally.add(problem.family, False)
        scored |= unscored
        if unscored:
            self.say(self.t("practice_peeked"))
        return unscored

    def feedback(self, verdict: Verdict, hint: str = "", part: Part | None = None) -> None:
        if verdict.kind == "correct":
            self.say(self.t("practice_correct"))
        elif verdict.kind == "rounded" and part is not None:
            self.say(self.t("practice_rounded"))
            self.say(wrap(precision.rounded_feedback(part.decimals, self.lang), "  "))
        elif verdict.distractor is not None:
            from quizgen.problems.misconceptions import CATALOGUE

            d = verdict.distractor
            title = CATALOGUE[d.misconception].title(self.lang) if d.misconception in CATALOGUE else ""
            self.say(self.t("practice_misconception", title=title))
            self.say(wrap(d.feedback, "  "))
        else:
            self.say(self.t("practice_wrong"))
            if hint:
                self.say(wrap(self.t("practice_hint", hint=hint), "  "))

    def choice(self, problem: Problem) -> bool:
        """A multiple-choice question: letters in, feedback for each chosen option out."""
        from quizgen.render.practice_text import show_solution

        letters = "abcdefghijklmnopqrstuvwxyz"[: len(problem.choices)]
        first = True
        while True:
            key = "practice_choices_prompt" if problem.multiple else "practice_choice_prompt"
            answer = self.read(self.t(key) + " > ").lower()
            if answer in ("?", "s"):
                if first:
                    self.tally.add(problem.family, False)
                show_solution(self, problem)
                return True
            if answer == "h":
                self.say(wrap(self.t("practice_hint", hint=problem.hint), "  ") if problem.hint
                         else self.t("practice_no_hint"))
                continue
            if answer == "":
                if not first:
                    return False
                self.say(self.t("practice_not_choice", letters=", ".join(letters)))
                continue
            picked = sorted(set(re.findall(r"[a-z]", answer)))
            if not picked or any(c not in letters for c in picked) or re.search(r"[^a-z,;\s]", answer) or (
                    not problem.multiple and len(picked) > 1):
                self.say(self.t("practice_not_choice", letters=", ".join(letters)))
                continue
            chosen = {letters.index(c) for c in picked}
            correct = chosen == {i for i, c in enumerate(problem.choices) if c.correct}
            if first:
                self.tally.add(problem.family, correct)
                first = False
            self.say(self.t("practice_correct") if correct else self.t("practice_wrong"))
            for i in sorted(chosen):
                self.say(wrap(problem.choices[i].feedback, "     ", f"  {letters[i]}) "))
            if correct:
                return False
            self.say(self.t("practice_try_again"))

    def plain(self, text: str) -> str:
        from quizgen.text.richtext import to_plain

        return to_plain(text)

    def summary(self) -> None:
        self.say()
        self.say(self.t("practice_summary"))
        families = self.tally.families
        if not families:
            self.say("  " + self.t("practice_summary_none"))
            return
        width = max(len(f) for f in families)
        for fam in families:
            right, wrong = self.tally.right.get(fam, 0), self.tally.wrong.get(fam, 0)
            self.say(f"  {fam:<{width}}  " + self.t("practice_summary_row", right=right, wrong=wrong))
        right = sum(self.tally.right.values())
        total = right + sum(self.tally.wrong.values())
        self.say("  " + self.t("practice_summary_total", right=right, total=total))
