"""A bank entry ``family: custom``: its own keys read into the definition ``quizgen.problems.custom`` generates from.

The definition keeps where each key is written (``_at``: ``file:line``; left out of problem ids), so a mistake
found later, in one particular draw, still names its line. Before anything is written the entry is checked:
every key, every expression and stem, and the network and every asked measure on a spread of draws (the first,
the extremes of each value, and random ones); ``quizgen stress`` draws many more.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from typing import Any

from quizgen.errors import QuizgenError
from quizgen.text.yamlsource import LinedDict, LinedList

CUSTOM_KEYS = ("network", "params", "let", "where", "ask", "choose", "stem")
PROBE_DRAWS = 24  # random draws checked at load, besides the first and the extremes


def split_entry(item: LinedDict, path: str, what: str, entry_keys: Iterable[str]) -> tuple[LinedDict, dict[str, Any]]:
    """The entry without its custom keys (the keys of any entry, ``entry_keys``, are checked as for any entry), and
    the definition."""
    import difflib

    allowed = [*entry_keys, *CUSTOM_KEYS]
    for key in item:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            raise QuizgenError(f"{what}unknown key '{key}'", where=f"{path}:{item.line_of(key)}",
                               fix=(f"did you mean '{close[0]}'? " if close else "") + "a custom entry's keys are "
                               + ", ".join(allowed))
    rest = LinedDict({k: v for k, v in item.items() if k not in CUSTOM_KEYS})
    rest.line, rest.key_lines = item.line, {k: v for k, v in item.key_lines.items() if k not in CUSTOM_KEYS}
    definition: dict[str, Any] = {k: _plain(item[k]) for k in CUSTOM_KEYS if k in item}
    if "name" in item:
        definition["name"] = _plain(item["name"])
    at = {"entry": f"{path}:{item.line}", "what": what}
    for key in (*CUSTOM_KEYS, "name"):
        if key in item:
            at[key] = f"{path}:{item.line_of(key)}"
    asks = item.get("ask")
    if isinstance(asks, LinedList):
        for i in range(len(asks)):
            at[f"ask{i + 1}"] = f"{path}:{asks.line_of(i)}"
            wrong = asks[i].get("wrong") if isinstance(asks[i], LinedDict) else None
            if isinstance(wrong, LinedList):
                for j in range(len(wrong)):
                    at[f"ask{i + 1}.wrong{j + 1}"] = f"{path}:{wrong.line_of(j)}"
    choose = item.get("choose")
    options = choose.get("options") if isinstance(choose, LinedDict) else None
    if isinstance(options, LinedList):
        for k in range(len(options)):
            at[f"choose.option{k + 1}"] = f"{path}:{options.line_of(k)}"
    for key in ("stem", "name"):
        texts = item.get(key)
        if isinstance(texts, LinedDict):
            for lang in texts:
                at[f"{key}.{lang}"] = f"{path}:{texts.line_of(lang)}"
    definition["_at"] = at
    return rest, definition


def _plain(value: Any) -> Any:
    """YAML's lined containers as plain dicts and lists (the definition is hashed into problem ids)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def check_entry(definition: dict[str, Any], what: str, part_points: tuple, lang: str) -> None:
    """Every mistake in a custom entry that a spread of draws can show, as a QuizgenError at its line."""
    from quizgen.problems import custom
    from quizgen.text.templating import LANGS

    try:
        d = custom.read(definition)
        if d.choose is not None and len(part_points) > 1:
            raise QuizgenError(f"points lists {len(part_points)} values for one choice question",
                               where=d.place("choose"), fix="give one number of points (points: 2)")
        if part_points and d.choose is None and len(part_points) != len(d.asks):
            raise QuizgenError(f"points lists {len(part_points)} values for {len(d.asks)} asked quantities",
                               where=d.place("ask"), fix=f"give one number of points per ask ({len(d.asks)})")
        for stem_lang, source in d.stems.items():
            from quizgen.problems.custom_stem import check_stem

            check_stem(source, [*d.choices, *(n for n, _ in d.let), "network"], d.place(f"stem.{stem_lang}"),
                       stem_lang)
        if d.stems and lang not in d.stems and lang in LANGS:
            raise QuizgenError(f"the stem has no text in '{lang}', the bank's language (it has "
                               f"{', '.join(d.stems)})", where=d.place("stem"),
                               fix=f'add stem: {{{lang}: "..."}}, or leave the stem out for a generated one')
        from quizgen.problems.custom_stem import check_stem

        names = [*d.choices, *(n for n, _ in d.let), "answer", "value"]
        for ask in d.asks:
            for wrong in ask.wrong:
                for text_lang, text in wrong.feedback.items():
                    check_stem(text, names, d.place(wrong.at, ask.at), text_lang, kind="feedback")
                if lang in LANGS and lang not in wrong.feedback:
                    raise QuizgenError(f"ask '{ask.text}': a wrong answer's feedback has no text in '{lang}', the "
                                       f"bank's language (it has {', '.join(wrong.feedback)})",
                                       where=d.place(wrong.at, ask.at), fix=f'add feedback: {{{lang}: "..."}}')
        for option in d.choose.options if d.choose is not None else ():
            for kind, texts in (("option", option.text or {}), ("feedback", option.feedback)):
                for text_lang, text in texts.items():
                    check_stem(text, names, d.place(option.at, "choose"), text_lang, kind=kind)
        for number, values in enumerate(_probes(d)):
            network, counted = custom.build(d, values)
            if d.choose is not None:
                custom.choices_of_draw(d, counted, lang, values, random.Random(number))
            else:
                custom.parts_of(d, counted, lang, values)
            spec = custom.spec_text(d, values)
            for stem_lang in d.stems:
                custom.stem_of(d, values, spec, network, stem_lang)
    except QuizgenError as exc:
        raise QuizgenError(what + exc.message, where=exc.where, fix=exc.fix) from None


def _probes(d: Any) -> list[dict[str, Any]]:
    """Draws to check: the first and last value of every parameter with the others at their first, and random ones;
    only those that satisfy ``where``."""
    from quizgen.problems import custom

    first = {name: values[0] for name, values in d.choices.items()}
    candidates = [first]
    for name, values in d.choices.items():
        candidates.append({**first, name: values[-1]})
    candidates.append({name: values[-1] for name, values in d.choices.items()})
    rng = random.Random(2026)
    candidates += [{name: rng.choice(values) for name, values in d.choices.items()} for _ in range(PROBE_DRAWS)]
    out = []
    for drawn in candidates:
        values = custom.values_of(d, drawn)
        if custom.satisfied(d, values) and values not in out:
            out.append(values)
    if not out:
        out.append(custom.draw(d, random.Random(2026)))  # QuizgenError when nothing satisfies ``where``
    return out
