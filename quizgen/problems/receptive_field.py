"""receptive field: the size r of the input region one unit of a layer sees, and the jump j between neighbours.

Through a window of f units with dilation d and stride s (convolution or pooling), from the input (r = j = 1):
r = r_{-1} + d(f − 1) j_{-1}, j = j_{-1} s. The engine computes every field (``quizgen.nets.receptive``).

The field of the first layer is its window, so r is asked from the second layer on.
Difficulty 1: 3 layers, convolutions of stride 1 and 2×2 max pooling: r of the second and third.
Difficulty 2: 3–4 layers with strided convolutions and pooling: r of each layer and the jump of the last.
Difficulty 3: 4–5 layers, some convolutions dilated: r of each layer and the jump of the last.
"""

from __future__ import annotations

import random

from quizgen.errors import QuizgenError
from quizgen.nets.engine import count
from quizgen.nets.layers import Conv, Input, Network, Pool
from quizgen.nets.receptive import receptive_fields
from quizgen.problems import Family
from quizgen.problems.common import Text, numeric_part, step
from quizgen.problems.layerkit import chain_kinds, redraw_relaxed, short, static
from quizgen.problems.measures import At
from quizgen.problems.model import Content
from quizgen.problems.own import given, windows
from quizgen.problems.params import Kind, Param, Parameters, Params, whole

ID = "receptive-field"

_ODD = Kind(lambda v: whole(1).check(v) and v % 2 == 1, {"en": "an odd whole number (1, 3, 5, ...)",
                                                          "it": "un numero intero dispari (1, 3, 5, ...)"})

PARAMETERS = Parameters(
    Param("W", "input width and height (the field does not depend on it; it sets the sizes the diagram shows)",
          "larghezza e altezza dell'input (il campo non ne dipende; fissa le dimensioni del diagramma)", whole(16),
          default=(64, 96, 128, 224)),
    Param("C", "input depth (channels)", "profondità (canali) dell'input", whole(1), default=(1, 3)),
    Param("layers", "layers of the chain", "layer della catena", whole(2, 6), default={1: (3,), 2: (3, 4), 3: (4, 5)},
          shape=True),
    Param("f", "kernel size f of the convolutions (odd: the padding keeps the size)",
          "dimensione f del kernel delle convoluzioni (dispari: il padding mantiene la dimensione)", _ODD,
          default={1: (3, 5, 7), 2: (3, 5, 7, 9, 11), 3: (3, 5, 7, 9, 11)}),
    Param("s", "stride s of the convolutions", "stride s delle convoluzioni", whole(1),
          default={1: (1,), 2: (1, 2, 3), 3: (1, 2, 3)}, difficulties=(2, 3)),
    Param("d", "dilation d of the convolutions", "dilatazione d delle convoluzioni", whole(1),
          default={1: (1,), 2: (1,), 3: (1, 2, 3, 4)}, difficulties=(3,),
          chosen={"en": "drawn for 3×3 kernels only (1 for larger ones) unless the bank sets it or allows no 3×3",
                  "it": "estratta solo per i kernel 3×3 (1 per quelli più grandi) se il banco non la fissa "
                        "e ammette il 3×3"}),
    Param("pool_f", "max-pooling window f", "finestra f del max pooling", whole(1),
          default=(2, 3)),
    Param("pool_s", "max-pooling stride s", "stride s del max pooling", whole(1), default=(2,)),
    Param("N", "filters of each convolution (they do not change the field)",
          "filtri di ogni convoluzione (non cambiano il campo)", whole(1), default=(16, 32, 64, 128)),
)


def _chain(params: Params, difficulty: int) -> Network | None:
    """input → conv → (conv | pool) ...: the first layer a convolution, never two poolings in a row."""
    rng = params.rng
    n = params.draw("layers")
    w, c = params.draw("W"), params.draw("C")
    layers: list[Conv | Pool] = []
    previous = "pool"
    kinds = chain_kinds(params, n, pooled=difficulty == 1 and not params.has("layers"))
    for index in range(1, n + 1):
        kind = kinds[index - 1] if kinds else "conv" if previous == "pool" else rng.choice(["conv", "pool"])
        if kind == "conv":
            f, s = params.draw("f"), params.draw("s")
            dilated = f == 3 or params.has("d") or 3 not in params.allowed("f")
            dil = params.draw("d") if dilated else 1
            pad = dil * (f - 1) // 2  # the size is kept (halved by a stride of 2)
            layers.append(Conv(params.draw("N"), (f, f), (s, s), pad, name=f"C{index}",
                               dilation=(dil, dil)))
        else:
            f, s = params.draw("pool_f"), params.draw("pool_s")
            layers.append(Pool("max", (f, f), (s, s), name=f"S{index}"))
        previous = kind
    if difficulty == 1 and not any(isinstance(x, Pool) for x in layers) and not params.has("layers"):
        return None  # without a pooling layer the jump stays 1 and the field is only a sum
    if difficulty >= 2 and all(x.stride[0] == 1 for x in layers[:-1]):
        return None  # the jump must matter before the last layer
    if difficulty == 3 and all(x.dilation == (1, 1) for x in layers if isinstance(x, Conv)) and not params.has("d"):
        return None
    return Network(Input(w, w, c), tuple(layers), name=ID)


def _describe(t: Text, layer: Conv | Pool) -> str:
    conv = isinstance(layer, Conv)
    return t("layer", conv=conv, name=layer.name, f=layer.kernel[0], s=layer.stride[0],
             d=layer.dilation[0] if conv else 1, N=layer.filters if conv else 0, kind=getattr(layer, "kind", ""))


def own_network(network: Network, difficulty: int) -> Network:
    """A bank entry's network: its convolution and pooling layers before the first fully connected one (that one,
    and what follows, sees the whole input); batch norm, activations and dropout keep the field and are left out.
    At least two of them; at difficulty 3 a dilated convolution."""
    network = windows(network, ID, "use square convolutional layers (dilation d=N allowed) and square max or "
                      'average pooling before the fc layers, e.g. network: "64x64x3 > conv 16 3 same > maxpool 2 > '
                      'conv 32 3 d=2 same > fc 10"', dilated=True)
    kept = network.layers
    if difficulty == 3 and all(x.dilation == (1, 1) for x in kept if isinstance(x, Conv)):
        raise QuizgenError("a receptive-field question at difficulty 3 asks about dilated convolutions; the network "
                           "has none", fix="give a convolutional layer a dilation (d=2), or use difficulty 2")
    return network


def generate(rng: random.Random, params: Params, difficulty: int, lang: str) -> Content:
    t = Text(ID, lang)

    own = given(params)

    def attempt() -> Content | None:
        network = _chain(params, difficulty) if own is None else own
        if network is None:
            return None
        try:
            nc = count(network)
        except QuizgenError:  # a draw whose maps shrink below a window: draw again
            return None
        if nc.output_shape.h < 2 and own is None:
            return None
        # an own network: each variant asks about one of its layers from the second on
        asked = rng.choice(nc.layers[1:]).label if own is not None else ""
        fields = receptive_fields(nc)
        parts, steps = [], []
        chain: list[tuple[int, int, int, bool]] = []
        for lc in nc.layers:
            layer = lc.layer
            pool = isinstance(layer, Pool)
            chain.append((layer.kernel[0], layer.stride[0], 1 if pool else layer.dilation[0], pool))
            field = fields[lc.label]
            assert field is not None
            size, jump = field[0].size, field[0].jump
            ctx = {"chain": tuple(chain)}
            if lc.index > 1 and asked in ("", lc.label):  # the first layer's field is its window: asked from the second
                parts.append(numeric_part(f"r-{lc.label}", t("part_size", name=lc.label), size, "rf.size", ctx,
                                          lang, measure=At("rf_size", lc.label)))
            steps.append(step(t("step_layer", name=lc.label, pool=pool, f=layer.kernel[0], s=layer.stride[0],
                                d=chain[-1][2], first=lc.index == 1), size, rf"r_{{\mathrm{{{lc.label}}}}}"))
            steps.append(step(t("step_jump", name=lc.label, s=layer.stride[0]), jump, rf"j_{{\mathrm{{{lc.label}}}}}"))
            if lc.label == asked:
                break
        last = nc.layer(asked) if asked else nc.layers[-1]
        if difficulty >= 2:
            jump = fields[last.label][0].jump  # type: ignore[index]
            parts.append(numeric_part(f"j-{last.label}", t("part_jump", name=last.label), jump, "rf.jump",
                                      {"chain": tuple(chain)}, lang, measure=At("rf_jump", last.label)))
        if short(len(parts[-1].distractors) < 2, any(not p.distractors for p in parts)):
            return None
        stem = t("stem", difficulty=difficulty, W=network.input.h, C=network.input.c,
                 layers=[_describe(t, x) for x in network.layers], last=last.label, second=nc.layers[1].label,
                 dilated=any(isinstance(x, Conv) and x.dilation != (1, 1) for x in network.layers), asked=asked)
        return Content(title=static(ID, lang, "title"), stem=stem, parts=tuple(parts), solution=tuple(steps),
                       network=network, hint=static(ID, lang, "hint"), tags=("receptive field",))

    return redraw_relaxed(attempt)


FAMILY = Family(
    id=ID,
    summary={"en": "receptive field of a layer in a chain: r = r₋₁ + d(f − 1)·j₋₁, jump j = j₋₁·s; stride, pooling, "
                   "dilation",
             "it": "campo recettivo di un layer in una catena: r = r₋₁ + d(f − 1)·j₋₁, salto j = j₋₁·s; stride, "
                   "pooling, dilatazione"},
    generate=generate,
    parameters=PARAMETERS,
    tags=("receptive field",),
    own_network=own_network,
)
