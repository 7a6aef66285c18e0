"""The counting engine: output shape, weights, biases, parameters, connections, activations, MACs, buffers.

``count(network)`` walks the layers in order; a block (``concat``, ``res``) is counted branch by
branch, each of its layers a row labelled by block and branch, then a row for the merged output.
Every number is computed twice: by the integer code here, and by the lecture's formula evaluated
exactly from its sympy expression (``formulas.check``). Disagreement raises ``InternalError``
naming the layer.

Connections are counted as LeCun et al. (1998) do: a unit's connections are its inputs plus its
bias, so a convolution has (#W + #B) x O^2 of them and LeNet-5's C1 has 122,304. MACs are
multiply-accumulates without the bias additions (f^2 C N_c O^2 for a convolution), as
``torch.utils.flop_counter`` counts them. Receptive fields, memory and fan-in are in
``quizgen.nets.receptive`` and ``quizgen.nets.footprint``; published numbers are checked against these
counts in ``quizgen.nets.published``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from quizgen.errors import QuizgenError
from quizgen.nets import formulas
from quizgen.nets.formulas import Quantity
from quizgen.nets.layers import (
    LRN,
    RBF,
    Activation,
    AdaptiveAvgPool,
    BatchNorm,
    Concat,
    Conv,
    Crop,
    Deconv,
    Dense,
    Dropout,
    FeatureMaps,
    Flatten,
    GlobalAvgPool,
    Layer,
    Network,
    Padding,
    Pool,
    Residual,
    Shape,
    Vector,
    branch_prefix,
    branches,
    layer_label,
)


@dataclass(frozen=True, slots=True)
class AxisSize:
    """The output size along one axis, with the padding actually applied (before, after)."""

    size: Quantity
    pad_before: int
    pad_after: int


@dataclass(frozen=True, slots=True)
class LayerCount:
    """Everything the engine knows about one layer of a network."""

    index: int
    label: str
    layer: Layer
    input_shape: Shape
    output_shape: Shape
    weights: Quantity
    biases: Quantity
    parameters: Quantity
    connections: Quantity
    activations: Quantity
    out_h: AxisSize | None = None
    out_w: AxisSize | None = None
    flatten_length: Quantity | None = None
    note: str = ""
    macs: Quantity | None = None
    buffers: Quantity | None = None
    depth: int = 0

    @property
    def in_activations_total(self) -> bool:
        """Whether the network's activations total counts this layer's output (see NetworkCount.activations)."""
        return not isinstance(self.layer, IN_PLACE)


@dataclass(frozen=True, slots=True)
class NetworkCount:
    """The engine's result for a whole network."""

    network: Network
    layers: tuple[LayerCount, ...]

    @property
    def parameters(self) -> int:
        return sum(int(lc.parameters.value) for lc in self.layers)

    @property
    def weights(self) -> int:
        return sum(int(lc.weights.value) for lc in self.layers)

    @property
    def biases(self) -> int:
        return sum(int(lc.biases.value) for lc in self.layers)

    @property
    def connections(self) -> int:
        return sum(int(lc.connections.value) for lc in self.layers)

    @property
    def activations(self) -> int:
        """The values the layers produce for one input, each stored once: every layer's output, except the
        outputs of layers that keep their input's shape without parameters (relu, tanh, sigmoid, softmax,
        dropout: applied in place) or only reshape it (flatten: a view). Writing those layers out or
        leaving them implicit does not change this total."""
        return sum(int(lc.activations.value) for lc in self.layers if lc.in_activations_total)

    @property
    def macs(self) -> int:
        """Multiply-accumulates of one forward pass (bias additions excluded); FLOPs = 2 x MACs."""
        return sum(int(lc.macs.value) for lc in self.layers if lc.macs is not None)

    @property
    def buffers(self) -> int:
        """Stored values that are not trained (batch norm's running mean and variance, fixed RBF centres)."""
        return sum(int(lc.buffers.value) for lc in self.layers if lc.buffers is not None)

    @property
    def output_shape(self) -> Shape:
        return self.layers[-1].output_shape if self.layers else _input_shape(self.network)

    def layer(self, label: str) -> LayerCount:
        for lc in self.layers:
            if lc.label == label:
                return lc
        raise KeyError(label)


IN_PLACE = (Activation, Dropout, Flatten)
"""Layers whose output is their input changed in place, or read another way: not counted again in totals."""


def _input_shape(network: Network) -> FeatureMaps:
    inp = network.input
    return FeatureMaps(inp.h, inp.w, inp.c)


def _error(label: str, message: str, fix: str) -> QuizgenError:
    return QuizgenError(message, where=f"layer {label}", fix=fix)


def output_size(
    size: int, kernel: int, stride: int, padding: Padding | tuple[int, int], label: str, axis: str = "",
    dilation: int = 1, ceil: bool = False,
) -> AxisSize:
    """Output size along one axis for a window of ``kernel`` moved by ``stride``.

    Explicit padding p: floor((W - f + 2p)/s) + 1 (ceil instead of floor in ceil mode, without a
    last window that would start in the padding after, as PyTorch); p_1 before and p_2 after:
    floor((W - f + p_1 + p_2)/s) + 1. SAME (TensorFlow): ceil(W/s), padding
    max((O-1)s + f - W, 0) split with the extra unit after. VALID: ceil((W - f + 1)/s). A dilation
    d spreads the kernel to d(f - 1) + 1.
    """
    where = f"{label} {axis}".strip()
    if kernel <= 0 or stride <= 0 or dilation <= 0:
        raise _error(label, "kernel size, stride and dilation must be positive", "use values of 1 or more")
    span = dilation * (kernel - 1) + 1
    if ceil and not isinstance(padding, int):
        raise _error(label, "ceil mode takes an explicit padding, the same on both sides",
                     "write p=N (or p=HxW) with ceil, not same, valid or four sides")
    if padding == "same":
        out = -(-size // stride)
        total = max((out - 1) * stride + span - size, 0)
        before = total // 2
        q = formulas.quantity(out, "size.same", where, W=size, s=stride)
        return AxisSize(q, before, total - before)
    if padding == "valid":
        if span > size:
            raise _error(
                label,
                f"the window ({span}) is larger than the input {axis or 'size'} ({size}) with VALID padding",
                "use a smaller kernel, SAME padding, or a larger input",
            )
        out = -(-(size - span + 1) // stride)
        if dilation == 1:
            q = formulas.quantity(out, "size.valid", where, W=size, f=kernel, s=stride)
        else:
            q = formulas.quantity(out, "size.valid.dilated", where, W=size, f=kernel, s=stride, d=dilation)
        return AxisSize(q, 0, 0)
    before, after = padding if isinstance(padding, tuple) else (padding, padding)
    assert isinstance(before, int) and isinstance(after, int)
    if before < 0 or after < 0:
        raise _error(label, f"padding {min(before, after)} is negative", "use p >= 0, 'same' or 'valid'")
    if span > size + before + after:
        padded = f"{size} + 2x{before}" if before == after else f"{size} + {before} + {after}"
        what = "kernel" if dilation == 1 else "dilated kernel"
        raise _error(
            label,
            f"the {what} ({span}) is larger than the padded input {axis or 'size'} "
            f"({padded} = {size + before + after})",
            "use a smaller kernel, more padding or a larger input",
        )
    if ceil:
        if 2 * before > kernel:
            raise _error(label, f"padding {before} is more than half the window {kernel} in ceil mode",
                         "PyTorch pads pooling by at most half the window: use a smaller p")
        out = -(-(size - kernel + 2 * before) // stride) + 1
        dropped = (out - 1) * stride >= size + before  # the last window would start in the padding after
        out -= dropped
        key = "size.ceil.dropped" if dropped else "size.ceil"
        q = formulas.quantity(out, key, where, W=size, f=kernel, p=before, s=stride)
        return AxisSize(q, before, max((out - 1) * stride + kernel - size - before, 0))
    out = (size - span + before + after) // stride + 1
    if before == after and dilation == 1:
        q = formulas.quantity(out, "size.explicit", where, W=size, f=kernel, p=before, s=stride)
    elif before == after:
        q = formulas.quantity(out, "size.explicit.dilated", where, W=size, f=kernel, p=before, s=stride, d=dilation)
    elif dilation == 1:
        q = formulas.quantity(out, "size.sides", where, W=size, f=kernel, p_1=before, p_2=after, s=stride)
    else:
        q = formulas.quantity(out, "size.sides.dilated", where, W=size, f=kernel, p_1=before, p_2=after, s=stride,
                              d=dilation)
    return AxisSize(q, before, after)


def _axis_padding(padding: Padding, axis: int) -> Padding | tuple[int, int]:
    """The padding along the height (axis 0: top, bottom) or the width (axis 1: left, right)."""
    if isinstance(padding, tuple):
        return (padding[0], padding[1]) if axis == 0 else (padding[2], padding[3])
    return padding


def _sizes(maps: FeatureMaps, layer: Conv | Pool, label: str) -> tuple[AxisSize, AxisSize]:
    """The output height and width of a convolution or pooling layer."""
    fh, fw = layer.kernel
    sh, sw = layer.stride
    dh, dw = layer.dilation if isinstance(layer, Conv) else (1, 1)
    ceil = isinstance(layer, Pool) and layer.ceil
    h = output_size(maps.h, fh, sh, _axis_padding(layer.padding, 0), label, "height", dh, ceil)
    if (maps.w, fw, sw, dw) == (maps.h, fh, sh, dh) and _axis_padding(layer.padding, 1) == _axis_padding(
            layer.padding, 0):
        return h, h
    return h, output_size(maps.w, fw, sw, _axis_padding(layer.padding, 1), label, "width", dw, ceil)


def _spatial(shape: Shape, label: str, what: str) -> FeatureMaps:
    if not isinstance(shape, FeatureMaps):
        raise _error(
            label,
            f"{what} needs feature maps (H x W x D) but gets a flat vector of {shape.n}",
            "put it before the flatten/fully connected layers",
        )
    return shape


def _rect(fh: int, fw: int) -> bool:
    return fh != fw


def _maps_quantities(
    label: str, h: AxisSize, w: AxisSize, depth: int, per_map_params: int | None
) -> tuple[Quantity, Quantity | None]:
    """Activations O_h*O_w*N_c and, given a layer's parameters, LeCun's connections P*O_h*O_w."""
    oh, ow = int(h.size.value), int(w.size.value)
    square = oh == ow
    if square:
        act = formulas.quantity(oh * ow * depth, "maps.size", label, O=oh, N_c=depth)
    else:
        act = formulas.quantity(oh * ow * depth, "maps.size.rect", label, O_h=oh, O_w=ow, N_c=depth)
    if per_map_params is None:
        return act, None
    p = per_map_params
    if square:
        conn = formulas.quantity(p * oh * ow, "layer.connections", label, P=p, O=oh)
    else:
        conn = formulas.quantity(p * oh * ow, "layer.connections.rect", label, P=p, O_h=oh, O_w=ow)
    return act, conn


def _params(label: str, weights: Quantity, biases: Quantity) -> Quantity:
    key = weights.formula if biases.formula == "zero" else f"{weights.formula}+{biases.formula}"
    values = dict(weights.values)
    values.update(biases.values)
    return formulas.quantity(int(weights.value) + int(biases.value), key, label, **values)


def _zero(label: str) -> Quantity:
    return formulas.quantity(0, "zero", label)


def _conv(layer: Conv, shape: Shape, label: str, index: int = 0) -> LayerCount:
    maps = _spatial(shape, label, "a convolution")
    fh, fw = layer.kernel
    sh, sw = layer.stride
    n, c, g = layer.filters, maps.d, layer.groups
    if n <= 0:
        raise _error(label, f"{n} filters", "use at least 1 filter")
    if g <= 0 or c % g or n % g:
        raise _error(
            label,
            f"{g} groups do not divide the {c} input maps and the {n} filters evenly",
            "choose a number of groups that divides both",
        )
    h, w = _sizes(maps, layer, label)
    rect = _rect(fh, fw)
    kernel_values = {"f_h": fh, "f_w": fw} if rect else {"f": fh}
    suffix = ".rect" if rect else ""
    note = ""
    if layer.table is not None:
        table = layer.table
        if len(table) != c or any(len(row) != n for row in table):
            cols = {len(row) for row in table}
            raise _error(
                label,
                f"the connection table is {len(table)}x{'/'.join(map(str, sorted(cols)))} but the layer "
                f"connects {c} input maps to {n} output maps",
                f"give a table of {c} rows (input maps) by {n} columns (output maps)",
            )
        if g != 1:
            raise _error(label, "a connection table and groups together", "use one or the other")
        k = sum(1 for row in table for cell in row if cell)
        for j in range(n):
            if not any(row[j] for row in table):
                raise _error(label, f"output map {j} of the connection table sees no input map",
                             "mark at least one input map in every column")
        weights = formulas.quantity(fh * fw * k, f"conv.weights{suffix}.table", label, K=k, **kernel_values)
        note = f"partial connection table{' ' + layer.table_name if layer.table_name else ''}: {k} of {c * n}"
    elif g != 1:
        weights = formulas.quantity(
            fh * fw * (c // g) * n, f"conv.weights{suffix}.grouped", label, C=c, N_c=n, g=g, **kernel_values
        )
        note = f"{g} groups"
    else:
        weights = formulas.quantity(fh * fw * c * n, f"conv.weights{suffix}", label, C=c, N_c=n, **kernel_values)
    biases = formulas.quantity(n, "conv.biases", label, N_c=n) if layer.bias else _zero(label)
    params = _params(label, weights, biases)
    act, conn = _maps_quantities(label, h, w, n, int(params.value))
    assert conn is not None
    out = FeatureMaps(int(h.size.value), int(w.size.value), n)
    macs = _macs(label, weights, out.h, out.w, "")
    if layer.dilation != (1, 1):
        note = ", ".join(x for x in (note, f"dilation {layer.dilation[0]}x{layer.dilation[1]}") if x)
    return LayerCount(index, label, layer, maps, out, weights, biases, params, conn, act, h, w, note=note, macs=macs)


def _macs(label: str, weights: Quantity, h: int, w: int, positions: str) -> Quantity:
    """A convolution's MACs: its weights times the output positions (the input positions: ``positions='.in'``)."""
    values = dict(weights.values)
    if positions == ".in":
        key = f"{weights.formula}.macs.in" + ("" if h == w else ".rect")
        values.update({"W": w} if h == w else {"H": h, "W": w})
    else:
        key = f"{weights.formula}.macs" + ("" if h == w else ".rect")
        values.update({"O": h} if h == w else {"O_h": h, "O_w": w})
    return formulas.quantity(int(weights.value) * h * w, key, label, **values)


def _deconv(layer: Deconv, shape: Shape, label: str, index: int = 0) -> LayerCount:
    maps = _spatial(shape, label, "a transposed convolution")
    n, c, g = layer.filters, maps.d, layer.groups
    if g <= 0 or c % g or n % g:
        raise _error(label, f"{g} groups do not divide the {c} input maps and the {n} filters evenly",
                     "choose a number of groups that divides both")
    top, _, left, _ = (layer.padding,) * 4 if isinstance(layer.padding, int) else layer.padding
    sizes = []
    for size, f, s, p, op, d, axis in zip((maps.h, maps.w), layer.kernel, layer.stride, (top, left),
                                          layer.output_padding, layer.dilation, ("height", "width"), strict=True):
        if op >= max(s, d):
            raise _error(label, f"output padding {op} is not smaller than the stride {s} or the dilation {d}",
                         "PyTorch needs p_o < max(s, d): use a smaller output padding")
        out = (size - 1) * s - 2 * p + d * (f - 1) + op + 1
        if out <= 0:
            raise _error(label, f"the output {axis} is {out}", "use less padding or a larger kernel or stride")
        where = f"{label} {axis}"
        if d == 1:
            q = formulas.quantity(out, "size.deconv", where, W=size, s=s, p=p, f=f, p_o=op)
        else:
            q = formulas.quantity(out, "size.deconv.dilated", where, W=size, s=s, p=p, f=f, p_o=op, d=d)
        sizes.append(AxisSize(q, p, p))
    h, w = sizes
    fh, fw = layer.kernel
    rect = _rect(fh, fw)
    kernel_values = {"f_h": fh, "f_w": fw} if rect else {"f": fh}
    suffix = ".rect" if rect else ""
    if g != 1:
        weights = formulas.quantity(fh * fw * (c // g) * n, f"conv.weights{suffix}.grouped", label, C=c, N_c=n, g=g,
                                    **kernel_values)
    else:
        weights = formulas.quantity(fh * fw * c * n, f"conv.weights{suffix}", label, C=c, N_c=n, **kernel_values)
    biases = formulas.quantity(n, "conv.biases", label, N_c=n) if layer.bias else _zero(label)
    params = _params(label, weights, biases)
    oh, ow = int(h.size.value), int(w.size.value)
    act, _ = _maps_quantities(label, h, w, n, None)
    macs = _macs(label, weights, maps.h, maps.w, ".in")
    # LeCun's connections: every weight meets every input position once, and every output adds its bias
    values = {**dict(macs.values), "O_h": oh, "O_w": ow}
    if layer.bias:
        conn = formulas.quantity(int(macs.value) + n * oh * ow, f"{macs.formula}+deconv.bias.connections", label,
                                 **values)
    else:
        conn = macs
    return LayerCount(index, label, layer, maps, FeatureMaps(oh, ow, n), weights, biases, params, conn, act, h, w,
                      note="transposed convolution", macs=macs)


def _pool(layer: Pool, shape: Shape, label: str, index: int = 0) -> LayerCount:
    maps = _spatial(shape, label, "pooling")
    fh, fw = layer.kernel
    sh, sw = layer.stride
    if layer.trainable and isinstance(layer.padding, int):
        for size, f, s, axis in ((maps.h, fh, sh, "height"), (maps.w, fw, sw, "width")):
            if (size - f + 2 * layer.padding) % s:
                raise _error(
                    label,
                    f"subsampling {f}/{s} does not tile the input {axis} {size} exactly "
                    f"(({size} - {f} + 2x{layer.padding}) / {s} is not whole)",
                    "LeNet-style subsampling needs (W - f + 2p) divisible by s: change the input size or the window",
                )
    h, w = _sizes(maps, layer, label)
    d = maps.d
    oh, ow = int(h.size.value), int(w.size.value)
    rect = _rect(fh, fw) or oh != ow
    kv = {"f_h": fh, "f_w": fw, "O_h": oh, "O_w": ow} if rect else {"f": fh, "O": oh}
    suffix = ".rect" if rect else ""
    if layer.trainable:
        weights = formulas.quantity(d, "subsampling.weights", label, N_c=d)
        biases = formulas.quantity(d, "subsampling.biases", label, N_c=d)
        conn = formulas.quantity((fh * fw + 1) * d * oh * ow, f"subsampling.connections{suffix}", label, N_c=d, **kv)
    else:
        weights, biases = _zero(label), _zero(label)
        conn = formulas.quantity(fh * fw * d * oh * ow, f"pool.connections{suffix}", label, N_c=d, **kv)
    params = _params(label, weights, biases)
    act, _ = _maps_quantities(label, h, w, d, None)
    note = "trainable subsampling: 1 coefficient + 1 bias per map" if layer.trainable else ""
    return LayerCount(index, label, layer, maps, FeatureMaps(oh, ow, d), weights, biases, params, conn, act, h, w,
                      note=note)


def _adaptive(layer: AdaptiveAvgPool, shape: Shape, label: str, index: int = 0) -> LayerCount:
    maps = _spatial(shape, label, "adaptive pooling")
    oh, ow = layer.out
    if oh <= 0 or ow <= 0:
        raise _error(label, "output size must be positive", "use e.g. adaptiveavgpool 6")
    out = FeatureMaps(oh, ow, maps.d)
    rect = oh != ow
    if rect:
        act = formulas.quantity(out.size, "maps.size.rect", label, O_h=oh, O_w=ow, N_c=maps.d)
    else:
        act = formulas.quantity(out.size, "maps.size", label, O=oh, N_c=maps.d)
    z = _zero(label)
    return LayerCount(index, label, layer, maps, out, z, z, z, z, act)


def _flatten_length(maps: FeatureMaps, label: str) -> Quantity:
    if maps.h == maps.w:
        return formulas.quantity(maps.size, "maps.size", label, O=maps.h, N_c=maps.d)
    return formulas.quantity(maps.size, "maps.size.rect", label, O_h=maps.h, O_w=maps.w, N_c=maps.d)


def _flatten(layer: Flatten, shape: Shape, label: str, index: int = 0) -> LayerCount:
    maps = _spatial(shape, label, "flatten")
    length = _flatten_length(maps, label)
    z = _zero(label)
    return LayerCount(index, label, layer, maps, Vector(maps.size), z, z, z, z, length, flatten_length=length)


def _dense(layer: Dense, shape: Shape, label: str, index: int = 0) -> LayerCount:
    f = layer.units
    if f <= 0:
        raise _error(label, f"{f} units", "use at least 1 unit")
    flat = None
    if isinstance(shape, FeatureMaps):
        # the lecture's CONV -> FC case: #W = O^2 * N_c * F on the linearized maps
        flat = _flatten_length(shape, label)
        if shape.h == shape.w:
            weights = formulas.quantity(shape.size * f, "fc.weights.flatten", label, O=shape.h, N_c=shape.d, F=f)
        else:
            weights = formulas.quantity(
                shape.size * f, "fc.weights.flatten.rect", label, O_h=shape.h, O_w=shape.w, N_c=shape.d, F=f
            )
    else:
        weights = formulas.quantity(shape.n * f, "fc.weights", label, F_prev=shape.n, F=f)
    biases = formulas.quantity(f, "fc.biases", label, F=f) if layer.bias else _zero(label)
    params = _params(label, weights, biases)
    conn = formulas.quantity(int(params.value), "fc.connections", label, P=int(params.value))
    act = formulas.quantity(f, "units", label, F=f)
    macs = formulas.quantity(int(weights.value), weights.formula.replace("weights", "macs"), label,
                             **dict(weights.values))
    return LayerCount(index, label, layer, shape, Vector(f), weights, biases, params, conn, act, flatten_length=flat,
                      macs=macs)


def _rbf(layer: RBF, shape: Shape, label: str, index: int = 0) -> LayerCount:
    if not isinstance(shape, Vector):
        raise _error(label, "an RBF output layer needs a flat vector", "put it after a fully connected layer")
    f = layer.units
    z = _zero(label)
    conn = formulas.quantity(shape.n * f, "rbf.connections", label, F_prev=shape.n, F=f)
    act = formulas.quantity(f, "units", label, F=f)
    note = f"{shape.n * f} fixed RBF centres (chosen by hand, not trained)"
    buffers = formulas.quantity(shape.n * f, "rbf.buffers", label, F_prev=shape.n, F=f)
    return LayerCount(index, label, layer, shape, Vector(f), z, z, z, conn, act, note=note, buffers=buffers)


def _passthrough(layer: Layer, shape: Shape, label: str, index: int = 0) -> LayerCount:
    z = _zero(label)
    if isinstance(shape, FeatureMaps):
        act = _flatten_length(shape, label)
    else:
        act = formulas.quantity(shape.n, "units", label, F=shape.n)
    return LayerCount(index, label, layer, shape, shape, z, z, z, z, act)


def _batchnorm(layer: BatchNorm, shape: Shape, label: str, index: int = 0) -> LayerCount:
    c = shape.d if isinstance(shape, FeatureMaps) else shape.n
    weights = formulas.quantity(c, "bn.weights", label, N_c=c)
    biases = formulas.quantity(c, "bn.biases", label, N_c=c)
    buffers = formulas.quantity(2 * c, "bn.buffers", label, N_c=c)
    passed = _passthrough(layer, shape, label, index)
    return replace(passed, weights=weights, biases=biases, parameters=_params(label, weights, biases),
                   buffers=buffers)


def _global_avg(layer: GlobalAvgPool, shape: Shape, label: str, index: int = 0) -> LayerCount:
    maps = _spatial(shape, label, "global average pooling")
    z = _zero(label)
    act = formulas.quantity(maps.d, "maps.size", label, O=1, N_c=maps.d)
    return LayerCount(index, label, layer, maps, FeatureMaps(1, 1, maps.d), z, z, z, _flatten_length(maps, label),
                      act)


def _crop(layer: Crop, shape: Shape, label: str, index: int = 0) -> LayerCount:
    maps = _spatial(shape, label, "a crop")
    oh, ow = layer.size
    if oh > maps.h or ow > maps.w:
        raise _error(label, f"the crop {oh}x{ow} is larger than the {maps.h}x{maps.w} maps",
                     f"crop to at most {maps.h}x{maps.w}")
    out = FeatureMaps(oh, ow, maps.d)
    z = _zero(label)
    return LayerCount(index, label, layer, maps, out, z, z, z, z, _flatten_length(out, label),
                      note=f"centre {oh}x{ow} of {maps.h}x{maps.w}")


_HANDLERS = {
    Deconv: _deconv,
    BatchNorm: _batchnorm,
    GlobalAvgPool: _global_avg,
    Crop: _crop,
    Conv: _conv,
    Pool: _pool,
    AdaptiveAvgPool: _adaptive,
    Flatten: _flatten,
    Dense: _dense,
    RBF: _rbf,
    Activation: _passthrough,
    Dropout: _passthrough,
    LRN: _passthrough,
}


@lru_cache(maxsize=4096)
def count_layer(layer: Layer, shape: Shape, index: int) -> LayerCount:
    """Count one layer applied to an input of ``shape``.

    Cached: a problem's network is counted by its family, for its stated rules and by its verification, and the
    misconceptions count variants of the same layers (layers, shapes and counts are frozen values)."""
    return _HANDLERS[type(layer)](layer, shape, layer_label(layer, index), index)


def count(network: Network) -> NetworkCount:
    """Count every layer of a network; raise QuizgenError naming the first impossible layer."""
    inp = network.input
    if min(inp.h, inp.w, inp.c) <= 0:
        raise QuizgenError(
            f"input {inp.h}x{inp.w}x{inp.c} has a zero or negative size",
            where="input",
            fix="give positive H x W x C",
        )
    shape: Shape = _input_shape(network)
    counted: list[LayerCount] = []
    for index, layer in enumerate(network.layers, start=1):
        rows = count_rows(layer, shape, index)
        counted += rows
        shape = rows[-1].output_shape
    return NetworkCount(network, tuple(counted))


def count_rows(layer: Layer, shape: Shape, index: int, prefix: str = "", depth: int = 0) -> list[LayerCount]:
    """One layer's rows: the layer itself, or a block's inner layers branch by branch, then the block's merge.

    Inner layers are labelled by the block and branch they are in: ``inc3a.2.conv#1`` (a concat's
    second branch), ``layer1.0.conv1`` (a residual body), ``layer1.0.shortcut.conv#1``.
    """
    if not isinstance(layer, (Concat, Residual)):
        if not prefix:
            return [count_layer(layer, shape, index)]
        return [replace(_HANDLERS[type(layer)](layer, shape, prefix + layer_label(layer, index), index), depth=depth)]
    label = prefix + layer_label(layer, index)
    rows: list[LayerCount] = []
    outputs: list[tuple[str, Shape]] = []
    for number, branch in enumerate(branches(layer), start=1):
        inner = branch_prefix(layer, label, number)
        here = shape
        for position, item in enumerate(branch, start=1):
            found = count_rows(item, here, position, inner, depth + 1)
            rows += found
            here = found[-1].output_shape
        outputs.append((inner.rstrip(".") + ("" if branch else " (identity)"), here))
    return rows + [_merge(layer, shape, outputs, label, index, depth)]


def _merge(layer: Concat | Residual, shape: Shape, outputs: list[tuple[str, Shape]], label: str, index: int,
           depth: int) -> LayerCount:
    """The row of a block: its branches' outputs concatenated along the maps, or added."""
    z = _zero(label)
    first_name, first = outputs[0]
    if isinstance(layer, Residual):
        other_name, other = outputs[1] if layer.shortcut else (f"{label}.shortcut (identity)", shape)
        if first != other:
            raise _error(label, f"the body gives {_show(first)} but the shortcut {other_name} gives {_show(other)}: "
                                "they cannot be added",
                         "make the body keep the shape, or give a projection shortcut: res(BODY | conv N 1/S > bn)")
        act = _flatten_length(first, label) if isinstance(first, FeatureMaps) else formulas.quantity(
            first.n, "units", label, F=first.n)
        return LayerCount(index, label, layer, shape, first, z, z, z, z, act, depth=depth)
    for name, out in outputs:
        if not isinstance(out, FeatureMaps):
            raise _error(label, f"branch {name} gives a flat vector", "concatenate feature maps (before flatten)")
        if (out.h, out.w) != (first.h, first.w):  # type: ignore[union-attr]
            raise _error(label, f"branch {name} gives {out.h}x{out.w} maps but branch {first_name} gives "
                                f"{first.h}x{first.w}: concat needs the same H x W",  # type: ignore[union-attr]
                         "give every branch the same output size (padding, stride, crop)")
    depths = [out.d for _, out in outputs]  # type: ignore[union-attr]
    total = formulas.quantity(sum(depths), "concat.depth", label, N_c=sum(depths))
    out = FeatureMaps(first.h, first.w, int(total.value))  # type: ignore[union-attr]
    return LayerCount(index, label, layer, shape, out, z, z, z, z, _flatten_length(out, label), depth=depth)


def _show(shape: Shape) -> str:
    return str(shape)


@dataclass(frozen=True, slots=True)
class CountedLayer:
    """A layer with its engine row, and a block's branches as counted layers (for drawings that nest)."""

    layer: Layer
    row: LayerCount
    branches: tuple[tuple[CountedLayer, ...], ...] = ()


def counted_tree(network: Network) -> tuple[CountedLayer, ...]:
    """The network's layers with their rows from ``count``, a block holding its branches' layers in turn."""
    rows = iter(count(network).layers)

    def chain(layers: tuple[Layer, ...]) -> tuple[CountedLayer, ...]:
        out = []
        for layer in layers:
            if isinstance(layer, (Concat, Residual)):
                inner = tuple(chain(branch) for branch in branches(layer))
                out.append(CountedLayer(layer, next(rows), inner))
            else:
                out.append(CountedLayer(layer, next(rows)))
        return tuple(out)

    return chain(network.layers)
