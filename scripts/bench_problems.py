"""Generation benchmark: generate and verify N problems from a bank (default: 20,000 from the lecture bank)
on one core, worked solutions included, and print problems per second overall and per family.

    .venv/bin/python scripts/bench_problems.py [--bank lecture] [-n 20000] [--profile]

The target is at least 2,000 problems per second. Every problem passes the engine and sympy check
that ``generate`` runs; entries of families not in this tree yet are left out (and named). The problems are
generated inside ``quizgen.problems.many()``, as every command that generates a bank's variants does (exam,
moodle, gift, practice, stress); ``--plain`` leaves that out, to see what it saves.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib.util
import pstats
import time
from collections import defaultdict

TARGET = 2_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bank", default="lecture")
    parser.add_argument("-n", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--profile", action="store_true", help="print the 25 costliest functions (cProfile)")
    parser.add_argument("--plain", action="store_true", help="call generate outside quizgen.problems.many()")
    args = parser.parse_args()

    from contextlib import nullcontext

    from quizgen.banks import Bank, resolve_bank_path
    from quizgen.problems import FAMILY_MODULES, generate, many, variant_seed
    from quizgen.yamlsource import load

    # families still being written are left out of the bank, not failed on
    raw = load(resolve_bank_path(args.bank))
    missing = sorted({e["family"] for e in raw["entries"]
                      if importlib.util.find_spec(FAMILY_MODULES[e["family"]]) is None})
    if missing:
        import json
        import tempfile
        from pathlib import Path

        import yaml

        plain = json.loads(json.dumps(raw))
        kept = dict(plain, entries=[e for e in plain["entries"] if e["family"] not in missing])
        tmp = Path(tempfile.mkdtemp()) / f"{resolve_bank_path(args.bank).stem}.yaml"
        tmp.write_text(yaml.safe_dump(kept, allow_unicode=True), encoding="utf-8")
        print(f"left out (not in this tree yet): {', '.join(missing)}")
        path = tmp
    else:
        path = resolve_bank_path(args.bank)
    from quizgen.banks import load_bank

    bank: Bank = load_bank(path)
    seed = bank.seed if args.seed is None else args.seed
    jobs = [(i, k) for k in range(-(-args.n // len(bank.entries))) for i in range(len(bank.entries))][:args.n]
    # warm the caches (templates, formulas) so the timing is the steady state an exam run sees
    for i, entry in enumerate(bank.entries):
        generate(entry.family, seed=variant_seed(seed, i, 10**9), difficulty=entry.difficulty, lang=bank.lang,
                 params=entry.params)

    per_family: dict[str, float] = defaultdict(float)
    count: dict[str, int] = defaultdict(int)

    def run() -> None:
        with nullcontext() if args.plain else many():
            generate_all()

    def generate_all() -> None:
        for i, k in jobs:
            entry = bank.entries[i]
            start = time.process_time()
            problem = generate(entry.family, seed=variant_seed(seed, i, k), difficulty=entry.difficulty,
                               lang=bank.lang, params=entry.params)
            per_family[entry.family] += time.process_time() - start
            count[entry.family] += 1
            assert problem.solution

    profiler = cProfile.Profile() if args.profile else None
    wall, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.runcall(run)
    else:
        run()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    rate = len(jobs) / cpu
    # CPU time of this one process is the measure: on a shared machine wall time counts the neighbours too
    print(f"{len(jobs):,} problems from {bank.stem} ({len(bank.entries)} entries, lang {bank.lang}) "
          f"generated and verified in {cpu:.2f} s of CPU ({wall:.2f} s wall): {rate:,.0f} problems/s on one core "
          f"(target {TARGET:,}: {'met' if rate >= TARGET else 'NOT met'})")
    for fid in sorted(per_family, key=lambda f: count[f] / per_family[f]):
        print(f"  {fid:<12} {count[fid] / per_family[fid]:>8,.0f} problems/s  ({count[fid]:,} problems)")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
