"""``quizgen gift BANK``: the bank in Moodle's GIFT text format (numerical and multiple choice)."""

from __future__ import annotations

import click


@click.command(short_help="Export a bank as GIFT text (numerical and multiple-choice questions).")
@click.argument("bank")
@click.option("-n", "n", type=int, default=50, show_default=True, help="Distinct variants per entry (category).")
@click.option("--seed", type=int, default=None, help="Seed of the variants [default: the bank's seed].")
@click.option("--lang", type=click.Choice(["en", "it"]), default=None, help="Language [default: the bank's].")
@click.option("--style", type=click.Choice(["numerical", "choice"]), default="numerical", show_default=True,
              help="numerical: numeric answers with feedback on each known mistake; choice: single-part problems "
                   "as multiple choice built from those mistakes.")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False), default=None,
              help="Output file [default: output/<bank>-gift.txt].")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@click.option("--torch-check", is_flag=True, help="Recount every problem in PyTorch first; any disagreement: exit 1.")
@click.option("--negative-marks", is_flag=True,
              help="Wrong options of multiple-choice questions take marks away (off: wrong options score 0).")
def command(bank: str, n: int, seed: int | None, lang: str | None, style: str, output: str | None, force: bool,
            torch_check: bool, negative_marks: bool) -> None:
    """Export BANK as GIFT text. GIFT has no Cloze: a multi-part problem becomes one numerical
    question per part, each with the whole stem.

    \b
    Example:
      quizgen gift lecture -n 20 --seed 7 -o output/bank.gift.txt
    """
    from quizgen.commands.lms_export import export

    export("gift", bank, n, seed, lang, style, output, force, torch_check, negative=negative_marks)
