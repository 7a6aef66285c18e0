"""One driver for every output format, many writers (R/exams' ``xexams``: draw → check → write).

A writer is a module under ``quizgen/commands/`` named in ``WRITERS``: it defines ``WRITER`` (an object
with the ``Writer`` protocol's attributes and methods) and ``command = writer_command(WRITER, ...its own
options)``. The driver loads the bank, refuses to overwrite what exists, draws the writer's problems,
recounts them in PyTorch when asked (``--torch-check``, written here once) and hands them to the writer,
which renders and writes its files atomically. The options every writer shares (-n, --seed, --lang,
-o/--output, --force, --torch-check) are declared here once, each writer saying only its defaults and words.

Writer modules import only click at top level (the renderers inside their methods), so ``quizgen --help``
stays fast.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import click

# command name -> module defining WRITER and command; cli.py lists them with the other commands
WRITERS: dict[str, str] = {
    "exam": "exam",
    "moodle": "moodle",
    "gift": "gift",
    "practice-html": "practice_html",
}

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


@dataclass(frozen=True)
class Request:
    """What a run of a writer's command asked for: the shared options, then the writer's own."""

    bank: str
    n: int
    seed: int | None
    lang: str | None
    output: str | None
    force: bool
    torch_check: bool = False
    lenient: bool = False
    options: dict[str, Any] = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter)


class Writer(Protocol):
    """An output format. ``draw`` returns what ``write`` needs (versions, categories, variants) and ``problems``
    lists the problems in it, for the PyTorch check."""

    name: str  # the command: ``quizgen <name> BANK``

    def outputs(self, bank: Any, request: Request) -> list[Path]:
        """The files to write, refused before anything is drawn when one exists and --force is not given."""
        ...

    def draw(self, bank: Any, request: Request) -> Any:
        """The bank's problems as this format arranges them."""
        ...

    def problems(self, drawn: Any) -> Sequence[Any]:
        """Every problem in what ``draw`` returned."""
        ...

    def write(self, bank: Any, drawn: Any, request: Request) -> None:
        """Render and write the files (atomically), then say what was written."""
        ...


def run(writer: Writer, request: Request) -> None:
    """The pipeline every writer goes through: bank → planned outputs → draw → (PyTorch check) → write."""
    from quizgen.bank.load import load_bank
    from quizgen.commands.outputs import plan

    bank = load_bank(request.bank, lenient=request.lenient)
    warn(bank)
    plan(writer.outputs(bank, request), request.force)
    if request.torch_check:
        from quizgen.verify.torch_check import require_torch

        require_torch()
    drawn = writer.draw(bank, request)
    if request.torch_check:
        torch_check(writer.problems(drawn))
    writer.write(bank, drawn, request)


def warn(bank: Any) -> None:
    """Print what a lenient load ignored, one line each, on stderr."""
    for line in bank.warnings:
        click.echo(f"warning: {line}", err=True)


def torch_check(problems: Sequence[Any]) -> None:
    """Recount every problem in PyTorch; on any disagreement print each, write nothing and exit 1."""
    from quizgen.verify.torch_check import check_problems

    disagreements = check_problems(problems)
    if disagreements:
        for line in disagreements:
            click.echo(f"torch disagrees: {line}", err=True)
        click.echo(f"{len(disagreements)} disagreement(s) with PyTorch; nothing written", err=True)
        sys.exit(1)  # not click's Exit: the entry point runs click with standalone_mode off, which returns it


# --- the shared options, declared once -------------------------------------------------------------


def bank_argument(default: str | None = None) -> Decorator:
    return click.argument("bank", default=default) if default else click.argument("bank")


def count_option(*flags: str, default: int, help: str, **kwargs: Any) -> Decorator:  # noqa: A002 - click's word
    """-n: how many versions or variants (the writer says what they are, and how many it allows)."""
    return click.option("-n", *flags, "n", type=kwargs.pop("type", int), default=default, show_default=True, help=help,
                        **kwargs)


def seed_option() -> Decorator:
    return click.option("--seed", type=int, default=None, help="Seed of the draw [default: the bank's seed].")


def lang_option(choices: Sequence[str] = ("en", "it"), default: str | None = None,
                help: str = "Language [default: the bank's].") -> Decorator:  # noqa: A002
    return click.option("--lang", type=click.Choice(list(choices)), default=default, show_default=default is not None,
                        help=help)


def output_option(help: str, default: str | None = None, folder: bool = False) -> Decorator:  # noqa: A002
    kind = click.Path(file_okay=False) if folder else click.Path(dir_okay=False)
    return click.option("-o", "--output", "output", type=kind, default=default, show_default=default is not None,
                        help=help)


def force_option(help: str = "Overwrite the output file if it exists.") -> Decorator:  # noqa: A002
    return click.option("--force", is_flag=True, help=help)


def lenient_option() -> Decorator:
    return click.option("--lenient", is_flag=True,
                        help="A value fixed for a parameter that its entry's difficulty does not use, or that its "
                             "own network replaces, is a warning (the value is ignored), not an error.")


def torch_check_option() -> Decorator:
    return click.option("--torch-check", is_flag=True,
                        help="Recount every problem in PyTorch first; any disagreement: exit 1, nothing written.")


def writer_command(writer: Writer, shared: Sequence[Decorator], own: Sequence[Decorator] = (),
                   **settings: Any) -> click.Command:
    """The click command of a writer: the shared options it takes, then its own; ``settings`` go to click
    (``short_help``, ``cls``); the docstring is the writer's."""
    shared_names = {"bank", "n", "seed", "lang", "output", "force", "torch_check", "lenient"}

    def callback(**values: Any) -> None:
        common = {k: values.pop(k) for k in shared_names if k in values}
        run(writer, Request(options=values, **common))

    callback.__doc__ = type(writer).__doc__
    for decorator in reversed([*shared, *own, lenient_option()]):  # every writer reads a bank
        callback = decorator(callback)
    return click.command(writer.name, **settings)(callback)
