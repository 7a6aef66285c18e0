"""The two kinds of failure: a user's mistake (QuizgenError) and a broken invariant (InternalError)."""

from __future__ import annotations


class QuizgenError(Exception):
    """A mistake the user can fix: carries where it is and how to fix it.

    The CLI prints ``error: <where>: <message>; <fix>`` on one line and exits with status 2.
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
        return text

    def located(self, where: str) -> QuizgenError:
        """The same error with a location prefixed (file, line, option)."""
        inner = f"{where}, {self.where}" if self.where else where
        return QuizgenError(self.message, where=inner, fix=self.fix)


class InternalError(AssertionError):
    """An invariant of quizgen itself failed (e.g. the integer and sympy paths disagree). A bug."""
