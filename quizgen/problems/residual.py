"""Residual blocks (ResNet): the parameters of a basic or bottleneck block, with or without a projection shortcut.

Every convolution of a block is followed by batch normalization, so it has no bias (as in torchvision); the block's
output is the sum of its body and its shortcut, then ReLU.

Difficulty 1: a basic block (two 3×3 convolutions) that keeps the size and depth, with the identity shortcut: the
parameters of its first convolution and of the whole block, and the output size.
Difficulty 2: the basic block that opens a stage: stride 2 and twice the depth, so the shortcut is a projection
(a strided 1×1 convolution and batch normalization): the output size, the parameters of the body, of the
projection and of the block.
Difficulty 3: a bottleneck block (1×1 to r maps, 3×3, 1×1 to 4r maps), with the identity shortcut when the input
already has 4r maps and stride 1, else with a projection: each convolution, the projection and the block.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from quizgen.errors import QuizgenError
from quizgen.nets.engine import LayerCount, NetworkCount, count
from quizgen.nets.layers import Activation, BatchNorm, Conv, Input, Layer, Network, Residual
from quizgen.problems import Family
from quizgen.problems.common import Text, numeric_part, step
from quizgen.problems.layerkit import maps_text, redraw_relaxed, short, static
from quizgen.problems.measures import At, Total, diff
from quizgen.problems.model import Content, Part, Step
from quizgen.problems.params import ARITHMETIC, Param, Parameters, Params, one_of, whole
from quizgen.problems.totals import total, total_step

ID = "residual"

PARAMETERS = Parameters(
    Param("H", "height and width of the input maps", "altezza e larghezza delle feature map in input", whole(2),
          calculator=(7, 14, 28, 56, 112), hand=(8, 14, 16, 28, 32)),
    Param("C", "depth C of the input maps (difficulty 1-2: the basic block's)",
          "profondità C delle feature map in input (difficoltà 1-2: quella del blocco base)", whole(1),
          calculator=tuple(range(32, 513, 16)), hand=(16, 32, 48, 64),
          difficulties=(1, 2)),
    Param("r", "maps r of the bottleneck's 3×3 convolution (the block outputs 4r)",
          "mappe r della convoluzione 3×3 del bottleneck (il blocco ne produce 4r)", whole(1),
          calculator=tuple(range(32, 513, 16)), hand=(16, 32, 64),
          difficulties=(3,)),
    Param("shortcut", "the bottleneck's shortcut: identity (input of 4r maps, stride 1) or projection",
          "la scorciatoia del bottleneck: identity (input di 4r mappe, stride 1) o projection", one_of(
              "identity", "projection"), default=("identity", "projection"), difficulties=(3,), shape=True),
    Param("s", "stride of a bottleneck with a projection shortcut", "stride di un bottleneck con proiezione",
          one_of(1, 2), default=(1, 2), difficulties=(3,), shape=True),
    ARITHMETIC,
)


def space_of(overrides: Mapping[str, Any], difficulty: int) -> int | None:
    """Distinct draws: H and C (difficulty 1-2); H, r and the shortcut's kind and stride (difficulty 3)."""
    a = PARAMETERS.allowed(overrides, difficulty)
    if difficulty < 3:
        return len(a["H"]) * len(a["C"])
    shortcuts = ("identity" in a["shortcut"]) + ("projection" in a["shortcut"]) * len(a["s"])
    return len(a["H"]) * len(a["r"]) * shortcuts


def validate(overrides: Mapping[str, Any], difficulty: int) -> None:
    """An identity shortcut with stride 2 cannot be added to the body's output."""
    if difficulty == 3 and overrides.get("shortcut") == "identity" and overrides.get("s") == 2:
        raise QuizgenError("an identity shortcut cannot follow a body of stride 2", where="parameters",
                           fix="use shortcut: projection with s: 2 (the first block of a stage), or s: 1")


def _conv(n: int, f: int, s: int, name: str) -> tuple[Layer, Layer]:
    return Conv(n, (f, f), (s, s), (f - 1) // 2, bias=False, name=name), BatchNorm(name="bn" + name[-1])


def _network(h: int, c: int, body: tuple[Layer, ...], shortcut: tuple[Layer, ...]) -> Network:
    return Network(Input(h, h, c), (Residual(body, shortcut, name="B"), Activation("relu")), name=ID)


def generate(rng: random.Random, params: Params, difficulty: int, lang: str) -> Content:
    t = Text(ID, lang)

    def make() -> Content | None:
        h = params.draw("H")
        if difficulty < 3:
            return _basic(t, lang, h, params.draw("C"), difficulty == 2)
        r, kind = params.draw("r"), params.draw("shortcut")
        s = params.draw("s") if kind == "projection" else 1
        if kind == "identity" and params.has("s") and 1 not in params.allowed("s"):
            return None
        return _bottleneck(t, lang, h, r, kind == "projection", s)

    return redraw_relaxed(make)


def _conv_part(t: Text, lang: str, lc: LayerCount, key: str) -> Part:
    layer = lc.layer
    assert isinstance(layer, Conv)
    c, n, f = lc.input_shape.d, layer.filters, layer.kernel[0]  # type: ignore[union-attr]
    ctx = {"f": f, "C": c, "N_c": n, "weights": int(lc.weights.value), "biases": 0, "params": int(lc.parameters.value)}
    extra = [("conv-bias-before-bn", ctx["params"] + n)]
    if f == 1:  # a bottleneck's 1×1 convolutions: with the 3×3 kernel of the middle one, or on r maps both sides
        extra += [("bottleneck-kernel-3x3", 9 * c * n), ("bottleneck-depth-r", min(c, n) ** 2)]
    return numeric_part(key, t("part_conv", name=layer.name), lc.parameters, "conv.params", ctx, lang,
                        only=("forgot-depth", "f-not-squared"), extra=tuple(extra), measure=At("params", lc.label))


def _rows(counted: NetworkCount, prefix: str) -> list[LayerCount]:
    return [lc for lc in counted.layers if lc.label.startswith(prefix) and int(lc.parameters.value)]


def _size_part(t: Text, lang: str, first: LayerCount) -> tuple[Part, Step]:
    layer = first.layer
    assert isinstance(layer, Conv) and first.out_h is not None
    ctx = {"W": first.input_shape.h, "f": layer.kernel[0], "s": layer.stride[0],  # type: ignore[union-attr]
           "p": layer.padding, "padding": None}
    part = numeric_part("size", t("part_size"), first.out_h.size, "size", ctx, lang, measure=At("out_h", "B"))
    return part, step(t("step_size", s=layer.stride[0], name=layer.name), first.out_h.size, "O")


def _block_part(t: Text, lang: str, counted: NetworkCount, projection: int | None, key: str = "block",
                measure: Any = None) -> tuple[Part, Step]:
    rows = [lc for lc in counted.layers if int(lc.parameters.value)]
    quantity = total([int(lc.parameters.value) for lc in rows], ID)
    convs = [lc for lc in rows if isinstance(lc.layer, Conv)]
    weights = sum(int(lc.weights.value) for lc in convs)
    bn = int(quantity.value) - weights
    n = counted.output_shape.d  # type: ignore[union-attr]
    ctx = {"params": int(quantity.value), "weights": weights, "biases": bn, "R": projection,
           "C": counted.layers[0].input_shape.d, "N_c": n,  # type: ignore[union-attr]
           "n": sum(lc.layer.filters for lc in convs)}  # type: ignore[union-attr]
    part = numeric_part(key, t("part_block"), quantity, "residual.params", ctx, lang,
                        measure=measure or Total("params"))
    terms = [_symbol(lc) for lc in rows]
    return part, total_step(t("step_block", projection=projection is not None), quantity, "P_B", terms, lang)


def _symbol(lc: LayerCount) -> str:
    name = lc.label.removeprefix("B.").replace("shortcut.", "")
    return "P_{" + name.replace("_", r"\_") + "}"


def _layer_steps(t: Text, rows: list[LayerCount]) -> list[Step]:
    steps = []
    for lc in rows:
        block = "step_bn" if isinstance(lc.layer, BatchNorm) else "step_conv"
        steps.append(step(t(block, name=lc.layer.name, shortcut="shortcut" in lc.label), lc.parameters,
                          _symbol(lc)))
    return steps


def _projection_part(t: Text, lang: str, counted: NetworkCount) -> tuple[Part, int]:
    rows = _rows(counted, "B.shortcut.")
    conv = rows[0]
    quantity = total([int(lc.parameters.value) for lc in rows], ID)
    ctx = {"params": int(quantity.value), "weights": int(conv.weights.value), "biases": int(rows[1].parameters.value),
           "C": conv.input_shape.d, "N_c": conv.layer.filters, "n": conv.layer.filters,  # type: ignore[union-attr]
           "f": 3}
    measure = diff(Total("params"), _body_measure(counted))
    part = numeric_part("projection", t("part_projection"), quantity, "projection.params", ctx, lang,
                        measure=measure)
    return part, int(quantity.value)


def _body_measure(counted: NetworkCount) -> Any:
    from quizgen.problems.measures import sum_of

    return sum_of(*(At("params", lc.label) for lc in _rows(counted, "B.") if "shortcut" not in lc.label))


def _basic(t: Text, lang: str, h: int, c: int, downsample: bool) -> Content | None:
    out, s = (2 * c, 2) if downsample else (c, 1)
    body = (*_conv(out, 3, s, "conv1"), Activation("relu"), *_conv(out, 3, 1, "conv2"))
    shortcut = (Conv(out, (1, 1), (s, s), 0, bias=False, name="proj"), BatchNorm(name="bnp")) if downsample else ()
    network = _network(h, c, body, shortcut)
    counted = count(network)
    rows = _rows(counted, "B.")
    first = rows[0]
    size, size_step = _size_part(t, lang, first)
    if not downsample:
        block, block_step = _block_part(t, lang, counted, None)
        parts = [_conv_part(t, lang, first, "conv1"), block, size]
        steps = [*_layer_steps(t, rows), block_step, size_step]
    else:
        body_rows = [lc for lc in rows if "shortcut" not in lc.label]
        body_q = total([int(lc.parameters.value) for lc in body_rows], ID)
        weights = sum(int(lc.weights.value) for lc in body_rows if isinstance(lc.layer, Conv))
        ctx = {"params": int(body_q.value), "weights": weights, "biases": int(body_q.value) - weights, "C": c,
               "N_c": out, "n": 2 * out}
        body_part = numeric_part("body", t("part_body"), body_q, "residual.params", ctx, lang,
                                 only=("bn-forgotten", "bn-buffers-counted", "conv-bias-before-bn"),
                                 measure=_body_measure(counted))
        projection, r = _projection_part(t, lang, counted)
        block, block_step = _block_part(t, lang, counted, r)
        parts = [size, body_part, projection, block]
        body_terms = [_symbol(lc) for lc in body_rows]
        steps = [size_step, *_layer_steps(t, rows),
                 total_step(t("step_body"), body_q, r"P_{body}", body_terms, lang), block_step]
    if short(any(len(p.distractors) < 2 for p in parts if p.key != "size"), not size.distractors):
        return None
    stem = t("stem", difficulty=2 if downsample else 1, maps=maps_text(h, h, c, lang), C=c, N=out)
    return _content(lang, stem, parts, steps, network)


def _bottleneck(t: Text, lang: str, h: int, r: int, projection: bool, s: int) -> Content | None:
    out = 4 * r
    c = out if not projection else (out // 2 if s == 2 else r)  # a stage's first block: half the maps, or the stem's
    body = (*_conv(r, 1, 1, "conv1"), Activation("relu"), *_conv(r, 3, s, "conv2"), Activation("relu"),
            *_conv(out, 1, 1, "conv3"))
    shortcut = (Conv(out, (1, 1), (s, s), 0, bias=False, name="proj"), BatchNorm(name="bnp")) if projection else ()
    network = _network(h, c, body, shortcut)
    counted = count(network)
    rows = _rows(counted, "B.")
    convs = [lc for lc in rows if isinstance(lc.layer, Conv) and "shortcut" not in lc.label]
    parts = [_conv_part(t, lang, lc, lc.layer.name) for lc in convs]  # type: ignore[union-attr]
    r_params = None
    if projection:
        part, r_params = _projection_part(t, lang, counted)
        parts.append(part)
    block, block_step = _block_part(t, lang, counted, r_params)
    parts.append(block)
    steps = [*_layer_steps(t, rows), block_step]
    if s > 1:
        size, size_step = _size_part(t, lang, convs[1])
        parts.append(size)
        steps.append(size_step)
    if short(any(len(p.distractors) < 2 for p in parts if p.key != "size")):
        return None
    stem = t("stem", difficulty=3, maps=maps_text(h, h, c, lang), C=c, r=r, N=out, s=s, projection=projection)
    return _content(lang, stem, parts, steps, network)


def _content(lang: str, stem: str, parts: list[Part], steps: list[Step], network: Network) -> Content:
    return Content(title=static(ID, lang, "title"), stem=stem, parts=tuple(parts), solution=tuple(steps),
                   network=network, hint=static(ID, lang, "hint"), tags=("parameters", "residual"))


FAMILY = Family(
    id=ID,
    summary={"en": "residual blocks (ResNet): parameters of a basic or bottleneck block, with or without the "
                   "projection shortcut; output size",
             "it": "blocchi residui (ResNet): parametri di un blocco base o bottleneck, con o senza la proiezione "
                   "della scorciatoia; dimensione dell'output"},
    generate=generate,
    parameters=PARAMETERS,
    validate=validate,
    space=space_of,
    tags=("parameters",),
)
