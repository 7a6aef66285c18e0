"""Helpers for the exam tests: a bank covering every family that exists, the CLI in-process, pdftotext."""

from __future__ import annotations

import html
import importlib
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from quizgen.problems import FAMILY_MODULES, family


def available_families() -> list[str]:
    """Families whose module is importable now (others are still being written)."""
    found = []
    for fid, module in FAMILY_MODULES.items():
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name == module:
                continue
            raise
        found.append(fid)
    return found


def write_bank(path: Path, lang: str = "en", title: str = "CNN test exam", families: list[str] | None = None,
               extra: tuple[str, ...] = ()) -> Path:
    """A bank with one entry per available family, difficulties cycling 3, 2, 1 (LeNet-5 at every level).

    ``extra`` lines go before the entries (e.g. ``work: none``).
    """
    lines = [f"title: {title!r}".replace("'", '"') if '"' not in title else f"title: '{title}'",
             "course: Deep Learning", f"lang: {lang}", "seed: 11", "instructions: Show your working.", *extra,
             "entries:"]
    for i, fid in enumerate(families or available_families()):
        levels = family(fid).difficulties
        chosen = levels if fid in ("lenet5", "alexnet") else [levels[(len(levels) - 1 - i) % len(levels)]]
        for d in chosen:
            lines.append(f"  - {{family: {fid}, difficulty: {d}}}")  # one point per answer
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run ``quizgen ARGS`` in this process: (exit status, stdout, stderr)."""
    from quizgen.commands.cli import main

    old = sys.argv
    sys.argv = ["quizgen", *args]
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv = old
    out, err = capsys.readouterr()
    return code, out, err


def pdf_pages(path: Path) -> list[str]:
    """The text of each page (pdftotext, reading order), thin spaces inside numbers removed."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages = pages[:-1]
    return [normalize(p) for p in pages]


def normalize(text: str) -> str:
    """Join digit groups split by thin spaces (``34 944`` → ``34944``) and unify spaces."""
    text = text.replace("\u2009", " ").replace("\u202f", " ").replace("\xa0", " ")
    for _ in range(3):
        text = re.sub(r"(\d) (\d{3})(?!\d)", r"\1\2", text)
    return text


def plain_answer(value: object, decimals: int = 0) -> str:
    """A part's answer as pdftotext shows it after ``normalize``."""
    from fractions import Fraction

    from quizgen.text import numbers

    shown = numbers.latex(value if isinstance(value, (int, Fraction)) else Fraction(str(value)), decimals)
    return shown.replace(r"\,", "")


@dataclass(frozen=True)
class Word:
    """A word pdftotext found on a page, with its box (points from the page's top left)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float


HEAD_BOTTOM = 43.0  # points from the top: the running head lies above (the head rule is below it)
BODY_BOTTOM = 790.0  # the running foot lies below


def pdf_words(path: Path) -> list[list[Word]]:
    """Every page's words with their boxes (``pdftotext -bbox``)."""
    html_text = subprocess.run(["pdftotext", "-bbox", "-enc", "UTF-8", str(path), "-"], check=True,
                               capture_output=True, text=True).stdout
    pages = []
    for page in re.findall(r"<page [^>]*>(.*?)</page>", html_text, flags=re.S):
        pages.append([Word(html.unescape(m.group(5)), *(float(m.group(i)) for i in range(1, 5)))
                      for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                                           r"(.*?)</word>", page)])
    return pages


def lines(words: list[Word]) -> list[str]:
    """Words grouped into lines from the top of the page down (words whose tops are within 3 pt)."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.y0, w.x0)):
        if rows and abs(rows[-1][0].y0 - word.y0) < 3:
            rows[-1].append(word)
        else:
            rows.append([word])
    return [" ".join(w.text for w in sorted(row, key=lambda w: w.x0)) for row in rows]


def head_words(words: list[Word]) -> list[Word]:
    return [w for w in words if w.y1 < HEAD_BOTTOM]


def body_lines(words: list[Word]) -> list[str]:
    """The page's lines between the running head and the running foot (a "continued" label included)."""
    return lines([w for w in words if w.y0 >= HEAD_BOTTOM - 2 and w.y1 < BODY_BOTTOM])
