"""The work behind ``quizgen verify``: draw many problems, then confirm every answer with torch.

Problems are drawn in worker processes when ``jobs`` > 1 (drawing is pure Python and often the
slow half). On the CPU the workers check them too; for CUDA they are stripped to what the check
reads (networks, parts' measures and answers) and checked in this process, on one GPU context.
torch results are cached per network and per layer, so the many problems that share an
architecture, or some of its layers, build and run each distinct layer once.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from quizgen.bank.draw import Draw
from quizgen.problems.model import Problem

MAX_DISAGREEMENTS = 1000  # kept per row (all are counted): a broken family must not fill the memory
MAX_NETWORKS = 1_000_000  # distinct networks counted per row, exactly up to here


class Tasks(Sequence):
    """``n`` tasks made on demand from their index, so a sweep of millions holds none of them."""

    def __init__(self, n: int, make: Callable[[int], Draw]) -> None:
        self.n, self.make = n, make

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, k):  # noqa: ANN001, ANN204
        if isinstance(k, slice):
            return [self.make(i) for i in range(*k.indices(self.n))]
        if not -self.n <= k < self.n:
            raise IndexError(k)
        return self.make(k % self.n)


@dataclass
class Row:
    """One line of the table: a family (or a bank entry) and what the check found."""

    name: str
    tasks: Sequence[Draw]
    checked: int = 0
    agreed: int = 0
    no_network: int = 0
    networks: int = 0
    seconds: float = 0.0
    disagreements: list[str] = field(default_factory=list)
    seen: set[int] = field(default_factory=set, repr=False)


def family_rows(family_ids: list[str], n: int, seed: int, lang: str) -> list[Row]:
    """n problems per family, difficulties in turn (``quizgen.bank.draw.family_draw``)."""
    from quizgen.bank.draw import family_draw

    return [Row(fid, Tasks(n, partial(family_draw, fid, seed, lang=lang))) for fid in family_ids]


def bank_rows(bank: Any, n: int, seed: int | None, lang: str | None) -> list[Row]:
    """n problems per bank entry: the entry's first n draws (``quizgen.bank.draw``), as ``exam``/``moodle`` draw."""
    from quizgen.bank.draw import entry_draw

    return [Row(f"{entry.family} ({entry.name})", Tasks(n, partial(entry_draw, bank, i, seed=seed, lang=lang)))
            for i, entry in enumerate(bank.entries)]


def strip(problem: Problem) -> Problem:
    """The problem without what the check does not read (text, solution, formulas, distractors)."""
    parts = tuple(replace(p, label="", quantity=None, distractors=()) for p in problem.parts)
    return replace(problem, title="", stem="", solution=(), hint="", choices=(), table=None, parts=parts)


def draw(task: Draw) -> Problem | str:
    """The stripped problem, or a line saying why it could not be drawn (a failed engine/sympy check)."""
    from quizgen.problems import problem_id

    try:
        problem = task.generate()
    except Exception as exc:  # noqa: BLE001 - any failure to draw is reported with the problem's id
        pid = problem_id(task.family, task.difficulty, task.seed, dict(task.params), task.shape)
        return f"{pid}: could not be drawn: {type(exc).__name__}: {exc}"
    return strip(problem)


def auto_jobs(total: int) -> int:
    """Worker processes: one per core for big sweeps, none (this process) for small ones."""
    return (os.cpu_count() or 1) if total >= 2000 else 1


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one task gave: ``kind`` drawn-and-checked / no network / not drawn, and what disagreed."""

    kind: str  # "checked", "none" (no network to check), "failed" (could not be drawn)
    networks: tuple | None = None
    disagreements: tuple[str, ...] = ()


def judge(item: Problem | str, device: str, check: Callable[[Problem, str], list[str]]) -> Outcome:
    """The outcome of checking one drawn problem (or of a failed draw)."""
    if isinstance(item, str):
        return Outcome("failed", None, (item,))
    if item.network is None:
        return Outcome("none")
    return Outcome("checked", (item.network, item.extra_networks), tuple(check(item, device)))


def draw_and_check(task: Draw, device: str) -> Outcome:
    """Draw one problem and check it here (a worker process checking on the CPU)."""
    from quizgen.verify.torch_check import check_problem

    return judge(draw(task), device, check_problem)


def _init_worker() -> None:
    """Workers check small networks on one thread each: the processes are the parallelism."""
    from quizgen.verify.torch_check import require_torch

    require_torch().set_num_threads(1)


def run(rows: list[Row], device: str, jobs: int,
        check: Callable[[Problem, str], list[str]] | None = None) -> list[Row]:
    """Draw and check every row; fills in each row's counts, time and disagreements.

    With ``jobs`` > 1, worker processes draw every row's problems at once while this process
    consumes them row by row, so drawing overlaps checking; a row's time is the wall time spent on
    it here. On the CPU (or meta) the workers also check, each with its own caches; on CUDA this
    process checks everything, so one GPU context serves all networks.
    """
    from quizgen.verify.torch_check import check_problem, single_thread

    check_one = check or check_problem
    with single_thread(device):
        if jobs <= 1:
            for row in rows:
                start = time.perf_counter()
                for t in row.tasks:
                    _tally(row, judge(draw(t), device, check_one))
                row.seconds += time.perf_counter() - start
            return rows
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        in_workers = device in ("cpu", "meta") and check is None
        # forkserver: workers start from a clean interpreter, never from a parent holding torch/CUDA state
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("forkserver"),
                                 initializer=_init_worker if in_workers else None) as pool:
            work = partial(draw_and_check, device=device) if in_workers else draw
            # a window of chunks in flight (the next is drawn while this one is consumed), never the whole sweep
            chunks = ((row, row.tasks[a:a + CHUNK]) for row in rows for a in range(0, len(row.tasks), CHUNK))
            window: deque = deque()
            for row, chunk in chunks:
                window.append((row, pool.map(work, chunk, chunksize=max(1, len(chunk) // (jobs * 8)))))
                if len(window) > 2:
                    _consume(*window.popleft(), in_workers, device, check_one)
            while window:
                _consume(*window.popleft(), in_workers, device, check_one)
    return rows


CHUNK = 4096  # tasks handed to the workers at once


def _consume(row: Row, results: Iterator, in_workers: bool, device: str, check: Callable) -> None:
    start = time.perf_counter()
    for r in results:
        _tally(row, r if in_workers else judge(r, device, check))
    row.seconds += time.perf_counter() - start


def _tally(row: Row, o: Outcome) -> None:
    if o.kind == "none":
        row.no_network += 1
        return
    row.checked += 1
    row.agreed += not o.disagreements
    room = MAX_DISAGREEMENTS - len(row.disagreements)
    if room > 0:
        row.disagreements += o.disagreements[:room]
    if o.networks is not None and len(row.seen) < MAX_NETWORKS:
        row.seen.add(hash(o.networks))
        row.networks = len(row.seen)
