"""concepts: multiple-choice questions on the lecture's ideas, single and multiple answer.

The items are data an instructor edits, not code: ``templates/concepts/{en,it}.yaml`` hold the same
items (id, topic, difficulty, kind, stem, options with feedback, explanation, optional hint) in each
language;
this module loads and cross-checks them once, then draws one item and shuffles its options.

Every draw comes from ``rng`` and uses only language-independent data (ids, difficulties, correct
flags), so one seed gives the same item with the same option order in English and Italian.
Difficulty picks the items of that difficulty; when the topic/kind filters leave none, the nearest
difficulty is used (the lower one on a tie). Items named with ``items`` are used as given.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from quizgen.errors import QuizgenError, location
from quizgen.problems import Family
from quizgen.problems.model import Choice, Content, Step
from quizgen.problems.params import Kind, Param, Parameters, Params, choices_of, one_of, whole
from quizgen.text.templating import LANGS, templates_dir

KINDS = ("single", "multiple")
# at most this many options are shown; wrong ones are drawn when an item has more
DEFAULT_SHOWN = {"single": 5, "multiple": 7}
SHOWN_RANGE = (3, 8)

PARAMETERS = Parameters(
    Param("topic", "one topic or a list of topics", "un argomento o una lista di argomenti",
          Kind(lambda v: v in catalogue().topics, {"en": "a topic of the catalogue", "it": "un argomento del catalogo"},
               lambda: catalogue().topics, spell_out=True),
          chosen={"en": "every topic", "it": "tutti gli argomenti"}),
    Param("items", "item ids to draw from (the difficulty then does not filter them)",
          "id delle domande da cui estrarre (la difficoltà allora non le filtra)",
          Kind(lambda v: v in _item_ids(), {"en": "an item id of templates/concepts/en.yaml",
                                             "it": "un id di domanda di templates/concepts/en.yaml"},
               lambda: _item_ids()),
          chosen={"en": "the items of the entry's difficulty", "it": "le domande della difficoltà della voce"}),
    Param("kind", "single (one correct option) or multiple (several correct options)",
          "single (una sola opzione corretta) o multiple (più opzioni corrette)", one_of(*KINDS), default=KINDS),
    Param("options", "most options shown (every correct one is shown)",
          "numero massimo di opzioni mostrate (quelle corrette sono mostrate tutte)", whole(*SHOWN_RANGE),
          chosen={"en": "5 for single-answer items, 7 for multiple-answer ones",
                  "it": "5 per le domande a risposta singola, 7 per quelle a risposta multipla"}),
)


@dataclass(frozen=True)
class Wording:
    """One item's text in one language; ``options`` are (text, feedback) in the file's order.

    ``hint`` is the item's own hint, or None when the topic's hint fits the item.
    """

    stem: str
    options: tuple[tuple[str, str], ...]
    explanation: str
    hint: str | None = None


@dataclass(frozen=True)
class Item:
    """A concept question: language-independent facts plus its wording in every language."""

    id: str
    topic: str
    difficulty: int
    kind: str
    correct: tuple[bool, ...]
    wordings: tuple[tuple[str, Wording], ...]

    def wording(self, lang: str) -> Wording:
        return dict(self.wordings)[lang]


@dataclass(frozen=True)
class Catalogue:
    """All items (in file order), topic titles/hints and labels per language."""

    items: tuple[Item, ...]
    topics: tuple[str, ...]
    topic_text: tuple[tuple[str, tuple[tuple[str, tuple[str, str]], ...]], ...]  # lang -> topic -> (title, hint)
    labels: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]  # lang -> label key -> text

    def title(self, lang: str, topic: str) -> str:
        return dict(dict(self.topic_text)[lang])[topic][0]

    def hint(self, lang: str, topic: str) -> str:
        return dict(dict(self.topic_text)[lang])[topic][1]

    def hint_for(self, item: Item, lang: str) -> str:
        """The item's own hint when it has one (a topic hint can point away from its answer), else the topic's."""
        return item.wording(lang).hint or self.hint(lang, item.topic)

    def label(self, lang: str, key: str) -> str:
        return dict(dict(self.labels)[lang])[key]

    def item(self, item_id: str) -> Item:
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(item_id)


LABEL_KEYS = ("answer", "answers", "select_all")
_UNESCAPED_DOLLAR = re.compile(r"(?<!\\)\$")
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f]")


def _text(node: Any, key: str, where: str) -> str:
    """A non-empty rich-text field (numbers are accepted and written as they are)."""
    value = node.get(key) if isinstance(node, Mapping) else None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise QuizgenError(f"'{key}' is missing or empty", where=where, fix=f"give '{key}' a text")
    if _CONTROL.search(value):
        raise QuizgenError(f"'{key}' contains a control character (a backslash escape in a double-quoted string?)",
                           where=where, fix="write LaTeX in plain or >- scalars, or double the backslashes")
    if len(_UNESCAPED_DOLLAR.findall(value)) % 2:
        raise QuizgenError(f"'{key}' has an unmatched $", where=where, fix=r"close the math, or write \$ for a dollar")
    return value.strip()


def _line(node: Any, key: Any = None) -> int:
    if key is not None and hasattr(node, "line_of"):
        return node.line_of(key)
    return getattr(node, "line", 0)


def _read(path: Path, lined: bool) -> Any:
    """The YAML of an item file: fast (libyaml) by default, or with line numbers to locate an error."""
    import yaml

    from quizgen.text.yamlsource import load

    if lined or not hasattr(yaml, "CSafeLoader"):
        return load(path)
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return load(path)  # raises QuizgenError with the file and line


def _load_language(path: Path, lined: bool) -> dict[str, Any]:
    """One language file, checked on its own: labels, topics, items (raw)."""
    data = _read(path, lined)
    if not isinstance(data, Mapping) or not isinstance(data.get("items"), list):
        raise QuizgenError("expected a mapping with 'labels', 'topics' and 'items'", where=str(path),
                           fix="see templates/concepts/en.yaml")
    labels = {k: _text(data.get("labels"), k, location(path, _line(data, 'labels'))) for k in LABEL_KEYS}
    topics_node = data.get("topics")
    if not isinstance(topics_node, Mapping) or not topics_node:
        raise QuizgenError("'topics' is missing", where=str(path), fix="list each topic with a title and a hint")
    topics = {}
    for topic, node in topics_node.items():
        here = location(path, _line(topics_node, topic))
        topics[str(topic)] = (_text(node, "title", here), _text(node, "hint", here))
    items = []
    seen: set[str] = set()
    for index, node in enumerate(data["items"]):
        here = location(path, data["items"].line_of(index) if hasattr(data["items"], "line_of") else 0)
        if not isinstance(node, Mapping):
            raise QuizgenError("an item must be a mapping", where=here, fix="start each item with '- id: ...'")
        item_id = _text(node, "id", here)
        here = f"{location(path, _line(node))} (item {item_id})"
        if item_id in seen:
            raise QuizgenError(f"item id '{item_id}' appears twice", where=here, fix="give each item its own id")
        seen.add(item_id)
        topic = _text(node, "topic", here)
        if topic not in topics:
            raise QuizgenError(f"unknown topic '{topic}'", where=here,
                               fix="add it under 'topics' or use one listed there")
        difficulty = node.get("difficulty")
        if difficulty not in (1, 2, 3) or isinstance(difficulty, bool):
            raise QuizgenError(f"difficulty is {difficulty!r}", where=here, fix="use 1, 2 or 3")
        kind = node.get("kind")
        if kind not in KINDS:
            raise QuizgenError(f"kind is {kind!r}", where=here, fix="use single or multiple")
        options_node = node.get("options")
        if not isinstance(options_node, list) or len(options_node) < 2:
            raise QuizgenError("an item needs at least two options", where=here, fix="add options")
        options = []
        for k, opt in enumerate(options_node):
            at = f"{location(path, _line(opt) or _line(node))} (item {item_id}, option {k + 1})"
            if not isinstance(opt, Mapping) or not isinstance(opt.get("correct"), bool):
                raise QuizgenError("an option needs text, correct (true/false) and feedback", where=at,
                                   fix="write '- text: ...', 'correct: true', 'feedback: ...'")
            options.append((_text(opt, "text", at), opt["correct"], _text(opt, "feedback", at)))
        n_correct = sum(c for _, c, _ in options)
        if kind == "single" and n_correct != 1:
            raise QuizgenError(f"a single-answer item has {n_correct} correct options", where=here,
                               fix="mark exactly one option correct, or use kind: multiple")
        if kind == "multiple" and (n_correct < 2 or n_correct == len(options)):
            raise QuizgenError(f"a multiple-answer item has {n_correct} correct options of {len(options)}", where=here,
                               fix="mark at least two options correct and leave at least one wrong")
        texts = [t for t, _, _ in options]
        if len(set(texts)) != len(texts):
            raise QuizgenError("two options have the same text", where=here, fix="reword one of them")
        hint = _text(node, "hint", here) if "hint" in node else None
        items.append({"id": item_id, "topic": topic, "difficulty": difficulty, "kind": kind, "where": here,
                      "stem": _text(node, "stem", here), "options": options,
                      "explanation": _text(node, "explanation", here), "hint": hint})
    return {"labels": labels, "topics": topics, "items": items}


def load_catalogue(folder: Path | None = None) -> Catalogue:
    """Load every language file and check they describe the same items (same ids, flags, topics).

    The files are parsed with libyaml (fast); only when a check fails are they parsed again with line
    numbers, so that the error names the line to fix.
    """
    folder = folder or templates_dir() / "concepts"
    try:
        return _build(folder, lined=False)
    except QuizgenError:
        return _build(folder, lined=True)


def _build(folder: Path, lined: bool) -> Catalogue:
    per_lang = {lang: _load_language(folder / f"{lang}.yaml", lined) for lang in LANGS}
    base_lang = LANGS[0]
    base = per_lang[base_lang]
    for lang in LANGS[1:]:
        other = per_lang[lang]
        path = folder / f"{lang}.yaml"
        if set(other["topics"]) != set(base["topics"]):
            diff = sorted(set(other["topics"]) ^ set(base["topics"]))
            raise QuizgenError(f"topics differ from {base_lang}.yaml: {', '.join(diff)}", where=str(path),
                               fix="list the same topics in every language")
        ids = [it["id"] for it in other["items"]]
        base_ids = [it["id"] for it in base["items"]]
        if sorted(ids) != sorted(base_ids):
            diff = sorted(set(ids) ^ set(base_ids))
            raise QuizgenError(f"item ids differ from {base_lang}.yaml: {', '.join(diff)}", where=str(path),
                               fix="translate every item, with the same id")
        by_id = {it["id"]: it for it in other["items"]}
        for it in base["items"]:
            tr = by_id[it["id"]]
            for key in ("topic", "difficulty", "kind"):
                if tr[key] != it[key]:
                    raise QuizgenError(f"{key} is {tr[key]!r} but {it[key]!r} in {base_lang}.yaml", where=tr["where"],
                                       fix="keep topic, difficulty and kind the same in every language")
            if [c for _, c, _ in tr["options"]] != [c for _, c, _ in it["options"]]:
                raise QuizgenError(f"options (count or correct flags) differ from {base_lang}.yaml", where=tr["where"],
                                   fix="translate the options in the same order, with the same correct flags")
            if (tr["hint"] is None) != (it["hint"] is None):
                has, lacks = (base_lang, lang) if tr["hint"] is None else (lang, base_lang)
                raise QuizgenError(f"the item has a hint in {has}.yaml but not in {lacks}.yaml", where=tr["where"],
                                   fix="give the item's hint in every language, or in none")
    items = []
    for it in base["items"]:
        wordings = []
        for lang in LANGS:
            tr = next(x for x in per_lang[lang]["items"] if x["id"] == it["id"])
            wordings.append((lang, Wording(tr["stem"], tuple((t, f) for t, _, f in tr["options"]), tr["explanation"],
                                           tr["hint"])))
        items.append(Item(it["id"], it["topic"], it["difficulty"], it["kind"],
                          tuple(c for _, c, _ in it["options"]), tuple(wordings)))
    return Catalogue(
        items=tuple(items),
        topics=tuple(base["topics"]),
        topic_text=tuple((lang, tuple(per_lang[lang]["topics"].items())) for lang in LANGS),
        labels=tuple((lang, tuple(per_lang[lang]["labels"].items())) for lang in LANGS),
    )


@cache
def catalogue() -> Catalogue:
    """The bundled items, loaded and checked once per process."""
    return load_catalogue()


def _item_ids() -> tuple[str, ...]:
    return tuple(it.id for it in catalogue().items)


def _filtered(cat: Catalogue, overrides: Mapping[str, Any]) -> list[Item]:
    """Items allowed by topic, items and kind (before difficulty)."""
    pool = list(cat.items)
    if "topic" in overrides:
        topics = set(choices_of("topic", overrides["topic"]))
        pool = [it for it in pool if it.topic in topics]
    if "items" in overrides:
        ids = set(choices_of("items", overrides["items"]))
        pool = [it for it in pool if it.id in ids]
    if "kind" in overrides:
        kinds = set(choices_of("kind", overrides["kind"]))
        pool = [it for it in pool if it.kind in kinds]
    return pool


def candidates(overrides: Mapping[str, Any], difficulty: int) -> list[Item]:
    """The items a problem is drawn from: the filters, then the difficulty (nearest one if none match)."""
    validate(overrides, difficulty)
    pool = _filtered(catalogue(), overrides)
    if "items" in overrides:
        return pool
    nearest = min(abs(it.difficulty - difficulty) * 2 + (it.difficulty > difficulty) for it in pool)
    return [it for it in pool if abs(it.difficulty - difficulty) * 2 + (it.difficulty > difficulty) == nearest]


def validate(overrides: Mapping[str, Any], difficulty: int) -> None:
    """Reject filters that match no item (each value is checked by the declarations)."""
    PARAMETERS.check(overrides, "concepts")
    if not _filtered(catalogue(), overrides):
        asked = ", ".join(f"{k}: {overrides[k]}" for k in ("topic", "items", "kind") if k in overrides)
        raise QuizgenError(f"no concept item matches {asked}", fix="widen the topic, items or kind")


def _wrong_shown(item: Item, limit: int) -> int:
    """How many wrong options a question of this item shows (every correct one is always shown)."""
    n_correct = sum(item.correct)
    n_wrong = len(item.correct) - n_correct
    return min(n_wrong, max(1, limit - n_correct))


def _limits(overrides: Mapping[str, Any], kind: str) -> list[int]:
    if "options" in overrides:
        return choices_of("options", overrides["options"])
    return [DEFAULT_SHOWN[kind]]


def _after_colon(option: str) -> str:
    """An option quoted after "Correct answers:": no capital after a colon, but names keep theirs (AlexNet, ReLU)."""
    first = option.split(" ", 1)[0].replace("'", "")
    ordinary = first.isalpha() and (first[1:].islower() or first in ("A", "E", "I", "O"))  # not C3, ReLU, LRN
    return option[:1].lower() + option[1:] if ordinary else option


def generate(rng: random.Random, params: Params, difficulty: int, lang: str) -> Content:
    cat = catalogue()
    pool = candidates(params.overrides, difficulty)
    item = pool[rng.randrange(len(pool))]
    limit = params.draw("options", [DEFAULT_SHOWN[item.kind]])
    correct = [i for i, c in enumerate(item.correct) if c]
    wrong = [i for i, c in enumerate(item.correct) if not c]
    shown = correct + rng.sample(wrong, _wrong_shown(item, limit))
    rng.shuffle(shown)  # a uniform permutation: the correct option is equally likely in every position

    words = item.wording(lang)
    choices = tuple(Choice(words.options[i][0], item.correct[i], words.options[i][1]) for i in shown)
    stem = words.stem
    if item.kind == "multiple":
        stem += "\n\n" + cat.label(lang, "select_all")
    right = [_after_colon(words.options[i][0].rstrip(".")) for i in shown if item.correct[i]]
    label = cat.label(lang, "answers" if len(right) > 1 else "answer")
    solution = (Step(f"{label}: {'; '.join(right)}."), Step(words.explanation))
    return Content(
        title=cat.title(lang, item.topic), stem=stem, choices=choices, multiple=item.kind == "multiple",
        solution=solution, hint=cat.hint_for(item, lang), tags=(item.topic, f"item:{item.id}"),
    )


def space(overrides: Mapping[str, Any], difficulty: int) -> int:
    """Distinct questions: for each candidate item, the choices of wrong options times their orderings.

    This is what a bank counts as distinct variants (same stem, different options or order); the number
    of distinct items alone is ``len(candidates(overrides, difficulty))``.
    """
    total = 0
    for item in candidates(overrides, difficulty):
        n_correct = sum(item.correct)
        n_wrong = len(item.correct) - n_correct
        for k in sorted({_wrong_shown(item, limit) for limit in _limits(overrides, item.kind)}):
            total += math.comb(n_wrong, k) * math.factorial(n_correct + k)
    return total


FAMILY = Family(
    id="concepts",
    summary={"en": "multiple choice on the lecture's ideas: GPU memory, ReLU, dropout, LRN, 1×1 conv, AlexNet",
             "it": "scelta multipla sulle idee della lezione: memoria GPU, ReLU, dropout, LRN, convoluzione 1×1, "
                   "AlexNet"},
    generate=generate,
    parameters=PARAMETERS,
    validate=validate,
    space=space,
    tags=("concepts",),
)
