"""Batch norm: its parameters and buffers, and why a convolution's bias before it is redundant.

A batch norm layer on N_c maps learns a scale γ and a shift β per map (2·N_c parameters) and keeps a running
mean and variance per map for inference (2·N_c buffers: stored, not trained). It subtracts the mean of each map,
so a bias added by the convolution before it is subtracted again: β does its job, and the convolution is written
without bias. The engine counts both (``BatchNorm``: weights, biases, buffers).

Difficulty 1: a convolution followed by batch norm: the batch norm's parameters and buffers.
Difficulty 2: a convolution with its bias, then batch norm: the parameters of each, and of the pair once the
redundant bias is dropped.
Difficulty 3: a small CNN with batch norm after each convolution (no bias): its parameters and its buffers.
"""

from __future__ import annotations

import random
from typing import Any

from quizgen.nets.engine import NetworkCount, count
from quizgen.nets.layers import BatchNorm, Conv, Dense, Input, Layer, Network, Pool
from quizgen.problems import Family
from quizgen.problems.common import Text, numeric_part, step
from quizgen.problems.layerkit import redraw_relaxed, short, static
from quizgen.problems.measures import At, Total, sum_of
from quizgen.problems.model import Content, Part
from quizgen.problems.own import conventions, described, difficulties, given, need, prepare, summable
from quizgen.problems.params import Param, Parameters, Params, whole
from quizgen.problems.totals import total, total_step

ID = "batchnorm"

PARAMETERS = Parameters(
    Param("W", "input width and height", "larghezza e altezza dell'input", whole(8),
          default={1: (28, 32, 56, 64, 112, 224), 2: (28, 32, 56, 64, 112, 224), 3: (32, 64, 96)}),
    Param("C", "input depth (channels)", "profondità (canali) dell'input", whole(1), default=(1, 3, 16, 32, 64)),
    Param("f", "kernel size f of the convolutions", "dimensione f del kernel delle convoluzioni", whole(1),
          default=(1, 3, 5, 7)),
    Param("N", "filters of the convolution (difficulties 1-2), of the first one (3)",
          "filtri della convoluzione (difficoltà 1-2), della prima (3)", whole(1),
          default=(8, 12, 16, 24, 32, 40, 48, 64, 80, 96, 128, 160, 192, 256, 384, 512)),
    Param("N2", "filters of the second convolution", "filtri della seconda convoluzione", whole(1),
          default={3: (32, 64, 128)}, difficulties=(3,)),
    Param("F", "nodes of the fully connected output layer", "nodi del layer fully connected di output", whole(1),
          default={3: (10, 100)}, difficulties=(3,)),
)


def _maps(params: Params) -> tuple[int, int]:
    return params.draw("W"), params.draw("C")


def generate(rng: random.Random, params: Params, difficulty: int, lang: str) -> Content:
    t = Text(ID, lang)
    builder = {1: _layer, 2: _redundant, 3: _network}[difficulty]
    return redraw_relaxed(lambda: builder(t, lang, params))


def _content(t: Text, lang: str, stem: str, parts: list[Part], steps: list, network: Network) -> Content:
    return Content(title=static(ID, lang, "title"), stem=stem, parts=tuple(parts), solution=tuple(steps),
                   network=network, hint=static(ID, lang, "hint"), tags=("batch norm",))


def _bn_ctx(nc: NetworkCount, label: str) -> dict[str, Any]:
    lc = nc.layer(label)
    return {"N_c": lc.output_shape.d, "O": lc.output_shape.h, "params": int(lc.parameters.value),
            "buffers": int(lc.buffers.value)}  # type: ignore[union-attr]


def _bn_parts(t: Text, lang: str, nc: NetworkCount, label: str) -> tuple[list[Part], list]:
    lc = nc.layer(label)
    ctx = _bn_ctx(nc, label)
    buffers = lc.buffers
    assert buffers is not None
    parts = [numeric_part("bn-params", static(ID, lang, "part_bn_params"), lc.parameters, "bn.params", ctx, lang,
                          measure=At("params", label)),
             numeric_part("bn-buffers", static(ID, lang, "part_bn_buffers"), buffers, "bn.buffers", ctx, lang,
                          measure=At("buffers", label))]
    steps = [step(t("step_bn_params", name=label), lc.parameters, rf"P_{{\mathrm{{{label}}}}}"),
             step(t("step_bn_buffers", name=label), buffers, rf"U_{{\mathrm{{{label}}}}}")]
    return parts, steps


def _layer(t: Text, lang: str, params: Params) -> Content | None:
    own = given(params)
    if own is not None:  # an own network: the parameters and buffers of one of its batch norms, drawn per variant
        nc = count(own)
        label = params.rng.choice([lc.label for lc in nc.layers if isinstance(lc.layer, BatchNorm)])
        parts, steps = _bn_parts(t, lang, nc, label)
        if short(any(not p.distractors for p in parts)):
            return None
        stem = t("stem", difficulty=1, W=own.input.h, C=own.input.c, own=described(own, lang),
                 conventions=conventions(own, lang), asked=label)
        return _content(t, lang, stem, parts, steps, own)
    w, c = _maps(params)
    f, n = params.draw("f"), params.draw("N")
    if f > w:
        return None
    network = Network(Input(w, w, c), (Conv(n, (f, f), (1, 1), (f - 1) // 2, bias=False, name="C1"),
                                       BatchNorm(name="BN1")), name=ID)
    nc = count(network)
    parts, steps = _bn_parts(t, lang, nc, "BN1")
    if short(any(not p.distractors for p in parts)):
        return None
    stem = t("stem", difficulty=1, W=w, C=c, f=f, N=n)
    return _content(t, lang, stem, parts, steps, network)


def _redundant(t: Text, lang: str, params: Params) -> Content | None:
    w, c = _maps(params)
    f, n = params.draw("f"), params.draw("N")
    if f > w:
        return None
    network = Network(Input(w, w, c), (Conv(n, (f, f), (1, 1), (f - 1) // 2, name="C1"), BatchNorm(name="BN1")),
                      name=ID)
    nc = count(network)
    conv, bn = nc.layer("C1"), nc.layer("BN1")
    weights, biases = int(conv.weights.value), int(conv.biases.value)
    conv_ctx = {"f": f, "C": c, "N_c": n, "weights": weights, "biases": biases, "params": int(conv.parameters.value)}
    kept = total([weights, int(bn.parameters.value)], "bn.pair")
    bn_ctx = _bn_ctx(nc, "BN1")
    parts = [
        numeric_part("conv-params", t("part_conv_params"), conv.parameters, "conv.params", conv_ctx, lang,
                     measure=At("params", "C1")),
        numeric_part("bn-params", static(ID, lang, "part_bn_params"), bn.parameters, "bn.params", bn_ctx, lang,
                     measure=At("params", "BN1")),
        numeric_part("without-bias", t("part_without_bias"), kept, "bn.pair", {**bn_ctx, "biases": biases,
                     "params": int(kept.value)}, lang, measure=sum_of(At("weights", "C1"), At("params", "BN1"))),
    ]
    if short(any(not p.distractors for p in parts)):
        return None
    steps = [step(t("step_conv"), conv.parameters, r"P_{\mathrm{C1}}"),
             step(t("step_bn_params", name="BN1"), bn.parameters, r"P_{\mathrm{BN1}}"),
             total_step(t("step_without_bias"), kept, "P", [r"\#W_{\mathrm{C1}}", r"P_{\mathrm{BN1}}"], lang)]
    stem = t("stem", difficulty=2, W=w, C=c, f=f, N=n)
    return _content(t, lang, stem, parts, steps, network)


def _network(t: Text, lang: str, params: Params) -> Content | None:
    network = given(params)
    if network is None:
        w, c = _maps(params)
        n1, n2, f_out = params.draw("N"), params.draw("N2"), params.draw("F")
        if w % 4:
            return None
        layers = (Conv(n1, (3, 3), (1, 1), 1, bias=False, name="C1"), BatchNorm(name="BN1"),
                  Pool("max", (2, 2), (2, 2), name="S2"), Conv(n2, (3, 3), (1, 1), 1, bias=False, name="C3"),
                  BatchNorm(name="BN3"), Pool("max", (2, 2), (2, 2), name="S4"), Dense(f_out, name="Out"))
        network = Network(Input(w, w, c), layers, name=ID)
        stem = t("stem", difficulty=3, W=w, C=c, N=n1, N2=n2, F=f_out, layers=[])
    else:
        stem = ""  # written once the layer asked about is drawn
    nc = count(network)
    labels = [lc.label for lc in nc.layers if lc.parameters.value]
    p_total = total([int(nc.layer(lb).parameters.value) for lb in labels], "params")
    bns = [lc.label for lc in nc.layers if isinstance(lc.layer, BatchNorm)]
    u_total = total([int(nc.layer(lb).buffers.value) for lb in bns], "buffers")  # type: ignore[union-attr]
    # the biases a student may add to the convolutions that have none
    with_bias = sum(lc.output_shape.d for lc in nc.layers if isinstance(lc.layer, Conv) and not lc.layer.bias)
    ctx = {"params": nc.parameters, "buffers": nc.buffers, "biases": with_bias}
    parts = [numeric_part("params", t("part_params"), p_total, "bn.total", ctx, lang, measure=Total("params")),
             numeric_part("buffers", t("part_buffers"), u_total, "bn.buffers", {**ctx, "N_c": nc.buffers // 2},
                          lang, measure=Total("buffers"))]
    asked = ""
    if given(params) is not None:  # an own network: each variant asks about one of its layers too
        asked = params.rng.choice(labels)
        parts.insert(0, _layer_part(t, lang, nc, asked))
    if short(any(not p.distractors for p in parts)):
        return None
    if asked:
        stem = t("stem", difficulty=3, W=network.input.h, C=network.input.c, layers=described(network, lang),
                 conventions=conventions(network, lang), asked=asked)
    steps = [step(t("step_layer", name=lb, kind=_kind(nc.layer(lb).layer)), nc.layer(lb).parameters,
                  rf"P_{{\mathrm{{{lb}}}}}") for lb in labels]
    steps += [total_step(t("step_params"), p_total, "P", [rf"P_{{\mathrm{{{lb}}}}}" for lb in labels], lang),
              total_step(t("step_buffers"), u_total, "U", [rf"U_{{\mathrm{{{lb}}}}}" for lb in bns], lang)]
    return _content(t, lang, stem, parts, steps, network)


def _layer_part(t: Text, lang: str, nc: NetworkCount, label: str) -> Part:
    """The parameters of one layer of an own network, with the mistakes of its kind."""
    lc = nc.layer(label)
    layer = lc.layer
    weights, biases, p = int(lc.weights.value), int(lc.biases.value), int(lc.parameters.value)
    if isinstance(layer, BatchNorm):
        kind, ctx = "bn.params", _bn_ctx(nc, label)
    elif isinstance(layer, Conv):
        kind, ctx = "conv.params", {"f": layer.kernel[0], "C": lc.input_shape.d, "N_c": layer.filters,  # type: ignore
                                    "weights": weights, "biases": biases, "params": p}
    else:
        kind, ctx = "fc.params", {"F_prev": lc.input_shape.size, "F": layer.units, "weights": weights,  # type: ignore
                                  "biases": biases, "params": p}
    return numeric_part("layer-params", t("part_layer", name=label), lc.parameters, kind, ctx, lang,
                        measure=At("params", label))


def _kind(layer: Layer) -> str:
    """How a step words a layer's parameters: bn (gamma and beta), conv without bias, or weights and biases."""
    if isinstance(layer, BatchNorm):
        return "bn"
    return "weights" if isinstance(layer, Conv) and not layer.bias else "both"


def own_network(network: Network, difficulty: int) -> Network:
    """A bank entry's network for the questions about one of its batch norms (difficulty 1) or the whole network (3:
    its parameters and buffers): conv, batch norm, pooling and fc layers, at least one batch norm, at most 12 with
    parameters at 3."""
    difficulties(ID, difficulty, (1, 3), "a convolution with its bias and the batch norm after it")
    network = prepare(network, ID, (Conv, BatchNorm, Pool, Dense), "use square conv and pooling layers (max or "
                      "average; padding p=N, same or valid), bn and fc layers, e.g. "
                      'network: "32x32x3 > conv 16 3 p=1 nobias > bn > relu > maxpool 2 > fc 10"')
    need(network, ID, difficulty, ((BatchNorm, 1, "batch norm layer"),))
    if difficulty == 1:
        return network
    summable(sum(not isinstance(layer, Pool) for layer in network.layers), "layers with parameters",
             "a difficulty-3 question adds up their counts")
    return network


FAMILY = Family(
    id=ID,
    summary={"en": "batch norm: parameters (γ, β: 2·N_c) and buffers (running mean and variance: 2·N_c); the "
                   "convolution's bias before it is redundant",
             "it": "batch norm: parametri (γ, β: 2·N_c) e buffer (media e varianza mobili: 2·N_c); il bias della "
                   "convoluzione prima di essa è ridondante"},
    generate=generate,
    parameters=PARAMETERS,
    tags=("batch norm",),
    own_network=own_network,
)
