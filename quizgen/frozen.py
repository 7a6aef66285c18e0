"""A quicker ``__init__`` for the frozen dataclasses that generating a problem makes by the ten thousand.

A frozen dataclass's generated ``__init__`` sets each field with ``object.__setattr__`` looked up through the
class ``object`` at every field; the same function with that method bound once at module level does the same
in about 60% of the time (a ``Part``, a ``Quantity``, a ``Distractor``: a few percent of generating a problem).
"""

from __future__ import annotations

import dataclasses
from typing import TypeVar

T = TypeVar("T", bound=type)

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
