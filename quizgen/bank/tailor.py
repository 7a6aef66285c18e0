"""An entry's own wording and choices, applied to each problem drawn for it.

A bank entry may give its questions a ``title`` (else its ``name``, when given, is their title), add a ``note``
(one sentence of the instructor's own, as a paragraph after the family's stem), leave out misconceptions it does
not teach (``exclude_misconceptions``) and add tags; a bank's ``source`` ("Lecture 3") takes the place of "the
course" that the questions quote. The family generates the problem as always (same seed, same numbers, same
checks); these change only what every output shows: the title, the wording, the distractors named and the tags.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from quizgen.bank.load import Entry
from quizgen.problems.model import Problem


def tailored(problem: Problem, entry: Entry) -> Problem:
    """``problem`` as ``entry`` asks it: its title (or name) and note in the problem's language, without the
    misconceptions it excludes, quoting the bank's source, with its tags after the family's."""
    changes: dict[str, Any] = {}
    title = entry.text("title", problem.lang) or entry.text("name", problem.lang)
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
    tailored_problem = replace(problem, **changes) if changes else problem
    source = entry.text("source", problem.lang)
    return quoting(tailored_problem, source) if source else tailored_problem


def _phrases(lang: str, source: str) -> tuple[re.Pattern[str], dict[str, str]]:
    """The pattern of the phrases naming "the course" in ``lang`` and what each becomes with ``source``."""
    from quizgen.text.templating import render_source, text_table

    table = text_table(lang, "source_phrases")
    capital = source[:1].upper() + source[1:]
    words = {phrase: render_source(with_source, {"source": source, "Source": capital})
             for phrase, with_source in table.items()}
    pattern = re.compile(r"\b(" + "|".join(re.escape(p) for p in sorted(words, key=len, reverse=True)) + r")\b")
    return pattern, words


def quoting(problem: Problem, source: str) -> Problem:
    """Every text of ``problem`` with the bank's ``source`` in place of "the course"."""
    pattern, words = _phrases(problem.lang, source)

    def say(text: str) -> str:
        return pattern.sub(lambda m: words[m.group(0)], text) if text else text

    parts = tuple(replace(p, label=say(p.label), distractors=tuple(replace(d, feedback=say(d.feedback))
                                                                    for d in p.distractors)) for p in problem.parts)
    choices = tuple(replace(c, text=say(c.text), feedback=say(c.feedback)) for c in problem.choices)
    solution = tuple(replace(s, text=say(s.text)) for s in problem.solution)
    table = replace(problem.table, caption=say(problem.table.caption)) if problem.table is not None else None
    return replace(problem, title=say(problem.title), stem=say(problem.stem), hint=say(problem.hint), parts=parts,
                   choices=choices, solution=solution, table=table)
