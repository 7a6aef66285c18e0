"""Helpers for the exam tests: a bank covering every family that exists, the CLI in-process, pdftotext."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
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


def write_bank(path: Path, lang: str = "en", title: str = "CNN test exam", families: list[str] | None = None) -> Path:
    """A bank with one entry per available family, difficulties cycling 3, 2, 1 (LeNet-5 at every level)."""
    lines = [f"title: {title!r}".replace("'", '"') if '"' not in title else f"title: '{title}'",
             "course: Deep Learning", f"lang: {lang}", "seed: 11", "instructions: Show your working.", "entries:"]
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
