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

from quizgen.nets.engine import CountedLayer, count, counted_tree
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
    Pool,
    Residual,
    Shape,
)
from quizgen.problems.measures import Total, references, sizes_read
from quizgen.problems.model import Problem
from quizgen.text import numbers
from quizgen.text.richtext import latex_escape
from quizgen.text.templating import text

PER_ROW = 6  # boxes per row before the diagram wraps onto the next row
GAP = 2.3  # cm between boxes (room for the arrow's label)
WRAP_SKIP = 1.1  # cm between a row's labels and the next row's boxes (the wrapping arrow runs there)
SHEET_STEP = 0.08  # cm between the stacked sheets of a feature-map box
LABEL_DEPTH = 0.7  # cm the name and size under a box take
SIDE = 1.2  # cm the largest feature map's side grows beyond the smallest (0.4 cm)

_DECORATIONS = (Activation, Dropout, LRN, BatchNorm)
FORK = 0.3  # cm from a block's left edge to where its branches part
LANE_GAP = 0.35  # cm between a block's branches
LANE_ARROW = 1.9  # cm of the arrow before a shape inside a branch
MERGE = 0.25  # cm: the radius of a residual's adding node, half the height of a concat's node


@dataclass(frozen=True)
class _Node:
    label: str
    shape: Shape
    op: str  # the operation on the arrow that leads to this node ('' for the input)
    hide: frozenset[str]  # which of h, w, d, n to print as '?'
    layers: frozenset[int] = frozenset()  # the network's layers (1-based) this node draws
    lanes: tuple[tuple[_Node, ...] | str, ...] = ()  # a block's branches: their nodes, or what a branch does
    merge: str = ""  # "add" (residual) or "concat"


def _hidden(problem: Problem, labels: list[str], which: int = 0) -> dict[int | str, set[str]]:
    """Node index (0 = input; a layer inside a block: its label) -> dimensions the problem's parts ask for (drawn as
    '?') in network ``which``; ``labels`` are the top-level layers' labels."""
    hidden: dict[int | str, set[str]] = {}
    for part in problem.parts:
        for network, ref, quantity in sizes_read(part.measure):
            if network != which:
                continue
            if ref is None:
                for i in range(1, len(labels) + 1):
                    hidden.setdefault(i, set()).update("hwdn")
                for label in _every_label(problem, which):
                    hidden.setdefault(label, set()).update("hwdn")
                continue
            index: int | str
            if re.fullmatch(r"-\d+", ref):
                index = len(labels) + 1 + int(ref)
            elif ref in labels:
                index = labels.index(ref) + 1
            elif ref in _every_label(problem, which):
                index = ref
            else:
                continue
            # height and width give each other away on square maps, so both are hidden
            dims = {"out_h": "hw", "out_w": "hw", "out_d": "dn"}.get(quantity, "hwdn")
            hidden.setdefault(index, set()).update(dims)
    return hidden


def _every_label(problem: Problem, which: int) -> list[str]:
    """The labels of the layers inside the blocks of the problem's network ``which``."""
    network = (problem.network, *problem.extra_networks)[which]
    return [lc.label for lc in count(network).layers if lc.depth > 0] if network is not None else []


def _top_levels(tree: tuple[CountedLayer, ...]) -> dict[str, int]:
    """Every row's label -> the top-level layer (1-based) it belongs to (a block's layers: the block)."""
    found: dict[str, int] = {}

    def walk(node: CountedLayer, index: int) -> None:
        found.setdefault(node.row.label, index)
        for branch in node.branches:
            for inner in branch:
                walk(inner, index)

    for index, node in enumerate(tree, start=1):
        walk(node, index)
    return found


def _about(problem: Problem, labels: dict[str, int], top: int) -> set[int] | None:
    """The top-level layers (1-based) the problem's parts ask about; None when a part is about a whole network.

    ``labels``: every row's label -> its top-level layer; ``top``: how many top-level layers there are."""
    about: set[int] = set()
    for part in problem.parts:
        for ref in references(part.measure) if part.measure is not None else ():
            if isinstance(ref, Total):
                return None
            if ref.network != 0:
                return None  # a question about several networks draws each whole
            if re.fullmatch(r"-\d+", ref.layer):
                about.add(top + 1 + int(ref.layer))
            elif ref.layer in labels:
                about.add(labels[ref.layer])
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
    if isinstance(layer, (Conv, Deconv)):
        k = f"${layer.kernel[0]}{{\\times}}{layer.kernel[1]}$"
        extra = [f"$s{{=}}{_pair(layer.stride)}$"]
        if isinstance(layer.padding, tuple):
            extra.append(f"$p{{=}}{','.join(map(str, layer.padding))}$")
        elif _padding(layer.padding):
            extra.append(_padding(layer.padding))
        if isinstance(layer, Deconv) and layer.output_padding != (0, 0):
            extra.append(f"$p_o{{=}}{_pair(layer.output_padding)}$")
        if layer.groups > 1:
            extra.append(f"$g{{=}}{layer.groups}$")
        if layer.dilation != (1, 1):
            extra.append(f"$d{{=}}{_pair(layer.dilation)}$")
        if isinstance(layer, Deconv):
            word = text(lang, "exam_op_deconv")
        else:
            word = f"conv ({text(lang, 'diagram_table')})" if layer.table is not None else "conv"
        return f"{word}\\\\{k}, " + ", ".join(extra)
    if isinstance(layer, Pool):
        word = text(lang, "exam_op_subsampling") if layer.trainable else f"{layer.kind}pool"
        extra = [f"$s{{=}}{_pair(layer.stride)}$"] + ([_padding(layer.padding)] if _padding(layer.padding) else [])
        return f"{word}\\\\${layer.kernel[0]}{{\\times}}{layer.kernel[1]}$, " + ", ".join(extra)
    if isinstance(layer, AdaptiveAvgPool):
        return text(lang, "exam_op_adaptive") + f"\\\\${layer.out[0]}{{\\times}}{layer.out[1]}$"
    if isinstance(layer, GlobalAvgPool):
        return text(lang, "diagram_global_pool")
    if isinstance(layer, Crop):
        return text(lang, "diagram_crop") + f"\\\\${layer.size[0]}{{\\times}}{layer.size[1]}$"
    if isinstance(layer, Flatten):
        return text(lang, "diagram_flatten")
    if isinstance(layer, Dense):
        return text(lang, "diagram_full_connection")
    if isinstance(layer, RBF):
        return text(lang, "diagram_gaussian")
    return ""


def _decoration(layer: Layer) -> str:
    if isinstance(layer, Activation):
        return {"relu": "ReLU", "relu6": "ReLU6", "tanh": "tanh", "sigmoid": "sigmoid", "softmax": "softmax"}[layer.fn]
    if isinstance(layer, Dropout):
        return "dropout"
    if isinstance(layer, BatchNorm):
        return "BN"
    return "LRN"


def _nodes(network: Network, problem: Problem, which: int = 0) -> list[_Node]:
    tree = counted_tree(network)
    hidden = _hidden(problem, [node.row.label for node in tree], which)
    inp = network.input
    lang = problem.lang
    head = _Node(_name(inp.name or "In", lang), FeatureMaps(inp.h, inp.w, inp.c), "", frozenset(hidden.get(0, set())),
                 frozenset({0}))
    return _chain(tree, list(range(1, len(tree) + 1)), [head], set(hidden.get(0, set())), hidden, lang)


def _chain(tree: tuple[CountedLayer, ...], keys: list[int | str], nodes: list[_Node], carried: set[str],
           hidden: dict[int | str, set[str]], lang: str) -> list[_Node]:
    """The nodes of a chain of layers after ``nodes`` (the input's node, or none at the start of a branch)."""
    start = len(nodes)  # decorations fold into a node the chain drew, not into the input
    for position, (node, key) in enumerate(zip(tree, keys, strict=True), start=1):
        layer, lc = node.layer, node.row
        index = key if isinstance(key, int) else position
        own = set(hidden.get(key, set()))
        if isinstance(layer, _DECORATIONS) and len(nodes) > start:
            last = nodes[-1]
            nodes[-1] = _Node(last.label, last.shape, last.op + " + " + _decoration(layer),
                              last.hide | frozenset(own), last.layers | {index}, last.lanes, last.merge)
            carried |= own
            continue
        inherit = set()
        if isinstance(layer, (Conv, Pool, Deconv)):
            inherit |= carried & {"h", "w"}
        if isinstance(layer, (Pool, AdaptiveAvgPool, GlobalAvgPool, Crop)) and carried & {"d", "n"}:
            inherit |= {"d", "n"}
        if isinstance(layer, Flatten) and carried:
            inherit |= {"n"}
        lanes: tuple[tuple[_Node, ...] | str, ...] = ()
        if isinstance(layer, (Concat, Residual)):
            found = [tuple(_chain(branch, [n.row.label for n in branch], [], set(carried), hidden, lang))
                     for branch in node.branches]
            lanes = tuple(branch or text(lang, "diagram_identity") for branch in found)
            for branch in found:  # the merged output would give away what a branch hides
                inherit |= set(branch[-1].hide) if branch else carried
        hide = own | inherit
        op = _operation(layer, lang) if not isinstance(layer, _DECORATIONS) else _decoration(layer)
        flat = isinstance(layer, Flatten) and layer.name == "flatten"
        name = text(lang, "diagram_vector") if flat else _name(layer.name or "", lang)
        merge = "add" if isinstance(layer, Residual) else "concat" if isinstance(layer, Concat) else ""
        nodes.append(_Node(name, lc.output_shape, op, frozenset(hide), frozenset({index}), lanes, merge))
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
    label = f"\\textbf{{{latex_escape(node.label)}}}\\\\" if node.label else ""  # conv5_2 (VGG) prints as itself
    at = f"({x + geo.width / 2:.3f},{y - geo.side_h / 2 - 0.05:.3f})"
    lines.append(f"\\node[below, align=center] at {at} {{{label}{_size_label(node)}}};")
    return "\n".join(lines)


@dataclass(frozen=True)
class _Block:
    """A block's drawing size in cm: its branches one above the other between a fork and a merge, then its output."""

    node: _Node
    lanes: tuple[tuple[tuple[_Geometry | _Block, ...], float, float, float], ...]  # (inner sizes, width, up, down)
    out: _Geometry
    merge_half: float

    @property
    def stack(self) -> float:
        return sum(up + down for _, _, up, down in self.lanes) + LANE_GAP * (len(self.lanes) - 1)

    @property
    def merge_x(self) -> float:
        """From the block's left edge to the merge node's centre."""
        return FORK + max(width for _, width, _, _ in self.lanes) + 0.3 + self.merge_half

    @property
    def width(self) -> float:
        return self.merge_x + self.merge_half + OUT_ARROW + self.out.width

    @property
    def up(self) -> float:
        return max(self.stack / 2, self.out.up)

    @property
    def down(self) -> float:
        return max(self.stack / 2, self.out.down)


OUT_ARROW = 1.2  # cm of the arrow from a block's merge node to its output


def _size(node: _Node, biggest: int) -> _Geometry | _Block:
    """A node's drawing size: a shape's, or a block's with its branches."""
    if not node.lanes:
        return _geometry(node, biggest)
    lanes = []
    for lane in node.lanes:
        if isinstance(lane, str):
            lanes.append(((), 1.6, 0.3, 0.1))
            continue
        sizes = tuple(_size(inner, biggest) for inner in lane)
        labels = max(_label_height(inner.op) for inner in lane)
        lanes.append((sizes, sum(LANE_ARROW + g.width for g in sizes), max(max(g.up for g in sizes), labels),
                      max(g.down for g in sizes)))
    half = MERGE if node.merge == "add" else 0.55
    return _Block(node, tuple(lanes), _geometry(node, biggest), half)


def _label_height(op: str) -> float:
    """About how high (cm) an arrow's label inside a branch stands: its lines, long ones wrapped."""
    lines = sum(math.ceil(len(re.sub(r"\\[a-z]+|[${}]", "", line)) / 16) or 1 for line in op.split("\\\\"))
    return 0.15 + 0.32 * lines


def _block(block: _Block, x: float, y: float) -> str:
    """TikZ for a block whose left edge is at x and whose centre line is at y."""
    node = block.node
    top = y + block.stack / 2
    ys = []
    for _, _, up, down in block.lanes:
        ys.append(top - up)
        top -= up + down + LANE_GAP
    fork, merge = x + FORK, x + block.merge_x
    out = [f"\\draw ({x:.3f},{y:.3f}) -- ({fork:.3f},{y:.3f});",
           f"\\draw ({fork:.3f},{ys[0]:.3f}) -- ({fork:.3f},{ys[-1]:.3f});",
           f"\\draw ({merge:.3f},{ys[0]:.3f}) -- ({merge:.3f},{ys[-1]:.3f});"]
    for lane, (sizes, _, _, _), lane_y in zip(node.lanes, block.lanes, ys, strict=True):
        if isinstance(lane, str):
            out.append(f"\\draw ({fork:.3f},{lane_y:.3f}) -- node[above] {{\\emph{{{lane}}}}} "
                       f"({merge:.3f},{lane_y:.3f});")
            continue
        here = fork
        for inner, size in zip(lane, sizes, strict=True):
            label = f"node[above, align=center, text width={LANE_ARROW - 0.2:.2f}cm] {{{inner.op}}}"
            out.append(f"\\draw[->] ({here:.3f},{lane_y:.3f}) -- {label if not inner.lanes else ''} "
                       f"({here + LANE_ARROW:.3f},{lane_y:.3f});")
            out.append(_draw_node(inner, size, here + LANE_ARROW, lane_y))
            here += LANE_ARROW + size.width
        out.append(f"\\draw ({here:.3f},{lane_y:.3f}) -- ({merge:.3f},{lane_y:.3f});")
    if node.merge == "add":
        out.append(f"\\draw[fill=white] ({merge:.3f},{y:.3f}) circle ({MERGE:.2f}) node {{$+$}};")
    else:
        out.append(f"\\node[draw, fill=white, rounded corners=1pt, inner sep=1pt, minimum width="
                   f"{2 * block.merge_half:.2f}cm] at ({merge:.3f},{y:.3f}) {{concat}};")
    start = merge + block.merge_half
    label = f"node[above, align=center, text width={OUT_ARROW - 0.1:.2f}cm] {{{node.op}}}" if node.op else ""
    out.append(f"\\draw[->] ({start:.3f},{y:.3f}) -- {label} ({start + OUT_ARROW:.3f},{y:.3f});")
    out.append(_box(node, block.out, start + OUT_ARROW, y))
    return "\n".join(out)


def _draw_node(node: _Node, size: _Geometry | _Block, x: float, y: float) -> str:
    return _block(size, x, y) if isinstance(size, _Block) else _box(node, size, x, y)


def _biggest(nodes: list[_Node] | tuple[_Node, ...]) -> list[int]:
    """The sides of every feature map drawn, inside blocks too."""
    sides = []
    for node in nodes:
        if isinstance(node.shape, FeatureMaps):
            sides.append(max(node.shape.h, node.shape.w))
        for lane in node.lanes:
            if not isinstance(lane, str):
                sides += _biggest(lane)
    return sides


def _arrow_label(op: str) -> str:
    return f"node[above, align=center, text width={GAP - 0.25:.2f}cm] {{{op}}}"


def _rows(geos: list[_Geometry | _Block]) -> list[list[int]]:
    """The nodes of each row: ``PER_ROW`` shapes, a block taking the room of as many shapes as its width does."""
    rows: list[list[int]] = [[]]
    used = 0
    for i, geo in enumerate(geos):
        room = max(1, round((geo.width + GAP) / BOX_ROOM)) if isinstance(geo, _Block) else 1
        if rows[-1] and used + room > PER_ROW:
            rows.append([])
            used = 0
        rows[-1].append(i)
        used += room
    return rows


BOX_ROOM = 3.5  # cm a shape and its arrow take, about


def network_tikz(network: Network, problem: Problem, which: int = 0) -> str:
    """A ``tikzpicture`` of the layers the problem is about, wrapped into rows (the template fits it).

    ``which`` is the network's index in the problem (0: ``problem.network``, then its extra networks).
    """
    every = _nodes(network, problem, which)
    tree = counted_tree(network)
    shown = _shown(every, _about(problem, _top_levels(tree), len(tree)))
    nodes = [every[i] for i in shown]
    # an arrow that stands for left-out layers is dashed and says so
    skipped = [False] + [shown[k] - shown[k - 1] > 1 for k in range(1, len(shown))]
    biggest = max(_biggest(nodes))
    geos = [_size(n, biggest) for n in nodes]
    rows = _rows(geos)
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
            out.append(_draw_node(nodes[i], geos[i], x, y))
            x += geos[i].width + GAP
    for i in range(1, len(nodes)):
        (x0, y0), (x1, y1) = places[i - 1], places[i]
        op = "" if nodes[i].lanes else nodes[i].op  # a block's own words go on the arrow out of its merge
        style, op = ("[->, dashed]", "\\dots\\\\" + op) if skipped[i] else ("[->]", op)
        if y1 == y0:
            out.append(f"\\draw{style} ({x0 + geos[i - 1].width:.3f},{y0:.3f}) -- {_arrow_label(op)} "
                       f"({x1:.3f},{y1:.3f});")
            continue
        # wrap: out of the row's last box to the right, down below the row's labels, back left, into the next
        turn_x = x0 + geos[i - 1].width + 0.4
        mid_y = y1 + geos[i].up + 0.45
        if isinstance(geos[i], _Block):  # into a block from its left, where its branches part
            out.append(f"\\draw{style} ({x0 + geos[i - 1].width:.3f},{y0:.3f}) -- ({turn_x:.3f},{y0:.3f}) "
                       f"-- ({turn_x:.3f},{mid_y:.3f}) -- ({x1 - 0.4:.3f},{mid_y:.3f}) -- ({x1 - 0.4:.3f},{y1:.3f}) "
                       f"-- ({x1:.3f},{y1:.3f});")
            continue
        first_x = x1 + geos[i].width / 2
        out.append(f"\\draw{style} ({x0 + geos[i - 1].width:.3f},{y0:.3f}) -- ({turn_x:.3f},{y0:.3f}) "
                   f"-- ({turn_x:.3f},{mid_y:.3f}) -- {_arrow_label(op)} ({first_x:.3f},{mid_y:.3f}) "
                   f"-- ({first_x:.3f},{y1 + geos[i].up:.3f});")
    out.append("\\end{tikzpicture}")
    return "\n".join(out)
