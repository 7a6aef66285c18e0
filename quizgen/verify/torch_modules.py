"""The ``torch.nn`` module of each quizgen layer (``layer_module``), and the modules torch lacks.

Imported only by ``quizgen.verify.torch_check`` after ``require_torch()``: it imports torch at top level.

- ``Pad``: TensorFlow/Keras SAME padding (asymmetric: the extra unit after), or an explicit
  padding torch's pooling cannot take, as an explicit ``F.pad``. Max pooling pads with -inf (as
  TensorFlow ignores the padded cells), everything else with zeros.
- ``EmptyConv2d`` / ``EmptyLinear``: ``nn.Conv2d`` / ``nn.Linear`` without the random
  initialisation (allocated on the device, values left as they are; ``build_module`` zero-fills).
- ``TableConv2d``: a partial connection table (LeNet-5's C3) as one small ``Conv2d`` per output map
  over the input maps its column selects. Its trainable parameter count is exactly the table's
  (f_h * f_w * K + N_c), with no masked entries to discount.
- ``Subsampling``: LeNet-5's trainable pooling: average of each window times one coefficient plus
  one bias per map (2 parameters per map).
- ``SameAvgPool2d``: average pooling with SAME padding that, as TensorFlow does, averages only the
  cells inside the input (the padding is not counted).
- ``RBFOutput``: LeNet-5's Euclidean RBF units: the centres are a buffer, not parameters.
- ``CentreCrop``: the centre H x W of each map (U-Net's copy and crop).
- ``ConcatBlock`` / ``ResidualBlock``: branches on one input, concatenated along the maps or added.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from quizgen.errors import InternalError
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
    Flatten,
    GlobalAvgPool,
    Layer,
    Pool,
    Residual,
    side_pads,
)


class Pad(nn.Module):
    """Zero (or -inf) padding given per side as (left, right, top, bottom), like ``F.pad``."""

    def __init__(self, left: int, right: int, top: int, bottom: int, value: float = 0.0) -> None:
        super().__init__()
        self.pad = (left, right, top, bottom)
        self.value = value

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.pad(x, self.pad, value=self.value)

    def extra_repr(self) -> str:
        return f"pad={self.pad}, value={self.value}"


class EmptyConv2d(nn.Conv2d):
    """``nn.Conv2d`` whose weights are allocated but not initialised (the check reads numel and shapes)."""

    def reset_parameters(self) -> None:
        """No random initialisation: VGG-16's 138M weights would take seconds to draw."""


class EmptyLinear(nn.Linear):
    """``nn.Linear`` whose weights are allocated but not initialised (the check reads numel and shapes)."""

    def reset_parameters(self) -> None:
        """No random initialisation, as for EmptyConv2d."""


class TableConv2d(nn.Module):
    """A convolution with a partial connection table: one small Conv2d per output map.

    ``table[i][j]`` says whether output map j sees input map i. Output map j is a ``Conv2d`` with
    in_channels = number of marked rows in column j and one output channel, so the module's
    ``sum(p.numel())`` is f_h * f_w * (marked cells) + N_c biases, the table's count (1,516 for C3).
    """

    def __init__(self, table: tuple[tuple[bool, ...], ...], kernel: tuple[int, int], stride: tuple[int, int],
                 padding: int, bias: bool, device: str = "cpu") -> None:
        super().__init__()
        self.maps = nn.ModuleList()
        self.selected: list[list[int]] = []
        for j in range(len(table[0])):
            selected = [i for i, row in enumerate(table) if row[j]]
            self.selected.append(selected)
            self.register_buffer(f"select{j}", torch.tensor(selected, device=device), persistent=False)
            self.maps.append(EmptyConv2d(len(selected), 1, kernel, stride, padding, bias=bias, device=device))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        outs = [conv(x.index_select(1, getattr(self, f"select{j}"))) for j, conv in enumerate(self.maps)]
        return torch.cat(outs, dim=1)


class Subsampling(nn.Module):
    """LeNet-5's S2/S4: average pooling, then per map one trainable coefficient and one trainable bias."""

    def __init__(self, maps: int, pool: nn.Module, device: str = "cpu") -> None:
        super().__init__()
        self.pool = pool
        self.weight = nn.Parameter(torch.ones(maps, device=device))
        self.bias = nn.Parameter(torch.zeros(maps, device=device))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pool(x) * self.weight.view(1, -1, 1, 1) + self.bias.view(1, -1, 1, 1)


class SameAvgPool2d(nn.Module):
    """Average pooling with TensorFlow's SAME padding: padded cells are not part of the average."""

    def __init__(self, kernel: tuple[int, int], stride: tuple[int, int], pad: tuple[int, int, int, int]) -> None:
        super().__init__()
        self.kernel, self.stride, self.pad = kernel, stride, pad

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        total = F.avg_pool2d(F.pad(x, self.pad), self.kernel, self.stride)
        ones = torch.ones((1, 1, *x.shape[2:]), dtype=x.dtype, device=x.device)
        inside = F.avg_pool2d(F.pad(ones, self.pad), self.kernel, self.stride)
        return total / inside

    def extra_repr(self) -> str:
        return f"kernel={self.kernel}, stride={self.stride}, pad={self.pad}"


class RBFOutput(nn.Module):
    """Euclidean RBF output units: y_j = sum_i (x_i - w_ij)^2 with fixed centres (a buffer, 0 parameters).

    LeNet-5's centres are hand-drawn 7x12 bitmaps of +1/-1; only their number matters to the check,
    so the buffer holds zeros of the right shape (units x inputs).
    """

    def __init__(self, inputs: int, units: int, device: str = "cpu") -> None:
        super().__init__()
        self.register_buffer("centres", torch.zeros(units, inputs, device=device))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return ((x.unsqueeze(1) - self.centres.unsqueeze(0)) ** 2).sum(dim=2)


class FlattenLinear(nn.Module):
    """A fully connected layer after feature maps: the lecture's implicit flatten, then Linear."""

    def __init__(self, inputs: int, units: int, bias: bool, device: str = "cpu") -> None:
        super().__init__()
        self.linear = EmptyLinear(inputs, units, bias=bias, device=device)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear(torch.flatten(x, 1))


class EmptyConvTranspose2d(nn.ConvTranspose2d):
    """``nn.ConvTranspose2d`` without the random initialisation, as EmptyConv2d."""

    def reset_parameters(self) -> None:
        """No random initialisation, as for EmptyConv2d."""


class CentreCrop(nn.Module):
    """The centre H x W of each map; the extra row or column of an odd margin is cut after (below, right)."""

    def __init__(self, size: tuple[int, int]) -> None:
        super().__init__()
        self.size = size

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        top, left = (x.shape[2] - self.size[0]) // 2, (x.shape[3] - self.size[1]) // 2
        return x[:, :, top:top + self.size[0], left:left + self.size[1]]


class ConcatBlock(nn.Module):
    """Branches on the same input, concatenated along the channels (an empty branch is the input itself)."""

    def __init__(self, branches: list[nn.Module]) -> None:
        super().__init__()
        self.branches = nn.ModuleList(branches)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([branch(x) for branch in self.branches], dim=1)


class ResidualBlock(nn.Module):
    """body(x) + shortcut(x); an empty shortcut is the identity. Shapes must match exactly (no broadcasting)."""

    def __init__(self, body: nn.Module, shortcut: nn.Module) -> None:
        super().__init__()
        self.body, self.shortcut = body, shortcut

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y, s = self.body(x), self.shortcut(x)
        if y.shape != s.shape:
            raise ValueError(f"body {tuple(y.shape)} and shortcut {tuple(s.shape)} differ")
        return y + s


class LabelledNetwork(nn.Sequential):
    """The network as a Sequential of one submodule per engine layer, in order; ``labels`` are the engine's."""

    def __init__(self, labels: list[str], modules: list[nn.Module]) -> None:
        super().__init__()
        self.labels = list(labels)
        used: set[str] = set()
        for label, module in zip(labels, modules, strict=True):
            name = label.replace(".", "_") or "layer"
            while name in used:  # torch needs unique attribute names; labels from a spec may repeat
                name += "_"
            used.add(name)
            self.add_module(name, module)


def same_pads(size: int, kernel: int, stride: int, dilation: int = 1) -> tuple[int, int]:
    """TensorFlow's SAME padding along one axis: (before, after), the extra unit after."""
    out = -(-size // stride)
    total = max((out - 1) * stride + dilation * (kernel - 1) + 1 - size, 0)
    return total // 2, total - total // 2


def _pads(layer: Conv | Pool, h: int, w: int) -> tuple[int, int, int, int]:
    """(left, right, top, bottom) for SAME; explicit padding per side; (0,0,0,0) for VALID."""
    dh, dw = layer.dilation if isinstance(layer, Conv) else (1, 1)
    if layer.padding == "same":
        top, bottom = same_pads(h, layer.kernel[0], layer.stride[0], dh)
        left, right = same_pads(w, layer.kernel[1], layer.stride[1], dw)
        return left, right, top, bottom
    if layer.padding == "valid":
        return 0, 0, 0, 0
    top, bottom, left, right = side_pads(layer.padding)  # type: ignore[arg-type]
    return left, right, top, bottom


def layer_module(layer: Layer, shape: tuple[int, ...], device: str) -> Any:
    """The torch module for one layer on ``device``, given torch's input shape (N, C, H, W) or (N, F)."""
    spatial = len(shape) == 4
    if isinstance(layer, (Conv, Pool, AdaptiveAvgPool, Flatten)) and not spatial:
        raise InternalError(f"{type(layer).__name__} on a flat input of shape {tuple(shape)}")
    if isinstance(layer, Conv):
        c, h, w = shape[1], shape[2], shape[3]
        left, right, top, bottom = _pads(layer, h, w)
        symmetric = left == right and top == bottom  # torch pads each axis the same on both sides
        padding = (top, left) if symmetric else (0, 0)
        if layer.table is not None:
            conv = TableConv2d(layer.table, layer.kernel, layer.stride, padding, layer.bias, device)  # type: ignore
        else:
            conv = EmptyConv2d(c, layer.filters, layer.kernel, layer.stride, padding, dilation=layer.dilation,
                               groups=layer.groups, bias=layer.bias, device=device)
        return conv if symmetric else nn.Sequential(Pad(left, right, top, bottom), conv)
    if isinstance(layer, Deconv):
        top, _, left, _ = side_pads(layer.padding)
        return EmptyConvTranspose2d(shape[1], layer.filters, layer.kernel, layer.stride, (top, left),
                                    layer.output_padding, groups=layer.groups, bias=layer.bias,
                                    dilation=layer.dilation, device=device)
    if isinstance(layer, BatchNorm):
        return (nn.BatchNorm2d if spatial else nn.BatchNorm1d)(shape[1], device=device)
    if isinstance(layer, GlobalAvgPool):
        return nn.AdaptiveAvgPool2d(1)
    if isinstance(layer, Crop):
        return CentreCrop(layer.size)
    if isinstance(layer, (Concat, Residual)):
        raise InternalError("a block is built branch by branch (block_module)")
    if isinstance(layer, Pool):
        return _pool_module(layer, shape, device)
    if isinstance(layer, AdaptiveAvgPool):
        return nn.AdaptiveAvgPool2d(layer.out)
    if isinstance(layer, Flatten):
        return nn.Flatten()
    if isinstance(layer, Dense):
        if spatial:
            return FlattenLinear(shape[1] * shape[2] * shape[3], layer.units, layer.bias, device)
        return EmptyLinear(shape[1], layer.units, bias=layer.bias, device=device)
    if isinstance(layer, RBF):
        if spatial:
            raise InternalError(f"RBF on feature maps of shape {tuple(shape)}")
        return RBFOutput(shape[1], layer.units, device)
    if isinstance(layer, Activation):
        return {"relu": nn.ReLU, "relu6": nn.ReLU6, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}.get(
            layer.fn, lambda: nn.Softmax(dim=1))()
    if isinstance(layer, Dropout):
        return nn.Dropout(layer.rate)
    if isinstance(layer, LRN):
        return nn.LocalResponseNorm(layer.size)
    raise InternalError(f"no torch module for {type(layer).__name__}")


def _pool_module(layer: Pool, shape: tuple[int, ...], device: str) -> Any:
    """Max/average pooling (or LeNet's subsampling) with the engine's padding rules."""
    d, h, w = shape[1], shape[2], shape[3]
    k, s = layer.kernel, layer.stride
    left, right, top, bottom = _pads(layer, h, w)
    symmetric = left == right and top == bottom
    # torch's pooling takes a padding of at most half the kernel; beyond that, or asymmetric, pad explicitly
    native = symmetric and 2 * top <= k[0] and 2 * left <= k[1]
    if layer.ceil:  # the engine allows ceil mode only with a padding torch's pooling takes
        if layer.kind == "max":
            return nn.MaxPool2d(k, s, (top, left), ceil_mode=True)
        return nn.AvgPool2d(k, s, (top, left), ceil_mode=True, count_include_pad=True)
    if layer.kind == "max":
        if native:
            pool: nn.Module = nn.MaxPool2d(k, s, (top, left))
        else:  # -inf: TensorFlow's max pooling never picks a padded cell
            pool = nn.Sequential(Pad(left, right, top, bottom, float("-inf")), nn.MaxPool2d(k, s))
    elif layer.padding == "same" and not (left == right == top == bottom == 0):
        pool = SameAvgPool2d(k, s, (left, right, top, bottom))
    elif native:
        pool = nn.AvgPool2d(k, s, (top, left), count_include_pad=True)
    else:
        pool = nn.Sequential(Pad(left, right, top, bottom), nn.AvgPool2d(k, s))
    return Subsampling(d, pool, device) if layer.trainable else pool
