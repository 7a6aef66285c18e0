"""``quizgen practice-html``: one self-contained HTML page for practising offline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from quizgen.commands import writers
from quizgen.commands.writers import Request


class PracticePage:
    """Write a practice page for BANK (default: the bundled bank 'practice').

    The page holds N pre-generated, verified variants with their diagrams, answers, known
    mistakes and worked solutions; it checks typed answers, keeps a score in the browser and needs
    no network. Same bank and seed, same file.

    \b
    Examples:
      quizgen practice-html -n 200 -o output/practice.html
      quizgen practice-html lecture --lang it -n 60 -o output/pratica.html
      quizgen practice-html --family conv-fc --family memory -n 40 -o output/fc.html --force
    """

    name = "practice-html"

    def _langs(self, request: Request) -> tuple[str, ...]:
        return ("en", "it") if request.lang == "both" else (request.lang,)

    def outputs(self, bank: Any, request: Request) -> list[Path]:
        return [Path(request.output)]

    def draw(self, bank: Any, request: Request) -> list:
        from quizgen.bank.draw import practice_variants, select_entries

        entries = select_entries(bank, request.options["families"], request.options["difficulty"])
        seed = bank.seed if request.seed is None else request.seed
        return practice_variants(bank, entries, request.n, seed, self._langs(request))

    def problems(self, variants: list) -> list:
        return [p for versions in variants for p in versions]

    def write(self, bank: Any, variants: list, request: Request) -> None:
        import time

        from quizgen.bank.draw import exercise_key
        from quizgen.commands.outputs import write_atomic
        from quizgen.render.html import practice_page
        from quizgen.text.plural import plural

        path = Path(request.output)
        html = practice_page(variants, self._langs(request), title=bank.title, lang=bank.lang)
        write_atomic(path, html)
        # distinct/total: no two exercises are the same (exercise_key), so fewer than asked when the entries run out
        total = len(variants)
        distinct = len({exercise_key(v[0]) for v in variants})
        fewer = f" ({request.n} asked: the entries have no other exercises)" if total < request.n else ""
        click.echo(f"{path}: {total} {plural(total, 'en', 'exercise', 'exercises')}, {distinct}/{total} distinct"
                   f"{fewer}, {len(html.encode()) / 1e6:.1f} MB, {time.perf_counter() - request.started:.1f} s",
                   err=True)


WRITER = PracticePage()
command = writers.writer_command(
    WRITER,
    [writers.bank_argument(default="practice"),
     writers.count_option(type=click.IntRange(1, 5000), default=200,
                          help="How many variants the page holds, shared among the bank's entries."),
     writers.seed_option(),
     writers.lang_option(("both", "en", "it"), "both", "Languages of the page: both (a switch in the page) or one."),
     writers.output_option("The HTML file to write.", default="output/practice.html"),
     writers.force_option()],
    [click.option("--family", "families", multiple=True, metavar="FAMILY",
                  help="Only this family (repeatable; a family the bank lacks is added at every difficulty)."),
     click.option("--difficulty", type=click.IntRange(1, 3), default=None, help="Only this difficulty.")],
    short_help="Write one offline HTML page to practise with (no server, no network).",
)
