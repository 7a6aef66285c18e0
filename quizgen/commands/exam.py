"""``quizgen exam``: printable exam versions, answer key, worked solutions and grading CSV from a bank."""

from __future__ import annotations

import os
import sys

import click


class _OneLineErrors(click.Command):
    """Bad options become one-line QuizgenErrors (exit 2), like every other user mistake."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            from quizgen.errors import QuizgenError

            raise QuizgenError(exc.format_message(), fix="see 'quizgen exam --help'") from None


def _positive(ctx: click.Context, param: click.Parameter, value: int | None) -> int | None:
    if value is not None and value < 1:
        from quizgen.errors import QuizgenError

        name = "/".join(param.opts)
        raise QuizgenError(f"{name} is {value}", where=name, fix="give a whole number of 1 or more")
    return value


@click.command(cls=_OneLineErrors, short_help="Exam PDFs in many versions, with answer key, solutions and grading CSV.")
@click.argument("bank")
@click.option("-n", "--versions", "n", type=int, default=1, show_default=True, callback=_positive,
              help="Number of distinct versions.")
@click.option("--seed", type=int, default=None, help="Seed of the draw (default: the bank's seed).")
@click.option("-o", "--output", "out", type=click.Path(file_okay=False), default="output", show_default=True,
              help="Folder for the PDFs, .tex sources and CSV.")
@click.option("--lang", type=click.Choice(["en", "it"]), default=None, help="Language (default: the bank's).")
@click.option("--date", default=None, help="Date printed on every page (default: the bank's, else a blank line).")
@click.option("--jobs", type=int, default=None, callback=_positive,
              help="pdflatex processes at once (default: the number of CPUs).")
@click.option("--split", is_flag=True, help="Also write one PDF per version (<bank>-V01.pdf, ...).")
@click.option("--force", is_flag=True, help="Overwrite existing files.")
@click.option("--torch-check", is_flag=True, help="Check every answer with PyTorch first; any disagreement: "
              "print it, write nothing, exit 1.")
def command(bank: str, n: int, seed: int | None, out: str, lang: str | None, date: str | None, jobs: int | None,
            split: bool, force: bool, torch_check: bool) -> None:
    """Write N distinct versions of BANK's exam as one PDF (each version from an odd page), an answer key
    PDF, a worked-solutions PDF, their .tex sources and a grading CSV.

    Example: quizgen exam lecture -n 30 --seed 2026 -o output/
    """
    import time
    from pathlib import Path

    from quizgen.bank.load import load_bank
    from quizgen.render.compile import LatexError, install_hint
    from quizgen.render.exam import build_exam, draw_versions
    from quizgen.text.numbers import plain
    from quizgen.text.templating import text

    started = time.perf_counter()
    loaded = load_bank(bank)
    language = lang or loaded.lang
    workers = jobs or os.cpu_count() or 1
    versions = draw_versions(loaded, n, seed, language, workers)
    if torch_check:
        from quizgen.verify.torch_check import check_problems, require_torch

        require_torch()
        problems = [q.problem for v in versions for q in v.questions]
        disagreements = check_problems(problems)
        if disagreements:
            for line in disagreements:
                click.echo(f"torch: {line}", err=True)
            click.echo(f"error: PyTorch disagrees on {len(disagreements)} answer(s); nothing written", err=True)
            sys.exit(1)
    out_dir = Path(out)
    try:
        result = build_exam(loaded, versions, language, date if date is not None else loaded.date, out_dir,
                            jobs=workers, split=split, force=force)
    except LatexError as exc:
        click.echo(exc.report(), err=True)
        sys.exit(1)
    if not result.compiled:
        click.echo(text(language, "exam_tex_only", out=out_dir), err=True)
        click.echo(install_hint(), err=True)
        sys.exit(1)
    for path in result.files:
        click.echo(str(path))
    click.echo(text(language, "exam_done", versions=n, pages=sum(result.pages.values()),
                    seconds=plain(time.perf_counter() - started, 1, language), out=out_dir), err=True)
