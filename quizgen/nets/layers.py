"""Layers and networks as small immutable values.

A network is an input plus a tuple of layers; the engine (``quizgen.nets.engine``) applies them in
order. Sizes follow the lecture: a feature map is H x W x D, a fully connected layer has F units.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from quizgen.frozen import quick_init

Padding = int | Literal["same", "valid"]
"""An explicit zero padding p on every side, or TensorFlow/Keras ``same`` / ``valid``."""


@quick_init
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


@quick_init
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


@quick_init
@dataclass(frozen=True, slots=True)
class Input:
    """The input layer: H x W pixels with C channels (1 grey, 3 RGB). It has no weights."""

    h: int
    w: int
    c: int
    name: str = "In"


@quick_init
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


@quick_init
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


@quick_init
@dataclass(frozen=True, slots=True)
class AdaptiveAvgPool:
    """Average pooling to a fixed output size (torchvision's AlexNet and VGG); no parameters."""

    out: tuple[int, int]
    name: str = ""


@quick_init
@dataclass(frozen=True, slots=True)
class Flatten:
    """Not a real layer: the O x O x N_c maps read as one vector of O^2 * N_c units."""

    name: str = ""


@quick_init
@dataclass(frozen=True, slots=True)
class Dense:
    """A fully connected layer of F units, each connected to every unit of the previous layer."""

    units: int
    bias: bool = True
    name: str = ""


@quick_init
@dataclass(frozen=True, slots=True)
class RBF:
    """LeNet-5's output layer: Euclidean radial basis units with fixed, hand-chosen centres.

    Its 84 x 10 centres are not trained, so they count as connections but not as parameters.
    """

    units: int
    name: str = ""


@quick_init
@dataclass(frozen=True, slots=True)
class Activation:
    """An element-wise function (relu, tanh, sigmoid) or softmax; no parameters."""

    fn: Literal["relu", "tanh", "sigmoid", "softmax"]
    name: str = ""


@quick_init
@dataclass(frozen=True, slots=True)
class Dropout:
    """Dropout with drop probability ``rate``; no parameters."""

    rate: float = 0.5
    name: str = ""


@quick_init
@dataclass(frozen=True, slots=True)
class LRN:
    """Local response normalization across ``size`` adjacent maps (AlexNet); no parameters."""

    size: int = 5
    name: str = ""


Layer = Conv | Pool | AdaptiveAvgPool | Flatten | Dense | RBF | Activation | Dropout | LRN

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
}


@quick_init
@dataclass(frozen=True, slots=True)
class Listed:
    """What a published table lists for a layer, so the engine can check the table's arithmetic."""

    size: tuple[int, int] | None = None
    parameters: int | None = None
    connections: int | None = None


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

    def __hash__(self) -> int:
        # a network is a key of every count, check and kept build: its hash walks every layer, so it is kept
        # (outside the fields: equality, repr and replace ignore it, and pickling drops it, see __getstate__)
        try:
            return self.__dict__["_hash"]
        except KeyError:
            h = hash((self.input, self.layers, self.name, self.title, self.source))
            object.__setattr__(self, "_hash", h)
            return h

    def __getstate__(self) -> dict[str, Any]:
        # str hashes differ between processes: another process computes its own
        state = dict(self.__dict__)
        state.pop("_hash", None)
        return state


def layer_label(layer: Layer, index: int) -> str:
    """The name a table shows for a layer: its own name, else kind and position (``conv#2``)."""
    return layer.name or f"{describe_kind(layer)}#{index}"


def describe_kind(layer: Layer) -> str:
    """A short kind word for a layer: conv, maxpool, avgpool, subsampling, fc, relu, ..."""
    if isinstance(layer, Pool):
        return "subsampling" if layer.trainable else f"{layer.kind}pool"
    if isinstance(layer, Activation):
        return layer.fn
    return LAYER_KINDS[type(layer)]
