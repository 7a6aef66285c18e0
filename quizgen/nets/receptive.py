"""Receptive fields: for every layer, along each axis, the size r of the input region one output unit sees,
the jump j (input pixels between neighbouring output units) and the start c (the centre of the first
unit's region, in input pixels: pixel i has its centre at i; padding makes it negative).

Through a window of f units with dilation d, stride s and padding p before::

    r = r_{-1} + d(f - 1) j_{-1}      j = j_{-1} s      c = c_{-1} + (d(f - 1)/2 - p) j_{-1}

Element-wise layers (batch norm, activations, dropout, LRN) keep the field; a crop moves its start; a
block takes the field of its branch that sees most (the merge of a body and a projection shortcut that
see different regions is the larger one). After a layer that sees the whole input (fully connected,
global or adaptive pooling, flatten) or a transposed convolution the field is not given (None).
Every number is a ``Quantity`` checked against its formula, as the engine's counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from quizgen.nets import formulas
from quizgen.nets.engine import LayerCount, NetworkCount
from quizgen.nets.formulas import Quantity
from quizgen.nets.layers import (
    LRN,
    Activation,
    BatchNorm,
    Concat,
    Conv,
    Crop,
    Dropout,
    Layer,
    Pool,
    Residual,
    branch_prefix,
    branches,
    layer_label,
)

formulas.register("rf.size", "r_prev + (f - 1)*j_prev", r"[r_prev] + ([f] - 1) \times [j_prev]")
formulas.register("rf.size.dilated", "r_prev + d*(f - 1)*j_prev", r"[r_prev] + [d] \times ([f] - 1) \times [j_prev]")
formulas.register("rf.jump", "j_prev*s", r"[j_prev] \times [s]")
formulas.register("rf.start", "c_prev + ((f - 1)/2 - p)*j_prev",
                  r"[c_prev] + \left(\frac{[f] - 1}{2} - [p]\right) \times [j_prev]")
formulas.register("rf.start.dilated", "c_prev + (d*(f - 1)/2 - p)*j_prev",
                  r"[c_prev] + \left(\frac{[d] \times ([f] - 1)}{2} - [p]\right) \times [j_prev]")
formulas.register("rf.start.crop", "c_prev + o*j_prev", r"[c_prev] + [o] \times [j_prev]")
formulas.register("rf.input", "1", "1")
formulas.register("rf.origin", "0", "0")


@dataclass(frozen=True, slots=True)
class Field:
    """The receptive field of a layer's units along one axis."""

    size: Quantity
    jump: Quantity
    start: Quantity

    def values(self) -> tuple[int, int, int | Fraction]:
        return int(self.size.value), int(self.jump.value), self.start.value


Fields = tuple[Field, Field] | None
"""(along the height, along the width), or None where the field is not given."""

_KEEP = (BatchNorm, Activation, Dropout, LRN)


def receptive_fields(nc: NetworkCount) -> dict[str, Fields]:
    """Every row's receptive field by label (the rows of ``nc``, blocks included)."""
    rows = {lc.label: lc for lc in nc.layers}
    one = formulas.quantity(1, "rf.input", "input")
    origin = formulas.quantity(0, "rf.origin", "input")
    field: Fields = (Field(one, one, origin), Field(one, one, origin))
    found: dict[str, Fields] = {}
    for index, layer in enumerate(nc.network.layers, start=1):
        field = _walk(layer, layer_label(layer, index), field, rows, found)
    return found


def _walk(layer: Layer, label: str, field: Fields, rows: dict[str, LayerCount], found: dict[str, Fields]) -> Fields:
    if isinstance(layer, (Concat, Residual)):
        ends: list[Fields] = []
        for number, branch in enumerate(branches(layer), start=1):
            prefix, here = branch_prefix(layer, label, number), field
            for position, item in enumerate(branch, start=1):
                here = _walk(item, prefix + layer_label(item, position), here, rows, found)
            ends.append(here)
        if isinstance(layer, Residual) and not layer.shortcut:
            ends.append(field)
        result = None if any(e is None for e in ends) else max(ends, key=lambda e: e[0].values()[0])  # type: ignore
        found[label] = result
        return result
    result = _layer_field(layer, rows[label], field)
    found[label] = result
    return result


def _layer_field(layer: Layer, lc: LayerCount, field: Fields) -> Fields:
    if field is None:
        return None
    if isinstance(layer, _KEEP):
        return field
    if isinstance(layer, Crop):
        assert lc.input_shape is not None
        h, w = lc.input_shape.h, lc.input_shape.w  # type: ignore[union-attr]
        offsets = ((h - layer.size[0]) // 2, (w - layer.size[1]) // 2)
        return tuple(  # type: ignore[return-value]
            Field(f.size, f.jump, formulas.quantity(f.start.value + o * f.jump.value, "rf.start.crop", lc.label,
                                                    c_prev=f.start.value, o=o, j_prev=f.jump.value))
            for f, o in zip(field, offsets, strict=True))
    if not isinstance(layer, (Conv, Pool)) or lc.out_h is None or lc.out_w is None:
        return None
    dilation = layer.dilation if isinstance(layer, Conv) else (1, 1)
    out = []
    for f, axis, kernel, stride, d in zip(field, (lc.out_h, lc.out_w), layer.kernel, layer.stride, dilation,
                                          strict=True):
        r, j, c = f.values()
        p = axis.pad_before
        where = lc.label
        centre = _whole(c + (Fraction(d * (kernel - 1), 2) - p) * j)
        if d == 1:
            size = formulas.quantity(r + (kernel - 1) * j, "rf.size", where, r_prev=r, f=kernel, j_prev=j)
            start = formulas.quantity(centre, "rf.start", where, c_prev=c, f=kernel, p=p, j_prev=j)
        else:
            size = formulas.quantity(r + d * (kernel - 1) * j, "rf.size.dilated", where, r_prev=r, d=d, f=kernel,
                                     j_prev=j)
            start = formulas.quantity(centre, "rf.start.dilated", where, c_prev=c, d=d, f=kernel, p=p, j_prev=j)
        jump = formulas.quantity(j * stride, "rf.jump", where, j_prev=j, s=stride)
        out.append(Field(size, jump, start))
    return out[0], out[1]


def _whole(value: int | Fraction) -> int | Fraction:
    if isinstance(value, Fraction) and value.denominator == 1:
        return int(value)
    return value
