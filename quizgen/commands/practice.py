"""``quizgen practice``: practise in the terminal, one question at a time, with immediate feedback."""

from __future__ import annotations

import click

from quizgen.commands.writers import lenient_option, warn


@click.command(short_help="Practise in the terminal: questions, feedback on known mistakes, a summary.")
@click.argument("bank", default="practice")
@click.option("--family", "families", multiple=True, metavar="FAMILY",
              help="Only this family (repeatable; a family the bank lacks is added).")
@click.option("--difficulty", type=click.IntRange(1, 3), default=None, help="Only this difficulty.")
@click.option("--lang", type=click.Choice(["en", "it"]), default=None, help="Language (default: the bank's).")
@click.option("-n", "count", type=click.IntRange(1, 1000), default=10, show_default=True,
              help="How many questions.")
@click.option("--seed", type=int, default=None, help="Seed of the draw (default: a new one each time).")
@lenient_option()
def command(bank: str, families: tuple[str, ...], difficulty: int | None, lang: str | None, count: int,
            seed: int | None, lenient: bool) -> None:
    """Ask COUNT questions from BANK (default: the bundled bank 'practice') one at a time.

    Type a number and press Enter: a right answer is confirmed, a known mistake is named and
    explained, anything else gets a hint. '?' shows the worked solution, 'h' a hint, 'q' quits;
    Ctrl-C or the end of input also end the session with the summary (per family: right/wrong).

    \b
    Examples:
      quizgen practice
      quizgen practice --family conv-conv --family fc-fc --lang it -n 5
      quizgen practice lecture --difficulty 2 --seed 42
    """
    import random
    import sys

    from quizgen.bank.draw import select_entries, stream
    from quizgen.bank.load import load_bank
    from quizgen.render.practice import Session

    loaded = load_bank(bank, lenient=lenient)
    warn(loaded)
    entries = select_entries(loaded, families, difficulty)
    language = lang or loaded.lang
    if seed is None:
        seed = random.SystemRandom().randrange(2**31)

    def ask(prompt: str) -> str:
        return input(prompt)

    Session(ask, sys.stdout, language).run(stream(entries, seed, language), count)
