"""MACs and FLOPs: the multiply-accumulates of a layer and of a network, and where they are (conv vs FC).

A MAC is one multiplication and one addition (w·x added to a sum); the bias additions are not counted, as
``torch.utils.flop_counter`` counts them, and FLOPs = 2 × MACs. A convolution computes its f²·C weights at every
one of its O² output positions for each of its N_c filters: M = f²·C·N_c·O²; a fully connected layer uses each
weight once: M = F₋₁·F. The engine gives every count (``LayerCount.macs``, ``footprint.flops``).

Difficulty 1: one convolutional layer: its MACs and FLOPs.
Difficulty 2: a convolutional layer followed by a fully connected layer: the MACs of each and the convolution's
share of the MACs.
Difficulty 3: a small CNN (two conv + pool stages, two FC layers): the total MACs, the share of the MACs in the
convolutional layers and their share of the parameters (the operations are in the convolutions, the parameters in
the FC layers).
"""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Any

from quizgen.errors import QuizgenError
from quizgen.nets import formulas
from quizgen.nets.engine import LayerCount, NetworkCount, count
from quizgen.nets.footprint import flops
from quizgen.nets.layers import Conv, Dense, Input, Network, Pool
from quizgen.problems import Family
from quizgen.problems.common import Text, numeric_part, step
from quizgen.problems.layerkit import redraw_relaxed, short, static
from quizgen.problems.measures import At, Total, mul, percent, sum_of
from quizgen.problems.memory import small_cnn
from quizgen.problems.model import Content, Part
from quizgen.problems.own import (
    NETWORK_EXAMPLE,
    conventions,
    count_of,
    described,
    difficulties,
    given,
    need,
    prepare,
    summable,
)
from quizgen.problems.params import ARITHMETIC, Param, Parameters, Params, whole
from quizgen.problems.totals import total, total_step

ID = "macs"

formulas.register("macs.share", "100*M_conv/M", r"100 \times \frac{[M_conv]}{[M]}")
formulas.register("macs.params.share", "100*P_conv/P", r"100 \times \frac{[P_conv]}{[P]}")

PERCENT_DECIMALS = 2

PARAMETERS = Parameters(
    Param("W", "input width and height", "larghezza e altezza dell'input", whole(1),
          calculator={1: (28, 32, 56, 64, 112, 224, 227), 2: (16, 28, 32, 48, 64), 3: (32, 48, 64)},
          hand={1: (8, 12, 16, 20, 24, 28, 32), 2: (8, 12, 16, 20, 24, 28, 32), 3: (28, 32)}),
    Param("C", "input depth (channels)", "profondità (canali) dell'input", whole(1), default=(1, 3)),
    Param("N", "filters of the convolutional layer", "filtri del layer convoluzionale", whole(1),
          calculator={1: (16, 32, 64, 96, 128), 2: (8, 16, 32, 64)},
          hand={1: (6, 8, 10, 12, 16, 20, 32), 2: (6, 8, 10, 12, 16)}, difficulties=(1, 2)),
    Param("f", "kernel size f of the convolutional layer", "dimensione f del kernel del layer convoluzionale",
          whole(1), calculator={1: (3, 5, 7, 11), 2: (3, 5, 7)}, hand={1: (1, 3, 5), 2: (1, 3, 5)},
          difficulties=(1, 2)),
    Param("s", "stride s of the convolutional layer", "stride s del layer convoluzionale", whole(1),
          default={1: (1, 2), 2: (1, 2)}, difficulties=(1, 2)),
    Param("F", "nodes of the fully connected layer (difficulty 2), of the hidden one (difficulty 3)",
          "nodi del layer fully connected (difficoltà 2), di quello nascosto (difficoltà 3)", whole(1),
          calculator={2: (10, 64, 100, 128), 3: (64, 128, 256, 512)}, hand={2: (10, 100), 3: (64, 100)},
          difficulties=(2, 3)),
    Param("N1", "filters of the first convolutional layer", "filtri del primo layer convoluzionale", whole(1),
          calculator={3: (16, 24, 32, 48, 64)}, hand={3: (8, 16, 32)}, difficulties=(3,)),
    Param("N3", "filters of the second convolutional layer", "filtri del secondo layer convoluzionale", whole(1),
          calculator={3: (32, 48, 64, 96)}, hand={3: (16, 32)}, difficulties=(3,)),
    ARITHMETIC,
)


def _macs_context(lc: LayerCount) -> dict[str, Any]:
    """What the MAC misconceptions read: the layer's weights and parameters, its output and input size."""
    ctx: dict[str, Any] = {"weights": int(lc.weights.value), "params": int(lc.parameters.value)}
    if isinstance(lc.layer, Conv):
        ctx.update(O=lc.output_shape.h, W_in=lc.input_shape.h, N_c=lc.output_shape.d, f=lc.layer.kernel[0],
                   C=lc.input_shape.d)
    return ctx


def _layer_parts(t: Text, lang: str, lc: LayerCount, key: str, with_flops: bool,
                 w_in: int | None = None) -> tuple[list[Part], list]:
    """The MACs of one layer (and its FLOPs), with their steps."""
    macs = lc.macs
    assert macs is not None
    label = lc.label
    conv = isinstance(lc.layer, Conv)
    if conv:
        o2, f, c, n = lc.output_shape.h ** 2, lc.layer.kernel[0], lc.input_shape.d, lc.output_shape.d
        extra = (("forgot-depth", f * f * n * o2 if c > 1 else None),
                 ("f-not-squared", f * c * n * o2 if f > 1 else None))
        part = numeric_part(key, t("part_macs", name=label), macs, "macs", _macs_context(lc), lang, extra=extra,
                            measure=At("macs", label))
    else:  # a fully connected layer after maps: its MACs are its weights, so the flattening mistakes apply
        maps = lc.input_shape
        ctx = {"O": maps.h, "N_c": maps.d, "F": lc.layer.units, "W_in": w_in, "weights": int(lc.weights.value),
               "params": int(lc.parameters.value)}
        part = numeric_part(key, t("part_macs", name=label), macs, "fc.weights", ctx, lang,
                            only=("flatten-forgot-depth", "o-not-squared", "input-size-before-fc"),
                            extra=(("macs-with-bias", int(lc.parameters.value)),), measure=At("macs", label))
    parts = [part]
    steps = []
    if conv:
        steps.append(step(t("step_size", name=label), lc.out_h.size, "O"))  # type: ignore[union-attr]
    steps.append(step(t("step_macs", name=label, conv=conv), macs, rf"M_{{\mathrm{{{label}}}}}"))
    if with_flops:
        f = flops(int(macs.value), label)
        wrong = tuple((d.misconception, 2 * d.value) for d in parts[0].distractors)
        parts.append(numeric_part("flops", t("part_flops", name=label), f, "flops",
                                  {**_macs_context(lc), "answer": f.value}, lang,
                                  extra=wrong,
                                  measure=mul(At("macs", label), 2)))
        steps.append(step(t("step_flops"), f, r"\mathrm{FLOP}" if lang == "it" else r"\mathrm{FLOPs}"))
    return parts, steps


def _share(t: Text, lang: str, key: str, label: str, conv_value: int, whole: int, formula: str, symbols: tuple,
           measure: Any, ctx: dict[str, Any], extra: tuple = ()) -> tuple[Part, Any]:
    q = formulas.quantity(Fraction(100 * conv_value, whole), formula, key,
                          **{symbols[0]: conv_value, symbols[1]: whole})
    part = numeric_part(key, label, q, "ops.share", {**ctx, "answer": q.value}, lang, unit="%",
                        decimals=PERCENT_DECIMALS, extra=extra, measure=measure,
                        defining=("ops-share-of-params",))
    return part, q


def generate(rng: random.Random, params: Params, difficulty: int, lang: str) -> Content:
    t = Text(ID, lang)
    builder = {1: _one, 2: _conv_fc, 3: _network}[difficulty]

    def attempt() -> Content | None:
        try:
            return builder(t, lang, params)
        except QuizgenError:  # a draw whose kernel does not fit the input: draw again
            return None

    return redraw_relaxed(attempt)


def _conv_layer(params: Params) -> tuple[int, int, Conv] | None:
    w, c = params.draw("W"), params.draw("C")
    f, s = params.draw("f"), params.draw("s")
    if f > w:
        return None
    p = (f - 1) // 2 if params.rng.random() < 0.7 else 0
    if params.hand and (w - f + 2 * p) % s:
        return None
    return w, c, Conv(params.draw("N"), (f, f), (s, s), p, name="C1")


def _content(t: Text, lang: str, stem: str, parts: list[Part], steps: list, network: Network) -> Content:
    return Content(title=static(ID, lang, "title"), stem=stem, parts=tuple(parts), solution=tuple(steps),
                   network=network, hint=static(ID, lang, "hint"), tags=("macs",))


def _one(t: Text, lang: str, params: Params) -> Content | None:
    own = given(params)
    if own is not None:  # an own network: the MACs and FLOPs of one of its convolutions, drawn per variant
        lc = params.rng.choice([lc for lc in count(own).layers if isinstance(lc.layer, Conv)])
        parts, steps = _layer_parts(t, lang, lc, "macs", with_flops=True)
        if short(any(len(p.distractors) < 2 for p in parts)):
            return None
        stem = t("stem", difficulty=1, W=own.input.h, C=own.input.c, own=described(own, lang),
                 conventions=conventions(own, lang), asked=lc.label)
        return _content(t, lang, stem, parts, steps, own)
    drawn = _conv_layer(params)
    if drawn is None:
        return None
    w, c, conv = drawn
    network = Network(Input(w, w, c), (conv,), name=ID)
    lc = count(network).layers[0]
    parts, steps = _layer_parts(t, lang, lc, "macs", with_flops=True)
    if short(any(len(p.distractors) < 2 for p in parts)):
        return None
    stem = t("stem", difficulty=1, W=w, C=c, N=conv.filters, f=conv.kernel[0], s=conv.stride[0],
             p=conv.padding)
    return _content(t, lang, stem, parts, steps, network)


def _conv_fc(t: Text, lang: str, params: Params) -> Content | None:
    drawn = _conv_layer(params)
    if drawn is None:
        return None
    w, c, conv = drawn
    fc = Dense(params.draw("F"), name="F2")
    network = Network(Input(w, w, c), (conv, fc), name=ID)
    nc = count(network)
    first, second = nc.layers
    conv_parts, conv_steps = _layer_parts(t, lang, first, "macs-C1", with_flops=False)
    fc_parts, fc_steps = _layer_parts(t, lang, second, "macs-F2", with_flops=False, w_in=w)
    m_conv, m_fc = int(first.macs.value), int(second.macs.value)  # type: ignore[union-attr]
    whole = total([m_conv, m_fc], "macs")
    share, q = _share(t, lang, "share", t("part_share"), m_conv, int(whole.value), "macs.share", ("M_conv", "M"),
                      percent(At("macs", "C1"), Total("macs")), _share_context(nc))
    parts = [*conv_parts, *fc_parts, share]
    if short(len(parts[0].distractors) < 2 or not parts[1].distractors or not share.distractors):
        return None
    steps = [*conv_steps, *fc_steps, total_step(t("step_total"), whole, "M", [r"M_{\mathrm{C1}}", r"M_{\mathrm{F2}}"],
                                                lang), step(t("step_share"), q, r"\%", lang)]
    stem = t("stem", difficulty=2, W=w, C=c, N=conv.filters, f=conv.kernel[0], s=conv.stride[0], p=conv.padding,
             F=fc.units)
    return _content(t, lang, stem, parts, steps, network)


def _share_context(nc: NetworkCount) -> dict[str, Any]:
    """The conv layers' share of the parameters (the share a student may give instead of the MACs')."""
    conv_params = sum(int(lc.parameters.value) for lc in nc.layers if isinstance(lc.layer, Conv))
    return {"params_share": Fraction(100 * conv_params, nc.parameters), "label": "macs"}


def _network(t: Text, lang: str, params: Params) -> Content | None:
    network = given(params)
    if network is None:
        sizes = (params.draw("W"), params.draw("C"), params.draw("N1"),
                 params.draw("N3"), params.draw("F"))
        if sizes[0] % 4:
            return None
        network = small_cnn(sizes)
    nc = count(network)
    counted = [lc for lc in nc.layers if lc.macs is not None]
    convs = [lc for lc in counted if isinstance(lc.layer, Conv)]
    whole = total([int(lc.macs.value) for lc in counted], "macs")  # type: ignore[union-attr]
    m_conv = sum(int(lc.macs.value) for lc in convs)  # type: ignore[union-attr]
    with_bias = sum(int(lc.connections.value) for lc in counted)  # every bias addition counted too
    total_part = numeric_part("macs", t("part_total"), whole, "macs.total", {}, lang,
                              extra=(("macs-with-bias", with_bias),
                                     ("macs-weights-only", sum(int(lc.weights.value) for lc in counted))),
                              measure=Total("macs"))
    share_ctx = _share_context(nc)
    conv_labels = [lc.label for lc in convs]
    conv_with_bias = sum(int(lc.connections.value) for lc in convs)
    share, q = _share(t, lang, "share", t("part_share_net"), m_conv, int(whole.value), "macs.share",
                      ("M_conv", "M"), percent(sum_of(*(At("macs", lb) for lb in conv_labels)), Total("macs")),
                      share_ctx, extra=(("macs-with-bias", Fraction(100 * conv_with_bias, with_bias)),))
    p_conv = sum(int(lc.parameters.value) for lc in convs)
    # the first FC layer fed the maps before the last pooling: a larger total, a smaller share (a mistake where a
    # pooling layer feeds the first FC layer, as in every drawn network; an own network may have none there)
    at = next(i for i, lc in enumerate(nc.layers) if isinstance(lc.layer, Dense))
    first_fc, last_pool = nc.layers[at], nc.layers[at - 1] if at > 0 else None
    share_of_params = {"params_share": q.value, "label": "params"}
    unpooled_share: tuple = ()
    if last_pool is not None and isinstance(last_pool.layer, Pool):
        o, o_unpooled, depth = last_pool.output_shape.h, last_pool.input_shape.h, last_pool.output_shape.d  # type: ignore
        unpooled = nc.parameters + (o_unpooled ** 2 - o ** 2) * depth * first_fc.layer.units  # type: ignore[union-attr]
        share_of_params.update(O=o, O_unpooled=o_unpooled, N_c=depth)
        unpooled_share = (("fc-input-unpooled", Fraction(100 * p_conv, unpooled)),)
    params_share, pq = _share(t, lang, "params-share", t("part_params_share"), p_conv, nc.parameters,
                              "macs.params.share", ("P_conv", "P"),
                              percent(sum_of(*(At("params", lb) for lb in conv_labels)), Total("params")),
                              share_of_params, extra=unpooled_share)
    parts = [total_part, share, params_share]
    asked = ""
    if given(params) is not None:  # an own network: each variant asks about one of its convolutions too
        layer = params.rng.choice(convs)
        asked = layer.label
        parts.insert(0, _layer_parts(t, lang, layer, "macs-layer", with_flops=False)[0][0])
    if short(len(total_part.distractors) < 2 or not share.distractors):
        return None
    steps = [step(t("step_macs", name=lc.label, conv=isinstance(lc.layer, Conv)), lc.macs,  # type: ignore[arg-type]
                  rf"M_{{\mathrm{{{lc.label}}}}}") for lc in counted]
    steps += [total_step(t("step_total"), whole, "M", [rf"M_{{\mathrm{{{lc.label}}}}}" for lc in counted], lang),
              step(t("step_share"), q, r"\%_M", lang),
              total_step(t("step_params"), total([int(lc.parameters.value) for lc in nc.layers
                                                  if lc.parameters.value], "params"), "P",
                         [rf"P_{{\mathrm{{{lc.label}}}}}" for lc in nc.layers if lc.parameters.value], lang),
              step(t("step_params_share"), pq, r"\%_P", lang)]
    own = given(params) is not None
    texts = described(network, lang) if own else [""] * len(nc.layers)
    layers = [dict(label=lc.label, conv=isinstance(lc.layer, Conv), fc=isinstance(lc.layer, Dense),
                   n=getattr(lc.layer, "filters", getattr(lc.layer, "units", 0)), text=text)
              for lc, text in zip(nc.layers, texts, strict=True)]
    stem = t("stem", difficulty=3, W=network.input.h, C=network.input.c, layers=layers,
             conventions=conventions(network, lang), asked=asked)
    return _content(t, lang, stem, parts, steps, network)


def own_network(network: Network, difficulty: int) -> Network:
    """A bank entry's network for the questions about one of its convolutions (difficulty 1) or about the whole
    network (3: its MACs and the convolutions' shares of MACs and parameters): conv, pooling and fc layers, at least
    one conv (and one fc at 3), at most 12 counted at 3."""
    difficulties(ID, difficulty, (1, 3), "a convolutional layer and the fully connected layer it feeds")
    network = prepare(network, ID, (Conv, Pool, Dense), "use square conv and pooling layers (max or average; "
                      "padding p=N, same or valid) and fc layers, e.g. " + NETWORK_EXAMPLE)
    need(network, ID, difficulty, ((Conv, 1, "convolutional layer"), (Dense, difficulty // 3,
                                                                       "fully connected layer")))
    if difficulty == 1:
        return network
    summable(count_of(network, Conv) + count_of(network, Dense), "conv and fc layers",
             "a difficulty-3 question adds up their MACs")
    return network


FAMILY = Family(
    id=ID,
    summary={"en": "MACs and FLOPs of a layer and of a network (M = f²·C·N_c·O², FLOPs = 2·M); conv vs FC",
             "it": "MAC e FLOP di un layer e di una rete (M = f²·C·N_c·O², FLOP = 2·M); convoluzioni e layer FC"},
    generate=generate,
    parameters=PARAMETERS,
    tags=("macs",),
    own_network=own_network,
)
