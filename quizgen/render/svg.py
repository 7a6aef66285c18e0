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

import math
import re
import threading
from dataclasses import dataclass
from functools import cache, lru_cache
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
    Vector,
    layer_label,
)
from quizgen.problems.model import Problem

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
_ASKED = re.compile(r"(?:(\d+):)?(out_h|out_w|out_d|activations|flatten)@([^,()\s]+)")
_NET_ACTIVATIONS = re.compile(r"(?:^|[(,\s])(?:(\d+):)?net\.activations")
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
    try:
        return _FMT[value]  # coordinates repeat across diagrams, and a diagram writes a hundred of them
    except KeyError:
        pass
    text = "%.1f" % value  # noqa: UP031 - the quickest spelling
    text = text[:-2] if text[-1] == "0" and text[-2] == "." else text
    if value:  # 0.0 and -0.0 are one key but print "0" and "-0"
        if len(_FMT) >= 65536:
            _FMT.clear()
        _FMT[value] = text
    return text


_FMT: dict[float, str] = {}


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


@lru_cache(maxsize=8192)
def _size_label(shape: Shape, hide: frozenset[str] = frozenset()) -> str:
    def dim(value: int, key: str) -> str:
        return "?" if key in hide else f"{value:,}".replace(",", "\u2009")

    if isinstance(shape, FeatureMaps):
        return f"{dim(shape.h, 'h')}×{dim(shape.w, 'w')}×{dim(shape.d, 'd')}"
    return dim(shape.n, "n")


# the sizes a measure asks for, by the dimensions they hide: height and width give each other away on square maps
_HIDDEN_BY = {"out_h": "hw", "out_w": "hw", "out_d": "dn"}


@lru_cache(maxsize=4096)
def _asked_refs(measure: str) -> tuple[tuple[int, str | None, str], ...]:
    """What a part's measure asks for, parsed once per measure: (network index, layer reference or None for
    every layer, dimensions hidden)."""
    if "activations" not in measure and "@" not in measure:
        return ()
    refs = [(int(m.group(1) or 0), None, "hwdn") for m in _NET_ACTIVATIONS.finditer(measure)]
    refs += [(int(m.group(1) or 0), m.group(3), _HIDDEN_BY.get(m.group(2), "hwdn")) for m in _ASKED.finditer(measure)]
    return tuple(refs)


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


@lru_cache(maxsize=4096)
def _op(layer: Layer, lang: str) -> tuple[str, tuple[str, ...]]:
    """The operation word of an arrow and its details (stride, padding, groups, table); memoised, layers repeat."""
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


@lru_cache(maxsize=4096)
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


def _axis(size: int, kernel: int, stride: int, padding: int | str) -> int:
    """The engine's output size along one axis (``engine.output_size``); 0 where the engine would refuse."""
    if kernel <= 0 or stride <= 0:
        return 0
    if padding == "same":
        return -(-size // stride)
    if padding == "valid":
        return -(-(size - kernel + 1) // stride) if kernel <= size else 0
    if not isinstance(padding, int) or padding < 0 or kernel > size + 2 * padding:
        return 0
    return (size - kernel + 2 * padding) // stride + 1


def _next_shape(layer: Layer, shape: Shape) -> Shape | None:
    """A layer's output shape, as ``engine.count`` gives it; None where this does not follow plainly (a size or
    a connection table the engine would refuse, a layer kind it does not know): the engine then decides."""
    kind = type(layer)
    maps = isinstance(shape, FeatureMaps)
    ok = True
    if kind is Conv and maps:
        g, n, table = layer.groups, layer.filters, layer.table
        ok = n > 0 and g > 0 and shape.d % g == 0 and n % g == 0
        if table is not None:  # C rows by N columns, no groups, every output map sees an input map
            ok = ok and g == 1 and len(table) == shape.d and all(len(row) == n for row in table) and all(
                any(row[j] for row in table) for j in range(n))
        shape = FeatureMaps(_axis(shape.h, layer.kernel[0], layer.stride[0], layer.padding),
                            _axis(shape.w, layer.kernel[1], layer.stride[1], layer.padding), layer.filters)
    elif kind is Pool and maps:
        p = layer.padding
        if layer.trainable and isinstance(p, int):
            ok = all((size - f + 2 * p) % s == 0 if s > 0 else False
                     for size, f, s in ((shape.h, layer.kernel[0], layer.stride[0]),
                                        (shape.w, layer.kernel[1], layer.stride[1])))
        shape = FeatureMaps(_axis(shape.h, layer.kernel[0], layer.stride[0], p),
                            _axis(shape.w, layer.kernel[1], layer.stride[1], p), shape.d)
    elif kind is AdaptiveAvgPool and maps:
        shape = FeatureMaps(layer.out[0], layer.out[1], shape.d)
    elif kind is Flatten and maps:
        shape = Vector(shape.size)
    elif kind is Dense:
        shape = Vector(layer.units)
    elif kind is RBF and not maps:
        shape = Vector(layer.units)
    elif kind not in (Activation, Dropout, LRN):
        return None
    ok = ok and (min(shape.h, shape.w) > 0 if isinstance(shape, FeatureMaps) else shape.n > 0)
    return shape if ok else None


def _output_shapes(network: Network) -> list[Shape]:
    """Each layer's output shape, as ``engine.count`` gives it, without the engine's quantities.

    A drawing needs only the shapes, and counting a network nobody counted lately costs ten times more
    (every diagram of a 20,000-question export). Whatever this does not follow plainly goes to ``count``,
    which gives the shapes or the engine's error; tests compare the two on every built-in and random network.
    """
    inp = network.input
    shape: Shape | None = FeatureMaps(inp.h, inp.w, inp.c)
    out: list[Shape] = []
    if min(inp.h, inp.w, inp.c) > 0:
        for layer in network.layers:
            shape = _next_shape(layer, shape)
            if shape is None:
                break
            out.append(shape)
        else:
            return out
    return [lc.output_shape for lc in count(network).layers]


Step = tuple[Shape, str, tuple[str, ...]]  # output shape, drawn kind ('' for a folded layer), label lines


def _label(layer: Layer, lang: str) -> tuple[str, tuple[str, ...]]:
    """How a layer is drawn: its shape's kind and its arrow's lines, or '' and its word in the arrow before it."""
    if isinstance(layer, _FOLDED):
        return "", (_folded(layer),)
    return _kind(layer), _op_lines(layer, lang)


@lru_cache(maxsize=16384)
def _step(layer: Layer, shape: Shape, lang: str) -> Step | None:
    """``_next_shape`` and ``_label`` at once, memoised: networks repeat layers on the same inputs."""
    out = _next_shape(layer, shape)
    return None if out is None else (out, *_label(layer, lang))


def _steps(network: Network, lang: str) -> list[Step]:
    """Each layer's output shape, drawn kind and label lines."""
    inp = network.input
    shape: Shape = FeatureMaps(inp.h, inp.w, inp.c)
    out: list[Step] = []
    if min(inp.h, inp.w, inp.c) > 0:
        for layer in network.layers:
            step = _step(layer, shape, lang)
            if step is None:
                break
            out.append(step)
            shape = step[0]
        else:
            return out
    return [(shape, *_label(layer, lang)) for layer, shape in zip(network.layers, _output_shapes(network), strict=True)]


def stages(network: Network, lang: str = "en", asked: dict[int, set[str]] | None = None) -> list[Stage]:
    """The shapes to draw, in order, with each arrow's label lines (zero-parameter layers folded).

    ``asked`` (from ``asked_sizes``) names the sizes drawn as '?'.
    """
    return [Stage(*fields) for fields in _stage_fields(network, lang, asked)]


StageFields = tuple[Shape, str, str, tuple[str, ...], tuple[str, ...], frozenset[str]]  # Stage's, in order


def _stage_fields(network: Network, lang: str, asked: dict[int, set[str]] | None) -> list[StageFields]:
    """``stages`` as tuples of the Stage fields: the diagrams look their drawings up by them (a tuple is made
    and hashed several times faster than a dataclass)."""
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
    out: list[StageFields] = []
    for index, (layer, (output_shape, layer_kind, layer_lines)) in enumerate(
            zip(network.layers, _steps(network, lang), strict=True), start=1):
        own = asked.get(index) if asked else None
        if not layer_kind:  # a zero-parameter layer: a word in the arrow before it, or after it when first
            (folded if out else pending).append(layer_lines[0])
            if own:
                hide, carried = hide | own, carried | own
            continue
        out.append((shape, kind, name, lines, tuple(folded), hide))
        lines = layer_lines
        if pending:
            lines = (*lines, ", ".join(pending) + " +")
            pending = []
        if carried:
            hidden = _inherited(layer, carried)
            hide = frozenset(hidden | own if own else hidden)
        else:
            hide = frozenset(own) if own else _NOTHING
        shape, kind, name, folded = output_shape, layer_kind, layer.name, []
        carried = hide if isinstance(output_shape, FeatureMaps) else _NOTHING
    out.append((shape, kind, name, lines, tuple(folded), hide))
    if pending:  # only folded layers: draw them as one arrow that keeps the shape
        out.append((first, "input", "", (", ".join(pending),), (), out[0][5]))
    return out


_NOTHING: frozenset[str] = frozenset()


def _text_width(label: str, size: float) -> float:
    return len(label) * size * CHAR


@dataclass(frozen=True)
class _Cell:
    """A stage's geometry and drawing, made once: the arrow that leads to its shape and the shape, as an lxml
    group drawn around the shape's centre on the row's mid line (a ``translate`` puts it in place)."""

    width: float  # arrow + shape cell
    up: float  # extent above the row's mid line
    down: float  # extent below it
    centre: float  # from the cell's left edge to the shape's centre
    chain: str  # the stage in the title: "conv 5×5 → C1 28×28×6"
    drawing: Any  # an lxml <g>, moved into each diagram that draws the stage


# Each distinct stage is drawn once, into a <g> that every diagram drawing the stage moves into place with a
# translate; the diagram is then one lxml tree serialized by lxml. In lxml every element made and every
# attribute set costs a microsecond or more, and a 20,000-question export draws 16,000 distinct diagrams from
# 9,000 distinct stages: a stage's group is a copy of its kind's template with only the coordinates and texts
# set. Presentation attributes sit once on the root (the texts' font, size, anchor and colour, round joins),
# on the template or on the faces' group (the outline), and SVG's inheritance hands them on.
# The elements carry plain tag names and the root declares SVG's namespace as the default one, in the same bytes
# a namespaced tree gives: lxml then moves a stage's group between documents without reconciling namespaces on
# every element of it (a sixth of the time spent placing and serializing, in a large export).
_PATH, _RECT, _LINE, _TEXT, _G = "path", "rect", "line", "text", "g"
_INK = "#1a1a1a"
_TRANSLATE = "translate({} {})".format


@cache
def _template(kind: str, details: int, arrow: bool, named: bool) -> Any:
    """A stage's group with everything but coordinates and texts: what is outlined (the arrow's line, the faces),
    the arrow's head, its labels, the shape's name and size."""
    g = etree.Element(_G)
    outlined = etree.SubElement(g, _G, {"stroke": _INK})
    if arrow:
        etree.SubElement(outlined, _LINE, {"x1": "0", "x2": "0", "stroke-width": "1.3"})
    front, top, side = FILLS[kind]
    for fill in (top, side, front):
        etree.SubElement(outlined, _PATH, {"d": "", "fill": fill})
    if arrow:
        etree.SubElement(g, _PATH, {"d": "", "fill": _INK})
        etree.SubElement(g, _TEXT, {"x": "0", "y": "-6", "font-size": str(OP_SIZE)})
        for i in range(details):
            etree.SubElement(g, _TEXT, {"x": "0", "y": _fmt(4 + (OP_SIZE + 3) * (i + 1)),
                                        "font-size": str(OP_SIZE - 1), "font-style": "italic"})
    if named:
        etree.SubElement(g, _TEXT, {"y": "0", "font-weight": "bold"})
    etree.SubElement(g, _TEXT, {"y": "0"})
    return g


def _draw(stage: Stage, box: Box, arrow: float, centre: float, size_label: str) -> Any:
    """The stage's group, around the shape's centre: arrow from ``-centre`` (operation above, details below),
    then the pseudo-3D box (or bar) with its name above and its size below."""
    lines = stage.lines
    g = _template(stage.kind, len(lines) - 1 if lines else 0, bool(arrow), bool(stage.name)).__copy__()
    outlined, *labels = g
    faces = list(outlined)
    if arrow:
        a0 = -centre
        line = faces.pop(0)
        line.set("x1", _fmt(a0 + 3))
        line.set("x2", _fmt(a0 + arrow - 9))
        labels.pop(0).set("d", f"M{_fmt(a0 + arrow - 2)} 0l-8-4v8z")  # the head
        x = _fmt(a0 + arrow / 2)
        for line_of_label in lines:
            label = labels.pop(0)
            label.set("x", x)
            label.text = line_of_label
    top, side, front = faces
    # the faces as paths from the front's top left corner: every corner from the same rounded sizes
    w, h, dx, dy = _fmt(box.w), _fmt(box.h), _fmt(box.dx), _fmt(box.dy)
    x = -(box.w + box.dx) / 2
    y = -box.h / 2
    x1, y0 = _fmt(x), _fmt(y)  # y0 < 0: no space before it
    top.set("d", f"M{x1}{y0}l{dx}-{dy}h{w}l-{dx} {dy}z")
    side.set("d", f"M{_fmt(round(x, 1) + round(box.w, 1))}{y0}l{dx}-{dy}v{h}l-{dx} {dy}z")
    front.set("d", f"M{x1}{y0}h{w}v{h}h-{w}z")
    if stage.name:
        labels[0].set("y", _fmt(y - box.dy - 7))
        labels[0].text = stage.name
    labels[-1].set("y", _fmt(y + box.h + LABEL_SIZE + 4))
    labels[-1].text = size_label
    return g


@lru_cache(maxsize=16384)
def _cell(fields: StageFields) -> _Cell:
    """A stage's geometry and drawing; memoised, as networks share stages (the same input, the same first conv)."""
    stage = Stage(*fields)
    box = box_of(stage.shape, stage.hide)
    size_label = _size_label(stage.shape, stage.hide)
    label_w = max(_text_width(size_label, LABEL_SIZE), _text_width(stage.name, LABEL_SIZE))
    shape_w = max(box.w + box.dx, label_w) + 2 * SHAPE_GAP
    arrow = 0.0
    if stage.op:
        arrow = max(56.0, max(_text_width(line, OP_SIZE) for line in stage.lines) + 14)
    up = max(box.h / 2 + box.dy + (LABEL_SIZE + 8 if stage.name else 4), OP_SIZE + 10)
    down = max(box.h / 2 + LABEL_SIZE + 10, 10 + (OP_SIZE + 3) * max(len(stage.lines) - 1, 0) + 4)
    centre = arrow + shape_w / 2
    chain = (f"{stage.op[0]} → " if stage.op else "") + (f"{stage.name} " if stage.name else "") + size_label
    return _Cell(arrow + shape_w, up, down, centre, chain, _draw(stage, box, arrow, centre, size_label))


Row = tuple[list[_Cell], float, float]  # the cells of a row, how far it reaches above its mid line, its height


def _rows(cells: list[_Cell], max_width: float) -> tuple[list[Row], float]:
    """Cells in rows of at most ``max_width``, balanced so the last row is not a lone shape; the widest row's width."""
    total = sum([c.width for c in cells])
    target = total / math.ceil(total / max_width)
    rows: list[Row] = []
    row: list[_Cell] = []
    width = widest = up = down = 0.0
    for cell in cells:
        if row and (width + cell.width > max_width or width + cell.width / 2 > target):
            rows.append((row, up, up + down))
            row, width, up, down = [], 0.0, 0.0, 0.0
        row.append(cell)
        width += cell.width
        if width > widest:
            widest = width
        if cell.up > up:
            up = cell.up
        if cell.down > down:
            down = cell.down
    rows.append((row, up, up + down))
    return rows, widest


class _Canvas:
    """The root of every diagram (shared text style, title, white background) and its row groups, kept from one
    diagram to the next: the stages' groups move between its rows without leaving its document (a move into
    another document costs more), so it draws one diagram at a time."""

    def __init__(self) -> None:
        self.root = etree.Element("svg", {"xmlns": SVG_NS, "width": "0", "height": "0", "viewBox": "0 0 0 0",
                                          "role": "img", "font-family": FONT, "font-size": str(LABEL_SIZE),
                                          "text-anchor": "middle", "fill": "#111111", "stroke-linejoin": "round"})
        self.title = etree.SubElement(self.root, "title")
        etree.SubElement(self.root, _RECT, {"width": "100%", "height": "100%", "fill": "#ffffff"})
        self.groups: list[Any] = []  # row groups made so far; the first ``shown`` are in the tree
        self.shown = 0
        self.lock = threading.Lock()

    def draw(self, width: int, height: int, title: str, rows: list[Row]) -> bytes:
        """The document with these rows of stages, serialized by lxml."""
        root = self.root
        root.set("width", str(width))
        root.set("height", str(height))
        root.set("viewBox", f"0 0 {width} {height}")
        self.title.text = title
        groups, need = self.groups, len(rows)
        if self.shown > need:
            del root[2 + need:]
        else:  # the groups kept out of the tree first, in order, then new ones
            root.extend(groups[self.shown:need])
            while len(groups) < need:
                groups.append(etree.SubElement(root, _G))
        self.shown = need
        try:
            y = float(MARGIN)
            for group, (cells, up, height_of_row) in zip(groups, rows, strict=False):
                x, mid = float(MARGIN), _fmt(y + up)
                for cell in cells:
                    drawing = cell.drawing
                    if drawing.getparent() is not None:  # a stage drawn twice in one diagram: the second a copy
                        drawing = drawing.__copy__()
                    drawing.set("transform", _TRANSLATE(_fmt(x + cell.centre), mid))
                    group.append(drawing)
                    x += cell.width
                y += height_of_row + 10
            return etree.tostring(root, encoding="utf-8")
        finally:
            for group in groups[:len(rows)]:
                del group[:]  # the stages' groups stay in the document, out of the tree, for the next diagram


_CANVAS = _Canvas()


def _chain(items: list[Stage]) -> str:
    # an operation named like the stage it makes is said once ("flatten ?", not "flatten → flatten ?")
    return " → ".join((f"{s.op[0]} → " if s.op and s.op[0] != s.name else "") + (f"{s.name} " if s.name else "")
                      + _size_label(s.shape, s.hide) for s in items)


def network_chain(network: Network, lang: str = "en", problem: Problem | None = None,
                  network_index: int = 0) -> str:
    """The diagram as one line of text (``input 32×32×1 → conv 5×5 → C1 28×28×6 → ...``), asked sizes as '?'."""
    asked = asked_sizes(problem, network, network_index) if problem is not None else None
    return _chain(stages(network, lang, asked))


_NAME, _CHAIN = "\x00name\x00", "\x00chain\x00"  # markers no real name holds (XML forbids NUL)


@cache
def _title_pattern(lang: str) -> str | None:
    """The title template rendered once around markers; None when it does more than insert the two values."""
    from quizgen.text.templating import text

    out = text(lang, "svg_title", name=_NAME, chain=_CHAIN)
    return out if out.count(_NAME) == 1 and out.count(_CHAIN) == 1 else None


def _title(network: Network, chain: str, lang: str) -> str:
    """The diagram's title; filling the pattern spares a Jinja render (~0.2 ms) per diagram of a large export."""
    name = network.title or network.name
    pattern = _title_pattern(lang)
    if pattern is None:
        from quizgen.text.templating import text

        return text(lang, "svg_title", name=name, chain=chain)
    # Jinja's output is stripped: stripping after filling in gives the same text
    return pattern.replace(_NAME, name).replace(_CHAIN, chain).strip()


def network_svg(network: Network, lang: str = "en", max_width: float = MAX_WIDTH,
                problem: Problem | None = None, network_index: int = 0,
                asked: dict[int, set[str]] | None = None) -> str:
    """A standalone SVG document drawing the network: shapes, sizes and the operations between them.

    Rows wrap at ``max_width`` pixels of content (a narrower page asks for narrower rows). With the
    ``problem`` the network belongs to (``network_index`` 0 for its network, i for its i-th extra
    network), the sizes its parts ask for are drawn as '?'; a caller that already has them from
    ``asked_sizes`` passes them as ``asked``.
    """
    if asked is None and problem is not None:
        asked = asked_sizes(problem, network, network_index)
    return network_drawing(network, lang, max_width, asked)[1].decode("utf-8")


def network_drawing(network: Network, lang: str = "en", max_width: float = MAX_WIDTH,
                    asked: dict[int, set[str]] | None = None) -> tuple[str, bytes]:
    """The diagram's title (plain text, for an alt attribute) and ``network_svg``'s document in UTF-8.

    Memoised on what is drawn: networks that differ only in sizes drawn as '?' (the variants of a question on
    an output size) share one drawing, the same bytes object, and their stages share their groups.
    """
    stages_drawn = tuple([(_shown(f[0], f[5]), *f[1:]) if f[5] else f for f in _stage_fields(network, lang, asked)])
    key = (stages_drawn, network.title or network.name, lang, max_width)
    hit = _DOCUMENTS.get(key)
    if hit is not None:
        return hit
    cells = [_cell(fields) for fields in stages_drawn]
    rows, widest = _rows(cells, max_width)
    width = math.ceil(widest + 2 * MARGIN)
    height = math.ceil(sum([row[2] for row in rows]) + 2 * MARGIN + 10 * (len(rows) - 1))
    title = _title(network, " → ".join([c.chain for c in cells]), lang)
    with _CANVAS.lock:
        drawing = title, _CANVAS.draw(width, height, title, rows)
    if len(_DOCUMENTS) >= _DOCUMENTS_LIMIT:
        _DOCUMENTS.clear()
    _DOCUMENTS[key] = drawing
    return drawing


@lru_cache(maxsize=4096)
def _shown(shape: Shape, hide: frozenset[str]) -> Shape:
    """The shape with its hidden sizes set to 0: what a drawing shows of it (``box_of`` and the size label read no
    hidden size), so that stages differing only there are one stage to draw (a third as many in a large export)."""
    if isinstance(shape, FeatureMaps):
        return FeatureMaps(0 if "h" in hide else shape.h, 0 if "w" in hide else shape.w, 0 if "d" in hide else shape.d)
    return Vector(0) if "n" in hide else shape


_DOCUMENTS: dict[tuple, tuple[str, bytes]] = {}  # (stages, network name, lang, width) -> (title, document)
_DOCUMENTS_LIMIT = 4096
