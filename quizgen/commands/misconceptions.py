"""``quizgen misconceptions``: the catalogue of misconceptions, the ids a bank entry may exclude."""

from __future__ import annotations

import click


@click.command(short_help="List the misconceptions (the ids exclude_misconceptions takes), in both languages.")
@click.option("--lang", type=click.Choice(["en", "it"]), default=None,
              help="Only this language's descriptions [default: both].")
def command(lang: str | None) -> None:
    """List the misconceptions behind the distractors: id, the quantities it applies to, then what it is in
    each language. A bank entry leaves some out with exclude_misconceptions: [ID, ...].

    Example: quizgen misconceptions --lang it
    """
    from quizgen.problems.misconceptions import CATALOGUE
    from quizgen.text.templating import LANGS

    langs = [lang] if lang else list(LANGS)
    for mid in sorted(CATALOGUE):
        item = CATALOGUE[mid]
        click.echo(f"{mid}  ({', '.join(sorted(item.kinds))})")
        for code in langs:
            click.echo(f"    {code}: {item.title(code)}")
