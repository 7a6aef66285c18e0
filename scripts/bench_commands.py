"""Benchmark of what a user waits for: whole ``quizgen`` commands, each a new process, as typed.

Each command runs once to warm up, then ``--runs`` times (5 by default) into a temporary folder; the
script prints the median and the best wall time, and the median CPU time of the process (user + system:
on a shared machine neighbours inflate the wall time, not this). The processes run as an installed
quizgen does: Python may write and read its bytecode (``PYTHONDONTWRITEBYTECODE`` is dropped from their
environment), so no run pays for compiling quizgen's modules from source. Budgets: ``quizgen --help`` 0.15 s,
``quizgen moodle lecture -n 30`` 1.5 s (wall, on a 2-core machine).

    .venv/bin/python scripts/bench_commands.py [--runs 5] [--profile]

``--profile`` writes a cProfile of one ``moodle lecture -n 30`` run to moodle.prof in the current folder
(read it with ``python -m pstats moodle.prof``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

COMMANDS = {
    "quizgen --help": ["--help"],
    "quizgen moodle lecture -n 30": ["moodle", "lecture", "-n", "30", "-o", "{out}/bank.xml", "--force"],
    "quizgen moodle lecture -n 30 --max-size 0": ["moodle", "lecture", "-n", "30", "--max-size", "0",
                                                  "-o", "{out}/whole.xml", "--force"],
    "quizgen gift lecture -n 30": ["gift", "lecture", "-n", "30", "-o", "{out}/bank.txt", "--force"],
}


ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def run(args: list[str], out: str) -> tuple[float, float]:
    """(wall s, CPU s) of one ``python -m quizgen ARGS`` process."""
    before = os.times()
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "quizgen", *(a.format(out=out) for a in args)],
                   capture_output=True, check=True, env=ENV)
    wall = time.perf_counter() - start
    after = os.times()
    return wall, (after.children_user - before.children_user) + (after.children_system - before.children_system)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as out:
        if args.profile:
            subprocess.run([sys.executable, "-m", "cProfile", "-o", "moodle.prof", "-m", "quizgen",
                            *(a.format(out=out) for a in COMMANDS["quizgen moodle lecture -n 30"])],
                           check=True, env=ENV)
            print("wrote moodle.prof")
            return
        print(f"{'command':<44} {'median wall':>12} {'best wall':>10} {'median CPU':>11}  ({args.runs} runs)")
        for name, command in COMMANDS.items():
            run(command, out)  # warm-up: bytecode written, files in the page cache
            times = [run(command, out) for _ in range(args.runs)]
            walls, cpus = [w for w, _ in times], [c for _, c in times]
            print(f"{name:<44} {statistics.median(walls):>10.2f} s {min(walls):>8.2f} s "
                  f"{statistics.median(cpus):>9.2f} s")
        print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
