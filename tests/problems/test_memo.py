"""Reused builds (lenet5, alexnet, memory): a problem is the same whether it is built fresh or found again."""

from __future__ import annotations

import pytest

from quizgen.problems import alexnet, generate, lenet5, lenet5_parts, memo, memory


def _clear() -> None:
    for cache in (memo._PARTS, lenet5._BUILT, lenet5._ARCHS, lenet5._SHAPES, alexnet._BUILT, alexnet._NETWORKS,
                  memory._BUILT, memory._NETWORKS, memory._MEMORY):
        cache.clear()
    assert lenet5_parts.part is memo.part


@pytest.mark.parametrize("family", ["lenet5", "alexnet", "memory"])
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
