"""Moodle Cloze (multianswer) gaps: ``{1:NUMERICAL:=34944:0#Right~%0%34848:0#You forgot the biases...}``.

Moodle cuts each gap out of the question text with regular expressions
(question/type/multianswer/questiontype.php): an alternative's answer ends at an unescaped ``~``,
``#`` or ``}``, its feedback at an unescaped ``~`` or ``}``; then it decodes HTML entities and turns
``\\}`` into ``}`` and ``\\#`` into ``#``. So feedback goes into a gap with every character the
syntax reserves written as an HTML entity (``}`` as ``&#125;``, ``~``, ``#``, ``/``, ``"``, ``\\``
and ``&`` itself), and a backslash that stands right before ``}`` or ``#`` is doubled first, so
that after Moodle's two steps the feedback reads exactly as written, LaTeX included.
A NUMERICAL gap takes plain numbers with an absolute tolerance (``value:tol``). Its catch-all is not
``*``: Moodle's Cloze reader gives a ``*`` alternative no tolerance, and saving it then reads a
tolerance that is not there (older versions refuse the gap outright). The last alternative is instead
0 with a tolerance of 10¹⁵, which every number a question here asks for lies within, at 0 % with the
gap's own hint as feedback (``moodle_common.part_hint``: the formula of the part it asks); Moodle tries
alternatives in order, so it only catches what no earlier one did.

A Cloze question has no mark of its own: Moodle makes it the sum of its gaps' weights, which are
whole numbers. The weights are the parts' points; when some part is worth half a point they are
doubled, and the question's mark in Moodle is then twice its points (the shares stay exact).
"""

from __future__ import annotations

import re
from fractions import Fraction

from quizgen.render.moodle_common import NumericSpec, html_inline

# characters Cloze reserves inside a gap, plus '&' so that HTML entities in the feedback survive decoding;
# '&' then '#' go first because the other entities contain them (chained replace: fast on 20,000 questions)
_GAP_ENTITIES = (("&", "&amp;"), ("#", "&#35;"), ("}", "&#125;"), ("{", "&#123;"), ("~", "&#126;"),
                 ("\\", "&#92;"), ("/", "&#47;"), ('"', "&quot;"))
_BEFORE_UNESCAPE = re.compile(r"\\(?=[}#])")
# text outside the gaps must never look like the start of a gap: '{' + optional weight + ':'
_GAP_START = re.compile(r"\{(?=[0-9]*:)")


def escape_in_gap(html_text: str) -> str:
    """HTML for inside a gap that Moodle reads back as exactly ``html_text``."""
    out = _BEFORE_UNESCAPE.sub(r"\\\\", html_text) if "\\" in html_text else html_text
    for char, entity in _GAP_ENTITIES:
        out = out.replace(char, entity)
    return out


def guard_outside(html_text: str) -> str:
    """Text between gaps, with any ``{`` that would open a gap written as an entity (it displays the same)."""
    return _GAP_START.sub("&#123;", html_text)


def _feedback(rich: str) -> str:
    """Rich-text feedback as it goes into a gap."""
    return escape_in_gap(html_inline(rich))


CATCH_ALL = "0:1000000000000000"  # any answer within ±10¹⁵ of 0: every count and size asked here


def gap_weights(points: tuple[Fraction, ...]) -> tuple[int, ...]:
    """Whole-number gap weights in the proportion of the parts' points: the points, doubled when one is a half."""
    scale = 1 if all(p.denominator == 1 for p in points) else 2
    return tuple(int(p * scale) for p in points)


def numerical_gap(spec: NumericSpec, weight: int = 1, hint: str = "") -> str:
    """One NUMERICAL gap: the key (=), the roundings at fewer decimals and each distractor at 0% with their feedback,
    then (with a ``hint``) the catch-all at 0% with the hint."""
    right = spec.correct
    alternatives = [f"={right.value}:{right.tolerance}#{_feedback(right.feedback)}"]
    for wrong in spec.others:
        alternatives.append(f"%0%{wrong.value}:{wrong.tolerance}#{_feedback(wrong.feedback)}")
    if hint:
        alternatives.append(f"%0%{CATCH_ALL}#{_feedback(hint)}")
    return "{" + f"{weight}:NUMERICAL:" + "~".join(alternatives) + "}"
