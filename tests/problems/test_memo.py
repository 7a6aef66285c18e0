"""Reused builds and parts: a problem is the same whether it is built fresh or found again."""

from __future__ import annotations

import pytest

from quizgen.problems import alexnet, generate, lenet5, lenet5_parts, memo, memory


def _clear() -> None:
    memo.clear_all()
    for cache in (memo._PARTS, lenet5._BUILT, lenet5._ARCHS, lenet5._SHAPES, alexnet._BUILT, alexnet._NETWORKS,
                  memory._BUILT, memory._NETWORKS, memory._MEMORY):
        assert len(cache) == 0
    assert lenet5_parts.part is memo.part


@pytest.mark.parametrize("family", ["lenet5", "alexnet", "memory", "conv-conv", "conv-fc", "output-size", "one-by-one"])
def test_same_problem_fresh_or_reused(family: str) -> None:
    jobs = [(seed, d, lang) for seed in range(40) for d in (1, 2, 3) for lang in ("en", "it")]
    _clear()
    first = [generate(family, seed=s, difficulty=d, lang=lang) for s, d, lang in jobs]
    again = [generate(family, seed=s, difficulty=d, lang=lang) for s, d, lang in jobs]  # every build reused
    _clear()
    backwards = [generate(family, seed=s, difficulty=d, lang=lang) for s, d, lang in reversed(jobs)][::-1]
    assert first == again == backwards


def test_memo_is_bounded() -> None:
    m: memo.Memo[int] = memo.Memo(limit=3)
    for i in range(10):
        assert m(i, lambda i=i: i * i) == i * i
        assert len(m) <= 3
    assert m("none", lambda: None) is None and m("none", lambda: 1) is None  # a rejected draw stays rejected


def test_a_kept_problem_is_checked_once_and_every_other_every_time(monkeypatch: pytest.MonkeyPatch) -> None:
    import quizgen.verify.sympy_check as sympy_check

    checked: list[str] = []
    real = sympy_check.verify_problem

    def spy(problem, where=""):  # noqa: ANN001, ANN202 - same signature as the real one
        checked.append(where)
        return real(problem, where)

    monkeypatch.setattr(sympy_check, "verify_problem", spy)
    memo.clear_all()
    # fc-fc difficulty 1 has few variants: two seeds giving the same draw share one kept problem
    problems = [generate("fc-fc", seed=s, difficulty=1, lang="it", params={"F_prev": 120, "F": 84}) for s in range(5)]
    assert len({p.id for p in problems}) == 5 and len({p.stem for p in problems}) == 1
    assert checked == [problems[0].id]
    memo.clear_all()  # forgotten: built and checked again
    generate("fc-fc", seed=9, difficulty=1, lang="it", params={"F_prev": 120, "F": 84})
    assert len(checked) == 2
    for _ in range(3):  # conv-conv keeps no build (its variants seldom recur): each copy is checked
        generate("conv-conv", seed=3, difficulty=2, lang="it")
    assert len(checked) == 5


def test_generating_leaves_no_reference_cycles() -> None:
    """``many()`` pauses the cyclic collector because problems hold no cycles: a collection after 1,000 of them
    (every family, difficulty and language) finds nothing to free."""
    import gc

    from quizgen.problems import FAMILY_MODULES, family, many

    jobs = [(f, d, lang) for f in FAMILY_MODULES for d in family(f).difficulties for lang in ("en", "it")]
    for f, d, lang in jobs:  # templates compiled, formulas loaded
        generate(f, seed=0, difficulty=d, lang=lang)
    gc.collect()
    with many():
        assert not gc.isenabled()
        with many():
            pass
        assert not gc.isenabled()  # the outer one resumes it
        for seed in range(1, 1000 // len(jobs) + 2):
            for f, d, lang in jobs:
                generate(f, seed=seed, difficulty=d, lang=lang)
        assert gc.collect() == 0  # before many() ends: it freezes what was made, and frozen objects are not scanned
        frozen = gc.get_freeze_count()
    assert gc.isenabled() and gc.get_freeze_count() > frozen
