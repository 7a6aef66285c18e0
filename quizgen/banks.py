"""Banks: YAML files describing an exam or practice set, and the variants drawn from them.

A bank has a title, course, language, instructions, seed and entries; each entry names a family,
how many questions of it, the difficulty, the points, parameter overrides and tags. Every mistake
is reported with the file, the line and the fix (exit status 2), before anything is written.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quizgen.errors import QuizgenError
from quizgen.problems import family, family_ids, variant_seed
from quizgen.problems.model import Problem
from quizgen.yamlsource import LinedDict, LinedList, load

BANK_KEYS = {
    "title": str, "course": str, "lang": str, "instructions": str, "seed": int, "date": str,
    "entries": list, "tolerance": (int, float), "exam_title": str, "duration": str,
}
ENTRY_KEYS = {
    "family": str, "name": str, "count": int, "difficulty": int, "points": (int, float),
    "params": dict, "tags": list, "tolerance": (int, float),
}
_TYPE_WORDS = {str: "text", int: "a whole number", list: "a list", dict: "a mapping", (int, float): "a number"}


@dataclass(frozen=True)
class Entry:
    """One line of a bank: ``count`` questions of ``family`` at ``difficulty``."""

    family: str
    name: str
    count: int = 1
    difficulty: int = 1
    points: float = 1
    params: dict[str, Any] = field(default_factory=dict, hash=False)
    tags: tuple[str, ...] = ()
    tolerance: float | None = None
    line: int = 0


@dataclass(frozen=True)
class Bank:
    """A validated bank."""

    path: str
    title: str
    course: str = ""
    lang: str = "en"
    instructions: str = ""
    seed: int = 0
    date: str = ""
    duration: str = ""
    tolerance: float = 0
    entries: tuple[Entry, ...] = ()

    @property
    def stem(self) -> str:
        return Path(self.path).stem


@dataclass(frozen=True)
class Question:
    """A problem placed in an exam version, with its entry and points."""

    number: int
    entry_index: int
    entry: Entry
    problem: Problem
    points: float


@dataclass(frozen=True)
class ExamVersion:
    """One version of an exam: its code and its questions in order."""

    index: int
    code: str
    questions: tuple[Question, ...]

    @property
    def points(self) -> float:
        return sum(q.points for q in self.questions)


def resolve_bank_path(name: str | Path) -> Path:
    """A bank path, or the name of a bundled bank (``lecture``, ``practice``)."""
    path = Path(name)
    if path.exists():
        return path
    from quizgen.templating import banks_dir

    bundled = banks_dir() / f"{name}.yaml"
    if bundled.exists():
        return bundled
    available = sorted(p.stem for p in banks_dir().glob("*.yaml"))
    raise QuizgenError(f"no bank '{name}'", fix="give a YAML file or one of the bundled banks: " + ", ".join(available))


def _check_keys(data: LinedDict, allowed: dict[str, Any], where: str) -> None:
    for key in data:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), list(allowed), n=1)
            fix = f"did you mean '{close[0]}'?" if close else "allowed: " + ", ".join(allowed)
            raise QuizgenError(f"unknown key '{key}'", where=f"{where}, line {data.line_of(key)}", fix=fix)
        expected = allowed[key]
        value = data[key]
        ok = isinstance(value, expected) and not (isinstance(value, bool) and expected in (int, (int, float)))
        if not ok:
            raise QuizgenError(
                f"'{key}' must be {_TYPE_WORDS.get(expected, expected)}, not {type(value).__name__} {value!r}",
                where=f"{where}, line {data.line_of(key)}",
                fix=f"write {key} as {_TYPE_WORDS.get(expected, expected)}",
            )


def load_bank(name: str | Path) -> Bank:
    """Read and validate a bank file (or a bundled bank's name)."""
    from quizgen.templating import LANGS

    path = resolve_bank_path(name)
    data = load(path)
    where = str(path)
    if not isinstance(data, LinedDict):
        raise QuizgenError("a bank is a mapping with title and entries", where=where,
                           fix="see banks/lecture.yaml for an example")
    _check_keys(data, BANK_KEYS, where)
    for required in ("title", "entries"):
        if required not in data:
            raise QuizgenError(f"missing '{required}'", where=f"{where}, line {data.line}",
                               fix=f"add a '{required}:' key")
    lang = data.get("lang", "en")
    if lang not in LANGS:
        raise QuizgenError(f"unknown language '{lang}'", where=f"{where}, line {data.line_of('lang')}",
                           fix="use one of " + ", ".join(LANGS))
    entries_data = data["entries"]
    if not entries_data:
        raise QuizgenError("the bank has no entries", where=f"{where}, line {data.line_of('entries')}",
                           fix="add at least one entry with a family")
    entries = []
    for i, item in enumerate(entries_data):
        line = entries_data.line_of(i) if isinstance(entries_data, LinedList) else 0
        entries.append(_entry(item, f"{where}, entry {i + 1}", line, i))
    return Bank(
        path=str(path), title=data["title"], course=data.get("course", ""), lang=lang,
        instructions=data.get("instructions", ""), seed=data.get("seed", 0), date=str(data.get("date", "")),
        duration=data.get("duration", ""), tolerance=data.get("tolerance", 0), entries=tuple(entries),
    )


def _entry(item: Any, where: str, line: int, index: int) -> Entry:
    if not isinstance(item, LinedDict):
        raise QuizgenError("an entry is a mapping with at least 'family'", where=f"{where}, line {line}",
                           fix="write e.g. '- {family: conv-conv, count: 2}'")
    _check_keys(item, ENTRY_KEYS, where)
    if "family" not in item:
        raise QuizgenError("missing 'family'", where=f"{where}, line {item.line}",
                           fix="add e.g. 'family: conv-conv' (see quizgen families)")
    fid = item["family"]
    if fid not in family_ids():
        close = difflib.get_close_matches(fid, family_ids(), n=1)
        fix = f"did you mean '{close[0]}'?" if close else "see 'quizgen families'"
        raise QuizgenError(f"unknown family '{fid}'", where=f"{where}, line {item.line_of('family')}", fix=fix)
    fam = family(fid)
    difficulty = item.get("difficulty", 1)
    if difficulty not in fam.difficulties:
        raise QuizgenError(f"family '{fid}' has no difficulty {difficulty}",
                           where=f"{where}, line {item.line_of('difficulty')}",
                           fix="use one of " + ", ".join(map(str, fam.difficulties)))
    count = item.get("count", 1)
    if count < 1:
        raise QuizgenError(f"count is {count}", where=f"{where}, line {item.line_of('count')}",
                           fix="use a count of 1 or more")
    points = item.get("points", 1)
    if points <= 0:
        raise QuizgenError(f"points is {points}", where=f"{where}, line {item.line_of('points')}",
                           fix="give a positive number of points")
    params = dict(item.get("params", {}))
    _check_params(fid, params, item.get("params"), where, item.line_of("params"))
    tags = item.get("tags", [])
    return Entry(fid, item.get("name", fid), count, difficulty, points, params,
                 tuple(str(t) for t in tags), item.get("tolerance"), line or item.line)


def _check_params(fid: str, params: dict[str, Any], node: Any, where: str, line: int) -> None:
    from quizgen.problems.params import choices_of

    fam = family(fid)
    allowed = dict(fam.parameters)
    for key, spec in params.items():
        key_line = node.line_of(key) if isinstance(node, LinedDict) else line
        here = f"{where}, line {key_line}"
        if key not in allowed:
            close = difflib.get_close_matches(str(key), list(allowed), n=1)
            fix = f"did you mean '{close[0]}'?" if close else (
                "this family's parameters: " + ", ".join(allowed) if allowed else "this family takes no parameters")
            raise QuizgenError(f"family '{fid}' has no parameter '{key}'", where=here, fix=fix)
        try:
            choices_of(key, spec)
        except QuizgenError as exc:
            raise exc.located(here) from None
    if fam.validate is not None:
        try:
            fam.validate(params)
        except QuizgenError as exc:
            raise exc.located(f"{where}, line {line}") from None


def _signature(problem: Problem) -> tuple:
    return (problem.stem, tuple((p.key, p.answer) for p in problem.parts),
            tuple((c.text, c.correct) for c in problem.choices))


def entry_variants(bank: Bank, entry_index: int, n: int, seed: int | None = None,
                   lang: str | None = None) -> list[Problem]:
    """``n`` distinct variants of one entry; QuizgenError when its ranges allow fewer."""
    from quizgen.problems import generate

    entry = bank.entries[entry_index]
    base = bank.seed if seed is None else seed
    out: list[Problem] = []
    seen: set[tuple] = set()
    attempts = 0
    limit = max(50, 20 * n)
    while len(out) < n and attempts < limit:
        problem = generate(entry.family, seed=variant_seed(base, entry_index, attempts), difficulty=entry.difficulty,
                           lang=lang or bank.lang, params=entry.params)
        attempts += 1
        sig = _signature(problem)
        if sig in seen:
            continue
        seen.add(sig)
        out.append(problem)
    if len(out) < n:
        raise QuizgenError(
            f"entry {entry_index + 1} ({entry.name}) asks for {n} distinct variants but its parameters gave only "
            f"{len(out)} in {attempts} draws",
            where=f"{bank.path}, line {entry.line}",
            fix=f"ask for at most {len(out)} or widen its parameter ranges",
        )
    return out


def version_code(index: int) -> str:
    """The code printed on version ``index`` (0-based): V01, V02, ..."""
    return f"V{index + 1:02d}"


def exam_versions(bank: Bank, n: int, seed: int | None = None, lang: str | None = None) -> list[ExamVersion]:
    """``n`` versions of the exam: for each entry, ``count`` questions per version, all distinct."""
    per_entry = [entry_variants(bank, i, e.count * n, seed, lang) for i, e in enumerate(bank.entries)]
    versions = []
    for v in range(n):
        questions = []
        number = 1
        for i, entry in enumerate(bank.entries):
            for k in range(entry.count):
                problem = per_entry[i][v * entry.count + k]
                questions.append(Question(number, i, entry, problem, entry.points))
                number += 1
        versions.append(ExamVersion(v, version_code(v), tuple(questions)))
    return versions
