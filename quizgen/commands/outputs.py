"""Writing output files: nothing overwritten without --force, every write atomic.

Commands first ``plan`` every path they will write (refusing existing files unless forced), then
write each through a temporary file in the same folder and an atomic rename, so a failure never
leaves a half-written file behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from quizgen.errors import QuizgenError


def plan(paths: list[Path], force: bool, option: str = "-o/--output") -> None:
    """Refuse (before writing anything) when a target exists and --force was not given."""
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        more = f" (and {len(existing) - 1} more)" if len(existing) > 1 else ""
        raise QuizgenError(f"{existing[0]} already exists{more}", where=option,
                           fix="choose another output or add --force to overwrite")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` atomically (temporary file + rename in the same folder)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs get the usual permissions
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
