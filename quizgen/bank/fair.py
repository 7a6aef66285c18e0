"""Fair versions: the rules that versions of one bank entry, handed out side by side, must keep.

All versions of an entry ask the same parts, their worked solutions differ by at most ``STEP_SPREAD`` steps, no
two share more than ``SHARED_ANSWERS`` answers (the same value for the same part), and no blank of a table equals
the number printed just above or below it. The kind of question (the network's layers, the parts asked) is drawn
once per entry (``quizgen.bank.draw.shape_seed``); ``pick`` chooses, among an entry's draws in order, versions
that keep the rules, and ``fairness`` measures how far a set of versions keeps them (``quizgen stress``, the
exam's warnings).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import combinations

from quizgen.problems.model import Problem

# two versions' worked solutions may differ by this many steps and still be comparable work
STEP_SPREAD = 1
# two versions of an entry may share this many answers (the same value for the same part)
SHARED_ANSWERS = 1
_FIRST_NUMBER = re.compile(r"\d+")


def signature(problem: Problem) -> tuple:
    """What makes two variants the same question for a student: stem, answers and options."""
    return (problem.stem, tuple((p.key, p.answer) for p in problem.parts),
            tuple((c.text, c.correct) for c in problem.choices))


def answers(problem: Problem) -> set[tuple[str, object]]:
    """The problem's answers, each with its part."""
    return {(part.key, part.answer) for part in problem.parts}


@dataclass(frozen=True)
class Fairness:
    """How comparable the versions of one entry are, as an exam hands them out side by side.

    Fair when every version asks the same parts (``part_sets`` 1), the worked solutions differ by at most
    ``STEP_SPREAD`` steps (``steps``: fewest, most), no two distinct versions share more than ``SHARED_ANSWERS``
    answers (``shared`` of ``pairs`` do; ``most`` at worst), and no blank of a table equals the number printed in
    the cell above or below it in its column (``readable`` of ``blanks``). ``keep`` versions, taken in their
    order, ask the same parts as the ones before with comparable work and share at most one answer with each.
    """

    part_sets: int
    steps: tuple[int, int]
    shared: int
    pairs: int
    most: int
    readable: int
    blanks: int
    keep: int = 0

    @property
    def findings(self) -> tuple[str, ...]:
        """The rules broken: ``parts``, ``effort``, ``shared``, ``readable``."""
        found = []
        if self.part_sets > 1:
            found.append("parts")
        if self.steps[1] - self.steps[0] > STEP_SPREAD:
            found.append("effort")
        if self.shared:
            found.append("shared")
        if self.readable:
            found.append("readable")
        return tuple(found)


def readable(problem: Problem) -> int:
    """The blanks of the problem's table whose answer is the number printed just above or below it."""
    table = problem.table
    if table is None:
        return 0
    blanks = set(table.blanks)
    found = 0
    for r, c in table.blanks:
        answer = problem.part(f"cell-{r}-{c}").answer
        for other in (r - 1, r + 1):
            if (other, c) in blanks or not 0 <= other < len(table.rows) or c >= len(table.rows[other]):
                continue
            m = _FIRST_NUMBER.search(table.rows[other][c].replace("\\,", "").replace("\u2009", "").replace(" ", ""))
            if m and int(m.group()) == answer:
                found += 1
                break
    return found


def fairness(problems: list[Problem]) -> Fairness:
    """The fairness of the versions drawn for one entry (duplicates counted once: they are reported apart)."""
    distinct = list({signature(p): p for p in problems}.values())
    part_sets = len({tuple(part.key for part in p.parts) for p in distinct})
    steps = [len(p.solution) for p in distinct]
    shared = [len(a & b) for a, b in combinations([answers(p) for p in distinct], 2)]
    kept: list[Problem] = []  # by the rules between versions (a readable blank is counted on its own)
    for problem in distinct:
        if _misfit(problem, kept, [answers(p) for p in kept])[:3] == (0, 0, 0):
            kept.append(problem)
    return Fairness(part_sets, (min(steps, default=0), max(steps, default=0)),
                    sum(1 for s in shared if s > SHARED_ANSWERS), len(shared), max(shared, default=0),
                    sum(readable(p) for p in distinct), sum(len(p.table.blanks) for p in distinct if p.table),
                    len(kept))


def _misfit(problem: Problem, chosen: list[Problem], chosen_answers: list[set]) -> tuple[int, int, int, int]:
    """How far ``problem`` is from standing beside the versions chosen: (other parts, steps out of reach, most
    shared answers beyond the rule, table blanks printed beside them); all 0 when it keeps every rule."""
    blanks = readable(problem)
    if not chosen:
        return 0, 0, 0, blanks
    keys = tuple(part.key for part in problem.parts)
    parts = int(keys != tuple(part.key for part in chosen[0].parts))
    steps = [len(p.solution) for p in chosen]
    n = len(problem.solution)
    effort = max(0, max(steps + [n]) - min(steps + [n]) - STEP_SPREAD)
    mine = answers(problem)
    shared = max((len(mine & other) for other in chosen_answers), default=0)
    return parts, effort, max(0, shared - SHARED_ANSWERS), blanks


def pick(candidates: Iterable[Problem], n: int, patience: int,
         spent: Callable[[], bool] = lambda: False) -> Iterator[Problem]:
    """Versions for side-by-side use, from distinct candidates in draw order: each one that keeps the rules with
    those already chosen, until ``n`` are chosen, ``patience`` candidates in a row (at least; it grows with the
    versions chosen) keep none, or ``spent()`` says the search has cost enough draws; then the rest of the ``n``
    from those passed over, the closest to the rules first, then from further candidates as they come. Yields
    each version as it is chosen (the caller may stop early).
    """
    chosen: list[Problem] = []
    chosen_answers: list[set] = []
    passed: list[Problem] = []
    source = iter(candidates)
    since = 0
    for problem in source:
        if _misfit(problem, chosen, chosen_answers) == (0, 0, 0, 0):
            chosen.append(problem)
            chosen_answers.append(answers(problem))
            since = 0
            yield problem
            if len(chosen) == n:
                return
        else:
            passed.append(problem)
            since += 1
            if since > max(patience, 5 * len(chosen)) or spent():
                break
    passed.sort(key=lambda p: _misfit(p, chosen, chosen_answers))
    for problem in passed:
        if len(chosen) == n:
            return
        chosen.append(problem)
        yield problem
    for problem in source:
        if len(chosen) == n:
            return
        chosen.append(problem)
        yield problem
