"""The reference check: build the network in PyTorch, count ``p.numel()``, run zeros through it.

quizgen's answers come from formulas; this module builds the real ``torch.nn`` module and counts,
so a formula slip cannot reach a student. torch is an optional extra: ``require_torch()`` raises a
QuizgenError (exit 2) with the install command when it is missing.

How the module is built (``build_module``), independently of the engine's shapes:

- layer by layer, a zero tensor (batch 1, NCHW) on the device runs through the layer's module in
  ``torch.inference_mode()``; the module is made on that device without random initialisation
  (VGG-16's 138M weights would take seconds to draw; ``build_module`` zero-fills them, the check
  leaves them as allocated, since values cannot change shapes). The next layer's in_channels /
  in_features come from the shape this forward pass produced, never from the engine;
- ``torch_counts`` records each layer's ``sum(p.numel())`` and the output shape of that pass.

Conventions: SAME padding is TensorFlow's (total max((O-1)s + f - W, 0), the extra unit after), as
an explicit pad before the layer; LeNet-5's C3 table is one small Conv2d per output map over its
selected inputs (``TableConv2d``: its parameter count is the table's, nothing masked); trainable
subsampling is average pooling x coefficient + bias per map; the RBF centres are a buffer
(0 trainable parameters). A parameter whose name ends in ``bias`` is a bias; every other is a weight.
Results are cached per (network, device) and per (layer, input shape, device): problems that share
an architecture, or only some of its layers, build and run each distinct layer once.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from quizgen.errors import InternalError, QuizgenError
from quizgen.nets.layers import (
    Concat,
    FeatureMaps,
    Layer,
    Network,
    Padding,
    Residual,
    Shape,
    Vector,
    branch_prefix,
    branches,
    layer_label,
)

if TYPE_CHECKING:
    import torch

    from quizgen.problems.model import Problem

INSTALL = "pip install 'quizgen[torch]'"


@dataclass(frozen=True, slots=True)
class LayerTorchCount:
    """What torch says about one layer: trainable parameters (weights + biases) and output shape.

    ``output_shape`` is in the engine's order: (H, W, D) for feature maps (torch's (1, D, H, W)),
    (F,) for a vector; ``shape`` is the same as the engine's FeatureMaps / Vector value.
    """

    label: str
    params: int
    output_shape: tuple[int, ...]
    weights: int = 0
    biases: int = 0
    buffers: int = 0
    in_place: bool = False  # an element-wise, dropout or flatten layer: left out of the activations total

    @property
    def shape(self) -> Shape:
        if len(self.output_shape) == 3:
            return FeatureMaps(*self.output_shape)
        return Vector(self.output_shape[0])


def torch_available() -> bool:
    """Whether torch can be imported (without importing it; None in sys.modules means it cannot)."""
    import sys

    if "torch" in sys.modules:
        return sys.modules["torch"] is not None
    return importlib.util.find_spec("torch") is not None


def require_torch(where: str = "--torch-check") -> Any:
    """The torch module; QuizgenError (exit 2) naming the install command when it is not installed."""
    import sys

    if sys.modules.get("torch") is not None:
        return sys.modules["torch"]
    if not torch_available():
        raise QuizgenError("PyTorch is not installed", where=where, fix=INSTALL)
    import warnings

    with warnings.catch_warnings():
        # torch warns at import when NumPy is absent; quizgen never hands torch a NumPy array
        warnings.filterwarnings("ignore", message="Failed to initialize NumPy")
        import torch
    return torch


def resolve_device(device: str, where: str = "--device") -> str:
    """``auto`` -> cuda when available, else cpu; ``cuda`` without CUDA is a QuizgenError.

    ``meta`` runs the same modules through torch's meta kernels: torch's own shape functions, no
    arithmetic and no memory, so even VGG-16-sized variants check in milliseconds on any machine.
    """
    torch = require_torch(where)
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise QuizgenError("CUDA is not available to PyTorch on this machine", where=where,
                           fix="use --device cpu (or auto), or install a CUDA build of torch on a GPU machine")
    if device not in ("cpu", "meta") and not device.startswith("cuda"):
        raise QuizgenError(f"unknown device '{device}'", where=where, fix="use auto, cpu, cuda or meta")
    return device


def build_module(network: Network, device: str = "cpu") -> torch.nn.Module:
    """The equivalent ``torch.nn`` module, zero weights: a Sequential of one submodule per layer, named by label."""
    from quizgen.verify.torch_modules import LabelledNetwork

    if device == "cpu":  # meta allocates nothing; CUDA reports its own out-of-memory, turned into the same error
        require_memory(network)
    inp = network.input
    shape: tuple[int, ...] = (1, inp.c, inp.h, inp.w)
    labels, modules = [], []
    for index, layer in enumerate(network.layers, start=1):
        label = layer_label(layer, index)
        module, shape = _build(layer, shape, device, label)
        labels.append(label)
        modules.append(module)
    return LabelledNetwork(labels, modules).eval()


def _build(layer: Layer, shape: tuple[int, ...], device: str, label: str) -> tuple[Any, tuple[int, ...]]:
    """One layer's module with zero weights (a block's, branch by branch) and its output shape."""
    if not isinstance(layer, (Concat, Residual)):
        try:
            module, out, _, _, _ = _run_layer(layer, shape, device, zero=True)
        except InternalError as exc:
            raise InternalError(f"layer {label}: {exc}") from exc
        return module, out
    from torch import nn

    from quizgen.verify.torch_modules import ConcatBlock, LabelledNetwork, ResidualBlock

    parts = []
    for number, branch in enumerate(branches(layer), start=1):
        prefix = branch_prefix(layer, label, number)
        here, labels, modules = shape, [], []
        for position, item in enumerate(branch, start=1):
            module, here = _build(item, here, device, prefix + layer_label(item, position))
            labels.append(layer_label(item, position))
            modules.append(module)
        parts.append(LabelledNetwork(labels, modules))
    block: nn.Module = ConcatBlock(parts) if isinstance(layer, Concat) else ResidualBlock(*parts[:2]) if len(
        parts) == 2 else ResidualBlock(parts[0], nn.Identity())
    return block.eval(), _run_block(block, shape, device, label)


def _run_block(block: Any, shape: tuple[int, ...], device: str, label: str) -> tuple[int, ...]:
    torch = require_torch()
    try:
        with torch.inference_mode():
            return tuple(block(torch.zeros(shape, device=device)).shape)
    except (RuntimeError, ValueError) as exc:
        raise InternalError(f"layer {label}: torch cannot run it on input {shape}: {exc}") from exc


def _run_layer(layer: Layer, shape: tuple[int, ...], device: str,
               zero: bool) -> tuple[Any, tuple[int, ...], int, int, int]:
    """Build one layer's module for an input of ``shape`` and run a zero tensor of that shape through it.

    The module is made on ``device`` without random initialisation (VGG-16's 138M weights would
    take seconds to draw); ``zero`` fills its weights with zeros (the check skips it: weight values
    cannot change a shape, and filling a big FC layer costs more than the rest of the check).
    Returns (module, output shape, #weights, #biases, #buffers): floating-point buffers only (batch
    norm's running mean and variance, not its integer count of batches seen).
    """
    torch = require_torch()
    from quizgen.verify.torch_modules import layer_module

    try:
        module = layer_module(layer, shape, device).eval()
        if zero:
            with torch.no_grad():
                for p in module.parameters():
                    p.zero_()
        with torch.inference_mode():
            out = tuple(module(torch.zeros(shape, device=device)).shape)
    except MemoryError:
        raise QuizgenError(f"PyTorch could not allocate the memory for input {shape}",
                           fix="check a smaller network, or free some memory") from None
    except (RuntimeError, ValueError, InternalError) as exc:
        if "allocate" in str(exc) or "out of memory" in str(exc):
            raise QuizgenError(f"PyTorch could not allocate the memory for input {shape}",
                               fix="check a smaller network, or free some memory") from None
        raise InternalError(f"torch cannot run it on input {shape}: {exc}") from exc
    weights = biases = 0
    for name, p in module.named_parameters():
        if name.rsplit(".", 1)[-1] == "bias":
            biases += p.numel()
        else:
            weights += p.numel()
    buffers = sum(b.numel() for b in module.buffers() if b.is_floating_point())
    return module, out, weights, biases, buffers


def forward_bytes(network: Network) -> tuple[int, str]:
    """(bytes, layer label): the most float32 memory one layer's forward pass on one input needs
    (its input, its output and its parameters), estimated from the engine's counts before torch allocates."""
    from quizgen.nets.engine import count

    peak, where = 0, ""
    for lc in count(network).layers:
        need = 4 * (lc.input_shape.size + lc.output_shape.size + int(lc.parameters.value))
        if need > peak:
            peak, where = need, lc.label
    return peak, where


def memory_budget() -> int:
    """Half the memory this process can still take: the smaller of the free RAM and its address-space limit."""
    import resource

    free = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    free = int(line.split()[1]) * 1024
    except OSError:
        pass
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft != resource.RLIM_INFINITY:
        free = min(free, soft)
    return free // 2


def require_memory(network: Network) -> None:
    """Refuse (QuizgenError) a network whose forward pass would not fit, before torch asks for the memory."""
    try:
        need, where = forward_bytes(network)
    except (QuizgenError, InternalError):
        return  # a network the engine cannot count: torch's own failure on it is the finding
    budget = memory_budget()
    if need > budget:
        raise QuizgenError(f"the PyTorch check would need about {need / 1e9:,.1f} GB for layer {where}, more than "
                           f"the {budget / 1e9:,.1f} GB it may use",
                           fix="check a smaller network (a smaller input or fewer units); the counts need no PyTorch")


@lru_cache(maxsize=1 << 18)
def _layer_result(layer: Layer, shape: tuple[int, ...], device: str) -> tuple[tuple[int, ...], int, int, int]:
    """(output shape, #weights, #biases, #buffers) of one unnamed layer on one input shape, computed once."""
    _, out, weights, biases, buffers = _run_layer(layer, shape, device, zero=False)
    return out, weights, biases, buffers


def _shape(tensor_shape: tuple[int, ...]) -> tuple[int, ...]:
    """Torch's (1, C, H, W) or (1, F) in the engine's order: (H, W, C) or (F,)."""
    if len(tensor_shape) == 4:
        return tensor_shape[2], tensor_shape[3], tensor_shape[1]
    if len(tensor_shape) == 2:
        return (tensor_shape[1],)
    raise InternalError(f"unexpected output shape {tensor_shape}")


@lru_cache(maxsize=1 << 16)
def _counts(network: Network, device: str) -> tuple[LayerTorchCount, ...]:
    """Per layer counts and shapes, each layer run on a zero tensor of the shape torch's previous layer gave.

    Cached twice: per network, and per (layer without its name, input shape), since a layer's
    parameters and output shape depend on nothing else. Variants of one architecture share most
    layers, so a sweep builds and runs each distinct layer once; modules are not kept.
    """
    if device == "cpu":  # meta allocates nothing; CUDA reports its own out-of-memory, turned into the same error
        require_memory(network)
    inp = network.input
    shape: tuple[int, ...] = (1, inp.c, inp.h, inp.w)
    found: list[LayerTorchCount] = []
    for index, layer in enumerate(network.layers, start=1):
        shape = _walk(layer, shape, device, layer_label(layer, index), found)
    return tuple(found)


def _walk(layer: Layer, shape: tuple[int, ...], device: str, label: str, found: list[LayerTorchCount]) -> tuple[
        int, ...]:
    """Append torch's rows for one layer (a block: its branches' layers, then the merge); return its output shape."""
    from dataclasses import replace

    if not isinstance(layer, (Concat, Residual)):
        try:
            out, weights, biases, buffers = _layer_result(replace(layer, name=""), shape, device)
        except InternalError as exc:
            raise InternalError(f"layer {label}: {exc}") from exc
        from quizgen.nets.engine import IN_PLACE

        found.append(LayerTorchCount(label, weights + biases, _shape(out), weights, biases, buffers,
                                     isinstance(layer, IN_PLACE)))
        return out
    torch = require_torch()
    outputs = []
    for number, branch in enumerate(branches(layer), start=1):
        prefix, here = branch_prefix(layer, label, number), shape
        for position, item in enumerate(branch, start=1):
            here = _walk(item, here, device, prefix + layer_label(item, position), found)
        outputs.append(torch.zeros(here, device=device))
    if isinstance(layer, Residual) and len(outputs) == 1:
        outputs.append(torch.zeros(shape, device=device))
    try:
        if isinstance(layer, Concat):
            out = tuple(torch.cat(outputs, dim=1).shape)
        elif outputs[0].shape != outputs[1].shape:  # no broadcasting: a residual adds equal shapes
            raise ValueError(f"body {tuple(outputs[0].shape)} and shortcut {tuple(outputs[1].shape)} differ")
        else:
            out = tuple((outputs[0] + outputs[1]).shape)
    except (RuntimeError, ValueError) as exc:
        raise InternalError(f"layer {label}: torch cannot merge the branches: {exc}") from exc
    found.append(LayerTorchCount(label, 0, _shape(out), 0, 0, 0))
    return out


def torch_counts(network: Network, device: str = "cpu") -> list[LayerTorchCount]:
    """Per layer: torch's parameter count and the output shape of a forward pass on zeros."""
    return list(_counts(network, device))


def check_network(network: Network, device: str = "cpu") -> list[str]:
    """Disagreements between the engine and torch, layer by layer (empty: they agree)."""
    from quizgen.nets.engine import count

    engine = count(network)
    try:
        ours = _counts(network, device)
    except InternalError as exc:
        return [f"{network.name}: {exc}"]
    found = []
    if [lc.label for lc in engine.layers] != [t.label for t in ours]:
        found.append(f"{network.name}: layer labels differ")
    for lc, t in zip(engine.layers, ours, strict=False):
        here = f"{network.name} layer {lc.label}"
        for what, mine, theirs in (("parameters", int(lc.parameters.value), t.params),
                                   ("weights", int(lc.weights.value), t.weights),
                                   ("biases", int(lc.biases.value), t.biases),
                                   ("buffers", int(lc.buffers.value) if lc.buffers else 0, t.buffers)):
            if mine != theirs:
                found.append(f"{here}: engine {what} {mine}, torch {theirs}")
        if lc.output_shape != t.shape:
            found.append(f"{here}: engine output {lc.output_shape}, torch {t.shape}")
    return found


def dtype_size(name: str) -> int:
    """Bytes per element (float32, float16, bfloat16, float64) or bits (bits32, bits16), as torch reports them."""
    torch = require_torch()
    dtypes = {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16, "float64": torch.float64}
    if name in dtypes:
        return torch.empty((), dtype=dtypes[name]).element_size()
    bits = {"bits32": torch.float32, "bits16": torch.float16}
    if name in bits:
        return torch.finfo(bits[name]).bits
    raise InternalError(f"unknown dtype {name!r}")


def torch_lookup(networks: tuple[Network, ...], device: str = "cpu"):  # noqa: ANN201 - a measures.Lookup
    """A measures lookup whose every number comes from the torch modules of the given networks."""
    from quizgen.problems.measures import find_layer

    counts = [_counts(n, device) for n in networks]

    def lookup(quantity: str, index: int, layer: str | None) -> int:
        layers = counts[index]
        if quantity == "macs":
            macs = torch_macs(networks[index])
            return sum(macs.values()) if layer is None else macs.get(find_layer(layers, layer).label, 0)
        if quantity in ("rf_size", "rf_jump"):
            size, jump = torch_receptive_field(networks[index], find_layer(layers, layer).label)
            return size if quantity == "rf_size" else jump
        if layer is None:
            if quantity == "activations":  # the engine's definition: in-place and reshaping layers once
                return sum(t.shape.size for t in layers if not t.in_place)
            return sum(getattr(t, quantity) for t in layers)
        t = find_layer(layers, layer)
        shape = t.shape
        if quantity in ("weights", "biases", "params", "buffers"):
            return getattr(t, quantity)
        if quantity in ("activations", "flatten"):
            return shape.size
        if isinstance(shape, Vector):
            if quantity == "out_d":
                return shape.n
            raise InternalError(f"{quantity}@{layer}: torch's output is a vector of {shape.n}")
        return {"out_h": shape.h, "out_w": shape.w, "out_d": shape.d}[quantity]

    return lookup


@lru_cache(maxsize=1 << 12)
def torch_macs(network: Network) -> dict[str, int]:
    """Multiply-accumulates per top-level layer label, as ``torch.utils.flop_counter`` counts a forward pass of
    one input (FLOPs / 2), on the meta device (shapes only)."""
    torch = require_torch()
    from torch.utils.flop_counter import FlopCounterMode

    module = build_module(network, "meta")
    inp = network.input
    names = dict(zip((name for name, _ in module.named_children()), module.labels, strict=True))
    with FlopCounterMode(display=False) as counter, torch.no_grad():
        module(torch.zeros(1, inp.c, inp.h, inp.w, device="meta"))
    found: dict[str, int] = {}
    for name, ops in counter.get_flop_counts().items():
        child = name.split(".")[1] if name.count(".") >= 1 else ""
        if child in names and name.count(".") == 1:
            found[names[child]] = sum(ops.values()) // 2
    return found


@lru_cache(maxsize=1 << 12)
def torch_receptive_field(network: Network, label: str) -> tuple[int, int]:
    """(size, jump) of the receptive field of ``label``'s units along the height, from gradients: with every weight
    1, max pooling read as average pooling (the same windows) and one channel, the input rows that reach one output
    unit are its field; the input grows until the field of a middle unit is not clipped by the border."""
    from dataclasses import replace

    from quizgen.nets.layers import Conv, Input, Pool

    torch = require_torch()

    def rows_only(padding: Padding) -> Padding:  # the same padding along the height, none along the width
        if isinstance(padding, int):
            return (padding, padding, 0, 0)
        return (padding[0], padding[1], 0, 0) if isinstance(padding, tuple) else padding

    layers = []
    for index, layer in enumerate(network.layers, start=1):
        # one column and one channel: the field along the height does not depend on the width or the depth
        if isinstance(layer, Conv):
            layer = replace(layer, filters=1, groups=1, table=None, kernel=(layer.kernel[0], 1),
                            stride=(layer.stride[0], 1), dilation=(layer.dilation[0], 1),
                            padding=rows_only(layer.padding))
        elif isinstance(layer, Pool):
            layer = replace(layer, kind="avg", trainable=False, kernel=(layer.kernel[0], 1),
                            stride=(layer.stride[0], 1), padding=layer.padding if layer.ceil else rows_only(
                                layer.padding))
        layers.append(layer)
        if layer_label(network.layers[index - 1], index) == label:
            break
    else:
        raise InternalError(f"no layer {label!r} in {network.name}")
    size = max(network.input.h, 32)
    # the padding of a layer inside the chain can clip a field that the input's border does not: the field is the
    # one measured twice in a row, on an input and on one twice as large
    found = None
    while size <= 1 << 14:
        width = size if any(isinstance(x, Pool) and x.ceil for x in layers) else 1
        net = Network(Input(size, width, 1), tuple(layers), name="field")
        module = build_module(net, "cpu").double()
        with torch.no_grad():
            for name, p in module.named_parameters():
                p.fill_(0.0 if name.endswith("bias") else 1.0)
        x = torch.ones(1, 1, size, width, dtype=torch.float64, requires_grad=True)
        out = module(x)
        middle = out.shape[2] // 2
        extents = []
        for unit in (middle, middle + 1) if out.shape[2] > 2 else ():  # two rows: no middle unit with a neighbour
            x.grad = None
            out[0, :, unit, out.shape[3] // 2].sum().backward(retain_graph=True)
            rows = torch.nonzero(x.grad[0, 0].abs().sum(1)).flatten()
            extents.append((int(rows[0]), int(rows[-1])) if len(rows) else None)
        if extents and all(e and 0 < e[0] and e[1] < size - 1 for e in extents):
            (first, last), (second, _) = extents
            if found == (last - first + 1, second - first):
                return found
            found = last - first + 1, second - first
        size *= 2
    raise InternalError(f"{label}: the receptive field does not fit in an input of {size // 2} rows")


def check_problem(problem: Problem, device: str = "cpu") -> list[str]:
    """Disagreements between one problem's answers and the same quantities measured on torch."""
    from quizgen.problems.measures import evaluate

    if problem.network is None:
        return []
    where = problem.id or problem.family
    try:
        lookup = torch_lookup((problem.network, *problem.extra_networks), device)
    except InternalError as exc:
        return [f"{where}: {exc}"]
    found = []
    # every number the student sees: each part's answer, and each option that shows a number of the network
    shown = [(f"part {part.key}", "answer", part.measure, part.answer) for part in problem.parts]
    shown += [(f"option {c.text}", "shows", c.measure, c.value) for c in problem.choices
              if c.measure is not None and c.value is not None]
    for label, verb, measure, value in shown:
        if not measure:
            found.append(f"{where} {label}: no measure, so torch cannot recompute the answer")
            continue
        try:
            measured = evaluate(measure, lookup, dtype_size)
        except (InternalError, IndexError, KeyError) as exc:
            found.append(f"{where} {label}: {measure} cannot be measured on torch: {exc}")
            continue
        if Fraction(measured) != Fraction(value):
            found.append(f"{where} {label}: {verb} {value}, torch gives {_show(measured)} for {measure}")
    return found


def check_problems(problems: Iterable[Problem], device: str = "cpu") -> list[str]:
    """Disagreements over many problems (empty: torch confirms every answer)."""
    found: list[str] = []
    with single_thread(device):
        for problem in problems:
            found += check_problem(problem, device)
    return found


@contextmanager
def single_thread(device: str) -> Iterator[None]:
    """On the CPU, run torch on one thread while checking many networks, then restore the setting.

    The networks are small and many: thread start-up and contention cost more than they save
    (on 2 cores, 300 input-conv problems take 1.7 s on one thread and several seconds on two).
    """
    torch = require_torch()
    before = torch.get_num_threads()
    if device == "cpu":
        torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def _show(value: int | Fraction) -> str:
    if isinstance(value, Fraction) and value.denominator != 1:
        return f"{value} (= {float(value):.6g})"
    return str(value)


def clear_cache() -> None:
    """Forget the cached per-network and per-layer results (benchmarks measure the uncached rate)."""
    _counts.cache_clear()
    _layer_result.cache_clear()
    torch_macs.cache_clear()
    torch_receptive_field.cache_clear()
