"""The answer contract's numbers: how precisely a part is asked, what is right, which wrong values are named.

Every output grades with these functions (exam key and CSV, Moodle numerical, Cloze and GIFT, the practice
page and the terminal), so one typed value gets one verdict everywhere.

- **Stated precision.** A whole-number count is asked exactly (``decimals`` 0). A decimal quantity is asked at
  ``decimals`` places: at least the family's minimum, and enough to keep 3 significant digits (``0.521``,
  ``9.44``, ``67.97`` with a minimum of 2). The question says so in words (``phrase``).
- **One tolerance rule.** The key is the answer printed at the stated decimals; every value within half a unit of
  its last decimal is right: whatever rounds to the key, and the exact value written with more decimals. A bank or
  entry ``tolerance`` larger than that replaces it, in every output alike (``tolerance``).
- **A mistake is named only when it is one.** A misconception's value is offered when, printed at the stated
  decimals, it lies at least 3 tolerances from the key (2 tolerances outside the right interval), its own window
  (half a unit) holds no rounding of the answer at fewer decimals, and it does not touch another offered value's
  window (``clear_of``). So no two intervals overlap, and a rounding slip is never called a misconception.
- **Rounded differently.** A value that is the answer rounded (or cut) at fewer decimals than asked is told so
  (``rounded_differently``), before any misconception.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from fractions import Fraction

from quizgen.problems.model import Number, Part, Problem
from quizgen.text import numbers

SIGNIFICANT = 3  # a decimal answer keeps at least this many significant digits
MARGIN = 3  # a misconception's value lies at least this many tolerances from the key
ROUNDED = "rounded-differently"  # what graders call a right value rounded at fewer decimals than asked


def _whole(value: Number) -> bool:
    return type(value) is int or value.denominator == 1


def stated_decimals(answer: Number, minimum: int = 0) -> int:
    """The decimals a part is asked at: 0 for a whole answer without a minimum, else at least ``minimum`` and
    enough for ``SIGNIFICANT`` significant digits."""
    if minimum == 0 and _whole(answer):
        return 0
    size = abs(Fraction(answer))
    if size == 0:
        return minimum
    if size >= 1:
        need = SIGNIFICANT - len(str(int(size)))
    else:
        zeros = 0  # zeros right after the decimal point
        while size * 10 ** (zeros + 1) < 1:
            zeros += 1
        need = zeros + SIGNIFICANT
    # rounding may carry into a new digit (0.09996 -> 0.1000): still at least SIGNIFICANT digits
    return max(minimum, need, 0)


def rule_tolerance(decimals: int) -> Fraction:
    """Half a unit of the last stated decimal (0 for a whole-number count)."""
    return Fraction(1, 2 * 10**decimals) if decimals > 0 else Fraction(0)


def key(value: Number, decimals: int) -> Fraction:
    """``value`` as printed at ``decimals`` (half away from zero), exactly."""
    return Fraction(numbers.units(value, decimals), 10**decimals)


def tolerance(part: Part, minimum: Number = 0) -> Fraction:
    """The tolerance a part is graded with: the rule's (the part's own), or a bank's or entry's when larger."""
    return max(Fraction(part.tolerance), Fraction(minimum), rule_tolerance(part.decimals))


def accepts(part: Part, value: Number, minimum: Number = 0) -> bool:
    """True when ``value`` is right: within the tolerance of the key."""
    return abs(Fraction(value) - key(part.answer, part.decimals)) <= tolerance(part, minimum)


def roundings(answer: Number, decimals: int) -> tuple[Fraction, ...]:
    """The answer rounded and cut at fewer decimals than asked (0.39 and 0.4 for 0.3932 asked at 3 decimals)."""
    out: list[Fraction] = []
    exact = Fraction(answer)
    for shown in range(decimals):
        unit = Fraction(1, 10**shown)
        cut = Fraction(int(exact / unit)) * unit  # towards zero
        for value in (key(exact, shown), cut):
            if value not in out:
                out.append(value)
    return tuple(out)


def rounded_differently(part: Part, value: Number, minimum: Number = 0) -> bool:
    """True when ``value`` is not right but is the answer rounded (or cut) at fewer decimals than asked."""
    if accepts(part, value, minimum):
        return False
    return Fraction(value) in roundings(part.answer, part.decimals)


def clear_of(value: Number, answer: Number, decimals: int, tol: Number, taken: Iterable[Fraction] = ()) -> bool:
    """True when a misconception's ``value`` may be offered beside the answer and the values ``taken`` (keys):

    printed at ``decimals``, at least ``MARGIN`` tolerances from the answer's key (and not equal to it), no
    rounding of the answer within its own window (half a unit), and windows apart from every taken value's.
    """
    mine, right, half = key(value, decimals), key(answer, decimals), rule_tolerance(decimals)
    gap = abs(mine - right)
    if gap == 0 or gap < MARGIN * Fraction(tol):
        return False
    if any(abs(r - mine) <= half for r in roundings(answer, decimals)):
        return False
    return all(abs(mine - other) > 2 * half and mine != other for other in taken)


def offered(part: Part, minimum: Number = 0) -> tuple:
    """The part's distractors an output offers under a bank's or entry's tolerance ``minimum``: each clear of the
    answer and of the ones before it (the generator already applied the rule's own tolerance)."""
    tol = tolerance(part, minimum)
    if tol == Fraction(part.tolerance):
        return part.distractors
    kept, taken = [], []
    for d in part.distractors:
        if clear_of(d.value, part.answer, part.decimals, tol, taken):
            kept.append(d)
            taken.append(key(d.value, part.decimals))
    return tuple(kept)


def asked_as_choice(problem: Problem, minimum: Number = 0) -> bool:
    """Whether ``--style choice`` (Moodle and GIFT) asks a problem as multiple choice made of its mistakes: one part,
    no table, no options of its own, and a mistake clear of the tolerance ``minimum`` (``offered``)."""
    return (not problem.choices and len(problem.parts) == 1 and problem.table is None
            and bool(offered(problem.parts[0], minimum)))


def choice_offer(part: Part, minimum: Number, version: int, salt: str) -> tuple:
    """The mistakes a choice question (``--style choice``) offers beside the answer in one version: some of the
    ones ``offered`` allows, so that the answer's rank among the options, printed by value, is not the same in
    every version.

    With ``below`` mistakes under the answer and ``above`` over it, the question offers ``max(below, above)`` of
    them: the most for which the rank can take ``min(below, above) + 1`` values, as many as any number can. Version
    ``version`` of the entry takes the next of those ranks in turn, and which mistakes of each side come from
    ``salt`` (the problem's id), so the same bank and seed give the same options. Where every mistake lies on one
    side, no choice helps: all of them are offered and the answer stays the smallest or the largest (``quizgen
    stress`` says so). The options keep the catalogue's order.
    """
    pool = offered(part, minimum)
    right = key(part.answer, part.decimals)
    below = [i for i, d in enumerate(pool) if key(d.value, part.decimals) < right]
    above = [i for i, d in enumerate(pool) if key(d.value, part.decimals) > right]
    count = max(len(below), len(above))
    low, high = max(0, count - len(above)), min(len(below), count)
    rank = low + version % (high - low + 1)
    rng = random.Random(f"choice/{salt}")  # a string seed is hashed with SHA-512: the same on every machine
    chosen = {*rng.sample(below, rank), *rng.sample(above, count - rank)}
    return tuple(d for i, d in enumerate(pool) if i in chosen)


def phrase(decimals: int, lang: str) -> str:
    """The words that state a decimal part's precision (``to 2 decimal places``); empty for a count."""
    if decimals == 0:
        return ""
    from quizgen.text.templating import text

    return text(lang, "precision_decimals", decimals=decimals)


def rounded_feedback(decimals: int, lang: str) -> str:
    """The feedback on a right value rounded differently: ``... give it to 2 decimal places.``"""
    from quizgen.text.templating import text

    return text(lang, "precision_rounded", precision=phrase(decimals, lang))


def stated_label(label: str, decimals: int, lang: str) -> str:
    """A part's label with its stated precision: ``Parameters in float32 (MB), to 2 decimal places``."""
    words = phrase(decimals, lang)
    return f"{label}, {words}" if words else label
