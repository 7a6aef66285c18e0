"""``torch.nn`` modules for the layers torch does not have as such, built faithfully to the engine.

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
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


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
