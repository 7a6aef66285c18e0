"""An entry's own wording and choices, applied to each problem drawn for it.

A bank entry may give its questions a ``title``, add a ``note`` (one sentence of the instructor's own, as a
paragraph after the family's stem), leave out misconceptions it does not teach (``exclude_misconceptions``) and
add tags. The family generates the problem as always (same seed, same numbers, same checks); these change only
what every output shows: the title, the stem's last paragraph, the distractors named and the tags.
"""

from __future__ import annotations

from dataclasses import replace

from quizgen.bank.load import Entry
from quizgen.problems.model import Problem


def tailored(problem: Problem, entry: Entry) -> Problem:
    """``problem`` as ``entry`` asks it: its title and note in the problem's language, without the misconceptions
    it excludes, with its tags after the family's."""
    changes: dict = {}
    title = entry.text("title", problem.lang)
    if title:
        changes["title"] = title
    note = entry.text("note", problem.lang)
    if note:
        changes["stem"] = f"{problem.stem.rstrip()}\n\n{note.strip()}"
    if entry.exclude:
        left_out = set(entry.exclude)
        changes["parts"] = tuple(
            replace(part, distractors=tuple(d for d in part.distractors if d.misconception not in left_out))
            for part in problem.parts)
    if entry.tags:
        changes["tags"] = tuple(dict.fromkeys((*problem.tags, *entry.tags)))
    return replace(problem, **changes) if changes else problem
