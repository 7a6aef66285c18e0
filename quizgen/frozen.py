"""Helpers for the frozen values that generating a problem makes by the ten thousand.

``quick_init``: a frozen dataclass's generated ``__init__`` sets each field with ``object.__setattr__`` looked up
through the class ``object`` at every field; the same function with that method bound once at module level does
the same in about 60% of the time (a ``Part``, a ``Quantity``, a ``Distractor``: a few percent of generating a problem).

``PerObject``: what a pure function gave for one frozen object, kept per object (by identity: no hashing of the
object's fields), for the objects the families' memos hand to many problems.
"""

from __future__ import annotations

import dataclasses
from typing import Generic, TypeVar

T = TypeVar("T", bound=type)
V = TypeVar("V")

_SET = object.__setattr__


def quick_init(cls: T) -> T:
    """Replace a frozen dataclass's ``__init__`` by an equivalent one (same parameters, defaults and effect).

    Only for plain fields: no ``__post_init__``, no ``default_factory``, no ``init=False`` or keyword-only field
    (those raise TypeError here, so the decorator never silently changes what construction means).
    """
    fields = dataclasses.fields(cls)
    if not cls.__dataclass_params__.frozen or hasattr(cls, "__post_init__") or any(  # type: ignore[attr-defined]
        not f.init or f.kw_only or f.default_factory is not dataclasses.MISSING for f in fields
    ):
        raise TypeError(f"quick_init: {cls.__name__} is not a frozen dataclass of plain fields")
    namespace: dict[str, object] = {"_set": _SET}
    params, body = [], []
    for f in fields:
        if f.default is dataclasses.MISSING:
            params.append(f.name)
        else:
            namespace[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
        body.append(f"    _set(self, {f.name!r}, {f.name})\n")
    source = f"def __init__(self, {', '.join(params)}):\n{''.join(body)}"
    exec(compile(source, f"<{cls.__qualname__}.__init__>", "exec"), namespace)  # noqa: S102 - source built above
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"  # type: ignore[attr-defined]
    init.__module__ = cls.__module__  # type: ignore[attr-defined]
    cls.__init__ = init  # type: ignore[misc]
    return cls


class PerObject(Generic[V]):
    """Values kept per object, by ``id()``: each entry holds its object, so an id is never reused while it is a key.

    Only for values that are a pure function of a frozen object. Bounded: cleared when full (a value is then simply
    computed again).
    """

    __slots__ = ("_entries", "limit")

    def __init__(self, limit: int = 100_000) -> None:
        self._entries: dict[int, tuple[object, V]] = {}
        self.limit = limit

    def get(self, obj: object, default: V | None = None) -> V | None:
        entry = self._entries.get(id(obj))
        return entry[1] if entry is not None and entry[0] is obj else default

    def put(self, obj: object, value: V) -> None:
        if len(self._entries) >= self.limit:
            self._entries.clear()
        self._entries[id(obj)] = (obj, value)

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
