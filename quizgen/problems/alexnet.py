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
from dataclasses import replace
from fractions import Fraction
from functools import cache
from typing import Any

from quizgen.errors import QuizgenError
from quizgen.nets import formulas
from quizgen.nets.builtin import builtin
from quizgen.nets.engine import LayerCount, NetworkCount, count
from quizgen.nets.layers import LRN, Activation, Conv, Dense, Input, Listed, Network, Pool
from quizgen.problems import Family
from quizgen.problems.common import Text, enough, numeric_part, redraw, step
from quizgen.problems.model import Choice, Part, Problem, Step, Table
from quizgen.problems.params import Params, choices_of
from quizgen.problems.totals import counted, total, total_step
from quizgen.templating import render_block

formulas.register("pool.depth", "N_c", "[N_c]")
formulas.register("share.percent", "100*A/B", r"100 \times \frac{[A]}{[B]}")

KINDS = {1: ("layer", "grouped"), 2: ("layer", "grouped"), 3: ("table", "inconsistent", "total", "fc-share")}
CONVS = ("C1", "C3", "C5", "C6", "C7")
FCS = ("F8", "F9", "Out")
ROWS = ("Out", "F9", "F8", "C7", "C6", "C5", "S4", "C3", "S2", "C1", "In")  # the lecture's order, top to bottom
GROUPED = ("conv2", "conv4", "conv5")
PUBLISHED = {"W": 224, "n1": 96, "n3": 256, "n5": 384, "n6": 384, "n7": 256, "fc": 4096, "classes": 1000}

PARAMETERS = {
    "kind": "layer, grouped (d1-2); table, inconsistent, total, fc-share (d3)",
    "layer": "the layer a layer/grouped question asks about (C3..Out; conv2, conv4, conv5)",
    "W": "input width and height (224)",
    "n1": "C1 filters (96)", "n3": "C3 filters (256)", "n5": "C5 filters (384)", "n6": "C6 filters (384)",
    "n7": "C7 filters (256)",
    "fc": "units of F8 and F9 (4096)",
    "classes": "output units (1000)",
    "arithmetic": "hand (round numbers) or calculator",
}


def _defaults(hand: bool) -> dict[str, list[int]]:
    if hand:
        return {"W": [224, 256], "n1": [96, 64], "n3": [256, 128], "n5": [384, 256], "n6": [384, 256],
                "n7": [256, 128], "fc": [4096, 2048, 1000], "classes": [1000, 100]}
    return {"W": [224, 224, 227, 256, 192], "n1": [96, 96, 64, 128], "n3": [256, 256, 192, 128],
            "n5": [384, 384, 256], "n6": [384, 384, 256], "n7": [256, 256, 192], "fc": [4096, 4096, 2048, 3072],
            "classes": [1000, 1000, 100, 200]}


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
    d = _defaults(params.hand)
    return {name: params.draw(name, d[name]) for name in PUBLISHED}


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


def _lhs(what: str, label: str) -> str:
    return {"params": "P", "weights": r"\#W", "size": "O", "flatten": "n"}[what] + rf"_{{\mathrm{{{label}}}}}"


def _layer_parts(t: Text, lc: LayerCount, lang: str) -> tuple[list[Part], list[Step]]:
    """Weights and parameters of one conv or FC layer, with their steps."""
    kind = "conv" if isinstance(lc.layer, Conv) else "fc"
    ctx, label = _ctx(lc), lc.label
    parts = [numeric_part("weights", t("part_weights", layer=label), lc.weights, f"{kind}.weights", ctx, lang,
                          measure=f"weights@{label}"),
             numeric_part("params", t("part_params", layer=label), lc.parameters, f"{kind}.params", ctx, lang,
                          measure=f"params@{label}")]
    what = "grouped" if kind == "conv" and lc.layer.groups > 1 else kind
    steps = [step(t("step_weights", kind=what, layer=label), lc.weights, _lhs("weights", label)),
             step(t("step_params", kind=what, layer=label), lc.parameters, _lhs("params", label))]
    return parts, steps


def generate(rng: random.Random, params: Params, difficulty: int, lang: str) -> Problem:
    t = Text("alexnet", lang)
    kinds = KINDS[difficulty]
    kind = params.draw("kind", kinds)
    if kind not in kinds:
        raise QuizgenError(f"alexnet kind '{kind}' is not a difficulty-{difficulty} question",
                           where="parameter kind", fix=f"at difficulty {difficulty} use " + ", ".join(kinds))
    builder = {"layer": _layer, "grouped": _grouped, "table": _table, "inconsistent": _inconsistent,
               "total": _total, "fc-share": _share}[kind]

    def attempt() -> Problem | None:
        v = _draw(params)
        built = builder(t, v, params, difficulty, lang)
        if built is None:
            return None
        fields, network = built
        return Problem(id="", family="alexnet", difficulty=difficulty, lang=lang, seed=0, network=network,
                       title=t("title", kind=kind), hint=t("hint", kind=kind), tags=("alexnet", kind), **fields)

    return redraw(attempt)


def _layer(t: Text, v: dict[str, int], params: Params, difficulty: int, lang: str) -> tuple | None:
    network = lecture_network(v)
    nc = counted(network)
    default = ["C3", "C5", "C6", "C7", "F9", "Out"] if difficulty == 1 else ["F8"]
    label = params.draw("layer", default)
    if label not in CONVS + FCS:
        raise QuizgenError(f"no layer '{label}' with parameters in the lecture's AlexNet", where="parameter layer",
                           fix="use one of " + ", ".join(CONVS + FCS))
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
        flat = formulas.quantity(c7.output_shape.size, "maps.size", "F8", O=c7.output_shape.h, N_c=c7.output_shape.d)
        unpooled = {"O_unpooled": s4.input_shape.h, "O": c7.output_shape.h, "N_c": c7.output_shape.d}
        f8 = numeric_part("params", t("part_params", layer=label), lc.parameters, "fc.params", {**_ctx(lc), **unpooled},
                          lang, measure=f"params@{label}")
        parts = [numeric_part("size", t("part_size", layer="S4"), s4.out_h.size, "size", _ctx(s4), lang,
                              measure="out_h@S4"),
                 numeric_part("flatten", t("part_flatten"), flat, "flatten", {**_ctx(c7), **unpooled, "F": v["fc"]},
                              lang, measure="flatten@C7"), f8]
        steps = [step(t("step_size", layer="S4", padding="valid"), s4.out_h.size, "O"),
                 step(t("step_flatten"), flat, "n"), steps[1]]
        table = _arch_table(t, nc, blank_from="C3")
    if not enough(parts, 2 if difficulty == 1 else 1):
        return None
    stem = t("stem_layer", difficulty=difficulty, W=v["W"], **stem_ctx)
    return {"stem": stem, "parts": tuple(parts), "solution": tuple(steps), "table": table}, network


def _grouped(t: Text, v: dict[str, int], params: Params, difficulty: int, lang: str) -> tuple | None:
    if any(v[n] % 2 for n in ("n1", "n3", "n5", "n6", "n7")):
        return None
    network = network_2012(v)
    nc = counted(network)
    label = params.draw("layer", list(GROUPED))
    if label not in GROUPED:
        raise QuizgenError(f"'{label}' is not a grouped layer of AlexNet 2012", where="parameter layer",
                           fix="use conv2, conv4 or conv5")
    lc = nc.layer(label)
    parts, steps = _layer_parts(t, lc, lang)
    if difficulty == 2:
        prev = [x for x in nc.layers[: lc.index - 1] if isinstance(x.layer, (Conv, Pool))][-1]
        before = "pool" if isinstance(prev.layer, Pool) else "conv"
        depth = formulas.quantity(lc.input_shape.d, "pool.depth", label, N_c=lc.input_shape.d)
        parts.insert(0, Part("depth", t("part_depth", layer=label), depth.value, depth, measure=f"out_d@{prev.label}"))
        steps.insert(0, step(t("step_depth", layer=label, before=before, previous=prev.label), depth, "C"))
    if not enough([p for p in parts if p.key != "depth"], 2):
        return None
    previous = [{"label": x.label, "N": x.output_shape.d, "pool": isinstance(x.layer, Pool), "f": x.layer.kernel[0],
                 "s": x.layer.stride[0], "g": getattr(x.layer, "groups", 1)}
                for x in nc.layers[: lc.index - 1] if isinstance(x.layer, (Conv, Pool))]
    stem = t("stem_grouped", difficulty=difficulty, layer=label, C=lc.input_shape.d, N=lc.output_shape.d,
             f=lc.layer.kernel[0], g=lc.layer.groups, previous=previous)
    return {"stem": stem, "parts": tuple(parts), "solution": tuple(steps)}, network


# --- the architecture table ---------------------------------------------------------------


@cache
def _words(lang: str) -> dict[str, str]:
    path = f"problems/alexnet/{lang}.j2"
    keys = ("col_layer", "col_type", "col_maps", "col_size", "col_kernel", "col_stride", "col_padding",
            "col_activation", "type_conv", "type_pool", "type_fc", "type_input", "caption")
    return {k: render_block(path, k) for k in keys}


def _size_cell(h: int) -> str:
    return rf"${h} \times {h}$"


def _arch_table(t: Text, nc: NetworkCount, sizes: dict[str, int] | None = None, blanks: tuple = (),
                blank_from: str | None = None) -> Table:
    """The lecture's table (Out at the top, In at the bottom); ``sizes`` overrides listed sizes."""
    w = _words(t.lang)
    sizes = sizes or {}
    rows = []
    hide = False
    for label in reversed(ROWS):
        if label == blank_from:
            hide = True
        if label == "In":
            inp = nc.network.input
            rows.append((label, w["type_input"], "3 (RGB)", _size_cell(inp.h), "–", "–", "–", "–"))
            continue
        lc = nc.layer(label)
        layer, out = lc.layer, lc.output_shape
        if isinstance(layer, Dense):
            act = "Softmax" if label == "Out" else "ReLU"
            rows.append((label, w["type_fc"], "–", f"${formulas.latex_number(out.size)}$", "–", "–", "–", act))
            continue
        f, s = layer.kernel[0], layer.stride[0]
        size = "?" if hide else _size_cell(sizes.get(label, out.h))
        rows.append((label, w["type_conv"] if isinstance(layer, Conv) else w["type_pool"], str(out.d), size,
                     rf"${f} \times {f}$", str(s), str(layer.padding).upper(),
                     "ReLU" if isinstance(layer, Conv) else "–"))
    rows.reverse()
    columns = tuple(w[k] for k in ("col_layer", "col_type", "col_maps", "col_size", "col_kernel", "col_stride",
                                   "col_padding", "col_activation"))
    return Table(columns, tuple(rows), blanks, w["caption"])


def _table(t: Text, v: dict[str, int], params: Params, difficulty: int, lang: str) -> tuple | None:
    network = lecture_network(v)
    nc = counted(network)
    rng = params.rng
    chosen = sorted(rng.sample(["S2", "C3", "S4", "C5"], 2), key=ROWS.index, reverse=True)
    cells = [("C1", "size"), *[(label, "size") for label in chosen], (rng.choice(["S2", "S4"]), "maps")]
    parts, steps, blanks = [], [], []
    for label, what in sorted(set(cells), key=lambda c: (-ROWS.index(c[0]), c[1])):
        lc = nc.layer(label)
        row, col = ROWS.index(label), 3 if what == "size" else 2
        blanks.append((row, col))
        key = f"cell-{row}-{col}"
        if what == "size":
            parts.append(numeric_part(key, t("part_size", layer=label), lc.out_h.size, "size", _ctx(lc), lang,
                                      measure=f"out_h@{label}"))
            steps.append(step(t("step_size", layer=label, padding=lc.layer.padding), lc.out_h.size,
                              _lhs("size", label)))
        else:
            depth = formulas.quantity(lc.output_shape.d, "pool.depth", label, N_c=lc.output_shape.d)
            parts.append(Part(key, t("part_maps", layer=label), depth.value, depth, measure=f"out_d@{label}"))
            steps.append(step(t("step_maps", layer=label), depth, rf"N_{{\mathrm{{{label}}}}}"))
    if not enough([p for p in parts if p.key.endswith("-3")], 1):
        return None
    table = _arch_table(t, nc)
    rows = tuple(tuple("?" if (i, j) in blanks else cell for j, cell in enumerate(r)) for i, r in enumerate(table.rows))
    table = replace(table, rows=rows, blanks=tuple(sorted(blanks)))
    stem = t("stem_table", W=v["W"])
    return {"stem": stem, "parts": tuple(parts), "solution": tuple(steps), "table": table}, network


def _next_size(layer: Conv | Pool, size: int) -> int | None:
    f, s, padding = layer.kernel[0], layer.stride[0], layer.padding
    if padding == "same":
        return -(-size // s)
    return -(-(size - f + 1) // s) if size >= f else None


def _inconsistent(t: Text, v: dict[str, int], params: Params, difficulty: int, lang: str) -> tuple | None:
    network = lecture_network(v)
    nc = counted(network)
    rng = params.rng
    spatial = [label for label in reversed(ROWS) if label not in FCS and label != "In"]
    true = {label: nc.layer(label).output_shape.h for label in spatial}
    if v == PUBLISHED and rng.random() < 0.4:
        wrong_label, wrong = "C1", 55  # the lecture's own table
    else:
        wrong_label = rng.choice(spatial)
        candidates = [true[wrong_label] + d for d in (-1, 1, -2, 2)]
        nxt = spatial.index(wrong_label) + 1
        if nxt < len(spatial):
            following = nc.layer(spatial[nxt]).layer
            candidates = [c for c in candidates if c > 0 and _next_size(following, c) == true[spatial[nxt]]]
        if not candidates:
            return None
        wrong = rng.choice(candidates)
    listed = dict(true, **{wrong_label: wrong})
    network = replace(network, listed={label: Listed((size, size)) for label, size in listed.items()})
    nc = count(network)  # not cached: the warnings depend on the listed sizes
    assert [w.label for w in nc.warnings] == [wrong_label]
    table = _arch_table(t, nc, sizes=listed)
    choices = []
    for i, label in enumerate(spatial):
        lc = nc.layer(label)
        before = listed[spatial[i - 1]] if i else network.input.h
        fields = {"layer": label, "listed": listed[label], "W": before, "f": lc.layer.kernel[0],
                  "s": lc.layer.stride[0], "padding": lc.layer.padding, "computed": _next_size(lc.layer, before),
                  }
        correct = label == wrong_label
        choices.append(Choice(t("option", **fields), correct, t("option_feedback", correct=correct, **fields)))
    choices.reverse()  # the table's order: top to bottom
    stem = t("stem_inconsistent", W=v["W"])
    return {"stem": stem, "choices": tuple(choices), "table": table,
            "solution": (Step(t("solution_inconsistent", layer=wrong_label, listed=wrong,
                                computed=true[wrong_label])),)}, network


# --- totals and the FC share ----------------------------------------------------------------


def _sums(nc: NetworkCount, labels: tuple[str, ...], where: str) -> Any:
    return total([nc.layer(label).parameters.value for label in labels], where)


def _terms(labels: tuple[str, ...]) -> list[str]:
    return [_lhs("params", label) for label in labels]


def _total(t: Text, v: dict[str, int], params: Params, difficulty: int, lang: str) -> tuple | None:
    network = lecture_network(v)
    nc = counted(network)
    conv, fc = _sums(nc, CONVS, "conv total"), _sums(nc, FCS, "fc total")
    whole = total([conv.value, fc.value], "total")
    f8 = nc.layer("F8")
    o, d = f8.input_shape.h, f8.input_shape.d
    o_unpooled = nc.layer("S4").input_shape.h
    flat_wrong = fc.value - f8.weights.value + o_unpooled * o_unpooled * d * v["fc"]
    pools = sum(9 * nc.layer(lb).output_shape.d + nc.layer(lb).output_shape.d for lb in ("S2", "S4"))
    conv_biases = sum(nc.layer(lb).biases.value for lb in CONVS)
    fc_biases = sum(nc.layer(lb).biases.value for lb in FCS)
    parts = [
        numeric_part("conv", t("part_conv_total"), conv, "total", {"params": conv.value, "biases": conv_biases}, lang,
                     measure="sum(" + ", ".join(f"params@{lb}" for lb in CONVS) + ")"),
        numeric_part("fc", t("part_fc_total"), fc, "total",
                     {"params": fc.value, "biases": fc_biases, "O": o, "N_c": d, "O_unpooled": o_unpooled}, lang,
                     extra=(("forgot-pooling", flat_wrong),),
                     measure="sum(" + ", ".join(f"params@{lb}" for lb in FCS) + ")"),
        numeric_part("total", t("part_total"), whole, "total", {"params": whole.value,
                     "biases": conv_biases + fc_biases, "O": o, "N_c": d}, lang,
                     extra=(("pooling-weights", whole.value + pools),), measure="net.params"),
    ]
    if not enough(parts, 1):
        return None
    steps = [step(t("step_params", kind="conv" if lb in CONVS else "fc", layer=lb), nc.layer(lb).parameters,
                  _lhs("params", lb)) for lb in CONVS + FCS]
    steps += [total_step(t("step_conv_total"), conv, "P_{conv}", _terms(CONVS)),
              total_step(t("step_fc_total"), fc, "P_{FC}", _terms(FCS)),
              total_step(t("step_total"), whole, "P", ["P_{conv}", "P_{FC}"])]
    stem = t("stem_total", W=v["W"])
    return {"stem": stem, "parts": tuple(parts), "solution": tuple(steps), "table": _arch_table(t, nc)}, network


def _share(t: Text, v: dict[str, int], params: Params, difficulty: int, lang: str) -> tuple | None:
    network = lecture_network(v)
    nc = counted(network)
    fc = _sums(nc, FCS, "fc total")
    whole = nc.parameters
    share = formulas.quantity(Fraction(100 * fc.value, whole), "share.percent", "fc share", A=fc.value, B=whole)
    total_q = total([_sums(nc, CONVS, "conv").value, fc.value], "total")
    f8, f9 = nc.layer("F8").parameters.value, nc.layer("F9").parameters.value
    biases = sum(nc.layer(lb).biases.value for lb in FCS)
    ctx = {"answer": share.value, "first_fc_share": Fraction(100 * f8, whole),
           "hidden_fc_share": Fraction(100 * (f8 + f9), whole)}
    fc_measure = "sum(" + ", ".join(f"params@{lb}" for lb in FCS) + ")"
    parts = [
        numeric_part("fc", t("part_fc_total"), fc, "total", {"params": fc.value, "biases": biases}, lang,
                     measure=fc_measure),
        numeric_part("total", t("part_total"), total_q, "total",
                     {"params": whole, "biases": biases + sum(nc.layer(lb).biases.value for lb in CONVS)}, lang,
                     measure="net.params"),
        numeric_part("share", t("part_share"), share, "share", ctx, lang, unit="%", decimals=2,
                     tolerance=Fraction(1, 100), measure=f"percent({fc_measure}, net.params)"),
    ]
    if len(parts[2].distractors) < 2:
        return None
    steps = [total_step(t("step_fc_total"), fc, "P_{FC}", _terms(FCS)),
             total_step(t("step_total"), total_q, "P", ["P_{conv}", "P_{FC}"]),
             step(t("step_share"), share, r"\%_{FC}")]
    stem = t("stem_share", W=v["W"])
    return {"stem": stem, "parts": tuple(parts), "solution": tuple(steps), "table": _arch_table(t, nc)}, network


def validate(overrides: dict) -> None:
    """Reject overrides that can never give an AlexNet variant."""
    if "kind" in overrides:
        bad = [k for k in choices_of("kind", overrides["kind"]) if not any(k in ks for ks in KINDS.values())]
        if bad:
            raise QuizgenError(f"unknown alexnet kind '{bad[0]}'", where="parameter kind",
                               fix="use " + ", ".join(dict.fromkeys(k for ks in KINDS.values() for k in ks)))
    for name in PUBLISHED:
        if name in overrides and min(choices_of(name, overrides[name])) < 1:
            raise QuizgenError(f"{name} must be at least 1", where=f"parameter {name}", fix=f"give {name} >= 1")
    if "W" in overrides and max(choices_of("W", overrides["W"])) < 67:
        raise QuizgenError("the input is too small for AlexNet's pooling layers", where="parameter W",
                           fix="use W >= 67 (the lecture uses 224)")
    if overrides.get("kind") == "grouped":
        for name in ("n1", "n3", "n5", "n6", "n7"):
            if name in overrides and all(n % 2 for n in choices_of(name, overrides[name])):
                raise QuizgenError(f"two GPU groups need an even number of maps, but {name} is odd",
                                   where=f"parameter {name}", fix=f"use an even {name}")


FAMILY = Family(
    id="alexnet",
    summary={"en": "AlexNet: parameters per layer and in all, the architecture table, two-GPU groups, FC share",
             "it": "AlexNet: parametri per layer e in tutto, la tabella dell'architettura, due GPU, quota dei FC"},
    generate=generate,
    parameters=PARAMETERS,
    validate=validate,
    tags=("parameters", "alexnet"),
)
