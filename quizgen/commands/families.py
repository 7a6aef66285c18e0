"""``quizgen families``: list the problem families, id first."""

from __future__ import annotations

import click


@click.command(short_help="List the problem families (id, then a one-line description).")
@click.option("--lang", type=click.Choice(["en", "it"]), default="en", show_default=True,
              help="Language of the descriptions.")
def command(lang: str) -> None:
    """List the problem families, one per line: id, then a one-line description.

    Example: quizgen families --lang it
    """
    from quizgen.problems import families

    fams = families()
    width = max(len(f.id) for f in fams)
    for fam in fams:
        click.echo(f"{fam.id:<{width}}  {fam.summary[lang]}")
