"""quick_init gives a frozen dataclass an __init__ that behaves exactly as the generated one."""

from __future__ import annotations

import dataclasses
import inspect
from fractions import Fraction

import pytest

from quizgen.frozen import quick_init
from quizgen.nets.formulas import Quantity
from quizgen.problems.model import Distractor, Part, Problem


@dataclasses.dataclass(frozen=True, slots=True)
class Plain:
    a: int
    b: str = "b"
    c: tuple = ()


Quick = quick_init(dataclasses.make_dataclass("Quick", [("a", int), ("b", str, "b"), ("c", tuple, ())],
                                              frozen=True, slots=True))


def test_same_signature_defaults_and_values_as_the_generated_init() -> None:
    def shape(cls: type) -> list:
        return [(p.name, p.default, p.kind) for p in inspect.signature(cls.__init__).parameters.values()]

    assert shape(Quick) == shape(Plain)
    for args, kwargs in [((1,), {}), ((1, "x"), {}), ((1,), {"c": (2,)}), ((), {"a": 3, "b": "y", "c": ()})]:
        plain, quick = Plain(*args, **kwargs), Quick(*args, **kwargs)
        assert dataclasses.astuple(plain) == dataclasses.astuple(quick)
    assert Quick(1) == Quick(1) and hash(Quick(1, "x")) == hash(Quick(1, "x"))
    assert repr(Quick(2)) == "test_frozen.Quick(a=2, b='b', c=())" or repr(Quick(2)).endswith("Quick(a=2, b='b', c=())")


def test_wrong_calls_fail_as_before_and_the_value_stays_frozen() -> None:
    for call in (lambda: Quick(), lambda: Quick(1, "b", (), 4), lambda: Quick(1, d=2), lambda: Quick(1, a=1)):
        with pytest.raises(TypeError):
            call()
    with pytest.raises(dataclasses.FrozenInstanceError):
        Quick(1).a = 2  # type: ignore[misc]


def test_refuses_what_it_cannot_copy() -> None:
    @dataclasses.dataclass(frozen=True)
    class WithFactory:
        a: list = dataclasses.field(default_factory=list)

    @dataclasses.dataclass(frozen=True)
    class WithPost:
        a: int

        def __post_init__(self) -> None:
            pass

    @dataclasses.dataclass
    class NotFrozen:
        a: int

    for cls in (WithFactory, WithPost, NotFrozen):
        with pytest.raises(TypeError, match="quick_init"):
            quick_init(cls)


def test_the_model_values_use_it_and_build_as_before() -> None:
    q = Quantity(Fraction(3, 2), "x", (("a", 1),))
    part = Part("k", "label", q.value, q, distractors=(Distractor(2, "m", "feedback"),))
    assert Part.__init__.__qualname__ == "Part.__init__" and "_set" in Part.__init__.__code__.co_names
    assert (part.tolerance, part.unit, part.decimals, part.measure) == (0, "", 0, "")
    assert dataclasses.replace(part, unit="MB").unit == "MB"
    problem = Problem("id", "family", 1, "en", 0, "title", "stem")
    assert problem.params == () and problem.parts == () and problem.network is None


def test_per_object_keys_by_identity_and_stays_bounded() -> None:
    from quizgen.frozen import PerObject

    kept: PerObject[str] = PerObject(limit=2)
    a, b = Quantity(1, "x", ()), Quantity(1, "x", ())  # equal, but two objects
    kept.put(a, "a")
    assert kept.get(a) == "a" and kept.get(b) is None and kept.get(b, "none") == "none"
    kept.put(b, "b")
    assert (kept.get(a), kept.get(b), len(kept)) == ("a", "b", 2)
    c = Quantity(2, "x", ())
    kept.put(c, "c")  # full: cleared first
    assert (kept.get(a), kept.get(c), len(kept)) == (None, "c", 1)
