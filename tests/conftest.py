"""Shared test helpers: external tools are required under CI=true, skipped (with a reason) locally."""

from __future__ import annotations

import importlib.util
import os
import shutil

import pytest

CI = os.environ.get("CI", "").lower() == "true"


def require_tool(name: str) -> str:
    """The path of an executable; under CI=true its absence fails the test, else skips it."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (run 'make setup')"
        if CI:
            pytest.fail(message + " - required under CI=true")
        pytest.skip(message)
    return path


def require_module(name: str) -> None:
    """Import check for an optional Python module (torch, playwright): fails under CI=true."""
    if importlib.util.find_spec(name) is None:
        message = f"Python module {name} is not installed (run 'make setup')"
        if CI:
            pytest.fail(message + " - required under CI=true")
        pytest.skip(message)


class CliResult:
    """Exit code and captured output of one in-process ``quizgen`` run."""

    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """Run ``quizgen ARGS`` in this process the way the console script does; returns a CliResult."""
    import sys

    from quizgen.commands.cli import main

    def run(*args: str, stdin: str | None = None) -> CliResult:
        monkeypatch.setattr(sys, "argv", ["quizgen", *args])
        if stdin is not None:
            import io

            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = 0
        try:
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
