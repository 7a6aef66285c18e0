"""The exam pipeline: versions → LaTeX sources + grading CSV → PDFs, written all or nothing.

Sources are rendered first and every output path is planned (nothing overwritten without
--force). PDFs are built in a private folder inside the output folder: the exam and the solutions
are compiled in slices of versions in parallel, then joined page for page; only when every compile
succeeded are the files moved into place (atomic renames). Without pdflatex the .tex sources and
the CSV are written and the caller is told what to install.
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from quizgen.bank.draw import ExamVersion
from quizgen.bank.load import Bank
from quizgen.render import compile as latex_compile
from quizgen.render.compile import Job, LatexError, Result
from quizgen.render.csvkey import grading_csv
from quizgen.render.latex import ExamSources, render_merge, render_sources

SLICE_VERSIONS = 8  # versions per compiled slice: fixed, so the PDFs do not depend on --jobs


@dataclass(frozen=True)
class ExamFiles:
    """Where each output goes (``split`` holds one exam PDF per version)."""

    exam_pdf: Path
    key_pdf: Path
    solutions_pdf: Path
    exam_tex: Path
    key_tex: Path
    solutions_tex: Path
    csv: Path
    split: tuple[Path, ...] = ()

    def sources(self) -> list[Path]:
        return [self.exam_tex, self.key_tex, self.solutions_tex, self.csv]

    def pdfs(self) -> list[Path]:
        return [self.exam_pdf, self.key_pdf, self.solutions_pdf, *self.split]


@dataclass(frozen=True)
class ExamResult:
    """What a build wrote: the files, pages per PDF, pdflatex runs, and whether PDFs were made."""

    files: list[Path]
    compiled: bool
    pages: dict[str, int] = field(default_factory=dict)
    pdflatex_runs: int = 0


def exam_files(out: Path, stem: str, versions: list[ExamVersion], split: bool) -> ExamFiles:
    """The output paths for a bank's exam in ``out``."""
    return ExamFiles(
        exam_pdf=out / f"{stem}-exam.pdf", key_pdf=out / f"{stem}-key.pdf",
        solutions_pdf=out / f"{stem}-solutions.pdf", exam_tex=out / f"{stem}-exam.tex",
        key_tex=out / f"{stem}-key.tex", solutions_tex=out / f"{stem}-solutions.tex",
        csv=out / f"{stem}-grading.csv",
        split=tuple(out / f"{stem}-{v.code}.pdf" for v in versions) if split else (),
    )


def slices(n: int, size: int) -> list[tuple[int, int]]:
    """Versions 1..n cut into contiguous slices of near-equal length, at most ``size`` each."""
    count = max(1, math.ceil(n / size))
    bounds = [round(i * n / count) for i in range(count + 1)]
    return [(bounds[i] + 1, bounds[i + 1]) for i in range(count)]


def _slice_jobs(name: str, source: str, n: int) -> list[Job]:
    parts = slices(n, SLICE_VERSIONS)
    if len(parts) == 1:
        return [Job(name, source)]
    return [Job(f"{name}-{i + 1:03d}", source, a, b) for i, (a, b) in enumerate(parts)]


def _join(build: Path, name: str, pieces: list[tuple[str, str]], title: str) -> Job:
    (build / f"{name}.tex").write_text(render_merge(pieces, title), encoding="utf-8")
    return Job(name, f"{name}.tex", passes=1)


def _split_jobs(build: Path, stem: str, versions: list[ExamVersion], results: list[Result],
                title: str) -> list[Job]:
    """One job per version that takes its pages (without the blank filler page) out of its slice."""
    jobs = []
    codes = iter(versions)
    for result in results:
        pages = latex_compile.version_pages(result.aux)
        first = result.job.first or 1
        last = result.job.last or len(versions)
        start = 1
        for _ in range(first, last + 1):
            version = next(codes)
            count = pages[version.code]
            jobs.append(_join(build, f"{stem}-{version.code}", [(result.pdf.name, f"{start}-{start + count - 1}")],
                              f"{title} {version.code}"))
            start += count + (count % 2)
    return jobs


class Output(Protocol):
    """How the files are written: ``quizgen.commands.outputs`` (nothing overwritten without force, every write
    atomic), handed in by the command."""

    def plan(self, paths: list[Path], force: bool) -> None: ...

    def write_atomic(self, path: Path, data: str | bytes) -> None: ...


def build_exam(bank: Bank, versions: list[ExamVersion], lang: str, date: str, out: Path, *, jobs: int,
               split: bool, force: bool, output: Output, sources: ExamSources | None = None) -> ExamResult:
    """Write the exam, key, solutions (PDF + .tex), the grading CSV and, with ``split``, one PDF per version."""
    sources = sources or render_sources(bank, versions, lang, date)
    csv_text = grading_csv(versions)
    files = exam_files(out, bank.stem, versions, split)
    have_tex = latex_compile.pdflatex() is not None
    output.plan(files.sources() + (files.pdfs() if have_tex else []), force)
    texts = {files.exam_tex: sources.exam, files.key_tex: sources.key, files.solutions_tex: sources.solutions}
    if not have_tex:
        for path, text in texts.items():
            output.write_atomic(path, text)
        output.write_atomic(files.csv, csv_text)
        return ExamResult(files.sources(), compiled=False)
    out.mkdir(parents=True, exist_ok=True)
    build = Path(tempfile.mkdtemp(prefix=".quizgen-build-", dir=out))
    try:
        for path, text in texts.items():
            (build / path.name).write_text(text, encoding="utf-8")
        exam_jobs = _slice_jobs(files.exam_pdf.stem, files.exam_tex.name, len(versions))
        solution_jobs = _slice_jobs(files.solutions_pdf.stem, files.solutions_tex.name, len(versions))
        key_job = Job(files.key_pdf.stem, files.key_tex.name)
        try:
            first = latex_compile.run_all([*exam_jobs, *solution_jobs, key_job], build, jobs)
            exam_results = first[:len(exam_jobs)]
            solution_results = first[len(exam_jobs):len(exam_jobs) + len(solution_jobs)]
            second: list[Job] = []
            title = bank.title
            if len(exam_results) > 1:
                second.append(_join(build, files.exam_pdf.stem, [(r.pdf.name, "-") for r in exam_results], title))
            if len(solution_results) > 1:
                second.append(_join(build, files.solutions_pdf.stem,
                                    [(r.pdf.name, "-") for r in solution_results], title))
            if split:
                second += _split_jobs(build, bank.stem, versions, exam_results, title)
            joined = latex_compile.run_all(second, build, jobs)
        except LatexError as exc:
            # the sources are complete files: leave them where the error message points, with the CSV
            for path, text in texts.items():
                output.write_atomic(path, text)
            output.write_atomic(files.csv, csv_text)
            if exc.location:
                exc.location = str(out / exc.location)
            raise
        results = {r.job.name: r for r in first + joined}
        for path, text in texts.items():
            output.write_atomic(path, text)
        output.write_atomic(files.csv, csv_text)
        pages = {}
        for pdf in files.pdfs():
            result = results[pdf.stem]
            os.replace(result.pdf, pdf)
            pages[pdf.name] = result.pages
        runs = sum(r.runs for r in results.values())
    finally:
        shutil.rmtree(build, ignore_errors=True)
    return ExamResult(files.sources() + files.pdfs(), compiled=True, pages=pages, pdflatex_runs=runs)
