"""Writing output files: nothing overwritten without --force, every write atomic, nothing half-written.

Commands first ``plan`` every path they will write (refusing existing files unless forced, and a path
that cannot be written), then write each through a temporary file in the same folder and an atomic
rename, so a failure never leaves a half-written file behind. The rules for any output path:

- ``-`` is standard output;
- a special file (a device, a FIFO, ``/dev/stdout``) is written into, never replaced (no --force needed);
- a symbolic link is followed: its target is written, the link stays;
- an empty path is an error, and so is a failed write (one line naming the file and the fix, exit 2).
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path

import click

from quizgen.errors import QuizgenError, from_os_error

STDOUT = "-"


def is_stdout(path: Path | str) -> bool:
    return str(path) == STDOUT


def _special(path: Path) -> bool:
    """An existing file that is not a regular file or a folder (device, FIFO, socket), links followed."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _writable_folder(path: Path, option: str) -> None:
    """Refuse a target whose nearest existing ancestor is a file, or a folder that cannot be written."""
    parent = path.parent
    while not parent.exists():
        if parent.is_symlink():  # a dangling link in the path
            break
        parent = parent.parent
    if parent.exists() and not parent.is_dir():
        raise QuizgenError(f"{parent} is a file, not a folder", where=option,
                           fix=f"choose an output whose folders are folders, not '{path}'")
    if parent.is_dir() and not os.access(parent, os.W_OK | os.X_OK):
        raise QuizgenError(f"cannot write in {parent} (read-only or not permitted)", where=option,
                           fix="choose a folder you may write to")


def plan(paths: list[Path], force: bool, option: str = "option -o/--output") -> None:
    """Refuse (before writing anything) a target that exists without --force, is a folder, or cannot be written."""
    targets = [Path(p) for p in paths if not is_stdout(p)]
    for path in targets:
        if str(path) in ("", "."):
            raise QuizgenError("the output path is empty", where=option, fix="give a file name, or - for the screen")
        if path.is_dir():
            raise QuizgenError(f"{path} is a folder", where=option, fix="give a file name inside it")
        _writable_folder(path, option)
    existing = [p for p in targets if p.exists() and not _special(p)]
    if existing and not force:
        more = f" (and {len(existing) - 1} more)" if len(existing) > 1 else ""
        raise QuizgenError(f"{existing[0]} already exists{more}", where=option,
                           fix="choose another output or add --force to overwrite")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path | str, data: str | bytes) -> None:
    """Write ``data`` to ``path``: to standard output for ``-``, into a special file as it is, else atomically
    (a temporary file in the same folder, then a rename over the target; a symbolic link's target is replaced,
    never the link). A failure removes the temporary file and is a one-line QuizgenError."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if is_stdout(path):
        sys.stdout.flush()
        sys.stdout.buffer.write(raw)
        sys.stdout.buffer.flush()
        return
    path = Path(path)
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        if _special(target):
            with open(target, "wb") as fh:  # never replaced: a device, FIFO or terminal is written into
                fh.write(raw)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise from_os_error(exc, path) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs get the usual permissions
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise from_os_error(exc, path) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def guard(command: click.Command) -> click.Command:
    """Give a command's -o/--output the common rules: an empty value is refused, and ``-`` (standard output)
    is refused where the output is a folder. Applied once to every command, where the CLI loads it."""
    for param in command.params:
        if not isinstance(param, click.Option) or "--output" not in param.opts or getattr(param, "_guarded", False):
            continue
        folder = isinstance(param.type, click.Path) and not param.type.file_okay
        original = param.callback

        def check(ctx: click.Context, p: click.Parameter, value, original=original, folder=folder):  # noqa: ANN001, ANN202
            if value is not None and not str(value).strip():
                raise click.BadParameter("is empty", ctx=ctx, param=p)
            if folder and value is not None and is_stdout(value):
                raise click.BadParameter("'-' (standard output) cannot hold several files; give a folder",
                                         ctx=ctx, param=p)
            return original(ctx, p, value) if original is not None else value

        param.callback = check
        param._guarded = True  # type: ignore[attr-defined]
    return command
