"""A problem as the terminal practice mode shows it: stem, table and network, never the answers
(until the student asks for the worked solution)."""

from __future__ import annotations

import textwrap
from typing import Protocol

from quizgen.problems.model import Problem
from quizgen.text import numbers
from quizgen.text.richtext import to_plain

WIDTH = 96


class Speaker(Protocol):
    lang: str

    def say(self, text: str = "") -> None: ...

    def t(self, key: str, **context: object) -> str: ...


def wrap(text: str, indent: str = "", first: str | None = None) -> str:
    """Plain text of rich text, wrapped to WIDTH, each source line kept as a line."""
    lines = []
    head = indent if first is None else first
    for k, line in enumerate(to_plain(text).splitlines()):
        if not line.strip():
            lines.append("")
            continue
        lines.append(textwrap.fill(line.strip(), WIDTH, initial_indent=head if k == 0 else indent,
                                   subsequent_indent=indent, break_on_hyphens=False))
    return "\n".join(lines).rstrip()


def table_lines(columns: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [columns, *rows]) for i in range(len(columns))]
    out = ["  " + "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip(),
           "  " + "  ".join("-" * w for w in widths)]
    out += ["  " + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return out


def show_problem(s: Speaker, problem: Problem, index: int, total: int) -> None:
    """Header, title, stem, network, tables and (for a choice question) the lettered options."""
    s.say(s.t("practice_header", index=index, total=total, family=problem.family, difficulty=problem.difficulty))
    title = to_plain(problem.title)
    s.say(title)
    s.say("=" * len(title))
    s.say(wrap(problem.stem))
    networks = [(i, n) for i, n in enumerate((problem.network, *problem.extra_networks)) if n is not None]
    for i, network in networks:
        from quizgen.render.svg import network_chain

        chain = network_chain(network, s.lang, problem, i)
        name = f"{s.t('practice_network')} {to_plain(network.title)}" if network.title else s.t("practice_network")
        s.say(textwrap.fill(chain, WIDTH, initial_indent=name + ": ", subsequent_indent="    ",
                            break_on_hyphens=False))
    if problem.table is not None:
        table = problem.table
        blanks = set(table.blanks)
        rows = [["?" if (r, c) in blanks else to_plain(cell) for c, cell in enumerate(row)]
                for r, row in enumerate(table.rows)]
        s.say()
        if table.caption:
            s.say(wrap(table.caption))
        for line in table_lines([to_plain(c) for c in table.columns], rows):
            s.say(line)
    if problem.connection_table is not None:
        s.say()
        s.say(s.t("practice_connection_table"))
        n_out = len(problem.connection_table[0]) if problem.connection_table else 0
        rows = [[str(i), *("X" if x else "·" for x in row)] for i, row in enumerate(problem.connection_table)]
        for line in table_lines(["", *(str(j) for j in range(n_out))], rows):
            s.say(line)
    if problem.choices:
        s.say()
        for k, choice in enumerate(problem.choices):
            s.say(wrap(choice.text, "     ", f"  {chr(97 + k)}) "))
    s.say()


def show_step(s: Speaker, problem: Problem, k: int) -> None:
    """Step ``k`` (from 0) of the worked solution: its sentence, then formula = substitution = result."""
    if k == 0:
        s.say()
        s.say(s.t("practice_solution"))
    step = problem.solution[k]
    s.say(wrap(step.text, "     ", f"  {k + 1}. "))
    if step.math:
        s.say(wrap(f"${step.math}$", " " * 7))


def show_answers(s: Speaker, problem: Problem) -> None:
    """The answers the worked solution arrives at (after its last step)."""
    if not problem.solution:
        s.say()
        s.say(s.t("practice_solution"))
    for part in problem.parts:
        answer = numbers.with_unit(numbers.plain(part.answer, part.decimals, problem.lang), part.unit, problem.lang)
        s.say(wrap(part.label, "    ", "  → ") + f": {answer}")
    for k, choice in enumerate(problem.choices):
        if choice.correct:
            s.say(wrap(choice.text, "     ", f"  → {chr(97 + k)}) "))
    s.say()


def show_solution(s: Speaker, problem: Problem) -> None:
    """The whole worked solution at once: each step, then the answers."""
    for k in range(len(problem.solution)):
        show_step(s, problem, k)
    show_answers(s, problem)
