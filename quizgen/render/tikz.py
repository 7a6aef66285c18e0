"""Network diagrams in TikZ, in the spirit of the lecture's LeNet-5 figure.

Feature maps are drawn as stacks of sheets labelled H×W×D, vectors as thin bars labelled with their
length, and each arrow carries the layer's name and operation. Shapes come from the engine; any
shape a part of the problem asks for (``out_h@C1``, ``activations@S2``, ``net.activations``, ...)
is drawn with ``?`` so the diagram never gives an answer away. Black and white only.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from quizgen.nets.engine import count
from quizgen.nets.layers import (
    LRN,
    RBF,
    Activation,
    AdaptiveAvgPool,
    Conv,
    Dense,
    Dropout,
    FeatureMaps,
    Flatten,
    Layer,
    Network,
    Pool,
    Shape,
)
from quizgen.problems.model import Problem

PER_ROW = 6  # boxes per row before the diagram wraps onto the next row
GAP = 2.3  # cm between boxes (room for the arrow's label)
ROW_SKIP = 4.2  # cm between rows

_ASKED = re.compile(r"(?:(\d+):)?(out_h|out_w|out_d|activations|flatten)@([^,()\s]+)")
_DECORATIONS = (Activation, Dropout, LRN)


@dataclass(frozen=True)
class _Node:
    label: str
    shape: Shape
    op: str  # the operation on the arrow that leads to this node ('' for the input)
    hide: frozenset[str]  # which of h, w, d, n to print as '?'


def _hidden(problem: Problem, labels: list[str]) -> dict[int, set[str]]:
    """Node index (0 = input) -> dimensions the problem's parts ask for (drawn as '?')."""
    hidden: dict[int, set[str]] = {}
    for part in problem.parts:
        if re.search(r"(?:^|[(,\s])(?:0:)?net\.activations", part.measure):
            for i in range(1, len(labels) + 1):
                hidden.setdefault(i, set()).update("hwdn")
        for m in _ASKED.finditer(part.measure):
            if (m.group(1) or "0") != "0":
                continue
            ref = m.group(3)
            if re.fullmatch(r"-\d+", ref):
                index = len(labels) + 1 + int(ref)
            elif ref in labels:
                index = labels.index(ref) + 1
            else:
                continue
            # height and width give each other away on square maps, so both are hidden
            dims = {"out_h": "hw", "out_w": "hw", "out_d": "dn"}.get(m.group(2), "hwdn")
            hidden.setdefault(index, set()).update(dims)
    return hidden


def _pair(p: tuple[int, int]) -> str:
    return f"{p[0]}" if p[0] == p[1] else f"{p[0]}{{\\times}}{p[1]}"


def _padding(padding: object) -> str:
    if isinstance(padding, str):
        return padding.upper()
    return f"$p{{=}}{padding}$" if padding else ""


def _operation(layer: Layer) -> str:
    """What the arrow into this layer's output says: ``conv $5{\\times}5$, $s{=}1$``."""
    if isinstance(layer, Conv):
        k = f"${layer.kernel[0]}{{\\times}}{layer.kernel[1]}$"
        extra = [f"$s{{=}}{_pair(layer.stride)}$"]
        if _padding(layer.padding):
            extra.append(_padding(layer.padding))
        if layer.groups > 1:
            extra.append(f"$g{{=}}{layer.groups}$")
        word = "conv (table)" if layer.table is not None else "conv"
        return f"{word} {k}\\\\" + ", ".join(extra)
    if isinstance(layer, Pool):
        word = "subsampling" if layer.trainable else f"{layer.kind}pool"
        extra = [f"$s{{=}}{_pair(layer.stride)}$"] + ([_padding(layer.padding)] if _padding(layer.padding) else [])
        return f"{word} ${layer.kernel[0]}{{\\times}}{layer.kernel[1]}$\\\\" + ", ".join(extra)
    if isinstance(layer, AdaptiveAvgPool):
        return f"adaptive avgpool\\\\${layer.out[0]}{{\\times}}{layer.out[1]}$"
    if isinstance(layer, Flatten):
        return "flatten"
    if isinstance(layer, Dense):
        return "full connection"
    if isinstance(layer, RBF):
        return "Gaussian connections"
    return ""


def _decoration(layer: Layer) -> str:
    if isinstance(layer, Activation):
        return {"relu": "ReLU", "tanh": "tanh", "sigmoid": "sigmoid", "softmax": "softmax"}[layer.fn]
    if isinstance(layer, Dropout):
        return "dropout"
    return "LRN"


def _nodes(network: Network, problem: Problem) -> list[_Node]:
    counted = count(network)
    labels = [lc.label for lc in counted.layers]
    hidden = _hidden(problem, labels)
    inp = network.input
    nodes = [_Node(inp.name or "In", FeatureMaps(inp.h, inp.w, inp.c), "", frozenset(hidden.get(0, set())))]
    for index, (layer, lc) in enumerate(zip(network.layers, counted.layers, strict=True), start=1):
        if isinstance(layer, _DECORATIONS) and len(nodes) > 1:
            last = nodes[-1]
            nodes[-1] = _Node(last.label, last.shape, last.op + " + " + _decoration(layer),
                              last.hide | frozenset(hidden.get(index, set())))
            continue
        op = _operation(layer) if not isinstance(layer, _DECORATIONS) else _decoration(layer)
        name = layer.name if layer.name else ""
        nodes.append(_Node(name, lc.output_shape, op, frozenset(hidden.get(index, set()))))
    return nodes


def _dim(value: int, key: str, hide: frozenset[str]) -> str:
    return "?" if key in hide else (f"{value:,}".replace(",", "\\,"))


def _size_label(node: _Node) -> str:
    s = node.shape
    if isinstance(s, FeatureMaps):
        dims = [_dim(s.h, "h", node.hide), _dim(s.w, "w", node.hide), _dim(s.d, "d", node.hide)]
        return "$" + "{\\times}".join(dims) + "$"
    return f"${_dim(s.n, 'n', node.hide)}$"


def _box(node: _Node, x: float, y: float, name: str, biggest: int) -> tuple[str, float]:
    """TikZ for one node at (x, y) (its left edge, vertical centre) and the node's width in cm."""
    s = node.shape
    if isinstance(s, FeatureMaps):
        side_h = 0.45 + 1.5 * math.log2(s.h + 1) / math.log2(biggest + 1)
        side_w = 0.45 + 1.5 * math.log2(s.w + 1) / math.log2(biggest + 1)
        style = ""
        if node.hide & {"h", "w"}:
            side_h = side_w = 1.2  # an asked size must not show through the drawing's proportions
            style = "dashed, "
        sheets = max(1, min(5, math.ceil(math.log2(s.d + 1))))
        step = 0.09
        lines = []
        for k in range(sheets - 1, -1, -1):
            x0 = x + k * step
            y0 = y - side_h / 2 + k * step
            fill = "black!12" if k == 0 else "white"
            lines.append(f"\\draw[{style}fill={fill}] ({x0:.3f},{y0:.3f}) rectangle ++({side_w:.3f},{side_h:.3f});")
        width = side_w + (sheets - 1) * step
        top = y + side_h / 2 + (sheets - 1) * step
        bottom = y - side_h / 2
    else:
        height = 0.6 + 1.6 * math.log2(s.n + 1) / math.log2(max(biggest, s.n) + 1)
        width = 0.28
        lines = [f"\\draw[fill=black!12] ({x:.3f},{y - height / 2:.3f}) rectangle ++({width:.3f},{height:.3f});"]
        top, bottom = y + height / 2, y - height / 2
    lines.append(f"\\coordinate ({name}-w) at ({x:.3f},{y:.3f});")
    lines.append(f"\\coordinate ({name}-e) at ({x + width:.3f},{y:.3f});")
    lines.append(f"\\coordinate ({name}-s) at ({x + width / 2:.3f},{bottom - 0.55:.3f});")
    lines.append(f"\\coordinate ({name}-n) at ({x + width / 2:.3f},{top:.3f});")
    label = f"\\textbf{{{node.label}}}\\\\" if node.label else ""
    at = f"({x + width / 2:.3f},{bottom - 0.05:.3f})"
    lines.append(f"\\node[below, align=center] at {at} {{{label}{_size_label(node)}}};")
    return "\n".join(lines), width


def network_tikz(network: Network, problem: Problem) -> str:
    """A ``tikzpicture`` of the network (fit to the text width by the template's adjustbox)."""
    nodes = _nodes(network, problem)
    biggest = max(max(n.shape.h, n.shape.w) for n in nodes if isinstance(n.shape, FeatureMaps))
    out = ["\\begin{tikzpicture}[font=\\scriptsize, >=latex, line width=0.5pt]"]
    x = 0.0
    for i, node in enumerate(nodes):
        row, col = divmod(i, PER_ROW)
        if col == 0:
            x = 0.0
        y = -row * ROW_SKIP
        code, width = _box(node, x, y, f"n{i}", biggest)
        out.append(code)
        if i > 0:
            op = node.op.replace("\\\\", "\\\\")
            if col == 0:
                # the arrow wraps from the end of the previous row to the start of this one
                out.append(f"\\draw[->] (n{i - 1}-s) -- ++(0,-0.5) -| node[pos=0.25, above, align=center] "
                           f"{{{op}}} (n{i}-n);")
            else:
                out.append(f"\\draw[->] (n{i - 1}-e) -- node[above, align=center] {{{op}}} (n{i}-w);")
        x += width + GAP
    out.append("\\end{tikzpicture}")
    return "\n".join(out)
