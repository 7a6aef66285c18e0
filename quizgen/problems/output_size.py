"""output size: the size O of a conv or pooling layer's output maps, O = ⌊(W − f + 2p)/s⌋ + 1.

Difficulty 1: one conv or max-pooling layer with explicit zero padding p.
Difficulty 2: the same layer with SAME and with VALID padding (TensorFlow/Keras), the input not always
divisible by the stride, and the activations of the SAME output (O first, then O² × N).
Difficulty 3: a network of 2–4 conv/pooling layers with mixed paddings: every size and the final
H × W × D (its activations).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from quizgen.nets.engine import count
from quizgen.nets.layers import Conv, Input, Network, Pool
from quizgen.problems import Family
from quizgen.problems.common import Text, numeric_part, step
from quizgen.problems.layerkit import (
    chain_kinds,
    conventions,
    describe,
    fits_by_hand,
    redraw_relaxed,
    require_space,
    short,
    size_of,
    space,
    static,
)
from quizgen.problems.measures import At
from quizgen.problems.misconceptions import CATALOGUE
from quizgen.problems.model import Content, Part, Step
from quizgen.problems.own import difficulties, given, windows
from quizgen.problems.params import ARITHMETIC, Param, Parameters, Params, one_of, whole

ID = "output-size"

_W_CALCULATOR = (28, 32, 48, 55, 64, 96, 100, 112, 128, 224, 227)
_W_HAND = (8, 12, 16, 20, 24, 28, 32, 64)

PARAMETERS = Parameters(
    Param("W", "input width and height", "larghezza e altezza dell'input", whole(1),
          # difficulty 2 adds sizes that the stride does not divide; difficulty 3 starts from 16 or more
          calculator={1: _W_CALCULATOR, 2: (*_W_CALCULATOR, 13, 27, 57, 99), 3: _W_CALCULATOR},
          hand={1: _W_HAND, 2: (*_W_HAND, 13, 15, 27), 3: tuple(w for w in _W_HAND if w >= 16)}),
    Param("C", "input depth (channels)", "profondità (canali) dell'input", whole(1), default=(1, 3)),
    Param("layer", "the layer asked about: conv or pool (max pooling)",
          "il layer richiesto: conv o pool (max pooling)", one_of("conv", "pool"), default=("conv", "pool"),
          difficulties=(1, 2)),
    Param("f", "kernel size f of a convolutional layer", "dimensione f del kernel di un layer convoluzionale",
          whole(1), calculator=(3, 5, 7, 11), hand=(1, 3, 5)),
    Param("s", "stride s of a convolutional layer", "stride s di un layer convoluzionale", whole(1),
          calculator={1: (1, 2, 3, 4), 2: (2, 3, 4), 3: (1, 2, 3, 4)}, hand={1: (1, 2), 2: (2, 3), 3: (1, 2)}),
    Param("p", "explicit zero padding p of a convolutional layer (difficulty 2 asks about SAME and VALID)",
          "zero padding esplicito p di un layer convoluzionale (la difficoltà 2 chiede SAME e VALID)", whole(0),
          calculator=(0, 1, 2, 3), hand=(0, 1, 2), difficulties=(1, 3),
          chosen={"en": "with stride 1 a padding of 1 or more; at difficulty 3 each convolutional layer draws "
                        "0, 1, 2, SAME or VALID",
                  "it": "con stride 1 un padding di 1 o più; alla difficoltà 3 ogni layer convoluzionale estrae "
                        "0, 1, 2, SAME o VALID"}),
    Param("N", "number of filters of a convolutional layer", "numero di filtri di un layer convoluzionale", whole(1),
          calculator=(6, 16, 32, 64, 96, 128, 256), hand=(4, 6, 8, 10, 16, 32)),
    Param("pool_f", "pooling window f", "finestra f del pooling", whole(1), default=(2, 3)),
    Param("pool_s", "pooling stride s", "stride s del pooling", whole(1), calculator=(2, 3), hand=(2,)),
    Param("layers", "layers of the network", "layer della rete", one_of(2, 3, 4), default=(2, 3, 4),
          difficulties=(3,), shape=True),
    ARITHMETIC,
)


def _valid(W: int, layer: str, f: int, s: int, p: int, hand: bool, difficulty: int) -> bool:
    """Whether a one-layer draw gives a problem (the kernel fits, whole divisions by hand, enough wrong answers)."""
    if layer == "pool" and s > f:
        return False
    if difficulty == 2:
        ok = f <= W and s > 1 and size_of(W, f, s, "valid") != size_of(W, f, s, "same")
        return ok and (not hand or W <= 64)
    if size_of(W, f, s, p) is None:
        return False
    return not hand or fits_by_hand(W, f, s, p)


def space_of(overrides: Mapping[str, Any], difficulty: int) -> int | None:
    """The number of distinct draws (W, C, layer, f, s, p, N); difficulty 3 chains are not counted (None)."""
    if difficulty == 3:
        return None
    hand = overrides.get("arithmetic") == "hand"
    a = PARAMETERS.allowed(overrides, difficulty)
    total = 0
    if "conv" in a["layer"]:
        conv = {"W": a["W"], "f": a["f"], "s": a["s"], "p": a["p"] if difficulty == 1 else [0]}
        n = space(conv, lambda **c: _valid(layer="conv", hand=hand, difficulty=difficulty, **c))
        if n is None:
            return None
        total += n * len(a["N"]) * len(a["C"])
    if "pool" in a["layer"]:
        pool = {"W": a["W"], "f": a["pool_f"], "s": a["pool_s"], "p": [0]}
        n = space(pool, lambda **c: _valid(layer="pool", hand=hand, difficulty=difficulty, **c))
        if n is None:
            return None
        total += n * len(a["C"])
    return total


def validate(overrides: Mapping[str, Any], difficulty: int) -> None:
    """Sizes with which no layer fits give no problem."""
    if difficulty in (1, 2):
        require_space(space_of(overrides, difficulty), "output-size problem",
                      "make the input W larger than the kernel f (and, for whole divisions, check W - f + 2p)")


def _layer(kind: str, name: str, f: int, s: int, padding: Any, n: int) -> Conv | Pool:
    if kind == "conv":
        return Conv(n, (f, f), (s, s), padding, name=name)
    return Pool("max", (f, f), (s, s), padding, name=name)


def _size_context(w: int, layer: Conv | Pool, w_net: int | None = None) -> dict[str, Any]:
    padding = layer.padding
    ctx = {"W": w, "f": layer.kernel[0], "s": layer.stride[0], "p": padding if isinstance(padding, int) else 0,
           "padding": padding if isinstance(padding, str) else None}
    if w_net is not None:
        ctx["W_net"] = w_net
    return ctx


# the SAME part's misconceptions: all size mistakes but a forgotten p (none is given), whose value is the swap's
_SAME_PART = tuple(m.id for m in CATALOGUE.values() if "size" in m.kinds and m.id != "forgot-padding")


def _size_step(t: Text, q: Any, layer: Conv | Pool, w: int, lhs: str) -> Step:
    padding = layer.padding if isinstance(layer.padding, str) else "explicit"
    return step(t("step_" + padding, name=layer.name, W=w, p=layer.padding), q, lhs)


def generate(rng: random.Random, params: Params, difficulty: int, lang: str) -> Content:
    t = Text(ID, lang)
    if difficulty == 3:
        own = given(params)
        if own is not None:  # an own network: each variant asks about one of its layers
            return redraw_relaxed(lambda: _build_network(t, lang, own.input.h, own.input.c, list(own.layers),
                                                         asked=rng.choice(own.layers).name, own=own))
        return redraw_relaxed(lambda: _network(rng, params, t, lang))

    def attempt() -> Content | None:
        kind = params.draw("layer")
        w = params.draw("W")
        c = params.draw("C")
        if kind == "conv":
            f, s = params.draw("f"), params.draw("s")
            # with s = 1 and p = 0 only the +1 can go wrong: draw a padding so there is more to think about
            p = params.draw("p", None if s > 1 else [p for p in params.default("p") if p] or [1])
            n = params.draw("N")
        else:
            f, s, p, n = params.draw("pool_f"), params.draw("pool_s"), 0, c
        if not _valid(w, kind, f, s, p, params.hand, difficulty):
            return None
        name = "C1" if kind == "conv" else "S1"
        if difficulty == 1:
            layer = _layer(kind, name, f, s, p, n)
            return _one(t, lang, w, c, layer)
        same, valid = _layer(kind, name, f, s, "same", n), _layer(kind, name, f, s, "valid", n)
        return _same_valid(t, lang, w, c, same, valid)

    return redraw_relaxed(attempt)


def _problem(t: Text, lang: str, stem: str, parts: list[Part], steps: list[Step], network: Network,
             extra: tuple[Network, ...] = ()) -> Content:
    return Content(title=static(ID, lang, "title"), stem=stem,
                   parts=tuple(parts), solution=tuple(steps), network=network, extra_networks=extra,
                   hint=static(ID, lang, "hint"), tags=("output size",))


def _one(t: Text, lang: str, w: int, c: int, layer: Conv | Pool) -> Content | None:
    network = Network(Input(w, w, c), (layer,), name=ID)
    lc = count(network).layers[0]
    ctx = _size_context(w, layer)
    part = numeric_part("size", static(ID, lang, "part_size"), lc.out_h.size, "size", ctx, lang,
                        measure=At("out_h", layer.name))
    if short(len(part.distractors) < 2):
        return None
    stem = t("stem", difficulty=1, W=w, C=c, layer=describe(layer, lang), conv=isinstance(layer, Conv))
    return _problem(t, lang, stem, [part], [_size_step(t, lc.out_h.size, layer, w, "O")], network)


def _same_valid(t: Text, lang: str, w: int, c: int, same: Conv | Pool, valid: Conv | Pool) -> Content | None:
    net_same = Network(Input(w, w, c), (same,), name=ID + "-same")
    net_valid = Network(Input(w, w, c), (valid,), name=ID + "-valid")
    lc_same, lc_valid = count(net_same).layers[0], count(net_valid).layers[0]
    o = int(lc_same.out_h.size.value)
    same_ctx = _size_context(w, same)
    # the VALID size typed here is the SAME/VALID swap this problem is about: named as such, not as a forgotten p
    size_same = numeric_part("same", static(ID, lang, "part_same"), lc_same.out_h.size, "size", same_ctx, lang,
                             measure=At("out_h", same.name), only=_SAME_PART)
    parts = [
        size_same,
        numeric_part("valid", static(ID, lang, "part_valid"), lc_valid.out_h.size, "size", _size_context(w, valid),
                     lang, measure=At("out_h", valid.name, 1)),
        _activations("activations", static(ID, lang, "part_activations"), lc_same, size_same, same_ctx, lang),
    ]
    if short(len(parts[0].distractors) < 2 or len(parts[1].distractors) < 1):
        return None
    pad = lc_same.out_h.pad_before + lc_same.out_h.pad_after
    steps = [_size_step(t, lc_same.out_h.size, same, w, r"O_{\mathrm{SAME}}"),
             Step(t("step_same_padding", pad=pad, before=lc_same.out_h.pad_before, after=lc_same.out_h.pad_after,
                    O=o, W=w, f=same.kernel[0], s=same.stride[0])),
             _size_step(t, lc_valid.out_h.size, valid, w, r"O_{\mathrm{VALID}}"),
             step(t("step_activations", conv=isinstance(same, Conv)), lc_same.activations, "A")]
    kind = "conv" if isinstance(same, Conv) else "pool"
    stem = t("stem", difficulty=2, W=w, C=c, conv=kind == "conv", N=lc_same.output_shape.d,
             f=same.kernel[0], s=same.stride[0], conventions=conventions(["same", "valid"], lang))
    return _problem(t, lang, stem, parts, steps, net_same, (net_valid,))


def _activations(key: str, label: str, lc: Any, size: Part, ctx: dict[str, Any], lang: str) -> Part:
    """The activations O² × D of a layer; a wrong size (a distractor of its size part) gives a wrong count."""
    o, depth = int(lc.out_h.size.value), lc.output_shape.d
    extra = tuple((d.misconception, int(d.value) ** 2 * depth) for d in size.distractors)
    return numeric_part(key, label, lc.activations, "activations", {**ctx, "O": o, "N_c": depth, "W_in": ctx["W"]},
                        lang, extra=extra, measure=At("activations", lc.label))


def _network(rng: random.Random, params: Params, t: Text, lang: str) -> Content | None:
    """Difficulty 3: input → conv → (pool | conv) ... with mixed padding conventions."""
    w0 = params.draw("W")
    c = params.draw("C")
    n_layers = params.draw("layers")
    paddings = [0, 1, 2, "same", "valid"]
    layers: list[Conv | Pool] = []
    w = w0
    previous = "pool"
    kinds = chain_kinds(params, n_layers)
    for index in range(1, n_layers + 1):
        kind = kinds[index - 1] if kinds else "conv" if previous == "pool" else rng.choice(["conv", "pool"])
        if kind == "conv":
            f, s = params.draw("f"), params.draw("s")
            padding = params.draw("p") if params.has("p") else rng.choice(paddings)
            layer: Conv | Pool = Conv(params.draw("N"), (f, f), (s, s), padding, name=f"C{index}")
        else:
            f, s = params.draw("pool_f"), params.draw("pool_s")
            padding = rng.choice([0, "valid"]) if params.hand else rng.choice([0, "valid", "same"])
            layer = Pool("max", (f, f), (s, s), padding, name=f"S{index}")
        out = size_of(w, f, s, padding)
        if out is None or out < 2 or (params.hand and not fits_by_hand(w, f, s, padding)):
            return None
        layers.append(layer)
        w, previous = out, kind
    return _build_network(t, lang, w0, c, layers)


def _build_network(t: Text, lang: str, w0: int, c: int, layers: list[Conv | Pool], asked: str = "",
                   own: Network | None = None) -> Content | None:
    """Every layer's size and the last one's activations; ``asked``: the size and activations of that layer only (of
    ``own``, a bank entry's network)."""
    network = own or Network(Input(w0, w0, c), tuple(layers), name=ID)
    counted = count(network)
    parts, steps = [], []
    w = w0
    for lc in counted.layers:
        layer = lc.layer
        ctx = _size_context(w, layer, w0 if lc.index > 1 else None)
        label = t("part_layer_size", name=lc.label)
        if asked in ("", lc.label):
            parts.append(numeric_part(f"size-{lc.label}", label, lc.out_h.size, "size", ctx, lang,
                                      measure=At("out_h", lc.label)))
        steps.append(_size_step(t, lc.out_h.size, layer, w, f"O_{{{lc.label}}}"))
        w = int(lc.out_h.size.value)
        if lc.label == asked:
            break
    if short(any(not p.distractors for p in parts)):
        return None
    last = counted.layer(asked) if asked else counted.layers[-1]
    depth = last.output_shape.d
    label = t("part_asked_activations", name=asked) if asked else static(ID, lang, "part_final_activations")
    parts.append(_activations("activations", label, last, parts[-1], ctx, lang))
    steps.append(step(t("step_final", depth=depth, name=last.label, asked=bool(asked)), last.activations, "A"))
    described = [describe(layer, lang) for layer in layers]
    stem = t("stem", difficulty=3, W=w0, C=c, layers=described,
             conventions=conventions([x.padding for x in layers], lang), asked=asked)
    return _problem(t, lang, stem, parts, steps, network)


def own_network(network: Network, difficulty: int) -> Network:
    """A bank entry's network for the difficulty-3 questions (a chain of layers): its conv and pooling layers before
    the first fully connected one, at least two."""
    difficulties(ID, difficulty, (3,), "one layer")
    return windows(network, ID, "use square conv and pooling layers (max or average; padding p=N, same or valid) "
                   'before the fc layers, e.g. network: "64x64x3 > conv 16 5 p=2 > maxpool 2 > conv 32 3/2 same '
                   '> fc 10"')


FAMILY = Family(
    id=ID,
    summary={"en": "output size of conv and pooling layers: O = ⌊(W − f + 2p)/s⌋ + 1, SAME and VALID, chains",
             "it": "dimensione dell'output di layer convoluzionali e di pooling: O = ⌊(W − f + 2p)/s⌋ + 1, "
                   "SAME e VALID, catene di layer"},
    generate=generate,
    parameters=PARAMETERS,
    validate=validate,
    space=space_of,
    tags=("output size",),
    own_network=own_network,
)
