"""The ``quizgen`` command: a click group whose commands live in ``quizgen/commands/``.

Command modules import only click at top level (heavy modules inside the command), so
``quizgen --help`` starts fast. A QuizgenError becomes one line on stderr and exit status 2.
"""

from __future__ import annotations

import importlib
import sys

import click

from quizgen import __version__
from quizgen.commands.writers import WRITERS
from quizgen.errors import QuizgenError

# command name -> module under quizgen.commands (each defines `command`); the output formats are the writers
COMMANDS: dict[str, str] = {
    "solve": "solve",
    "families": "families",
    "sample": "sample",
    "stress": "stress",
    **WRITERS,
    "practice": "practice",
    "verify": "verify",
    "bench": "bench",
}


class LazyGroup(click.Group):
    """Loads a command's module only when that command (or the help listing) needs it."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if self._module(name) is not None]

    def _module(self, name: str):  # noqa: ANN202
        try:
            return importlib.import_module(f"quizgen.commands.{COMMANDS[name]}")
        except ModuleNotFoundError as exc:
            if exc.name == f"quizgen.commands.{COMMANDS[name]}":
                return None
            raise

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module = self._module(name)
        return None if module is None else module.command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="quizgen")
def cli() -> None:
    """Randomized, verified exercises and exams on convolutional neural networks.

    Every number is computed by the engine and checked against the lecture's formula in sympy.
    Examples:

    \b
      quizgen solve lenet5 --explain
      quizgen sample conv-conv --difficulty 2 --lang it
      quizgen exam lecture -n 30 --seed 2026 -o output/
      quizgen moodle lecture -n 50 -o output/bank.xml
    """


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except QuizgenError as exc:
        click.echo(f"error: {exc.one_line()}", err=True)
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        sys.exit(0)
