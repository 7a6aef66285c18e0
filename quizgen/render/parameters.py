"""A family's declared parameters in words: for ``quizgen params``, ``sample --help`` and the README table."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from quizgen.problems import Family
from quizgen.problems.params import Param

LABELS = {
    "en": {"values": "values", "default": "default", "hand": "arithmetic hand", "used": "difficulties",
           "difficulty": "difficulty", "none": "takes no parameters", "header": "parameters of {id}"},
    "it": {"values": "valori", "default": "predefiniti", "hand": "arithmetic hand", "used": "difficoltà",
           "difficulty": "difficoltà", "none": "non ha parametri", "header": "parametri di {id}"},
}


def _listed(values: Sequence[object]) -> str:
    shown = list(dict.fromkeys(values))  # repeats weight a draw; shown once
    if len(shown) >= 10 and all(type(v) is int for v in shown):
        steps = {b - a for a, b in itertools.pairwise(shown)}  # type: ignore[operator]
        if len(steps) == 1 and steps.pop() > 0:  # a whole range, as a bank writes it: 8, 16, ..., 64
            return f"{shown[0]}, {shown[1]}, ..., {shown[-1]}"
    return ", ".join(str(v) for v in shown)


def _mode(param: Param, hand: bool, lang: str) -> str:
    """The defaults of one arithmetic mode: one list, or one per difficulty when they differ."""
    per = {d: _listed(param.defaults(d, hand)) for d in param.difficulties}
    if len(set(per.values())) == 1:
        return next(iter(per.values()))
    word = LABELS[lang]["difficulty"]
    return "; ".join(f"{word} {d}: {text}" for d, text in per.items() if text)


def defaults_text(param: Param, lang: str) -> str:
    """The values drawn when a bank fixes none, in words (calculator, then hand when different)."""
    calculator, hand = _mode(param, False, lang), _mode(param, True, lang)
    text = calculator if hand == calculator else f"{calculator} ({LABELS[lang]['hand']}: {hand})"
    chosen = param.chosen.get(lang, "")
    return "; ".join(part for part in (text, chosen) if part)


def used_text(param: Param) -> str:
    return ", ".join(map(str, param.difficulties))


def text(fam: Family, lang: str) -> str:
    """Every parameter of a family: name, meaning, values, defaults and the difficulties that use it."""
    words = LABELS[lang]
    lines = [f"{fam.id}: {fam.summary[lang]}", ""]
    if not fam.parameters:
        return "\n".join([*lines, f"{fam.id} {words['none']}"]) + "\n"
    width = max(len(name) for name in fam.parameters)
    pad = " " * (width + 2)
    for name, param in fam.parameters.items():
        lines.append(f"{name:<{width}}  {param.meaning(lang)}")
        lines.append(f"{pad}{words['values']}: {param.kind.describe(lang)}")
        lines.append(f"{pad}{words['default']}: {defaults_text(param, lang)}")
        lines.append(f"{pad}{words['used']}: {used_text(param)}")
    return "\n".join(lines) + "\n"


def _cell(value: str) -> str:
    return value.replace("|", "\\|")


def markdown(families: Sequence[Family], lang: str = "en") -> str:
    """One table per family (parameter, meaning, values, default, difficulties), for the README."""
    words = LABELS[lang]
    out = []
    for fam in families:
        if not fam.parameters:  # custom: its bank entry declares its own
            out += [f"#### {fam.id}", "", f"{fam.id} {words['none']}.", ""]
            continue
        out += [f"#### {fam.id}", "", f"| parameter | meaning | {words['values']} | {words['default']} | "
                                      f"{words['used']} |", "|---|---|---|---|---|"]
        for name, param in fam.parameters.items():
            out.append(f"| `{name}` | {_cell(param.meaning(lang))} | {_cell(param.kind.describe(lang))} | "
                       f"{_cell(defaults_text(param, lang))} | {used_text(param)} |")
        out.append("")
    return "\n".join(out)
