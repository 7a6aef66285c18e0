"""``quizgen moodle BANK``: a Moodle XML question bank, one category per entry, n variants in each."""

from __future__ import annotations

import click


@click.command(short_help="Export a bank as Moodle XML (one category per entry, n variants each).")
@click.argument("bank")
@click.option("-n", "n", type=int, default=50, show_default=True, help="Distinct variants per entry (category).")
@click.option("--seed", type=int, default=None, help="Seed of the variants [default: the bank's seed].")
@click.option("--lang", type=click.Choice(["en", "it"]), default=None, help="Language [default: the bank's].")
@click.option("--style", type=click.Choice(["numerical", "choice", "calculated"]), default="numerical",
              show_default=True,
              help="numerical: numeric answers with feedback on each known mistake; choice: single-part problems "
                   "as multiple choice built from those mistakes; calculated: formula questions with a dataset "
                   "where a template exists (Moodle draws the numbers).")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False), default=None,
              help="Output file [default: output/<bank>-moodle.xml].")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@click.option("--torch-check", is_flag=True, help="Recount every problem in PyTorch first; any disagreement: exit 1.")
@click.option("--negative-marks", is_flag=True,
              help="Wrong options of multiple-choice questions take marks away (off: wrong options score 0).")
@click.option("--no-diagrams", is_flag=True, help="Leave out the embedded network diagrams (smaller file).")
def command(bank: str, n: int, seed: int | None, lang: str | None, style: str, output: str | None, force: bool,
            torch_check: bool, negative_marks: bool, no_diagrams: bool) -> None:
    """Export BANK (a YAML file or a bundled bank's name) as a Moodle XML question bank.

    Every entry becomes a category $course$/top/<bank title>/<entry name> holding N distinct
    variants, so a quiz with "random question from category" gives each student different numbers.

    \b
    Example:
      quizgen moodle lecture -n 50 --seed 7 -o output/bank.xml
      quizgen moodle lecture -n 30 --style calculated --lang it -o output/bank-it.xml
    """
    from quizgen.commands.lms_export import export

    export("moodle", bank, n, seed, lang, style, output, force, torch_check,
           negative=negative_marks, diagrams=not no_diagrams)
