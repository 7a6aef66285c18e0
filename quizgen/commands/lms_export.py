"""What ``quizgen moodle`` and ``quizgen gift`` share: bank → variants → (torch check) → one atomic file."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from quizgen.errors import QuizgenError


def export(fmt: str, bank_name: str, n: int, seed: int | None, lang: str | None, style: str, output: str | None,
           force: bool, torch_check: bool, *, negative: bool = False, diagrams: bool = True) -> None:
    """Generate, check and write one Moodle XML or GIFT file; nothing is written on any error."""
    from quizgen.bank.load import load_bank
    from quizgen.commands.outputs import plan, write_atomic
    from quizgen.render.moodle_common import collect

    if n < 1:
        raise QuizgenError(f"-n is {n}", where="-n", fix="ask for at least 1 variant per entry")
    bank = load_bank(bank_name)
    suffix = "-moodle.xml" if fmt == "moodle" else "-gift.txt"
    path = Path(output) if output else Path("output") / f"{bank.stem}{suffix}"
    plan([path], force)
    if torch_check:
        from quizgen.verify.torch_check import require_torch

        require_torch()
    categories = collect(bank, n, seed, lang)
    if torch_check:
        from quizgen.verify.torch_check import check_problems

        problems = [item.problem for cat in categories for item in cat.items]
        disagreements = check_problems(problems)
        if disagreements:
            for line in disagreements:
                click.echo(f"torch disagrees: {line}", err=True)
            click.echo(f"{len(disagreements)} disagreement(s) with PyTorch; nothing written", err=True)
            raise click.exceptions.Exit(1)
    from quizgen.problems import many

    with many():  # writing makes no reference cycles either: the collector would only walk the variants again
        if fmt == "moodle":
            data, kinds = _moodle(categories, style, negative, diagrams)
        else:
            from quizgen.render.gift import gift_text

            text, kinds = gift_text(categories, style=style, negative=negative)
            data = text.encode("utf-8")
    write_atomic(path, data)
    summary = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
    click.echo(f"wrote {path}: {len(categories)} categories, {summary}; {len(data) / 1e6:.2f} MB")


def _moodle(categories: list, style: str, negative: bool, diagrams: bool) -> tuple[bytes, Counter]:
    from quizgen.render.moodle import moodle_xml, question_kind

    calculated = {}
    if style == "calculated":
        from quizgen.render.moodle_calculated import build_calculated, eligible

        calculated = {i: build_calculated(cat) for i, cat in enumerate(categories) if eligible(cat)}
    kinds: Counter = Counter()
    for i, cat in enumerate(categories):
        if i in calculated:
            kinds["calculated"] += 1
            continue
        for item in cat.items:
            kinds[question_kind(item.problem, style)] += 1
    data = moodle_xml(categories, style=style, negative=negative, diagrams=diagrams, calculated=calculated)
    return data, kinds
