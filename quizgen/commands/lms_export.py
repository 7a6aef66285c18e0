"""What ``quizgen moodle`` and ``quizgen gift`` share: the writer of a bank's categories of distinct variants."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from quizgen.commands.writers import Request
from quizgen.errors import InternalError, QuizgenError


class LmsWriter:
    """A question bank file for a learning management system: one category per entry, n distinct variants."""

    name = ""
    suffix = ""  # of the default output file, after the bank's name
    # A file is its ``head``, its categories joined by ``separator``, and its ``tail``; a category rendered as a
    # file of its own is the same bytes wherever it goes, so each question is rendered once and the whole export
    # and its split files are made of those renders.
    head = b""
    separator = b""
    tail = b""

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
        """The whole file for these categories and how many questions of each kind it holds."""
        raise NotImplementedError

    def body(self, categories: list, request: Request) -> tuple[bytes, Counter]:
        """The categories' part of a file: rendered as a file of their own, less the head and the tail."""
        data, kinds = self.render(categories, request)
        if not (data.startswith(self.head) and data.endswith(self.tail)):
            raise InternalError(f"a {self.name} file does not begin and end as the writer declares")
        return data[len(self.head):len(data) - len(self.tail)], kinds

    def document(self, bodies: list[bytes]) -> bytes:
        """The file holding these categories' bodies."""
        return self.head + self.separator.join(bodies) + self.tail

    def write(self, bank: Any, categories: list, request: Request) -> None:
        """One file, or numbered complete imports when it would be over ``--max-size`` (not on standard output)."""
        from quizgen.commands.outputs import plan, write_atomic

        rendered = [self.body([cat], request) for cat in categories]
        bodies = [body for body, _ in rendered]
        data = self.document(bodies)
        path = self.path(bank, request)
        limit = int(request.options["max_size"] * 1e6)
        if not limit or len(data) <= limit or str(path) == "-":
            write_atomic(path, data)
            kinds = sum((counted for _, counted in rendered), Counter())
            summary = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
            click.echo(f"wrote {path}: {len(categories)} categories, {summary}; {len(data) / 1e6:.2f} MB", err=True)
            return
        files = [self.document(group) for group in self.split(categories, bodies, limit, request)]
        paths = [path.with_name(f"{path.stem}-{k}{path.suffix}") for k in range(1, len(files) + 1)]
        plan(paths, request.force)
        for target, part in zip(paths, files, strict=True):
            write_atomic(target, part)
        click.echo(f"wrote {len(files)} files {paths[0]} ... {paths[-1]} (the whole export is "
                   f"{len(data) / 1e6:.2f} MB, over --max-size {request.options['max_size']:g} MB): each is a "
                   f"complete import with its categories; the largest is {max(map(len, files)) / 1e6:.2f} MB", err=True)

    def split(self, categories: list, bodies: list[bytes], limit: int, request: Request) -> list[list[bytes]]:
        """The categories' bodies in groups, in order, whose files are at most ``limit`` bytes (a single question
        over it keeps a file of its own)."""
        room = limit - len(self.head) - len(self.tail)
        pieces = [piece for cat, body in zip(categories, bodies, strict=True)
                  for piece in self._cut(cat, body, room, request)]
        groups: list[list[bytes]] = [[]]
        used = 0
        for piece in pieces:
            size = len(piece) + (len(self.separator) if groups[-1] else 0)
            if groups[-1] and used + size > room:
                groups.append([])
                used, size = 0, len(piece)
            groups[-1].append(piece)
            used += size
        return groups

    def _cut(self, cat: Any, body: bytes, room: int, request: Request) -> list[bytes]:
        """A category's body; when it is over ``room`` bytes, the bodies of its parts instead, each a category with
        the same path (Moodle puts them back together on import). Only an oversized category is rendered again."""
        if len(body) <= room or len(cat.items) < 2:
            return [body]
        parts = -(-len(body) * 11 // (room * 10))  # a tenth spare, as questions differ in size; cut again if short
        step = -(-len(cat.items) // parts)
        out = []
        for k in range(0, len(cat.items), step):
            piece = replace(cat, items=cat.items[k:k + step])
            out += self._cut(piece, self.body([piece], request)[0], room, request)
        return out


def max_size_option() -> Any:
    return click.option("--max-size", type=click.FloatRange(min=0), default=2.0, show_default=True, metavar="MB",
                        help="Split a larger export into numbered files (<name>-1<suffix>, ...), each a complete "
                             "import (0: one file, whatever its size).")
