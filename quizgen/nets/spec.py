"""The one-line network spec: ``32x32x1 > conv 6 5 > maxpool 2 > fc 120 > fc 10``.

Grammar (layers separated by ``>``; an optional ``NAME:`` labels a layer)::

    HxWxC                          input (first item)
    conv N K[/S] [s=S] [p=P|same|valid] [d=D] [g=G] [nobias] [table=lenet5|ROWS]
    deconv N K[/S] [p=P] [op=A] [d=D] [g=G] [nobias]     transposed convolution (output padding A)
    maxpool F[/S] [s=S] [p=...] [ceil]    avgpool F[/S] ... [ceil]    subsample F[/S]  (LeNet's)
    adaptiveavgpool N[xM]   globalavgpool   crop N[xM]   flatten   fc N [nobias]   rbf N   bn
    relu  relu6  tanh  sigmoid  softmax   dropout [RATE]   lrn [SIZE]
    concat(BRANCH | BRANCH | ...)  branches on the same input, concatenated along the maps
    res(BODY [| SHORTCUT])         BODY + SHORTCUT (no shortcut: the identity), added element-wise

K, S, D and A are a number (5) or HxW (3x5). P is a number, HxW (per axis: p=0x1 pads 0 rows above
and below, 1 column left and right) or top,bottom,left,right (p=1,2,1,2). A branch is layers joined
by ``>``, or ``id`` (the input itself); blocks nest. ROWS is a connection table: one row of 0/1 per
input map, rows separated by ``/``. Errors name the layer (with its block and branch) and the column
where parsing stopped.
"""

from __future__ import annotations

import difflib
import re

from quizgen.errors import QuizgenError
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
    Input,
    Layer,
    Network,
    Padding,
    Pool,
    Residual,
)
from quizgen.nets.tables import LENET5_C3_TABLE

KINDS = (
    "conv", "maxpool", "avgpool", "subsample", "adaptiveavgpool", "flatten", "fc", "dense", "rbf",
    "relu", "tanh", "sigmoid", "softmax", "dropout", "lrn", "deconv", "bn", "globalavgpool", "crop", "relu6",
    "concat", "res",
)
_BLOCKS = ("concat", "res")
_OPTIONS = {
    "conv": ("s", "p", "d", "g", "table", "bias"),
    "deconv": ("s", "p", "op", "d", "g", "bias"),
    "maxpool": ("s", "p", "ceil"),
    "avgpool": ("s", "p", "ceil"),
    "subsample": ("s", "p"),
    "fc": ("bias",),
    "dense": ("bias",),
}
_ALIASES = {"stride": "s", "padding": "p", "groups": "g", "dilation": "d", "output_padding": "op"}
_FLAGS = {"same": "p", "valid": "p", "nobias": "bias", "ceil": "ceil"}
_DIMS = re.compile(r"^(\d+)x(\d+)x(\d+)$")
_PAIR = re.compile(r"^(\d+)(?:x(\d+))?$")


class _Where:
    """Location of a token in the spec, for error messages (``branch``: the block and branch it is in)."""

    def __init__(self, spec: str, layer_no: int, text: str, column: int, branch: str = "") -> None:
        self.spec, self.layer_no, self.text, self.column = spec, layer_no, text, column
        self.branch = branch

    def error(self, message: str, fix: str) -> QuizgenError:
        inside = f"branch {self.branch}, " if self.branch else ""
        return QuizgenError(
            message, where=f"spec, {inside}layer {self.layer_no} '{self.text}' (column {self.column})", fix=fix)


def _suggest(word: str, choices: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    return "known: " + ", ".join(choices)


def _positive(token: str, where: _Where, what: str) -> int:
    if not re.fullmatch(r"-?\d+", token):
        raise where.error(f"{what} '{token}' is not a whole number", f"write {what} as a positive integer")
    value = int(token)
    if value <= 0:
        raise where.error(f"{what} is {value}", f"{what} must be at least 1")
    return value


def _filters_kernel_stride(positional: list[str], options: dict[str, str],
                           where: _Where) -> tuple[int, tuple[int, int], tuple[int, int]]:
    """Filters, kernel and stride of a conv or deconv: ``N f``, ``N f/s``, ``N f s`` or ``s=`` (stride 1 by default)."""
    filters = _positive(positional[0], where, "the number of filters")
    kernel_token, _, stride_token = positional[1].partition("/")
    kernel = _pair(kernel_token, where, "the kernel size")
    stride = _pair(stride_token or options.get("s", "1"), where, "the stride")
    if len(positional) == 3:
        stride = _pair(positional[2], where, "the stride")
    return filters, kernel, stride


def _pair(token: str, where: _Where, what: str) -> tuple[int, int]:
    m = _PAIR.match(token)
    if not m:
        if re.fullmatch(r"-?\d+(x-?\d+)?", token):
            raise where.error(f"{what} '{token}' must be positive", f"{what} must be at least 1")
        raise where.error(f"{what} '{token}' is not a size", f"write {what} as N or HxW, e.g. 5 or 3x5")
    a = int(m.group(1))
    b = int(m.group(2)) if m.group(2) else a
    if a <= 0 or b <= 0:
        raise where.error(f"{what} '{token}' must be positive", f"{what} must be at least 1")
    return a, b


def _padding(token: str, where: _Where) -> Padding:
    word = token.lower()
    if word in ("same", "valid"):
        return word  # type: ignore[return-value]
    if re.fullmatch(r"\d+", token):
        return int(token)
    if m := re.fullmatch(r"(\d+)x(\d+)", token):
        h, w = int(m.group(1)), int(m.group(2))
        return h if h == w else (h, h, w, w)
    if re.fullmatch(r"\d+,\d+,\d+,\d+", token):
        top, bottom, left, right = (int(x) for x in token.split(","))
        return top if top == bottom == left == right else (top, bottom, left, right)
    raise where.error(f"padding '{token}' is not understood",
                      "write p=N (N >= 0), p=HxW (per axis), p=top,bottom,left,right, same or valid")


def _pair0(token: str, where: _Where, what: str) -> tuple[int, int]:
    """N or HxW, each at least 0 (output padding)."""
    m = re.fullmatch(r"(\d+)(?:x(\d+))?", token)
    if not m:
        raise where.error(f"{what} '{token}' is not understood", f"write {what} as N or HxW, each 0 or more")
    a = int(m.group(1))
    return a, int(m.group(2)) if m.group(2) else a


def parse_table(token: str, where: _Where | None = None) -> tuple[tuple[bool, ...], ...]:
    """A connection table from ``lenet5`` or rows of 0/1 separated by ``/``."""
    if token.lower() in ("lenet5", "lenet"):
        return LENET5_C3_TABLE
    rows = token.split("/")
    if not rows or any(not re.fullmatch(r"[01xX.]+", r) for r in rows):
        message = f"connection table '{token}' is not rows of 0/1"
        fix = "write table=lenet5 or rows like table=110/011 (one row per input map)"
        if where is None:
            raise QuizgenError(message, fix=fix)
        raise where.error(message, fix)
    return tuple(tuple(ch in "1xX" for ch in row) for row in rows)


def _layer(kind: str, args: list[str], name: str, where: _Where) -> Layer:
    positional = [a for a in args if "=" not in a and a.lower() not in _FLAGS]
    options: dict[str, str] = {}
    for a in args:
        if "=" in a:
            key, _, value = a.partition("=")
            key = _ALIASES.get(key, key)
            allowed = _OPTIONS.get(kind, ())
            if key not in allowed:
                names = [*allowed, *(k for k, v in _ALIASES.items() if v in allowed)]
                hint = _suggest(key, names) if allowed else f"'{kind}' takes no options"
                raise where.error(f"unknown option '{key}' for {kind}", hint)
            options[key] = value
        elif a.lower() in ("same", "valid"):
            if "p" not in _OPTIONS.get(kind, ()):
                raise where.error(f"'{kind}' takes no padding", f"remove '{a}'")
            options["p"] = a.lower()
        elif a.lower() == "nobias":
            if "bias" not in _OPTIONS.get(kind, ()):
                raise where.error(f"'{kind}' has no bias to remove", "remove 'nobias'")
            options["bias"] = "no"
        elif a.lower() == "ceil":
            if "ceil" not in _OPTIONS.get(kind, ()):
                raise where.error(f"'{kind}' has no ceil mode", "remove 'ceil' (it is for maxpool and avgpool)")
            options["ceil"] = "yes"

    def need(count: int, usage: str) -> None:
        if len(positional) < count:
            raise where.error(f"{kind} needs {usage}", f"write e.g. '{_EXAMPLES[kind]}'")
        if len(positional) > count + (1 if kind in ("conv", "deconv", "maxpool", "avgpool", "subsample") else 0):
            raise where.error(f"too many values for {kind}: {' '.join(positional)}",
                              f"write e.g. '{_EXAMPLES[kind]}'")

    if kind == "conv":
        need(2, "a number of filters and a kernel size")
        filters, kernel, stride = _filters_kernel_stride(positional, options, where)
        groups = _positive(options.get("g", "1"), where, "the number of groups")
        table = parse_table(options["table"], where) if "table" in options else None
        table_name = "LeNet-5 Table I" if options.get("table", "").lower() in ("lenet5", "lenet") else None
        bias = options.get("bias", "yes").lower() not in ("no", "false", "0", "off")
        padding = _padding(options.get("p", "0"), where)
        dilation = _pair(options.get("d", "1"), where, "the dilation")
        return Conv(filters, kernel, stride, padding, groups, bias, table, table_name, name, dilation)
    if kind == "deconv":
        need(2, "a number of filters and a kernel size")
        filters, kernel, stride = _filters_kernel_stride(positional, options, where)
        padding = _padding(options.get("p", "0"), where)
        if isinstance(padding, str) or (isinstance(padding, tuple) and (padding[0] != padding[1]
                                                                        or padding[2] != padding[3])):
            raise where.error(f"a transposed convolution takes no padding '{options.get('p')}'",
                              "write p=N or p=HxW (the same above and below, left and right)")
        return Deconv(filters, kernel, stride, padding, _pair0(options.get("op", "0"), where, "the output padding"),
                      _positive(options.get("g", "1"), where, "the number of groups"),
                      options.get("bias", "yes").lower() not in ("no", "false", "0", "off"),
                      _pair(options.get("d", "1"), where, "the dilation"), name)
    if kind in ("maxpool", "avgpool", "subsample"):
        need(1, "a window size")
        kernel_token, _, stride_token = positional[0].partition("/")
        kernel = _pair(kernel_token, where, "the window size")
        stride = _pair(stride_token or options.get("s", kernel_token), where, "the stride")
        if len(positional) == 2:
            stride = _pair(positional[1], where, "the stride")
        padding = _padding(options.get("p", "0"), where)
        pool_kind = "max" if kind == "maxpool" else "avg"
        return Pool(pool_kind, kernel, stride, padding, kind == "subsample", name,  # type: ignore[arg-type]
                    "ceil" in options)
    if kind == "adaptiveavgpool":
        need(1, "an output size")
        return AdaptiveAvgPool(_pair(positional[0], where, "the output size"), name)
    if kind == "flatten":
        need(0, "nothing")
        return Flatten(name)
    if kind == "crop":
        need(1, "an output size")
        return Crop(_pair(positional[0], where, "the crop size"), name)
    if kind == "bn":
        need(0, "nothing")
        return BatchNorm(name)
    if kind == "globalavgpool":
        need(0, "nothing")
        return GlobalAvgPool(name)
    if kind in ("fc", "dense"):
        need(1, "a number of units")
        bias = options.get("bias", "yes").lower() not in ("no", "false", "0", "off")
        return Dense(_positive(positional[0], where, "the number of units"), bias, name)
    if kind == "rbf":
        need(1, "a number of units")
        return RBF(_positive(positional[0], where, "the number of units"), name)
    if kind in ("relu", "relu6", "tanh", "sigmoid", "softmax"):
        need(0, "nothing")
        return Activation(kind, name)  # type: ignore[arg-type]
    if kind == "dropout":
        if len(positional) > 1:
            raise where.error("too many values for dropout", "write e.g. 'dropout 0.5'")
        rate = 0.5
        if positional:
            try:
                rate = float(positional[0])
            except ValueError:
                raise where.error(f"dropout rate '{positional[0]}' is not a number", "write e.g. 'dropout 0.5'") \
                    from None
            if not 0 <= rate < 1:
                raise where.error(f"dropout rate {rate} is outside [0, 1)", "write e.g. 'dropout 0.5'")
        return Dropout(rate, name)
    if kind == "lrn":
        if len(positional) > 1:
            raise where.error("too many values for lrn", "write e.g. 'lrn 5'")
        return LRN(_positive(positional[0], where, "the LRN size") if positional else 5, name)
    raise AssertionError(kind)


_EXAMPLES = {
    "conv": "conv 6 5", "maxpool": "maxpool 2", "avgpool": "avgpool 2", "subsample": "subsample 2",
    "adaptiveavgpool": "adaptiveavgpool 6", "flatten": "flatten", "fc": "fc 120", "dense": "dense 120",
    "rbf": "rbf 10", "relu": "relu", "tanh": "tanh", "sigmoid": "sigmoid", "softmax": "softmax",
    "deconv": "deconv 64 2/2", "crop": "crop 392", "bn": "bn", "globalavgpool": "globalavgpool", "relu6": "relu6",
}


def parse_layer(text: str, layer_no: int = 1, spec: str | None = None, column: int = 1, branch: str = "") -> Layer:
    """One layer in the spec grammar, e.g. ``C1: conv 6 5`` or ``res(conv 8 3 p=1 > bn)``."""
    where = _Where(spec or text, layer_no, text.strip(), column, branch)
    body = text.strip()
    name = ""
    m = re.match(r"^([A-Za-z][\w.-]*)\s*:\s*(.*)$", body, flags=re.DOTALL)
    if m:
        name, body = m.group(1), m.group(2)
    tokens = body.split()
    if not tokens:
        raise where.error("empty layer", "remove the extra '>' or write a layer such as 'conv 6 5'")
    block = re.match(r"^([A-Za-z]+)\s*\(", body)
    if block:
        kind = block.group(1).lower()
        if kind not in _BLOCKS:
            raise where.error(f"unknown block '{block.group(1)}'", _suggest(kind, list(_BLOCKS)))
        return _block(kind, body, name, where, column + len(text.strip()) - len(body))
    kind = tokens[0].lower()
    if kind not in KINDS or kind in _BLOCKS:
        if "(" in body or ")" in body:
            raise where.error(f"'{body}' is not a layer", "write a block as concat(A | B) or res(BODY | SHORTCUT)")
        raise where.error(f"unknown layer '{tokens[0]}'", _suggest(kind, list(KINDS)))
    return _layer(kind, tokens[1:], name, where)


def _split(text: str, separator: str, column: int, where: _Where) -> list[tuple[str, int]]:
    """``text`` cut at each ``separator`` outside parentheses, with the column each piece starts at."""
    pieces: list[tuple[str, int]] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                raise where.error(f"')' at column {column + i} closes nothing", "remove it or add the '(' it closes")
        elif ch == separator and depth == 0:
            pieces.append((text[start:i], column + start))
            start = i + 1
    if depth:
        raise where.error("a '(' is not closed", "close every block with ')'")
    pieces.append((text[start:], column + start))
    return [(piece.strip(), col + len(piece) - len(piece.lstrip())) for piece, col in pieces]


def _block(kind: str, body: str, name: str, where: _Where, column: int) -> Layer:
    """``concat(A | B | ...)`` or ``res(BODY | SHORTCUT)``: each branch is layers joined by ``>``, or ``id``."""
    open_at = body.index("(")
    if not body.rstrip().endswith(")"):
        raise where.error(f"text after the closing ')' of {kind}", "end the block with ')' and join layers with '>'")
    inner = body[open_at + 1:body.rstrip().rindex(")")]
    label = name or f"{kind}#{where.layer_no}"
    if where.branch:
        label = f"{where.branch}.{label}"
    parts = _split(inner, "|", column + open_at + 1, where)
    if kind == "res" and len(parts) > 2:
        raise where.error(f"res takes a body and at most one shortcut, not {len(parts)} branches",
                          "write res(BODY) or res(BODY | SHORTCUT), e.g. res(conv 64 3 p=1 > bn | conv 64 1 > bn)")
    if kind == "concat" and len(parts) < 2:
        raise where.error("concat needs at least two branches", "separate the branches with '|': concat(A | B)")
    branches = []
    for number, (text, col) in enumerate(parts, start=1):
        branch_name = label if kind == "res" and number == 1 else (
            f"{label}.shortcut" if kind == "res" else f"{label}.{number}")
        if text.strip().lower() in ("id", "identity"):
            branches.append(())
            continue
        if not text.strip():
            raise QuizgenError("empty branch", where=f"spec, branch {branch_name} (column {col})",
                               fix="write its layers joined by '>', or 'id' for the input itself")
        layers = _split(text, ">", col, where)
        branches.append(tuple(parse_layer(t, i, where.spec, c, branch_name) for i, (t, c) in enumerate(layers, 1)))
    if kind == "concat":
        return Concat(tuple(branches), name)
    if not branches[0]:
        raise where.error("the body of a res block is the identity", "put the block's layers first: res(BODY | id)")
    return Residual(branches[0], branches[1] if len(branches) > 1 else (), name)


def parse_input(text: str, where: _Where | None = None) -> Input:
    """``32x32x1`` (or ``input 32x32x1``) as an Input layer."""
    body = text.strip()
    name = "In"
    m = re.match(r"^([A-Za-z][\w.-]*)\s*:\s*(.*)$", body)
    if m:
        name, body = m.group(1), m.group(2)
    body = re.sub(r"^input\s+", "", body, flags=re.IGNORECASE).replace(" ", "")
    dims = _DIMS.match(body.lower())
    if not dims:
        message = f"'{text.strip()}' is not an input size"
        fix = "start with the input as HxWxC, e.g. 32x32x1 (grey) or 224x224x3 (RGB)"
        if where is None:
            raise QuizgenError(message, where="spec, input", fix=fix)
        raise where.error(message, fix)
    h, w, c = (int(x) for x in dims.groups())
    if min(h, w, c) <= 0:
        raise QuizgenError(f"input {h}x{w}x{c} has a zero size", where="spec, input", fix="give positive H x W x C")
    return Input(h, w, c, name)


MAX_DIGITS = 18  # far beyond any network, and far below Python's limit on converting digits
TOO_MANY_DIGITS = re.compile(rf"\d{{{MAX_DIGITS + 1},}}")


def parse_spec(spec: str, name: str = "spec") -> Network:
    """A Network from a one-line spec; QuizgenError naming the layer and column on any mistake."""
    spec = spec.replace("×", "x")  # the notation quizgen prints (32×32×1) reads back
    too_long = TOO_MANY_DIGITS.search(spec)
    if too_long:
        raise QuizgenError(f"a number of {len(too_long.group()):,} digits",
                           where=f"spec, column {too_long.start() + 1}",
                           fix=f"use numbers of at most {MAX_DIGITS} digits")
    pieces = _split(spec, ">", 1, _Where(spec, 0, spec.strip(), 1))
    first, first_col = pieces[0]
    if not first.strip():
        raise QuizgenError("the spec is empty", where="spec", fix="write e.g. '32x32x1 > conv 6 5 > fc 10'")
    if re.match(r"^\s*([A-Za-z][\w.-]*\s*:\s*)?(input\s+)?\d", first, flags=re.IGNORECASE):
        inp = parse_input(first, _Where(spec, 0, first.strip(), first_col))
    else:
        head = first.split()[0].lower() if first.split() else ""
        if head in ("fc", "dense", "flatten"):
            raise QuizgenError(
                f"'{first.strip()}' comes before anything to flatten",
                where=f"spec, layer 1 '{first.strip()}' (column {first_col})",
                fix="start with the input size, e.g. '32x32x1 > ...'",
            )
        raise QuizgenError(
            f"'{first.strip()}' is not an input size",
            where=f"spec, column {first_col}",
            fix="start with the input as HxWxC, e.g. 32x32x1 > conv 6 5",
        )
    layers = tuple(parse_layer(text, i, spec, col) for i, (text, col) in enumerate(pieces[1:], start=1))
    return Network(inp, layers, name=name, title=spec.strip())


def format_layer(layer: Layer) -> str:
    """The spec text of a layer (inverse of parse_layer, names included)."""
    prefix = f"{layer.name}: " if layer.name else ""

    def pair(p: tuple[int, int]) -> str:
        return str(p[0]) if p[0] == p[1] else f"{p[0]}x{p[1]}"

    def pad(p: Padding) -> str:
        if isinstance(p, tuple):
            top, bottom, left, right = p
            return f" p={top}x{left}" if (top, left) == (bottom, right) else f" p={top},{bottom},{left},{right}"
        return f" {p}" if isinstance(p, str) else (f" p={p}" if p else "")

    if isinstance(layer, Conv):
        text = f"conv {layer.filters} {pair(layer.kernel)}"
        if layer.stride != (1, 1):
            text += f"/{pair(layer.stride)}"
        text += pad(layer.padding)
        if layer.dilation != (1, 1):
            text += f" d={pair(layer.dilation)}"
        if layer.groups != 1:
            text += f" g={layer.groups}"
        if not layer.bias:
            text += " nobias"
        if layer.table is not None and layer.table == _lenet_table():
            text += " table=lenet5"
        elif layer.table is not None:
            text += " table=" + "/".join("".join("1" if c else "0" for c in row) for row in layer.table)
        return prefix + text
    if isinstance(layer, Pool):
        kind = "subsample" if layer.trainable else f"{layer.kind}pool"
        text = f"{kind} {pair(layer.kernel)}"
        if layer.stride != layer.kernel:
            text += f"/{pair(layer.stride)}"
        return prefix + text + pad(layer.padding) + (" ceil" if layer.ceil else "")
    if isinstance(layer, Deconv):
        text = f"deconv {layer.filters} {pair(layer.kernel)}"
        if layer.stride != (1, 1):
            text += f"/{pair(layer.stride)}"
        text += pad(layer.padding)
        if layer.output_padding != (0, 0):
            text += f" op={pair(layer.output_padding)}"
        if layer.dilation != (1, 1):
            text += f" d={pair(layer.dilation)}"
        if layer.groups != 1:
            text += f" g={layer.groups}"
        return prefix + text + ("" if layer.bias else " nobias")
    if isinstance(layer, Crop):
        return prefix + f"crop {pair(layer.size)}"
    if isinstance(layer, BatchNorm):
        return prefix + "bn"
    if isinstance(layer, GlobalAvgPool):
        return prefix + "globalavgpool"
    if isinstance(layer, Concat):
        return prefix + "concat(" + " | ".join(_format_branch(b) for b in layer.branches) + ")"
    if isinstance(layer, Residual):
        shortcut = f" | {_format_branch(layer.shortcut)}" if layer.shortcut else ""
        return prefix + f"res({_format_branch(layer.body)}{shortcut})"
    if isinstance(layer, AdaptiveAvgPool):
        return prefix + f"adaptiveavgpool {pair(layer.out)}"
    if isinstance(layer, Flatten):
        return prefix + "flatten"
    if isinstance(layer, Dense):
        return prefix + f"fc {layer.units}" + ("" if layer.bias else " nobias")
    if isinstance(layer, RBF):
        return prefix + f"rbf {layer.units}"
    if isinstance(layer, Activation):
        return prefix + layer.fn
    if isinstance(layer, Dropout):
        return prefix + f"dropout {layer.rate:g}"
    if isinstance(layer, LRN):
        return prefix + f"lrn {layer.size}"
    raise AssertionError(layer)


def _lenet_table() -> tuple[tuple[bool, ...], ...]:
    return LENET5_C3_TABLE


def _format_branch(layers: tuple[Layer, ...]) -> str:
    return " > ".join(format_layer(layer) for layer in layers) if layers else "id"


def format_spec(network: Network) -> str:
    """The one-line spec of a network."""
    inp = network.input
    head = f"{inp.h}x{inp.w}x{inp.c}"
    return " > ".join([head, *(format_layer(layer) for layer in network.layers)])
