"""custom: an exercise an instructor writes in a bank entry, in YAML, without Python.

    - family: custom
      name: {en: "A VGG-style block", it: "Un blocco in stile VGG"}
      network: "{W}x{W}x3 > conv {n} 3 p=1 > conv {n} 3 p=1 > maxpool 2 > fc {F}"
      params: {W: [32, 64, 96], n: {min: 16, max: 64, step: 16}, F: [10, 100]}
      let: {half: "W // 2"}                     # optional: computed values, in order
      where: "W % 8 == 0"                        # optional: a condition every draw satisfies
      ask: [output_size(conv#2), params(conv#2), flatten, params(fc#4), total_params]
      stem: {en: "...", it: "..."}               # optional: a stem is generated otherwise

An item of ``ask`` may be a mapping with the part's own settings: ``{quantity: total_params, bytes: float32,
unit: MB, decimals: 3, tolerance: 0.01, wrong: [{value: "answer * 8", feedback: {...}}]}`` (memory in a unit, its
stated decimals, a wider tolerance, the instructor's wrong answers, checked as misconceptions' values are).
``choose: {options: [...], multiple: false, shuffle: true}`` in place of ``ask`` makes one choice question whose
options are engine quantities (``ask:``), expressions (``value:``) or texts, each ``correct`` by a flag or a
condition over the draw.

The numbers are drawn from ``params`` (a value, a list or a ``{min, max, step}`` range) until ``where`` holds;
``{...}`` in the network is an expression (``quizgen.problems.expr``: never Python's ``eval``) whose value is
put into the spec; the engine builds and counts the network; each asked measure becomes a part with the
engine's formula (checked by sympy), the catalogue's misconceptions for that kind of quantity and a step of
the worked solution. A stem given per language is rendered in Jinja2's sandbox, restricted further to
``{{ name }}``, ``{{ name|num }}``, arithmetic and ``{% if %}`` (``quizgen.problems.custom_stem``).

The definition is the entry's ``params`` (the bank loader, ``quizgen.bank.custom``, checks it and adds where each
key is written, ``_at``); without one (a bare ``- family: custom``), the family makes the example above, as
``quizgen sample custom`` shows it.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from quizgen.errors import QuizgenError
from quizgen.nets import formulas
from quizgen.nets.engine import LayerCount, NetworkCount, count
from quizgen.nets.footprint import flops
from quizgen.nets.formulas import Quantity
from quizgen.nets.layers import BatchNorm, Conv, Dense, FeatureMaps, Flatten, Network, Pool, Vector
from quizgen.nets.receptive import receptive_fields
from quizgen.nets.spec import parse_spec
from quizgen.problems import Family, expr, misconceptions, precision
from quizgen.problems.common import Text, numeric_part, step
from quizgen.problems.measures import At, Measure, Total, mul
from quizgen.problems.model import Choice, Content, Number, Part, Step
from quizgen.problems.params import Parameters, Params, choices_of
from quizgen.problems.totals import total, total_step
from quizgen.text import numbers
from quizgen.text.templating import LANGS

ID = "custom"
KEYS = ("name", "network", "params", "let", "where", "ask", "choose", "stem")
CHOOSE_KEYS = ("options", "multiple", "shuffle")
OPTION_KEYS = ("text", "ask", "value", "correct", "feedback")
ASK_KEYS = ("quantity", "bytes", "unit", "decimals", "tolerance", "wrong", "optimizer", "batch")
WRONG_KEYS = ("value", "feedback")
MAX_DECIMALS = 6
# counts of stored values, which an ask may give as memory (bytes: float32, unit: MB)
VALUE_COUNTS = ("weights", "biases", "params", "activations", "flatten", "buffers", "training")
MAX_DRAWS = 1000  # draws tried until ``where`` holds
MAX_SPACE = 5_000  # combinations counted exactly

# what a part may ask: name -> (measure quantity, whether it names a layer, kind of quantity for misconceptions)
LAYER_ASKS = {
    "output_size": "out_h", "width": "out_w", "depth": "out_d", "weights": "weights", "biases": "biases",
    "params": "params", "activations": "activations", "flatten": "flatten", "macs": "macs", "flops": "flops",
    "buffers": "buffers", "receptive_field": "rf_size", "jump": "rf_jump",
}
TOTAL_ASKS = {"total_params": "params", "total_weights": "weights", "total_biases": "biases",
              "total_activations": "activations", "total_macs": "macs", "total_flops": "flops",
              "total_buffers": "buffers", "training_memory": "training"}
_ASK = re.compile(r"^\s*([a-z_]+)\s*(?:\(\s*([^()\s]+)\s*\))?\s*$")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")

DEFAULT: dict[str, Any] = {
    "name": {"en": "A VGG-style block", "it": "Un blocco in stile VGG"},
    "network": "{W}x{W}x3 > conv {n} 3 p=1 > conv {n} 3 p=1 > maxpool 2 > fc {F}",
    "params": {"W": [16, 24, 32, 48, 64], "n": {"min": 8, "max": 64, "step": 8}, "F": [10, 100]},
    "where": "W % 8 == 0",
    "ask": ["output_size(conv#2)", "params(conv#2)", "flatten", "params(fc#4)", "total_params"],
}


@dataclass(frozen=True)
class Wrong:
    """A wrong answer the instructor writes for a part: an expression (over the drawn names and ``answer``) and the
    feedback per language; ``at`` is its key in the definition's places."""

    value: expr.Expr
    feedback: Mapping[str, str]
    at: str


@dataclass(frozen=True)
class Ask:
    """One asked quantity: its text in the bank, what it reads (``quantity``) and of which layer ('' for a total);
    optionally as memory (``dtype``, ``unit``, stated at ``decimals`` or more), with its own ``tolerance`` and the
    instructor's ``wrong`` answers."""

    text: str
    quantity: str
    layer: str
    total: bool
    at: str = "ask"
    wrong: tuple[Wrong, ...] = ()
    tolerance: Fraction | None = None
    decimals: int | None = None
    dtype: str | None = None
    unit: str | None = None
    optimizer: str | None = None
    batch: expr.Expr | None = None


@dataclass(frozen=True)
class Option:
    """An option of a choice question: a text (per language), an engine quantity (``ask``) or an expression
    (``value``); right when ``correct`` is true (a flag, or a condition over the draw); its feedback."""

    text: Mapping[str, str] | None
    ask: Ask | None
    value: expr.Expr | None
    correct: bool | expr.Expr
    feedback: Mapping[str, str]
    at: str


@dataclass(frozen=True)
class Choose:
    """A choice question in place of parts: its options, one right (``multiple`` false) or several, shuffled or
    in the bank's order."""

    options: tuple[Option, ...]
    multiple: bool
    shuffle: bool


@dataclass(frozen=True)
class Definition:
    """A custom exercise, read and checked: names and choices, expressions, the network template, the asks."""

    names: Mapping[str, str]
    network: str
    pieces: tuple[str | expr.Expr, ...]  # the network's text, with each {...} read as an expression
    choices: Mapping[str, list[Any]]
    let: tuple[tuple[str, expr.Expr], ...]
    where: expr.Expr | None
    asks: tuple[Ask, ...]
    stems: Mapping[str, str]
    at: Mapping[str, str]  # key -> "file:line" where the bank writes it ('' when not from a bank)
    choose: Choose | None = None

    def place(self, key: str, fallback: str = "") -> str:
        """``file:line`` of a key (or of ``fallback``, then of the entry) when the definition comes from a bank."""
        return (self.at.get(key) or self.at.get(fallback) or self.at.get("entry")
                or f"custom exercise '{next(iter(self.names.values()), ID)}'")


def read(raw: Mapping[str, Any]) -> Definition:
    """Read a definition (the entry's keys); QuizgenError at the key's place for every mistake found without drawing."""
    at = dict(raw.get("_at") or {})
    if not any(key in raw for key in KEYS if key != "name"):  # a bare entry: the built-in example
        raw = {**DEFAULT, **raw}

    def fail(key: str, message: str, fix: str, fallback: str = "") -> QuizgenError:
        return QuizgenError(message, where=at.get(key) or at.get(fallback) or at.get("entry") or "custom exercise",
                            fix=fix)

    for key in raw:
        if key not in KEYS and key != "_at":
            raise fail("entry", f"a custom exercise has no key '{key}'", "its keys are " + ", ".join(KEYS))
    for key in ("network", "params", "ask"):
        if key not in raw and not (key == "ask" and "choose" in raw):
            raise fail("entry", f"a custom exercise needs '{key}'", _EXAMPLES[key])
    if "ask" in raw and "choose" in raw:
        raise fail("choose", "a custom exercise asks parts (ask) or one choice question (choose), not both",
                   "keep one of them; write the other as a second entry")
    if "choose" in raw and not raw.get("stem"):
        raise fail("choose", "a choice question needs a stem that asks it",
                   'add stem: {en: "... Which of these ...?", it: "..."}')
    names = _texts(raw.get("name") or {"en": "Custom exercise"}, "name", fail)
    if not isinstance(raw["params"], Mapping) or not raw["params"]:
        raise fail("params", "'params' must map each name to its values", _EXAMPLES["params"])
    choices: dict[str, list[Any]] = {}
    for name, spec in raw["params"].items():
        if not isinstance(name, str) or not name.isidentifier() or name.startswith("_") or name in expr.FUNCTIONS:
            raise fail("params", f"'{name}' cannot be a parameter's name", "use a letter and then letters, digits or _")
        try:
            values = choices_of(name, spec)
        except QuizgenError as exc:
            raise fail("params", exc.message, exc.fix or _EXAMPLES["params"]) from None
        for value in values:
            if isinstance(value, bool) or not isinstance(value, int):
                raise fail("params", f"'{name}' takes {value!r}: the values of a custom exercise are whole numbers",
                           _EXAMPLES["params"])
        choices[name] = values
    known: list[str] = list(choices)
    let = []
    raw_let = raw.get("let") or {}
    if not isinstance(raw_let, Mapping):
        raise fail("let", "'let' must map each name to an expression", _EXAMPLES["let"])
    for name, source in raw_let.items():
        if not isinstance(name, str) or not name.isidentifier() or name.startswith("_") or name in known:
            raise fail("let", f"'{name}' cannot be a computed value's name (a parameter's, or not a name)",
                       "use a new name: a letter and then letters, digits or _")
        let.append((name, _parse(source, known, "let", fail)))
        known.append(name)
    where = _parse(raw["where"], known, "where", fail) if raw.get("where") is not None else None
    network = raw["network"]
    if not isinstance(network, str) or not network.strip():
        raise fail("network", "'network' must be a spec", _EXAMPLES["network"])
    pieces: list[str | expr.Expr] = []
    last = 0
    for m in _PLACEHOLDER.finditer(network):
        pieces.append(network[last:m.start()])
        pieces.append(_parse(m.group(1), known, "network", fail))
        last = m.end()
    pieces.append(network[last:])
    if any("{" in p or "}" in p for p in pieces if isinstance(p, str)):
        raise fail("network", "the network has an unmatched '{' or '}'",
                   "write each placeholder as {name} or {expression}")
    asks = _asks(raw["ask"], fail, known) if "ask" in raw else ()
    choose = _choose(raw["choose"], fail, known) if "choose" in raw else None
    stems = _texts(raw["stem"], "stem", fail) if raw.get("stem") else {}
    return Definition(names, network, tuple(pieces), choices, tuple(let), where, asks, stems, at, choose)


def _choose(raw: Any, fail: Any, known: list[str]) -> Choose:
    """``choose``: the options of a choice question, each checked without drawing."""
    import difflib

    if not isinstance(raw, Mapping) or not isinstance(raw.get("options"), list):
        raise fail("choose", "'choose' must give the question's options", _EXAMPLES["choose"])
    for key in raw:
        if key not in CHOOSE_KEYS:
            close = difflib.get_close_matches(str(key), CHOOSE_KEYS, n=1)
            raise fail("choose", f"'choose' has no key '{key}'", (f"did you mean '{close[0]}'? " if close else "")
                       + "its keys are " + ", ".join(CHOOSE_KEYS))
    for key in ("multiple", "shuffle"):
        if key in raw and not isinstance(raw[key], bool):
            raise fail("choose", f"choose: {key}: {raw[key]!r}", f"write {key}: true or {key}: false")
    options = []
    for k, item in enumerate(raw["options"]):
        place = f"choose.option{k + 1}"
        if not isinstance(item, Mapping):
            raise fail(place, f"option {k + 1} must be a mapping", _EXAMPLES["choose"], "choose")
        for key in item:
            if key not in OPTION_KEYS:
                close = difflib.get_close_matches(str(key), OPTION_KEYS, n=1)
                raise fail(place, f"option {k + 1} has no key '{key}'",
                           (f"did you mean '{close[0]}'? " if close else "") + "its keys are " + ", ".join(OPTION_KEYS),
                           "choose")
        given = [key for key in ("text", "ask", "value") if key in item]
        if len(given) != 1:
            raise fail(place, f"option {k + 1} needs one of text, ask or value", "give its text: {en: \"...\"}, the "
                       "engine's value of a quantity (ask: params(conv#1)) or an expression (value: \"9*n\")",
                       "choose")

        def failing(_key: str, message: str, fix: str, p: str = place) -> QuizgenError:
            return fail(p, message, fix, "choose")

        text = _texts(item["text"], f"option {k + 1}", failing) if "text" in item else None
        ask = _ask(item["ask"], place, fail, known) if "ask" in item else None
        if ask is not None and (ask.wrong or ask.dtype or ask.tolerance):
            raise fail(place, f"option {k + 1}: an option's ask is a quantity alone", "write e.g. ask: params(conv#1)",
                       "choose")
        value = _parse_at(item["value"], known, place, f"option {k + 1}", fail) if "value" in item else None
        correct = item.get("correct", False)
        if not isinstance(correct, bool):
            correct = _parse_at(correct, known, place, f"option {k + 1}: correct", fail)
        feedback = _texts(item["feedback"], "feedback", failing) if "feedback" in item else {}
        options.append(Option(text, ask, value, correct, feedback, place))
    if len(options) < 2:
        raise fail("choose", f"a choice question needs 2 options or more, not {len(options)}", _EXAMPLES["choose"])
    return Choose(tuple(options), raw.get("multiple", False), raw.get("shuffle", True))


def _parse_at(source: Any, known: list[str], place: str, what: str, fail: Any) -> expr.Expr:
    try:
        return expr.parse(source, tuple(known))
    except expr.ExprError as exc:
        fallback = "choose" if place.startswith("choose") else "ask"
        raise fail(place, f"{what}: {exc.message}", exc.fix, fallback) from None


_EXAMPLES = {
    "network": 'write e.g. network: "{W}x{W}x3 > conv {n} 3 p=1 > maxpool 2 > fc 10"',
    "params": "write e.g. params: {W: [32, 64], n: {min: 8, max: 64, step: 8}}",
    "ask": "write e.g. ask: [output_size(conv#1), params(conv#1), total_params]",
    "let": 'write e.g. let: {half: "W // 2"}',
    "ask_mapping": "write e.g. - {quantity: params(conv#1), tolerance: 10}",
    "wrong": 'write e.g. wrong: [{value: "answer - n", feedback: {en: "...", it: "..."}}]',
    "choose": 'write e.g. choose: {options: [{ask: params(conv#1), correct: true}, {value: "9*n"}, '
              '{text: {en: "...", it: "..."}}]}',
}


def _parse(source: Any, known: list[str], key: str, fail: Any) -> expr.Expr:
    try:
        return expr.parse(source, tuple(known))
    except expr.ExprError as exc:
        raise fail(key, f"{key}: {exc.message}", exc.fix) from None


def _texts(value: Any, key: str, fail: Any) -> dict[str, str]:
    if isinstance(value, str):
        return {"en": value}
    if not isinstance(value, Mapping) or not value:
        raise fail(key, f"'{key}' must be a text or one text per language",
                   f'write e.g. {key}: {{en: "...", it: "..."}}')
    out = {}
    for lang, text in value.items():
        if lang not in LANGS:
            raise fail(key, f"'{key}' has the unknown language '{lang}'", "use " + ", ".join(LANGS))
        if not isinstance(text, str) or not text.strip():
            raise fail(key, f"'{key}' in {lang} must be a text", f'write e.g. {key}: {{{lang}: "..."}}')
        out[lang] = text
    return out


def _asks(raw: Any, fail: Any, known: list[str]) -> tuple[Ask, ...]:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not raw:
        raise fail("ask", "'ask' must list the quantities to ask", _EXAMPLES["ask"])
    out = [_ask(item, f"ask{i + 1}", fail, known) for i, item in enumerate(raw)]
    if len({(a.text.replace(" ", ""), a.dtype, a.unit) for a in out}) != len(out):
        raise fail("ask", "'ask' names the same quantity twice", "ask each quantity once")
    return tuple(out)


def _ask(item: Any, at: str, fail: Any, known: list[str]) -> Ask:
    """One item of ``ask``: a quantity (``params(conv#2)``), or a mapping with it and the part's own settings."""
    import difflib

    settings: Mapping[str, Any] = {}
    if isinstance(item, Mapping):
        settings = item
        for key in item:
            if key not in ASK_KEYS:
                close = difflib.get_close_matches(str(key), ASK_KEYS, n=1)
                raise fail(at, f"an ask has no key '{key}'", (f"did you mean '{close[0]}'? " if close else "")
                           + "its keys are " + ", ".join(ASK_KEYS), "ask")
        if "quantity" not in item:
            raise fail(at, "an ask written as a mapping needs 'quantity'", _EXAMPLES["ask_mapping"], "ask")
        item = item["quantity"]
    m = _ASK.match(item) if isinstance(item, str) else None
    if m is None:
        raise fail(at, f"cannot read the ask {item!r}", "write NAME(LAYER) or a total, e.g. params(conv#2), "
                   "total_params; the names are " + ", ".join([*LAYER_ASKS, *TOTAL_ASKS]), "ask")
    name, layer = m.group(1), m.group(2) or ""
    if name in TOTAL_ASKS:
        if layer:
            raise fail(at, f"'{item}': {name} is about the whole network and takes no layer", f"write {name}", "ask")
        quantity, total = TOTAL_ASKS[name], True
    elif name in LAYER_ASKS:
        if not layer and name != "flatten":
            raise fail(at, f"'{item}' names no layer", f"write e.g. {name}(conv#1) (a layer's label, or -1 for "
                       "the last layer)", "ask")
        quantity, total = LAYER_ASKS[name], False
    else:
        names = [*LAYER_ASKS, *TOTAL_ASKS]
        close = difflib.get_close_matches(name, names, n=1)
        raise fail(at, f"'{item}': unknown quantity '{name}'",
                   f"did you mean '{close[0]}'?" if close else "use one of " + ", ".join(names), "ask")
    optimizer, batch = settings.get("optimizer"), settings.get("batch")
    if quantity == "training":
        from quizgen.nets.footprint import OPTIMIZERS

        if optimizer not in OPTIMIZERS or batch is None:
            raise fail(at, f"'{item}' needs its optimizer ({', '.join(OPTIMIZERS)}) and its batch",
                       "write e.g. {quantity: training_memory, optimizer: adam, batch: 32, unit: MB}", "ask")
        batch = _parse_at(batch, known, at, f"'{item}': batch", fail)
        settings = {"bytes": "float32", "unit": "MB", **settings}
        if settings["unit"] not in ("MB", "MiB"):
            raise fail(at, f"'{item}': unit {settings['unit']!r}", "give training memory in MB or MiB", "ask")
    elif optimizer is not None or batch is not None:
        raise fail(at, f"'{item}' takes no optimizer or batch", "give them to training_memory", "ask")
    return Ask(item, quantity, layer, total, at, *_settings(settings, item, quantity, at, fail, known),
               optimizer=optimizer, batch=batch)


def _settings(raw: Mapping[str, Any], text: str, quantity: str, at: str, fail: Any,
              known: list[str]) -> tuple[tuple[Wrong, ...], Fraction | None, int | None, str | None, str | None]:
    """An ask's own settings, checked: (wrong answers, tolerance, decimals, dtype, unit)."""
    from quizgen.problems.measures import UNITS
    from quizgen.problems.memory import DTYPES

    dtype, unit = raw.get("bytes"), raw.get("unit")
    if dtype is not None:
        if dtype not in DTYPES:
            raise fail(at, f"'{text}': bytes: {dtype!r} is not a data type", "use bytes: " + " or ".join(DTYPES), "ask")
        if quantity not in VALUE_COUNTS:
            raise fail(at, f"'{text}' is not a count of stored values, so it has no bytes",
                       "give bytes: to " + ", ".join(n for n, q in LAYER_ASKS.items() if q in VALUE_COUNTS)
                       + " or their totals", "ask")
        unit = "MB" if unit is None else unit
        if unit not in UNITS:
            raise fail(at, f"'{text}': unit {unit!r} is not a unit of memory", "use unit: " + ", ".join(UNITS), "ask")
    elif unit is not None:
        raise fail(at, f"'{text}': a unit needs the bytes of each value", f"write e.g. bytes: float32, unit: {unit}",
                   "ask")
    decimals = raw.get("decimals")
    if decimals is not None:
        if dtype is None:
            raise fail(at, f"'{text}' is a whole count, asked exactly: it has no decimals",
                       "give decimals: to an ask in a unit (bytes: float32, unit: MB), or leave it out", "ask")
        if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= MAX_DECIMALS:
            raise fail(at, f"'{text}': decimals: {decimals!r}", f"give a whole number from 0 to {MAX_DECIMALS}", "ask")
    tolerance = raw.get("tolerance")
    if tolerance is not None:
        if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)) or tolerance <= 0:
            raise fail(at, f"'{text}': tolerance: {tolerance!r}", "give a number over 0 (the largest error still "
                       "right, in the answer's unit), e.g. tolerance: 10", "ask")
        tolerance = Fraction(str(tolerance))
    wrong_raw = raw.get("wrong") or []
    if not isinstance(wrong_raw, list):
        raise fail(at, f"'{text}': 'wrong' must list wrong answers", _EXAMPLES["wrong"], "ask")
    wrong = []
    for j, item in enumerate(wrong_raw):
        place = f"{at}.wrong{j + 1}"
        if not isinstance(item, Mapping) or "value" not in item or "feedback" not in item:
            raise fail(place, f"'{text}': wrong answer {j + 1} needs a value and its feedback", _EXAMPLES["wrong"], at)
        for key in item:
            if key not in WRONG_KEYS:
                raise fail(place, f"'{text}': a wrong answer has no key '{key}'", "its keys are value and feedback",
                           at)
        try:
            value = expr.parse(item["value"], (*known, "answer"))
        except expr.ExprError as exc:
            raise fail(place, f"'{text}': wrong answer {j + 1}: {exc.message}",
                       (exc.fix or "") + " (the names are the parameters, the let: values and answer)",
                       at) from None
        feedback = _texts(item["feedback"], "feedback", lambda _k, m, f, p=place: fail(p, m, f, at))
        wrong.append(Wrong(value, feedback, place))
    return tuple(wrong), tolerance, decimals, dtype, unit


# --- drawing ----------------------------------------------------------------------------------


def values_of(d: Definition, drawn: Mapping[str, int]) -> dict[str, Any]:
    """The drawn values and the computed ones (``let``), in order."""
    values: dict[str, Any] = dict(drawn)
    for name, e in d.let:
        try:
            values[name] = e.evaluate(values)
        except expr.ExprError as exc:
            raise QuizgenError(f"let {name}: {exc.message}", where=d.place("let"), fix=exc.fix) from None
    return values


def satisfied(d: Definition, values: Mapping[str, Any]) -> bool:
    if d.where is None:
        return True
    try:
        return bool(d.where.evaluate(values))
    except expr.ExprError as exc:
        raise QuizgenError(f"where: {exc.message}", where=d.place("where"), fix=exc.fix) from None


def draw(d: Definition, rng: random.Random) -> dict[str, Any]:
    """Values for every name (drawn in the order declared) that satisfy ``where``."""
    for _ in range(MAX_DRAWS):
        drawn = {name: (values[0] if len(values) == 1 else rng.choice(values)) for name, values in d.choices.items()}
        values = values_of(d, drawn)
        if satisfied(d, values):
            return values
    raise QuizgenError(f"no draw in {MAX_DRAWS} satisfies where: '{d.where.text if d.where else ''}'",
                       where=d.place("where"), fix="relax the condition or widen the parameters' values")


def space(d: Definition) -> int | None:
    """How many combinations satisfy ``where`` (None when there are more than MAX_SPACE to try)."""
    import itertools

    names = list(d.choices)
    size = 1
    for values in d.choices.values():
        size *= len(values)
    if size > MAX_SPACE:
        return None
    return sum(1 for combo in itertools.product(*d.choices.values())
               if satisfied(d, values_of(d, dict(zip(names, combo, strict=True)))))


def spec_text(d: Definition, values: Mapping[str, Any]) -> str:
    """The network's spec with each {...} replaced by its value (a whole number, else QuizgenError)."""
    out = []
    for piece in d.pieces:
        if isinstance(piece, str):
            out.append(piece)
            continue
        try:
            value = piece.evaluate(values)
        except expr.ExprError as exc:
            raise QuizgenError(f"network: {exc.message}", where=d.place("network"), fix=exc.fix) from None
        if isinstance(value, bool) or value != int(value) or value < 0:
            raise QuizgenError(f"network: {{{piece.text}}} is {value} with {_shown(values)}: not a whole number of "
                               "0 or more",
                               where=d.place("network"), fix="use // for a whole division, or a where: condition that "
                                                             "excludes these values")
        out.append(str(int(value)))
    return "".join(out)


def _shown(values: Mapping[str, Any]) -> str:
    return ", ".join(f"{k} = {v}" for k, v in values.items())


def build(d: Definition, values: Mapping[str, Any]) -> tuple[Network, NetworkCount]:
    """The network of one draw, counted by the engine; QuizgenError naming the draw when it is impossible."""
    text = spec_text(d, values)
    try:
        network = parse_spec(text, name=ID)
        counted = count(network)
    except QuizgenError as exc:
        raise QuizgenError(f"with {_shown(values)} the network is {text}, and {exc.where + ': ' if exc.where else ''}"
                           f"{exc.message}", where=d.place("network"),
                           fix=f"{exc.fix}; or add a where: condition that excludes these values" if exc.fix else
                           "add a where: condition that excludes these values") from None
    return network, counted


# --- parts ------------------------------------------------------------------------------------


def _layer(counted: NetworkCount, ask: Ask, d: Definition, index: int) -> LayerCount:
    rows = counted.layers
    where = d.place(ask.at, "choose" if ask.at.startswith("choose") else "ask")
    if not ask.layer:  # flatten: the flatten layer's output, else the maps the first FC layer reads
        for lc in rows:
            if isinstance(lc.layer, Flatten):
                return lc
        for i, lc in enumerate(rows):
            if isinstance(lc.layer, Dense) and i > 0 and isinstance(lc.input_shape, FeatureMaps):
                return rows[i - 1]
        raise QuizgenError(f"ask '{ask.text}': no fully connected layer reads feature maps in this network",
                           where=where, fix="name the layer whose output is flattened, e.g. flatten(maxpool#3)")
    if re.fullmatch(r"-\d+", ask.layer):
        if not 1 <= -int(ask.layer) <= len(rows):
            raise QuizgenError(f"ask '{ask.text}': the network has {len(rows)} layers", where=where,
                               fix=f"use -1 to -{len(rows)}")
        return rows[int(ask.layer)]
    for lc in rows:
        if lc.label == ask.layer:
            return lc
    import difflib

    labels = [lc.label for lc in rows]
    close = difflib.get_close_matches(ask.layer, labels, n=1)
    raise QuizgenError(f"ask '{ask.text}': the network has no layer '{ask.layer}'", where=where,
                       fix=(f"did you mean '{close[0]}'? " if close else "") + "its layers are " + ", ".join(labels))


def _square(layer: Conv | Pool) -> bool:
    return (layer.kernel[0] == layer.kernel[1] and layer.stride[0] == layer.stride[1]
            and getattr(layer, "dilation", (1, 1)) == (1, 1)
            and (isinstance(layer.padding, str) or isinstance(layer.padding, int)))


def _context(lc: LayerCount, rows: tuple[LayerCount, ...]) -> tuple[str, dict[str, Any]]:
    """The kind of layer for the catalogue and the facts its misconceptions read ('' when none apply)."""
    layer, shape = lc.layer, lc.input_shape
    ctx: dict[str, Any] = {"weights": int(lc.weights.value), "biases": int(lc.biases.value),
                           "params": int(lc.parameters.value)}
    if isinstance(layer, Conv) and isinstance(shape, FeatureMaps) and _square(layer) and layer.groups == 1 \
            and layer.table is None:
        out = lc.output_shape
        ctx.update(f=layer.kernel[0], C=shape.d, N_c=layer.filters, W=shape.h, s=layer.stride[0],
                   p=layer.padding if isinstance(layer.padding, int) else 0,
                   padding=layer.padding if isinstance(layer.padding, str) else None,
                   O=out.h if isinstance(out, FeatureMaps) else None)
        return "conv", ctx
    if isinstance(layer, Pool) and isinstance(shape, FeatureMaps) and _square(layer):
        ctx.update(f=layer.kernel[0], N_c=shape.d, W=shape.h, s=layer.stride[0],
                   p=layer.padding if isinstance(layer.padding, int) else 0,
                   padding=layer.padding if isinstance(layer.padding, str) else None, trainable=layer.trainable)
        return "pool", ctx
    if isinstance(layer, Dense):
        ctx["F"] = layer.units
        if isinstance(shape, FeatureMaps):
            ctx.update(O=shape.h, N_c=shape.d)
            before = rows[lc.index - 2] if lc.index >= 2 else None
            if before is not None and isinstance(before.input_shape, FeatureMaps) and shape.h == shape.w:
                ctx["W_in"] = before.input_shape.h
        elif isinstance(shape, Vector):
            ctx["F_prev"] = shape.n
        return "fc", ctx
    return "", ctx


# ask quantity -> (catalogue kind per layer kind)
_KINDS = {
    ("out_h", "conv"): "size", ("out_h", "pool"): "size", ("out_w", "conv"): "size", ("out_w", "pool"): "size",
    ("weights", "conv"): "conv.weights", ("params", "conv"): "conv.params",
    ("weights", "fc"): "fc.weights", ("params", "fc"): "fc.params", ("params", "pool"): "pool.params",
    ("macs", "conv"): "macs", ("macs", "fc"): "macs",
}
_SIZE_KEYS = ("W", "f", "s", "p", "padding")

formulas.register("custom.depth", "N_c", "[N_c]")
formulas.register("custom.flatten", "F", "[F]")
formulas.register("custom.total", "P", "[P]")  # a sum of more layers than one formula holds


def _quantity(ask: Ask, lc: LayerCount, counted: NetworkCount, where: str) -> Quantity:
    """The engine's Quantity for a layer's asked value (with its formula and substitution)."""
    shape = lc.output_shape
    if ask.quantity in ("weights", "biases", "params"):
        return {"weights": lc.weights, "biases": lc.biases, "params": lc.parameters}[ask.quantity]
    if ask.quantity in ("out_h", "out_w"):
        axis = lc.out_h if ask.quantity == "out_h" else lc.out_w
        if axis is None:
            if isinstance(shape, FeatureMaps):  # a layer that keeps the size (relu, bn, ...)
                value = shape.h if ask.quantity == "out_h" else shape.w
                return formulas.quantity(value, "custom.flatten", where, F=value)
            raise QuizgenError(f"ask '{ask.text}': {lc.label} outputs a vector, which has no size",
                               where=where, fix=f"ask depth({lc.label}) for its length")
        return axis.size
    if ask.quantity == "out_d":
        n = shape.d if isinstance(shape, FeatureMaps) else shape.n
        return formulas.quantity(n, "custom.depth", where, N_c=n)
    if ask.quantity == "activations":
        return lc.activations
    if ask.quantity in ("macs", "flops"):
        if lc.macs is None or not int(lc.macs.value):
            raise QuizgenError(f"ask '{ask.text}': {lc.label} does no multiply-accumulates", where=where,
                               fix=f"ask {ask.text.split('(')[0].strip()} of a convolutional or fully connected layer")
        return lc.macs if ask.quantity == "macs" else flops(int(lc.macs.value), lc.label)
    if ask.quantity == "buffers":
        if lc.buffers is None or not int(lc.buffers.value):
            raise QuizgenError(f"ask '{ask.text}': {lc.label} stores no buffers", where=where,
                               fix="ask buffers of a batch norm layer (bn), whose running mean and variance are "
                                   "buffers")
        return lc.buffers
    if ask.quantity in ("rf_size", "rf_jump"):
        field = receptive_fields(counted).get(lc.label)
        if field is None:
            raise QuizgenError(f"ask '{ask.text}': {lc.label} has no receptive field to compute (a layer before it "
                               "sees the whole input, or is a transposed convolution)", where=where,
                               fix="ask the receptive field of a convolution or pooling layer before the first "
                                   "fully connected, flatten or global pooling layer")
        return field[0].size if ask.quantity == "rf_size" else field[0].jump
    # flatten: the length of the layer's output read as one vector
    if isinstance(shape, FeatureMaps):
        return formulas.quantity(shape.size, "maps.size", where, O=shape.h, N_c=shape.d) if shape.h == shape.w \
            else formulas.quantity(shape.size, "custom.flatten", where, F=shape.size)
    return formulas.quantity(shape.n, "custom.flatten", where, F=shape.n)


def _tex(label: str) -> str:
    return r"\mathrm{" + label.replace("#", r"\#").replace("_", r"\_") + "}"


_LHS = {"out_h": "O", "out_w": "O_w", "out_d": "D", "weights": r"\#W", "biases": r"\#B", "params": "P",
        "activations": "A", "flatten": "L", "macs": "M", "flops": "FLOPs", "buffers": "U", "rf_size": "r",
        "rf_jump": "j"}


def _flops_tex(lang: str) -> str:
    return r"\mathrm{FLOP}" if lang == "it" else r"\mathrm{FLOPs}"


def _bn_context(lc: LayerCount) -> dict[str, Any]:
    """What the batch norm misconceptions read: its maps (N_c, O), its parameters and buffers."""
    shape = lc.output_shape
    ctx: dict[str, Any] = {"params": int(lc.parameters.value),
                           "buffers": int(lc.buffers.value) if lc.buffers is not None else 0}
    if isinstance(shape, FeatureMaps):
        ctx.update(N_c=shape.d, O=shape.h if shape.h == shape.w else None)
    return ctx


def _chain(lc: LayerCount, counted: NetworkCount) -> list[tuple[str, Conv | Pool | None]] | None:
    """The top-level layers up to ``lc`` as (label, window) (None for a layer that keeps the field: batch norm,
    activation, dropout, LRN), or None when a layer on the way is anything else (a block, a crop, ...)."""
    from quizgen.nets.layers import LRN, Activation, BatchNorm, Dropout, layer_label

    out: list[tuple[str, Conv | Pool | None]] = []
    for i, layer in enumerate(counted.network.layers, start=1):
        if isinstance(layer, (Conv, Pool)):
            out.append((layer_label(layer, i), layer))
        elif isinstance(layer, (BatchNorm, Activation, Dropout, LRN)):
            out.append((layer_label(layer, i), None))
        else:
            return None
        if out[-1][0] == lc.label:
            return out
    return None


def _field_steps(t: Text, lang: str, ask: Ask, lc: LayerCount, counted: NetworkCount,
                 chain: list[tuple[str, Conv | Pool | None]] | None, quantity: Quantity) -> list[Step]:
    """The field followed from the input, layer by layer (r and j of each window up to the asked layer)."""
    name = _tex(lc.label)
    if chain is None:
        return [step(t(f"step_{ask.quantity}", name=lc.label), quantity, f"{_LHS[ask.quantity]}_{{{name}}}", lang)]
    fields = receptive_fields(counted)
    windows = [(label, layer) for label, layer in chain if layer is not None]
    out = []
    for i, (label, layer) in enumerate(windows):
        field = fields[label]
        assert field is not None
        here = _tex(label)
        d = layer.dilation[0] if isinstance(layer, Conv) else 1
        if ask.quantity == "rf_size":
            out.append(step(t("step_rf_window", name=label, pool=isinstance(layer, Pool), f=layer.kernel[0], d=d,
                              first=i == 0), field[0].size, f"r_{{{here}}}", lang))
        if ask.quantity == "rf_jump" or i < len(windows) - 1:
            out.append(step(t("step_rf_stride", name=label, s=layer.stride[0],
                                              first=i == 0 and ask.quantity == "rf_jump"),
                            field[0].jump, f"j_{{{here}}}", lang))
    if chain[-1][1] is None:  # the asked layer works value by value
        lhs = _LHS[ask.quantity]
        out.append(Step(t("step_rf_keep", name=lc.label), f"{lhs}_{{{name}}} = {lhs}_{{{_tex(windows[-1][0])}}} = "
                                                             f"{numbers.latex(quantity.value, None, lang)}"))
    return out


def _layer_part(t: Text, lang: str, ask: Ask, index: int, lc: LayerCount, counted: NetworkCount,
                where: str) -> tuple[Part, list[Step]]:
    quantity = _quantity(ask, lc, counted, where)
    layer_kind, ctx = _context(lc, counted.layers)
    kind = _KINDS.get((ask.quantity, layer_kind), "")
    only: tuple[str, ...] | None = None
    extra: tuple[tuple[str, Any], ...] = ()
    key, label = f"ask{index + 1}", lc.label
    measure = _measure_of(ask, label)
    steps = [step(t(f"step_{ask.quantity}", name=label, conv=isinstance(lc.layer, Conv)), quantity,
                  f"{_LHS[ask.quantity]}_{{{_tex(label)}}}", lang)]
    if ask.quantity == "flatten":
        nxt = counted.layers[lc.index] if lc.index < len(counted.layers) else None
        if isinstance(lc.layer, Flatten):
            nxt = lc
        if nxt is not None and isinstance(nxt.layer, (Dense, Flatten)) and isinstance(nxt.input_shape, FeatureMaps):
            kind, ctx = "flatten", _context(nxt, counted.layers)[1]
    if kind == "size":
        ctx = {k: ctx.get(k) for k in _SIZE_KEYS}
    if ask.quantity in ("macs", "flops"):  # a convolution's output positions and input size; an FC layer's weights
        kind = "macs" if layer_kind in ("conv", "fc") else ""
        ctx = {"weights": ctx["weights"], "params": ctx["params"],
               **({"O": ctx["O"], "W_in": ctx["W"]} if layer_kind == "conv" else {})}
    if ask.quantity == "flops":
        assert lc.macs is not None
        macs = numeric_part(key, "", lc.macs, kind or "macs", ctx if kind else {}, lang, only=None if kind else ())
        kind, ctx = "flops", {**ctx, "answer": quantity.value}
        extra = tuple((d.misconception, 2 * d.value) for d in macs.distractors)
        steps = [step(t("step_macs", name=label, conv=isinstance(lc.layer, Conv)), lc.macs, f"M_{{{_tex(label)}}}",
                      lang),
                 step(t("step_flops", name=label), quantity, f"{_flops_tex(lang)}_{{{_tex(label)}}}", lang)]
    if isinstance(lc.layer, BatchNorm) and ask.quantity in ("params", "buffers"):
        kind, ctx = f"bn.{ask.quantity}", _bn_context(lc)
    if ask.quantity in ("rf_size", "rf_jump"):
        chain = _chain(lc, counted)
        windows = [layer for _, layer in chain or () if layer is not None]
        if windows:
            kind = "rf.size" if ask.quantity == "rf_size" else "rf.jump"
            ctx = {"chain": tuple((w.kernel[0], w.stride[0], w.dilation[0] if isinstance(w, Conv) else 1,
                                   isinstance(w, Pool)) for w in windows)}
            if chain[-1][1] is None:  # the asked layer has no window of its own: 'the layer alone' means nothing
                only = tuple(m.id for m in misconceptions.CATALOGUE.values()
                             if kind in m.kinds and m.id != "rf-layer-alone")
        steps = _field_steps(t, lang, ask, lc, counted, chain if windows else None, quantity)
    if kind in ("conv.weights", "conv.params", "fc.weights", "fc.params") and not int(lc.biases.value):
        only = tuple(m.id for m in misconceptions.CATALOGUE.values() if kind in m.kinds and "bias" not in m.id)
    height = ask.quantity in ("rf_size", "rf_jump") and _field_differs(lc, counted)
    part = numeric_part(key, t(f"part_{ask.quantity}", name=label, height=height), quantity, kind or ask.quantity,
                        ctx if kind else {}, lang, measure=measure, only=only if kind else (), extra=extra)
    return part, steps


def _field_differs(lc: LayerCount, counted: NetworkCount) -> bool:
    """True when the layer's receptive field is not the same along the height and the width."""
    field = receptive_fields(counted).get(lc.label)
    return field is not None and field[0].values()[:2] != field[1].values()[:2]


_TOTAL_ATTR = {"params": "parameters", "weights": "weights", "biases": "biases", "activations": "activations",
               "macs": "macs", "flops": "macs", "buffers": "buffers"}


def _row_value(lc: LayerCount, quantity: str) -> int:
    found = getattr(lc, _TOTAL_ATTR[quantity])
    return int(found.value) if found is not None else 0


formulas.register("custom.training", "b*((2 + k)*P + U + B*A)/u",
                  r"\frac{[b] \times ((2 + [k]) \times [P] + [U] + [B] \times [A])}{[u]}")


def _training_part(t: Text, lang: str, ask: Ask, index: int, counted: NetworkCount, values: Mapping[str, Any],
                   where: str) -> tuple[Part, list[Step]]:
    """The memory of one training step in MB or MiB: b((2 + k)P + U + BA), with the training misconceptions."""
    from quizgen.nets.footprint import OPTIMIZERS
    from quizgen.problems.measures import UNITS, in_bytes, in_unit, sum_of
    from quizgen.problems.memory import DTYPES

    assert ask.optimizer is not None and ask.batch is not None and ask.dtype is not None and ask.unit is not None
    batch = _evaluate(ask.batch, values, where, f"'{ask.text}': batch")
    if isinstance(batch, bool) or batch != int(batch) or batch < 1:
        raise QuizgenError(f"'{ask.text}': the batch is {batch} with {_shown(values)}", where=where,
                           fix="give a whole number of 1 or more")
    batch, k, b, u = int(batch), OPTIMIZERS[ask.optimizer], DTYPES[ask.dtype], UNITS[ask.unit]
    p, buffers, a = counted.parameters, counted.buffers, counted.activations
    q = formulas.quantity(Fraction(b * ((2 + k) * p + buffers + batch * a), u), "custom.training", where, b=b, k=k,
                          P=p, U=buffers, B=batch, A=a, u=u)
    ctx = {"params": p, "buffers": buffers, "optimizer": ask.optimizer, "state_k": k, "dtype_bytes": b,
           "activations": a, "batch": batch, "unit": ask.unit, "bytes": b * ((2 + k) * p + buffers + batch * a)}
    other = "MiB" if ask.unit == "MB" else "MB"
    extra = (("mb-vs-mib", Fraction(q.value * u, UNITS[other])), ("bits-vs-bytes", q.value * 8))
    label = t("part_training", optimizer=ask.optimizer, B=batch, unit=ask.unit, dtype=ask.dtype, b=b)
    measure = in_unit(in_bytes(sum_of(mul(Total("params"), 2 + k), Total("buffers"), mul(Total("activations"), batch)),
                               ask.dtype), ask.unit)
    minimum = ask.decimals if ask.decimals is not None else 2
    part = numeric_part(f"ask{index + 1}", label, q, "training.memory", ctx, lang, unit=ask.unit, decimals=minimum,
                        extra=extra, measure=measure)
    return part, [step(t("step_training", optimizer=ask.optimizer, k=k, b=b, P=p, U=buffers, A=a, B=batch,
                         unit=ask.unit), q, rf"M_{{\mathrm{{{ask.unit}}}}}", lang)]


def _total_part(t: Text, lang: str, ask: Ask, index: int, counted: NetworkCount, where: str) -> tuple[Part, list[Step]]:
    # every row the engine sums (a block's layers, each once; in-place layers left out of the activations)
    rows = [lc for lc in counted.layers if _row_value(lc, ask.quantity)
            and (ask.quantity != "activations" or lc.in_activations_total)]
    if not rows:
        what = {"macs": "does no multiply-accumulates", "flops": "does no multiply-accumulates",
                "buffers": "stores no buffers"}.get(ask.quantity, f"has no {ask.quantity}")
        raise QuizgenError(f"ask '{ask.text}': the network {what}", where=where,
                           fix="ask it of a network with convolutional or fully connected layers"
                           if ask.quantity in ("macs", "flops") else "ask it of a network with batch norm layers (bn)"
                           if ask.quantity == "buffers" else "ask another quantity")
    values = [_row_value(lc, ask.quantity) for lc in rows]
    lhs = {"params": "P", "weights": r"\#W", "biases": r"\#B", "activations": "A", "macs": "M", "flops": "M",
           "buffers": "U"}[ask.quantity]
    if len(values) == 1:
        quantity = getattr(rows[0], _TOTAL_ATTR[ask.quantity])
    elif 2 <= len(values) <= 12:
        quantity = total(values, where)
    else:  # more layers than one formula holds: the sum, checked against the engine by the part's measure
        quantity = formulas.quantity(sum(values), "custom.total", where, P=sum(values))
    terms = [f"{lhs}_{{{_tex(lc.label)}}}" for lc in rows]
    sum_text = t("step_total_macs" if ask.quantity == "flops" else f"step_total_{ask.quantity}")
    if 2 <= len(values) <= 12:
        steps = [total_step(sum_text, quantity, lhs, terms, lang)]
    else:
        steps = [Step(sum_text, f"{lhs} = {numbers.latex(sum(values), None, lang)}")]
    ctx: dict[str, Any] = {}
    kind, only, extra = "total", None, ()
    measure = _measure_of(ask, "")
    if ask.quantity == "params":
        ctx = {"params": counted.parameters, "biases": counted.biases, "weights": counted.weights}
        if any(isinstance(lc.layer, BatchNorm) for lc in rows):  # running statistics counted as parameters
            extra = (("bn-buffers-as-params", counted.parameters + counted.buffers),)
    elif ask.quantity in ("macs", "flops"):
        with_bias = sum(int(lc.connections.value) for lc in rows)  # every bias addition counted as a MAC
        macs = numeric_part(f"ask{index + 1}", "", quantity, "macs.total", {}, lang,
                            extra=(("macs-with-bias", with_bias),
                                   ("macs-weights-only", sum(int(lc.weights.value) for lc in rows))))
        kind, extra = "macs.total", tuple((d.misconception, d.value) for d in macs.distractors)
        if ask.quantity == "flops":
            kind, ctx = "flops", {"answer": 2 * int(quantity.value)}
            extra = tuple((mid, 2 * value) for mid, value in extra)
            quantity = flops(int(quantity.value), where)
            steps.append(step(t("step_total_flops"), quantity, _flops_tex(lang), lang))
    elif ask.quantity == "buffers" and all(isinstance(lc.layer, BatchNorm) for lc in rows):
        ctx = {"buffers": counted.buffers, "params": sum(int(lc.parameters.value) for lc in rows)}
        kind, only = "bn.buffers", ("bn-mean-only", "bn-buffers-with-params")
        per_value = [int(lc.buffers.value) * lc.output_shape.h ** 2 for lc in rows  # type: ignore[union-attr]
                     if isinstance(lc.output_shape, FeatureMaps) and lc.output_shape.h == lc.output_shape.w]
        if len(per_value) == len(rows) and any(lc.output_shape.h > 1 for lc in rows):  # type: ignore[union-attr]
            extra = (("bn-per-value", sum(per_value)),)
    if not ctx and not extra:
        only = ()
    part = numeric_part(f"ask{index + 1}", t(f"part_total_{ask.quantity}"), quantity, kind, ctx, lang,
                        measure=measure, only=only, extra=extra)
    return part, steps


def parts_of(d: Definition, counted: NetworkCount, lang: str, values: Mapping[str, Any] | None = None
             ) -> tuple[list[Part], list[Step]]:
    """One part and its solution steps per asked quantity, in the order asked (``values``: the draw's names, which
    the instructor's wrong answers read)."""
    t = Text(ID, lang)
    parts, steps = [], []
    for index, ask in enumerate(d.asks):
        if ask.quantity == "training":
            part, solution = _training_part(t, lang, ask, index, counted, values or {}, d.place(ask.at, "ask"))
        elif ask.total:
            part, solution = _total_part(t, lang, ask, index, counted, d.place(ask.at, "ask"))
        else:
            lc = _layer(counted, ask, d, index)
            part, solution = _layer_part(t, lang, ask, index, lc, counted, d.place(ask.at, "ask"))
        if ask.dtype is not None and ask.quantity != "training":
            part, more = _in_memory(t, lang, ask, part)
            solution = [*solution, more]
        parts.append(_own(d, ask, part, dict(values or {}), lang))
        steps.extend(x for x in solution if x not in steps)  # a count asked twice (in two units) is worked once
    return parts, steps


formulas.register("custom.memory", "n*b/U", r"\frac{[n] \times [b]}{[U]}")


def _in_memory(t: Text, lang: str, ask: Ask, count_part: Part) -> tuple[Part, Step]:
    """The count of values as memory: n values of b bytes each, in the unit U; the memory misconceptions, and
    the count's own misconceptions carried into the unit."""
    from quizgen.problems.measures import UNITS, in_bytes, in_unit
    from quizgen.problems.memory import DTYPES

    assert ask.dtype is not None and ask.unit is not None and count_part.measure is not None
    n, b, u = int(count_part.answer), DTYPES[ask.dtype], UNITS[ask.unit]
    q = formulas.quantity(Fraction(n * b, u), "custom.memory", ask.text, n=n, b=b, U=u)
    ctx = {"answer": q.value, "bytes": n * b, "unit": ask.unit, "dtype": ask.dtype, "batch": 1}
    minimum = ask.decimals if ask.decimals is not None else (0 if ask.unit == "B" else 2)
    label = t("part_memory", label=count_part.label, unit=ask.unit, dtype=ask.dtype, b=b)
    part = numeric_part(count_part.key, label, q, "memory", ctx, lang, unit=ask.unit, decimals=minimum,
                        measure=in_unit(in_bytes(count_part.measure, ask.dtype), ask.unit))
    kept, taken = list(part.distractors), [precision.key(x.value, part.decimals) for x in part.distractors]
    for x in count_part.distractors:  # the count's mistakes, in the unit, with the count's feedback
        value = Fraction(int(x.value) * b, u)
        if precision.clear_of(value, part.answer, part.decimals, part.tolerance, taken):
            kept.append(replace(x, value=value if value.denominator != 1 else int(value)))
            taken.append(precision.key(value, part.decimals))
    part = replace(part, distractors=tuple(kept))
    return part, step(t("step_memory", dtype=ask.dtype, b=b, unit=ask.unit, U=u), q, rf"\mathrm{{{ask.unit}}}", lang)


def _own(d: Definition, ask: Ask, part: Part, values: dict[str, Any], lang: str) -> Part:
    """The part with the ask's own tolerance and the instructor's wrong answers: each checked as a misconception's
    value is (``precision.clear_of``: clear of the right answer and of the others), first among the distractors;
    the catalogue's values too close to them are left out."""
    from quizgen.problems.custom_stem import render_stem
    from quizgen.problems.model import INSTRUCTOR, Distractor

    tol = max(Fraction(part.tolerance), ask.tolerance or 0)
    if not ask.wrong and tol == part.tolerance:
        return part
    answer, decimals = part.answer, part.decimals
    named = {**values, "answer": answer}
    own: list[Distractor] = []
    taken: list[Fraction] = []
    for j, wrong in enumerate(ask.wrong):
        place = d.place(wrong.at, ask.at)
        try:
            value = wrong.value.evaluate(named)
        except expr.ExprError as exc:
            raise QuizgenError(f"ask '{ask.text}': wrong answer {j + 1}: {exc.message}", where=place,
                               fix=exc.fix) from None
        if isinstance(value, bool):
            raise QuizgenError(f"ask '{ask.text}': wrong answer {j + 1} '{wrong.value.text}' is a condition, not a "
                               "number", where=place, fix="write an expression whose value is a number")
        expr.check_with_sympy(wrong.value, named, value)
        shown = f"{numbers.plain(value, None, 'en')} with {_shown(named)}"
        if not precision.clear_of(value, answer, decimals, tol):
            close = "the right answer" if precision.key(value, decimals) == precision.key(answer, decimals) else (
                "too close to the right answer (the tolerance is "
                f"{numbers.plain(tol, None, 'en')}; a wrong value stays {precision.MARGIN} tolerances away)")
            raise QuizgenError(f"ask '{ask.text}': wrong answer {j + 1} '{wrong.value.text}' is {shown}: {close}",
                               where=place, fix="change the expression, or add a where: condition that excludes "
                                                "these values")
        if not precision.clear_of(value, answer, decimals, tol, taken):
            raise QuizgenError(f"ask '{ask.text}': wrong answer {j + 1} '{wrong.value.text}' is {shown}, as an earlier "
                               "wrong answer is (or too close to it to tell apart)", where=place,
                               fix="change one of the two expressions, or add a where: condition that excludes "
                                   "these values")
        if lang not in wrong.feedback:
            raise QuizgenError(f"ask '{ask.text}': wrong answer {j + 1}'s feedback has no text in '{lang}' (it has "
                               f"{', '.join(wrong.feedback)})", where=place, fix=f'add feedback: {{{lang}: "..."}}')
        text = render_stem(wrong.feedback[lang], {**named, "value": value}, lang, place, kind="feedback")
        own.append(Distractor(value, f"{INSTRUCTOR}{j + 1}", text))
        taken.append(precision.key(value, decimals))
    kept = list(own)
    for x in part.distractors:  # the catalogue's, clear of the wider tolerance and of the instructor's values
        if precision.clear_of(x.value, answer, decimals, tol, taken):
            kept.append(x)
            taken.append(precision.key(x.value, decimals))
    return replace(part, tolerance=tol, distractors=tuple(kept))


def _measure_of(ask: Ask, label: str) -> Measure:
    if ask.quantity == "flops":
        return mul(Total("macs") if ask.total else At("macs", label), 2)
    return Total(ask.quantity) if ask.total else At(ask.quantity, label)


def measures(d: Definition, counted: NetworkCount) -> list[Measure]:
    """What each asked quantity reads of the network (for the checks of a whole bank)."""
    return [_measure_of(ask, "" if ask.total else _layer(counted, ask, d, index).label)
            for index, ask in enumerate(d.asks)]


# --- text -------------------------------------------------------------------------------------


def stem_of(d: Definition, values: Mapping[str, Any], spec: str, network: Network, lang: str) -> str:
    """The instructor's stem in ``lang`` (sandboxed), else the generated one."""
    from quizgen.problems.custom_stem import render_stem

    if d.stems:
        if lang not in d.stems:
            raise QuizgenError(f"the stem has no text in '{lang}' (it has {', '.join(d.stems)})",
                               where=d.place("stem"), fix=f"add stem: {{{lang}: \"...\"}}")
        return render_stem(d.stems[lang], {**values, "network": spec}, lang, d.place(f"stem.{lang}", "stem"))
    from quizgen.problems.layerkit import conventions

    paddings = [layer.padding for layer in network.layers if isinstance(layer, (Conv, Pool))]
    return Text(ID, lang)("stem", network=spec, input=network.input, layers=_layer_lines(network, lang),
                          conventions=conventions(paddings, lang))


def _layer_lines(network: Network, lang: str) -> list[str]:
    """Each layer in words as the families describe them (``layers/<lang>.j2``), else in the spec's notation."""
    from dataclasses import replace

    from quizgen.nets.layers import layer_label
    from quizgen.nets.spec import format_layer
    from quizgen.problems.layerkit import describe

    out = []
    for i, layer in enumerate(network.layers, start=1):
        label = layer_label(layer, i)
        if isinstance(layer, Dense) or (isinstance(layer, (Conv, Pool)) and _square(layer)
                                        and getattr(layer, "kind", "max") != "avg"
                                        and not getattr(layer, "trainable", False) and not getattr(layer, "ceil", False)
                                        and getattr(layer, "groups", 1) == 1 and getattr(layer, "table", None) is None
                                        and getattr(layer, "bias", True)):
            out.append(describe(replace(layer, name=label), lang))
        else:
            out.append(f"{label}: {format_layer(layer)}")
    return out


def title_of(d: Definition, lang: str) -> str:
    if lang in d.names:
        return d.names[lang]
    return next(iter(d.names.values()))


# --- the family -------------------------------------------------------------------------------


def generate(rng: random.Random, params: Params, difficulty: int, lang: str) -> Content:
    d = read(params.overrides or DEFAULT)
    try:
        return _content(d, rng, lang)
    except QuizgenError as exc:  # named as the bank names the entry ("entry 3 (custom): ")
        raise QuizgenError(d.at.get("what", "") + exc.message, where=exc.where, fix=exc.fix) from None


def _content(d: Definition, rng: random.Random, lang: str) -> Content:
    values = draw(d, rng)
    network, counted = build(d, values)
    choices: tuple[Choice, ...] = ()
    if d.choose is not None:
        choices, steps = choices_of_draw(d, counted, lang, values, rng)
        parts: list[Part] = []
    else:
        parts, steps = parts_of(d, counted, lang, values)
    for (name, e) in d.let:  # the evaluator's computed values, again with sympy
        expr.check_with_sympy(e, values, values[name])
    spec = spec_text(d, values)
    return Content(title=title_of(d, lang), stem=stem_of(d, values, spec, network, lang), parts=tuple(parts),
                   choices=choices, multiple=bool(d.choose and d.choose.multiple), solution=tuple(steps),
                   network=network, hint=Text(ID, lang)("hint"), tags=("custom",))


def choices_of_draw(d: Definition, counted: NetworkCount, lang: str, values: Mapping[str, Any],
                    rng: random.Random) -> tuple[tuple[Choice, ...], list[Step]]:
    """The options of a choice question for one draw, checked (the right ones as many as the question says, no two
    alike, no wrong number equal to a right one), in the bank's order or shuffled; the solution's steps."""
    from quizgen.problems.custom_stem import render_stem

    assert d.choose is not None
    t = Text(ID, lang)
    made: list[tuple[Option, str, bool, Number | None]] = []
    measured: list[Measure | None] = []
    feedbacks: list[str] = []
    steps: list[Step] = []
    for k, option in enumerate(d.choose.options):
        place = d.place(option.at, "choose")
        correct = option.correct
        if not isinstance(correct, bool):
            result = _evaluate(option.correct, values, place, f"option {k + 1}: correct")  # type: ignore[arg-type]
            correct = bool(result)
        number: Number | None = None
        measure: Measure | None = None
        if option.text is not None:
            if lang not in option.text:
                raise QuizgenError(f"option {k + 1} has no text in '{lang}' (it has {', '.join(option.text)})",
                                   where=place, fix=f'add text: {{{lang}: "..."}}')
            text = render_stem(option.text[lang], values, lang, place, kind=f"option {k + 1}")
        else:
            if option.ask is not None:
                ask = option.ask
                if ask.total:
                    part, more = _total_part(t, lang, ask, k, counted, place)
                else:
                    part, more = _layer_part(t, lang, ask, k, _layer(counted, ask, d, k), counted, place)
                assert part.quantity is not None
                formulas.check(part.quantity, place)
                number = part.answer
                measure = part.measure
                steps.extend(more)
            else:
                assert option.value is not None
                number = _evaluate(option.value, values, place, f"option {k + 1}")
                if isinstance(number, bool):
                    raise QuizgenError(f"option {k + 1} '{option.value.text}' is a condition, not a number",
                                       where=place, fix="write an expression whose value is a number")
            text = f"${numbers.latex(number, None, lang)}$"
        feedback = option.feedback
        if feedback and lang not in feedback:
            raise QuizgenError(f"option {k + 1}'s feedback has no text in '{lang}' (it has {', '.join(feedback)})",
                               where=place, fix=f'add feedback: {{{lang}: "..."}}')
        shown = render_stem(feedback[lang], {**values, **({"value": number} if number is not None else {})}, lang,
                            place, kind="feedback") if feedback else t("option_right" if correct else "option_wrong")
        for other, other_text, other_correct, other_number in made:
            if other_text == text or (number is not None and other_number == number and correct != other_correct):
                raise QuizgenError(f"option {k + 1} shows {text} with {_shown(values)}, as option "
                                   f"{d.choose.options.index(other) + 1} does"
                                   + (" (one right, one wrong)" if correct != other_correct else ""),
                                   where=place, fix="change one of the two, or add a where: condition that excludes "
                                                    "these values")
        made.append((option, text, correct, number))
        feedbacks.append(shown)
        measured.append(measure)
    right = sum(1 for _, _, correct, _ in made if correct)
    if not d.choose.multiple and right != 1:
        raise QuizgenError(f"with {_shown(values)}, {right} options are right, and a single-answer question has one",
                           where=d.place("choose"), fix="mark one option correct (or make the correct: conditions "
                                                        "exclusive), or write multiple: true")
    if d.choose.multiple and not 2 <= right < len(made):
        raise QuizgenError(f"with {_shown(values)}, {right} of {len(made)} options are right, and a multiple-answer "
                           "question has 2 or more, and not all", where=d.place("choose"),
                           fix="change which options are correct, or add a where: condition that excludes these "
                               "values")
    order = list(range(len(made)))
    if d.choose.shuffle:
        rng.shuffle(order)  # a uniform permutation: a right option is equally likely in every position
    choices = tuple(Choice(made[i][1], made[i][2], feedbacks[i], measure=measured[i],
                           value=made[i][3] if measured[i] is not None else None) for i in order)
    steps.append(Step(t("step_choose", right=[c.text for c in choices if c.correct])))
    return choices, steps


def _evaluate(e: expr.Expr, values: Mapping[str, Any], place: str, what: str) -> Any:
    try:
        result = e.evaluate(values)
    except expr.ExprError as exc:
        raise QuizgenError(f"{what}: {exc.message}", where=place, fix=exc.fix) from None
    expr.check_with_sympy(e, values, result)
    return result



def space_of(overrides: Mapping[str, Any], difficulty: int) -> int | None:
    """Distinct draws: the combinations that satisfy ``where`` (None when too many to count)."""
    return space(read(overrides or DEFAULT))


FAMILY = Family(
    id=ID,
    summary={"en": "an instructor's own exercise written in a bank entry: a network with placeholders, the values "
                   "to draw, a condition and the quantities to ask",
             "it": "un esercizio scritto dal docente in una voce del banco: una rete con segnaposto, i valori da "
                   "estrarre, una condizione e le grandezze da chiedere"},
    generate=generate,
    parameters=Parameters(),
    difficulties=(1, 2, 3),
    space=space_of,
    tags=("custom",),
)
