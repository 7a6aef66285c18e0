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
