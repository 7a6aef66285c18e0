"""``quizgen practice-html``: one self-contained HTML page for practising offline."""

from __future__ import annotations

import click


@click.command(short_help="Write one offline HTML page to practise with (no server, no network).")
@click.argument("bank", default="practice")
@click.option("-n", "count", type=click.IntRange(1, 5000), default=200, show_default=True,
              help="How many variants the page holds, shared among the bank's entries.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default="output/practice.html", show_default=True,
              help="The HTML file to write.")
@click.option("--lang", type=click.Choice(["both", "en", "it"]), default="both", show_default=True,
              help="Languages of the page: both (a switch in the page) or one.")
@click.option("--family", "families", multiple=True, metavar="FAMILY",
              help="Only this family (repeatable; a family the bank lacks is added at every difficulty).")
@click.option("--difficulty", type=click.IntRange(1, 3), default=None, help="Only this difficulty.")
@click.option("--seed", type=int, default=None, help="Seed of the draw (default: the bank's seed).")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
def command(bank: str, count: int, output: str, lang: str, families: tuple[str, ...], difficulty: int | None,
            seed: int | None, force: bool) -> None:
    """Write a practice page for BANK (default: the bundled bank 'practice').

    The page holds COUNT pre-generated, verified variants with their diagrams, answers, known
    mistakes and worked solutions; it checks typed answers, keeps a score in the browser and needs
    no network. Same bank and seed, same file.

    \b
    Examples:
      quizgen practice-html -n 200 -o output/practice.html
      quizgen practice-html lecture --lang it -n 60 -o output/pratica.html
      quizgen practice-html --family conv-fc --family memory -n 40 -o output/fc.html --force
    """
    import time
    from pathlib import Path

    from quizgen.bank.load import load_bank
    from quizgen.commands.outputs import plan, write_atomic
    from quizgen.render.html import practice_page
    from quizgen.render.practice import practice_variants, select_entries

    started = time.perf_counter()
    path = Path(output)
    plan([path], force, option="-o/--output")
    loaded = load_bank(bank)
    entries = select_entries(loaded, families, difficulty)
    langs = ("en", "it") if lang == "both" else (lang,)
    variants = practice_variants(loaded, entries, count, loaded.seed if seed is None else seed, langs)
    html = practice_page(variants, langs, title=loaded.title, lang=loaded.lang)
    write_atomic(path, html)
    # two entries of the same family and difficulty can draw the same exercise: say how many differ
    distinct = len({(v[0].family, v[0].stem, tuple((p.key, p.answer) for p in v[0].parts),
                     tuple(c.text for c in v[0].choices)) for v in variants})
    click.echo(f"{path}: {len(variants)} variants ({distinct} distinct), {len(html.encode()) / 1e6:.1f} MB, "
               f"{time.perf_counter() - started:.1f} s", err=True)
