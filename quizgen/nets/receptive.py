"""Receptive fields: for every layer, along each axis, the size r of the input region one output unit sees,
the jump j (input pixels between neighbouring output units) and the start c (the centre of the first
unit's region, in input pixels: pixel i has its centre at i; padding makes it negative).

Through a window of f units with dilation d, stride s and padding p before::

    r = r_{-1} + d(f - 1) j_{-1}      j = j_{-1} s      c = c_{-1} + (d(f - 1)/2 - p) j_{-1}

A transposed convolution of stride 1 is a convolution seen from the other side: output unit o takes input units
o + p - d(f - 1) to o + p, so r = r_{-1} + d(f - 1) j_{-1}, j = j_{-1} and c = c_{-1} + (p - d(f - 1)/2) j_{-1}.

Element-wise layers (batch norm, activations, dropout, LRN) keep the field; a crop moves its start; a
block takes the field of its branch that sees most (the merge of a body and a projection shortcut that
see different regions is the larger one). After a layer that sees the whole input (fully connected,
global or adaptive pooling, flatten) the field is not given (None). Nor is it after a transposed convolution
of stride s > 1: its units do not see regions equally far apart (U-Net's 2 × 2 of stride 2: units 2i and 2i + 1
both see exactly unit i's region, then the next unit's), so no one jump j exists, and the layers after it see
regions of different sizes; ``field_gaps`` says why, for each row. The formula j = j_{-1}/s,
r = r_{-1} + (f - 1) j is the average over the units, not any unit's field.
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
    Deconv,
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
formulas.register("rf.start.deconv", "c_prev + (p - d*(f - 1)/2)*j_prev",
                  r"[c_prev] + \left([p] - \frac{[d] \times ([f] - 1)}{2}\right) \times [j_prev]")
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

# while walking, a field not given is the reason why (a string), so that every row after it can say it
_Walked = tuple[Field, Field] | str


def receptive_fields(nc: NetworkCount) -> dict[str, Fields]:
    """Every row's receptive field by label (the rows of ``nc``, blocks included)."""
    return {label: None if isinstance(field, str) else field for label, field in _walk_network(nc).items()}


def field_gaps(nc: NetworkCount) -> dict[str, str]:
    """Why a row's receptive field is not given, by label (only the rows without one): the layer before it, or the
    row itself, that sees the whole input or is a transposed convolution of stride > 1, in one English line."""
    return {label: field for label, field in _walk_network(nc).items() if isinstance(field, str)}


def _walk_network(nc: NetworkCount) -> dict[str, _Walked]:
    rows = {lc.label: lc for lc in nc.layers}
    one = formulas.quantity(1, "rf.input", "input")
    origin = formulas.quantity(0, "rf.origin", "input")
    field: _Walked = (Field(one, one, origin), Field(one, one, origin))
    found: dict[str, _Walked] = {}
    for index, layer in enumerate(nc.network.layers, start=1):
        field = _walk(layer, layer_label(layer, index), field, rows, found)
    return found


def _walk(layer: Layer, label: str, field: _Walked, rows: dict[str, LayerCount], found: dict[str, _Walked]
          ) -> _Walked:
    if isinstance(layer, (Concat, Residual)):
        ends: list[_Walked] = []
        for number, branch in enumerate(branches(layer), start=1):
            prefix, here = branch_prefix(layer, label, number), field
            for position, item in enumerate(branch, start=1):
                here = _walk(item, prefix + layer_label(item, position), here, rows, found)
            ends.append(here)
        if isinstance(layer, Residual) and not layer.shortcut:
            ends.append(field)
        gaps = [e for e in ends if isinstance(e, str)]
        result = gaps[0] if gaps else max(ends, key=lambda e: e[0].values()[0])  # type: ignore[index]
        found[label] = result
        return result
    result = _layer_field(layer, rows[label], field)
    found[label] = result
    return result


def _layer_field(layer: Layer, lc: LayerCount, field: _Walked) -> _Walked:
    if isinstance(field, str):
        return field
    if isinstance(layer, _KEEP):
        return field
    if isinstance(layer, Deconv):
        return _deconv_field(layer, lc, field)
    if isinstance(layer, Crop):
        assert lc.input_shape is not None
        h, w = lc.input_shape.h, lc.input_shape.w  # type: ignore[union-attr]
        offsets = ((h - layer.size[0]) // 2, (w - layer.size[1]) // 2)
        return tuple(  # type: ignore[return-value]
            Field(f.size, f.jump, formulas.quantity(f.start.value + o * f.jump.value, "rf.start.crop", lc.label,
                                                    c_prev=f.start.value, o=o, j_prev=f.jump.value))
            for f, o in zip(field, offsets, strict=True))
    if not isinstance(layer, (Conv, Pool)) or lc.out_h is None or lc.out_w is None:
        return f"{lc.label} sees the whole input (each of its units depends on every input value)"
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


def _deconv_field(layer: Deconv, lc: LayerCount, field: tuple[Field, Field]) -> _Walked:
    """A transposed convolution's field: given for stride 1 (output unit o takes input units o + p - d(f - 1) to
    o + p); for a larger stride the reason it is not."""
    stride = max(layer.stride)
    if stride > 1:
        return (f"{lc.label} is a transposed convolution of stride {stride}: its neighbouring units do not see regions "
                f"equally far apart ({stride} units in a row can share one input unit), so no one jump exists and the "
                "fields after it differ from unit to unit")
    assert lc.out_h is not None and lc.out_w is not None
    out = []
    for f, axis, kernel, d in zip(field, (lc.out_h, lc.out_w), layer.kernel, layer.dilation, strict=True):
        r, j, c = f.values()
        p = axis.pad_before  # type: ignore[union-attr]
        where = lc.label
        if d == 1:
            size = formulas.quantity(r + (kernel - 1) * j, "rf.size", where, r_prev=r, f=kernel, j_prev=j)
        else:
            size = formulas.quantity(r + d * (kernel - 1) * j, "rf.size.dilated", where, r_prev=r, d=d, f=kernel,
                                     j_prev=j)
        start = formulas.quantity(_whole(c + (p - Fraction(d * (kernel - 1), 2)) * j), "rf.start.deconv", where,
                                  c_prev=c, p=p, d=d, f=kernel, j_prev=j)
        out.append(Field(size, formulas.quantity(j, "rf.jump", where, j_prev=j, s=1), start))
    return out[0], out[1]


def _whole(value: int | Fraction) -> int | Fraction:
    if isinstance(value, Fraction) and value.denominator == 1:
        return int(value)
    return value
