"""Network diagrams in TikZ, in the spirit of the lecture's LeNet-5 figure.

Feature maps are drawn as stacks of sheets labelled H×W×D, vectors as thin bars labelled with their
length, and each arrow carries the layer's name and operation (in the sheet's language). Shapes come
from the engine; any shape a part of the problem asks for (``out_h@C1``, ``activations@S2``,
``net.activations``, ...) is drawn with ``?`` so the diagram never gives an answer away. Only the
layers a question is about are drawn, with the input and their neighbours (a dashed arrow stands for
the layers left out); a question about the whole network draws all of it. Black and white only.
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
from quizgen.problems.measures import Total, references, sizes_read
from quizgen.problems.model import Problem
from quizgen.text import numbers
from quizgen.text.templating import text

PER_ROW = 6  # boxes per row before the diagram wraps onto the next row
GAP = 2.3  # cm between boxes (room for the arrow's label)
WRAP_SKIP = 1.1  # cm between a row's labels and the next row's boxes (the wrapping arrow runs there)
SHEET_STEP = 0.08  # cm between the stacked sheets of a feature-map box
LABEL_DEPTH = 0.7  # cm the name and size under a box take
SIDE = 1.2  # cm the largest feature map's side grows beyond the smallest (0.4 cm)

_DECORATIONS = (Activation, Dropout, LRN)


@dataclass(frozen=True)
class _Node:
    label: str
    shape: Shape
    op: str  # the operation on the arrow that leads to this node ('' for the input)
    hide: frozenset[str]  # which of h, w, d, n to print as '?'
    layers: frozenset[int] = frozenset()  # the network's layers (1-based) this node draws


def _hidden(problem: Problem, labels: list[str], which: int = 0) -> dict[int, set[str]]:
    """Node index (0 = input) -> dimensions the problem's parts ask for (drawn as '?') in network ``which``."""
    hidden: dict[int, set[str]] = {}
    for part in problem.parts:
        for network, ref, quantity in sizes_read(part.measure):
            if network != which:
                continue
            if ref is None:
                for i in range(1, len(labels) + 1):
                    hidden.setdefault(i, set()).update("hwdn")
                continue
            if re.fullmatch(r"-\d+", ref):
                index = len(labels) + 1 + int(ref)
            elif ref in labels:
                index = labels.index(ref) + 1
            else:
                continue
            # height and width give each other away on square maps, so both are hidden
            dims = {"out_h": "hw", "out_w": "hw", "out_d": "dn"}.get(quantity, "hwdn")
            hidden.setdefault(index, set()).update(dims)
    return hidden


def _about(problem: Problem, labels: list[str]) -> set[int] | None:
    """The layers (1-based) the problem's parts ask about; None when a part is about a whole network."""
    about: set[int] = set()
    for part in problem.parts:
        for ref in references(part.measure) if part.measure is not None else ():
            if isinstance(ref, Total):
                return None
            if ref.network != 0:
                return None  # a question about several networks draws each whole
            if re.fullmatch(r"-\d+", ref.layer):
                about.add(len(labels) + 1 + int(ref.layer))
            elif ref.layer in labels:
                about.add(labels.index(ref.layer) + 1)
            else:
                return None
    return about or None


def _pair(p: tuple[int, int]) -> str:
    return f"{p[0]}" if p[0] == p[1] else f"{p[0]}{{\\times}}{p[1]}"


def _padding(padding: object) -> str:
    if isinstance(padding, str):
        return padding.upper()
    return f"$p{{=}}{padding}$" if padding else ""


def _operation(layer: Layer, lang: str) -> str:
    """What the arrow into this layer's output says: ``conv $5{\\times}5$, $s{=}1$``."""
    if isinstance(layer, Conv):
        k = f"${layer.kernel[0]}{{\\times}}{layer.kernel[1]}$"
        extra = [f"$s{{=}}{_pair(layer.stride)}$"]
        if _padding(layer.padding):
            extra.append(_padding(layer.padding))
        if layer.groups > 1:
            extra.append(f"$g{{=}}{layer.groups}$")
        word = f"conv ({text(lang, 'diagram_table')})" if layer.table is not None else "conv"
        return f"{word}\\\\{k}, " + ", ".join(extra)
    if isinstance(layer, Pool):
        word = text(lang, "exam_op_subsampling") if layer.trainable else f"{layer.kind}pool"
        extra = [f"$s{{=}}{_pair(layer.stride)}$"] + ([_padding(layer.padding)] if _padding(layer.padding) else [])
        return f"{word}\\\\${layer.kernel[0]}{{\\times}}{layer.kernel[1]}$, " + ", ".join(extra)
    if isinstance(layer, AdaptiveAvgPool):
        return text(lang, "exam_op_adaptive") + f"\\\\${layer.out[0]}{{\\times}}{layer.out[1]}$"
    if isinstance(layer, Flatten):
        return text(lang, "diagram_flatten")
    if isinstance(layer, Dense):
        return text(lang, "diagram_full_connection")
    if isinstance(layer, RBF):
        return text(lang, "diagram_gaussian")
    return ""


def _decoration(layer: Layer) -> str:
    if isinstance(layer, Activation):
        return {"relu": "ReLU", "tanh": "tanh", "sigmoid": "sigmoid", "softmax": "softmax"}[layer.fn]
    if isinstance(layer, Dropout):
        return "dropout"
    return "LRN"


def _nodes(network: Network, problem: Problem, which: int = 0) -> list[_Node]:
    counted = count(network)
    labels = [lc.label for lc in counted.layers]
    hidden = _hidden(problem, labels, which)
    inp = network.input
    lang = problem.lang
    nodes = [_Node(_name(inp.name or "In", lang), FeatureMaps(inp.h, inp.w, inp.c), "", frozenset(hidden.get(0, set())),
                   frozenset({0}))]
    carried: set[str] = set(hidden.get(0, set()))  # hidden sizes that later sizes would give away
    for index, (layer, lc) in enumerate(zip(network.layers, counted.layers, strict=True), start=1):
        own = set(hidden.get(index, set()))
        if isinstance(layer, _DECORATIONS) and len(nodes) > 1:
            last = nodes[-1]
            nodes[-1] = _Node(last.label, last.shape, last.op + " + " + _decoration(layer),
                              last.hide | frozenset(own), last.layers | {index})
            carried |= own
            continue
        inherit = set()
        if isinstance(layer, (Conv, Pool)):
            inherit |= carried & {"h", "w"}
        if isinstance(layer, (Pool, AdaptiveAvgPool)) and carried & {"d", "n"}:
            inherit |= {"d", "n"}
        if isinstance(layer, Flatten) and carried:
            inherit |= {"n"}
        hide = own | inherit
        op = _operation(layer, lang) if not isinstance(layer, _DECORATIONS) else _decoration(layer)
        flat = isinstance(layer, Flatten) and layer.name == "flatten"
        name = text(lang, "diagram_vector") if flat else _name(layer.name or "", lang)
        nodes.append(_Node(name, lc.output_shape, op, frozenset(hide), frozenset({index})))
        carried = hide if isinstance(lc.output_shape, FeatureMaps) else set()
    return nodes


def _name(name: str, lang: str) -> str:
    """A node's name as printed: the generic name some families give their input (maps) in the sheet's language."""
    return text(lang, "exam_node_maps") if name == "maps" else name


def _shown(nodes: list[_Node], about: set[int] | None) -> list[int]:
    """Which nodes (0 = the input) the diagram draws: the input, the asked layers and their neighbours."""
    if about is None:
        return list(range(len(nodes)))
    keep = {0}
    for i, node in enumerate(nodes):
        if node.layers & about:
            keep |= {max(0, i - 1), i, min(len(nodes) - 1, i + 1)}
    return sorted(keep)


def _dim(value: int, key: str, hide: frozenset[str]) -> str:
    return "?" if key in hide else numbers.latex(value)


def _size_label(node: _Node) -> str:
    s = node.shape
    if isinstance(s, FeatureMaps):
        dims = [_dim(s.h, "h", node.hide), _dim(s.w, "w", node.hide), _dim(s.d, "d", node.hide)]
        return "$" + "{\\times}".join(dims) + "$"
    return f"${_dim(s.n, 'n', node.hide)}$"


@dataclass(frozen=True)
class _Geometry:
    """A node's drawing size in cm: sheet sides, sheet count, and extents around its centre line."""

    side_w: float
    side_h: float
    sheets: int
    dashed: bool

    @property
    def width(self) -> float:
        return self.side_w + (self.sheets - 1) * SHEET_STEP

    @property
    def up(self) -> float:
        return self.side_h / 2 + (self.sheets - 1) * SHEET_STEP

    @property
    def down(self) -> float:
        return self.side_h / 2 + LABEL_DEPTH


def _geometry(node: _Node, biggest: int) -> _Geometry:
    s = node.shape
    if isinstance(s, FeatureMaps):
        if node.hide & {"h", "w"}:
            # an asked size must not show through the drawing's proportions
            return _Geometry(1.0, 1.0, max(1, min(5, math.ceil(math.log2(s.d + 1)))), True)
        scale = math.log2(biggest + 1)
        return _Geometry(0.4 + SIDE * math.log2(s.w + 1) / scale, 0.4 + SIDE * math.log2(s.h + 1) / scale,
                         max(1, min(5, math.ceil(math.log2(s.d + 1)))), False)
    height = 0.5 + SIDE * math.log2(s.n + 1) / math.log2(max(biggest, s.n) + 1)
    return _Geometry(0.28, height, 1, "n" in node.hide)


def _box(node: _Node, geo: _Geometry, x: float, y: float) -> str:
    """TikZ for one node whose left edge is at x and whose centre line is at y."""
    lines = []
    style = "dashed, " if geo.dashed else ""
    for k in range(geo.sheets - 1, -1, -1):
        x0, y0 = x + k * SHEET_STEP, y - geo.side_h / 2 + k * SHEET_STEP
        fill = "black!12" if k == 0 else "white"
        lines.append(f"\\draw[{style}fill={fill}] ({x0:.3f},{y0:.3f}) rectangle ++({geo.side_w:.3f},{geo.side_h:.3f});")
    label = f"\\textbf{{{node.label}}}\\\\" if node.label else ""
    at = f"({x + geo.width / 2:.3f},{y - geo.side_h / 2 - 0.05:.3f})"
    lines.append(f"\\node[below, align=center] at {at} {{{label}{_size_label(node)}}};")
    return "\n".join(lines)


def _arrow_label(op: str) -> str:
    return f"node[above, align=center, text width={GAP - 0.25:.2f}cm] {{{op}}}"


def network_tikz(network: Network, problem: Problem, which: int = 0) -> str:
    """A ``tikzpicture`` of the layers the problem is about, wrapped into rows (the template fits it).

    ``which`` is the network's index in the problem (0: ``problem.network``, then its extra networks).
    """
    every = _nodes(network, problem, which)
    shown = _shown(every, _about(problem, [lc.label for lc in count(network).layers]))
    nodes = [every[i] for i in shown]
    # an arrow that stands for left-out layers is dashed and says so
    skipped = [False] + [shown[k] - shown[k - 1] > 1 for k in range(1, len(shown))]
    biggest = max(max(n.shape.h, n.shape.w) for n in nodes if isinstance(n.shape, FeatureMaps))
    geos = [_geometry(n, biggest) for n in nodes]
    rows = [list(range(i, min(i + PER_ROW, len(nodes)))) for i in range(0, len(nodes), PER_ROW)]
    out = ["\\begin{tikzpicture}[font=\\scriptsize, >=latex, line width=0.5pt]"]
    y = 0.0
    places: dict[int, tuple[float, float]] = {}
    for r, row in enumerate(rows):
        if r > 0:
            # room below the previous row for its labels, the wrapping arrow and its label
            y -= max(geos[i].down for i in rows[r - 1]) + WRAP_SKIP + max(geos[i].up for i in row)
        x = 0.0
        for i in row:
            places[i] = (x, y)
            out.append(_box(nodes[i], geos[i], x, y))
            x += geos[i].width + GAP
    for i in range(1, len(nodes)):
        (x0, y0), (x1, y1) = places[i - 1], places[i]
        style, op = ("[->, dashed]", "\\dots\\\\" + nodes[i].op) if skipped[i] else ("[->]", nodes[i].op)
        if y1 == y0:
            out.append(f"\\draw{style} ({x0 + geos[i - 1].width:.3f},{y0:.3f}) -- {_arrow_label(op)} "
                       f"({x1:.3f},{y1:.3f});")
            continue
        # wrap: out of the row's last box to the right, down below the row's labels, back left, into the next
        turn_x = x0 + geos[i - 1].width + 0.4
        mid_y = y1 + geos[i].up + 0.45
        first_x = x1 + geos[i].width / 2
        out.append(f"\\draw{style} ({x0 + geos[i - 1].width:.3f},{y0:.3f}) -- ({turn_x:.3f},{y0:.3f}) "
                   f"-- ({turn_x:.3f},{mid_y:.3f}) -- {_arrow_label(op)} ({first_x:.3f},{mid_y:.3f}) "
                   f"-- ({first_x:.3f},{y1 + geos[i].up:.3f});")
    out.append("\\end{tikzpicture}")
    return "\n".join(out)
