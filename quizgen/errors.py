"""The two kinds of failure: a user's mistake (QuizgenError) and a broken invariant (InternalError)."""

from __future__ import annotations

import re
import reprlib
import unicodedata

QUOTE_LIMIT = 80  # characters of a user's value an error message shows
_LINE_LIMIT = 2000  # the whole error line, whatever it holds
_QUOTED = re.compile(rf"'[^']{{{QUOTE_LIMIT + 1},}}'|\"[^\"]{{{QUOTE_LIMIT + 1},}}\"")
_LONG_WORD = re.compile(rf"\S{{{3 * QUOTE_LIMIT + 1},}}")
_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = QUOTE_LIMIT
_REPR.maxlevel, _REPR.maxlist, _REPR.maxtuple, _REPR.maxdict = 3, 6, 6, 4


def _escaped(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else (f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")


def printable(text: str) -> str:
    """``text`` with every control, format (ANSI escapes, right-to-left marks), surrogate or unassigned
    character written as an escape, so a message shows what the file holds and cannot drive the terminal."""
    return "".join(_escaped(ch) if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp") else ch
                   for ch in text)


def shorten(text: str, limit: int = QUOTE_LIMIT) -> str:
    """At most ``limit`` characters of ``text``, with an ellipsis when cut."""
    return text if len(text) <= limit else text[:limit] + "…"


def shown(value: object) -> str:
    """A user's value as a message quotes it: escaped, at most 80 characters, in bounded time for any size."""
    if isinstance(value, str):
        return "'" + shorten(printable(value)) + "'"
    return shorten(printable(_REPR.repr(value)))


def one_line(text: str) -> str:
    """A message made safe to print: escaped, each quoted value and very long word cut to 80 characters."""
    text = printable(text[:10 * _LINE_LIMIT])
    text = _QUOTED.sub(lambda m: m.group(0)[:QUOTE_LIMIT + 1] + "…" + m.group(0)[-1], text)
    text = _LONG_WORD.sub(lambda m: m.group(0)[:QUOTE_LIMIT] + "…", text)
    return shorten(text, _LINE_LIMIT)


def location(path: object, line: int) -> str:
    """A place in a file, the one way every message writes it: ``banks/lecture.yaml:12``."""
    return f"{path}:{line}"


class QuizgenError(Exception):
    """A mistake the user can fix: carries where it is and how to fix it.

    The CLI prints ``error: <where>: <message>; <fix>`` on one line and exits with status 2. A place
    in a file is written ``file:line`` (``location``).
    """

    def __init__(self, message: str, *, where: str | None = None, fix: str | None = None) -> None:
        self.message = message
        self.where = where
        self.fix = fix
        super().__init__(self.one_line())

    def one_line(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.fix:
            text += f"; {self.fix}"
        return one_line(text)

    def located(self, where: str) -> QuizgenError:
        """The same error found inside ``where`` (an option): ``option --param, parameter f``."""
        return QuizgenError(self.message, where=f"{where}, {self.where}" if self.where else where, fix=self.fix)


_OS_FIXES = {
    "ENOSPC": "free some space or write elsewhere",
    "EDQUOT": "free some space or write elsewhere",
    "EROFS": "write to a folder on a writable file system",
    "EACCES": "write to a folder you may write to, or fix its permissions",
    "EPERM": "write to a folder you may write to, or fix its permissions",
    "ENOTDIR": "a part of the path is a file, not a folder: choose another path",
    "ENAMETOOLONG": "use a shorter name",
    "EISDIR": "give a file name, not a folder",
    "ENOENT": "check the path",
}


def from_os_error(exc: OSError, path: object = None) -> QuizgenError:
    """A file system error (read-only, full, a parent that is a file, a name too long) as a QuizgenError."""
    import errno

    name = path if path is not None else exc.filename
    reason = exc.strerror or type(exc).__name__
    fix = _OS_FIXES.get(errno.errorcode.get(exc.errno or 0, ""), "check the path, its permissions and the free space")
    return QuizgenError(reason[:1].lower() + reason[1:], where=None if name is None else str(name), fix=fix)


class InternalError(AssertionError):
    """An invariant of quizgen itself failed (e.g. the integer and sympy paths disagree). A bug."""
