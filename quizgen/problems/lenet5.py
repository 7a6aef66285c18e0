"""LeNet-5: parameters and connections per layer and in all, as published (LeCun et al. 1998) or modern.

The original has trainable subsampling (1 coefficient + 1 bias per map), the partial C3 connection
table and a fixed RBF output; the modern form has max pooling (no parameters), a full C3 and a
softmax output. Input size, kernels and map counts are drawn around the published values; with the
published ones the numbers are LeCun's (C1 156 / 122,304 connections, ..., 60,000 trainable).

Difficulty 1 (kind ``layer``): one layer's parameters, its input given.
Difficulty 2: ``subsampling`` (size, parameters, connections of S2/S4), ``c3-table`` (C3 from a
connection table: Table I or a random one), ``connections`` (C1: size, parameters, connections).
Difficulty 3: ``network`` (every layer's parameters and the total) and ``network-connections``.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from quizgen.errors import QuizgenError
from quizgen.nets import formulas
from quizgen.nets.builtin import LENET5_C3_TABLE, builtin
from quizgen.nets.engine import LayerCount, count
from quizgen.nets.layers import RBF, Activation, Conv, Dense, Flatten, Input, Network, Pool
from quizgen.problems import Family
from quizgen.problems.common import Text, enough, numeric_part, pick, redraw, step
from quizgen.problems.lenet5_parts import (
    connections_part,
    context,
    describe,
    layer_facts,
    layer_kind,
    layer_step,
    measure_connections,
    params_part,
    size_part,
    weights_part,
)
from quizgen.problems.measures import At, Total, sum_of
from quizgen.problems.misconceptions import CATALOGUE, Context
from quizgen.problems.model import Content, Step
from quizgen.problems.params import ARITHMETIC, Param, ParamError, Parameters, Params, choices_of, one_of, whole
from quizgen.problems.totals import total, total_step

KINDS = {1: ("layer",), 2: ("subsampling", "c3-table", "connections"), 3: ("network", "network-connections")}
FORMS = ("original", "modern")
TRAINABLE = {"original": ("C1", "S2", "C3", "S4", "C5", "F6"), "modern": ("C1", "C3", "C5", "F6", "Out")}

PARAMETERS = Parameters(
    Param("kind", "the question: layer (difficulty 1); subsampling, c3-table, connections (2); network, "
                  "network-connections (3)",
          "la domanda: layer (difficoltà 1); subsampling, c3-table, connections (2); network, "
          "network-connections (3)",
          one_of(*(k for ks in KINDS.values() for k in ks)), default=KINDS, shape=True),
    Param("form", "original (LeCun 1998: trainable subsampling, the C3 table, RBF output) or modern (max pooling, "
                  "a full C3, softmax)",
          "original (LeCun 1998: subsampling addestrabile, la tabella di C3, output RBF) o modern (max pooling, "
          "C3 completo, softmax)",
          one_of(*FORMS), default=("original", "original", "modern"), difficulties=(1, 3), shape=True),
    Param("layer", "the layer asked about: C1, S2, C3, S4, C5, F6 (Out in the modern form); difficulty 2: S2 or S4 "
                   "(subsampling), C1, C3 or C5 (connections)",
          "il layer richiesto: C1, S2, C3, S4, C5, F6 (Out nella forma modern); difficoltà 2: S2 o S4 "
          "(subsampling), C1, C3 o C5 (connections)",
          one_of("C1", "S2", "C3", "S4", "C5", "F6", "Out"), difficulties=(1, 2),
          chosen={"en": "a layer the question's kind and form can ask about",
                  "it": "un layer adatto al tipo di domanda e alla forma"}),
    Param("W", "input width and height (LeNet-5: 32)", "larghezza e altezza dell'input (LeNet-5: 32)", whole(1),
          calculator=(32, 32, 28, 36, 40, 44, 48), hand=(32, 32, 28, 36)),
    Param("f1", "C1 kernel size (5)", "dimensione del kernel di C1 (5)", whole(1), calculator=(5, 3, 7, 9, 11),
          hand=(5, 5, 3)),
    Param("N1", "C1 maps (6; a partial C3 table needs 3 or more)",
          "feature map di C1 (6; una tabella di C3 parziale ne richiede almeno 3)", whole(3),
          calculator=(6, 4, 5, 7, 8, 9, 10, 12, 16), hand=(6, 6, 4, 8)),
    Param("f3", "C3 kernel size (5)", "dimensione del kernel di C3 (5)", whole(1), default=(5, 5, 3)),
    Param("N3", "C3 maps (16)", "feature map di C3 (16)", whole(1), calculator=(16, 8, 10, 12, 14, 18, 20, 24, 32),
          hand=(16, 16, 12, 10)),
    Param("f5", "C5 kernel size in the original form (5: C5 sees the whole 5×5 S4 map)",
          "dimensione del kernel di C5 nella forma original (5: C5 vede l'intera feature map 5×5 di S4)", whole(1),
          calculator=(5, 5, 3), hand=(5, 3)),
    Param("N5", "C5 maps (units in the modern form) (120)", "feature map di C5 (unità nella forma modern) (120)",
          whole(1), calculator=(120, 84, 96, 100, 128, 150, 200, 256), hand=(120, 100, 120)),
    Param("F6", "F6 units (84)", "unità di F6 (84)", whole(1), calculator=(84, 50, 64, 72, 96, 100, 120, 128),
          hand=(84, 80, 100)),
    Param("classes", "output units (10)", "unità di output (10)", whole(1), calculator=(10, 10, 26), hand=(10,)),
    Param("table", "the C3 connection table of the original form: lenet5 (Table I; needs N1 = 6 and N3 = 16) or "
                   "random",
          "la tabella delle connessioni di C3 nella forma original: lenet5 (Table I; richiede N1 = 6 e N3 = 16) o "
          "random",
          one_of("lenet5", "random"), default=("random",), shape=True),
    ARITHMETIC,
)
PUBLISHED = {"W": 32, "f1": 5, "N1": 6, "f3": 5, "N3": 16, "f5": 5, "N5": 120, "F6": 84, "classes": 10}


@dataclass(frozen=True)
class Arch:
    """One drawn LeNet-5 variant: its sizes, C3 table (original form) and network."""

    form: str
    values: dict[str, int]
    table: tuple[tuple[bool, ...], ...] | None
    lecun_table: bool
    network: Network


def random_table(rng: random.Random, rows: int, cols: int) -> tuple[tuple[bool, ...], ...]:
    """A LeNet-like partial table: each column a cyclic run of 3-4 input maps (the last one sometimes all)."""
    while True:
        columns = []
        for j in range(cols):
            if j == cols - 1 and rng.random() < 0.5:
                columns.append([True] * rows)
                continue
            k = min(rng.choice([3, 3, 4]), rows - 1)
            start = rng.randrange(rows)
            picked = {(start + i) % rows for i in range(k)}
            columns.append([i in picked for i in range(rows)])
        table = tuple(tuple(col[i] for col in columns) for i in range(rows))
        if all(any(row) for row in table):
            return table


NAMES = ("W", "f1", "N1", "f3", "N3", "f5", "N5", "F6", "classes")


def _draw_arch(params: Params, form: str) -> tuple | None:
    """The drawn variant as a hashable key (form, sizes, C3 table, Table I?); None when no sizes tile."""
    table_kind = params.draw("table") if form == "original" else None
    allowed = tuple(tuple(params.allowed(name)) for name in ("W", "f1", "f3", "f5"))
    shapes = _shapes(form, allowed)
    if not shapes:
        return None
    w, f1, f3, f5 = pick(params.rng, shapes)  # type: ignore[arg-type]
    v = {name: params.draw(name) for name in ("N1", "N3", "N5", "F6", "classes")}
    if table_kind == "lenet5":
        v["N1"], v["N3"] = 6, 16
    sizes = (w, f1, v["N1"], f3, v["N3"], f5 if form == "original" else 0, v["N5"], v["F6"], v["classes"])
    if form == "modern":
        return form, sizes, None, False
    lecun = table_kind == "lenet5"
    return form, sizes, LENET5_C3_TABLE if lecun else random_table(params.rng, v["N1"], v["N3"]), lecun


def _shapes(form: str, allowed: tuple[tuple[int, ...], ...]) -> list[tuple[int, int, int, int]]:
    """Every (W, f1, f3, f5) whose maps tile (even C1 and C3 maps; C5 fits S4), repeats kept as weights.

    Drawing one of them is drawing each size from its list until they tile, without the re-draws.
    """
    found = []
    for w, f1, f3, f5 in itertools.product(*allowed):
        o1 = w - f1 + 1
        o3 = o1 // 2 - f3 + 1
        if o1 >= 2 and o1 % 2 == 0 and o3 >= 2 and o3 % 2 == 0 and (form == "modern" or o3 // 2 >= f5):
            found.append((w, f1, f3, f5))
    return found


def _arch(form: str, sizes: tuple[int, ...], table: tuple | None, lecun: bool) -> Arch:
    """The variant a drawn key names."""
    return _make_arch(form, dict(zip(NAMES, sizes, strict=True)), table, lecun)


def _make_arch(form: str, v: dict[str, int], table: tuple | None, lecun: bool) -> Arch:
    if form == "modern":
        return Arch(form, v, None, False, _modern(v))
    layers = (
        Conv(v["N1"], (v["f1"],) * 2, name="C1"),
        Pool("avg", (2, 2), (2, 2), trainable=True, name="S2"),
        Conv(v["N3"], (v["f3"],) * 2, table=table, table_name="LeNet-5 Table I" if lecun else None, name="C3"),
        Pool("avg", (2, 2), (2, 2), trainable=True, name="S4"),
        Conv(v["N5"], (v["f5"],) * 2, name="C5"),
        Dense(v["F6"], name="F6"),
        RBF(v["classes"], name="Out"),
    )
    network = Network(Input(v["W"], v["W"], 1), layers, name="lenet5-variant", title="LeNet-5 (variant)")
    if lecun and v == PUBLISHED:
        network = builtin("lenet5")
    return Arch(form, v, table, lecun, network)


def _modern(v: dict[str, int]) -> Network:
    relu = Activation("relu")
    layers = (
        Conv(v["N1"], (v["f1"],) * 2, name="C1"), relu, Pool("max", (2, 2), (2, 2), name="S2"),
        Conv(v["N3"], (v["f3"],) * 2, name="C3"), relu, Pool("max", (2, 2), (2, 2), name="S4"), Flatten(),
        Dense(v["N5"], name="C5"), relu, Dense(v["F6"], name="F6"), relu, Dense(v["classes"], name="Out"),
        Activation("softmax"),
    )
    if {k: v[k] for k in v if k != "f5"} == {k: PUBLISHED[k] for k in PUBLISHED if k != "f5"}:
        return builtin("lenet5-modern")
    return Network(Input(v["W"], v["W"], 1), layers, name="lenet5-modern-variant", title="LeNet-5, modern form")


def _draw_layer(params: Params, kind: str, form: str) -> str:
    """The layer a one-layer question asks about ('' for the others; validate checks the overrides).

    A bank entry's versions (``Params.shape``) ask a subsampling or connections question about the same layer,
    a one-layer question about layers with the same parts: no trainable subsampling layer (one part, a handful
    of answers) unless the bank names it, and then only subsampling layers."""
    if kind == "layer":
        choices = TRAINABLE[form] if params.has("layer") else {
            "original": ("C1", "S2", "S4", "C5", "F6"), "modern": ("C1", "C3", "C5", "F6", "Out")}[form]
        if params.shape is None:
            return params.draw("layer", list(choices))
        allowed = params.allowed("layer", [c for c in choices if not _pooling(c, form)])
        pooling = _pooling(allowed[0] if len(allowed) == 1 else params.pick("layer", allowed), form)
        return pick(params.rng, [c for c in allowed if _pooling(c, form) == pooling])
    if kind in ("subsampling", "connections"):
        values = params.allowed("layer", ["S2", "S4"] if kind == "subsampling" else ["C1", "C1", "C3", "C5"])
        return values[0] if len(values) == 1 else params.pick("layer", values)
    return ""


def _pooling(name: str, form: str) -> bool:
    return form == "original" and name in ("S2", "S4")


def generate(rng: random.Random, params: Params, difficulty: int, lang: str) -> Content:
    kind = params.draw("kind")  # one this difficulty asks (validate)
    needs_original = kind in ("subsampling", "c3-table", "connections", "network-connections")

    def attempt() -> Content | None:
        form = "original" if needs_original else params.draw("form")
        key = _draw_arch(params, form)
        if key is None:
            return None
        name = _draw_layer(params, kind, form)
        return _built(kind, difficulty, lang, key, name)

    return redraw(attempt)


def _built(kind: str, difficulty: int, lang: str, key: tuple, name: str) -> Content | None:
    fields = _problem(kind, difficulty, lang, key, name)
    return None if fields is None else Content(**fields)


def _problem(kind: str, difficulty: int, lang: str, key: tuple, name: str) -> dict[str, Any] | None:
    """The problem's fields for a drawn variant (a pure function of its arguments); None to re-draw."""
    t = Text("lenet5", lang)
    arch = _arch(*key)
    nc = count(arch.network)
    built = _build(t, kind, arch, nc, name, lang)
    if built is None:
        return None
    parts, steps, asked, ctx = built
    form = arch.form
    published = _published(arch)
    stem = t("stem", kind=kind, form=form, layers=describe(nc), asked=asked, W=arch.values["W"],
             lecun=arch.lecun_table, difficulty=difficulty, published=published, **ctx)
    table = arch.table if asked == "C3" or kind in ("c3-table", "network", "network-connections") else None
    return {"title": t("title", form=form, published=published), "stem": stem, "parts": tuple(parts),
            "solution": tuple(steps), "network": arch.network, "connection_table": table,
            "hint": t("hint", kind=kind, form=form),
            "tags": ("lenet5", "parameters" if "conn" not in kind else "connections")}


def _published(arch: Arch) -> bool:
    """Whether the variant has LeNet-5's published sizes (and Table I): only then is it named after the paper."""
    if arch.form == "modern":  # the modern form has no C5 kernel (C5 is fully connected)
        return all(arch.values[k] == PUBLISHED[k] for k in PUBLISHED if k != "f5")
    return arch.lecun_table and arch.values == PUBLISHED


def _build(t: Text, kind: str, arch: Arch, nc: Any, name: str, lang: str) -> tuple | None:
    """Parts, solution steps, the layer asked about and extra stem context; None to re-draw."""
    layer_of = nc.layer
    if kind == "layer":
        lc = layer_of(name)
        parts = [] if isinstance(lc.layer, Pool) else [weights_part(t, lc, lang)]
        parts.append(params_part(t, lc, lang, key="params"))
        steps = [] if isinstance(lc.layer, Pool) else [layer_step(t, lc, "weights")]
        steps.append(layer_step(t, lc, "params"))
        return (parts, steps, name, layer_facts(lc)) if enough(parts, 2) else None
    if kind in ("subsampling", "connections"):
        lc = layer_of(name)
        before = {"C3": "C1", "C5": "C3"}.get(name)  # the conv before the pooling this layer follows
        unpooled = layer_of(before).output_shape.h if before else None
        parts = [size_part(t, lc, lang, unpooled), params_part(t, lc, lang, key="params"),
                 connections_part(t, lc, lang)]
        steps = [step(t("step_size", layer=name, kind=layer_kind(lc.layer)), lc.out_h.size, "O"),
                 layer_step(t, lc, "params"), layer_step(t, lc, "connections")]
        return (parts, steps, name, layer_facts(lc)) if enough(parts[1:], 1) and parts[2].distractors else None
    if kind == "c3-table":
        lc = layer_of("C3")
        parts = [weights_part(t, lc, lang), params_part(t, lc, lang, key="params"),
                 connections_part(t, lc, lang)]
        steps = [Step(t("step_count_table", K=context(lc)["table_K"], N=lc.output_shape.d, C=lc.input_shape.d)),
                 layer_step(t, lc, "weights"), layer_step(t, lc, "params"),
                 step(t("step_size", layer="C3", kind="conv"), lc.out_h.size, "O"),
                 layer_step(t, lc, "connections")]
        return (parts, steps, "C3", layer_facts(lc)) if enough(parts, 1) else None
    return _whole(t, kind, arch, nc, lang)


def _whole(t: Text, kind: str, arch: Arch, nc: Any, lang: str) -> tuple | None:
    """Every layer's parameters (or connections) and the network's total."""
    parts, steps, values, terms, measures = [], [], [], [], []
    labels = TRAINABLE[arch.form] if kind == "network" else ("C1", "S2", "C3", "S4", "C5", "F6", "Out")
    for label in labels:
        lc = nc.layer(label)
        if kind == "network" and arch.form == "modern" and label == "C5":
            steps += _flatten_steps(t, nc)
        if kind == "network":
            parts.append(params_part(t, lc, lang))
            steps.append(layer_step(t, lc, "params"))
            values.append(lc.parameters.value)
            measures.append(At("params", label))
            terms.append(rf"P_{{\mathrm{{{label}}}}}")
        else:
            parts.append(connections_part(t, lc, lang, key=f"connections-{label}"))
            steps.append(layer_step(t, lc, "connections"))
            values.append(lc.connections.value)
            measures.append(measure_connections(lc))
            terms.append(rf"\mathrm{{conn}}_{{\mathrm{{{label}}}}}")
    q = total(values, "lenet5 total")
    ctx, extra = _total_context(arch, nc, kind, q.value)
    if kind == "network":
        parts.append(numeric_part("total", t("part_total", form=arch.form), q, "total", ctx, lang, extra=extra,
                                  measure=Total("params")))
    else:
        parts.append(numeric_part("total", t("part_total_connections"), q, "connections.total", ctx, lang,
                                  extra=extra, measure=sum_of(*measures)))
    steps.append(total_step(t("step_total", kind=kind, form=arch.form), q, "P" if kind == "network" else
                            r"\mathrm{conn}", terms))
    if len(parts[-1].distractors) < 2:
        return None
    return parts, steps, "", {}


def _flatten_steps(t: Text, nc: Any) -> list[Step]:
    """The sizes through the convolutions and poolings, then the values the first FC layer (C5) receives."""
    steps = []
    for label in ("C1", "S2", "C3", "S4"):
        lc = nc.layer(label)
        steps.append(step(t("step_size", layer=label, kind=layer_kind(lc.layer)), lc.out_h.size,
                          rf"O_{{\mathrm{{{label}}}}}"))
    s4 = nc.layer("S4").output_shape
    flat = formulas.quantity(s4.size, "maps.size", "C5 input", O=s4.h, N_c=s4.d)
    steps.append(step(t("step_flatten"), flat, "F_{-1}"))
    return steps


def _total_context(arch: Arch, nc: Any, kind: str, value: int) -> tuple[dict[str, Any], tuple]:
    v = arch.values
    ctx: dict[str, Any] = {"params": value, "biases": sum(nc.layer(lb).biases.value for lb in TRAINABLE[arch.form]),
                           "C": v["N1"], "N_c": v["N3"]}
    if kind == "network-connections":
        without_bias = sum(
            nc.layer(lb).connections.value - nc.layer(lb).biases.value * _positions(nc.layer(lb))
            for lb in ("C1", "S2", "C3", "S4", "C5", "F6"))
        # every convolution and subsampling unit counted on its input's positions instead of its output's
        on_inputs = value
        for lb in ("C1", "S2", "C3", "S4", "C5"):
            lc = nc.layer(lb)
            which = "subsampling.connections" if isinstance(lc.layer, Pool) else "conv.connections"
            wrong = CATALOGUE["connections-input-size"].value(which, Context(**context(lc)))
            on_inputs += 0 if wrong is None else wrong - lc.connections.value
        c1 = nc.layer("C1")
        ctx.update(O=c1.output_shape.h, W=c1.input_shape.h)
        return ctx, (("connections-without-bias", without_bias + nc.layer("Out").connections.value),
                     ("connections-as-parameters", nc.parameters), ("connections-input-size", on_inputs))
    if arch.form == "original":
        k = sum(cell for row in arch.table for cell in row)
        ctx.update(table_K=k, rbf_centres=v["F6"] * v["classes"])
        full = v["f3"] ** 2 * (v["N1"] * v["N3"] - k)
        pools = nc.layer("S2").parameters.value + nc.layer("S4").parameters.value
        return ctx, (("subsampling-no-params", value - pools), ("c3-fully-connected", value + full))
    pools = 5 * (v["N1"] + v["N3"])  # 2x2 windows given weights: f^2 * N + N per pooling layer
    return ctx, (("pooling-weights", value + pools),)


def _positions(lc: LayerCount) -> int:
    out = lc.output_shape
    return out.h * out.w if hasattr(out, "h") else 1


def validate(overrides: Mapping[str, Any], difficulty: int) -> None:
    """Values that fit no question of this difficulty, or whose sizes never tile."""
    a = PARAMETERS.allowed(overrides, difficulty)
    kinds = KINDS[difficulty]
    for kind in a["kind"]:
        if kind not in kinds:
            raise ParamError("kind", f"lenet5 kind '{kind}' is not a difficulty-{difficulty} question",
                             fix=f"at difficulty {difficulty} use " + ", ".join(kinds))
    forms = a["form"] if any(k in ("layer", "network") for k in a["kind"]) else ["original"]
    if "layer" in overrides:
        for name in choices_of("layer", overrides["layer"]):
            if difficulty == 1:
                for form in forms:
                    if name not in TRAINABLE[form]:
                        other = [f for f in FORMS if name in TRAINABLE[f]]
                        raise ParamError("layer", f"layer '{name}' has no parameters to count in the {form} LeNet-5",
                                         fix=f"use one of {', '.join(TRAINABLE[form])}"
                                             + (f", or set form: {other[0]}" if other else ""))
            for kind, fitting in (("subsampling", ("S2", "S4")), ("connections", ("C1", "C3", "C5"))):
                if difficulty == 2 and kind in a["kind"] and name not in fitting:
                    raise ParamError("layer", f"layer '{name}' does not fit the kind '{kind}'",
                                     fix="subsampling: S2 or S4; connections: C1, C3 or C5")
    if "table" in overrides and set(choices_of("table", overrides["table"])) == {"lenet5"}:
        for name, need in (("N1", 6), ("N3", 16)):
            if name in overrides and need not in choices_of(name, overrides[name]):
                raise ParamError(name, f"LeNet's Table I connects 6 S2 maps to 16 C3 maps, but {name} excludes {need}",
                                 fix=f"allow {name} = {need} or use table: random")
    for form in forms:
        if not _shapes(form, (tuple(a["W"]), tuple(a["f1"]), tuple(a["f3"]), tuple(a["f5"]))):
            raise QuizgenError(f"no W, f1, f3 and f5 give maps that 2×2 subsampling tiles in the {form} LeNet-5",
                               where="parameters W, f1, f3, f5",
                               fix="W - f1 + 1 and the C3 maps must be even, e.g. W = 32, f1 = 5, f3 = 5")


FAMILY = Family(
    id="lenet5",
    summary={"en": "LeNet-5: parameters and connections per layer and in all; the C3 table; trainable subsampling",
             "it": "LeNet-5: parametri e connessioni per layer e in tutto; la tabella di C3; subsampling addestrabile"},
    generate=generate,
    parameters=PARAMETERS,
    validate=validate,
    tags=("parameters", "lenet5"),
)
