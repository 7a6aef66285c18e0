"""Moodle Cloze (multianswer) gaps: ``{1:NUMERICAL:=34944:0#Right~%0%34848:0#You forgot the biases...}``.

Moodle cuts each gap out of the question text with regular expressions
(question/type/multianswer/questiontype.php): an alternative's answer ends at an unescaped ``~``,
``#`` or ``}``, its feedback at an unescaped ``~`` or ``}``; then it decodes HTML entities and turns
``\\}`` into ``}`` and ``\\#`` into ``#``. So feedback goes into a gap with every character the
syntax reserves written as an HTML entity (``}`` as ``&#125;``, ``~``, ``#``, ``/``, ``"``, ``\\``
and ``&`` itself), and a backslash that stands right before ``}`` or ``#`` is doubled first, so
that after Moodle's two steps the feedback reads exactly as written, LaTeX included.
A NUMERICAL gap takes plain numbers with an absolute tolerance (``value:tol``) and no ``*``
catch-all (Moodle warns about one: it has no tolerance).
"""

from __future__ import annotations

import re

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


def numerical_gap(spec: NumericSpec, weight: int = 1) -> str:
    """One NUMERICAL gap: the exact answer (=), then each distractor at 0% with its misconception's feedback."""
    right = spec.correct
    alternatives = [f"={right.value}:{right.tolerance}#{_feedback(right.feedback)}"]
    for wrong in spec.wrong:
        alternatives.append(f"%0%{wrong.value}:{wrong.tolerance}#{_feedback(wrong.feedback)}")
    return "{" + f"{weight}:NUMERICAL:" + "~".join(alternatives) + "}"
