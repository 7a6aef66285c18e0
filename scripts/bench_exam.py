"""Benchmark of ``quizgen exam``: the whole run against pdflatex alone on the same .tex files.

A bank of 10 questions (every available family in turn), 100 versions. First the whole command
(generation + LaTeX + PDF) is timed; then the same pdflatex command lines on the .tex files it
wrote — the same slices, the same number of passes, the same parallelism — with no Python between
them. Prints both times, their ratio and the pages per second, best of ``--rounds`` (the two take turns, so
neither alone runs on warm caches), and the CPU time of each (quizgen's own and its pdflatex runs), a ratio
that a busy machine disturbs much less than the wall-clock one.

    .venv/bin/python scripts/bench_exam.py [--versions 100] [--jobs N] [--rounds 2]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quizgen.render.compile import FLAGS, environment  # noqa: E402
from quizgen.render.exam import SLICE_VERSIONS, slices  # noqa: E402
from tests.render.exam_helpers import available_families  # noqa: E402

# an entry that cannot give 100 fair versions at the difficulty its turn gives: AlexNet's difficulty 3 asks one of a
# few blanks of its table (82 versions), so the benchmark asks its difficulty 2
DIFFICULTY = {"alexnet": 2}


def write_bank(path: Path) -> Path:
    families = available_families()
    lines = ["title: Benchmark exam", "course: Deep Learning", "lang: en", "seed: 1", "entries:"]
    for i in range(10):
        family = families[i % len(families)]
        lines.append(f"  - {{family: {family}, difficulty: {DIFFICULTY.get(family, 2 + i % 2)}, points: 6}}")
    path.write_text("\n".join(lines) + "\n")
    return path


def pdflatex_alone(folder: Path, stem: str, n: int, jobs: int) -> float:
    """pdflatex on the written sources exactly as quizgen ran it: slices, 2 passes, joins, in parallel."""
    build = Path(tempfile.mkdtemp(dir=folder))
    for name in ("exam", "key", "solutions"):
        shutil.copy(folder / f"{stem}-{name}.tex", build)
    env = environment()

    def compile_doc(name: str, source: str, first: int | None, last: int | None, passes: int) -> None:
        driver = source if first is None else rf"\def\QGfirst{{{first}}}\def\QGlast{{{last}}}\input{{{source}}}"
        for _ in range(passes):
            subprocess.run(["pdflatex", *FLAGS, f"-jobname={name}", driver], cwd=build, env=env, check=True,
                           stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)

    parts = slices(n, SLICE_VERSIONS)
    docs = []
    for name in ("exam", "solutions"):
        if len(parts) == 1:
            docs.append((f"{stem}-{name}", f"{stem}-{name}.tex", None, None, 2))
        else:
            docs += [(f"{stem}-{name}-{i + 1:03d}", f"{stem}-{name}.tex", a, b, 2) for i, (a, b) in enumerate(parts)]
    docs.append((f"{stem}-key", f"{stem}-key.tex", None, None, 2))
    joins = []
    if len(parts) > 1:
        for name in ("exam", "solutions"):
            pieces = "".join(rf"\includepdf[pages=-]{{{stem}-{name}-{i + 1:03d}.pdf}}" for i in range(len(parts)))
            (build / f"j-{name}.tex").write_text(
                "\\documentclass{article}\\usepackage{pdfpages}\\pdfinfoomitdate=1\\pdftrailerid{}"
                f"\\begin{{document}}{pieces}\\end{{document}}\n")
            joins.append((f"j-{name}", f"j-{name}.tex", None, None, 1))
    started = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(lambda d: compile_doc(*d), docs))
        list(pool.map(lambda d: compile_doc(*d), joins))
    return time.perf_counter() - started


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # every finished descendant: quizgen and its pdflatex runs
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--versions", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    whole = alone = whole_cpu = alone_cpu = float("inf")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bank = write_bank(folder / "bench.yaml")
        for k in range(args.rounds):
            out = folder / f"out{k}"
            command = [str(ROOT / ".venv/bin/quizgen"), "exam", str(bank), "-n", str(args.versions), "-o", str(out),
                       "--jobs", str(args.jobs)]
            cpu, started = _children_cpu(), time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
            whole = min(whole, time.perf_counter() - started)
            whole_cpu = min(whole_cpu, _children_cpu() - cpu)
            cpu = _children_cpu()
            alone = min(alone, pdflatex_alone(out, "bench", args.versions, args.jobs))
            alone_cpu = min(alone_cpu, _children_cpu() - cpu)
        pages = 0
        for pdf in sorted(out.glob("*.pdf")):
            info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
            pages += int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    print(f"versions: {args.versions}, jobs: {args.jobs}, pages written: {pages}, best of {args.rounds} rounds, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"whole run (generation + LaTeX + PDF): {whole:.1f} s  ({pages / whole:.1f} pages/s), CPU {whole_cpu:.1f} s")
    print(f"pdflatex alone on the same .tex files: {alone:.1f} s  ({pages / alone:.1f} pages/s), CPU {alone_cpu:.1f} s")
    print(f"ratio: {whole / alone:.2f} (target: at most 1.3); CPU ratio: {whole_cpu / alone_cpu:.2f}")


if __name__ == "__main__":
    main()
