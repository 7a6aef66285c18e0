"""Measures: what a numeric part asks, stated so the engine and PyTorch can both recompute it.

A part's ``measure`` is a small expression over the problem's networks::

    params@C3            parameters of layer C3 of the problem's network (weights, biases too)
    out_h@-1             output height of the last layer (out_w, out_d; -1 = last, -2 = one before)
    activations@S2       values in S2's output (H x W x D, or F)
    flatten@-1           length of the last layer's output read as one vector
    1:params@C1          layer C1 of the problem's first extra network (0: is the main one)
    net.params           sum over every layer (net.weights, net.biases, net.activations; 1:net.params)
    sum(m, m, ...)  diff(a, b)  mul(a, b)  div(a, b)  floordiv(a, b)  percent(a, b) = 100 a / b
    bytes(m, float32)    m times the element size of a dtype (float32, float16, float64, bits32, bits16)
    unit(m, MB)          m bytes in a unit: B, KB, MB, GB (powers of 10), KiB, MiB, GiB (powers of 2)

Arguments may be integer literals. Values are exact (int or Fraction).
``evaluate(expr, lookup, dtype_size)`` evaluates over any source: the engine (here) or torch.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from fractions import Fraction
from functools import cache

from quizgen.errors import InternalError
from quizgen.nets.engine import count
from quizgen.nets.layers import FeatureMaps

LAYER_QUANTITIES = ("weights", "biases", "params", "out_h", "out_w", "out_d", "activations", "flatten")
NET_QUANTITIES = ("params", "weights", "biases", "activations")
UNITS = {"B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "KiB": 2**10, "MiB": 2**20, "GiB": 2**30}
DTYPE_BYTES = {"float32": 4, "float16": 2, "float64": 8, "bits32": 32, "bits16": 16}

# lookup(quantity, network_index, layer) -> value; layer is None for net.* quantities
Lookup = Callable[[str, int, "str | None"], int]

_CALL = re.compile(r"^([a-z]+)\((.*)\)$", re.DOTALL)
_LAYER = re.compile(r"^(?:(\d+):)?([a-z_]+)@(.+)$")
_NET = re.compile(r"^(?:(\d+):)?net\.([a-z_]+)$")


def _split_args(body: str) -> list[str]:
    args, depth, current = [], 0, []
    for ch in body:
        if ch == "," and depth == 0:
            args.append("".join(current).strip())
            current = []
            continue
        depth += ch == "("
        depth -= ch == ")"
        current.append(ch)
    args.append("".join(current).strip())
    return args


@cache
def _leaf(expr: str) -> tuple[str, int, str | None] | None:
    """(quantity, network index, layer) of a plain ``params@C1`` or ``net.params`` measure, parsed once."""
    expr = expr.strip()
    m = _NET.match(expr)
    if m and m.group(2) in NET_QUANTITIES:
        return m.group(2), int(m.group(1) or 0), None
    m = _LAYER.match(expr)
    if m and m.group(2) in LAYER_QUANTITIES and not _CALL.match(expr):
        return m.group(2), int(m.group(1) or 0), m.group(3)
    return None


def evaluate(expr: str, lookup: Lookup, dtype_size: Callable[[str], int] | None = None) -> int | Fraction:
    """The exact value of a measure expression, reading quantities through ``lookup``."""
    leaf = _leaf(expr)
    if leaf is not None:
        return lookup(*leaf)
    return _compiled(expr)(lookup, dtype_size)


# a compiled measure: (lookup, dtype_size) -> exact value; a measure is parsed once per process, not once
# per problem (composite measures recur in every problem of a family)
Evaluator = Callable[[Lookup, "Callable[[str], int] | None"], "int | Fraction"]


def _raiser(message: str) -> Evaluator:
    """An evaluator that raises: a malformed measure fails when it is evaluated, as it always has."""

    def fail(lookup: Lookup, dtype_size: Callable[[str], int] | None) -> int | Fraction:
        raise InternalError(message)

    return fail


@cache
def _compiled(expr: str) -> Evaluator:
    """Parse a measure expression into nested closures (cached by its text)."""
    leaf = _leaf(expr)
    if leaf is not None:
        return lambda lookup, dtype_size: lookup(*leaf)
    expr = expr.strip()
    if re.fullmatch(r"-?\d+", expr):
        constant = int(expr)
        return lambda lookup, dtype_size: constant
    m = _CALL.match(expr)
    if m:
        return _compiled_call(expr, m.group(1), _split_args(m.group(2)))
    m = _NET.match(expr)
    if m:
        quantity = m.group(2)
        return _raiser(f"measure {expr!r}: unknown network quantity {quantity!r}")
    m = _LAYER.match(expr)
    if m:
        quantity = m.group(2)
        return _raiser(f"measure {expr!r}: unknown layer quantity {quantity!r}")
    return _raiser(f"measure {expr!r} is not understood")


def _compiled_call(expr: str, name: str, args: list[str]) -> Evaluator:
    # ints stay ints and Fractions are built only where a division needs one: the values are the same exact
    # numbers as with Fractions throughout, at a fraction of the cost
    if name in ("bytes", "unit"):
        if len(args) != 2:
            return _raiser(f"measure {expr!r}: {name} takes two arguments")
        inner, arg = _compiled(args[0]), args[1]
        if name == "bytes":

            def to_bytes(lookup: Lookup, dtype_size: Callable[[str], int] | None) -> int | Fraction:
                value = inner(lookup, dtype_size)
                size = dtype_size(arg) if dtype_size else DTYPE_BYTES.get(arg)
                if size is None:
                    raise InternalError(f"measure {expr!r}: unknown dtype {arg!r}")
                return _norm(value * size)

            return to_bytes
        if arg not in UNITS:
            return _raiser(f"measure {expr!r}: unknown unit {arg!r}")
        scale = UNITS[arg]
        return lambda lookup, dtype_size: _divide(inner(lookup, dtype_size), scale)
    inners = [_compiled(a) for a in args]
    if name == "sum":
        return lambda lookup, dtype_size: _norm(sum(f(lookup, dtype_size) for f in inners))
    operations: dict[str, Callable[[int | Fraction, int | Fraction], int | Fraction]] = {
        "diff": lambda a, b: _norm(a - b),
        "mul": lambda a, b: _norm(a * b),
        "div": _divide,
        "floordiv": lambda a, b: int(a // b),
        "percent": lambda a, b: _divide(100 * a, b),
    }
    if len(inners) != 2:
        return _raiser(f"measure {expr!r}: {name} takes two arguments")
    if name not in operations:
        return _raiser(f"measure {expr!r}: unknown function {name!r}")
    operation, first, second = operations[name], inners[0], inners[1]
    return lambda lookup, dtype_size: operation(first(lookup, dtype_size), second(lookup, dtype_size))


def _divide(a: int | Fraction, b: int | Fraction) -> int | Fraction:
    """a / b exactly (ZeroDivisionError for b = 0, as Fraction division gives)."""
    if type(a) is int and type(b) is int:
        return _norm(Fraction(a, b))
    return _norm(Fraction(a) / b)


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
