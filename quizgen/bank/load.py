"""Banks: YAML files describing an exam or practice set (``quizgen.bank.draw`` draws their variants).

A bank has a title, course, language, instructions, seed and entries; each entry names a family,
how many questions of it, the difficulty, the points, parameter overrides and tags. Every mistake
is reported as ``file:line: message; fix`` (exit status 2), before anything is written. This module reads
the file and puts the bank and its entries together; the keys allowed and the check of each value are in
``quizgen.bank.values``.
"""

from __future__ import annotations

import difflib
import importlib.util
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from quizgen.bank.values import (
    BANK_KEYS,
    ENTRY_KEYS,
    ENTRY_TEXTS,
    EXAMPLES,
    TRANSLATED_KEYS,
    check_keys,
    check_lang,
    check_text,
    parse_exclusions,
    parse_labels,
    parse_points,
    parse_scoring,
    parse_shuffle,
    parse_texts,
    parse_work,
    value_kind,
)
from quizgen.errors import QuizgenError, location, shown
from quizgen.problems import FAMILY_MODULES, family, family_ids
from quizgen.text.yamlsource import LinedDict, LinedList, load

MAX_VARIANTS = 100_000  # distinct variants of one entry a command may draw: refused before any work beyond it


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


def load_bank(name: str | Path, lang: str | None = None, *, lenient: bool = False) -> Bank:
    """Read and validate a bank file (or a bundled bank's name); ``lang`` overrides the bank's language.

    With ``lenient`` a value fixed for a parameter that its entry's difficulty does not use, or that the entry's own
    network replaces, is not an error: the bank's ``warnings`` say so, with the fix (the value is ignored, as the
    difficulty or the network ignores it).
    """
    path = resolve_bank_path(name)
    data = load(path)
    where = str(path)
    if not isinstance(data, LinedDict):
        raise QuizgenError("a bank is a mapping with title and entries", where=location(where, 1),
                           fix="see banks/practice.yaml for an example")
    check_keys(data, BANK_KEYS, where, "")
    for required in ("title", "entries"):
        if required not in data:
            raise QuizgenError(f"missing '{required}'", where=location(where, data.line),
                               fix=f"add a line '{EXAMPLES[required]}'")
    titles = data["title"].values() if isinstance(data["title"], dict) else [data["title"]]
    if not titles or any(isinstance(t, str) and not t.strip() for t in titles):
        raise QuizgenError("the title is empty", where=location(where, data.line_of("title")),
                           fix=f"write one, e.g. {EXAMPLES['title']}")
    if data.get("tolerance", 0) < 0:
        raise QuizgenError(f"tolerance is {data['tolerance']}", where=location(where, data.line_of("tolerance")),
                           fix="give a tolerance of 0 or more")
    bank_lang = check_lang(data.get("lang", "en"), location(where, data.line_of("lang")))
    if lang is not None:
        bank_lang = check_lang(lang, "option --lang")
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
    scoring = parse_scoring(data.get("scoring", "per-option"), location(where, data.line_of("scoring")))
    entries = [replace(e, tolerance=data.get("tolerance", 0) if e.tolerance is None else e.tolerance,
                       scoring=e.scoring or scoring) for e in entries]
    _check_keys_unique(entries, where)
    source_lang = data.get("lang", "en")  # the language of plain texts
    texts = {key: parse_texts(data[key], key, where, data.line_of(key), source_lang)
             for key in TRANSLATED_KEYS if key in data}
    chosen = {key: by_lang.get(source_lang, next(iter(by_lang.values()))) for key, by_lang in texts.items()}
    if any(not words.strip() for words in texts.get("source", {}).values()):
        raise QuizgenError("the source is empty", where=location(where, data.line_of("source")),
                           fix=f"name it, e.g. {EXAMPLES['source']}, or remove the line (the questions then say "
                               "'the course')")
    if "source" in texts:
        entries = [replace(e, sources=texts["source"]) for e in entries]
    work = data.get("work", "auto")
    parse_work(work, location(where, data.line_of("work")))
    labels = parse_labels(data["labels"], location(where, data.line_of("labels"))) if "labels" in data else ()
    shuffle = parse_shuffle(data.get("shuffle", "none"), location(where, data.line_of("shuffle")))
    return Bank(
        path=str(path), title=chosen["title"], course=chosen.get("course", ""), lang=bank_lang,
        instructions=chosen.get("instructions", ""), seed=data.get("seed", 0), date=str(data.get("date", "")),
        duration=chosen.get("duration", ""), tolerance=data.get("tolerance", 0), entries=tuple(entries),
        exam_title=chosen.get("exam_title", ""), scoring=scoring, work=work, labels=labels, shuffle=shuffle,
        source=chosen.get("source", ""), texts=texts,
        text_lines={key: data.line_of(key) for key in (*texts, "date") if key in data}, warnings=tuple(warnings),
    )


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
        raise QuizgenError(f"{what}an entry is a mapping with at least 'family', not {value_kind(item)}",
                           where=location(path, line), fix="write e.g. '- {family: conv-conv, count: 2}'")
    custom = None
    if item.get("family") == "custom":  # its own keys describe the exercise (quizgen.bank.custom)
        from quizgen.bank.custom import split_entry

        item, custom = split_entry(item, path, f"entry {index + 1} (custom): ", ENTRY_KEYS)
    check_keys(item, ENTRY_KEYS, path, what)
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
    points, part_points = parse_points(item.get("points"), location(path, item.line_of("points")), what)
    scoring = parse_scoring(item["scoring"], location(path, item.line_of("scoring"))) if "scoring" in item else None
    tolerance = item.get("tolerance")
    if tolerance is not None and tolerance < 0:
        raise QuizgenError(f"{what}tolerance is {tolerance}", where=location(path, item.line_of("tolerance")),
                           fix="give a tolerance of 0 or more")
    tags = item.get("tags", [])
    for k, tag in enumerate(tags):
        if not isinstance(tag, str) or not tag.strip():
            tag_line = tags.line_of(k) if isinstance(tags, LinedList) else item.line_of("tags")
            raise QuizgenError(f"{what}a tag must be a word, not {value_kind(tag)} {shown(tag)}",
                               where=location(path, tag_line), fix="write e.g. tags: [parameters, conv]")
        check_text(tag, location(path, tags.line_of(k) if isinstance(tags, LinedList) else item.line_of("tags")),
                   f"{what}tag {k + 1}")
    if custom is not None:
        from quizgen.bank.custom import check_entry

        params = custom
        check_entry(custom, what, part_points, lang)
    else:
        params = dict(item.get("params", {}))
        if "network" in item and fam.own_network is not None and warnings is not None:
            _drop_replaced(fid, params, item.get("params"), path, item.line_of("params"), what, warnings)
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
    names, titles, notes = (parse_texts(item[key], key, path, item.line_of(key), source_lang) if key in item else {}
                            for key in ENTRY_TEXTS)
    for key, by_lang, example in (("title", titles, 'title: "My CNN, layer 2"'), ("note", notes, EXAMPLES["note"])):
        if any(not words.strip() for words in by_lang.values()):
            raise QuizgenError(f"{what}the {key} is empty", where=location(path, item.line_of(key)),
                               fix=f"write one, e.g. {example}, or remove the line")
    exclude = parse_exclusions(item.get("exclude_misconceptions"), item, path, what)
    work = item.get("work")
    if work is not None:
        parse_work(work, location(path, item.line_of("work")))
    name = names.get(source_lang, next(iter(names.values()), fid))
    if "id" in item and not item["id"].strip():
        raise QuizgenError(f"{what}the id is empty", where=location(path, item.line_of("id")),
                           fix=f"write one, e.g. {EXAMPLES['id']}")
    key = f"id:{item['id'].strip()}" if "id" in item else f"{fid}.d{difficulty}:{name}"
    if "group" in item and not item["group"].strip():
        raise QuizgenError(f"{what}the group is empty", where=location(path, item.line_of("group")),
                           fix=f"name it, e.g. {EXAMPLES['group']}")
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


def ignored(where: str, message: str, fix: str) -> str:
    """A warning of ``--lenient``: what a value would be refused for, that it is ignored, and the fix."""
    return f"{where}: {message}; the value is ignored" + (f"; {fix}" if fix else "")


def _drop_replaced(fid: str, params: dict[str, Any], node: Any, path: str, line: int, what: str,
                   warnings: list[str]) -> None:
    """With ``--lenient``: the params an entry's own network replaces (``quizgen.problems.own.replaced``) are left
    out of ``params``, each with a warning at its line, instead of the error they are without it."""
    from quizgen.problems.own import drop_replaced, replaced

    for name, exc in drop_replaced(params, replaced(fid, list(params))):
        at = location(path, node.line_of(name) if isinstance(node, LinedDict) else line)
        warnings.append(ignored(at, what + exc.message, exc.fix))


def _check_params(fam: Any, params: dict[str, Any], node: Any, path: str, line: int, difficulty: int,
                  what: str, warnings: list[str] | None = None) -> None:
    """Check an entry's params, each error at its parameter's line; unused values go to ``warnings`` when given."""
    from quizgen.bank.params import check_params

    def at(exc: QuizgenError) -> str:
        param = getattr(exc, "param", None)
        return location(path, node.line_of(param) if param is not None and isinstance(node, LinedDict) else line)

    try:
        unused = check_params(fam, params, difficulty, lenient=warnings is not None)
    except QuizgenError as exc:
        raise QuizgenError(what + exc.message, where=at(exc), fix=exc.fix) from None
    for exc in unused:
        warnings.append(ignored(at(exc), what + exc.message, exc.fix))  # type: ignore[union-attr]
