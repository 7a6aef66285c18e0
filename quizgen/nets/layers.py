"""Layers and networks as small immutable values.

A network is an input plus a tuple of layers; the engine (``quizgen.nets.engine``) applies them in
order. Sizes follow the lecture: a feature map is H x W x D, a fully connected layer has F units.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Padding = int | Literal["same", "valid"] | tuple[int, int, int, int]
"""An explicit zero padding p on every side, TensorFlow/Keras ``same`` / ``valid``, or per side
(top, bottom, left, right): ``p=0x1`` (H x W) is (0, 0, 1, 1), ``p=1,2,1,2`` is (1, 2, 1, 2)."""


def side_pads(padding: int | tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """An explicit padding as (top, bottom, left, right)."""
    if isinstance(padding, tuple):
        return padding
    return padding, padding, padding, padding


@dataclass(frozen=True, slots=True)
class FeatureMaps:
    """A stack of D feature maps of H x W units."""

    h: int
    w: int
    d: int

    @property
    def size(self) -> int:
        return self.h * self.w * self.d

    def __str__(self) -> str:
        return f"{self.h}x{self.w}x{self.d}"


@dataclass(frozen=True, slots=True)
class Vector:
    """A flat vector of n units (after flatten or a fully connected layer)."""

    n: int

    @property
    def size(self) -> int:
        return self.n

    def __str__(self) -> str:
        return str(self.n)


Shape = FeatureMaps | Vector


@dataclass(frozen=True, slots=True)
class Input:
    """The input layer: H x W pixels with C channels (1 grey, 3 RGB). It has no weights."""

    h: int
    w: int
    c: int
    name: str = "In"


@dataclass(frozen=True, slots=True)
class Conv:
    """A convolutional layer of ``filters`` kernels of kh x kw, stride sh x sw.

    ``groups`` splits input and output maps into g groups (AlexNet's two GPUs); ``table`` is a
    partial connection table of C rows (input maps) by N columns (output maps), as LeNet-5's C3:
    each output map sees only the input maps marked True in its column.
    """

    filters: int
    kernel: tuple[int, int]
    stride: tuple[int, int] = (1, 1)
    padding: Padding = 0
    groups: int = 1
    bias: bool = True
    table: tuple[tuple[bool, ...], ...] | None = None
    table_name: str | None = None
    name: str = ""
    dilation: tuple[int, int] = (1, 1)


@dataclass(frozen=True, slots=True)
class Pool:
    """Max or average pooling over f x f windows with stride s.

    ``trainable`` is LeNet-5's subsampling: the average of each window times one trainable
    coefficient plus one trainable bias per map (2 parameters per map).
    """

    kind: Literal["max", "avg"]
    kernel: tuple[int, int]
    stride: tuple[int, int]
    padding: Padding = 0
    trainable: bool = False
    name: str = ""
    ceil: bool = False


@dataclass(frozen=True, slots=True)
class AdaptiveAvgPool:
    """Average pooling to a fixed output size (torchvision's AlexNet and VGG); no parameters."""

    out: tuple[int, int]
    name: str = ""


@dataclass(frozen=True, slots=True)
class Flatten:
    """Not a real layer: the O x O x N_c maps read as one vector of O^2 * N_c units."""

    name: str = ""


@dataclass(frozen=True, slots=True)
class Dense:
    """A fully connected layer of F units, each connected to every unit of the previous layer."""

    units: int
    bias: bool = True
    name: str = ""


@dataclass(frozen=True, slots=True)
class RBF:
    """LeNet-5's output layer: Euclidean radial basis units with fixed, hand-chosen centres.

    Its 84 x 10 centres are not trained, so they count as connections but not as parameters.
    """

    units: int
    name: str = ""


@dataclass(frozen=True, slots=True)
class Activation:
    """An element-wise function (relu, tanh, sigmoid) or softmax; no parameters."""

    fn: Literal["relu", "relu6", "tanh", "sigmoid", "softmax"]
    name: str = ""


@dataclass(frozen=True, slots=True)
class Dropout:
    """Dropout with drop probability ``rate``; no parameters."""

    rate: float = 0.5
    name: str = ""


@dataclass(frozen=True, slots=True)
class LRN:
    """Local response normalization across ``size`` adjacent maps (AlexNet); no parameters."""

    size: int = 5
    name: str = ""


@dataclass(frozen=True, slots=True)
class Deconv:
    """A transposed convolution of ``filters`` kernels: O = (W - 1)s - 2p + d(f - 1) + p_o + 1.

    ``padding`` is p on every side or per axis (top = bottom, left = right, as PyTorch's
    ``ConvTranspose2d``); ``output_padding`` adds p_o rows/columns after (below, right).
    """

    filters: int
    kernel: tuple[int, int]
    stride: tuple[int, int] = (1, 1)
    padding: int | tuple[int, int, int, int] = 0
    output_padding: tuple[int, int] = (0, 0)
    groups: int = 1
    bias: bool = True
    dilation: tuple[int, int] = (1, 1)
    name: str = ""


@dataclass(frozen=True, slots=True)
class BatchNorm:
    """Batch normalization over the maps (or units): 2 trainable values per map (gamma, beta) and 2 buffers
    (running mean and variance), which are not trained."""

    name: str = ""


@dataclass(frozen=True, slots=True)
class GlobalAvgPool:
    """The average of each map: H x W x D becomes 1 x 1 x D; no parameters."""

    name: str = ""


@dataclass(frozen=True, slots=True)
class Crop:
    """The centre H x W of each map (U-Net's copy and crop); no parameters."""

    size: tuple[int, int]
    name: str = ""


@dataclass(frozen=True, slots=True)
class Concat:
    """Parallel branches on the same input, their outputs concatenated along the maps (Inception,
    DenseNet, U-Net). An empty branch is the identity (the input itself)."""

    branches: tuple[tuple[Layer, ...], ...]
    name: str = ""


@dataclass(frozen=True, slots=True)
class Residual:
    """A residual block: ``body`` and ``shortcut`` on the same input, their outputs added element-wise.

    An empty shortcut is the identity (ResNet's basic block, MobileNet-v2); otherwise a projection
    (a 1x1 convolution, often strided, and batch norm).
    """

    body: tuple[Layer, ...]
    shortcut: tuple[Layer, ...] = ()
    name: str = ""


Layer = (Conv | Pool | AdaptiveAvgPool | Flatten | Dense | RBF | Activation | Dropout | LRN | Deconv | BatchNorm
         | GlobalAvgPool | Crop | Concat | Residual)
Block = Concat | Residual

LAYER_KINDS: dict[type, str] = {
    Conv: "conv",
    Pool: "pool",
    AdaptiveAvgPool: "adaptiveavgpool",
    Flatten: "flatten",
    Dense: "fc",
    RBF: "rbf",
    Activation: "activation",
    Dropout: "dropout",
    LRN: "lrn",
    Deconv: "deconv",
    BatchNorm: "bn",
    GlobalAvgPool: "globalavgpool",
    Crop: "crop",
    Concat: "concat",
    Residual: "res",
}


@dataclass(frozen=True, slots=True)
class Listed:
    """What a published table lists for a layer, so the engine can check the table's arithmetic.

    Under a key that starts with ``*`` (``*He et al. 2016, Table 1``), what a source says of the whole
    network: the input size it states, its "FLOPs" (a decimal string with the digits it prints, ``1.8e9``)
    and the size of its float32 weight file in "MB" (``44.7``).
    """

    size: tuple[int, int] | None = None
    parameters: int | None = None
    connections: int | None = None
    input: tuple[int, int] | None = None
    flops: str | None = None
    megabytes: str | None = None


@dataclass(frozen=True)
class Network:
    """An input and the layers applied to it, with where it comes from."""

    input: Input
    layers: tuple[Layer, ...]
    name: str = "network"
    title: str = ""
    source: str = ""
    listed: dict[str, Listed] = field(default_factory=dict, hash=False, compare=False)

    def __post_init__(self) -> None:
        assert isinstance(self.layers, tuple), "Network.layers must be a tuple"



def layer_label(layer: Layer, index: int) -> str:
    """The name a table shows for a layer: its own name, else kind and position (``conv#2``)."""
    return layer.name or f"{describe_kind(layer)}#{index}"


def branches(block: Block) -> tuple[tuple[Layer, ...], ...]:
    """A block's branches in order: a concat's, or a residual's body then its shortcut."""
    if isinstance(block, Concat):
        return block.branches
    return block.body, block.shortcut


def branch_prefix(block: Block, label: str, number: int) -> str:
    """The label prefix of the layers of a block's branch: ``inc3a.2.``, ``layer1.0.``, ``layer1.0.shortcut.``."""
    if isinstance(block, Concat):
        return f"{label}.{number}."
    return f"{label}." if number == 1 else f"{label}.shortcut."


def describe_kind(layer: Layer) -> str:
    """A short kind word for a layer: conv, maxpool, avgpool, subsampling, fc, relu, ..."""
    if isinstance(layer, Pool):
        return "subsampling" if layer.trainable else f"{layer.kind}pool"
    if isinstance(layer, Activation):
        return layer.fn
    return LAYER_KINDS[type(layer)]
