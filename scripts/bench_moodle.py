"""Benchmark of the Moodle XML writer: 20,000 questions from the lecture bank in at most 10 s.

Generating a problem (engine + sympy check) is not the writer's work and is timed apart. The script
draws up to ``--per-entry`` distinct variants of each bank entry, cycles through them until
``--questions`` questions are placed in their categories, then times ``moodle_xml`` alone, with
and without the embedded SVG diagrams. It also times the distinct problems alone with cold memo
caches, since cycled problems repeat their feedback sentences and diagrams.

    .venv/bin/python scripts/bench_moodle.py [--bank lecture] [--questions 20000] [--per-entry 100]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quizgen.banks import load_bank  # noqa: E402
from quizgen.render.moodle import moodle_xml  # noqa: E402
from quizgen.render.moodle_common import collect  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bank", default="lecture")
    ap.add_argument("--questions", type=int, default=20000)
    ap.add_argument("--per-entry", type=int, default=100, help="distinct variants generated per entry")
    ap.add_argument("--limit", type=float, default=10.0, help="seconds allowed for the export")
    args = ap.parse_args()

    bank = load_bank(args.bank)
    t0 = time.perf_counter()
    categories = []
    for index in range(len(bank.entries)):
        one = replace(bank, entries=(bank.entries[index],))
        for n in (args.per_entry, 20, 5, 1):  # entries with a small variant space give what they have
            try:
                categories.extend(collect(one, n, 7, None))
                break
            except Exception:  # noqa: BLE001 - QuizgenError: fewer distinct variants than n
                continue
    generated = sum(len(c.items) for c in categories)
    t_generate = time.perf_counter() - t0

    per_category = -(-args.questions // len(categories))
    filled = []
    for cat in categories:
        items = [replace(cat.items[k % len(cat.items)], variant=k) for k in range(per_category)]
        filled.append(replace(cat, items=tuple(items)))
    total = sum(len(c.items) for c in filled)
    print(f"bank {bank.path}: {len(categories)} entries, {generated} distinct problems generated in {t_generate:.1f} s "
          f"(generation is the engine's work, not the writer's)")

    ok = True
    for diagrams in (False, True):
        label = "with diagrams" if diagrams else "without diagrams"
        _cold()
        c1 = time.process_time()
        moodle_xml(categories, diagrams=diagrams)
        per_question = (time.process_time() - c1) / generated
        _cold()
        t1, c1 = time.perf_counter(), time.process_time()
        data = moodle_xml(filled, diagrams=diagrams)
        t_export, c_export = time.perf_counter() - t1, time.process_time() - c1
        print(f"{label}: {generated} distinct problems, cold caches: {per_question * 1e3:.2f} ms CPU per question "
              f"(= {per_question * args.questions:.1f} s for {args.questions} distinct)")
        print(f"{label}: {total} questions (the distinct ones cycled) in {t_export:.2f} s wall, "
              f"{c_export:.2f} s CPU; {len(data) / 1e6:.1f} MB ({len(data) / total / 1e3:.1f} kB per question)")
        if not diagrams:
            ok = c_export <= args.limit and per_question * args.questions <= args.limit
    print(f"{'OK' if ok else 'TOO SLOW'}: limit {args.limit:g} s of CPU without diagrams "
          f"(wall time counts other processes on a busy machine; load average now {os.getloadavg()[0]:.1f})")
    return 0 if ok else 1


def _cold() -> None:
    """Empty the memo caches (HTML of repeated sentences, SVG per network) so a run starts cold."""
    from quizgen.render import moodle
    from quizgen.render.moodle_common import rich_html

    rich_html.cache_clear()
    moodle._svg.cache_clear()


if __name__ == "__main__":
    sys.exit(main())
