"""conv→FC: parameters of a fully connected layer on the flattened maps (#W_cf = O²·N_c·F, #B_cf = F).

Difficulty 1: the maps O × O × N_c are given: the flatten length O² × N_c, the weights and the parameters.
Difficulty 2: O must first be computed from the conv or pooling layer before the FC layer (the lecture's
"input size instead of output size before the FC layer" mistake).
Difficulty 3: a LeNet-like network (conv, pool, conv, pool, FC): the size before the FC layer, the flatten
length, the FC layer's parameters and the network's.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from quizgen.nets.engine import LayerCount, count, count_layer
from quizgen.nets.layers import Conv, Dense, FeatureMaps, Flatten, Input, Network, Pool
from quizgen.problems import Family
from quizgen.problems.common import Text, numeric_part, step
from quizgen.problems.layerkit import (
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
from quizgen.text import numbers

ID = "conv-fc"
# the mistakes this family exists to catch: the FC layer fed the last layer's input, the flatten without the depth
DEFINING = ("input-size-before-fc", "flatten-forgot-depth")

PARAMETERS = Parameters(
    Param("O", "size O of the feature maps before the FC layer", "dimensione O delle feature map prima del layer FC",
          whole(1), calculator=(4, 5, 6, 7, 8, 13, 14), hand=(2, 3, 4, 5, 6, 7, 8, 10), difficulties=(1,)),
    Param("N", "number of feature maps N_c before the FC layer (filters of the last convolutional layer)",
          "numero di feature map N_c prima del layer FC (filtri dell'ultimo layer convoluzionale)", whole(1),
          calculator=(8, 16, 32, 50, 64, 128, 256, 512), hand=(4, 5, 8, 10, 16, 20)),
    Param("F", "nodes F of the FC layer", "nodi F del layer FC", whole(1),
          calculator=(10, 84, 100, 120, 128, 256, 500, 1000, 4096), hand=(10, 20, 50, 100, 120)),
    Param("W", "size of the maps entering the layer before the FC layer (difficulty 2) or of the input image (3)",
          "dimensione delle feature map in input al layer prima del layer FC (difficoltà 2) o dell'immagine di "
          "input (3)", whole(1), calculator=(12, 13, 14, 16, 27, 28, 32, 55),
          hand={2: (8, 10, 12, 14, 16, 20, 28, 32), 3: (12, 14, 16, 20, 28, 32)}, difficulties=(2, 3)),
    Param("C", "depth of the maps entering a convolutional layer (difficulty 2) or of the input image (3)",
          "profondità delle feature map in input a un layer convoluzionale (difficoltà 2) o dell'immagine di "
          "input (3)", whole(1), calculator={2: (1, 3, 6, 16, 32, 64), 3: (1, 3)},
          hand={2: (1, 3, 4, 6, 8), 3: (1, 3)}, difficulties=(2, 3)),
    Param("layer", "the layer before the FC layer: conv or pool", "il layer prima del layer FC: conv o pool",
          one_of("conv", "pool"), default=("conv", "pool"), difficulties=(2,)),
    Param("f", "kernel size of the convolutional layers", "dimensione del kernel dei layer convoluzionali",
          whole(1), calculator=(3, 5, 7), hand=(1, 3, 5), difficulties=(2, 3)),
    Param("s", "stride of the convolutional layer", "stride del layer convoluzionale", whole(1), default=(1, 2),
          difficulties=(2,)),
    Param("p", "explicit zero padding of the convolutional layer", "zero padding esplicito del layer convoluzionale",
          whole(0), calculator=(0, 1, 2), hand=(0, 1), difficulties=(2,)),
    Param("pool", "pooling window and stride", "finestra e stride del pooling", whole(1), calculator=(2, 3),
          hand=(2,), difficulties=(2, 3)),
    Param("N1", "filters of the first convolutional layer", "filtri del primo layer convoluzionale", whole(1),
          calculator=(6, 8, 16, 32), hand=(4, 6, 8), difficulties=(3,)),
    ARITHMETIC,
)


def _valid(W: int, layer: str, f: int, s: int, p: int, pool: int, hand: bool) -> bool:
    """Difficulty 2: the layer before the FC layer fits, shrinks the maps and (by hand) divides evenly."""
    if layer == "pool":
        f, s, p = pool, pool, 0
    o = size_of(W, f, s, p)
    if o is None or o == W or o < 2:
        return False
    return not hand or fits_by_hand(W, f, s, p)


def space_of(overrides: Mapping[str, Any], difficulty: int) -> int | None:
    """Distinct draws at difficulty 1-2; None at 3."""
    hand = overrides.get("arithmetic") == "hand"
    a = PARAMETERS.allowed(overrides, difficulty)
    if difficulty == 1:
        return len(a["O"]) * len(a["N"]) * len(a["F"])
    if difficulty == 3:
        return None
    total = 0
    if "conv" in a["layer"]:
        keys = {"W": a["W"], "f": a["f"], "s": a["s"], "p": a["p"]}
        n = space(keys, lambda **c: _valid(**c, layer="conv", pool=2, hand=hand))
        if n is None:
            return None
        total += n * len(a["N"]) * len(a["F"]) * len(a["C"])
    if "pool" in a["layer"]:
        n = space({"W": a["W"], "pool": a["pool"]}, lambda **c: _valid(**c, layer="pool", f=1, s=1, p=0, hand=hand))
        total += (n or 0) * len(a["N"]) * len(a["F"])
    return total


def _chain_sizes(W: int, f1: int, f2: int, pool: int, hand: bool) -> bool:
    """Difficulty 3: conv f1, pool, conv f2, pool each leave maps of 2 or more (whole divisions by hand)."""
    size = W
    for fk, sk in ((f1, 1), (pool, pool), (f2, 1), (pool, pool)):
        out = size_of(size, fk, sk, 0)
        if out is None or out < 2 or (hand and not fits_by_hand(size, fk, sk, 0)):
            return False
        size = out
    return True


def validate(overrides: Mapping[str, Any], difficulty: int) -> None:
    """Sizes with which no layer before the FC layer fits give no problem."""
    if difficulty == 2:
        require_space(space_of(overrides, 2), "conv-fc problem with a layer before the FC layer",
                      "make W larger than the kernel f and the pooling window")
    elif difficulty == 3:
        a = PARAMETERS.allowed(overrides, 3)
        hand = overrides.get("arithmetic") == "hand"
        chains = {"W": a["W"], "f1": a["f"], "f2": a["f"], "pool": a["pool"]}
        require_space(space(chains, lambda **c: _chain_sizes(**c, hand=hand)), "conv-fc network",
                      "make W larger (two convolutions of f and two poolings must leave maps of 2 or more)")


def _fc_context(o: int, n: int, f: int, w_in: int | None = None, pool_s: int = 1, last: str = "") -> dict[str, Any]:
    """The FC layer's symbols; ``w_in`` and ``last``: the size of the maps entering the layer before it, its name."""
    weights = o * o * n * f
    ctx = {"O": o, "N_c": n, "F": f, "weights": weights, "biases": f, "params": weights + f, "pool_s": pool_s}
    if w_in is not None:
        ctx["W_in"] = w_in
        ctx["last"] = last
    return ctx


def _fc_parts(t: Text, lang: str, fc: LayerCount, ctx: dict[str, Any], flatten_ref: str,
              weights: bool = True) -> tuple[list[Part], list[Step]]:
    """Flatten length, weights and parameters of the FC layer on the maps, with the lecture's steps."""
    assert fc.flatten_length is not None
    parts = [numeric_part("flatten", static(ID, lang, "part_flatten"), fc.flatten_length, "flatten", ctx, lang,
                          measure=At("flatten", flatten_ref), defining=DEFINING)]
    if weights:
        parts.append(numeric_part("weights", static(ID, lang, "part_weights"), fc.weights, "fc.weights", ctx, lang,
                                  measure=At("weights", fc.label), defining=DEFINING))
    parts.append(numeric_part("params", t("part_params", name=fc.label), fc.parameters, "fc.params", ctx, lang,
                              measure=At("params", fc.label), defining=DEFINING))
    steps = [step(t("step_flatten"), fc.flatten_length, "L"),
             step(t("step_weights"), fc.weights, r"\#W_{cf}"),
             step(t("step_biases"), fc.biases, r"\#B_{cf}"),
             step(t("step_total"), fc.parameters, r"\#W_{cf} + \#B_{cf}")]
    return parts, steps


def _problem(lang: str, stem: str, parts: list[Part], steps: list[Step], network: Network) -> Content:
    return Content(title=static(ID, lang, "title"), stem=stem,
                   parts=tuple(parts), solution=tuple(steps), network=network, hint=static(ID, lang, "hint"),
                   tags=("parameters", "fc"))


def generate(rng: random.Random, params: Params, difficulty: int, lang: str) -> Content:
    t = Text(ID, lang)
    make = {1: _given_maps, 2: _one_layer, 3: _network}[difficulty]
    return redraw_relaxed(lambda: make(params, t, lang))


def _given_maps(params: Params, t: Text, lang: str) -> Content | None:
    o, n, f = params.draw("O"), params.draw("N"), params.draw("F")
    return _build_given_maps(t, lang, o, n, f)


def _build_given_maps(t: Text, lang: str, o: int, n: int, f: int) -> Content | None:
    network = Network(Input(o, o, n, name="maps"), (Flatten(name="flatten"), Dense(f, name="FC")), name=ID)
    fc = count_layer(Dense(f, name="FC"), FeatureMaps(o, o, n), 2)
    ctx = _fc_context(o, n, f)
    parts, steps = _fc_parts(t, lang, fc, ctx, "flatten")
    if short(len(parts[-1].distractors) < 2 or not parts[-2].distractors):
        return None
    stem = t("stem", difficulty=1, maps=maps_text(o, o, n, lang), O=o, N=n, F=f, layers=[], W=0, C=0)
    return _problem(lang, stem, parts, steps, network)


def _one_layer(params: Params, t: Text, lang: str) -> Content | None:
    kind = params.draw("layer")
    w, n, f_units = params.draw("W"), params.draw("N"), params.draw("F")
    if kind == "conv":
        c = params.draw("C")
        f, s, p = params.draw("f"), params.draw("s"), params.draw("p")
        layer: Conv | Pool = Conv(n, (f, f), (s, s), p, name="C1")
        pool_s = 1
    else:
        c, k = n, params.draw("pool")
        f, s, p = k, k, 0
        layer = Pool("max", (k, k), (k, k), 0, name="S1")
        pool_s = k
    if not _valid(w, kind, f, s, p, f, params.hand):
        return None
    return _build_one_layer(t, lang, w, c, layer, n, f_units, pool_s)


def _build_one_layer(t: Text, lang: str, w: int, c: int, layer: Conv | Pool, n: int, f_units: int,
                     pool_s: int) -> Content | None:
    kind = "conv" if isinstance(layer, Conv) else "pool"
    f, s, p = layer.kernel[0], layer.stride[0], layer.padding
    network = Network(Input(w, w, c), (layer, Flatten(name="flatten"), Dense(f_units, name="FC")), name=ID)
    counted = count(network)
    first = counted.layers[0]
    o = int(first.out_h.size.value)
    fc = count_layer(Dense(f_units, name="FC"), first.output_shape, 3)
    size_ctx = {"W": w, "f": f, "s": s, "p": p, "padding": None}
    size = numeric_part("size", t("part_size", name=layer.name), first.out_h.size, "size", size_ctx, lang,
                        measure=At("out_h", layer.name))
    ctx = _fc_context(o, n, f_units, w, pool_s if kind == "pool" else 1, layer.name)
    parts, steps = _fc_parts(t, lang, fc, ctx, "flatten", weights=False)
    if short(not size.distractors or len(parts[-1].distractors) < 3 or len(parts[0].distractors) < 1):
        return None
    steps.insert(0, step(t("step_size", name=layer.name, pool=kind == "pool", last=True), first.out_h.size, "O"))
    stem = t("stem", difficulty=2, maps=maps_text(w, w, c, lang), layers=[describe(layer, lang)], F=f_units,
             O=0, N=n, W=w, C=c)
    return _problem(lang, stem, [size, *parts], steps, network)


def _network(params: Params, t: Text, lang: str) -> Content | None:
    """Difficulty 3: image → C1 → S2 → C3 → S4 → FC5, LeNet-5's shape (LeNet's own numbers are one draw)."""
    w, c = params.draw("W"), params.draw("C")
    f1, n1 = params.draw("f"), params.draw("N1")
    f2, n2 = params.draw("f"), params.draw("N")
    k, f_units = params.draw("pool"), params.draw("F")
    if not _chain_sizes(w, f1, f2, k, params.hand):
        return None
    layers = (Conv(n1, (f1, f1), (1, 1), 0, name="C1"), Pool("max", (k, k), (k, k), 0, name="S2"),
              Conv(n2, (f2, f2), (1, 1), 0, name="C3"), Pool("max", (k, k), (k, k), 0, name="S4"))
    return _build_network(t, lang, w, c, layers, f_units)


def _build_network(t: Text, lang: str, w: int, c: int, layers: tuple[Conv | Pool, ...], f_units: int
                   ) -> Content | None:
    n1, n2, k = layers[0].filters, layers[2].filters, layers[1].kernel[0]
    network = Network(Input(w, w, c), (*layers, Flatten(name="flatten"), Dense(f_units, name="FC5")), name=ID)
    counted = count(network)
    s4 = counted.layers[3]
    o = int(s4.out_h.size.value)
    fc = count_layer(Dense(f_units, name="FC5"), s4.output_shape, 6)
    size_ctx = {"W": int(counted.layers[2].out_h.size.value), "f": k, "s": k, "p": 0, "padding": None, "W_net": w}
    size_part = numeric_part("size", t("part_size", name="S4"), s4.out_h.size, "size", size_ctx, lang,
                             measure=At("out_h", "S4"))
    ctx = _fc_context(o, n2, f_units, int(counted.layers[2].out_h.size.value), k, "S4")
    parts, steps = _fc_parts(t, lang, fc, ctx, "flatten", weights=False)
    param_layers = [lc for lc in counted.layers if isinstance(lc.layer, (Conv, Dense))]
    total = total_quantity([int(lc.parameters.value) for lc in param_layers], ID)
    fc_params = int(fc.parameters.value)
    rest = total.value - fc_params  # the conv layers' parameters
    w_in = ctx["W_in"]
    extra = (("bias-per-weight", 2 * counted.weights),
             ("input-size-before-fc", rest + w_in * w_in * n2 * f_units + f_units),
             ("flatten-forgot-depth", rest + o * o * f_units + f_units),
             ("pooling-weights", total.value + k * k * n1 + n1 + k * k * n2 + n2))
    total_ctx = {**ctx, "params": total.value, "biases": counted.biases, "weights": counted.weights}
    total_part = numeric_part("total", static(ID, lang, "part_total"), total, "total", total_ctx, lang,
                              extra=extra, measure=Total("params"), defining=DEFINING)
    if short(not size_part.distractors or len(parts[-1].distractors) < 2 or len(total_part.distractors) < 2):
        return None
    size_steps = [step(t("step_size", name=lc.label, pool=isinstance(lc.layer, Pool), last=lc.index == 4),
                       lc.out_h.size, f"O_{{{lc.label}}}") for lc in counted.layers[:4]]
    # the conv layers' parameters; FC5's were computed above and are only recalled
    layer_steps = [step(t("step_layer", name=lc.label), lc.parameters, f"P_{{{lc.label}}}")
                   for lc in param_layers if isinstance(lc.layer, Conv)]
    layer_steps.append(Step(t("step_layer_above", name="FC5"),
                            rf"P_{{FC5}} = \#W_{{cf}} + \#B_{{cf}} = {numbers.latex(fc_params)}"))
    labels = [f"P_{{{lc.label}}}" for lc in param_layers]
    steps = size_steps + steps + layer_steps + [total_step(t("step_network_total"), total, r"\#P", labels)]
    stem = t("stem", difficulty=3, maps=maps_text(w, w, c, lang), layers=[describe(x, lang) for x in layers],
             F=f_units, O=0, N=n2, W=w, C=c)
    return _problem(lang, stem, [size_part, *parts, total_part], steps, network)


FAMILY = Family(
    id=ID,
    summary={"en": "parameters of an FC layer after the convolutional layers (#W_cf = O²·N_c·F, #B_cf = F) and the "
                   "flattened length O²·N_c",
             "it": "parametri di un layer FC dopo i layer convoluzionali (#W_cf = O²·N_c·F, #B_cf = F) e la "
                   "lunghezza della linearizzazione O²·N_c"},
    generate=generate,
    parameters=PARAMETERS,
    validate=validate,
    space=space_of,
    tags=("parameters",),
)
