"""Checks several layer-family test modules share (one body, called with the family's id)."""

from __future__ import annotations

from quizgen.problems import family, generate
from quizgen.problems.model import Problem
from tests.conftest import require_module


def numbers(problem: Problem) -> list[tuple]:
    """Each part's answer and distractor values, in order."""
    return [(p.answer, [d.value for d in p.distractors]) for p in problem.parts]


def assert_same_numbers_in_both_languages(family_id: str, seeds: int = 30) -> None:
    """The same seed gives the same answers and distractors in English and Italian."""
    for difficulty in (1, 2, 3):
        for seed in range(seeds):
            en = generate(family_id, seed=seed, difficulty=difficulty, lang="en")
            it = generate(family_id, seed=seed, difficulty=difficulty, lang="it")
            assert numbers(en) == numbers(it)


def assert_torch_agrees(family_id: str) -> None:
    """PyTorch builds every network of the problem and recomputes each part's measure."""
    require_module("torch")
    from quizgen.verify.torch_check import check_problem

    for difficulty in (1, 2, 3):
        for seed in range(4):
            params = {"arithmetic": "hand"} if seed % 2 and "arithmetic" in family(family_id).parameters else None
            problem = generate(family_id, seed=seed, difficulty=difficulty, params=params)
            assert check_problem(problem) == []
