"""Fair versions of LeNet-5 and AlexNet bank entries: the same question in every version, numbers that differ.

A bank entry's shape seed fixes what its versions ask (the kind, LeNet-5's form and C3 table, the layer of a
subsampling or connections question, the blank cells of "complete the table"); the versions draw their
numbers from values wide enough that an exam finds versions sharing at most one answer (``quizgen.bank.fair``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quizgen.bank.draw import entry_draws
from quizgen.bank.load import load_bank
from quizgen.bank.tailor import tailored
from quizgen.problems import generate
from quizgen.problems.alexnet_table import ROWS, SAME_SIZE
from quizgen.verify.stress import stress_entry

ROOT = Path(__file__).resolve().parents[2]
FAMILIES = ("lenet5", "alexnet")


def _entries(bank_name: str) -> list[tuple[object, int]]:
    bank = load_bank(ROOT / "banks" / f"{bank_name}.yaml")
    return [(bank, i) for i, e in enumerate(bank.entries) if e.family in FAMILIES]


@pytest.mark.parametrize("bank_name", ["lecture", "practice"])
def test_fifty_versions_of_each_bundled_entry_keep_every_rule(bank_name: str) -> None:
    for bank, i in _entries(bank_name):
        report = stress_entry(bank, i, 50)
        assert report.fairness.findings == (), (bank_name, i, report.fairness)
        assert report.fairness.keep == 50


@pytest.mark.parametrize("bank_name", ["lecture", "practice"])
def test_every_draw_of_an_entry_asks_the_same_question(bank_name: str) -> None:
    for bank, i in _entries(bank_name):
        entry = bank.entries[i]
        problems = [tailored(d.generate(), entry) for d in entry_draws(bank, i, 30)]
        assert len({tuple(p.key for p in problem.parts) for problem in problems}) == 1, (bank_name, i)
        assert len({len(p.solution) for p in problems}) == 1, (bank_name, i)
        assert len({p.title for p in problems}) == 1, (bank_name, i)  # same kind, same form
        assert len({p.stem for p in problems}) >= 25, (bank_name, i)  # and other numbers


def test_no_table_blank_can_be_read_or_copied_from_a_printed_cell() -> None:
    bank = load_bank(ROOT / "banks" / "lecture.yaml")
    index = next(i for i, e in enumerate(bank.entries) if e.family == "alexnet" and e.difficulty == 3)
    same = {label: rows for rows in SAME_SIZE for label in rows}
    for seed in range(6):  # entries of other banks blank other rows
        for problem in (d.generate() for d in entry_draws(bank, index, 8, seed=seed)):
            rows = problem.table.rows
            assert len(problem.table.blanks) == len(problem.parts) == 2
            for r, c in problem.table.blanks:
                answer = problem.part(f"cell-{r}-{c}").answer
                assert rows[r][c] == "?"
                for other in (r - 1, r + 1):  # the cells above and below
                    assert str(answer) not in re.findall(r"\d+", rows[other][c]), (problem.id, rows)
                for label in same.get(ROWS[r], ()):  # a row with the same size (SAME, stride 1) is not printed
                    assert rows[ROWS.index(label)][c] in ("", "?"), (problem.id, rows)


def test_entries_of_other_banks_blank_other_rows() -> None:
    bank = load_bank(ROOT / "banks" / "lecture.yaml")
    index = next(i for i, e in enumerate(bank.entries) if e.family == "alexnet" and e.difficulty == 3)
    patterns = set()
    for seed in range(12):
        asked = {tuple(p.key for p in d.generate().parts) for d in entry_draws(bank, index, 4, seed=seed)}
        assert len(asked) == 1
        patterns |= asked
    assert len(patterns) >= 3


def test_without_an_entry_every_draw_chooses_its_own_question() -> None:
    """The practice page and ``sample`` pass no shape: the kinds and blank cells vary from draw to draw."""
    kinds = {generate("alexnet", seed=s, difficulty=3).tags[1] for s in range(40)}
    assert kinds == {"table", "inconsistent", "total", "fc-share"}
    blanks = {generate("alexnet", seed=s, difficulty=3, params={"kind": "table"}).table.blanks for s in range(30)}
    assert len(blanks) >= 3
