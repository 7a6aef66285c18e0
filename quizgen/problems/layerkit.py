"""Pieces shared by the layer families (conv-conv, conv-fc, fc-fc, one-by-one, output-size).

Layer descriptions in the stems come from ``templates/layers/<lang>.j2`` so every family words a
layer the same way; ``space`` counts the distinct parameter draws a family can make.
"""

from __future__ import annotations

import contextvars
import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from quizgen.errors import QuizgenError
from quizgen.nets import formulas
from quizgen.nets.formulas import Quantity
from quizgen.nets.layers import Conv, Dense, Padding, Pool
from quizgen.text.templating import render_block

if TYPE_CHECKING:
    from quizgen.problems.params import Params

SPACE_LIMIT = 200_000


def static(family_id: str, lang: str, block: str) -> str:
    """A template block that takes no context (a part label, a title)."""
    return render_block(f"problems/{family_id}/{lang}.j2", block)


def padding_text(padding: Padding, lang: str) -> str:
    return render_block(f"layers/{lang}.j2", "padding", padding=padding)


def describe(layer: Conv | Pool | Dense, lang: str, short: bool = False) -> str:
    """The layer in words, as the stems name it ("a convolutional layer C2 of 16 filters of 5×5 ...")."""
    path = f"layers/{lang}.j2"
    if isinstance(layer, Dense):
        return render_block(path, "fc", name=layer.name, F=layer.units, bias=layer.bias)
    f, s = layer.kernel[0], layer.stride[0]
    if isinstance(layer, Conv):
        block = "conv_short" if short else "conv"
        return render_block(path, block, name=layer.name, N=layer.filters, f=f, s=s,
                            padding_text=padding_text(layer.padding, lang), bias=layer.bias)
    return render_block(path, "pool", name=layer.name, f=f, s=s, padding_text=padding_text(layer.padding, lang),
                        kind=layer.kind)


def conventions(paddings: Sequence[Padding], lang: str) -> str:
    """The sentence that defines SAME and/or VALID ("" for neither): said once per stem, not once per layer."""
    return render_block(f"layers/{lang}.j2", "conventions", same="same" in paddings, valid="valid" in paddings)


def maps_text(h: int, w: int, d: int, lang: str) -> str:
    return render_block(f"layers/{lang}.j2", "maps", h=h, w=w, d=d)


def size_of(w: int, f: int, s: int, padding: Padding) -> int | None:
    """The output size along one axis (TensorFlow SAME/VALID or explicit p); None when it does not fit."""
    if padding == "same":
        return -(-w // s)
    if padding == "valid":
        return -(-(w - f + 1) // s) if f <= w else None
    if f > w + 2 * padding:
        return None
    return (w - f + 2 * padding) // s + 1


def fits_by_hand(w: int, f: int, s: int, padding: Padding) -> bool:
    """True when the size is a whole division (no floor or ceiling to think about)."""
    if padding == "same":
        return w % s == 0
    if padding == "valid":
        return (w - f + 1) % s == 0
    return (w - f + 2 * padding) % s == 0


def space(choices: Mapping[str, Sequence[Any]], valid: Callable[..., bool], limit: int = SPACE_LIMIT) -> int | None:
    """How many combinations of the choices ``valid(**combo)`` accepts; None when there are too many to count."""
    names = list(choices)
    total = 1
    for name in names:
        total *= len(choices[name])
    if total > limit:
        return None
    combos = itertools.product(*(choices[n] for n in names))
    return sum(1 for combo in combos if valid(**dict(zip(names, combo, strict=True))))


def require_space(count: int | None, what: str, fix: str) -> None:
    """QuizgenError when the overrides leave no valid problem (count 0; None means: not counted)."""
    if count == 0:
        raise QuizgenError(f"no {what} is possible with these parameters", where="parameters", fix=fix)


def total_quantity(counts: Sequence[int], where: str) -> Quantity:
    """``P_1 + P_2 + ...``: the parameters of a chain of layers as one checked quantity."""
    names = _CHAIN_TERMS[: len(counts)]
    return formulas.quantity(sum(counts), f"chain.total{len(counts)}", where, **dict(zip(names, counts, strict=True)))


_CHAIN_TERMS = [f"P_{letter}" for letter in "abcde"]  # shown as P_1, P_2, ... (formulas.SYMBOLS)
for _n in range(1, len(_CHAIN_TERMS) + 1):
    formulas.register(f"chain.total{_n}", " + ".join(_CHAIN_TERMS[:_n]),
                      " + ".join(f"[{name}]" for name in _CHAIN_TERMS[:_n]))


T = TypeVar("T")
_RELAXED = contextvars.ContextVar("quizgen_relaxed_distractors", default=False)


def chain_kinds(params: Params, n: int, *, pooled: bool = False) -> tuple[str, ...] | None:
    """The kinds of an ``n``-layer chain (``conv``, ``pool``) drawn once for a bank entry's versions: a convolution
    first, never two poolings in a row, at least one pooling when ``pooled``. None without the entry's shape
    (practice): the generator then draws each layer's kind as it goes."""
    if params.shape is None:
        return None
    chains = [kinds for kinds in itertools.product(("conv", "pool"), repeat=n)
              if kinds[0] == "conv" and ("pool", "pool") not in itertools.pairwise(kinds)
              and (not pooled or "pool" in kinds)]
    return params.pick(f"chain-{n}", chains)


def short(*too_few: bool) -> bool:
    """True when a part has too few distractors (the generator re-draws), unless re-drawing was given up."""
    return any(too_few) and not _RELAXED.get()


def redraw_relaxed(make: Callable[[], T | None], attempts: int = 100) -> T:
    """Draw until ``make`` gives a problem; then, for overrides that pin the numbers, accept fewer distractors.

    A bank may fix every number of a problem, and some fixed numbers have only one plausible wrong value:
    such a problem is still correct and is better than none. The order of draws is fixed, so the result
    is still a pure function of the seed.
    """
    for relaxed in (False, True):
        token = _RELAXED.set(relaxed)
        try:
            for _ in range(attempts):
                result = make()
                if result is not None:
                    return result
        finally:
            _RELAXED.reset(token)
    raise QuizgenError("these parameters give no valid problem", where="parameters",
                       fix="widen the parameter ranges (quizgen params FAMILY lists what each parameter accepts)")
