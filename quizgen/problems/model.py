"""The contract between generators and renderers: frozen values, no behaviour.

Text fields are *rich text*: plain Unicode with inline math in ``$...$`` (LaTeX math, as the
lecture writes it) and paragraphs separated by a blank line. ``quizgen.text.richtext`` turns it into
LaTeX, HTML (for KaTeX/MathJax) or plain terminal text; renderers never compute an answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from quizgen.nets.formulas import Quantity
from quizgen.nets.layers import Network
from quizgen.problems.measures import Measure

Number = int | Fraction
INSTRUCTOR = "instructor-"
"""A distractor named ``instructor-1``, ``instructor-2``, ... is a wrong answer a bank's instructor wrote, with its
own feedback (``family: custom``), not one of the catalogue's misconceptions."""


@dataclass(frozen=True, slots=True)
class Distractor:
    """A wrong value a named misconception produces, with the feedback that explains the mistake."""

    value: Number
    misconception: str
    feedback: str


@dataclass(frozen=True, slots=True)
class Part:
    """One answer the student gives: exact value, absolute tolerance, unit and known wrong values.

    ``decimals`` is how many decimals to print (0 for counts); ``quantity`` is the engine's
    formula and substitution that gives the answer, checked by ``quizgen.problems.check``. ``measure``
    says what the part asks of the problem's networks (``quizgen.problems.measures``, e.g.
    ``At("params", "C1")``, ``in_unit(in_bytes(Total("params"), "float16"), "MB")``) so the engine and
    PyTorch can recompute it; it is required when the problem has a network.
    """

    key: str
    label: str
    answer: Number
    quantity: Quantity | None = None
    tolerance: Number = 0
    unit: str = ""
    decimals: int = 0
    distractors: tuple[Distractor, ...] = ()
    measure: Measure | None = None


@dataclass(frozen=True, slots=True)
class Choice:
    """An option of a multiple-choice question, with feedback shown when it is picked. An option that shows a
    number of the problem's network carries its ``measure`` and ``value``, so the engine and PyTorch recompute it."""

    text: str
    correct: bool
    feedback: str
    misconception: str | None = None
    measure: Measure | None = None
    value: Number | None = None


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a worked solution: a sentence and (optionally) display math.

    ``math`` is LaTeX math without delimiters, typically ``lhs = formula = substitution = result``.
    """

    text: str
    math: str = ""


@dataclass(frozen=True, slots=True)
class Table:
    """An architecture table shown with the question (the lecture's AlexNet table style).

    ``blanks`` are the (row, column) cells the student fills in; each has a Part whose key is
    ``cell-<row>-<column>``. Cell text is rich text.
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    blanks: tuple[tuple[int, int], ...] = ()
    caption: str = ""


@dataclass(frozen=True)
class Content:
    """What a family generates: the text, parts, options and solution of one problem, without its identity."""

    title: str
    stem: str
    parts: tuple[Part, ...] = ()
    choices: tuple[Choice, ...] = ()
    multiple: bool = False
    solution: tuple[Step, ...] = ()
    network: Network | None = None
    extra_networks: tuple[Network, ...] = ()
    table: Table | None = None
    connection_table: tuple[tuple[bool, ...], ...] | None = None
    hint: str = ""
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Problem(Content):
    """A generated, verified exercise in one language: a family's content and the identity that regenerates it
    (``quizgen.problems.generate`` adds it)."""

    id: str
    family: str
    difficulty: int
    lang: str
    seed: int
    params: tuple[tuple[str, Any], ...] = ()

    @property
    def is_choice(self) -> bool:
        return bool(self.choices)

    def part(self, key: str) -> Part:
        for p in self.parts:
            if p.key == key:
                return p
        raise KeyError(key)
