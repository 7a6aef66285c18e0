"""Operations, memory and fan-in of a counted network: FLOPs, activations for a batch, training memory.

Each number is a ``Quantity`` checked against its formula, as the engine's counts. The definitions:

- MACs (``NetworkCount.macs``): multiply-accumulates of one forward pass, bias additions excluded, as
  ``torch.utils.flop_counter`` counts convolutions and matrix products; FLOPs = 2 x MACs (one multiply
  and one add each). Pooling, batch norm and activations are not counted.
- activations A (``NetworkCount.activations``): the values the layers output for one input, without
  the outputs of in-place or reshaping layers (relu, dropout, flatten, ...); for a batch B of dtype b
  bytes they take A x B x b bytes.
- training memory: parameters P, their gradients P and the optimizer's state k P (SGD with momentum
  keeps k = 1 value per parameter, Adam k = 2; plain SGD k = 0), buffers U (batch norm's running
  statistics), and the activations kept for the backward pass, B x A: b ((2 + k) P + U + B A) bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

from quizgen.nets import formulas
from quizgen.nets.engine import LayerCount, NetworkCount
from quizgen.nets.formulas import Quantity
from quizgen.nets.layers import Conv, Deconv, Dense, FeatureMaps, Vector
from quizgen.nets.receptive import Fields, receptive_fields

DTYPE_BYTES = {"float32": 4, "float16": 2, "bfloat16": 2, "float64": 8}
OPTIMIZERS = {"sgd": 0, "sgd-momentum": 1, "rmsprop": 1, "adam": 2, "adamw": 2}
"""Values of optimizer state kept per parameter: plain SGD none, SGD with momentum 1 (the velocity), RMSprop 1 (the
running mean of the squared gradients), Adam and AdamW 2 (m and v)."""

ASSUMPTIONS = (
    "every tensor in the same dtype; one gradient per parameter; optimizer state per parameter: SGD with "
    "momentum 1 value, Adam 2 (its step counters not counted); buffers: stored values that are not trained (batch "
    "norm's running statistics, fixed RBF centres); "
    "activations kept for the backward pass = the activations total (each layer's output once, in-place and "
    "reshaping layers not again) times the batch; the input batch, temporary workspaces and the framework's own "
    "memory are not counted"
)

formulas.register("footprint.flops", "2*M", r"2 \times [M]")
formulas.register("footprint.activations", "A*B*b", r"[A] \times [B] \times [b]")
formulas.register("footprint.parameters", "P*b", r"[P] \times [b]")
formulas.register("footprint.optimizer", "k*P*b", r"[k] \times [P] \times [b]")
formulas.register("footprint.buffers", "U*b", r"[U] \times [b]")
formulas.register("footprint.training", "b*((2 + k)*P + U + B*A)",
                  r"[b] \times ((2 + [k]) \times [P] + [U] + [B] \times [A])")


def flops(macs: int, where: str) -> Quantity:
    """FLOPs = 2 x MACs."""
    return formulas.quantity(2 * macs, "footprint.flops", where, M=macs)


def activation_bytes(activations: int, batch: int, dtype: str, where: str) -> Quantity:
    """Bytes of ``activations`` values for a batch in a dtype: A x B x b."""
    b = DTYPE_BYTES[dtype]
    return formulas.quantity(activations * batch * b, "footprint.activations", where, A=activations, B=batch, b=b)


@dataclass(frozen=True, slots=True)
class TrainingMemory:
    """Bytes to train a network with one optimizer, part by part, and their total."""

    optimizer: str
    parameters: Quantity
    gradients: Quantity
    state: Quantity
    buffers: Quantity
    activations: Quantity
    total: Quantity


def training_memory(nc: NetworkCount, batch: int, dtype: str, optimizer: str) -> TrainingMemory:
    """The memory of one training step (see the module's definitions and ``ASSUMPTIONS``)."""
    b, k = DTYPE_BYTES[dtype], OPTIMIZERS[optimizer]
    p, u, a = nc.parameters, nc.buffers, nc.activations
    where = f"training memory ({optimizer})"
    weights = formulas.quantity(p * b, "footprint.parameters", where, P=p, b=b)
    state = formulas.quantity(k * p * b, "footprint.optimizer", where, k=k, P=p, b=b) if k else formulas.quantity(
        0, "zero", where)
    buffers = formulas.quantity(u * b, "footprint.buffers", where, U=u, b=b)
    acts = activation_bytes(a, batch, dtype, where)
    total = formulas.quantity(b * ((2 + k) * p + u + batch * a), "footprint.training", where, b=b, k=k, P=p, U=u,
                              B=batch, A=a)
    return TrainingMemory(optimizer, weights, weights, state, buffers, acts, total)


formulas.register("fanin.conv", "f**2*C", r"[f]^2 \times [C]")
formulas.register("fanin.conv.rect", "f_h*f_w*C", r"[f_h] \times [f_w] \times [C]")
formulas.register("fanin.conv.grouped", "f**2*C/g", r"[f]^2 \times \frac{[C]}{[g]}")
formulas.register("fanin.conv.rect.grouped", "f_h*f_w*C/g", r"[f_h] \times [f_w] \times \frac{[C]}{[g]}")
formulas.register("fanin.deconv", "f**2*N_c/g", r"[f]^2 \times \frac{[N_c]}{[g]}")
formulas.register("fanin.deconv.rect", "f_h*f_w*N_c/g", r"[f_h] \times [f_w] \times \frac{[N_c]}{[g]}")
formulas.register("fanin.fc", "F_prev", "[F_prev]")
formulas.register("fanin.fc.flatten", "O**2*N_c", r"[O]^2 \times [N_c]")
formulas.register("fanin.fc.flatten.rect", "O_h*O_w*N_c", r"[O_h] \times [O_w] \times [N_c]")


def fan_in(lc: LayerCount) -> Quantity | None:
    """The fan-in of a layer's weights as ``torch.nn.init`` computes it (what He and Glorot initialisation scale
    by): inputs per output unit, f_h f_w C/g for a convolution, F_{-1} for a fully connected layer; for a
    transposed convolution f_h f_w N_c/g (PyTorch reads its weight the other way round). None for layers
    without weights, and for a partial connection table (its maps see different numbers of inputs)."""
    layer, shape = lc.layer, lc.input_shape
    if isinstance(layer, Dense):
        if isinstance(shape, Vector):
            return formulas.quantity(shape.n, "fanin.fc", lc.label, F_prev=shape.n)
        assert isinstance(shape, FeatureMaps)
        if shape.h == shape.w:
            return formulas.quantity(shape.size, "fanin.fc.flatten", lc.label, O=shape.h, N_c=shape.d)
        return formulas.quantity(shape.size, "fanin.fc.flatten.rect", lc.label, O_h=shape.h, O_w=shape.w, N_c=shape.d)
    if not isinstance(layer, (Conv, Deconv)) or (isinstance(layer, Conv) and layer.table is not None):
        return None
    assert isinstance(shape, FeatureMaps)
    fh, fw = layer.kernel
    kernel = {"f": fh} if fh == fw else {"f_h": fh, "f_w": fw}
    rect = "" if fh == fw else ".rect"
    if isinstance(layer, Deconv):
        n, g = layer.filters, layer.groups
        return formulas.quantity(fh * fw * n // g, f"fanin.deconv{rect}", lc.label, N_c=n, g=g, **kernel)
    c, g = shape.d, layer.groups
    if g == 1:
        return formulas.quantity(fh * fw * c, f"fanin.conv{rect}", lc.label, C=c, **kernel)
    return formulas.quantity(fh * fw * c // g, f"fanin.conv{rect}.grouped", lc.label, C=c, g=g, **kernel)


@dataclass(frozen=True, slots=True)
class Report:
    """Every measure of a counted network beyond the engine's counts, for one batch size and dtype."""

    count: NetworkCount
    batch: int
    dtype: str
    flops: Quantity
    fields: dict[str, Fields]
    fan_in: dict[str, Quantity | None]
    activation_bytes: dict[str, Quantity]
    total_activation_bytes: Quantity
    training: tuple[TrainingMemory, ...]


def report(nc: NetworkCount, batch: int = 1, dtype: str = "float32") -> Report:
    """The measures of ``nc`` for a batch of ``batch`` inputs in ``dtype``."""
    return Report(
        nc, batch, dtype, flops(nc.macs, "network"), receptive_fields(nc), {lc.label: fan_in(lc) for lc in nc.layers},
        {lc.label: activation_bytes(int(lc.activations.value), batch, dtype, lc.label) for lc in nc.layers},
        activation_bytes(nc.activations, batch, dtype, "network"),
        tuple(training_memory(nc, batch, dtype, optimizer) for optimizer in ("sgd-momentum", "adam")),
    )
