"""The work behind ``quizgen verify``: draw many problems, then confirm every answer with torch.

Problems are drawn first (in worker processes when ``jobs`` > 1: drawing is pure Python and the
slow half), stripped to what the check reads (networks, parts' measures and answers), then checked
in this process on the chosen device. torch results are cached per network, so the many problems
that share an architecture build and run it once.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from quizgen.problems.model import Problem


@dataclass(frozen=True, slots=True)
class Task:
    """One problem to draw: family, difficulty, seed, parameter overrides and language."""

    family: str
    difficulty: int
    seed: int
    params: tuple[tuple[str, Any], ...] = ()
    lang: str = "en"


@dataclass
class Row:
    """One line of the table: a family (or a bank entry) and what the check found."""

    name: str
    tasks: list[Task]
    checked: int = 0
    agreed: int = 0
    no_network: int = 0
    networks: int = 0
    seconds: float = 0.0
    disagreements: list[str] = field(default_factory=list)


def family_rows(family_ids: list[str], n: int, seed: int, lang: str) -> list[Row]:
    """n problems per family, difficulties in turn, seeds from (seed, family, k)."""
    from quizgen.problems import family, variant_seed

    rows = []
    for fid in family_ids:
        levels = family(fid).difficulties
        tasks = [Task(fid, levels[k % len(levels)], variant_seed(seed, fid, k), (), lang) for k in range(n)]
        rows.append(Row(fid, tasks))
    return rows


def bank_rows(bank: Any, n: int, seed: int | None, lang: str | None) -> list[Row]:
    """n problems per bank entry, drawn with the seeds ``exam``/``moodle`` draw from (attempts 0..n-1)."""
    from quizgen.problems import variant_seed

    base = bank.seed if seed is None else seed
    rows = []
    for i, entry in enumerate(bank.entries):
        params = tuple(sorted(entry.params.items()))
        tasks = [Task(entry.family, entry.difficulty, variant_seed(base, i, k), params, lang or bank.lang)
                 for k in range(n)]
        rows.append(Row(f"{entry.family} ({entry.name})", tasks))
    return rows


def strip(problem: Problem) -> Problem:
    """The problem without what the check does not read (text, solution, formulas, distractors)."""
    parts = tuple(replace(p, label="", quantity=None, distractors=()) for p in problem.parts)
    return replace(problem, title="", stem="", solution=(), hint="", choices=(), table=None, parts=parts)


def draw(task: Task) -> Problem | str:
    """The stripped problem, or a line saying why it could not be drawn (a failed engine/sympy check)."""
    from quizgen.problems import generate, problem_id

    try:
        problem = generate(task.family, seed=task.seed, difficulty=task.difficulty, lang=task.lang,
                           params=dict(task.params))
    except Exception as exc:  # noqa: BLE001 - any failure to draw is reported with the problem's id
        pid = problem_id(task.family, task.difficulty, task.seed, dict(task.params))
        return f"{pid}: could not be drawn: {type(exc).__name__}: {exc}"
    return strip(problem)


def auto_jobs(total: int) -> int:
    """Worker processes for drawing: one per core for big sweeps, none (this process) for small ones."""
    return (os.cpu_count() or 1) if total >= 2000 else 1


def draw_all(rows: list[Row], jobs: int) -> dict[int, list[Problem | str]]:
    """Draw every row's problems; times each row (added to ``row.seconds``)."""
    drawn: dict[int, list[Problem | str]] = {}
    if jobs <= 1:
        for i, row in enumerate(rows):
            start = time.perf_counter()
            drawn[i] = [draw(t) for t in row.tasks]
            row.seconds += time.perf_counter() - start
        return drawn
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # forkserver: workers start from a clean interpreter, never from a parent that holds torch/CUDA state
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("forkserver")) as pool:
        for i, row in enumerate(rows):
            start = time.perf_counter()
            chunk = max(1, len(row.tasks) // (jobs * 8))
            drawn[i] = list(pool.map(draw, row.tasks, chunksize=chunk))
            row.seconds += time.perf_counter() - start
    return drawn


def run(rows: list[Row], device: str, jobs: int,
        check: Callable[[Problem, str], list[str]] | None = None) -> list[Row]:
    """Draw and check every row; fills in each row's counts, time and disagreements."""
    from quizgen.verify.torch_check import check_problem, single_thread

    check = check or check_problem
    drawn = draw_all(rows, jobs)
    with single_thread(device):
        _check_rows(rows, drawn, device, check)
    return rows


def _check_rows(rows: list[Row], drawn: dict[int, list[Problem | str]], device: str,
                check: Callable[[Problem, str], list[str]]) -> None:
    for i, row in enumerate(rows):
        start = time.perf_counter()
        networks = set()
        for item in drawn[i]:
            if isinstance(item, str):
                row.checked += 1
                row.disagreements.append(item)
                continue
            if item.network is None:
                row.no_network += 1
                continue
            networks.add((item.network, item.extra_networks))
            found = check(item, device)
            row.checked += 1
            row.agreed += not found
            row.disagreements += found
        row.networks = len(networks)
        row.seconds += time.perf_counter() - start
