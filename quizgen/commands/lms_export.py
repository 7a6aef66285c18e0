"""What ``quizgen moodle`` and ``quizgen gift`` share: the writer of a bank's categories of distinct variants."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
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
                from quizgen.text.plural import plural

                click.echo(f"note: {cat.name}: {len(cat.items)} {plural(len(cat.items), 'en', 'variant', 'variants')}, "
                           f"all that exist (the default -n "
                           f"{request.n} adapts; give -n to require a number)", err=True)
        return drawn

    def problems(self, categories: list) -> list:
        return [item.problem for cat in categories for item in cat.items]

    def render(self, categories: list, request: Request) -> tuple[bytes, Counter]:
        raise NotImplementedError

    def write(self, bank: Any, categories: list, request: Request) -> None:
        """One file, or numbered complete imports when it would be over ``--max-size`` (not on standard output)."""
        from quizgen.commands.outputs import plan, write_atomic

        data, kinds = self.render(categories, request)
        path = self.path(bank, request)
        limit = int(request.options["max_size"] * 1e6)
        if not limit or len(data) <= limit or str(path) == "-":
            write_atomic(path, data)
            summary = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
            click.echo(f"wrote {path}: {len(categories)} categories, {summary}; {len(data) / 1e6:.2f} MB", err=True)
            return
        files = [self.render(group, request)[0] for group in self.split(categories, limit, request)]
        paths = [path.with_name(f"{path.stem}-{k}{path.suffix}") for k in range(1, len(files) + 1)]
        plan(paths, request.force)
        for target, part in zip(paths, files, strict=True):
            write_atomic(target, part)
        click.echo(f"wrote {len(files)} files {paths[0]} ... {paths[-1]} (the whole export is "
                   f"{len(data) / 1e6:.2f} MB, over --max-size {request.options['max_size']:g} MB): each is a "
                   f"complete import with its categories; the largest is {max(map(len, files)) / 1e6:.2f} MB", err=True)

    def split(self, categories: list, limit: int, request: Request) -> list[list]:
        """Categories in groups whose file stays under ``limit`` bytes: a category too big for one file is cut
        into parts with the same category path (Moodle puts them back together on import)."""
        pieces = []
        for cat in categories:
            size = len(self.render([cat], request)[0])
            parts = max(1, -(-size * 11 // (limit * 10)))  # a tenth spare for the file's own lines
            step = -(-len(cat.items) // parts)
            for k in range(0, len(cat.items), step):
                piece = replace(cat, items=cat.items[k:k + step])
                pieces.append((piece, size * len(piece.items) // max(1, len(cat.items))))
        groups: list[list] = [[]]
        used = 0
        for piece, size in pieces:
            if groups[-1] and used + size > limit * 0.9:
                groups.append([])
                used = 0
            groups[-1].append(piece)
            used += size
        return groups


def max_size_option() -> Any:
    return click.option("--max-size", type=click.FloatRange(min=0), default=2.0, show_default=True, metavar="MB",
                        help="Split a larger export into numbered files (<name>-1<suffix>, ...), each a complete "
                             "import (0: one file, whatever its size).")
