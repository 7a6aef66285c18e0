"""Measures: what a numeric part asks of the problem's networks, as typed values the engine and PyTorch can both
recompute.

    At("params", "C3")                 parameters of layer C3 of the problem's network (weights, biases too)
    At("out_h", "-1")                  output height of the last layer (out_w, out_d; -1 = last, -2 = one before)
    At("activations", "S2")            values in S2's output (H x W x D, or F)
    At("flatten", "-1")                length of the last layer's output read as one vector
    At("macs", "C1")                   multiply-accumulates of C1 (bias additions excluded); buffers: not trained
    At("rf_size", "C3")  At("rf_jump", "C3")   receptive field of C3's units (size r, jump j, along the height)
    At("params", "C1", network=1)      layer C1 of the problem's first extra network (0 is the main one)
    Total("params")                    sum over every layer (weights, biases, activations; network=1 ...)
    sum_of(m, m, ...)  diff(a, b)  mul(a, b)  div(a, b)  floordiv(a, b)  percent(a, b) = 100 a / b
    in_bytes(m, "float32")             m times the element size of a dtype (float32, float16, float64, bits32, bits16)
    in_unit(m, "MB")                   m bytes in a unit: B, KB, MB, GB (powers of 10), KiB, MiB, GiB (powers of 2)

Whole numbers may stand for a measure (``mul(m, 4)``). Values are exact (int or Fraction). A measure prints as the
short form it always had (``params@C3``, ``unit(bytes(net.params, float16), MB)``), in messages only.
``evaluate(measure, lookup, dtype_size)`` evaluates it over any source: the engine (here) or torch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Union

from quizgen.errors import InternalError
from quizgen.nets.engine import count
from quizgen.nets.layers import FeatureMaps
from quizgen.nets.receptive import receptive_fields

LAYER_QUANTITIES = ("weights", "biases", "params", "out_h", "out_w", "out_d", "activations", "flatten", "macs",
                    "buffers", "rf_size", "rf_jump")
NET_QUANTITIES = ("params", "weights", "biases", "activations", "macs", "buffers")
UNITS = {"B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "KiB": 2**10, "MiB": 2**20, "GiB": 2**30}
DTYPE_BYTES = {"float32": 4, "float16": 2, "bfloat16": 2, "float64": 8, "bits32": 32, "bits16": 16}
OPERATIONS = ("diff", "mul", "div", "floordiv", "percent")

# lookup(quantity, network_index, layer) -> value; layer is None for a network's total
Lookup = Callable[[str, int, "str | None"], int]


def _network_prefix(network: int) -> str:
    return f"{network}:" if network else ""


@dataclass(frozen=True)
class At:
    """A quantity of one layer: its label, or -1 (the last), -2, ... counted from the end."""

    quantity: str
    layer: str
    network: int = 0

    def __post_init__(self) -> None:
        if self.quantity not in LAYER_QUANTITIES:
            raise InternalError(f"measure {self}: unknown layer quantity {self.quantity!r}")

    def __str__(self) -> str:
        return f"{_network_prefix(self.network)}{self.quantity}@{self.layer}"


@dataclass(frozen=True)
class Total:
    """A quantity summed over every layer of a network."""

    quantity: str
    network: int = 0

    def __post_init__(self) -> None:
        if self.quantity not in NET_QUANTITIES:
            raise InternalError(f"measure {self}: unknown network quantity {self.quantity!r}")

    def __str__(self) -> str:
        return f"{_network_prefix(self.network)}net.{self.quantity}"


@dataclass(frozen=True)
class Const:
    """A whole number in a measure (a GPU's bytes, a batch size)."""

    value: int

    def __str__(self) -> str:
        return str(self.value)


@dataclass(frozen=True)
class Sum:
    terms: tuple[Measure, ...]

    def __str__(self) -> str:
        return f"sum({', '.join(map(str, self.terms))})"


@dataclass(frozen=True)
class Operation:
    """``diff``, ``mul``, ``div`` (exact), ``floordiv`` or ``percent`` (100 a / b) of two measures."""

    name: str
    left: Measure
    right: Measure

    def __post_init__(self) -> None:
        if self.name not in OPERATIONS:
            raise InternalError(f"measure {self}: unknown operation {self.name!r}")

    def __str__(self) -> str:
        return f"{self.name}({self.left}, {self.right})"


@dataclass(frozen=True)
class Bytes:
    """A count of values times the element size of a dtype."""

    of: Measure
    dtype: str

    def __str__(self) -> str:
        return f"bytes({self.of}, {self.dtype})"


@dataclass(frozen=True)
class Unit:
    """A number of bytes in a unit (MB = 10^6 bytes, MiB = 2^20 bytes, ...)."""

    of: Measure
    unit: str

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise InternalError(f"measure {self}: unknown unit {self.unit!r}")

    def __str__(self) -> str:
        return f"unit({self.of}, {self.unit})"


Measure = Union[At, Total, Const, Sum, Operation, Bytes, Unit]  # noqa: UP007 - a runtime alias, used in isinstance


def _measure(value: Measure | int) -> Measure:
    return Const(value) if isinstance(value, int) else value


def sum_of(*terms: Measure | int) -> Sum:
    return Sum(tuple(map(_measure, terms)))


def diff(a: Measure | int, b: Measure | int) -> Operation:
    return Operation("diff", _measure(a), _measure(b))


def mul(a: Measure | int, b: Measure | int) -> Operation:
    return Operation("mul", _measure(a), _measure(b))


def div(a: Measure | int, b: Measure | int) -> Operation:
    return Operation("div", _measure(a), _measure(b))


def floordiv(a: Measure | int, b: Measure | int) -> Operation:
    return Operation("floordiv", _measure(a), _measure(b))


def percent(a: Measure | int, b: Measure | int) -> Operation:
    return Operation("percent", _measure(a), _measure(b))


def in_bytes(of: Measure | int, dtype: str) -> Bytes:
    return Bytes(_measure(of), dtype)


def in_unit(of: Measure | int, unit: str) -> Unit:
    return Unit(_measure(of), unit)


def references(measure: Measure) -> Iterator[At | Total]:
    """The layer and network quantities a measure reads, in order."""
    if isinstance(measure, (At, Total)):
        yield measure
    elif isinstance(measure, Sum):
        for term in measure.terms:
            yield from references(term)
    elif isinstance(measure, Operation):
        yield from references(measure.left)
        yield from references(measure.right)
    elif isinstance(measure, (Bytes, Unit)):
        yield from references(measure.of)


def sizes_read(measure: Measure | None) -> Iterator[tuple[int, str | None, str]]:
    """(network, layer or None for every layer, quantity) for each output size a measure reads: a layer's out_h,
    out_w, out_d, activations or flatten length, or a network's activations (diagrams hide those)."""
    for ref in references(measure) if measure is not None else ():
        if isinstance(ref, Total):
            if ref.quantity == "activations":
                yield ref.network, None, ref.quantity
        elif ref.quantity not in ("weights", "biases", "params", "macs", "buffers", "rf_size", "rf_jump"):
            yield ref.network, ref.layer, ref.quantity


def evaluate(measure: Measure, lookup: Lookup, dtype_size: Callable[[str], int] | None = None) -> int | Fraction:
    """The exact value of a measure, reading quantities through ``lookup``."""
    if isinstance(measure, At):
        return lookup(measure.quantity, measure.network, measure.layer)
    if isinstance(measure, Total):
        return lookup(measure.quantity, measure.network, None)
    if isinstance(measure, Const):
        return measure.value
    if isinstance(measure, Sum):
        return _norm(sum(evaluate(t, lookup, dtype_size) for t in measure.terms))
    if isinstance(measure, Operation):
        a, b = evaluate(measure.left, lookup, dtype_size), evaluate(measure.right, lookup, dtype_size)
        if measure.name == "diff":
            return _norm(a - b)
        if measure.name == "mul":
            return _norm(a * b)
        if measure.name == "div":
            return _norm(Fraction(a) / b)
        if measure.name == "floordiv":
            return int(a // b)
        return _norm(Fraction(100 * a) / b)
    if isinstance(measure, Bytes):
        size = dtype_size(measure.dtype) if dtype_size else DTYPE_BYTES.get(measure.dtype)
        if size is None:
            raise InternalError(f"measure {measure}: unknown dtype {measure.dtype!r}")
        return _norm(evaluate(measure.of, lookup, dtype_size) * size)
    if isinstance(measure, Unit):
        return _norm(Fraction(evaluate(measure.of, lookup, dtype_size)) / UNITS[measure.unit])
    raise InternalError(f"{measure!r} is not a measure")


def _norm(value: int | Fraction) -> int | Fraction:
    if type(value) is int:
        return value
    if type(value) is not Fraction:  # a float or bool from another source: exact, as Fraction(value) gives
        value = Fraction(value)
    return int(value) if value.denominator == 1 else value


def engine_lookup(networks: tuple) -> Lookup:
    """A lookup over the engine's counts of the given networks (main network first)."""
    counts = [count(n) for n in networks]

    def lookup(quantity: str, index: int, layer: str | None) -> int:
        nc = counts[index]
        if layer is None:
            # NetworkCount names the sum of parameters `parameters`
            return int(getattr(nc, "parameters" if quantity == "params" else quantity))
        lc = find_layer(nc.layers, layer)
        shape = lc.output_shape
        if quantity in ("macs", "buffers"):
            found = getattr(lc, quantity)
            return int(found.value) if found is not None else 0
        if quantity in ("rf_size", "rf_jump"):
            field = receptive_fields(nc)[lc.label]
            if field is None:
                raise InternalError(f"{quantity}@{layer}: the layer's receptive field is not given")
            return int((field[0].size if quantity == "rf_size" else field[0].jump).value)
        if quantity in ("weights", "biases"):
            return int(getattr(lc, quantity).value)
        if quantity == "params":
            return int(lc.parameters.value)
        if quantity == "activations":
            return shape.size
        if quantity == "flatten":
            return shape.size
        if not isinstance(shape, FeatureMaps):
            if quantity == "out_d":
                return shape.n
            raise InternalError(f"{quantity}@{layer}: the layer's output is a vector")
        return {"out_h": shape.h, "out_w": shape.w, "out_d": shape.d}[quantity]

    return lookup


def find_layer(layers: tuple, ref: str):  # noqa: ANN201 - LayerCount or any object with .label
    """The layer a reference names: its label, or -1 (last), -2, ..."""
    if ref[:1] == "-" and ref[1:].isdecimal():  # the same as re.fullmatch(r"-\d+"), without the regex
        return layers[int(ref)]
    for lc in layers:
        if lc.label == ref:
            return lc
    raise InternalError(f"no layer {ref!r} (layers: {', '.join(lc.label for lc in layers)})")
