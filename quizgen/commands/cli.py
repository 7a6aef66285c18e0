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
from quizgen.errors import QuizgenError, from_os_error

# command name -> module under quizgen.commands (each defines `command`); the output formats are the writers
COMMANDS: dict[str, str] = {
    "solve": "solve",
    "families": "families",
    "params": "params",
    "misconceptions": "misconceptions",
    "sample": "sample",
    "stress": "stress",
    **WRITERS,
    "practice": "practice",
    "verify": "verify",
    "bench": "bench",
    "doctor": "doctor",
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
        if module is None:
            return None
        from quizgen.commands.outputs import guard

        return guard(module.command)


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


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised where the program is, so that it cleans up as after Ctrl-C."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, frame: object) -> None:
    raise Stopped(signum)


def _interrupted(exc: BaseException) -> None:
    signum = exc.signum if isinstance(exc, Stopped) else 2
    click.echo("interrupted" if signum == 2 else f"stopped (signal {signum})", err=True)
    sys.exit(128 + signum)


def main() -> None:
    """The console script: every user mistake ends as one line on stderr and exit status 2."""
    import signal
    import threading

    previous = {}
    if threading.current_thread() is threading.main_thread():
        for name in ("SIGTERM", "SIGHUP"):
            if hasattr(signal, name):
                previous[getattr(signal, name)] = signal.signal(getattr(signal, name), _stop)
    try:
        _main()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _main() -> None:
    try:
        cli.main(prog_name="quizgen", standalone_mode=False)
    except QuizgenError as exc:
        _fail(exc)
    except click.exceptions.Abort as exc:
        if isinstance(exc.__context__, KeyboardInterrupt):
            _interrupted(exc.__context__)
        click.echo("aborted", err=True)
        sys.exit(1)
    except KeyboardInterrupt as exc:
        _interrupted(exc)
    except click.UsageError as exc:
        _fail(option_error(exc))
    except click.ClickException as exc:
        _fail(QuizgenError(exc.format_message()))
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        _quiet_stdout()
        sys.exit(0)
    except OSError as exc:
        _fail(from_os_error(exc))
    except RecursionError:
        _fail(QuizgenError("the input is nested too deeply", fix="write it with fewer levels of lists and mappings"))
    except MemoryError:
        _fail(QuizgenError("out of memory", fix="ask for less (a smaller -n, count or network)"))


def _fail(exc: QuizgenError) -> None:
    try:
        click.echo(f"error: {exc.one_line()}", err=True)
    finally:
        sys.exit(2)


def _quiet_stdout() -> None:
    """After a closed pipe, point stdout at /dev/null so Python's final flush does not complain."""
    import os

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def option_error(exc: click.UsageError) -> QuizgenError:
    """A bad option or argument as one QuizgenError naming the option, instead of click's usage block."""
    fix = f"see '{exc.ctx.command_path} --help'" if exc.ctx is not None else "see 'quizgen --help'"
    if isinstance(exc, click.NoSuchOption):
        close = sorted(exc.possibilities or ())
        return QuizgenError("no such option", where=f"option {exc.option_name}",
                            fix=f"did you mean {' or '.join(close)}? ({fix})" if close else fix)
    param = getattr(exc, "param", None)
    if isinstance(exc, click.BadParameter) and param is not None and not isinstance(exc, click.MissingParameter):
        if isinstance(param, click.Option):
            where = "option " + "/".join(param.opts)
        else:
            where = f"argument {param.human_readable_name}"
        return QuizgenError(exc.message.rstrip("."), where=where, fix=fix)
    return QuizgenError(" ".join(exc.format_message().split()).rstrip("."), fix=fix)
