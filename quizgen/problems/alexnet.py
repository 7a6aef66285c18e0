"""AlexNet: parameters per layer and in all, the architecture table, grouped convolutions, FC share.

Variants keep the lecture's structure (C1 11x11/4 SAME, S2 3x3/2 VALID, C3 5x5 SAME, S4, C5-C7 3x3
SAME, F8, F9, Out) and draw the input size, filter counts and FC widths. The grouped questions use
AlexNet 2012 (Krizhevsky et al.): conv2, conv4 and conv5 see only the maps on their own GPU.

Difficulty 1: ``layer`` (one layer, its input depth given), ``grouped`` (one two-GPU layer).
Difficulty 2: ``layer`` (F8: sizes through the network first), ``grouped`` (input depth first).
Difficulty 3: ``table`` (complete the table), ``inconsistent`` (the row that contradicts the others),
``total`` (conv, FC and network totals), ``fc-share`` (share of the parameters in the FC layers).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from quizgen.nets import formulas
from quizgen.nets.builtin import builtin
from quizgen.nets.engine import LayerCount, NetworkCount, count
from quizgen.nets.layers import LRN, Activation, Conv, Dense, Input, Network, Pool
from quizgen.nets.published import contradictions
from quizgen.problems import Family
from quizgen.problems.alexnet_table import (
    ASKED,
    DELTAS,
    FCS,
    SPATIAL,
    arch_table,
    inconsistent_question,
    lhs,
    published,
    table_question,
)
from quizgen.problems.common import Text, enough, numeric_part, redraw, step
from quizgen.problems.measures import At, Total, percent, sum_of
from quizgen.problems.model import Content, Part, Step
from quizgen.problems.params import ARITHMETIC, Param, ParamError, Parameters, Params, choices_of, one_of, whole
from quizgen.problems.totals import total, total_step

formulas.register("share.percent", "100*A/B", r"100 \times \frac{[A]}{[B]}")

KINDS = {1: ("layer", "grouped"), 2: ("layer", "grouped"), 3: ("table", "inconsistent", "total", "fc-share")}
CONVS = ("C1", "C3", "C5", "C6", "C7")
GROUPED = ("conv2", "conv4", "conv5")
# input sizes at difficulty 2 and 3, so that the versions of an entry can each have their own sizes (two versions
# share at most one answer, and every size after C1 follows from C1's, W/4)
WIDE = (224, 227, *range(96, 420, 4))
PUBLISHED = {"W": 224, "n1": 96, "n3": 256, "n5": 384, "n6": 384, "n7": 256, "fc": 4096, "classes": 1000}

PARAMETERS = Parameters(
    Param("kind", "the question: layer, grouped (difficulty 1-2); table, inconsistent, total, fc-share (3)",
          "la domanda: layer, grouped (difficoltà 1-2); table, inconsistent, total, fc-share (3)",
          one_of(*dict.fromkeys(k for ks in KINDS.values() for k in ks)), default=KINDS, shape=True),
    Param("layer", "the layer a layer question asks about (C1, C3, C5, C6, C7, F8, F9, Out) or a grouped one "
                   "(conv2, conv4, conv5)",
          "il layer richiesto da una domanda layer (C1, C3, C5, C6, C7, F8, F9, Out) o grouped "
          "(conv2, conv4, conv5)",
          one_of(*CONVS, *FCS, *GROUPED), difficulties=(1, 2),
          chosen={"en": "layer: C3, C5, C6, C7, F9 or Out (difficulty 1), F8 (difficulty 2); grouped: conv2, conv4 "
                        "or conv5",
                  "it": "layer: C3, C5, C6, C7, F9 o Out (difficoltà 1), F8 (difficoltà 2); grouped: conv2, conv4 "
                        "o conv5"}),
    Param("W", "input width and height (224; 67 or more for the pooling layers)",
          "larghezza e altezza dell'input (224; almeno 67 per i layer di pooling)", whole(67),
          calculator={1: (224, 224, 227, 256, 192), 2: WIDE, 3: WIDE}, hand=(224, 256)),
    Param("n1", "C1 filters (96)", "filtri di C1 (96)", whole(1), calculator=(96, 96, 64, 128, 48, 80, 112),
          hand=(96, 64)),
    Param("n3", "C3 filters (256)", "filtri di C3 (256)", whole(1),
          calculator=(256, 256, 192, 128, 160, 224, 288, 320), hand=(256, 128)),
    Param("n5", "C5 filters (384)", "filtri di C5 (384)", whole(1), calculator=(384, 384, 256, 320, 448, 512, 288),
          hand=(384, 256)),
    Param("n6", "C6 filters (384)", "filtri di C6 (384)", whole(1), calculator=(384, 384, 256, 320, 448, 512, 288),
          hand=(384, 256)),
    Param("n7", "C7 filters (256)", "filtri di C7 (256)", whole(1),
          calculator=(256, 256, 192, 128, 160, 224, 288, 320), hand=(256, 128)),
    Param("fc", "units of F8 and F9 (4096)", "unità di F8 e F9 (4096)", whole(1),
          calculator=(4096, 4096, 2048, 3072), hand=(4096, 2048, 1000)),
    Param("classes", "output units (1000)", "unità di output (1000)", whole(1), calculator=(1000, 1000, 100, 200),
          hand=(1000, 100)),
    ARITHMETIC,
)


def lecture_network(v: dict[str, int]) -> Network:
    """The lecture's AlexNet with these sizes (the built-in one, with its published table, for the defaults)."""
    if v == PUBLISHED:
        return builtin("alexnet")
    relu = Activation("relu")
    layers = (
        Conv(v["n1"], (11, 11), (4, 4), "same", name="C1"), relu, Pool("max", (3, 3), (2, 2), "valid", name="S2"),
        Conv(v["n3"], (5, 5), (1, 1), "same", name="C3"), relu, Pool("max", (3, 3), (2, 2), "valid", name="S4"),
        Conv(v["n5"], (3, 3), (1, 1), "same", name="C5"), relu, Conv(v["n6"], (3, 3), (1, 1), "same", name="C6"),
        relu, Conv(v["n7"], (3, 3), (1, 1), "same", name="C7"), relu, Dense(v["fc"], name="F8"), relu,
        Dense(v["fc"], name="F9"), relu, Dense(v["classes"], name="Out"), Activation("softmax"),
    )
    return Network(Input(v["W"], v["W"], 3), layers, name="alexnet-variant", title="AlexNet (variant)")


def network_2012(v: dict[str, int]) -> Network:
    """AlexNet 2012 with two GPU groups on conv2, conv4, conv5 (the built-in one for the defaults)."""
    if v == PUBLISHED:
        return builtin("alexnet-2012")
    relu = Activation("relu")
    layers = (
        Conv(v["n1"], (11, 11), (4, 4), 0, name="conv1"), relu, LRN(5), Pool("max", (3, 3), (2, 2), name="pool1"),
        Conv(v["n3"], (5, 5), (1, 1), 2, groups=2, name="conv2"), relu, LRN(5),
        Pool("max", (3, 3), (2, 2), name="pool2"), Conv(v["n5"], (3, 3), (1, 1), 1, name="conv3"), relu,
        Conv(v["n6"], (3, 3), (1, 1), 1, groups=2, name="conv4"), relu,
        Conv(v["n7"], (3, 3), (1, 1), 1, groups=2, name="conv5"), relu, Pool("max", (3, 3), (2, 2), name="pool5"),
        Dense(v["fc"], name="fc6"), relu, Dense(v["fc"], name="fc7"), relu, Dense(v["classes"], name="fc8"),
        Activation("softmax"),
    )
    return Network(Input(227, 227, 3), layers, name="alexnet-2012-variant", title="AlexNet 2012 (variant)")


def _draw(params: Params) -> dict[str, int]:
    return {name: params.draw(name) for name in PUBLISHED}


def _draw_key(params: Params, kind: str, difficulty: int) -> tuple | None:
    """Every choice of one attempt (all the rng calls and override checks) as a hashable key; None: draw again."""
    v = _draw(params)
    sizes = tuple(v.values())
    rng = params.rng
    if kind == "layer":
        return sizes, params.draw("layer", ["C3", "C5", "C6", "C7", "F9", "Out"] if difficulty == 1 else ["F8"])
    if kind == "grouped":
        if any(v[n] % 2 for n in ("n1", "n3", "n5", "n6", "n7")):
            return None
        return sizes, params.draw("layer", list(GROUPED))
    if kind == "table":  # the size asked besides C1's: the same in all the versions of a bank entry
        return sizes, params.pick("blank", ASKED)
    if kind == "inconsistent":
        if v == PUBLISHED and rng.random() < 0.4:
            return sizes, "C1", 55, 0  # the lecture's own table
        return sizes, rng.choice(SPATIAL), None, rng.choice(DELTAS)
    return (sizes,)


def _ctx(lc: LayerCount) -> dict[str, Any]:
    layer, inp, out = lc.layer, lc.input_shape, lc.output_shape
    ctx: dict[str, Any] = {"weights": lc.weights.value, "biases": lc.biases.value, "params": lc.parameters.value}
    if isinstance(layer, (Conv, Pool)):
        padding = layer.padding if isinstance(layer.padding, str) else None
        ctx.update(f=layer.kernel[0], s=layer.stride[0], W=inp.h, O=out.h, N_c=out.d, C=inp.d, padding=padding,
                   p=layer.padding if isinstance(layer.padding, int) else 0)
    if isinstance(layer, Conv):
        ctx["g"] = layer.groups
    if isinstance(layer, Dense):
        ctx.update(F=layer.units, F_prev=inp.size)
        if hasattr(inp, "d"):
            ctx.update(O=inp.h, N_c=inp.d)
    return ctx


def _layer_parts(t: Text, lc: LayerCount, lang: str) -> tuple[list[Part], list[Step]]:
    """Weights and parameters of one conv or FC layer, with their steps."""
    kind = "conv" if isinstance(lc.layer, Conv) else "fc"
    ctx, label = _ctx(lc), lc.label
    parts = [numeric_part("weights", t("part_weights", layer=label), lc.weights, f"{kind}.weights", ctx, lang,
                          measure=At("weights", label)),
             numeric_part("params", t("part_params", layer=label), lc.parameters, f"{kind}.params", ctx, lang,
                          measure=At("params", label))]
    what = "grouped" if kind == "conv" and lc.layer.groups > 1 else kind
    steps = [step(t("step_weights", kind=what, layer=label), lc.weights, lhs("weights", label)),
             step(t("step_params", kind=what, layer=label), lc.parameters, lhs("params", label))]
    return parts, steps


def generate(rng: random.Random, params: Params, difficulty: int, lang: str) -> Content:
    kind = params.draw("kind")  # one this difficulty asks (validate)
    builder = {"layer": _layer, "grouped": _grouped, "table": _table, "inconsistent": _inconsistent,
               "total": _total, "fc-share": _share}[kind]

    def attempt() -> Content | None:
        key = _draw_key(params, kind, difficulty)
        if key is None:
            return None
        return problem(key)

    def problem(key: tuple) -> Content | None:
        t = Text("alexnet", lang)
        built = builder(t, difficulty, lang, *key)
        if built is None:
            return None
        fields, network = built
        if kind != "inconsistent":  # there the contradicting row is what the student must find
            fields = _lecture_sizes(t, fields, network)
        return Content(network=network,
                       title=t("title", kind=kind), hint=t("hint", kind=kind), tags=("alexnet", kind), **fields)

    return redraw(attempt)


def _lecture_sizes(t: Text, fields: dict[str, Any], network: Network) -> dict[str, Any]:
    """Where the lecture's table prints an output size the arithmetic contradicts (C1: 55 × 55 on 224 × 224 inputs,
    where SAME gives 56), the stem says which one is asked and the solution explains both."""
    found = [w for w in contradictions(count(network)) if w.what == "an output size of"]
    if not found:
        return fields
    stem, solution = fields["stem"], list(fields["solution"])
    for w in found:
        listed, computed = int(str(w.listed).split("x")[0]), int(str(w.computed).split("x")[0])
        context = {"layer": w.label, "listed": listed, "computed": computed, "W": network.input.h}
        stem = stem.rstrip() + "\n\n" + t("lecture_size_note", **context)
        solution.append(step(t("lecture_size_step", **context)))
    return {**fields, "stem": stem, "solution": tuple(solution)}


def _values(sizes: tuple[int, ...]) -> dict[str, int]:
    return dict(zip(PUBLISHED, sizes, strict=True))


def _lecture(sizes: tuple[int, ...]) -> Network:
    """The lecture's AlexNet for these sizes."""
    return lecture_network(_values(sizes))


def _net_2012(sizes: tuple[int, ...]) -> Network:
    return network_2012(_values(sizes))


def _layer(t: Text, difficulty: int, lang: str, sizes: tuple[int, ...], label: str) -> tuple | None:
    v = _values(sizes)
    network = _lecture(sizes)
    nc = count(network)
    lc = nc.layer(label)
    parts, steps = _layer_parts(t, lc, lang)
    stem_ctx: dict[str, Any] = {"layer": label, "in_h": getattr(lc.input_shape, "h", 0),
                                "in_d": getattr(lc.input_shape, "d", 0), "in_n": lc.input_shape.size,
                                "units": lc.output_shape.size, "N": getattr(lc.output_shape, "d", 0),
                                "f": getattr(lc.layer, "kernel", (0,))[0], "fc": isinstance(lc.layer, Dense)}
    table = None
    if difficulty == 2:
        # the input of the layer must be worked out through the network first
        c7 = nc.layer("C7")
        s4 = nc.layer("S4")
        o = c7.output_shape.h
        flat = formulas.quantity(c7.output_shape.size, "maps.size", "F8", O=o, N_c=c7.output_shape.d)
        unpooled = {"O_unpooled": s4.input_shape.h, "O": o, "N_c": c7.output_shape.d}
        f8 = numeric_part("params", t("part_params", layer=label), lc.parameters, "fc.params", {**_ctx(lc), **unpooled},
                          lang, measure=At("params", label))
        # O_pooled: what a student who adds AlexNet 2012's pool5 (3x3, stride 2, VALID) after C7 would use
        flat_ctx = {**_ctx(c7), **unpooled, "F": v["fc"], "O_pooled": -(-(o - 2) // 2)}
        parts = [numeric_part("size", t("part_size", layer="S4"), s4.out_h.size, "size", _ctx(s4), lang,
                              measure=At("out_h", "S4")),
                 numeric_part("flatten", t("part_flatten"), flat, "flatten", flat_ctx, lang,
                              measure=At("flatten", "C7")), f8]
        steps = [step(t("step_size", layer="S4", padding="valid"), s4.out_h.size, "O"),
                 step(t("step_flatten"), flat, "n"), steps[1]]
        table = arch_table(lang, nc, blank_from="C3")
    if not enough(parts, 2 if difficulty == 1 else 1):
        return None
    stem = t("stem_layer", difficulty=difficulty, W=v["W"], published=published(network), **stem_ctx)
    return {"stem": stem, "parts": tuple(parts), "solution": tuple(steps), "table": table}, network


def _grouped(t: Text, difficulty: int, lang: str, sizes: tuple[int, ...], label: str) -> tuple | None:
    network = _net_2012(sizes)
    nc = count(network)
    lc = nc.layer(label)
    parts, steps = _layer_parts(t, lc, lang)
    if difficulty == 2:
        prev = [x for x in nc.layers[: lc.index - 1] if isinstance(x.layer, (Conv, Pool))][-1]
        before = "pool" if isinstance(prev.layer, Pool) else "conv"
        depth = formulas.quantity(lc.input_shape.d, "pool.depth", label, N_c=lc.input_shape.d)
        parts.insert(0, Part("depth", t("part_depth", layer=label), depth.value, depth,
                             measure=At("out_d", prev.label)))
        steps.insert(0, step(t("step_depth", layer=label, before=before, previous=prev.label), depth, "C"))
    if not enough([p for p in parts if p.key != "depth"], 2):
        return None
    previous = tuple(dict(label=x.label, N=x.output_shape.d, pool=isinstance(x.layer, Pool), f=x.layer.kernel[0],
                         s=x.layer.stride[0], g=getattr(x.layer, "groups", 1))
                     for x in nc.layers[: lc.index - 1] if isinstance(x.layer, (Conv, Pool)))
    stem = t("stem_grouped", difficulty=difficulty, layer=label, C=lc.input_shape.d, N=lc.output_shape.d,
             f=lc.layer.kernel[0], g=lc.layer.groups, previous=previous,
             published=published(network))
    return {"stem": stem, "parts": tuple(parts), "solution": tuple(steps)}, network


def _table(t: Text, difficulty: int, lang: str, sizes: tuple[int, ...], asked: str) -> tuple | None:
    network = _lecture(sizes)
    fields = table_question(t, network, asked, lang)
    return None if fields is None else (fields, network)


def _inconsistent(t: Text, difficulty: int, lang: str, sizes: tuple[int, ...], label: str, wrong: int | None,
                  delta: int) -> tuple | None:
    return inconsistent_question(t, _lecture(sizes), label, wrong, delta, lang)


# --- totals and the FC share ----------------------------------------------------------------


def _sums(nc: NetworkCount, labels: tuple[str, ...], where: str) -> Any:
    return total([nc.layer(label).parameters.value for label in labels], where)


def _terms(labels: tuple[str, ...]) -> list[str]:
    return [lhs("params", label) for label in labels]


def _fc_facts(nc: NetworkCount, fc: int) -> tuple[dict[str, int], int, int]:
    """F8's input sizes; the FC total of a student who skips S4 (F8 on the unpooled maps); the pools as weights."""
    f8 = nc.layer("F8")
    o, d = f8.input_shape.h, f8.input_shape.d
    o_unpooled = nc.layer("S4").input_shape.h
    flat_wrong = fc - f8.weights.value + o_unpooled * o_unpooled * d * f8.layer.units
    pools = sum(9 * nc.layer(lb).output_shape.d + nc.layer(lb).output_shape.d for lb in ("S2", "S4"))
    return {"O": o, "N_c": d, "O_unpooled": o_unpooled}, flat_wrong, pools


def _total(t: Text, difficulty: int, lang: str, sizes: tuple[int, ...]) -> tuple | None:
    network = _lecture(sizes)
    nc = count(network)
    conv, fc = _sums(nc, CONVS, "conv total"), _sums(nc, FCS, "fc total")
    whole = total([conv.value, fc.value], "total")
    facts, flat_wrong, pools = _fc_facts(nc, fc.value)
    conv_biases = sum(nc.layer(lb).biases.value for lb in CONVS)
    fc_biases = sum(nc.layer(lb).biases.value for lb in FCS)
    parts = [
        numeric_part("conv", t("part_conv_total"), conv, "total", {"params": conv.value, "biases": conv_biases}, lang,
                     extra=(("pooling-weights", conv.value + pools),),
                     measure=sum_of(*(At("params", lb) for lb in CONVS))),
        numeric_part("fc", t("part_fc_total"), fc, "total", {"params": fc.value, "biases": fc_biases, **facts}, lang,
                     extra=(("forgot-pooling", flat_wrong),),
                     measure=sum_of(*(At("params", lb) for lb in FCS))),
        numeric_part("total", t("part_total"), whole, "total", {"params": whole.value,
                     "biases": conv_biases + fc_biases, **facts}, lang,
                     extra=(("pooling-weights", whole.value + pools),), measure=Total("params")),
    ]
    if not enough(parts, 1):
        return None
    steps = [step(t("step_params", kind="conv" if lb in CONVS else "fc", layer=lb), nc.layer(lb).parameters,
                  lhs("params", lb)) for lb in CONVS + FCS]
    steps += [total_step(t("step_conv_total"), conv, "P_{conv}", _terms(CONVS)),
              total_step(t("step_fc_total"), fc, "P_{FC}", _terms(FCS)),
              total_step(t("step_total"), whole, "P", ["P_{conv}", "P_{FC}"])]
    stem = t("stem_total", W=network.input.h, published=published(network))
    return {"stem": stem, "parts": tuple(parts), "solution": tuple(steps), "table": arch_table(lang, nc)}, network


def _share(t: Text, difficulty: int, lang: str, sizes: tuple[int, ...]) -> tuple | None:
    network = _lecture(sizes)
    nc = count(network)
    fc = _sums(nc, FCS, "fc total")
    whole = nc.parameters
    share = formulas.quantity(Fraction(100 * fc.value, whole), "share.percent", "fc share", A=fc.value, B=whole)
    total_q = total([_sums(nc, CONVS, "conv").value, fc.value], "total")
    facts, flat_wrong, pools = _fc_facts(nc, fc.value)
    f8, f9 = nc.layer("F8").parameters.value, nc.layer("F9").parameters.value
    biases = sum(nc.layer(lb).biases.value for lb in FCS)
    ctx = {"answer": share.value, "first_fc_share": Fraction(100 * f8, whole),
           "hidden_fc_share": Fraction(100 * (f8 + f9), whole), **facts}
    fc_measure = sum_of(*(At("params", lb) for lb in FCS))
    parts = [
        numeric_part("fc", t("part_fc_total"), fc, "total", {"params": fc.value, "biases": biases, **facts}, lang,
                     extra=(("forgot-pooling", flat_wrong),), measure=fc_measure),
        numeric_part("total", t("part_total"), total_q, "total",
                     {"params": whole, "biases": biases + sum(nc.layer(lb).biases.value for lb in CONVS)}, lang,
                     extra=(("pooling-weights", whole + pools),), measure=Total("params")),
        numeric_part("share", t("part_share"), share, "share", ctx, lang, unit="%", decimals=2,
                     measure=percent(fc_measure, Total("params")),
                     extra=(("forgot-pooling", Fraction(100 * flat_wrong, whole - fc.value + flat_wrong)),)),
    ]
    if len(parts[2].distractors) < 2:
        return None
    steps = [total_step(t("step_fc_total"), fc, "P_{FC}", _terms(FCS)),
             total_step(t("step_total"), total_q, "P", ["P_{conv}", "P_{FC}"]),
             step(t("step_share"), share, r"\%_{FC}", t.lang)]
    stem = t("stem_share", W=network.input.h, published=published(network))
    return {"stem": stem, "parts": tuple(parts), "solution": tuple(steps), "table": arch_table(lang, nc)}, network


def validate(overrides: Mapping[str, Any], difficulty: int) -> None:
    """Kinds and layers that fit no question of this difficulty; odd map counts for two GPU groups."""
    kinds = PARAMETERS.allowed(overrides, difficulty)["kind"]
    for kind in kinds:
        if kind not in KINDS[difficulty]:
            raise ParamError("kind", f"alexnet kind '{kind}' is not a difficulty-{difficulty} question",
                             fix=f"at difficulty {difficulty} use " + ", ".join(KINDS[difficulty]))
    for label in choices_of("layer", overrides["layer"]) if "layer" in overrides else ():
        if "layer" in kinds and label not in CONVS + FCS:
            raise ParamError("layer", f"'{label}' is not a layer of the lecture's AlexNet",
                             fix="use one of " + ", ".join(CONVS + FCS)
                                 + (" (or kind: grouped)" if label in GROUPED else ""))
        if "grouped" in kinds and label not in GROUPED:
            raise ParamError("layer", f"'{label}' is not a grouped layer of AlexNet 2012",
                             fix="use conv2, conv4 or conv5" + (" (or kind: layer)" if label in CONVS + FCS else ""))
    if kinds == ["grouped"]:
        for name in ("n1", "n3", "n5", "n6", "n7"):
            if name in overrides and all(n % 2 for n in choices_of(name, overrides[name])):
                raise ParamError(name, f"two GPU groups need an even number of maps, but {name} is odd",
                                 fix=f"use an even {name}")


FAMILY = Family(
    id="alexnet",
    summary={"en": "AlexNet: parameters per layer and in all, the architecture table, two-GPU groups, FC share",
             "it": "AlexNet: parametri per layer e in tutto, la tabella dell'architettura, due GPU, "
                   "quota dei layer FC"},
    generate=generate,
    parameters=PARAMETERS,
    validate=validate,
    tags=("parameters", "alexnet"),
)
