"""Compiling LaTeX to PDF: pdflatex runs in parallel, reruns until references settle, readable errors.

pdflatex runs with ``-interaction=nonstopmode -halt-on-error -no-shell-escape`` in a private build
folder, with a fixed ``SOURCE_DATE_EPOCH`` so that the same source gives the same PDF bytes. A slice
of a multi-version source is compiled by defining ``\\QGfirst``/``\\QGlast`` on the command line
before ``\\input``-ing it, so the file a user reads is exactly the file that was compiled. On an
error the log's offending lines and the source location are reported (``LatexError``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from quizgen.errors import location as where_in

MAX_PASSES = 4
FLAGS = ("-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "-file-line-error")
# Debian packages that hold everything the exam templates use (scripts/setup.sh installs them)
DEBIAN_PACKAGES = ("texlive-latex-recommended", "texlive-latex-extra", "texlive-fonts-recommended",
                   "texlive-pictures", "texlive-lang-italian", "lmodern")
LATEX_PACKAGES = ("babel-italian", "lm", "microtype", "amsmath", "booktabs", "tools", "enumitem", "xcolor",
                  "pgf", "adjustbox", "fancyhdr", "pdfpages")
_PAGES = re.compile(rb"Output written on .*?\((\d+) pages?")


@dataclass(frozen=True)
class Job:
    """One pdflatex compile: ``source`` (a .tex in the build folder) to ``name``.pdf.

    ``first``/``last`` select a slice of versions (1-based, inclusive); ``passes`` is the most
    runs allowed (1 for files without cross-references, e.g. page joins).
    """

    name: str
    source: str
    first: int | None = None
    last: int | None = None
    passes: int = MAX_PASSES


@dataclass(frozen=True)
class Result:
    """A finished job: its PDF, page count, number of pdflatex runs and the .aux text."""

    job: Job
    pdf: Path
    pages: int
    runs: int
    aux: str


class LatexError(Exception):
    """pdflatex stopped: the log lines that say why, and where in which source."""

    def __init__(self, job: str, message: str, excerpt: list[str], location: str, source_lines: list[str],
                 fix: str = "") -> None:
        self.job = job
        self.message = message
        self.excerpt = excerpt
        self.location = location
        self.source_lines = source_lines
        self.fix = fix
        super().__init__(message)

    def report(self) -> str:
        """The multi-line explanation printed by the CLI."""
        lines = [f"error: LaTeX stopped in {self.location or self.job}: {self.message}"]
        if self.excerpt:
            lines.append("log:")
            lines += ["  " + line for line in self.excerpt]
        if self.source_lines:
            lines.append("source:")
            lines += ["  " + line for line in self.source_lines]
        if self.fix:
            lines.append(self.fix)
        return "\n".join(lines)


def pdflatex() -> str | None:
    """The pdflatex executable, or None when TeX Live is not installed."""
    return shutil.which("pdflatex")


def install_hint() -> str:
    """Exactly what to install when pdflatex (or a LaTeX package) is missing."""
    return ("install TeX Live: 'sudo apt-get install " + " ".join(DEBIAN_PACKAGES) + "' (or 'make setup' as root); "
            "with tlmgr: 'tlmgr install " + " ".join(LATEX_PACKAGES) + "'")


def environment() -> dict[str, str]:
    """pdflatex's environment: fixed dates so the PDFs are reproducible byte for byte."""
    env = dict(os.environ)
    env.update(SOURCE_DATE_EPOCH="0", FORCE_SOURCE_DATE="1", TZ="UTC", LC_ALL="C")
    return env


def _command(exe: str, job: Job) -> list[str]:
    if job.first is None:
        driver = job.source
    else:
        driver = rf"\def\QGfirst{{{job.first}}}\def\QGlast{{{job.last}}}\input{{{job.source}}}"
    return [exe, *FLAGS, f"-jobname={job.name}", driver]


def run(job: Job, build: Path, exe: str | None = None) -> Result:
    """Compile one job, rerunning until its .aux stops changing; LatexError on failure."""
    exe = exe or pdflatex()
    assert exe is not None, "pdflatex() is None: check before compiling"
    aux_path = build / f"{job.name}.aux"
    previous = None
    runs = 0
    while True:
        proc = _pdflatex(_command(exe, job), build)
        runs += 1
        log = (build / f"{job.name}.log").read_bytes() if (build / f"{job.name}.log").exists() else proc.stdout
        if proc.returncode != 0:
            raise parse_error(job, log.decode("utf-8", "replace"), build)
        aux = aux_path.read_text(encoding="utf-8", errors="replace") if aux_path.exists() else ""
        if aux == previous or runs >= job.passes or (runs == 1 and r"\newlabel" not in aux):
            break
        previous = aux
    found = _PAGES.search(log)
    pages = int(found.group(1)) if found else 0
    return Result(job, build / f"{job.name}.pdf", pages, runs, aux)


def run_all(jobs: Iterable[Job], build: Path, workers: int) -> list[Result]:
    """Compile jobs in parallel (at most ``workers`` pdflatex at once); results in the jobs' order."""
    jobs = list(jobs)
    exe = pdflatex()
    _STOPPING.clear()  # a run stopped earlier in this process must not stop this one
    if workers <= 1 or len(jobs) <= 1:
        return [run(j, build, exe) for j in jobs]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(run, j, build, exe) for j in jobs]
        try:
            return [f.result() for f in futures]
        except BaseException:
            # Ctrl-C, SIGTERM or a failed job: queued jobs never start and running pdflatex processes end now
            for f in futures:
                f.cancel()
            stop_running()
            raise


_RUNNING: set[subprocess.Popen] = set()
_RUNNING_LOCK = threading.Lock()
_STOPPING = threading.Event()


def _pdflatex(command: list[str], build: Path) -> subprocess.CompletedProcess:
    """One pdflatex run, registered so that ``stop_running`` can end it."""
    if _STOPPING.is_set():
        return subprocess.CompletedProcess(command, -9, b"stopped")
    with subprocess.Popen(command, cwd=build, env=environment(), stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT) as proc:
        with _RUNNING_LOCK:
            _RUNNING.add(proc)
        try:
            out, _ = proc.communicate()
        finally:
            with _RUNNING_LOCK:
                _RUNNING.discard(proc)
    return subprocess.CompletedProcess(command, proc.returncode, out)


def stop_running() -> None:
    """End every pdflatex this process is running (their threads then see a failed run and stop)."""
    _STOPPING.set()
    with _RUNNING_LOCK:
        running = list(_RUNNING)
    for proc in running:
        try:
            proc.kill()
        except OSError:
            pass


_FILE_LINE = re.compile(r"^(\S*?\.(?:tex|sty|cls|def|cfg)):(\d+): (.*)$")
_MISSING = re.compile(r"File `([^']+)' not found")


def parse_error(job: Job, log: str, build: Path) -> LatexError:
    """The first error of a pdflatex log, with the log lines around it and the source lines it names."""
    lines = log.splitlines()
    start = None
    for i, line in enumerate(lines):
        if _FILE_LINE.match(line) or line.startswith("! "):
            start = i
            break
    if start is None:
        tail = [line for line in lines[-12:] if line.strip()]
        return LatexError(job.name, "pdflatex failed without an error message", tail, "", [])
    excerpt = []
    for j in range(start, min(len(lines), start + 12)):
        excerpt.append(lines[j])
        if re.match(r"^l\.\d+", lines[j]):
            excerpt += lines[j + 1:j + 2]
            break
    m = _FILE_LINE.match(lines[start])
    message = m.group(3) if m else lines[start][2:]
    location, source_lines = "", []
    if m:
        file_name = Path(m.group(1)).name
        number = int(m.group(2))
        location = where_in(file_name, number)
        path = build / file_name
        if path.exists():
            text = path.read_text(encoding="utf-8", errors="replace").splitlines()
            lo, hi = max(1, number - 2), min(len(text), number + 2)
            source_lines = [f"{n:>6} {'>' if n == number else ' '} {text[n - 1]}" for n in range(lo, hi + 1)]
    fix = ""
    missing = _MISSING.search(log)
    if missing:
        fix = f"the LaTeX package file {missing.group(1)} is missing; " + install_hint()
    return LatexError(job.name, message, excerpt, location, source_lines, fix)


def version_pages(aux: str) -> dict[str, int]:
    """Version code -> its number of pages, from the ``qg-<code>-last`` labels of a compiled slice."""
    return {m.group(1): int(m.group(2))
            for m in re.finditer(r"\\newlabel\{qg-([^}]+)-last\}\{\{[^}]*\}\{(\d+)\}", aux)}
