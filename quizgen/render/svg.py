"""A network as an SVG diagram, in the spirit of the lecture's LeNet-5 figure.

Feature maps are pseudo-3D boxes (front face H x W, depth receding) labelled ``H×W×D``; vectors are
thin bars labelled with their length; arrows carry the operation (``conv 5×5``, ``maxpool 2×2``,
``fc``). Layers without parameters that keep the shape (relu, dropout, LRN, softmax) are folded
into the label of the arrow before them. Sizes are log-scaled so 32×32 and 224×224 both fit, and
long networks wrap into rows. The output is a standalone, deterministic SVG document: no external
fonts or references, explicit width/height/viewBox, outlines in black so it reads in print.

Given the problem it illustrates, every size a part asks for (``out_h@C1``, ``activations@S2``,
``net.activations``, ...) is drawn as ``?`` and with neutral proportions, so the diagram never gives
an answer away; so are the sizes that would let the student read it back from a neighbour.
"""

from __future__ import annotations

import bisect
import copy
import itertools
import math
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from lxml import etree

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
    layer_label,
)
from quizgen.problems.measures import Measure, sizes_read
from quizgen.problems.model import Problem
from quizgen.text import numbers

SVG_NS = "http://www.w3.org/2000/svg"
FONT = "Helvetica, Arial, 'DejaVu Sans', sans-serif"
MAX_WIDTH = 900  # default content width before a row wraps (px)
MARGIN = 14
CHAR = 0.58  # average glyph width / font size for a sans-serif face (estimates label widths)
LABEL_SIZE = 12
OP_SIZE = 11
SHAPE_GAP = 8  # room around a shape inside its cell

# front, top, side fills per kind of stage: light tints that turn into distinct greys in print
FILLS = {
    "input": ("#eeeeee", "#d6d6d6", "#c2c2c2"),
    "conv": ("#d3e3f6", "#b3cbe9", "#94b2d8"),
    "pool": ("#d9eed3", "#bcdcb2", "#9dc792"),
    "vector": ("#f7dfc4", "#ecc79c", "#dcae7a"),
}
_FOLDED = (Activation, Dropout, LRN, BatchNorm)
# neutral drawing sizes for hidden dimensions: an asked size must not show through the proportions
_NEUTRAL_SIDE, _NEUTRAL_DEPTH, _NEUTRAL_BAR = 44.0, 18.0, 60.0


@dataclass(frozen=True)
class Stage:
    """One drawn shape and the arrow that leads to it (none for the input)."""

    shape: Shape
    kind: str
    name: str
    op: tuple[str, ...] = ()  # arrow label: operation, then its details
    folded: tuple[str, ...] = ()  # zero-parameter layers applied after it (relu, dropout, lrn)
    hide: frozenset[str] = frozenset()  # which of h, w, d (maps) or n (vector) are drawn as '?'
    lanes: tuple[Lane, ...] = ()  # a block's branches, drawn side by side before its merged output
    merge: str = ""  # how a block merges its branches: "add" (residual) or "concat"

    @property
    def lines(self) -> tuple[str, ...]:
        return (*self.op, "+ " + ", ".join(self.folded)) if self.folded else self.op


@dataclass(frozen=True)
class Lane:
    """One branch of a block: its stages, or (none drawn) the words for what it does: identity, folded layers."""

    stages: tuple[Stage, ...]
    words: str = ""


@dataclass(frozen=True)
class Box:
    """Geometry of a drawn shape: front face w x h, receding offset (dx, dy)."""

    w: float
    h: float
    dx: float
    dy: float


def _fmt(value: float) -> str:
    """A coordinate to one decimal, without a trailing ``.0``."""
    text = "%.1f" % value  # noqa: UP031 - the same digits as before, "-0" for a tiny negative included
    return text[:-2] if text.endswith(".0") else text


def _log_size(n: int, low: float, per_octave: float, high: float) -> float:
    return max(low, min(high, low + per_octave * math.log2(max(n, 1))))


def box_of(shape: Shape, hide: frozenset[str] = frozenset()) -> Box:
    """Log-scaled geometry: 10 px for a 1x1 map up to 88 px for 182 and beyond; depth recedes."""
    if isinstance(shape, FeatureMaps):
        side = hide & {"h", "w"}
        w = _NEUTRAL_SIDE if side else _log_size(shape.w, 10, 10.5, 88)
        h = _NEUTRAL_SIDE if side else _log_size(shape.h, 10, 10.5, 88)
        depth = _NEUTRAL_DEPTH if "d" in hide else _log_size(shape.d, 3, 4.5, 40)
        return Box(w, h, depth * 0.8, depth * 0.55)
    return Box(8, _NEUTRAL_BAR if "n" in hide else _log_size(shape.n, 16, 8.5, 110), 4.5, 3)


def _size_label(shape: Shape, hide: frozenset[str] = frozenset()) -> str:
    def dim(value: int, key: str) -> str:
        return "?" if key in hide else numbers.plain(value)

    if isinstance(shape, FeatureMaps):
        return f"{dim(shape.h, 'h')}×{dim(shape.w, 'w')}×{dim(shape.d, 'd')}"
    return dim(shape.n, "n")


# the sizes a measure asks for, by the dimensions they hide: height and width give each other away on square maps
_HIDDEN_BY = {"out_h": "hw", "out_w": "hw", "out_d": "dn"}


def _asked_refs(measure: Measure | None) -> tuple[tuple[int, str | None, str], ...]:
    """What a part's measure asks for: (network index, layer reference or None for every layer, dimensions
    hidden)."""
    return tuple((network, ref, _HIDDEN_BY.get(quantity, "hwdn")) for network, ref, quantity in sizes_read(measure))


def asked_sizes(problem: Problem, network: Network, network_index: int = 0) -> dict[int | str, set[str]]:
    """Layer index (0 = the input) -> the dimensions of its output that the problem's parts ask for; a layer inside
    a block (``res.conv#1``) by its label."""
    asked: dict[int | str, set[str]] = {}
    layers = network.layers
    labels: dict[str, int] | None = None  # made when a part names a layer: most name none
    inner: list[str] | None = None  # the labels of the layers inside blocks, made when needed
    for part in problem.parts:
        for index_of_network, ref, hidden in _asked_refs(part.measure):
            if index_of_network != network_index:
                continue
            if ref is None:
                for i in range(1, len(layers) + 1):
                    asked.setdefault(i, set()).update(hidden)
                for label in _inner_labels(network) if any(isinstance(x, _BLOCKS) for x in layers) else ():
                    asked.setdefault(label, set()).update(hidden)
                continue
            if ref[:1] == "-" and ref[1:].isdecimal():  # counted from the end: -1 is the output
                index: int | str = len(layers) + 1 + int(ref)
            else:
                if labels is None:
                    labels = {}
                    for i, layer in enumerate(layers, start=1):
                        labels.setdefault(layer_label(layer, i), i)
                if ref in labels:
                    index = labels[ref]
                else:
                    if inner is None:
                        inner = _inner_labels(network) if any(isinstance(x, _BLOCKS) for x in layers) else []
                    if ref not in inner:
                        continue
                    index = ref
            asked.setdefault(index, set()).update(hidden)
    return asked


_BLOCKS = (Concat, Residual)


def _inner_labels(network: Network) -> list[str]:
    """The labels of the layers inside the network's blocks."""
    return [lc.label for lc in count(network).layers if lc.depth > 0]


def _pair(values: tuple[int, int]) -> str:
    return f"{values[0]}×{values[1]}"


def _padding(padding: int | str) -> str:
    if isinstance(padding, str):
        return padding
    return f"p={padding}" if padding else ""


def _op(layer: Layer, lang: str) -> tuple[str, tuple[str, ...]]:
    """The operation word of an arrow and its details (stride, padding, groups, table)."""
    from quizgen.text.templating import text

    details: list[str] = []
    if isinstance(layer, (Conv, Deconv)):
        if layer.stride != (1, 1):
            details.append(f"s={layer.stride[0]}" if layer.stride[0] == layer.stride[1] else f"s={_pair(layer.stride)}")
        details.append(_padding(layer.padding) if not isinstance(layer.padding, tuple) else
                       "p=" + ",".join(map(str, layer.padding)))
        if isinstance(layer, Deconv) and layer.output_padding != (0, 0):
            op = layer.output_padding
            details.append(f"op={op[0]}" if op[0] == op[1] else f"op={_pair(op)}")
        if layer.groups != 1:
            details.append(f"g={layer.groups}")
        if layer.dilation != (1, 1):
            details.append(f"d={layer.dilation[0]}" if layer.dilation[0] == layer.dilation[1]
                           else f"d={_pair(layer.dilation)}")
        if isinstance(layer, Conv) and layer.table is not None:
            details.append(text(lang, "svg_table"))
        if not layer.bias:
            details.append(text(lang, "svg_no_bias"))
        word = "deconv" if isinstance(layer, Deconv) else "conv"
        return f"{word} {_pair(layer.kernel)}", tuple(d for d in details if d)
    if isinstance(layer, Pool):
        word = "subsampling" if layer.trainable else f"{layer.kind}pool"
        if layer.stride != layer.kernel:
            details.append(f"s={layer.stride[0]}" if layer.stride[0] == layer.stride[1] else f"s={_pair(layer.stride)}")
        details.append(_padding(layer.padding))
        return f"{word} {_pair(layer.kernel)}", tuple(d for d in details if d)
    if isinstance(layer, AdaptiveAvgPool):
        return "adaptive avgpool", ()
    if isinstance(layer, GlobalAvgPool):
        return text(lang, "diagram_global_pool"), ()
    if isinstance(layer, Crop):
        return f"{text(lang, 'diagram_crop')} {_pair(layer.size)}", ()
    if isinstance(layer, Flatten):
        return text(lang, "diagram_flatten"), ()
    if isinstance(layer, Dense):
        return "fc", () if layer.bias else (text(lang, "svg_no_bias"),)
    if isinstance(layer, RBF):
        return "rbf", ()
    raise AssertionError(f"not a shape-changing layer: {layer!r}")


def _op_lines(layer: Layer, lang: str) -> tuple[str, ...]:
    """An arrow's label lines: the operation, then its details on one line."""
    word, details = _op(layer, lang)
    return (word, ", ".join(details)) if details else (word,)


def _folded(layer: Layer) -> str:
    if isinstance(layer, Activation):
        return layer.fn
    if isinstance(layer, Dropout):
        return f"dropout {layer.rate:g}"
    if isinstance(layer, BatchNorm):
        return "bn"
    assert isinstance(layer, LRN)
    return f"lrn {layer.size}"


def _kind(layer: Layer) -> str:
    if isinstance(layer, (Conv, Deconv, Concat, Residual)):
        return "conv"
    if isinstance(layer, (Pool, AdaptiveAvgPool, GlobalAvgPool, Crop)):
        return "pool"
    return "vector"


def _inherited(layer: Layer, carried: frozenset[str]) -> set[str]:
    """Hidden sizes of a layer's input that its output would give away."""
    inherit: set[str] = set()
    if isinstance(layer, (Conv, Pool, Deconv)):
        inherit |= carried & {"h", "w"}
    if isinstance(layer, (Pool, AdaptiveAvgPool, GlobalAvgPool, Crop)) and carried & {"d", "n"}:
        inherit |= {"d", "n"}
    if isinstance(layer, Flatten) and carried:
        inherit |= {"n"}
    return inherit


def stages(network: Network, lang: str = "en", asked: dict[int | str, set[str]] | None = None) -> list[Stage]:
    """The shapes to draw, in order, with each arrow's label lines (zero-parameter layers folded); a block is one
    stage, its output, whose ``lanes`` draw its branches.

    ``asked`` (from ``asked_sizes``) names the sizes drawn as '?'.
    """
    from quizgen.text.templating import text

    inp = network.input
    first = FeatureMaps(inp.h, inp.w, inp.c)
    asked = asked or {}
    carried = frozenset(asked.get(0, ()))
    name = inp.name
    if name in ("", "In"):
        name = text(lang, "svg_input")
    tree = counted_tree(network)
    keys: list[int | str] = list(range(1, len(tree) + 1))
    out, pending = _chain_stages(tree, keys, Stage(first, "input", name, (), (), carried), carried, lang, asked)
    if pending:  # only folded layers: draw them as one arrow that keeps the shape
        out.append(Stage(first, "input", "", (pending,), (), out[0].hide))
    return out


def _chain_stages(nodes: tuple[CountedLayer, ...], keys: list[int | str], head: Stage | None,
                  carried: frozenset[str], lang: str, asked: dict[int | str, set[str]]) -> tuple[list[Stage], str]:
    """The stages of a chain of layers after ``head`` (the input's stage, or None at the start of a branch), and the
    words of the folded layers met before any shape-changing layer, when the chain draws no shape."""
    from quizgen.text.templating import text

    current = head  # the stage being drawn: it is finished when the next shape-changing layer (or the end) comes
    folded: list[str] = []  # zero-parameter layers after it
    pending: list[str] = []  # folded layers met before any shape-changing layer
    out: list[Stage] = []
    drawn = False  # whether a layer of the chain has drawn a shape yet
    for node, key in zip(nodes, keys, strict=True):
        layer = node.layer
        own = asked.get(key)
        if isinstance(layer, _FOLDED):  # a word in the arrow before it, or after it when first
            (folded if drawn else pending).append(_folded(layer))
            if own and current is not None:
                current = replace(current, hide=current.hide | own)
                carried = carried | own
            continue
        if current is not None:
            out.append(replace(current, folded=tuple(folded)))
        hidden = _inherited(layer, carried) if carried else set()
        lanes: tuple[Lane, ...] = ()
        if isinstance(layer, _BLOCKS):
            lanes = tuple(_lane(branch, carried, lang, asked) for branch in node.branches)
            for lane in lanes:  # the merged output would give away what a branch hides
                hidden |= lane.stages[-1].hide if lane.stages else carried
            lines: tuple[str, ...] = ()
        else:
            lines = _op_lines(layer, lang)
        if pending:
            lines = (*lines, ", ".join(pending) + " +")
            pending = []
        hide = frozenset(hidden | own if own else hidden) if hidden or own else _NOTHING
        name = text(lang, "diagram_vector") if isinstance(layer, Flatten) and layer.name == "flatten" else layer.name
        shape = node.row.output_shape
        merge = "add" if isinstance(layer, Residual) else "concat" if isinstance(layer, Concat) else ""
        current, folded, drawn = Stage(shape, _kind(layer), name, lines, (), hide, lanes, merge), [], True
        carried = hide if isinstance(shape, FeatureMaps) else _NOTHING
    if current is not None:
        out.append(replace(current, folded=tuple(folded)))
    return out, ", ".join(pending)


def _lane(nodes: tuple[CountedLayer, ...], carried: frozenset[str], lang: str,
          asked: dict[int | str, set[str]]) -> Lane:
    """A block's branch: its stages, or the words that say what it does when it draws no shape."""
    from quizgen.text.templating import text

    found, words = _chain_stages(nodes, [n.row.label for n in nodes], None, carried, lang, asked)
    return Lane(tuple(found), words or ("" if found else text(lang, "diagram_identity")))


_NOTHING: frozenset[str] = frozenset()


def _text_width(label: str, size: float) -> float:
    return len(label) * size * CHAR


@dataclass(frozen=True)
class _Cell:
    """A stage's geometry: the arrow that leads to its shape, then the shape, drawn around the shape's centre on
    the row's mid line."""

    stage: Stage
    box: Box
    arrow: float  # the arrow's length (0 for the input)
    width: float  # arrow + shape cell
    up: float  # extent above the row's mid line
    down: float  # extent below it
    centre: float  # from the cell's left edge to the shape's centre
    size_label: str

    @property
    def chain(self) -> str:
        """The stage in the title: ``conv 5×5 → C1 28×28×6``."""
        return _stage_text(self.stage, False)

    @property
    def right(self) -> float:
        """From the cell's left edge to its shape's right edge."""
        return self.centre + (self.box.w + self.box.dx) / 2


FORK = 12.0  # from a block's left edge to where its branches part
LANE_GAP = 10.0  # between a block's branches
MERGE_R = 9.0  # the radius of a residual block's adding node


@dataclass(frozen=True)
class _LaneCells:
    """A branch's geometry: its cells side by side (or a line with its words), around the branch's mid line."""

    cells: tuple[_Cell | _BlockCell, ...]
    words: str
    width: float
    up: float
    down: float
    end: float  # from the branch's left edge to where its line leaves its last shape


@dataclass(frozen=True)
class _BlockCell:
    """A block's geometry: its branches one above the other between a fork and a merge, then its output's cell."""

    stage: Stage
    lanes: tuple[_LaneCells, ...]
    ys: tuple[float, ...]  # each branch's mid line (the row's mid line is 0)
    merge_x: float
    merge_half: float  # half the merge node's width
    out: _Cell
    width: float
    up: float
    down: float

    @property
    def chain(self) -> str:
        return _stage_text(self.stage, False)

    @property
    def right(self) -> float:
        return self.merge_x + self.merge_half + self.out.right


def _stage_text(stage: Stage, said_once: bool) -> str:
    """A stage as text: ``conv 5×5 → C1 28×28×6``; a block as ``concat(conv 1×1 → 28×28×16 | ...) → inc 28×28×40``.

    ``said_once``: an operation named like the stage it makes is said once (``flatten ?``)."""
    head = ""
    if stage.lanes:
        branches = [" → ".join(_stage_text(s, said_once) for s in lane.stages) or lane.words for lane in stage.lanes]
        head = f"{'res' if stage.merge == 'add' else 'concat'}({' | '.join(branches)}) → "
    elif stage.op and not (said_once and stage.op[0] == stage.name):
        head = f"{stage.op[0]} → "
    return head + (f"{stage.name} " if stage.name else "") + _size_label(stage.shape, stage.hide)


def _lane_cells(lane: Lane) -> _LaneCells:
    if not lane.stages:
        width = max(48.0, _text_width(lane.words, OP_SIZE - 1) + 16)
        return _LaneCells((), lane.words, width, OP_SIZE + 8.0, 6.0, width)
    cells = tuple(_cell(s) for s in lane.stages)
    width = sum([c.width for c in cells])
    end = width - cells[-1].width + cells[-1].right
    return _LaneCells(cells, "", width, max(c.up for c in cells), max(c.down for c in cells), end)


def _block_cell(stage: Stage) -> _BlockCell:
    lanes = tuple(_lane_cells(lane) for lane in stage.lanes)
    height = sum([lane.up + lane.down for lane in lanes]) + LANE_GAP * (len(lanes) - 1)
    ys, y = [], -height / 2
    for lane in lanes:
        ys.append(y + lane.up)
        y += lane.up + lane.down + LANE_GAP
    merge_half = MERGE_R if stage.merge == "add" else _text_width("concat", OP_SIZE - 1) / 2 + 5
    merge_x = FORK + max(lane.width for lane in lanes) + 14 + merge_half
    out = _cell(replace(stage, lanes=(), merge=""), 34.0)
    width = merge_x + merge_half + out.width
    return _BlockCell(stage, lanes, tuple(ys), merge_x, merge_half, out, width, max(height / 2, out.up),
                      max(height / 2, out.down))


@lru_cache(maxsize=4096)
def _cell(stage: Stage, lead: float | None = None) -> _Cell | _BlockCell:
    """A stage's geometry; ``lead``: the shortest arrow into a shape that follows a merge (it has no operation)."""
    if stage.lanes:
        return _block_cell(stage)
    box = box_of(stage.shape, stage.hide)
    size_label = _size_label(stage.shape, stage.hide)
    label_w = max(_text_width(size_label, LABEL_SIZE), _text_width(stage.name, LABEL_SIZE))
    shape_w = max(box.w + box.dx, label_w) + 2 * SHAPE_GAP
    arrow = 0.0
    if stage.op or lead:
        arrow = max(lead or 56.0, max((_text_width(line, OP_SIZE) for line in stage.lines), default=0) + 14)
    up = max(box.h / 2 + box.dy + (LABEL_SIZE + 8 if stage.name else 4), OP_SIZE + 10)
    down = max(box.h / 2 + LABEL_SIZE + 10, 10 + (OP_SIZE + 3) * max(len(stage.lines) - 1, 0) + 4)
    return _Cell(stage, box, arrow, arrow + shape_w, up, down, arrow + shape_w / 2, size_label)


# Presentation attributes sit once on the root (the texts' font, size, anchor and colour, round joins) or on the
# faces' group (the outline), and SVG's inheritance hands them on. The root declares SVG's namespace as the
# default one and the elements carry plain tag names (the same bytes as a namespaced tree).
_INK = "#1a1a1a"


def _draw(row: Any, cell: _Cell | _BlockCell, x: float, mid: float) -> None:
    """A stage's group in ``row``, translated to the shape's centre (a block's to its left edge on the mid line)."""
    if isinstance(cell, _BlockCell):
        _draw_block(row, cell, x, mid)
        return
    g = copy.deepcopy(_shape_template(cell))  # the template itself is never placed nor changed
    g.set("transform", f"translate({_fmt(x + cell.centre)} {_fmt(mid)})")
    row.append(g)


@lru_cache(maxsize=4096)
def _shape_template(cell: _Cell) -> Any:
    """A stage's group, around the shape's centre: the arrow from ``-centre`` (operation above, details below), then
    the pseudo-3D box (or bar) with its name above and its size below. Networks share most of their stages (the
    versions of a question, LeNet-5's and AlexNet's layers), so each is drawn once; ``_draw`` places copies."""
    stage, box, arrow, centre = cell.stage, cell.box, cell.arrow, cell.centre
    g = etree.Element("g")
    outlined = etree.SubElement(g, "g", {"stroke": _INK})
    if arrow:
        a0 = -centre
        etree.SubElement(outlined, "line", {"x1": _fmt(a0 + 3), "x2": _fmt(a0 + arrow - 9), "stroke-width": "1.3"})
    # the faces as paths from the front's top left corner: every corner from the same rounded sizes
    w, h, dx, dy = _fmt(box.w), _fmt(box.h), _fmt(box.dx), _fmt(box.dy)
    x0 = -(box.w + box.dx) / 2
    y0 = -box.h / 2
    left, top = _fmt(x0), _fmt(y0)  # top < 0: no space before it
    front, top_fill, side = FILLS[stage.kind]
    etree.SubElement(outlined, "path", {"d": f"M{left}{top}l{dx}-{dy}h{w}l-{dx} {dy}z", "fill": top_fill})
    etree.SubElement(outlined, "path", {"d": f"M{_fmt(round(x0, 1) + round(box.w, 1))}{top}l{dx}-{dy}v{h}l-{dx} {dy}z",
                                        "fill": side})
    etree.SubElement(outlined, "path", {"d": f"M{left}{top}h{w}v{h}h-{w}z", "fill": front})
    if arrow:
        a0 = -centre
        etree.SubElement(g, "path", {"d": f"M{_fmt(a0 + arrow - 2)} 0l-8-4v8z", "fill": _INK})  # the head
        middle = _fmt(a0 + arrow / 2)
        lines = stage.lines
        if lines:
            label = etree.SubElement(g, "text", {"x": middle, "y": "-6", "font-size": str(OP_SIZE)})
            label.text = lines[0]
        for i, line in enumerate(lines[1:]):
            label = etree.SubElement(g, "text", {"x": middle, "y": _fmt(4 + (OP_SIZE + 3) * (i + 1)),
                                                 "font-size": str(OP_SIZE - 1), "font-style": "italic"})
            label.text = line
    if stage.name:
        label = etree.SubElement(g, "text", {"y": _fmt(y0 - box.dy - 7), "font-weight": "bold"})
        label.text = stage.name
    label = etree.SubElement(g, "text", {"y": _fmt(y0 + box.h + LABEL_SIZE + 4)})
    label.text = cell.size_label
    return g


def _draw_block(row: Any, cell: _BlockCell, x: float, mid: float) -> None:
    """A block's group in ``row``, translated to its left edge on the mid line: the line in, the fork, each branch
    (its stages, or a line with its words), the merge (a ``+`` node or a ``concat`` node), then its output."""
    g = etree.SubElement(row, "g", {"transform": f"translate({_fmt(x)} {_fmt(mid)})"})
    outlined = etree.SubElement(g, "g", {"stroke": _INK, "stroke-width": "1.3"})
    top, span, merge_x = _fmt(cell.ys[0]), _fmt(cell.ys[-1] - cell.ys[0]), cell.merge_x
    etree.SubElement(outlined, "path", {"d": f"M3 0h{_fmt(FORK - 3)}M{_fmt(FORK)} {top}v{span}"
                                             f"M{_fmt(merge_x)} {top}v{span}", "fill": "none"})
    for lane, y in zip(cell.lanes, cell.ys, strict=True):
        start = FORK - 3  # a branch's first arrow starts 3 px into its cell: on the fork
        end = start + lane.end if lane.cells else FORK
        etree.SubElement(outlined, "line", {"x1": _fmt(end), "x2": _fmt(merge_x), "y1": _fmt(y), "y2": _fmt(y)})
        if not lane.cells:
            words = etree.SubElement(g, "text", {"x": _fmt(FORK + lane.width / 2), "y": _fmt(y - 5),
                                                 "font-size": str(OP_SIZE - 1), "font-style": "italic"})
            words.text = lane.words
        for item in lane.cells:
            _draw(g, item, start, y)
            start += item.width
    half = cell.merge_half
    if cell.stage.merge == "add":
        etree.SubElement(outlined, "circle", {"cx": _fmt(merge_x), "cy": "0", "r": _fmt(half), "fill": "#ffffff"})
        etree.SubElement(outlined, "path", {"d": f"M{_fmt(merge_x - 5)} 0h10M{_fmt(merge_x)} -5v10", "fill": "none"})
    else:
        etree.SubElement(outlined, "rect", {"x": _fmt(merge_x - half), "y": "-8", "width": _fmt(2 * half),
                                            "height": "16", "rx": "3", "fill": "#ffffff"})
        label = etree.SubElement(g, "text", {"x": _fmt(merge_x), "y": "4", "font-size": str(OP_SIZE - 1)})
        label.text = "concat"
    _draw(g, cell.out, merge_x + half - 3, 0.0)  # the output's arrow starts on the merge node


# the cells of a row, how far it reaches above its mid line, its height
Row = tuple[list[_Cell | _BlockCell], float, float]


def _rows(cells: list[_Cell | _BlockCell], max_width: float) -> tuple[list[Row], float]:
    """Cells in as few rows of at most ``max_width`` as they fit in, balanced: the widest row as narrow as it can
    be (so the last row is not a lone shape); the widest row's width."""
    def fill(limit: float) -> list[list[_Cell | _BlockCell]]:
        # greedy: each row takes cells while they fit within ``limit``
        rows: list[list[_Cell | _BlockCell]] = [[]]
        width = 0.0
        for cell in cells:
            if rows[-1] and width + cell.width > limit + 1e-6:  # a hair: ``limit`` was summed in another order
                rows.append([])
                width = 0.0
            rows[-1].append(cell)
            width += cell.width
        return rows

    # the narrowest limit that needs no more rows than max_width does is the width of some run of cells
    fewest = len(fill(max_width))
    ends = list(itertools.accumulate((c.width for c in cells), initial=0.0))
    runs = sorted({ends[j] - ends[i] for i in range(len(cells)) for j in range(i + 1, len(cells) + 1)})
    limit = runs[bisect.bisect_left(runs, True, key=lambda w: len(fill(w)) <= fewest)]
    rows = [(row, max(c.up for c in row), max(c.up for c in row) + max(c.down for c in row)) for row in fill(limit)]
    return rows, max(sum(c.width for c in row) for row, _, _ in rows)


def _document(width: int, height: int, title: str, rows: list[Row]) -> bytes:
    """The SVG document with these rows of stages (shared text style, title, white background)."""
    root = etree.Element("svg", {"xmlns": SVG_NS, "width": str(width), "height": str(height),
                                 "viewBox": f"0 0 {width} {height}", "role": "img", "font-family": FONT,
                                 "font-size": str(LABEL_SIZE), "text-anchor": "middle", "fill": "#111111",
                                 "stroke-linejoin": "round"})
    etree.SubElement(root, "title").text = title
    etree.SubElement(root, "rect", {"width": "100%", "height": "100%", "fill": "#ffffff"})
    y = float(MARGIN)
    for cells, up, height_of_row in rows:
        group = etree.SubElement(root, "g")
        x, mid = float(MARGIN), y + up
        for cell in cells:
            _draw(group, cell, x, mid)
            x += cell.width
        y += height_of_row + 10
    return etree.tostring(root, encoding="utf-8")


def _chain(items: list[Stage]) -> str:
    # an operation named like the stage it makes is said once ("flatten ?", not "flatten → flatten ?")
    return " → ".join(_stage_text(s, True) for s in items)


def network_chain(network: Network, lang: str = "en", problem: Problem | None = None,
                  network_index: int = 0) -> str:
    """The diagram as one line of text (``input 32×32×1 → conv 5×5 → C1 28×28×6 → ...``), asked sizes as '?'."""
    asked = asked_sizes(problem, network, network_index) if problem is not None else None
    return _chain(stages(network, lang, asked))


def network_svg(network: Network, lang: str = "en", max_width: float = MAX_WIDTH,
                problem: Problem | None = None, network_index: int = 0) -> str:
    """A standalone SVG document drawing the network: shapes, sizes and the operations between them.

    Rows wrap at ``max_width`` pixels of content (a narrower page asks for narrower rows). With the
    ``problem`` the network belongs to (``network_index`` 0 for its network, i for its i-th extra
    network), the sizes its parts ask for are drawn as '?'.
    """
    return network_drawing(network, lang, max_width, problem, network_index)[1].decode("utf-8")


def network_drawing(network: Network, lang: str = "en", max_width: float = MAX_WIDTH,
                    problem: Problem | None = None, network_index: int = 0) -> tuple[str, bytes]:
    """The diagram's title (plain text, for an alt attribute) and ``network_svg``'s document in UTF-8."""
    from quizgen.text.templating import text

    asked = asked_sizes(problem, network, network_index) if problem is not None else None
    cells = [_cell(stage) for stage in stages(network, lang, asked)]
    rows, widest = _rows(cells, max_width)
    width = math.ceil(widest + 2 * MARGIN)
    height = math.ceil(sum([row[2] for row in rows]) + 2 * MARGIN + 10 * (len(rows) - 1))
    title = text(lang, "svg_title", name=network.title or network.name, chain=" → ".join([c.chain for c in cells]))
    return title, _document(width, height, title, rows)
