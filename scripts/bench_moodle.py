"""Benchmark of the Moodle XML writer: 20,000 distinct lecture-bank questions in at most 20 s.

The script first generates the questions: variants of every bank entry, drawn in turn, each kept only
when no earlier one has the same text and answers (an entry whose variants run out stops giving
any). Generation has its own benchmark, so it is timed apart. Then it times ``moodle_xml`` alone on all
of them, with the embedded SVG diagrams (the default output) and without, and prints the CPU time of
this process (neighbours on a shared machine do not count), the wall time, the file size and
questions per second. ``--rounds`` repeats the timed exports and reports the best (as ``timeit`` does:
the best round measures the code, the spread measures the machine).

    .venv/bin/python scripts/bench_moodle.py [--bank lecture] [--questions 20000] [--limit 20] [--rounds 1]
                                              [--profile]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quizgen.bank.draw import (  # noqa: E402
    ExportCategory,
    ExportItem,
    category_segment,
    entry_draw,
    question_tags,
    signature,
    with_entry_tags,
)
from quizgen.bank.load import load_bank  # noqa: E402
from quizgen.render.moodle import moodle_xml  # noqa: E402

GIVE_UP = 200  # an entry that gave no new variant in this many draws in a row has run out


def distinct_questions(bank: object, total: int) -> list[ExportCategory]:
    """``total`` distinct variants of the bank's entries, drawn round-robin, one category per entry."""
    entries = bank.entries
    found: list[list] = [[] for _ in entries]
    seen: set[tuple] = set()
    misses = [0] * len(entries)
    count, k = 0, 0
    while count < total:
        active = [i for i in range(len(entries)) if misses[i] < GIVE_UP]
        if not active:
            raise SystemExit(f"the bank has only {count} distinct variants")
        for i in active:
            if count == total:
                break
            e = entries[i]
            p = entry_draw(bank, i, k).generate()
            sig = signature(p)  # distinct as entry_variants means it
            if sig in seen:
                misses[i] += 1
                continue
            seen.add(sig)
            misses[i] = 0
            found[i].append(with_entry_tags(p, e))
            count += 1
        k += 1
    categories = []
    for i, e in enumerate(entries):
        tol = Fraction(str(e.tolerance if e.tolerance is not None else bank.tolerance))
        items = tuple(ExportItem(p, j, float(e.points), tol, question_tags(p, e.tags, bank.lang))
                      for j, p in enumerate(found[i]))
        path = "$course$/top/" + category_segment(bank.title) + "/" + category_segment(e.name)
        categories.append(ExportCategory(path, e.name, e.family, e.difficulty, items, bank.lang))
    return categories


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bank", default="lecture")
    ap.add_argument("--questions", type=int, default=20000)
    ap.add_argument("--limit", type=float, default=20.0, help="seconds of CPU allowed for the export")
    ap.add_argument("--rounds", type=int, default=1, help="timed exports of each kind (the best counts)")
    ap.add_argument("--profile", action="store_true", help="print the 25 costliest functions of the export (cProfile)")
    args = ap.parse_args()

    bank = load_bank(args.bank)
    w0, c0 = time.perf_counter(), time.process_time()
    categories = distinct_questions(bank, args.questions)
    c_gen, w_gen = time.process_time() - c0, time.perf_counter() - w0
    n = sum(len(c.items) for c in categories)
    print(f"bank {bank.stem}: {n:,} distinct questions from {len(categories)} entries generated and verified in "
          f"{c_gen:.1f} s CPU ({w_gen:.1f} s wall; {n / c_gen:,.0f} problems/s; not part of the export)")
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(moodle_xml, categories)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    best: dict[bool, float] = {}
    for _ in range(args.rounds):
        for diagrams in (True, False):
            label = "with diagrams   " if diagrams else "without diagrams"
            w1, c1 = time.perf_counter(), time.process_time()
            data = moodle_xml(categories, diagrams=diagrams)
            cpu, wall = time.process_time() - c1, time.perf_counter() - w1
            print(f"{label}: {n:,} questions in {cpu:.2f} s CPU ({wall:.2f} s wall), {n / cpu:,.0f} questions/s; "
                  f"{len(data) / 1e6:.1f} MB ({len(data) / n / 1e3:.2f} kB per question)")
            best[diagrams] = min(cpu, best.get(diagrams, cpu))
    ok = best[True] <= args.limit
    print(f"{'OK' if ok else 'TOO SLOW'}: best {best[True]:.2f} s of CPU with diagrams (limit {args.limit:g} s), "
          f"{best[False]:.2f} s without; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
