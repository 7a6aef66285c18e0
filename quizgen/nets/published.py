"""Published numbers checked against the engine's arithmetic: a table's per-layer sizes, parameters and
connections, and what a source says of the whole network (the input it states, its "FLOPs", the "MB" of
its weight file). Each disagreement is a ``Warning_`` that says how to make it consistent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from math import ceil

from quizgen.errors import QuizgenError
from quizgen.nets.engine import LayerCount, NetworkCount, count
from quizgen.nets.layers import Conv, FeatureMaps, Listed, Network, Padding, Pool


@dataclass(frozen=True, slots=True)
class Warning_:
    """A published value that contradicts the engine's arithmetic, and how to make it consistent."""

    label: str
    what: str
    listed: int | str
    computed: int | str
    fix: str
    by: str = "the table"

    def __str__(self) -> str:
        return (
            f"{self.label}: {self.by} lists {self.what} {self.listed}, but the arithmetic gives "
            f"{self.computed}; {self.fix}"
        )



def contradictions(nc: NetworkCount) -> tuple[Warning_, ...]:
    """Compare the engine's numbers with those a published table lists for the same network."""
    network, counted = nc.network, nc.layers
    found = []
    for key, listed in network.listed.items():
        if key.startswith("*"):
            found += _claims(network, counted, key[1:], listed)
    for lc in counted:
        listed = network.listed.get(lc.label)
        if listed is None:
            continue
        shape = lc.output_shape
        if listed.size is not None and isinstance(shape, FeatureMaps) and listed.size != (shape.h, shape.w):
            found.append(
                Warning_(
                    lc.label,
                    "an output size of",
                    f"{listed.size[0]}x{listed.size[1]}",
                    f"{shape.h}x{shape.w}",
                    _size_fix(network, lc, listed.size),
                )
            )
        if listed.parameters is not None and listed.parameters != lc.parameters.value:
            found.append(Warning_(lc.label, "parameters", listed.parameters, int(lc.parameters.value),
                                  "the listed count does not follow from the layer's sizes"))
        if listed.connections is not None and listed.connections != lc.connections.value:
            found.append(Warning_(lc.label, "connections", listed.connections, int(lc.connections.value),
                                  "the listed count does not follow from the layer's sizes"))
    return tuple(found)


def _claims(network: Network, counted: Sequence[LayerCount], source: str, listed: Listed) -> list[Warning_]:
    """What a source says of the whole network (input size, "FLOPs", "MB"), checked against the arithmetic."""
    found = []
    if listed.input is not None and listed.input != (network.input.h, network.input.w):
        found.append(_input_claim(network, counted, source, listed.input))
    if listed.flops is not None:
        macs = sum(int(lc.macs.value) for lc in counted if lc.macs is not None)
        printed = Decimal(listed.flops)
        if _rounded(2 * macs, printed) != printed:
            if _rounded(macs, printed) == printed:
                fix = (f"the listed number counts multiply-adds: {macs:,} MACs, which is {_sci(listed.flops)} at "
                       f"the digits it prints (FLOPs = 2 x MACs)")
            else:
                fix = f"it matches neither the FLOPs nor the {macs:,} multiply-adds (MACs)"
            found.append(Warning_(source, "FLOPs", _sci(listed.flops), f"{2 * macs:,} FLOPs", fix, by="it"))
    if listed.megabytes is not None:
        values = sum(int(lc.parameters.value) + (int(lc.buffers.value) if lc.buffers else 0) for lc in counted)
        size = 4 * values
        megabytes, mebibytes = Fraction(size, 10**6), Fraction(size, 2**20)
        printed = Fraction(Decimal(listed.megabytes))
        near = [abs(printed - x) <= x / 100 for x in (megabytes, mebibytes)]  # 1%: the file's own overhead
        if not near[0]:
            computed = f"{size:,} B = {float(megabytes):.2f} MB = {float(mebibytes):.2f} MiB"
            fix = ("the listed size is in MiB (2^20 B), not MB (10^6 B)" if near[1]
                   else "it matches neither MB (10^6 B) nor MiB (2^20 B)")
            found.append(Warning_(source, "a float32 weight file of", f"{listed.megabytes} MB",
                                  f"{values:,} values (parameters and buffers) x 4 B = {computed}", fix, by="it"))
    return found


def _rounded(value: int, printed: Decimal) -> Decimal:
    """``value`` rounded to the significant digits of a printed number (``1.8e9`` has two)."""
    digits = len(printed.as_tuple().digits)
    return Decimal(value).scaleb(0).quantize(Decimal(1).scaleb(printed.adjusted() - digits + 1))


def _sci(text: str) -> str:
    """A number as a source prints it: ``1.8e9`` as 1.8x10^9."""
    mantissa, _, exponent = text.lower().partition("e")
    return f"{mantissa}x10^{exponent}" if exponent else mantissa


def _input_claim(network: Network, counted: Sequence[LayerCount], source: str, size: tuple[int, int]) -> Warning_:
    """The input a source states, where its own listed sizes need another: which layer it breaks, and how."""
    stated = f"{size[0]}x{size[1]}"
    actual = f"{network.input.h}x{network.input.w}"
    other = Network(replace(network.input, h=size[0], w=size[1]), network.layers)
    try:
        rows = {lc.label: lc for lc in count(other).layers}
    except QuizgenError as exc:
        return Warning_(source, "an input of", stated, actual, f"with {stated} the network fails: {exc.message}",
                        by="it")
    for lc in counted:
        want = network.listed.get(lc.label)
        if want is None or want.size is None or not isinstance(lc.output_shape, FeatureMaps):
            continue
        got = rows[lc.label].output_shape
        if isinstance(got, FeatureMaps) and (got.h, got.w) != want.size:
            return Warning_(source, "an input of", stated, actual,
                            f"with {stated}, {lc.label} gives {got.h}x{got.w}, not the {want.size[0]}x{want.size[1]}"
                            f" it lists; {actual} gives {lc.output_shape.h}x{lc.output_shape.w}", by="it")
    shape = count(other).output_shape
    return Warning_(source, "an input of", stated, actual, f"the network as written takes {actual} (with {stated} "
                    f"its output is {shape}, not {counted[-1].output_shape if counted else shape})", by="it")


def _size_fix(network: Network, lc: LayerCount, size: tuple[int, int]) -> str:
    """Say what would make a listed output size consistent: another padding, or another input size."""
    layer = lc.layer
    if not isinstance(layer, (Conv, Pool)) or not isinstance(lc.input_shape, FeatureMaps):
        return "the listed size does not follow from the previous layer"
    f, s, want, have = layer.kernel[0], layer.stride[0], size[0], lc.input_shape.h
    options = []
    for padding in ("valid", "same", 0, 1, 2, 3):
        if padding != layer.padding and _try_size(have, f, s, padding) == want:
            options.append(f"{_padding_word(padding)} padding on the {have}x{have} input")
            break
    if lc.index == 1:  # the first layer (by position: a reused count may hold an equal, other layer object)
        for padding in dict.fromkeys(("valid", layer.padding)):
            sizes = sorted(range(max(f, 1), have + 4 * s + f), key=lambda n: abs(n - have))
            found = next((n for n in sizes if n != have and _try_size(n, f, s, padding) == want), None)
            if found:
                options.append(f"a {found}x{found} input with {_padding_word(padding)} padding")
                break
    if not options:
        return "no padding or input size makes it consistent"
    return " or ".join(options) + f" would give {want}"


def _try_size(size: int, f: int, s: int, padding: Padding) -> int | None:
    if padding == "same":
        return ceil(size / s)
    if padding == "valid":
        return ceil((size - f + 1) / s) if size >= f else None
    if size + 2 * padding < f:
        return None
    return (size - f + 2 * padding) // s + 1


def _padding_word(padding: Padding) -> str:
    return padding.upper() if isinstance(padding, str) else f"p={padding}"
