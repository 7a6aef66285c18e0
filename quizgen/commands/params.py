"""``quizgen params``: a family's parameters, as its module declares them."""

from __future__ import annotations

import click


@click.command(short_help="List a family's parameters: meaning, values, defaults, difficulties that use them.")
@click.argument("family", required=False)
@click.option("--lang", type=click.Choice(["en", "it"]), default="en", show_default=True,
              help="Language of the descriptions.")
@click.option("--markdown", is_flag=True, help="Every family as Markdown tables (the README's parameter section).")
def command(family: str | None, lang: str, markdown: bool) -> None:
    """List the parameters a bank entry may set for FAMILY (every family without FAMILY): what each
    means, the values it takes, the values drawn when the bank sets none (with arithmetic: hand, when
    they differ) and the difficulties whose questions use it.

    \b
    Examples:
      quizgen params conv-conv
      quizgen params output-size --lang it
    """
    from quizgen.problems import families
    from quizgen.problems import family as get_family
    from quizgen.render import parameters

    chosen = [get_family(family)] if family is not None else families()
    if markdown:
        click.echo(parameters.markdown(chosen, lang), nl=False)
        return
    click.echo("\n".join(parameters.text(fam, lang) for fam in chosen), nl=False)
