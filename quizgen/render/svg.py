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
import itertools
import math
from dataclasses import dataclass
from typing import Any

from lxml import etree

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
_FOLDED = (Activation, Dropout, LRN)
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

    @property
    def lines(self) -> tuple[str, ...]:
        return (*self.op, "+ " + ", ".join(self.folded)) if self.folded else self.op


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


def asked_sizes(problem: Problem, network: Network, network_index: int = 0) -> dict[int, set[str]]:
    """Layer index (0 = the input) -> the dimensions of its output that the problem's parts ask for."""
    asked: dict[int, set[str]] = {}
    layers = network.layers
    labels: dict[str, int] | None = None  # made when a part names a layer: most name none
    for part in problem.parts:
        for index_of_network, ref, hidden in _asked_refs(part.measure):
            if index_of_network != network_index:
                continue
            if ref is None:
                for i in range(1, len(layers) + 1):
                    asked.setdefault(i, set()).update(hidden)
                continue
            if ref[:1] == "-" and ref[1:].isdecimal():  # counted from the end: -1 is the output
                index = len(layers) + 1 + int(ref)
            else:
                if labels is None:
                    labels = {}
                    for i, layer in enumerate(layers, start=1):
                        labels.setdefault(layer_label(layer, i), i)
                if ref not in labels:
                    continue
                index = labels[ref]
            asked.setdefault(index, set()).update(hidden)
    return asked


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
    if isinstance(layer, Conv):
        if layer.stride != (1, 1):
            details.append(f"s={layer.stride[0]}" if layer.stride[0] == layer.stride[1] else f"s={_pair(layer.stride)}")
        details.append(_padding(layer.padding))
        if layer.groups != 1:
            details.append(f"g={layer.groups}")
        if layer.table is not None:
            details.append(text(lang, "svg_table"))
        if not layer.bias:
            details.append(text(lang, "svg_no_bias"))
        return f"conv {_pair(layer.kernel)}", tuple(d for d in details if d)
    if isinstance(layer, Pool):
        word = "subsampling" if layer.trainable else f"{layer.kind}pool"
        if layer.stride != layer.kernel:
            details.append(f"s={layer.stride[0]}" if layer.stride[0] == layer.stride[1] else f"s={_pair(layer.stride)}")
        details.append(_padding(layer.padding))
        return f"{word} {_pair(layer.kernel)}", tuple(d for d in details if d)
    if isinstance(layer, AdaptiveAvgPool):
        return "adaptive avgpool", ()
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
    assert isinstance(layer, LRN)
    return f"lrn {layer.size}"


def _kind(layer: Layer) -> str:
    if isinstance(layer, Conv):
        return "conv"
    if isinstance(layer, (Pool, AdaptiveAvgPool)):
        return "pool"
    return "vector"


def _inherited(layer: Layer, carried: frozenset[str]) -> set[str]:
    """Hidden sizes of a layer's input that its output would give away."""
    inherit: set[str] = set()
    if isinstance(layer, (Conv, Pool)):
        inherit |= carried & {"h", "w"}
    if isinstance(layer, (Pool, AdaptiveAvgPool)) and carried & {"d", "n"}:
        inherit |= {"d", "n"}
    if isinstance(layer, Flatten) and carried:
        inherit |= {"n"}
    return inherit


def _label(layer: Layer, lang: str) -> tuple[str, tuple[str, ...]]:
    """How a layer is drawn: its shape's kind and its arrow's lines, or '' and its word in the arrow before it."""
    if isinstance(layer, _FOLDED):
        return "", (_folded(layer),)
    return _kind(layer), _op_lines(layer, lang)


def _steps(network: Network, lang: str) -> list[tuple[Shape, str, tuple[str, ...]]]:
    """Each layer's output shape (the engine's), drawn kind ('' for a folded layer) and label lines."""
    return [(lc.output_shape, *_label(layer, lang)) for layer, lc in zip(network.layers, count(network).layers,
                                                                         strict=True)]


def stages(network: Network, lang: str = "en", asked: dict[int, set[str]] | None = None) -> list[Stage]:
    """The shapes to draw, in order, with each arrow's label lines (zero-parameter layers folded).

    ``asked`` (from ``asked_sizes``) names the sizes drawn as '?'.
    """
    from quizgen.text.templating import text

    inp = network.input
    first = FeatureMaps(inp.h, inp.w, inp.c)
    carried = frozenset(asked.get(0, ())) if asked else _NOTHING
    # the stage being drawn: it becomes a Stage when the next shape-changing layer (or the end) comes
    shape, kind, name, lines, hide = first, "input", inp.name, (), carried
    if name in ("", "In"):
        name = text(lang, "svg_input")
    folded: list[str] = []  # zero-parameter layers after it
    pending: list[str] = []  # folded layers met before any shape-changing layer
    out: list[Stage] = []
    for index, (layer, (output_shape, layer_kind, layer_lines)) in enumerate(
            zip(network.layers, _steps(network, lang), strict=True), start=1):
        own = asked.get(index) if asked else None
        if not layer_kind:  # a zero-parameter layer: a word in the arrow before it, or after it when first
            (folded if out else pending).append(layer_lines[0])
            if own:
                hide, carried = hide | own, carried | own
            continue
        out.append(Stage(shape, kind, name, lines, tuple(folded), hide))
        lines = layer_lines
        if pending:
            lines = (*lines, ", ".join(pending) + " +")
            pending = []
        if carried:
            hidden = _inherited(layer, carried)
            hide = frozenset(hidden | own if own else hidden)
        else:
            hide = frozenset(own) if own else _NOTHING
        name = text(lang, "diagram_vector") if isinstance(layer, Flatten) and layer.name == "flatten" else layer.name
        shape, kind, name, folded = output_shape, layer_kind, name, []
        carried = hide if isinstance(output_shape, FeatureMaps) else _NOTHING
    out.append(Stage(shape, kind, name, lines, tuple(folded), hide))
    if pending:  # only folded layers: draw them as one arrow that keeps the shape
        out.append(Stage(first, "input", "", (", ".join(pending),), (), out[0].hide))
    return out


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
        stage = self.stage
        return (f"{stage.op[0]} → " if stage.op else "") + (f"{stage.name} " if stage.name else "") + self.size_label


def _cell(stage: Stage) -> _Cell:
    """A stage's geometry."""
    box = box_of(stage.shape, stage.hide)
    size_label = _size_label(stage.shape, stage.hide)
    label_w = max(_text_width(size_label, LABEL_SIZE), _text_width(stage.name, LABEL_SIZE))
    shape_w = max(box.w + box.dx, label_w) + 2 * SHAPE_GAP
    arrow = 0.0
    if stage.op:
        arrow = max(56.0, max(_text_width(line, OP_SIZE) for line in stage.lines) + 14)
    up = max(box.h / 2 + box.dy + (LABEL_SIZE + 8 if stage.name else 4), OP_SIZE + 10)
    down = max(box.h / 2 + LABEL_SIZE + 10, 10 + (OP_SIZE + 3) * max(len(stage.lines) - 1, 0) + 4)
    return _Cell(stage, box, arrow, arrow + shape_w, up, down, arrow + shape_w / 2, size_label)


# Presentation attributes sit once on the root (the texts' font, size, anchor and colour, round joins) or on the
# faces' group (the outline), and SVG's inheritance hands them on. The root declares SVG's namespace as the
# default one and the elements carry plain tag names (the same bytes as a namespaced tree).
_INK = "#1a1a1a"


def _draw(row: Any, cell: _Cell, x: float, mid: str) -> None:
    """A stage's group in ``row``, translated to the shape's centre: the arrow from ``-centre`` (operation above,
    details below), then the pseudo-3D box (or bar) with its name above and its size below."""
    stage, box, arrow, centre = cell.stage, cell.box, cell.arrow, cell.centre
    g = etree.SubElement(row, "g")
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
    g.set("transform", f"translate({_fmt(x + centre)} {mid})")


Row = tuple[list[_Cell], float, float]  # the cells of a row, how far it reaches above its mid line, its height


def _rows(cells: list[_Cell], max_width: float) -> tuple[list[Row], float]:
    """Cells in as few rows of at most ``max_width`` as they fit in, balanced: the widest row as narrow as it can
    be (so the last row is not a lone shape); the widest row's width."""
    def fill(limit: float) -> list[list[_Cell]]:  # greedy: each row takes cells while they fit within ``limit``
        rows: list[list[_Cell]] = [[]]
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
        x, mid = float(MARGIN), _fmt(y + up)
        for cell in cells:
            _draw(group, cell, x, mid)
            x += cell.width
        y += height_of_row + 10
    return etree.tostring(root, encoding="utf-8")


def _chain(items: list[Stage]) -> str:
    # an operation named like the stage it makes is said once ("flatten ?", not "flatten → flatten ?")
    return " → ".join((f"{s.op[0]} → " if s.op and s.op[0] != s.name else "") + (f"{s.name} " if s.name else "")
                      + _size_label(s.shape, s.hide) for s in items)


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
