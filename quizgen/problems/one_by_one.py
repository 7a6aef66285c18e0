"""1×1 convolutions: parameters C·n + n, output depth n, H × W unchanged; bottleneck savings.

Difficulty 1: n filters of 1 × 1 × C on H × W × C maps: parameters, output size and depth.
Difficulty 2: Inception's reduction: a 1×1 conv to r maps before a k×k conv of N filters, against the
direct k×k conv: both counts, the saving and the saving as a percentage of the direct conv.
Difficulty 3: ResNet's bottleneck block (1×1 to r, k×k r → r, 1×1 back to C) against one direct k×k conv
C → C: every layer, both totals and the percentage saved.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from quizgen.errors import QuizgenError
from quizgen.nets import formulas
from quizgen.nets.engine import LayerCount, count
from quizgen.nets.layers import Conv, Input, Network
from quizgen.problems import Family
from quizgen.problems.common import Text, numeric_part, step
from quizgen.problems.layerkit import (
    conventions,
    maps_text,
    redraw_relaxed,
    short,
    static,
    total_quantity,
)
from quizgen.problems.measures import At, Total, diff, percent
from quizgen.problems.model import Content, Part, Step
from quizgen.problems.params import ARITHMETIC, Param, Parameters, Params, choices_of, whole
from quizgen.problems.totals import total_step

ID = "one-by-one"

formulas.register("one-by-one.depth", "N_c", "[N_c]")
formulas.register("bottleneck.savings", "D - B", "[D] - [B]")
formulas.register("bottleneck.percent", "100*(D - B)/D", r"100 \times \frac{[D] - [B]}{[D]}")

PARAMETERS = Parameters(
    Param("H", "height and width of the input maps", "altezza e larghezza delle feature map in input", whole(1),
          calculator=(7, 13, 14, 28, 56), hand=(7, 8, 14, 16, 28, 32)),
    Param("C", "depth C of the input maps (more than 1)", "profondità C delle feature map in input (più di 1)",
          whole(2), calculator=(64, 128, 192, 256, 480, 512, 832, 1024), hand=(16, 32, 64, 100, 128, 256)),
    Param("n", "number of 1×1 filters (difficulty 1) or reduced depth r, at most C/2 (difficulty 2-3)",
          "numero di filtri 1×1 (difficoltà 1) o profondità ridotta r, al più C/2 (difficoltà 2-3)", whole(1),
          calculator=(16, 24, 32, 48, 64, 96, 128), hand=(8, 10, 16, 20, 32, 64)),
    Param("N", "filters of the k×k convolution", "filtri della convoluzione k×k", whole(1),
          calculator=(32, 64, 128, 192, 208, 256, 384), hand=(32, 64, 100, 128), difficulties=(2,)),
    Param("k", "kernel size k of the convolution the 1×1 reduction precedes",
          "dimensione k del kernel della convoluzione preceduta dalla riduzione 1×1", whole(1), default=(3, 5),
          difficulties=(2, 3)),
    ARITHMETIC,
)


def space_of(overrides: Mapping[str, Any], difficulty: int) -> int | None:
    """Distinct draws (at difficulty 2-3 those with 2n <= C, where the 1×1 conv at least halves the depth)."""
    a = PARAMETERS.allowed(overrides, difficulty)
    if difficulty == 1:
        return len(a["H"]) * len(a["C"]) * len(a["n"])
    pairs = sum(1 for c in a["C"] for n in a["n"] if 2 * n <= c)
    return len(a["H"]) * pairs * len(a["k"]) * (len(a["N"]) if difficulty == 2 else 1)


def validate(overrides: Mapping[str, Any], difficulty: int) -> None:
    """Difficulty 2-3: no reduced depth n at most half of C gives no bottleneck."""
    if difficulty >= 2 and space_of(overrides, difficulty) == 0:
        raise QuizgenError("no reduced depth n is at most half the input depth C", where="parameters",
                           fix="a bottleneck at least halves the depth: choose n <= C/2")
    if difficulty == 1 and "C" in overrides and "n" in overrides \
            and len(set(choices_of("C", overrides["C"]))) == 1 \
            and set(choices_of("C", overrides["C"])) == set(choices_of("n", overrides["n"])):
        raise QuizgenError("n equals C in every draw: the 1×1 convolution would not change the depth",
                           where="parameters", fix="choose n different from C")


def _problem(lang: str, stem: str, parts: list[Part], steps: list[Step], network: Network,
             extra: tuple[Network, ...] = ()) -> Content:
    return Content(title=static(ID, lang, "title"), stem=stem,
                   parts=tuple(parts), solution=tuple(steps), network=network, extra_networks=extra,
                   hint=static(ID, lang, "hint"), tags=("parameters", "1x1 conv"))


def _conv_context(lc: LayerCount) -> dict[str, Any]:
    return {"f": lc.layer.kernel[0], "C": lc.input_shape.d, "N_c": lc.layer.filters, "weights": int(lc.weights.value),
            "biases": int(lc.biases.value), "params": int(lc.parameters.value)}


def generate(rng: random.Random, params: Params, difficulty: int, lang: str) -> Content:
    t = Text(ID, lang)
    make = {1: _layer, 2: _inception, 3: _resnet}[difficulty]
    return redraw_relaxed(lambda: make(params, t, lang))


def _layer(params: Params, t: Text, lang: str) -> Content | None:
    h, c, n = params.draw("H"), params.draw("C"), params.draw("n")
    if n == c:
        return None
    return _build_layer(t, lang, h, c, n)


def _build_layer(t: Text, lang: str, h: int, c: int, n: int) -> Content | None:
    network = Network(Input(h, h, c), (Conv(n, (1, 1), (1, 1), 0, name="C1"),), name=ID)
    lc = count(network).layers[0]
    ctx = {**_conv_context(lc), "n": n}
    depth = formulas.quantity(n, "one-by-one.depth", ID, N_c=n)
    size_ctx = {"W": h, "f": 1, "s": 1, "p": 0, "padding": None}
    parts = [numeric_part("params", static(ID, lang, "part_params"), lc.parameters, "conv.params", ctx, lang,
                          measure=At("params", "C1")),
             numeric_part("size", static(ID, lang, "part_size"), lc.out_h.size, "size", size_ctx, lang,
                          measure=At("out_h", "C1")),
             numeric_part("depth", static(ID, lang, "part_depth"), depth, "depth", ctx, lang,
                          measure=At("out_d", "C1"))]
    if short(len(parts[0].distractors) < 2 or not parts[2].distractors):
        return None
    steps = [step(t("step_params"), lc.parameters, r"\#W_c + \#B_c"),
             step(t("step_size"), lc.out_h.size, "O"),
             step(t("step_depth"), depth, "D")]
    stem = t("stem", difficulty=1, maps=maps_text(h, h, c, lang), n=n, C=c)
    return _problem(lang, stem, parts, steps, network)


def _savings_parts(t: Text, lang: str, direct: int, bottleneck: int, reduce: int, extra_ctx: dict[str, Any],
                   weights: tuple[int, int], wrong_bottleneck: int) -> tuple[list[Part], list[Step]]:
    """The saving D − B and the percentage 100 (D − B)/D, with their steps.

    ``weights`` = (D, B) without biases; ``wrong_bottleneck``: B counted with f instead of f² in its f × f layer.
    """
    ctx = {**extra_ctx, "D": direct, "B": bottleneck, "R": reduce}
    d_weights, b_weights = weights
    no_biases = Fraction(100 * (d_weights - b_weights), d_weights)
    # leaving out the biases changes both designs: the percent's feedback counts them all
    percent_ctx = {**ctx, "biases": direct - d_weights + bottleneck - b_weights}
    saving = formulas.quantity(direct - bottleneck, "bottleneck.savings", ID, D=direct, B=bottleneck)
    share = formulas.quantity(Fraction(100 * (direct - bottleneck), direct), "bottleneck.percent", ID, D=direct,
                              B=bottleneck)
    wrong_direct = extra_ctx["f"] * extra_ctx["C"] * extra_ctx["N_c"] + extra_ctx["N_c"]  # f instead of f²
    parts = [numeric_part("saving", static(ID, lang, "part_saving"), saving, "savings", ctx, lang,
                          extra=(("f-not-squared", wrong_direct - wrong_bottleneck),),
                          measure=diff(Total("params"), Total("params", 1))),
             numeric_part("percent", static(ID, lang, "part_percent"), share, "percent", percent_ctx, lang, unit="%",
                          decimals=2, extra=(("forgot-biases", no_biases),),
                          measure=percent(diff(Total("params"), Total("params", 1)), Total("params")))]
    steps = [step(t("step_saving"), saving, r"\Delta"), step(t("step_percent"), share, r"\%", t.lang)]
    return parts, steps


def _inception(params: Params, t: Text, lang: str) -> Content | None:
    h, c, r = params.draw("H"), params.draw("C"), params.draw("n")
    n, k = params.draw("N"), params.draw("k")
    if 2 * r > c:  # a bottleneck at least halves the depth
        return None
    return _build_inception(t, lang, h, c, r, n, k)


def _build_inception(t: Text, lang: str, h: int, c: int, r: int, n: int, k: int) -> Content | None:
    main = Network(Input(h, h, c), (Conv(r, (1, 1), (1, 1), 0, name="C1"), Conv(n, (k, k), (1, 1), "same", name="C2")),
                   name=ID + "-bottleneck", title=static(ID, lang, "diagram_bottleneck"))
    direct_net = Network(Input(h, h, c), (Conv(n, (k, k), (1, 1), "same", name="direct"),), name=ID + "-direct",
                         title=static(ID, lang, "diagram_direct"))
    reduce, conv = count(main).layers
    direct = count(direct_net).layers[0]
    d_value, r_value = int(direct.parameters.value), int(reduce.parameters.value)
    b_quantity = total_quantity([r_value, int(conv.parameters.value)], ID)
    b_value = int(b_quantity.value)
    if b_value >= d_value:
        return None
    ctx = {"D": d_value, "B": b_value, "R": r_value, "C": c, "n": r, "N_c": n, "f": k,
           "params": b_value, "biases": r + n, "weights": b_value - r - n}
    parts = [numeric_part("direct", static(ID, lang, "part_direct"), direct.parameters, "conv.params",
                          _conv_context(direct), lang, measure=Total("params")),
             numeric_part("bottleneck", static(ID, lang, "part_bottleneck"), b_quantity, "bottleneck.params", ctx, lang,
                          extra=(("forgot-biases", b_value - r - n), ("bias-per-weight", 2 * (b_value - r - n))),
                          measure=Total("params", 1))]
    wrong_b = b_value - int(conv.weights.value) + k * r * n  # the k x k layer with f instead of f²
    saving_parts, saving_steps = _savings_parts(t, lang, d_value, b_value, r_value, ctx,
                                                (int(direct.weights.value), b_value - r - n), wrong_b)
    parts += saving_parts
    if short(any(len(p.distractors) < (1 if p.key == "saving" else 2) for p in parts)):
        return None
    steps = [step(t("step_direct"), direct.parameters, "D"),
             step(t("step_reduce"), reduce.parameters, "P_{C1}"),
             step(t("step_conv", k=k), conv.parameters, "P_{C2}"),
             total_step(t("step_bottleneck"), b_quantity, "B", ["P_{C1}", "P_{C2}"]), *saving_steps]
    stem = t("stem", difficulty=2, maps=maps_text(h, h, c, lang), C=c, r=r, N=n, k=k,
             conventions=conventions(["same"], lang))
    # D first, then B: the order in which the stem describes them
    return _problem(lang, stem, parts, steps, direct_net, (main,))


def _resnet(params: Params, t: Text, lang: str) -> Content | None:
    h, c, r, k = params.draw("H"), params.draw("C"), params.draw("n"), params.draw("k")
    if 2 * r > c:  # a bottleneck at least halves the depth
        return None
    return _build_resnet(t, lang, h, c, r, k)


def _build_resnet(t: Text, lang: str, h: int, c: int, r: int, k: int) -> Content | None:
    layers = (Conv(r, (1, 1), (1, 1), 0, name="C1"), Conv(r, (k, k), (1, 1), "same", name="C2"),
              Conv(c, (1, 1), (1, 1), 0, name="C3"))
    main = Network(Input(h, h, c), layers, name=ID + "-bottleneck", title=static(ID, lang, "diagram_bottleneck"))
    direct_net = Network(Input(h, h, c), (Conv(c, (k, k), (1, 1), "same", name="direct"),), name=ID + "-direct",
                         title=static(ID, lang, "diagram_direct"))
    counted = count(main)
    direct = count(direct_net).layers[0]
    d_value = int(direct.parameters.value)
    b_quantity = total_quantity([int(lc.parameters.value) for lc in counted.layers], ID)
    b_value = int(b_quantity.value)
    r_value = int(counted.layers[0].parameters.value) + int(counted.layers[2].parameters.value)
    parts = [numeric_part(f"params-{lc.label}", t("part_layer", name=lc.label), lc.parameters, "conv.params",
                          _conv_context(lc), lang, measure=At("params", lc.label, 1)) for lc in counted.layers]
    ctx = {"D": d_value, "B": b_value, "R": r_value, "expand": True, "C": c, "n": r, "N_c": c, "f": k,
           "params": b_value,
           "biases": counted.biases, "weights": counted.weights}
    wrong = (("forgot-biases", counted.weights), ("bias-per-weight", 2 * counted.weights))
    parts.append(numeric_part("bottleneck", static(ID, lang, "part_block"), b_quantity, "bottleneck.params", ctx,
                              lang, extra=wrong, measure=Total("params", 1)))
    parts.append(numeric_part("direct", static(ID, lang, "part_direct"), direct.parameters, "conv.params",
                              _conv_context(direct), lang, measure=Total("params")))
    wrong_b = b_value - int(counted.layers[1].weights.value) + k * r * r  # C2 with f instead of f²
    percent_parts, percent_steps = _savings_parts(t, lang, d_value, b_value, r_value, ctx,
                                                  (int(direct.weights.value), counted.weights), wrong_b)
    parts.append(percent_parts[1])
    if short(any(len(p.distractors) < 2 for p in parts)):
        return None
    labels = [f"P_{{{lc.label}}}" for lc in counted.layers]
    steps = [step(t("step_block_layer", name=lc.label, first=lc.index == 1, last=lc.index == 3), lc.parameters,
                  label) for lc, label in zip(counted.layers, labels, strict=True)]
    steps += [total_step(t("step_bottleneck"), b_quantity, "B", labels), step(t("step_direct"), direct.parameters, "D"),
              percent_steps[1]]
    stem = t("stem", difficulty=3, maps=maps_text(h, h, c, lang), C=c, r=r, N=c, k=k,
             conventions=conventions(["same"], lang))
    return _problem(lang, stem, parts, steps, direct_net, (main,))  # D first, as in the stem


FAMILY = Family(
    id=ID,
    summary={"en": "1×1 convolutions: parameters C·n + n, output depth n; bottleneck savings (Inception, ResNet)",
             "it": "convoluzioni 1×1: parametri C·n + n, profondità dell'output n; risparmio dei bottleneck "
                   "(Inception, ResNet)"},
    generate=generate,
    parameters=PARAMETERS,
    validate=validate,
    space=space_of,
    tags=("parameters",),
)
