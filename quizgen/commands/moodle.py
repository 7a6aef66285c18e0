"""``quizgen moodle BANK``: a Moodle XML question bank, one category per entry, n variants in each."""

from __future__ import annotations

from collections import Counter
from typing import Any

import click

from quizgen.commands import writers
from quizgen.commands.lms_export import LmsWriter
from quizgen.commands.writers import Request


class Moodle(LmsWriter):
    """Export BANK (a YAML file or a bundled bank's name) as a Moodle XML question bank.

    Every entry becomes a category $course$/top/<bank title>/<entry name> holding N distinct
    variants, so a quiz with "random question from category" gives each student different numbers.

    \b
    Example:
      quizgen moodle lecture -n 50 --seed 7 -o output/bank.xml
      quizgen moodle lecture -n 30 --style calculated --lang it -o output/bank-it.xml
    """

    name = "moodle"
    suffix = "-moodle.xml"

    def render(self, categories: list, request: Request) -> tuple[bytes, Counter]:
        from quizgen.render.moodle import moodle_xml, question_kind

        style = request.options["style"]
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
        data = moodle_xml(categories, style=style, negative=request.options["negative_marks"],
                          diagrams=not request.options["no_diagrams"], calculated=calculated)
        return data, kinds


    def write(self, bank: Any, categories: list, request: Request) -> None:
        limit = int(request.options["max_size"] * 1e6)
        path = self.path(bank, request)
        if not limit or str(path) == "-":
            return super().write(bank, categories, request)
        data, kinds = self.render(categories, request)
        if len(data) <= limit:
            return super().write(bank, categories, request, rendered=(data, kinds))
        from quizgen.commands.outputs import plan, write_atomic

        files = [self.render(group, request)[0] for group in split_categories(categories, limit, self, request)]
        paths = [path.with_name(f"{path.stem}-{k}{path.suffix}") for k in range(1, len(files) + 1)]
        plan(paths, request.force)
        for target, part in zip(paths, files, strict=True):
            write_atomic(target, part)
        click.echo(f"wrote {len(files)} files {paths[0]} ... {paths[-1]} (the whole export is "
                   f"{len(data) / 1e6:.2f} MB, over --max-size {request.options['max_size']:g} MB): each is a "
                   f"complete import with its categories; the largest is {max(map(len, files)) / 1e6:.2f} MB", err=True)
        return None


def split_categories(categories: list, limit: int, writer: Moodle, request: Request) -> list[list]:
    """Categories in groups whose Moodle XML stays under ``limit`` bytes: a category too big for one file is cut
    into parts with the same category path (Moodle puts them back together on import)."""
    from dataclasses import replace

    pieces = []
    for cat in categories:
        size = len(writer.render([cat], request)[0])
        parts = max(1, -(-size * 11 // (limit * 10)))  # a tenth spare for the file's own lines
        step = -(-len(cat.items) // parts)
        for k in range(0, len(cat.items), step):
            piece = replace(cat, items=cat.items[k:k + step])
            pieces.append((piece, size * len(piece.items) // max(1, len(cat.items))))
    groups: list[list] = [[]]
    used = 0
    for piece, size in pieces:
        if groups[-1] and used + size > limit * 0.9:
            groups.append([])
            used = 0
        groups[-1].append(piece)
        used += size
    return groups


WRITER = Moodle()
command = writers.writer_command(
    WRITER,
    [writers.bank_argument(),
     writers.count_option(default=50, help="Distinct variants per entry (category)."),
     writers.seed_option(), writers.lang_option(),
     writers.output_option("Output file [default: output/<bank>-moodle.xml]."),
     writers.force_option(), writers.torch_check_option()],
    [click.option("--style", type=click.Choice(["numerical", "choice", "calculated"]), default="numerical",
                  show_default=True,
                  help="numerical: numeric answers with feedback on each known mistake; choice: single-part problems "
                       "as multiple choice built from those mistakes; calculated: formula questions with a dataset "
                       "where a template exists (Moodle draws the numbers)."),
     click.option("--negative-marks", is_flag=True,
                  help="Wrong options of multiple-choice questions take marks away (off: wrong options score 0)."),
     click.option("--no-diagrams", is_flag=True, help="Leave out the embedded network diagrams (smaller file)."),
     click.option("--max-size", type=click.FloatRange(min=0), default=2.0, show_default=True, metavar="MB",
                  help="Split a larger export into numbered files (<name>-1.xml, ...), each a complete import "
                       "(0: one file, whatever its size).")],
    short_help="Export a bank as Moodle XML (one category per entry, n variants each).",
)
