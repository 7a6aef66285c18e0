"""The keys a bank and its entries may have, and the checks of their values.

Each function reads one key's value (texts per language, version labels, working space, shuffling, points,
scoring, excluded misconceptions) and reports a mistake as ``file:line: message; fix``; ``quizgen.bank.load``
puts them together into a bank.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from fractions import Fraction
from typing import Any

from quizgen.errors import QuizgenError, location, shown
from quizgen.text.yamlsource import LinedDict, LinedList

BANK_KEYS = {
    "title": (str, dict), "course": (str, dict), "lang": str, "instructions": (str, dict), "seed": int,
    "date": str, "entries": list, "tolerance": (int, float), "exam_title": (str, dict), "duration": (str, dict),
    "scoring": str, "work": str, "labels": list, "shuffle": (str, list), "source": (str, dict),
}
ENTRY_KEYS = {
    "family": str, "name": (str, dict), "count": int, "difficulty": int, "points": (int, float, list),
    "params": dict, "tags": list, "tolerance": (int, float), "scoring": str, "work": str, "title": (str, dict),
    "note": (str, dict), "exclude_misconceptions": list, "id": str, "group": str, "network": str,
}
# texts a bank may give per language: ``title: {it: "...", en: "..."}`` (a plain text is in the bank's lang)
TRANSLATED_KEYS = ("title", "course", "instructions", "duration", "exam_title", "name", "source")
_TYPE_WORDS = {str: "text", int: "a whole number", list: "a list", dict: "a mapping", (int, float): "a number",
               (int, float, list): "a number or a list of numbers", (str, dict): "text (or one text per language)"}
EXAMPLES = {
    "title": 'title: "Deep Learning — exam"', "course": 'course: "Deep Learning"', "lang": "lang: it",
    "instructions": 'instructions: "Show your work."', "seed": "seed: 2026", "date": 'date: "2026-06-15"',
    "entries": "entries: [{family: conv-conv}]", "tolerance": "tolerance: 0.01", "exam_title": 'exam_title: "Exam"',
    "duration": 'duration: "2 hours"', "family": "family: conv-conv", "name": 'name: "LeNet-5, C3"',
    "count": "count: 2", "difficulty": "difficulty: 2", "points": "points: 3", "params": "params: {f: [3, 5]}",
    "tags": "tags: [parameters, conv]", "scoring": "scoring: per-option", "work": "work: lines 6",
    "labels": "labels: [A, B]",
    "source": 'source: "Lecture 3"', "note": 'note: "Use the notation of chapter 4."',
    "exclude_misconceptions": "exclude_misconceptions: [mb-vs-mib]",
    "id": "id: conv-2", "shuffle": "shuffle: [questions, options]", "group": "group: lenet",
}
ENTRY_TEXTS = ("name", "title", "note")  # an entry's texts that may be given per language


def check_keys(data: LinedDict, allowed: dict[str, Any], path: str, what: str) -> None:
    """Unknown keys (with the closest known one) and values of the wrong type, each at its line."""
    for key in data:
        here = location(path, data.line_of(key))
        if key not in allowed:
            close = difflib.get_close_matches(str(key), list(allowed), n=1)
            fix = (f"did you mean '{close[0]}'? " if close else "") + "allowed keys: " + ", ".join(allowed)
            if str(key).lower().startswith("comment"):
                fix = "a comment is a line starting with '#'; " + fix
            raise QuizgenError(f"{what}unknown key '{key}'", where=here, fix=fix)
        expected = allowed[key]
        value = data[key]
        ok = isinstance(value, expected) and not (isinstance(value, bool) and expected is not str)
        if not ok:
            words = _TYPE_WORDS.get(expected, str(expected))
            raise QuizgenError(f"{what}'{key}' must be {words}, not {value_kind(value)} {shown(value)}", where=here,
                               fix=f"write it as {words}, e.g. {EXAMPLES.get(key, key)}")
        if isinstance(value, float) and not math.isfinite(value):
            raise QuizgenError(f"{what}'{key}' is {value}", where=here,
                               fix=f"give a finite number, e.g. {EXAMPLES.get(key, key)}")
        if isinstance(value, str):
            check_text(value, here, f"{what}'{key}'")


def check_text(value: str, where: str, what: str) -> None:
    """Refuse text that no output can hold: control characters, lone surrogates, non-characters."""
    for ch in value:
        if ch not in "\t\n\r" and unicodedata.category(ch) in ("Cc", "Cs") or ch in "\ufffe\uffff":
            raise QuizgenError(f"{what} holds the control character U+{ord(ch):04X}", where=where,
                               fix="remove it: it cannot be printed, nor written in XML")


def value_kind(value: Any) -> str:
    from quizgen.bank.params import kind_of

    return "nothing" if value is None else kind_of(value)


def check_lang(lang: Any, where: str) -> str:
    from quizgen.text.templating import LANGS

    if lang not in LANGS:
        close = difflib.get_close_matches(str(lang), LANGS, n=1)
        fix = f"did you mean '{close[0]}'?" if close else "use one of " + ", ".join(LANGS)
        raise QuizgenError(f"unknown language '{lang}'", where=where, fix=fix)
    return lang


SHUFFLES = ("questions", "options")


def parse_shuffle(value: str | list, where: str) -> tuple[str, ...]:
    """What each exam version orders its own way: ``none``, ``questions``, ``options`` or a list of both."""
    values = value if isinstance(value, list) else [] if value == "none" else [value]
    if isinstance(value, list) and not value or any(v not in SHUFFLES for v in values) \
            or len(set(values)) < len(values):
        raise QuizgenError(f"shuffle is {shown(value)}", where=where,
                           fix="write shuffle: questions, shuffle: options, shuffle: [questions, options] or "
                               "shuffle: none")
    return tuple(v for v in SHUFFLES if v in values)


def parse_texts(value: Any, key: str, path: str, line: int, source_lang: str) -> dict[str, str]:
    """A bank text as {language: text}: a plain text is in the bank's language."""
    if isinstance(value, str):
        return {source_lang: value}
    if not value:
        raise QuizgenError(f"'{key}' gives no text", where=location(path, line),
                           fix=f'write e.g. {key}: {{it: "...", en: "..."}}')
    out = {}
    for lang, words in value.items():
        where = location(path, value.line_of(lang) if isinstance(value, LinedDict) else line)
        check_lang(lang, where)
        if not isinstance(words, str):
            raise QuizgenError(f"'{key}' in {lang} must be text, not {value_kind(words)} {words!r}", where=where,
                               fix=f'write e.g. {key}: {{{lang}: "..."}}')
        check_text(words, where, f"'{key}' in {lang}")
        out[lang] = words
    return out


LABEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,11}")


def parse_labels(values: list | tuple, where: str) -> tuple[str, ...]:
    """Version labels (``[A, B]``): short words of letters, digits and '-', distinct even ignoring case
    (they name files)."""
    if not values:
        raise QuizgenError("labels is an empty list", where=where,
                           fix="give one label per version, e.g. labels: [A, B]")
    out: list[str] = []
    for value in values:
        label = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
        if not isinstance(label, str) or not LABEL.fullmatch(label):
            raise QuizgenError(f"version label {shown(value)} is not a short word", where=where,
                               fix="use 1 to 12 letters, digits or '-' (starting with a letter or digit), "
                                   "e.g. labels: [A, B] or --labels A,B")
        if label.casefold() in (o.casefold() for o in out):
            raise QuizgenError(f"version label '{label}' is given twice", where=where,
                               fix="give each version its own label (they name files, so 'a' and 'A' are the same)")
        out.append(label)
    return tuple(out)


WORK_UNITS_CM = {"cm": 1.0, "mm": 0.1, "in": 2.54, "pt": 2.54 / 72.27}


WORK_MAX_CM = 23  # a working box still fits on an A4 page beside its answers


def parse_work(value: str, where: str) -> tuple[str, float, str]:
    """A working-space option as (kind, amount, unit): ``auto``, ``none``, ``lines 6``, ``box 5cm``."""
    words = value.split()
    if words in (["auto"], ["none"]):
        return words[0], 0, ""
    if len(words) == 2 and words[0] == "lines" and words[1].isdigit() and 0 < int(words[1]) <= 40:
        return "lines", int(words[1]), ""
    if len(words) == 2 and words[0] == "box":
        m = re.fullmatch(r"(\d+(?:\.\d+)?)(cm|mm|in|pt)", words[1])
        if m and 0 < float(m.group(1)) * WORK_UNITS_CM[m.group(2)] <= WORK_MAX_CM:
            return "box", float(m.group(1)), m.group(2)
    raise QuizgenError(f"work is {value!r}", where=where,
                       fix="write 'work: none', 'work: lines N' (N from 1 to 40), 'work: box 4cm' (cm, mm, in "
                           f"or pt, at most {WORK_MAX_CM} cm) or 'work: auto' (a box sized to the question)")


def parse_exclusions(value: list | None, item: LinedDict, path: str, what: str) -> tuple[str, ...]:
    """The misconception ids an entry leaves out, each one of the catalogue's (did-you-mean otherwise)."""
    from quizgen.problems.misconceptions import CATALOGUE

    if value is None:
        return ()
    out: list[str] = []
    for k, mid in enumerate(value):
        where = location(path, value.line_of(k) if isinstance(value, LinedList) else item.line_of(
            "exclude_misconceptions"))
        if not isinstance(mid, str) or mid not in CATALOGUE:
            close = difflib.get_close_matches(str(mid), list(CATALOGUE), n=1)
            fix = (f"did you mean '{close[0]}'? " if close else "") + "list the ids with: quizgen misconceptions"
            raise QuizgenError(f"{what}no misconception {shown(mid)}", where=where, fix=fix)
        if mid not in out:
            out.append(mid)
    return tuple(out)


def parse_points(value: Any, where: str, what: str) -> tuple[float | None, tuple[Fraction, ...]]:
    """An entry's points (their sum) and, when listed, the points of each answer; whole points or halves."""
    from quizgen.bank.points import is_halves

    if value is None:
        return None, ()
    listed = isinstance(value, list)
    for v in value if listed else [value]:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) \
                or not is_halves(Fraction(v)):
            raise QuizgenError(f"{what}points is {v!r}", where=where,
                               fix="give a positive number of points in whole numbers or halves, "
                                   "e.g. points: 3 or points: [1, 1, 1.5]")
    if listed and not value:
        raise QuizgenError(f"{what}points is an empty list", where=where, fix="give e.g. points: [1, 1, 2]")
    parts = tuple(Fraction(v) for v in value) if listed else ()
    return (float(sum(parts)) if listed else value), parts


def parse_scoring(value: str, where: str) -> str:
    from quizgen.bank.points import SCORING

    if value not in SCORING:
        raise QuizgenError(f"scoring is {value!r}", where=where,
                           fix="write scoring: per-option (a share per correct tick, a penalty per wrong tick) "
                               "or scoring: all-or-nothing")
    return value
