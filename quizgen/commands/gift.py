"""``quizgen gift BANK``: the bank in Moodle's GIFT text format (numerical and multiple choice)."""

from __future__ import annotations

from collections import Counter

import click

from quizgen.commands import writers
from quizgen.commands.lms_export import LmsWriter, max_size_option
from quizgen.commands.writers import Request


class Gift(LmsWriter):
    """Export BANK as GIFT text. GIFT has no Cloze: a multi-part problem becomes one numerical
    question per part, each with the whole stem.

    \b
    Example:
      quizgen gift lecture -n 20 --seed 7 -o output/bank.gift.txt
    """

    name = "gift"
    suffix = "-gift.txt"
    separator = b"\n\n"
    tail = b"\n"

    def render(self, categories: list, request: Request) -> tuple[bytes, Counter]:
        from quizgen.render.gift import gift_text

        text, kinds = gift_text(categories, style=request.options["style"], negative=request.options["negative_marks"])
        return text.encode("utf-8"), kinds


WRITER = Gift()
command = writers.writer_command(
    WRITER,
    [writers.bank_argument(),
     writers.count_option(default=50, help="Distinct variants per entry (category)."),
     writers.seed_option(), writers.lang_option(),
     writers.output_option("Output file [default: output/<bank>-gift.txt]."),
     writers.force_option(), writers.torch_check_option()],
    [click.option("--style", type=click.Choice(["numerical", "choice"]), default="numerical", show_default=True,
                  help="numerical: numeric answers with feedback on each known mistake; choice: single-part problems "
                       "as multiple choice built from those mistakes."),
     click.option("--negative-marks", is_flag=True,
                  help="Wrong options of multiple-choice questions take marks away (off: wrong options score 0)."),
     max_size_option()],
    short_help="Export a bank as GIFT text (numerical and multiple-choice questions).",
)
