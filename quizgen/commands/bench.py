"""``quizgen bench``: time the core (engine counting and CLI start-up) on this machine."""

from __future__ import annotations

import click


@click.command(short_help="Time the engine and the CLI start-up on this machine.")
def command() -> None:
    """Print how long the engine takes to count a 20-layer network and how fast `quizgen --help` starts.

    The other benchmarks live in scripts/ (bench_problems.py, bench_exam.py, bench_moodle.py,
    bench_torch.py). Example: quizgen bench
    """
    from quizgen.bench import report

    click.echo(report())
