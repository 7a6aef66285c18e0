"""banks/beyond.yaml: no entry lets a student guess an answer from where it lies among the offered values."""

from __future__ import annotations

import pytest

from quizgen.bank.draw import entry_variants
from quizgen.bank.fair import fairness
from quizgen.bank.load import load_bank
from quizgen.problems import generate
from quizgen.verify.stress import stress_entry


def test_no_exploitable_pattern_in_the_beyond_bank() -> None:
    bank = load_bank("beyond")
    for index, entry in enumerate(bank.entries):
        report = stress_entry(bank, index, 50)
        assert report.patterns == (), (index, entry.family, entry.difficulty, report.patterns)


# parts whose offered mistakes all lay on one side of the answer (always the smallest or the largest value)
SIDES = [("inverse", 1, "p"), ("inverse", 3, "f"), ("batchnorm", 1, "bn-params"), ("batchnorm", 2, "bn-params"),
         ("batchnorm", 2, "without-bias"), ("macs", 3, "params-share"), ("model-summary", 3, "cell-2-1"),
         ("model-summary", 3, "cell-7-2"), ("depthwise-separable", 3, "standard"), ("depthwise-separable", 3, "macs"),
         ("transposed-conv", 3, "output-padding")]


@pytest.mark.parametrize(("family", "difficulty", "key"), SIDES)
def test_mistakes_fall_on_both_sides_of_the_answer(family: str, difficulty: int, key: str) -> None:
    below = above = 0
    for seed in range(40):
        part = generate(family, seed=seed, difficulty=difficulty, lang="en").part(key)
        below += any(d.value < part.answer for d in part.distractors)
        above += any(d.value > part.answer for d in part.distractors)
    assert below and above, (below, above)


def _fair(bank, index: int, n: int) -> tuple[str, ...]:  # noqa: ANN001
    found = fairness(entry_variants(bank, index, n))
    return found.findings + (() if found.keep == n else (f"only {found.keep} keep the rules",))


@pytest.mark.parametrize("index", range(len(load_bank("beyond").entries)))
def test_ten_versions_of_every_entry_are_fair(index: int) -> None:
    """An exam for a few rooms: ten versions of each entry ask the same parts with comparable work and no two
    share more than one answer (model-summary at difficulty 3 and transposed-conv at 2 and 3 used to give 7 to 9)."""
    bank = load_bank("beyond")
    assert _fair(bank, index, 10) == (), bank.entries[index].family


# the entries whose defaults give a Moodle export's thirty fair versions (the others' fix lines say how many)
THIRTY = [("receptive-field", 2), ("model-summary", 3), ("residual", 2), ("residual", 3), ("transposed-conv", 1),
          ("transposed-conv", 2), ("transposed-conv", 3)]


@pytest.mark.slow
@pytest.mark.parametrize(("family", "difficulty"), THIRTY)
def test_thirty_versions_of_these_entries_are_fair(family: str, difficulty: int) -> None:
    bank = load_bank("beyond")
    index = next(i for i, e in enumerate(bank.entries) if (e.family, e.difficulty) == (family, difficulty))
    assert _fair(bank, index, 30) == ()


@pytest.mark.slow
@pytest.mark.parametrize("difficulty", [1, 3])
def test_fifty_versions_of_the_inverse_problems_are_fair(difficulty: int) -> None:
    """The padding or kernel and the filter count: 16 filter counts, so fifty versions need not repeat a pair
    (with 9 they could not)."""
    bank = load_bank("beyond")
    index = next(i for i, e in enumerate(bank.entries) if (e.family, e.difficulty) == ("inverse", difficulty))
    assert _fair(bank, index, 50) == ()
