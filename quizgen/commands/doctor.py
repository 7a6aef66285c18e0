"""``quizgen doctor``: what this machine has, what each missing piece disables, and how to install it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass

import click

APT = "sudo apt-get install"
TEXLIVE = ("texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended texlive-pictures "
           "texlive-lang-italian lmodern")
TORCH = "pip install torch --index-url https://download.pytorch.org/whl/cpu"
PYTHON_MODULES = ("click", "sympy", "jinja2", "yaml", "pylatex", "lxml", "babel")


@dataclass(frozen=True)
class Check:
    """One piece: whether it is there, what it gives (or what its absence disables), how to install it."""

    name: str
    found: str | None  # what was found (a version, a path), None when missing
    needed: bool  # the main job (exam PDFs, Moodle XML, practice page) cannot run without it
    disables: str
    install: str = ""


def _version(command: list[str]) -> str:
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=20, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.splitlines()[0].strip() if out else ""


def _tool(name: str, needed: bool, disables: str, install: str, version_flag: str = "--version") -> Check:
    path = shutil.which(name)
    found = None if path is None else (_version([path, version_flag])[:60] or path)
    return Check(name, found, needed, disables, install)


def latex_files() -> list[str]:
    """Every class, package and babel language file the exam templates load (for kpsewhich)."""
    from quizgen.render.latex import BABEL
    from quizgen.text.templating import templates_dir

    names: dict[str, None] = {}
    for template in sorted((templates_dir() / "exam").glob("*.j2")):
        source = template.read_text(encoding="utf-8")
        for kind, group in re.findall(r"\\(documentclass|usepackage)(?:\[[^\]]*\])?\{([^}]*)\}", source):
            for name in group.split(","):
                name = name.strip()
                if name and "\\" not in name:
                    names[f"{name}.{'cls' if kind == 'documentclass' else 'sty'}"] = None
    names["babel.sty"] = None
    for language in BABEL.values():
        names[f"{language}.ldf"] = None
    return list(names)


def _latex_checks() -> list[Check]:
    kpsewhich = shutil.which("kpsewhich")
    disables = "exam PDFs (quizgen exam writes the .tex sources only)"
    if kpsewhich is None:
        return [Check("LaTeX packages", None, True, disables + "; kpsewhich is missing, so they cannot be checked",
                      f"{APT} {TEXLIVE}")]
    files = latex_files()
    try:
        out = subprocess.run([kpsewhich, *files], capture_output=True, text=True, timeout=60, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        out = ""
    present = {line.rsplit("/", 1)[-1] for line in out.splitlines()}
    missing = [f for f in files if f not in present]
    found = None if missing else f"all {len(files)} ({', '.join(f.rsplit('.', 1)[0] for f in files)})"
    what = "LaTeX packages" if not missing else "LaTeX packages: missing " + ", ".join(missing)
    return [Check(what, found, True, disables, f"{APT} {TEXLIVE} (or tlmgr install " +
                  " ".join(f.rsplit(".", 1)[0] for f in missing) + ")" if missing else "")]


def _torch_checks() -> list[Check]:
    import importlib.util

    disables = "solve --torch, --torch-check and quizgen verify (the PyTorch cross-check)"
    if importlib.util.find_spec("torch") is None:
        return [Check("torch", None, False, disables, TORCH),
                Check("CUDA", None, False, "verify --device cuda (the CPU does the same, slower)",
                      "a CUDA build of torch on a machine with an NVIDIA GPU")]
    import torch

    cuda = torch.cuda.is_available()
    return [Check("torch", torch.__version__, False, disables, TORCH),
            Check("CUDA", torch.cuda.get_device_name() if cuda else None, False,
                  "verify --device cuda (the CPU does the same, slower)",
                  "a CUDA build of torch on a machine with an NVIDIA GPU")]


def checks() -> list[Check]:
    """Every piece quizgen uses, in the order the report lists them."""
    import importlib.util

    found = []
    ok_python = sys.version_info >= (3, 11)
    found.append(Check("Python", sys.version.split()[0] if ok_python else None, True,
                       "everything (quizgen needs Python 3.11 or newer)", "install Python 3.11 or newer"))
    missing = [m for m in PYTHON_MODULES if importlib.util.find_spec(m) is None]
    found.append(Check("Python packages" + (": missing " + ", ".join(missing) if missing else ""),
                       None if missing else ", ".join(PYTHON_MODULES), True, "everything", "pip install quizgen"))
    try:
        from quizgen.text.templating import banks_dir, templates_dir

        data = f"{templates_dir()}, {banks_dir()}"
    except FileNotFoundError:
        data = None
    found.append(Check("templates and banks", data, True, "everything", "reinstall quizgen (pip install quizgen)"))
    found.append(_tool("pdflatex", True, "exam PDFs (quizgen exam writes the .tex sources only)", f"{APT} {TEXLIVE}"))
    found += _latex_checks()
    found.append(_tool("latexmk", False, "nothing in quizgen (it runs pdflatex itself); handy to rebuild a .tex by "
                       "hand", f"{APT} latexmk", "-v"))
    found.append(_tool("pdftotext", False, "the test suite's reading of the PDFs back", f"{APT} poppler-utils", "-v"))
    found += _torch_checks()
    chromium = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)),
                    None)
    found.append(Check("Chromium", chromium, False, "the test suite's clicks through the practice page "
                       "(the page itself runs in any browser)", f"{APT} chromium"))
    return found


def report(found: list[Check]) -> tuple[str, bool]:
    """The report's text, and whether the main job can run."""
    width = max(len(c.name.split(":")[0]) for c in found)
    lines = []
    for c in found:
        if c.found is not None:
            lines.append(f"ok       {c.name:<{width}}  {c.found}")
        else:
            mark = "MISSING" if c.needed else "missing"
            lines.append(f"{mark:<8} {c.name:<{width}}  disables {c.disables}")
            if c.install:
                lines.append(f"{'':<8} {'':<{width}}  install: {c.install}")
    ready = all(c.found is not None for c in found if c.needed)
    lines.append("")
    lines.append("ready: quizgen can write exam PDFs, Moodle XML, GIFT and practice pages" if ready else
                 "not ready: install what is marked MISSING above")
    return "\n".join(lines), ready


@click.command(short_help="Check what this machine has for quizgen, and how to install what is missing.")
def command() -> None:
    """List Python, pdflatex, every LaTeX package the exam templates load, latexmk, pdftotext, torch,
    CUDA and Chromium: what was found, what each missing piece disables and the command that installs
    it. Exit status 0 when the main job (exam PDFs, Moodle XML, practice page) can run, else 1.

    Example: quizgen doctor
    """
    text, ready = report(checks())
    click.echo(text)
    if not ready:
        raise SystemExit(1)
