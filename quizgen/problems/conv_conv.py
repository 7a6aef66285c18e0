"""conv→conv: parameters of a convolutional layer after another one (#W_c = f²·C·N_c, #B_c = N_c).

C is the depth of the previous feature maps: the number of filters of the previous conv layer, kept
by a pooling layer in between. The stem gives the previous layer, so the student must find C.
Difficulty 1: weights and parameters, the previous layer a conv, a conv and a pooling, or given maps.
Difficulty 2: the sizes too (explicit padding): the previous layer's output first, then this layer's.
Difficulty 3: a network of 2–3 conv layers (pooling between some): every conv's parameters and the total.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from quizgen.nets.engine import LayerCount, count
from quizgen.nets.layers import Conv, Input, Network, Pool
from quizgen.problems import Family
from quizgen.problems.common import Text, numeric_part, step
from quizgen.problems.layerkit import (
    conventions,
    describe,
    fits_by_hand,
    maps_text,
    redraw_relaxed,
    require_space,
    short,
    size_of,
    space,
    static,
    total_quantity,
)
from quizgen.problems.measures import At, Total
from quizgen.problems.model import Content, Part, Step
from quizgen.problems.params import ARITHMETIC, Param, Parameters, Params, one_of, whole
from quizgen.problems.totals import total_step

ID = "conv-conv"
# the mistake this family exists to catch: C taken from the image, not from the previous layer's maps
DEFINING = ("image-depth-not-maps",)

PARAMETERS = Parameters(
    Param("C_img", "channels of the input image: 1 (grey) or 3 (RGB)",
          "canali dell'immagine di input: 1 (grigi) o 3 (RGB)", one_of(1, 3), default=(1, 3)),
    Param("W", "input width and height", "larghezza e altezza dell'input", whole(1),
          calculator=(28, 32, 48, 64, 96, 128, 224), hand=(16, 20, 24, 28, 32)),
    Param("prev", "what precedes the layer: conv (a convolutional layer), pool (a convolutional layer, then "
                  "2 × 2 max pooling) or maps (given H × W × D feature maps)",
          "che cosa precede il layer: conv (un layer convoluzionale), pool (un layer convoluzionale, poi max "
          "pooling 2 × 2) o maps (feature map H × W × D date)",
          one_of("conv", "pool", "maps"), default=("conv", "pool", "maps"), difficulties=(1, 2), shape=True),
    Param("N1", "filters of the first convolutional layer (the depth C of the layer asked about)",
          "filtri del primo layer convoluzionale (la profondità C del layer richiesto)", whole(1),
          calculator=(6, 12, 16, 24, 32, 48, 64, 96, 128), hand=(4, 6, 8, 10, 16)),
    Param("f1", "kernel size of the first convolutional layer", "dimensione del kernel del primo layer convoluzionale",
          whole(1), calculator=(3, 5, 7, 11), hand=(3, 5)),
    Param("f", "kernel size f of the layer asked about (difficulty 3: of every later layer)",
          "dimensione f del kernel del layer richiesto (difficoltà 3: di ogni layer successivo)",
          whole(1), calculator=(1, 3, 5, 7), hand=(1, 3, 5)),
    Param("N", "filters N_c of the layer asked about (difficulty 3: of every later layer)",
          "filtri N_c del layer richiesto (difficoltà 3: di ogni layer successivo)", whole(1),
          calculator=(16, 32, 48, 64, 96, 128, 192, 256, 384), hand=(4, 8, 10, 16, 20, 32)),
    Param("s", "stride of both convolutional layers", "stride di entrambi i layer convoluzionali", whole(1),
          default=(1, 2), difficulties=(2,)),
    Param("p", "explicit zero padding of both convolutional layers",
          "zero padding esplicito di entrambi i layer convoluzionali", whole(0), default=(0, 1, 2),
          difficulties=(2,)),
    Param("layers", "convolutional layers in the network", "layer convoluzionali nella rete", one_of(2, 3),
          default=(2, 3), difficulties=(3,), shape=True),
    ARITHMETIC,
)


def _valid(W: int, f1: int, f: int, s: int, p: int, prev: str, hand: bool, difficulty: int) -> bool:
    """Difficulty 2: both layers fit (explicit padding), by hand with whole divisions."""
    if difficulty != 2:
        return True
    o1 = W if prev == "maps" else size_of(W, f1, s, p)
    if o1 is not None and prev == "pool":
        o1 = o1 // 2 if o1 >= 2 else None
    if o1 is None or (hand and prev != "maps" and not fits_by_hand(W, f1, s, p)):
        return False
    o2 = size_of(o1, f, s, p)
    return o2 is not None and o2 >= 1 and (not hand or (fits_by_hand(o1, f, s, p)))


def space_of(overrides: Mapping[str, Any], difficulty: int) -> int | None:
    """Distinct draws of (C_img, W, prev, N1, f1, f, N, s, p) at difficulty 1-2; None at 3."""
    if difficulty == 3:
        return None
    hand = overrides.get("arithmetic") == "hand"
    a = PARAMETERS.allowed(overrides, difficulty)
    keys = ("W", "f1", "f", "s", "p", "prev") if difficulty == 2 else ("prev",)
    n = space({k: a[k] for k in keys}, lambda **c: _valid(**{"W": 0, "f1": 1, "f": 1, "s": 1, "p": 0, **c},
                                                            hand=hand, difficulty=difficulty))
    if n is None:
        return None
    rest = len(a["C_img"]) * len(a["N1"]) * len(a["N"])
    if difficulty == 1:
        rest *= len(a["W"]) * len(a["f1"]) * len(a["f"])
    return n * rest


def validate(overrides: Mapping[str, Any], difficulty: int) -> None:
    """Difficulty 2: sizes with which no layer fits give no problem."""
    if difficulty == 2:
        require_space(space_of(overrides, 2), "conv-conv problem with sizes",
                      "make the input W larger than the kernels (W >= f1 + f, or add padding)")


def _conv_context(lc: LayerCount, c_img: int, pool_s: int) -> dict[str, Any]:
    return {"f": lc.layer.kernel[0], "C": lc.input_shape.d, "N_c": lc.layer.filters, "C_img": c_img,
            "pool_s": pool_s, "weights": lc.weights.value, "biases": lc.biases.value, "params": lc.parameters.value}


def _conv_parts(
    t: Text, lang: str, lc: LayerCount, ctx: dict[str, Any], source: str, prev_name: str
) -> tuple[list[Part], list[Step]]:
    """Weights and parameters of the conv layer asked about; ``source`` says where its depth C comes from."""
    name = lc.label
    parts = [numeric_part("weights", static(ID, lang, "part_weights"), lc.weights, "conv.weights", ctx, lang,
                          measure=At("weights", name), defining=DEFINING)]
    parts.append(numeric_part("params", t("part_params", name=name), lc.parameters, "conv.params", ctx, lang,
                              measure=At("params", name), defining=DEFINING))
    steps = [step(t("step_depth", name=name, C=ctx["C"], source=source, prev_name=prev_name)),
             step(t("step_weights", name=name), lc.weights, r"\#W_c"),
             step(t("step_biases"), lc.biases, r"\#B_c"),
             step(t("step_total"), lc.parameters, r"\#W_c + \#B_c")]
    return parts, steps


def generate(rng: random.Random, params: Params, difficulty: int, lang: str) -> Content:
    t = Text(ID, lang)
    if difficulty == 3:
        return redraw_relaxed(lambda: _network(rng, params, t, lang))

    def attempt() -> Content | None:
        c_img = params.draw("C_img")
        w = params.draw("W")
        prev = params.draw("prev")
        n1, f1 = params.draw("N1"), params.draw("f1")
        f, n = params.draw("f"), params.draw("N")
        s, p = (params.draw("s"), params.draw("p")) if difficulty == 2 else (1, "same")
        if not _valid(w, f1, f, s, p, prev, params.hand, difficulty):
            return None
        return _build(t, lang, difficulty, c_img, w, prev, n1, f1, f, n, s, p)

    return redraw_relaxed(attempt)


def _build(t: Text, lang: str, difficulty: int, c_img: int, w: int, prev: str, n1: int, f1: int, f: int, n: int,
           s: int, p: int | str) -> Content | None:
    """Difficulty 1-2: the problem of one draw."""
    if prev == "maps":
        network = Network(Input(w, w, n1, name="maps"), (Conv(n, (f, f), (s, s), p, name="C1"),), name=ID)
    else:
        layers: list[Conv | Pool] = [Conv(n1, (f1, f1), (s, s), p, name="C1")]
        if prev == "pool":
            layers.append(Pool("max", (2, 2), (2, 2), 0, name="S2"))
        layers.append(Conv(n, (f, f), (s, s), p, name=f"C{len(layers) + 1}"))
        network = Network(Input(w, w, c_img), tuple(layers), name=ID)
    counted = count(network)
    lc = counted.layers[-1]
    ctx = _conv_context(lc, c_img if prev != "maps" else n1, 2 if prev == "pool" else 1)
    parts, steps = _conv_parts(t, lang, lc, ctx, prev, "C1")
    if difficulty == 2:
        size_parts, size_steps = _sizes(t, lang, counted.layers, w)
        parts = size_parts + parts
        steps = size_steps + steps
    if short(len(parts[-1].distractors) < 3 or len(parts[-2].distractors) < 2 or not parts[0].distractors):
        return None
    described = [describe(layer, lang, short=difficulty == 1) for layer in network.layers]
    stem = t("stem", difficulty=difficulty, prev=prev, W=w, C_img=c_img, layers=described,
             maps=maps_text(w, w, n1, lang), name=lc.label)
    return _problem(lang, stem, parts, steps, network)


def _sizes(t: Text, lang: str, layers: tuple[LayerCount, ...], w0: int) -> tuple[list[Part], list[Step]]:
    """The output size of every layer (the previous ones are steps; the last one is a part)."""
    parts, steps = [], []
    w = w0
    for lc in layers:
        layer = lc.layer
        padding = layer.padding
        ctx = {"W": w, "f": layer.kernel[0], "s": layer.stride[0], "p": padding if isinstance(padding, int) else 0,
               "padding": padding if isinstance(padding, str) else None}
        if lc.index > 1:
            ctx["W_net"] = w0
        steps.append(step(t("step_size", name=lc.label, W=w, pool=isinstance(layer, Pool)), lc.out_h.size,
                          f"O_{{{lc.label}}}"))
        if lc is layers[-1]:
            parts.append(numeric_part("size", t("part_size", name=lc.label), lc.out_h.size, "size", ctx, lang,
                                      measure=At("out_h", lc.label)))
        w = int(lc.out_h.size.value)
    return parts, steps


def _problem(lang: str, stem: str, parts: list[Part], steps: list[Step], network: Network) -> Content:
    return Content(title=static(ID, lang, "title"), stem=stem,
                   parts=tuple(parts), solution=tuple(steps), network=network, hint=static(ID, lang, "hint"),
                   tags=("parameters", "conv"))


def _network(rng: random.Random, params: Params, t: Text, lang: str) -> Content | None:
    """Difficulty 3: input → C1 → [S] → C → [S] → C: each conv's parameters and the total."""
    c_img = params.draw("C_img")
    w = params.draw("W")
    n_convs = params.draw("layers")
    layers: list[Conv | Pool] = []
    size = w
    for i in range(n_convs):
        f = params.draw("f1" if i == 0 else "f")
        n = params.draw("N1" if i == 0 else "N")
        layers.append(Conv(n, (f, f), (1, 1), "same", name=f"C{len(layers) + 1}"))
        if i < n_convs - 1 and size >= 4 and params.chance(f"pool{i}", 0.6):
            layers.append(Pool("max", (2, 2), (2, 2), 0, name=f"S{len(layers) + 1}"))
            size //= 2
    return _build_network(t, lang, w, c_img, layers)


def _build_network(t: Text, lang: str, w: int, c_img: int, layers: list[Conv | Pool]) -> Content | None:
    network = Network(Input(w, w, c_img), tuple(layers), name=ID)
    counted = count(network)
    parts, steps = [], []
    pooled = False
    prev_name = ""
    for lc in counted.layers:
        if isinstance(lc.layer, Pool):
            pooled = True
            steps.append(step(t("step_pool", name=lc.label)))
            continue
        ctx = _conv_context(lc, c_img, 2 if pooled else 1)
        if prev_name:
            steps.append(step(t("step_depth", name=lc.label, C=ctx["C"], source="pool" if pooled else "conv",
                                prev_name=prev_name)))
        pooled = False
        parts.append(numeric_part(f"params-{lc.label}", t("part_params", name=lc.label), lc.parameters, "conv.params",
                                  ctx, lang, measure=At("params", lc.label), defining=DEFINING))
        steps.append(step(t("step_layer", name=lc.label, first=not prev_name), lc.parameters, f"P_{{{lc.label}}}"))
        prev_name = lc.label
    total = _total(t, lang, counted, c_img)
    if total is None or short(any(len(p.distractors) < 2 for p in parts)):
        return None
    parts.append(total[0])
    steps.append(total[1])
    stem = t("stem", difficulty=3, prev="", W=w, C_img=c_img, layers=[describe(x, lang) for x in layers],
             maps="", name="", conventions=conventions([x.padding for x in layers], lang))
    return _problem(lang, stem, parts, steps, network)


def _total(t: Text, lang: str, counted: Any, c_img: int) -> tuple[Part, Step] | None:
    """The network's parameters: the sum over the conv layers (pooling adds none)."""
    convs = [lc for lc in counted.layers if isinstance(lc.layer, Conv)]
    q = total_quantity([int(lc.parameters.value) for lc in convs], ID)
    weights = counted.weights
    extra: list[tuple[str, int | None]] = [("bias-per-weight", 2 * weights)]
    # f instead of f² in every layer; the feedback names the first kernel larger than 1 × 1
    kernels = [lc.layer.kernel[0] for lc in convs if lc.layer.kernel[0] > 1]
    if kernels:
        extra.append(("f-not-squared", sum(lc.layer.kernel[0] * lc.input_shape.d * lc.layer.filters + lc.layer.filters
                                           for lc in convs)))
    pools = [lc for lc in counted.layers if isinstance(lc.layer, Pool)]
    if pools:
        extra.append(("pooling-weights", counted.parameters + sum(4 * lc.input_shape.d + lc.input_shape.d
                                                                  for lc in pools)))
    extra.append(("image-depth-not-maps", sum(lc.layer.kernel[0] ** 2 * c_img * lc.layer.filters + lc.layer.filters
                                              for lc in convs)))
    last = convs[-1]
    ctx = {"params": counted.parameters, "biases": counted.biases, "weights": weights,
           "f": kernels[0] if kernels else 1, "C": last.input_shape.d, "C_img": c_img, "N_c": last.layer.filters,
           "pool_s": 2}
    part = numeric_part("total", static(ID, lang, "part_total"), q, "total", ctx, lang, extra=tuple(extra),
                        measure=Total("params"), defining=DEFINING)
    if short(len(part.distractors) < 2):
        return None
    names = [lc.label for lc in convs]
    return part, total_step(t("step_network_total", pools=bool(pools), names=names), q, r"\#P",
                            [f"P_{{{name}}}" for name in names])


FAMILY = Family(
    id=ID,
    summary={"en": "parameters of a convolutional layer after another convolutional or pooling layer "
                   "(C = depth of the previous maps)",
             "it": "parametri di un layer convoluzionale dopo un altro layer convoluzionale o di pooling "
                   "(C = profondità delle feature map precedenti)"},
    generate=generate,
    parameters=PARAMETERS,
    validate=validate,
    space=space_of,
    tags=("parameters",),
)
