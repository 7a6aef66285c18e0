"""``quizgen bench``: time the core (engine counting and CLI start-up) on this machine.

It prints numbers and asserts nothing. The other benchmarks live in scripts/.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

import click

TWENTY_LAYERS = (
    "224x224x3 > conv 64 3 p=1 > relu > conv 64 3 p=1 > relu > maxpool 2 > conv 128 3 p=1 > relu"
    " > conv 128 3 p=1 > relu > maxpool 2 > conv 256 3 same > relu > conv 256 3 valid > relu > maxpool 2"
    " > flatten > fc 4096 > relu > dropout 0.5 > fc 1000 > softmax"
)


def count_time(repeat: int = 2000) -> tuple[int, float, float]:
    """(layers, median µs, best µs) to count the 20-layer network (integer path and exact formula check of
    every number), after import and warm-up."""
    from quizgen.nets.engine import count
    from quizgen.nets.spec import parse_spec

    net = parse_spec(TWENTY_LAYERS)
    count(net)  # the first count reads the compiled formulas, as any first use does
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        count(net)
        samples.append(time.perf_counter() - start)
    return len(net.layers), statistics.median(samples) * 1e6, min(samples) * 1e6


def first_count_time() -> float:
    """Seconds for the very first count in a fresh process (imports the engine and its compiled formulas)."""
    code = (
        "import time; t=time.perf_counter(); from quizgen.nets.engine import count; "
        "from quizgen.nets.spec import parse_spec; from quizgen.commands.bench import TWENTY_LAYERS; "
        "count(parse_spec(TWENTY_LAYERS)); print(time.perf_counter()-t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout)


def help_time(repeat: int = 7) -> tuple[float, float]:
    """(median s, best s) of ``python -m quizgen --help`` as a new process."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "quizgen", "--help"], capture_output=True, check=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), min(samples)


def report() -> str:
    layers, median, best = count_time()
    first = first_count_time()
    h_median, h_best = help_time()
    return "\n".join([
        f"count a {layers}-layer network: median {median:.0f} µs, best {best:.0f} µs (target: well under 1 ms)",
        f"first count in a new process (imports the engine and its compiled formulas): {first:.2f} s",
        f"quizgen --help start-up: median {h_median:.3f} s, best {h_best:.3f} s (target < 0.2 s)",
    ])


@click.command(short_help="Time the engine and the CLI start-up on this machine.")
def command() -> None:
    """Print how long the engine takes to count a 20-layer network and how fast `quizgen --help` starts.

    The other benchmarks live in scripts/ (bench_problems.py, bench_exam.py, bench_moodle.py,
    bench_torch.py). Example: quizgen bench
    """
    click.echo(report())
