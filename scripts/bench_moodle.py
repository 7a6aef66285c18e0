"""Benchmark of the Moodle XML writer: 20,000 distinct lecture-bank questions in at most 10 s on one core.

The script first generates the questions: variants of every bank entry, drawn in turn, each kept only
when no earlier one has the same text and answers (an entry whose variants run out stops giving
any). Generation (engine + sympy check) has its own benchmark, so it is timed apart. Then it times
``moodle_xml`` alone on all of them (inside ``quizgen.problems.many()``, as ``quizgen moodle`` writes its
file), with the embedded SVG diagrams (the default output) and without, and prints the CPU time of
this one process (neighbours on a shared machine do not count), the wall time, the file size and
questions per second.

Each round (3 by default) is a fresh process. On a shared machine the neighbours slow some rounds down, so
every round is printed with the median and the best of the timed exports (as ``timeit`` does, the best
round measures the code, the spread measures the machine); the limit is checked on the best.

    .venv/bin/python scripts/bench_moodle.py [--bank lecture] [--questions 20000] [--limit 10] [--rounds 3]
                                              [--profile]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quizgen.bank.load import _signature, load_bank, with_entry_tags  # noqa: E402 - distinct as entry_variants means it
from quizgen.problems import generate, many, variant_seed  # noqa: E402
from quizgen.render.moodle import moodle_xml  # noqa: E402
from quizgen.render.moodle_common import ExportCategory, ExportItem, category_segment, question_tags  # noqa: E402

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
            p = generate(e.family, seed=variant_seed(bank.seed, i, k), difficulty=e.difficulty, lang=bank.lang,
                         params=e.params)
            sig = _signature(p)
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
        items = tuple(ExportItem(p, j, float(e.points), tol, question_tags(p, e.tags)) for j, p in enumerate(found[i]))
        path = "$course$/top/" + category_segment(bank.title) + "/" + category_segment(e.name)
        categories.append(ExportCategory(path, e.name, e.family, e.difficulty, items))
    return categories


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bank", default="lecture")
    ap.add_argument("--questions", type=int, default=20000)
    ap.add_argument("--limit", type=float, default=10.0, help="seconds of CPU allowed for the export")
    ap.add_argument("--profile", action="store_true", help="print the 25 costliest functions of the export (cProfile)")
    ap.add_argument("--rounds", type=int, default=3, help="timed rounds, each in a fresh process (default 3)")
    ap.add_argument("--one-round", action="store_true", help=argparse.SUPPRESS)  # a round's process: JSON last
    args = ap.parse_args()
    if args.profile or args.one_round or args.rounds <= 1:
        return one_round(args)
    times: dict[str, list[float]] = {"with": [], "without": []}
    for i in range(1, args.rounds + 1):
        done = subprocess.run([sys.executable, __file__, "--bank", args.bank, "--questions", str(args.questions),
                               "--limit", str(args.limit), "--one-round"], capture_output=True, text=True)
        if done.returncode not in (0, 1):  # 1: that round was over the limit
            raise SystemExit(f"round {i} failed:\n{done.stderr}")
        *lines, last = done.stdout.strip().splitlines()
        for line in lines:
            print(f"round {i}: {line}")
        for key, value in json.loads(last).items():
            times[key].append(value)
    best, median = min(times["with"]), statistics.median(times["with"])
    ok = best <= args.limit
    print(f"with diagrams, {args.rounds} rounds: best {best:.2f} s, median {median:.2f} s of CPU; without: best "
          f"{min(times['without']):.2f} s, median {statistics.median(times['without']):.2f} s")
    print(f"{'OK' if ok else 'TOO SLOW'}: limit {args.limit:g} s of CPU for the default output (with diagrams), "
          f"best round")
    return 0 if ok else 1


def one_round(args: argparse.Namespace) -> int:
    """Generate the questions, then time the export with and without diagrams in this process."""

    bank = load_bank(args.bank)
    w0, c0 = time.perf_counter(), time.process_time()
    with many():
        categories = distinct_questions(bank, args.questions)
    c_gen, w_gen = time.process_time() - c0, time.perf_counter() - w0
    n = sum(len(c.items) for c in categories)
    print(f"bank {bank.stem}: {n:,} distinct questions from {len(categories)} entries generated and verified in "
          f"{c_gen:.1f} s CPU ({w_gen:.1f} s wall; {n / c_gen:,.0f} problems/s; not part of the export)")
    print("  per entry: " + ", ".join(f"{c.family} d{c.difficulty} {len(c.items)}" for c in categories))

    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(moodle_xml, categories)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    ok = True
    times: dict[str, float] = {}
    for diagrams in (True, False):
        label = "with diagrams   " if diagrams else "without diagrams"
        w1, c1 = time.perf_counter(), time.process_time()
        with many():  # as `quizgen moodle` writes its file (quizgen.commands.lms_export)
            data = moodle_xml(categories, diagrams=diagrams)
        cpu, wall = time.process_time() - c1, time.perf_counter() - w1
        print(f"{label}: {n:,} questions in {cpu:.2f} s CPU ({wall:.2f} s wall), {n / cpu:,.0f} questions/s; "
              f"{len(data) / 1e6:.1f} MB ({len(data) / n / 1e3:.2f} kB per question)")
        times["with" if diagrams else "without"] = cpu
        if diagrams:
            ok = cpu <= args.limit
    print(f"{'OK' if ok else 'TOO SLOW'}: limit {args.limit:g} s of CPU for the default output (with diagrams); "
          f"load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if args.one_round:
        print(json.dumps(times))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
