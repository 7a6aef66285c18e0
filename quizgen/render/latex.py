"""LaTeX sources of an exam: the printable versions, the answer key and the worked solutions.

Layout lives in ``templates/exam/*.tex.j2`` (Jinja2 with LaTeX-friendly delimiters: ``\\BLOCK{...}``,
``\\VAR{...}``, ``%#`` comments), so an instructor restyles the sheets without touching Python. This
module only turns problems into template values: rich text into LaTeX, numbers into their printed
form, networks into TikZ. It never computes an answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from typing import Any

from quizgen.bank.draw import ExamVersion, Question
from quizgen.bank.load import Bank
from quizgen.bank.values import parse_work
from quizgen.errors import InternalError, QuizgenError, location
from quizgen.problems.model import Part, Problem
from quizgen.text import numbers
from quizgen.text.richtext import to_latex
from quizgen.text.templating import templates_dir, text

BABEL = {"en": "english", "it": "italian"}
GRID_COLUMNS = 15  # questions per row of the cover page's points grid (each row fills the text width)
# the working box a question gets by default ("work: auto"): as tall as its answer boxes beside it
AUTO_WORK_CM = 2.6  # at least
ANSWER_ROW_CM = 0.95  # one answer (its label and its box) in the column beside the working box


@dataclass(frozen=True)
class ExamSources:
    """The three LaTeX documents of an exam (each holds every version)."""

    exam: str
    key: str
    solutions: str


@cache
def environment() -> Any:
    """Jinja2 environment for LaTeX templates: delimiters that never clash with TeX syntax."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        block_start_string=r"\BLOCK{",
        block_end_string="}",
        variable_start_string=r"\VAR{",
        variable_end_string="}",
        comment_start_string=r"\#{",
        comment_end_string="}",
        line_comment_prefix="%#",
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def escape(value: str) -> str:
    """Plain text from a bank (title, course, instructions) that prints as itself in LaTeX."""
    from pylatex.utils import escape_latex

    # pylatex writes '^' as an accent command; the text-mode glyph is what the bank means
    return escape_latex(value).replace(r"\^{}", r"\textasciicircum{}")


def part_points(question: Question) -> tuple[Fraction, ...]:
    """The points of each numeric part of a question, as its bank entry sets them (``quizgen.bank.points``)."""
    from quizgen.bank.points import question_points

    return question_points(question.entry, question.problem)[: len(question.problem.parts)]


def choice_points(question: Question) -> Fraction:
    """The points of a question's option choice (0 when it has none)."""
    from quizgen.bank.points import question_points

    return question_points(question.entry, question.problem)[-1] if question.problem.choices else Fraction(0)


def _scoring(question: Question) -> str:
    """The paragraph that states how a multiple-answer question is marked."""
    from quizgen.bank.points import scoring_note

    return "\n\n" + scoring_note(question.problem.lang, question.entry.scoring or "per-option")


def key_tolerance(question: Question, part: Part) -> Fraction:
    """The tolerance a part is graded with, as in Moodle: its own, the entry's (else the bank's), half a unit."""
    from quizgen.render.moodle_common import part_tolerance

    return part_tolerance(part, Fraction(str(question.entry.tolerance or 0)))


def letters(n: int) -> list[str]:
    return [chr(ord("a") + i) if i < 26 else f"a{i - 25}" for i in range(n)]


def split_chain(math: str) -> list[str]:
    """``a = b = c`` as align rows ``a &= b``, ``&= c`` (split only at top-level equals signs)."""
    if "&" in math or r"\\" in math:
        return [math]
    pieces, depth, current, i = [], 0, [], 0
    while i < len(math):
        ch = math[i]
        depth += ch == "{"
        depth -= ch == "}"
        if ch == "=" and depth == 0 and (i == 0 or math[i - 1] not in "<>!\\"):
            pieces.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
        i += 1
    pieces.append("".join(current).strip())
    if len(pieces) < 2:
        return [math]
    rows = [f"{pieces[0]} &= {pieces[1]}"] + [f"&= {p}" for p in pieces[2:]]
    return rows


def _unit(part: Part) -> str:
    return escape(part.unit) if part.unit else ""


def _moved(question: Question, lang: str) -> str:
    """Where a shuffled question came from, for the key: its number in the bank, its options in the id's order."""
    if not question.moved:
        return ""
    notes = []
    if question.bank_number not in (0, question.number):
        notes.append(text(lang, "shuffled_bank_question", n=question.bank_number))
    if question.options != tuple(range(len(question.options))):
        notes.append(text(lang, "shuffled_options_order", order=", ".join(chr(ord("A") + i) for i in question.options)))
    return "".join(r"\ \textperiodcentered\ " + escape(note) for note in notes)


def _points(value: Fraction | float, lang: str) -> str:
    """Points as printed on a sheet, with the language's decimal mark (``1,5`` in Italian)."""
    return numbers.points(value).replace(".", numbers.point(lang))


def _part(part: Part, letter: str, question: Question, points: Fraction | None = None) -> dict[str, Any]:
    cell = re.fullmatch(r"cell-(\d+)-(\d+)", part.key)
    lang = question.problem.lang
    if points is None:
        points = dict(zip(map(id, question.problem.parts), part_points(question), strict=True))[id(part)]
    tol = key_tolerance(question, part)
    return {
        "letter": letter,
        "key": part.key,
        "label": to_latex(part.label),
        "answer_text": f"${numbers.latex(part.answer, part.decimals, lang)}$",
        "unit": _unit(part),
        "answer_with_unit": numbers.with_unit(f"${numbers.latex(part.answer, part.decimals, lang)}$", _unit(part),
                                              lang),
        "tolerance": f"${numbers.latex(tol, None, lang)}$" if tol else "",
        "boxed": cell is None,
        "points": _points(points, lang),
    }


def _table(problem: Problem, parts: list[dict[str, Any]]) -> dict[str, Any] | None:
    table = problem.table
    if table is None:
        return None
    by_key = {p["key"]: p for p in parts}
    rows = []
    for r, row in enumerate(table.rows):
        cells = []
        for c, value in enumerate(row):
            if (r, c) in table.blanks:
                part = by_key.get(f"cell-{r}-{c}")
                if part is None:
                    raise InternalError(f"{problem.id}: blank cell ({r}, {c}) has no part cell-{r}-{c}")
                answer = part["answer_with_unit"]
                cells.append({"blank": True, "letter": part["letter"], "answer": answer})
            else:
                cells.append({"blank": False, "text": to_latex(value)})
        rows.append(cells)
    numeric = [all(re.fullmatch(r"[\d\s,.×x–-]*", row[c]) for row in table.rows) for c in range(len(table.columns))]
    spec = "".join("r" if is_num else "l" for is_num in numeric)
    header = " & ".join(r"\textbf{" + to_latex(c) + "}" for c in table.columns)
    return {"spec": spec, "header": header, "rows": rows, "caption": to_latex(table.caption)}


def _connection(problem: Problem) -> dict[str, Any] | None:
    rows = problem.connection_table
    if not rows:
        return None
    columns = len(rows[0])
    return {
        "columns": columns,
        "header": " & ".join(str(i) for i in range(columns)),
        "rows": [" & ".join("X" if on else "" for on in row) for row in rows],
    }


def _work(question: Question, default: str) -> dict[str, Any] | None:
    """The room to work under a question (None for none): the entry's option, else the bank's.

    Beside answer boxes the working space takes the rest of the line, at least as tall as the boxes.
    """
    if question.entry.work is None and not question.problem.parts:
        return None  # choosing options needs no working (unless the entry itself asks for room)
    kind, amount, unit = parse_work(question.entry.work or default, question.entry.name)
    if kind == "none":
        return None
    if kind == "lines":
        return {"kind": "lines", "lines": int(amount)}
    if kind == "box":
        return {"kind": "box", "height": f"{amount:g}{unit}"}
    boxed = sum(1 for p in question.problem.parts if not re.fullmatch(r"cell-\d+-\d+", p.key))
    return {"kind": "box", "height": f"{max(AUTO_WORK_CM, ANSWER_ROW_CM * boxed):g}cm"}


def _diagram(problem: Problem) -> str:
    """The problem's network in TikZ; several networks (two designs to compare) side by side, each titled."""
    from quizgen.render.tikz import network_tikz

    networks = [problem.network, *problem.extra_networks]
    pictures = [network_tikz(n, problem, i) for i, n in enumerate(networks)]
    if len(pictures) == 1:
        return pictures[0]
    titles = [r"\footnotesize " + to_latex(n.title) for n in networks]
    columns = r"c@{\hspace{2.5em}}" * (len(pictures) - 1) + "c"
    return (r"\begin{tabular}{@{}" + columns + "@{}}\n" + "\n&\n".join(pictures) + r" \\[0.2em]"
            + "\n" + " & ".join(titles) + "\n\\end{tabular}")


def _question(question: Question, lang: str, diagrams: bool, work: str = "auto") -> dict[str, Any]:
    problem = question.problem
    parts = [_part(p, letter, question, points) for p, letter, points
             in zip(problem.parts, letters(len(problem.parts)), part_points(question), strict=True)]
    choices = [
        {"letter": chr(ord("A") + i), "text": to_latex(c.text), "correct": c.correct,
         "feedback": to_latex(c.feedback), "misconception": c.misconception or ""}
        for i, c in enumerate(problem.choices)
    ]
    key_rows = [{"letter": p["letter"], "label": p["label"],
                 "answer": p["answer_with_unit"]
                 + (f" ($\\pm${p['tolerance']})" if p["tolerance"] else ""),
                 "points": p["points"]} for p in parts]
    if choices:
        correct = ", ".join(c["letter"] for c in choices if c["correct"])
        key_rows.append({"letter": "", "label": text(lang, "exam_answer"), "answer": r"\textbf{" + correct + "}",
                         "points": _points(choice_points(question), lang)})
        key_rows[-1]["letter"] = letters(len(parts) + 1)[-1]
    points = numbers.points(question.points)  # read back by TeX for the cover: a point, whatever the language
    shown = _points(question.points, lang)
    return {
        "number": question.number,
        "points": points,
        "points_text": text(lang, "exam_point_one") if points == "1" else text(lang, "exam_point_many", points=shown),
        "title": to_latex(problem.title),
        "stem": to_latex(problem.stem + (_scoring(question) if problem.multiple else "")),
        # a table of the network already draws it: no diagram beside it
        "diagram": _diagram(problem) if diagrams and problem.network is not None and problem.table is None else "",
        "work": _work(question, work),
        "table": _table(problem, parts),
        "connection": _connection(problem),
        "parts": parts,
        "boxed_parts": any(p["boxed"] for p in parts),
        "choices": choices,
        "multiple": problem.multiple,
        "key_rows": key_rows,
        "steps": [{"text": to_latex(s.text), "math": r" \\ ".join(split_chain(s.math)) if s.math else ""}
                  for s in problem.solution],
        "id": problem.id,
        "moved": _moved(question, lang),
    }


def _version(version: ExamVersion, lang: str, work: str) -> dict[str, Any]:
    questions = [_question(q, lang, diagrams=True, work=work) for q in version.questions]
    cells = [{"number": q["number"], "points": q["points"]} for q in questions]
    grid = [{"cells": cells[i:i + GRID_COLUMNS], "last": i + GRID_COLUMNS >= len(cells)}
            for i in range(0, len(cells), GRID_COLUMNS)]
    return {
        "number": version.index + 1,
        "code": version.code,
        "points": _points(version.points, lang),
        "questions": questions,
        "grid": grid,
        "rows": sum(len(q["key_rows"]) for q in questions),
        "work": any(q["work"] for q in questions),
    }


def _strings(lang: str) -> dict[str, str]:
    from quizgen.text.templating import text_keys

    strings = {key: text(lang, key) for key in sorted(text_keys(lang)) if key.startswith("exam_")
               and key not in ("exam_page", "exam_point_many", "exam_duration", "exam_done", "exam_tex_only")}
    strings["exam_page"] = text(lang, "exam_page", page=r"\thepage{}", pages=r"\QGlastref")
    strings["exam_page_plain"] = text(lang, "exam_page", page=r"\thepage{}", pages=r"\pageref{qg-key-last}")
    return {k: v if k.startswith("exam_page") else escape(v) for k, v in strings.items()}


def _bank(bank: Bank, lang: str, date: str) -> dict[str, str]:
    from quizgen.bank.values import check_text

    title = bank.exam_title or bank.title  # the sheet's heading; the bank title names the Moodle category
    subtitle = text(lang, "exam_duration", duration=bank.duration) if bank.duration else ""
    date_line = escape(f"{text(lang, 'exam_date')}: {date}") if date else (
        escape(text(lang, "exam_date")) + r": \rule{3.2cm}{0.4pt}")
    for key, value in (("exam_title" if bank.exam_title else "title", title), ("course", bank.course),
                       ("instructions", bank.instructions), ("duration", bank.duration), ("date", date)):
        line = bank.text_lines.get(key)
        where = ("option --date" if key == "date" and date != bank.date
                 else location(bank.path, line) if line else bank.path)
        check_text(value, where, f"'{key}'")
        try:
            check_characters(value, key)
        except InternalError:
            bad = sorted({ch for ch in value if ord(ch) > 0xFF and ch not in declared_characters()})
            raise QuizgenError(f"'{key}' holds {', '.join(bad)}, which pdflatex cannot print",
                               where=where, fix="remove the character or spell it out") from None
    pdf_title = re.sub(r"[^A-Za-z0-9 .,:;\-]", "", title)
    return {"exam_title": escape(title), "course": escape(bank.course), "instructions": escape(bank.instructions),
            "subtitle": escape(subtitle), "date_line": date_line, "pdf_title": pdf_title}


def render_sources(bank: Bank, versions: list[ExamVersion], lang: str, date: str) -> ExamSources:
    """The exam, key and solutions LaTeX sources for these versions (deterministic text)."""
    env = environment()
    context = {
        "lang": lang,
        "babel": BABEL[lang],
        "s": _strings(lang),
        "bank": _bank(bank, lang, date),
        "versions": [_version(v, lang, bank.work) for v in versions],
        "decimal": numbers.point(lang, math=True),
    }
    documents = {name: env.get_template(f"exam/{name}.tex.j2").render(**context)
                 for name in ("exam", "key", "solutions")}
    for name, source in documents.items():
        check_characters(source, f"the {name} document")
    return ExamSources(documents["exam"], documents["key"], documents["solutions"])


def render_merge(pieces: list[tuple[str, str]], title: str) -> str:
    """A LaTeX file that joins PDF pages: ``pieces`` are (file, pages) like ("a.pdf", "1-4")."""
    return environment().get_template("exam/merge.tex.j2").render(
        pieces=[{"file": f, "pages": p} for f, p in pieces], title=re.sub(r"[^A-Za-z0-9 .,:;\-]", "", title))


@cache
def declared_characters() -> frozenset[str]:
    """Non-Latin-1 characters the preamble declares for pdflatex."""
    source = (templates_dir() / "exam" / "preamble.tex.j2").read_text(encoding="utf-8")
    return frozenset(chr(int(h, 16)) for h in re.findall(r"\\DeclareUnicodeCharacter\{([0-9A-Fa-f]{4})\}", source))


def check_characters(source: str, where: str) -> None:
    """Fail before compiling when the text holds a character pdflatex would reject."""
    declared = declared_characters()
    bad = sorted(set(re.findall(r"[^\x00-\xff]", source)) - declared)
    if bad:
        shown = ", ".join(f"'{ch}' (U+{ord(ch):04X})" for ch in bad)
        raise InternalError(f"{where} uses {shown}, which templates/exam/preamble.tex.j2 does not declare; "
                            "add a \\DeclareUnicodeCharacter line for it")
