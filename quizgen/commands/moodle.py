"""``quizgen moodle BANK``: a Moodle XML question bank, one category per entry, n variants in each."""

from __future__ import annotations

from collections import Counter

import click

from quizgen.commands import writers
from quizgen.commands.lms_export import LmsWriter, max_size_option
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
    head = b"<?xml version='1.0' encoding='UTF-8'?>\n<quiz>"
    tail = b"</quiz>"

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
                kinds[question_kind(item.problem, style, item.tolerance)] += 1
        data = moodle_xml(categories, style=style, negative=request.options["negative_marks"],
                          diagrams=not request.options["no_diagrams"], calculated=calculated)
        return data, kinds


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
     max_size_option()],
    short_help="Export a bank as Moodle XML (one category per entry, n variants each).",
)
