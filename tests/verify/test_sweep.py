"""The sweep behind ``quizgen verify``: the same counts in one process, with checking workers, and with
drawing workers whose stripped problems this process checks (the CUDA path)."""

from __future__ import annotations

import pytest

from tests.conftest import require_module


@pytest.fixture(scope="module")
def torch():  # noqa: ANN201
    require_module("torch")
    from quizgen.verify.torch_check import require_torch

    return require_torch()


def _summary(rows: list) -> list[tuple]:
    return [(r.name, r.checked, r.agreed, r.no_network, r.networks, tuple(r.disagreements)) for r in rows]


def test_one_process_and_workers_agree(torch) -> None:
    from quizgen.verify import sweep
    from quizgen.verify.torch_check import check_problem

    def fresh() -> list:
        return sweep.family_rows(["fc-fc", "concepts"], 12, 3, "en")

    alone = sweep.run(fresh(), "meta", 1)
    checking_workers = sweep.run(fresh(), "meta", 2)
    drawing_workers = sweep.run(fresh(), "meta", 2, check=lambda p, d: check_problem(p, d))
    assert _summary(alone) == _summary(checking_workers) == _summary(drawing_workers)
    assert [(r.checked, r.agreed, r.no_network) for r in alone] == [(12, 12, 0), (0, 0, 12)]


def test_stripped_problem_keeps_what_the_check_reads(torch) -> None:
    from quizgen.verify import sweep
    from quizgen.verify.torch_check import check_problem

    task = sweep.family_rows(["conv-fc"], 1, 5, "it")[0].tasks[0]
    problem = sweep.draw(task)
    assert not isinstance(problem, str)
    assert problem.stem == "" and problem.solution == () and all(p.quantity is None for p in problem.parts)
    assert problem.network is not None and all(p.measure for p in problem.parts)
    assert check_problem(problem) == []


def test_a_failed_draw_is_reported_with_its_id(torch, monkeypatch: pytest.MonkeyPatch) -> None:
    from quizgen.problems import problem_id
    from quizgen.verify import sweep

    def broken(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise KeyError("N_c")

    monkeypatch.setattr("quizgen.bank.draw.generate", broken)
    rows = sweep.run(sweep.family_rows(["fc-fc"], 2, 0, "en"), "meta", 1)
    t = rows[0].tasks[0]
    assert rows[0].checked == 2 and rows[0].agreed == 0
    pid = problem_id("fc-fc", t.difficulty, t.seed)
    assert rows[0].disagreements[0] == f"{pid}: could not be drawn: KeyError: 'N_c'"
