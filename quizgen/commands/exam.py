"""``quizgen exam``: printable exam versions, answer key, worked solutions and grading CSV from a bank."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from quizgen.commands import writers
from quizgen.commands.writers import Request


def _positive(ctx: click.Context, param: click.Parameter, value: int | None) -> int | None:
    if value is not None and value < 1:
        from quizgen.errors import QuizgenError

        name = "/".join(param.opts)
        raise QuizgenError(f"{name} is {value}", where=name, fix="give a whole number of 1 or more")
    return value


class Exam:
    """Write N distinct versions of BANK's exam as one PDF (each version from an odd page), an answer key
    PDF, a worked-solutions PDF, their .tex sources and a grading CSV.

    Example: quizgen exam lecture -n 30 --seed 2026 -o output/
    """

    name = "exam"

    def outputs(self, bank: Any, request: Request) -> list[Path]:
        self._in_lang(bank, request)  # a text the bank lacks in --lang stops here, before anything is drawn
        return []  # build_exam plans them: which PDFs there are depends on pdflatex being there

    def _in_lang(self, bank: Any, request: Request) -> Any:
        """The bank with its own texts (title, instructions, ...) in the sheet's language."""
        return bank.in_lang(request.lang or bank.lang, request.options["allow_mixed_language"])

    def labels(self, bank: Any, request: Request) -> tuple[str, ...]:
        """The versions' labels: --labels, else the bank's, else V01, V02, ... for -n versions."""
        from quizgen.bank.draw import version_code
        from quizgen.bank.values import parse_labels
        from quizgen.errors import QuizgenError

        given = request.options["labels"]
        labels = parse_labels(given.split(","), "option --labels") if given is not None else bank.labels
        if not labels:
            return tuple(version_code(v) for v in range(request.n or 1))
        if request.n is not None and request.n != len(labels):
            source = "--labels" if given is not None else f"the bank's labels ({bank.path})"
            from quizgen.text.plural import plural

            raise QuizgenError(f"-n {request.n} asks for {request.n} {plural(request.n, 'en', 'version', 'versions')} "
                               f"but {source} name {len(labels)}",
                               where="option -n", fix=f"leave out -n (one version per label) or give {request.n} "
                                                      "labels")
        return labels

    def _workers(self, request: Request) -> int:
        return request.options["jobs"] or os.cpu_count() or 1

    def draw(self, bank: Any, request: Request) -> list:
        from dataclasses import replace

        from quizgen.bank.draw import exam_versions

        labels = self.labels(bank, request)
        versions = exam_versions(self._in_lang(bank, request), len(labels), request.seed, request.lang or bank.lang)
        return [replace(v, code=label) for v, label in zip(versions, labels, strict=True)]

    def problems(self, versions: list) -> list:
        return [q.problem for v in versions for q in v.questions]

    def write(self, bank: Any, versions: list, request: Request) -> None:
        import time

        from quizgen.commands import outputs
        from quizgen.render.compile import LatexError, install_hint
        from quizgen.render.exam import build_exam
        from quizgen.text.numbers import plain
        from quizgen.text.templating import text

        language = request.lang or bank.lang
        bank = self._in_lang(bank, request)
        date = request.options["date"]
        out_dir = Path(request.output)
        try:
            result = build_exam(bank, versions, language, date if date is not None else bank.date, out_dir,
                                jobs=self._workers(request), split=request.options["split"], force=request.force,
                                output=outputs)
        except LatexError as exc:
            click.echo(exc.report(), err=True)
            sys.exit(1)
        if not result.compiled:
            click.echo(text(language, "exam_tex_only", out=out_dir), err=True)
            click.echo(install_hint(), err=True)
            sys.exit(1)
        for path in result.files:
            click.echo(str(path))
        click.echo(text(language, "exam_done", versions=len(versions), pages=sum(result.pages.values()),
                        seconds=plain(time.perf_counter() - request.started, 1, language), out=out_dir), err=True)
        for line in unfair_versions(versions, language):
            click.echo(line, err=True)


def unfair_versions(versions: list, lang: str) -> list[str]:
    """One line per rule of fair versions an entry breaks across the versions drawn (``verify.stress.fairness``)."""
    from quizgen.bank.draw import own_network
    from quizgen.text.templating import text
    from quizgen.verify.stress import fairness, fairness_fix, fairness_text

    drawn: dict[int, tuple[Any, list]] = {}
    for version in versions:
        for q in version.questions:
            drawn.setdefault(q.entry_index, (q.entry, []))[1].append(q.problem)
    lines = []
    for index, (entry, problems) in sorted(drawn.items()):
        found = fairness(problems) if len(problems) > 1 else None
        for finding in found.findings if found is not None else ():
            lines.append(text(lang, "fair_exam_warning", entry=index + 1, family=entry.family,
                              finding=fairness_text(found, finding, lang)))
            lines.append("  " + fairness_fix(found, finding, lang, own_network(entry)))
    return lines


WRITER = Exam()
command = writers.writer_command(
    WRITER,
    [writers.bank_argument(),
     writers.count_option("--versions", default=None, callback=_positive,
                          help="Number of distinct versions [default: one per label, else 1]."),
     writers.seed_option(), writers.lang_option(),
     writers.output_option("Folder for the PDFs, .tex sources and CSV.", default="output", folder=True),
     writers.force_option("Overwrite existing files."), writers.torch_check_option()],
    [click.option("--date", default=None, help="Date printed on every page (default: the bank's, else a blank line)."),
     click.option("--jobs", type=int, default=None, callback=_positive,
                  help="pdflatex processes at once (default: the number of CPUs)."),
     click.option("--split", is_flag=True, help="Also write one PDF per version (<bank>-V01.pdf, ...)."),
     click.option("--labels", default=None, metavar="A,B,...",
                  help="The versions' labels, printed on every page and naming the files [default: the bank's "
                       "labels, else V01, V02, ...]."),
     click.option("--allow-mixed-language", is_flag=True, help="With --lang, print the bank's texts that it does "
                  "not give in that language in the bank's own language (otherwise an error names them).")],
    short_help="Exam PDFs in many versions, with answer key, solutions and grading CSV.",
)
