"""Every hint a student sees before the worked solution names what its letters stand for.

A Moodle Cloze gap's catch-all and GIFT's per-part question give the part's own hint
(``moodle_common.part_hint``), the practice page and the terminal give the part's formula hint
(``practice.part_hints``), and a numerical question, a one-part GIFT question and a part without a formula give
the problem's hint. A student reads them without the worked solution, so each letter (symbol) in their math is
either defined in the hint itself or shown by the question (stem, part labels, table): as ``$N_c = 12$`` or on its
own, ``the side $r$ of ...``. A letter that only the worked solution defines (``Use $A + B + D + K$``) fails.
"""

from __future__ import annotations

import re

import pytest

from quizgen.problems import families, generate
from quizgen.problems.model import Problem
from quizgen.render.moodle_common import part_hint
from quizgen.render.practice import part_hints

MATH = re.compile(r"\$([^$]+)\$|\\\((.+?)\\\)")
SYMBOL = re.compile(r"#?[A-Za-z](?:_\{[^{}]*\}|_[A-Za-z0-9])?")


def _normal(math: str) -> str:
    """The math with one spelling per symbol: ``M_\\mathrm{conv}`` as ``M_{conv}``, ``B_{\\max}`` as ``B_{max}``,
    ``\\#W_c`` as ``#W_c``, no spaces, no ``\\text{...}`` words."""
    math = re.sub(r"\\(?:text|mathrm|operatorname)\{([^{}]*)\}", lambda m: "{" + m.group(1) + "}"
                  if m.string[m.start() - 1:m.start()] == "_" else " ", math)
    math = math.replace("\\max", "max").replace("\\min", "min").replace("\\#", "#")
    math = re.sub(r"_([A-Za-z0-9])", r"_{\1}", math)
    math = re.sub(r"\\[A-Za-z]+", " ", math)  # \times, \frac, \lfloor, \gamma ...: no letters
    return re.sub(r"\s+|\\[,;! ]", "", math)


def _symbols(math: str) -> set[str]:
    return set(SYMBOL.findall(_normal(math)))


def _defined(text: str) -> set[str]:
    """The symbols a text defines: a math span that is the symbol alone or starts with ``symbol =``."""
    out = set()
    for match in MATH.finditer(text):
        math = _normal(match.group(1) or match.group(2))
        head = math.split("=", 1)[0]
        if SYMBOL.fullmatch(head):
            out.add(head)
    return out


def _used(text: str) -> set[str]:
    out: set[str] = set()
    for match in MATH.finditer(text):
        out |= _symbols(match.group(1) or match.group(2))
    return out


def undefined(hint: str, problem: Problem) -> set[str]:
    """The symbols of ``hint`` that neither the hint nor the question shows as defined."""
    shown = [problem.stem, *(p.label for p in problem.parts)]
    if problem.table is not None:
        shown += [*problem.table.columns, *(c for row in problem.table.rows for c in row)]
    defined = _defined(hint).union(*(_defined(t) for t in shown))
    return _used(hint) - defined


def hints_seen(problem: Problem) -> set[str]:
    """Every hint an output shows a student who answers ``problem`` before its solution."""
    seen = {problem.hint} if problem.hint else set()
    for part in problem.parts:
        seen.add(part_hint(problem, part))
        seen.update(part_hints(part, problem.lang))
    return seen


def test_the_checker_knows_a_defined_symbol_from_an_undefined_one() -> None:
    problem = Problem(id="x", family="x", difficulty=1, lang="en", seed=0, title="t",
                      stem="A layer of $N_c = 12$ filters on maps of depth $C$ and the $r \\times r$ region.")
    assert _used("use $f^2 \\times C \\times N_c + N_c$") == {"f", "C", "N_{c}"}
    assert undefined("use $f^2 \\times C \\times N_c + N_c$", problem) == {"f"}
    assert undefined("use $f^2 \\times C \\times N_c$, where $f$ is the filter size", problem) == set()
    assert undefined("Use $A + B + D + K$", problem) == {"A", "B", "D", "K"}
    assert undefined("$B_{\\max} = \\lfloor M / b \\rfloor$", problem) == {"M", "b"}
    assert _used("$100 \\times \\frac{M_\\mathrm{conv}}{M}$ and $\\#W_c$") == {"M_{conv}", "M", "#W_{c}"}


def _cases() -> list[tuple[str, int, str]]:
    return [(f.id, d, lang) for f in families() if f.id != "custom" for d in f.difficulties for lang in ("en", "it")]


def _check(problem: Problem) -> None:
    for hint in hints_seen(problem):
        missing = undefined(hint, problem)
        assert not missing, f"{problem.id}: {sorted(missing)} in {hint!r}"


@pytest.mark.parametrize(("family", "difficulty", "lang"), _cases())
def test_every_hint_defines_its_symbols(family: str, difficulty: int, lang: str) -> None:
    # concept questions draw one item of the catalogue each: enough seeds to meet every item's hint
    for seed in range(150 if family == "concepts" else 6):
        _check(generate(family, seed=seed, difficulty=difficulty, lang=lang))


@pytest.mark.parametrize("lang", ["en", "it"])
@pytest.mark.parametrize("bank", ["custom-examples", "custom-modern"])
def test_every_hint_of_the_custom_exercises_defines_its_symbols(bank: str, lang: str) -> None:
    from quizgen.bank.draw import entry_draws
    from quizgen.bank.load import load_bank
    from quizgen.bank.tailor import tailored

    loaded = load_bank(bank, lang=lang)
    for index, entry in enumerate(loaded.entries):
        for draw in entry_draws(loaded, index, 3):
            _check(tailored(draw.generate(), entry))


def test_every_formula_names_what_its_letters_stand_for() -> None:
    from quizgen.nets import formulas
    from quizgen.problems import custom  # noqa: F401 - registers the custom exercises' formulas
    from quizgen.problems.steps import formula_hint, is_sum

    for key in formulas.keys():
        for lang in ("en", "it"):
            hint = formula_hint(key, lang)  # InternalError for a letter without a meaning
            if is_sum(key):
                assert "$" not in hint, hint
            else:
                assert not _used(hint) - _defined(hint), (key, hint)
