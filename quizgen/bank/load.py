"""Banks: YAML files describing an exam or practice set (``quizgen.bank.draw`` draws their variants).

A bank has a title, course, language, instructions, seed and entries; each entry names a family,
how many questions of it, the difficulty, the points, parameter overrides and tags. Every mistake
is reported as ``file:line: message; fix`` (exit status 2), before anything is written.
"""

from __future__ import annotations

import difflib
import importlib.util
import math
import re
import unicodedata
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from quizgen.errors import QuizgenError, location, shown
from quizgen.problems import FAMILY_MODULES, family, family_ids
from quizgen.text.yamlsource import LinedDict, LinedList, load

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
MAX_VARIANTS = 100_000  # distinct variants of one entry a command may draw: refused before any work beyond it
# texts a bank may give per language: ``title: {it: "...", en: "..."}`` (a plain text is in the bank's lang)
TRANSLATED_KEYS = ("title", "course", "instructions", "duration", "exam_title", "name", "source")
_TYPE_WORDS = {str: "text", int: "a whole number", list: "a list", dict: "a mapping", (int, float): "a number",
               (int, float, list): "a number or a list of numbers", (str, dict): "text (or one text per language)"}
_EXAMPLES = {
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


@dataclass(frozen=True)
class Entry:
    """One line of a bank: ``count`` questions of ``family`` at ``difficulty``."""

    family: str
    name: str
    count: int = 1
    difficulty: int = 1
    points: float | None = None  # the question's points; None: one point per answer (quizgen.bank.points)
    params: dict[str, Any] = field(default_factory=dict, hash=False)
    tags: tuple[str, ...] = ()
    tolerance: float | None = None
    line: int = 0
    part_points: tuple[Fraction, ...] = ()  # one per answer when the bank lists them (points is their sum)
    scoring: str | None = None  # multiple-answer scoring (quizgen.bank.points); None: the bank's
    work: str | None = None  # none, lines N or box HEIGHT (see parse_work); None: the bank's
    names: dict[str, str] = field(default_factory=dict, hash=False, compare=False)  # name per language
    titles: dict[str, str] = field(default_factory=dict, hash=False, compare=False)  # the questions' title
    notes: dict[str, str] = field(default_factory=dict, hash=False, compare=False)  # a sentence added to the stem
    exclude: tuple[str, ...] = ()  # misconceptions its questions never name (quizgen misconceptions)
    # what the entry's draws are keyed by (quizgen.bank.draw): its id, else family, difficulty and name; never
    # its position
    key: str = ""
    group: str | None = None  # entries of one group stay together when a version's questions are shuffled
    sources: dict[str, str] = field(default_factory=dict, hash=False, compare=False)  # the bank's source per language

    def text(self, key: str, lang: str) -> str:
        """The entry's ``name``, ``title``, ``note`` or ``source`` in ``lang`` (else in the first language it has;
        '' when the bank does not give it)."""
        by_lang = {"name": self.names, "title": self.titles, "note": self.notes, "source": self.sources}[key]
        return by_lang.get(lang, next(iter(by_lang.values()), ""))


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
    exam_title: str = ""
    scoring: str = "per-option"  # how multiple-answer questions are scored (quizgen.bank.points)
    work: str = "auto"  # working space under each question (see parse_work)
    labels: tuple[str, ...] = ()  # the versions' labels (A, B, ...); none: V01, V02, ...
    shuffle: tuple[str, ...] = ()  # what each exam version orders its own way: questions, options
    source: str = ""  # what the questions quote ("Lecture 3"); none: "the course"
    texts: dict[str, dict[str, str]] = field(default_factory=dict, hash=False, compare=False)  # key -> lang -> text
    text_lines: dict[str, int] = field(default_factory=dict, hash=False, compare=False)  # key -> its line (date too)
    warnings: tuple[str, ...] = field(default=(), compare=False)  # with lenient: what was ignored, file:line first

    @property
    def stem(self) -> str:
        return Path(self.path).stem

    def missing_texts(self, lang: str) -> list[tuple[str, str, int]]:
        """(key, languages it has, line) of each text the bank gives per language but not in ``lang``."""
        missing = [(key, "/".join(by_lang), self.text_lines.get(key, 0))
                   for key, by_lang in self.texts.items() if lang not in by_lang]
        for i, entry in enumerate(self.entries):
            for key, by_lang in (("name", entry.names), ("title", entry.titles), ("note", entry.notes)):
                if by_lang and lang not in by_lang:
                    missing.append((f"entries[{i + 1}].{key}", "/".join(by_lang), entry.line))
        return missing

    def in_lang(self, lang: str, allow_mixed: bool = False) -> Bank:
        """The bank with its texts in ``lang``; QuizgenError naming the first text ``lang`` lacks (unless mixed)."""
        missing = self.missing_texts(lang)
        if missing and not allow_mixed:
            key, have, line = missing[0]
            first = have.split("/")[0]
            raise QuizgenError(f"'{key}' is given in {have} only, not in {lang}", where=location(self.path, line),
                               fix=f"write it per language, e.g. {key.split('.')[-1]}: {{{first}: \"...\", "
                                   f"{lang}: \"...\"}}, or add --allow-mixed-language")
        chosen = {key: by_lang.get(lang, next(iter(by_lang.values()))) for key, by_lang in self.texts.items()}
        entries = tuple(replace(e, name=e.names.get(lang, e.name)) if e.names else e for e in self.entries)
        return replace(self, lang=lang, entries=entries, **chosen)


def resolve_bank_path(name: str | Path) -> Path:
    """A bank path, or the name of a bundled bank (``lecture``, ``practice``)."""
    from quizgen.bank.networks import is_file
    from quizgen.text.templating import banks_dir

    path = Path(name)
    if is_file(path):
        return path
    bundled = banks_dir() / f"{name}.yaml"
    if is_file(bundled):
        return bundled
    available = sorted(p.stem for p in banks_dir().glob("*.yaml"))
    raise QuizgenError(f"no bank '{name}'", fix="give a YAML file or one of the bundled banks: " + ", ".join(available))


def _check_keys(data: LinedDict, allowed: dict[str, Any], path: str, what: str) -> None:
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
            raise QuizgenError(f"{what}'{key}' must be {words}, not {_kind(value)} {shown(value)}", where=here,
                               fix=f"write it as {words}, e.g. {_EXAMPLES.get(key, key)}")
        if isinstance(value, float) and not math.isfinite(value):
            raise QuizgenError(f"{what}'{key}' is {value}", where=here,
                               fix=f"give a finite number, e.g. {_EXAMPLES.get(key, key)}")
        if isinstance(value, str):
            check_text(value, here, f"{what}'{key}'")


def check_text(value: str, where: str, what: str) -> None:
    """Refuse text that no output can hold: control characters, lone surrogates, non-characters."""
    for ch in value:
        if ch not in "\t\n\r" and unicodedata.category(ch) in ("Cc", "Cs") or ch in "\ufffe\uffff":
            raise QuizgenError(f"{what} holds the control character U+{ord(ch):04X}", where=where,
                               fix="remove it: it cannot be printed, nor written in XML")


def _kind(value: Any) -> str:
    from quizgen.bank.params import kind_of

    return "nothing" if value is None else kind_of(value)


def _lang(lang: Any, where: str) -> str:
    from quizgen.text.templating import LANGS

    if lang not in LANGS:
        close = difflib.get_close_matches(str(lang), LANGS, n=1)
        fix = f"did you mean '{close[0]}'?" if close else "use one of " + ", ".join(LANGS)
        raise QuizgenError(f"unknown language '{lang}'", where=where, fix=fix)
    return lang


def load_bank(name: str | Path, lang: str | None = None, *, lenient: bool = False) -> Bank:
    """Read and validate a bank file (or a bundled bank's name); ``lang`` overrides the bank's language.

    With ``lenient`` a value fixed for a parameter that its entry's difficulty does not use is not an
    error: the bank's ``warnings`` say so (the value is ignored, as the difficulty ignores it).
    """
    path = resolve_bank_path(name)
    data = load(path)
    where = str(path)
    if not isinstance(data, LinedDict):
        raise QuizgenError("a bank is a mapping with title and entries", where=location(where, 1),
                           fix="see banks/practice.yaml for an example")
    _check_keys(data, BANK_KEYS, where, "")
    for required in ("title", "entries"):
        if required not in data:
            raise QuizgenError(f"missing '{required}'", where=location(where, data.line),
                               fix=f"add a line '{_EXAMPLES[required]}'")
    titles = data["title"].values() if isinstance(data["title"], dict) else [data["title"]]
    if not titles or any(isinstance(t, str) and not t.strip() for t in titles):
        raise QuizgenError("the title is empty", where=location(where, data.line_of("title")),
                           fix=f"write one, e.g. {_EXAMPLES['title']}")
    if data.get("tolerance", 0) < 0:
        raise QuizgenError(f"tolerance is {data['tolerance']}", where=location(where, data.line_of("tolerance")),
                           fix="give a tolerance of 0 or more")
    bank_lang = _lang(data.get("lang", "en"), location(where, data.line_of("lang")))
    if lang is not None:
        bank_lang = _lang(lang, "option --lang")
    entries_data = data["entries"]
    if not entries_data:
        raise QuizgenError("the bank has no entries", where=location(where, data.line_of("entries")),
                           fix="add at least one entry, e.g. '- {family: conv-conv}'")
    entries = []
    warnings: list[str] = []
    for i, item in enumerate(entries_data):
        line = entries_data.line_of(i) if isinstance(entries_data, LinedList) else data.line_of("entries")
        entries.append(_entry(item, where, line, i, bank_lang, data.get("lang", "en"), warnings if lenient else None))
    # an entry without its own tolerance or scoring takes the bank's: every output reads the entry's
    scoring = _scoring(data.get("scoring", "per-option"), location(where, data.line_of("scoring")))
    entries = [replace(e, tolerance=data.get("tolerance", 0) if e.tolerance is None else e.tolerance,
                       scoring=e.scoring or scoring) for e in entries]
    _check_keys_unique(entries, where)
    source_lang = data.get("lang", "en")  # the language of plain texts
    texts = {key: _texts(data[key], key, where, data.line_of(key), source_lang)
             for key in TRANSLATED_KEYS if key in data}
    chosen = {key: by_lang.get(source_lang, next(iter(by_lang.values()))) for key, by_lang in texts.items()}
    if any(not words.strip() for words in texts.get("source", {}).values()):
        raise QuizgenError("the source is empty", where=location(where, data.line_of("source")),
                           fix=f"name it, e.g. {_EXAMPLES['source']}, or remove the line (the questions then say "
                               "'the course')")
    if "source" in texts:
        entries = [replace(e, sources=texts["source"]) for e in entries]
    work = data.get("work", "auto")
    parse_work(work, location(where, data.line_of("work")))
    labels = parse_labels(data["labels"], location(where, data.line_of("labels"))) if "labels" in data else ()
    shuffle = _shuffle(data.get("shuffle", "none"), location(where, data.line_of("shuffle")))
    return Bank(
        path=str(path), title=chosen["title"], course=chosen.get("course", ""), lang=bank_lang,
        instructions=chosen.get("instructions", ""), seed=data.get("seed", 0), date=str(data.get("date", "")),
        duration=chosen.get("duration", ""), tolerance=data.get("tolerance", 0), entries=tuple(entries),
        exam_title=chosen.get("exam_title", ""), scoring=scoring, work=work, labels=labels, shuffle=shuffle,
        source=chosen.get("source", ""), texts=texts,
        text_lines={key: data.line_of(key) for key in (*texts, "date") if key in data}, warnings=tuple(warnings),
    )


SHUFFLES = ("questions", "options")


def _shuffle(value: str | list, where: str) -> tuple[str, ...]:
    """What each exam version orders its own way: ``none``, ``questions``, ``options`` or a list of both."""
    values = value if isinstance(value, list) else [] if value == "none" else [value]
    if isinstance(value, list) and not value or any(v not in SHUFFLES for v in values) \
            or len(set(values)) < len(values):
        raise QuizgenError(f"shuffle is {shown(value)}", where=where,
                           fix="write shuffle: questions, shuffle: options, shuffle: [questions, options] or "
                               "shuffle: none")
    return tuple(v for v in SHUFFLES if v in values)


def _check_keys_unique(entries: list[Entry], path: str) -> None:
    """Two entries keyed alike would draw the same numbers: each needs an identity of its own."""
    first: dict[str, int] = {}
    for i, entry in enumerate(entries):
        if entry.key in first:
            j = first[entry.key]
            same = (f"id '{entry.key[3:]}'" if entry.key.startswith("id:") else
                    f"family {entry.family}, difficulty {entry.difficulty} and name '{entry.name}'" if entry.names
                    else f"family {entry.family}, difficulty {entry.difficulty} and no name")
            raise QuizgenError(f"entries {j + 1} and {i + 1} have the same {same}, so they would draw the same "
                               "numbers", where=location(path, entry.line),
                               fix=f"give entry {i + 1} an id of its own (e.g. id: {entry.family}-{i + 1}) "
                                   "or another name")
        first[entry.key] = i


def _texts(value: Any, key: str, path: str, line: int, source_lang: str) -> dict[str, str]:
    """A bank text as {language: text}: a plain text is in the bank's language."""
    if isinstance(value, str):
        return {source_lang: value}
    if not value:
        raise QuizgenError(f"'{key}' gives no text", where=location(path, line),
                           fix=f'write e.g. {key}: {{it: "...", en: "..."}}')
    out = {}
    for lang, words in value.items():
        where = location(path, value.line_of(lang) if isinstance(value, LinedDict) else line)
        _lang(lang, where)
        if not isinstance(words, str):
            raise QuizgenError(f"'{key}' in {lang} must be text, not {_kind(words)} {words!r}", where=where,
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


def _family(fid: str, where: str, what: str):  # noqa: ANN202 - a Family
    if fid not in family_ids():
        close = difflib.get_close_matches(fid, family_ids(), n=1)
        fix = f"did you mean '{close[0]}'?" if close else "see 'quizgen families' for the ids"
        raise QuizgenError(f"{what}unknown family '{fid}'", where=where, fix=fix)
    if importlib.util.find_spec(FAMILY_MODULES[fid]) is None:
        raise QuizgenError(f"{what}family '{fid}' is not available in this version of quizgen", where=where,
                           fix="remove the entry or upgrade quizgen (see 'quizgen families')")
    return family(fid)


def _entry(item: Any, path: str, line: int, index: int, lang: str, source_lang: str,
           warnings: list[str] | None = None) -> Entry:
    what = f"entry {index + 1}: "
    if not isinstance(item, LinedDict):
        raise QuizgenError(f"{what}an entry is a mapping with at least 'family', not {_kind(item)}",
                           where=location(path, line), fix="write e.g. '- {family: conv-conv, count: 2}'")
    custom = None
    if item.get("family") == "custom":  # its own keys describe the exercise (quizgen.bank.custom)
        from quizgen.bank.custom import split_entry

        item, custom = split_entry(item, path, f"entry {index + 1} (custom): ", ENTRY_KEYS)
    _check_keys(item, ENTRY_KEYS, path, what)
    if "family" not in item:
        raise QuizgenError(f"{what}missing 'family'", where=location(path, item.line),
                           fix="add e.g. 'family: conv-conv' (see quizgen families)")
    fid = item["family"]
    fam = _family(fid, location(path, item.line_of("family")), what)
    what = f"entry {index + 1} ({fid}): "
    difficulty = item.get("difficulty", 1)
    if difficulty not in fam.difficulties:
        raise QuizgenError(f"{what}no difficulty {difficulty}", where=location(path, item.line_of("difficulty")),
                           fix="use one of " + ", ".join(map(str, fam.difficulties)))
    count = item.get("count", 1)
    if count > MAX_VARIANTS:
        raise QuizgenError(f"{what}count is {count:,}", where=location(path, item.line_of("count")),
                           fix=f"use a count of at most {MAX_VARIANTS:,}")
    if count < 1:
        raise QuizgenError(f"{what}count is {count}", where=location(path, item.line_of("count")),
                           fix="use a count of 1 or more")
    points, part_points = _points(item.get("points"), location(path, item.line_of("points")), what)
    scoring = _scoring(item["scoring"], location(path, item.line_of("scoring"))) if "scoring" in item else None
    tolerance = item.get("tolerance")
    if tolerance is not None and tolerance < 0:
        raise QuizgenError(f"{what}tolerance is {tolerance}", where=location(path, item.line_of("tolerance")),
                           fix="give a tolerance of 0 or more")
    tags = item.get("tags", [])
    for k, tag in enumerate(tags):
        if not isinstance(tag, str) or not tag.strip():
            tag_line = tags.line_of(k) if isinstance(tags, LinedList) else item.line_of("tags")
            raise QuizgenError(f"{what}a tag must be a word, not {_kind(tag)} {shown(tag)}",
                               where=location(path, tag_line), fix="write e.g. tags: [parameters, conv]")
        check_text(tag, location(path, tags.line_of(k) if isinstance(tags, LinedList) else item.line_of("tags")),
                   f"{what}tag {k + 1}")
    if custom is not None:
        from quizgen.bank.custom import check_entry

        params = custom
        check_entry(custom, what, part_points, lang)
    else:
        params = dict(item.get("params", {}))
        _check_params(fam, params, item.get("params"), path, item.line_of("params"), difficulty, what, warnings)
    if "network" in item and custom is None:  # a custom entry builds its network from its own template
        params["network"] = _own_network(item, params, fam, difficulty, Path(path).parent, location(
            path, item.line_of("network")), what, lang)
    if fam.space is not None:
        space = fam.space(params, difficulty)
        if space is not None and count > space:
            raise QuizgenError(f"{what}asks for {count} distinct questions but only {space} exist",
                               where=location(path, item.line_of("count")),
                               fix=f"ask for at most {space} or widen the parameter ranges")
    names, titles, notes = (_texts(item[key], key, path, item.line_of(key), source_lang) if key in item else {}
                            for key in ENTRY_TEXTS)
    for key, by_lang, example in (("title", titles, 'title: "My CNN, layer 2"'), ("note", notes, _EXAMPLES["note"])):
        if any(not words.strip() for words in by_lang.values()):
            raise QuizgenError(f"{what}the {key} is empty", where=location(path, item.line_of(key)),
                               fix=f"write one, e.g. {example}, or remove the line")
    exclude = _exclusions(item.get("exclude_misconceptions"), item, path, what)
    work = item.get("work")
    if work is not None:
        parse_work(work, location(path, item.line_of("work")))
    name = names.get(source_lang, next(iter(names.values()), fid))
    if "id" in item and not item["id"].strip():
        raise QuizgenError(f"{what}the id is empty", where=location(path, item.line_of("id")),
                           fix=f"write one, e.g. {_EXAMPLES['id']}")
    key = f"id:{item['id'].strip()}" if "id" in item else f"{fid}.d{difficulty}:{name}"
    if "group" in item and not item["group"].strip():
        raise QuizgenError(f"{what}the group is empty", where=location(path, item.line_of("group")),
                           fix=f"name it, e.g. {_EXAMPLES['group']}")
    return Entry(fid, name, count, difficulty, points, params, tuple(tags), tolerance, line or item.line,
                 part_points=part_points, scoring=scoring, work=work, names=names, titles=titles, notes=notes,
                 exclude=exclude, key=key, group=item["group"].strip() if "group" in item else None)


def _own_network(item: LinedDict, params: dict, fam: Any, difficulty: int, folder: Path, where: str, what: str,
                 lang: str) -> Any:
    """An entry's own network (``quizgen.bank.networks.entry_network``), its mistakes located at its line."""
    from quizgen.bank.networks import entry_network

    if fam.own_network is None:
        from quizgen.problems import families

        raise QuizgenError(f"{what}network: is for the questions about a whole network, not {fam.id}", where=where,
                           fix="use it with family: " + ", ".join(f.id for f in families() if f.own_network))
    if "network" in (item.get("params") or {}):
        raise QuizgenError(f"{what}the network is given twice (network: and params: network)", where=where,
                           fix="keep one of them")
    try:
        return entry_network(item["network"], folder, fam.id, difficulty, params, lang)
    except QuizgenError as exc:
        raise QuizgenError(what + exc.message, where=where, fix=exc.fix) from None


def _exclusions(value: list | None, item: LinedDict, path: str, what: str) -> tuple[str, ...]:
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


def _points(value: Any, where: str, what: str) -> tuple[float | None, tuple[Fraction, ...]]:
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


def _scoring(value: str, where: str) -> str:
    from quizgen.bank.points import SCORING

    if value not in SCORING:
        raise QuizgenError(f"scoring is {value!r}", where=where,
                           fix="write scoring: per-option (a share per correct tick, a penalty per wrong tick) "
                               "or scoring: all-or-nothing")
    return value


def _check_params(fam: Any, params: dict[str, Any], node: Any, path: str, line: int, difficulty: int,
                  what: str, warnings: list[str] | None = None) -> None:
    """Check an entry's params, each error at its parameter's line; unused values go to ``warnings`` when given."""
    from quizgen.bank.params import check_params

    def at(exc: QuizgenError) -> str:
        param = getattr(exc, "param", None)
        return location(path, node.line_of(param) if param is not None and isinstance(node, LinedDict) else line)

    try:
        ignored = check_params(fam, params, difficulty, lenient=warnings is not None)
    except QuizgenError as exc:
        raise QuizgenError(what + exc.message, where=at(exc), fix=exc.fix) from None
    for exc in ignored:
        warnings.append(f"{at(exc)}: {what}{exc.message}; the value is ignored")  # type: ignore[union-attr]
