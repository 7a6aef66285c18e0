"""``quizgen stress``: draw many variants of each bank entry and report exploitable patterns."""

from __future__ import annotations

import click

from quizgen.commands.writers import lenient_option, warn


@click.command(short_help="Draw many variants per bank entry: variant space, answer spread, exploitable patterns.")
@click.argument("bank")
@click.option("-n", "draws", type=click.IntRange(1, 100_000), default=200, show_default=True,
              help="Variants drawn per entry.")
@click.option("--seed", type=int, default=None, help="Seed of the draws (default: the bank's seed).")
@click.option("--lang", type=click.Choice(["en", "it"]), default=None,
              help="Language of the problems and the report (default: the bank's).")
@click.option("--strict", is_flag=True, help="Exit with status 1 when a pattern or unequal versions are found.")
@lenient_option()
def command(bank: str, draws: int, seed: int | None, lang: str | None, strict: bool, lenient: bool) -> None:
    """Stress-test BANK (a YAML file or a bundled bank's name): for each entry draw N variants and
    report how many distinct variants exist (exact when the family can count them, else the distinct
    ones seen), the spread of every answer (min / median / max), duplicates, and patterns a student
    could exploit: answers always round, the correct option not in a uniform position (chi-square
    p < 0.001), the answer at the same rank among the values offered by --style choice; and
    whether an entry's versions are fair side by side (≠): the same parts, worked solutions within one
    step, no two versions sharing more than one answer, no table blank printed in the cell next to it.

    \b
    Examples:
      quizgen stress lecture
      quizgen stress banks/practice.yaml -n 500 --seed 3 --strict
    """
    from quizgen.bank.load import load_bank
    from quizgen.verify.stress import format_report, stress_bank

    loaded = load_bank(bank, lang=lang, lenient=lenient)
    warn(loaded)
    used_seed = loaded.seed if seed is None else seed
    reports = stress_bank(loaded, draws, used_seed, loaded.lang)
    click.echo(format_report(loaded, reports, draws, used_seed, loaded.lang))
    if strict and any(r.patterns or (r.fairness is not None and r.fairness.findings) for r in reports):
        raise SystemExit(1)  # click's ctx.exit is swallowed when main runs without standalone mode
