"""The check every generated problem passes: each way a problem can be wrong is caught and named."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pytest

from quizgen.errors import InternalError
from quizgen.nets.formulas import Quantity
from quizgen.problems import generate
from quizgen.problems.check import verify_problem
from quizgen.problems.model import Distractor


@pytest.fixture(scope="module")
def problem():  # noqa: ANN201 - a conv-conv Problem with a network, sizes, weights and parameters
    return generate("conv-conv", seed=7, difficulty=2, lang="en")


def _with_part(problem, index: int, **changes):  # noqa: ANN001, ANN202
    parts = list(problem.parts)
    parts[index] = replace(parts[index], **changes)
    return replace(problem, parts=tuple(parts))


def test_a_generated_problem_passes(problem) -> None:  # noqa: ANN001
    assert verify_problem(problem) is problem


def test_wrong_quantity_is_named_with_its_part(problem) -> None:  # noqa: ANN001
    part = problem.parts[-1]
    q = part.quantity
    bad = Quantity(q.value + 1, q.formula, q.values)  # the sympy formula gives q.value
    with pytest.raises(InternalError, match=rf"^{problem.id} part {part.key}: the engine computed {q.value + 1} but"):
        without_network = replace(problem, network=None, extra_networks=())  # the formula check alone
        verify_problem(_with_part(without_network, len(problem.parts) - 1, quantity=bad, answer=q.value + 1))


def test_answer_disagreeing_with_the_network(problem) -> None:  # noqa: ANN001
    part = problem.parts[-1]
    with pytest.raises(InternalError, match=rf"part {part.key}: answer {part.answer + 1} but {part.measure}"):
        verify_problem(_with_part(problem, len(problem.parts) - 1, answer=part.answer + 1))


@pytest.mark.parametrize(("distractors", "message"), [
    (lambda p: (Distractor(p.answer, "forgot-biases", "x"),), "equals the answer"),
    (lambda p: (Distractor(p.answer + 1, "no-such-mistake", "x"),), "names unknown misconception no-such-mistake"),
    (lambda p: (Distractor(p.answer + 1, "forgot-biases", "x"), Distractor(Fraction(p.answer + 1), "forgot-depth",
                                                                            "y")), "appears twice"),
    (lambda p: (Distractor(p.answer + 1, "forgot-biases", "  "),), "has no feedback"),
])
def test_bad_distractors(problem, distractors, message: str) -> None:  # noqa: ANN001
    part = problem.parts[-1]
    with pytest.raises(InternalError, match=rf"part {part.key}: distractor .* {message}"):
        verify_problem(_with_part(problem, len(problem.parts) - 1, distractors=distractors(part)))


def test_where_names_the_problem(problem) -> None:  # noqa: ANN001
    part = problem.parts[-1]
    with pytest.raises(InternalError, match=rf"^exam v3 part {part.key}: answer"):
        verify_problem(_with_part(problem, len(problem.parts) - 1, answer=part.answer + 1), where="exam v3")


def test_every_part_is_measured_on_the_problems_own_network(problem) -> None:  # noqa: ANN001
    """The same parts on another network fail: each problem's measures run on its own network."""
    from quizgen.nets.layers import Input

    verify_problem(problem)
    net = problem.network
    other = replace(net, input=Input(net.input.h + 4, net.input.w + 4, net.input.c))
    with pytest.raises(InternalError, match="on the network is"):
        verify_problem(replace(problem, network=other))
