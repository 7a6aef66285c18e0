"""What ``quizgen moodle`` and ``quizgen gift`` share: the writer of a bank's categories of distinct variants."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import click

from quizgen.commands.writers import Request
from quizgen.errors import QuizgenError


class LmsWriter:
    """A question bank file for a learning management system: one category per entry, n distinct variants."""

    name = ""
    suffix = ""  # of the default output file, after the bank's name

    def path(self, bank: Any, request: Request) -> Path:
        return Path(request.output) if request.output else Path("output") / f"{bank.stem}{self.suffix}"

    def outputs(self, bank: Any, request: Request) -> list[Path]:
        if request.n < 1:
            raise QuizgenError(f"-n is {request.n}", where="-n", fix="ask for at least 1 variant per entry")
        return [self.path(bank, request)]

    def draw(self, bank: Any, request: Request) -> list:
        from quizgen.bank.draw import categories

        # the default -n adapts to entries with fewer variants (and says so); a given -n is required exactly
        ctx = click.get_current_context(silent=True)
        adapt = ctx is not None and ctx.get_parameter_source("n") == click.core.ParameterSource.DEFAULT
        drawn = categories(bank, request.n, request.seed, request.lang, at_most=adapt)
        for cat in drawn:
            if len(cat.items) < request.n:
                click.echo(f"note: {cat.name}: {len(cat.items)} variants, all that exist (the default -n "
                           f"{request.n} adapts; give -n to require a number)", err=True)
        return drawn

    def problems(self, categories: list) -> list:
        return [item.problem for cat in categories for item in cat.items]

    def render(self, categories: list, request: Request) -> tuple[bytes, Counter]:
        raise NotImplementedError

    def write(self, bank: Any, categories: list, request: Request,
              rendered: tuple[bytes, Counter] | None = None) -> None:
        from quizgen.commands.outputs import write_atomic

        data, kinds = rendered or self.render(categories, request)
        path = self.path(bank, request)
        write_atomic(path, data)
        summary = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
        click.echo(f"wrote {path}: {len(categories)} categories, {summary}; {len(data) / 1e6:.2f} MB", err=True)
