"""LeNet-5's parts and text pieces: a layer's parameters, weights, connections and size with their distractors.

Pure functions of the engine's LayerCount (and the language): the ``lenet5`` family assembles them
into questions. Connections are counted as LeCun does (every unit's inputs plus its bias).
"""

from __future__ import annotations

from typing import Any

from quizgen.nets.engine import LayerCount
from quizgen.nets.layers import RBF, Activation, Conv, Dense, Flatten, Pool
from quizgen.problems.common import Text, numeric_part, step
from quizgen.problems.measures import At, Measure, mul
from quizgen.problems.misconceptions import CATALOGUE, Context
from quizgen.problems.model import Distractor, Part, Step


def measure_connections(lc: LayerCount) -> Measure:
    """Connections as a measure torch can recompute too (LeCun: every unit's inputs plus its bias)."""
    label = lc.label
    positions = mul(At("out_h", label), At("out_w", label))
    if isinstance(lc.layer, Conv):
        return mul(At("params", label), positions)
    if isinstance(lc.layer, Pool):
        f = lc.layer.kernel[0]
        return mul(mul(f * f + 1, At("out_d", label)), positions)
    if isinstance(lc.layer, RBF):
        return mul(At("flatten", "-2"), At("out_d", label))
    return At("params", label)


def context(lc: LayerCount) -> dict[str, Any]:
    """The misconception context of one layer (the lecture's symbols)."""
    layer, inp, out = lc.layer, lc.input_shape, lc.output_shape
    ctx: dict[str, Any] = {"weights": lc.weights.value, "biases": lc.biases.value, "params": lc.parameters.value,
                           "label": lc.label}
    if isinstance(layer, (Conv, Pool)):
        ctx.update(f=layer.kernel[0], N_c=out.d, O=out.h, W=inp.h, s=layer.stride[0], C=inp.d)
    if isinstance(layer, Conv) and layer.table is not None:
        ctx["table_K"] = sum(cell for row in layer.table for cell in row)
    if isinstance(layer, Pool):
        ctx["trainable"] = layer.trainable
    if isinstance(layer, Dense):
        ctx.update(F=layer.units, F_prev=inp.size)
        if hasattr(inp, "d") and inp.h > 1:
            ctx.update(O=inp.h, N_c=inp.d)
    return ctx


def kind_of(lc: LayerCount) -> str:
    layer = lc.layer
    if isinstance(layer, Conv):
        return "conv"
    if isinstance(layer, Pool):
        return "pool"
    return "fc"


def zero_distractor(part: Part, ctx: dict[str, Any], lang: str) -> Part:
    """Add 'subsampling has no parameters' (0): the catalogue drops zeros as implausible in general."""
    feedback = CATALOGUE["subsampling-no-params"].feedback(lang, Context(**ctx, answer=part.answer), 0)
    extra = Distractor(0, "subsampling-no-params", feedback)
    return Part(part.key, part.label, part.answer, part.quantity, part.tolerance, part.unit, part.decimals,
                (*part.distractors, extra), part.measure)


def params_part(t: Text, lc: LayerCount, lang: str, key: str = "") -> Part:
    ctx = context(lc)
    kind = kind_of(lc)
    label = t("part_params", layer=lc.label)
    found = numeric_part(key or f"params-{lc.label}", label, lc.parameters, f"{kind}.params", ctx, lang,
                         measure=At("params", lc.label))
    if kind == "pool" and ctx["trainable"]:
        found = zero_distractor(found, ctx, lang)
    return found


def weights_part(t: Text, lc: LayerCount, lang: str) -> Part:
    kind = "conv" if isinstance(lc.layer, Conv) else "fc"
    return numeric_part("weights", t("part_weights", layer=lc.label), lc.weights, f"{kind}.weights",
                        context(lc), lang, measure=At("weights", lc.label))


def connections_part(t: Text, lc: LayerCount, lang: str, key: str = "connections") -> Part:
    kind = {"conv": "conv.connections", "pool": "subsampling.connections"}.get(kind_of(lc), "fc.connections")
    if isinstance(lc.layer, RBF):
        kind = "rbf.connections"
    return numeric_part(key, t("part_connections", layer=lc.label), lc.connections, kind, context(lc), lang,
                        measure=measure_connections(lc))


def size_part(t: Text, lc: LayerCount, lang: str, unpooled: int | None = None) -> Part:
    """The output size; wrong sizes above it too: SAME instead of no padding, the pooling before skipped."""
    ctx = {**context(lc), "padding": None}
    if unpooled is not None:
        ctx["W_unpooled"] = unpooled
    same = -(-ctx["W"] // ctx["s"]) if isinstance(lc.layer, Conv) else None
    return numeric_part("size", t("part_size", layer=lc.label), lc.out_h.size, "size", ctx, lang,
                        extra=(("same-valid-swapped", same),), measure=At("out_h", lc.label))


def layer_step(t: Text, lc: LayerCount, what: str) -> Step:
    q = {"params": lc.parameters, "weights": lc.weights, "connections": lc.connections}[what]
    lhs = {"params": rf"P_{{\mathrm{{{lc.label}}}}}", "weights": rf"\#W_{{\mathrm{{{lc.label}}}}}",
           "connections": rf"\mathrm{{conn}}_{{\mathrm{{{lc.label}}}}}"}[what]
    return step(t("step_" + what, **_step_context(lc)), q, lhs)


def _step_context(lc: LayerCount) -> dict[str, Any]:
    layer = lc.layer
    return {"layer": lc.label, "kind": layer_kind(layer), "K": dict(lc.weights.values).get("K"),
            "O": getattr(lc.output_shape, "h", None)}


def layer_kind(layer: Any) -> str:
    if isinstance(layer, Conv):
        return "conv-table" if layer.table is not None else "conv"
    if isinstance(layer, Pool):
        return "subsample" if layer.trainable else "maxpool"
    if isinstance(layer, RBF):
        return "rbf"
    return "fc"


def describe(nc: Any) -> tuple:
    """The layers as the stem lists them (language-free facts; the template words them)."""
    rows = []
    for lc in nc.layers:
        layer = lc.layer
        if isinstance(layer, (Activation, Flatten)):
            continue
        out = lc.output_shape
        rows.append(dict(label=lc.label, kind=layer_kind(layer), units=out.size if not hasattr(out, "d") else out.d,
                        f=getattr(layer, "kernel", (0,))[0], O=getattr(out, "h", 0)))
    return tuple(rows)


def layer_facts(lc: LayerCount) -> dict[str, Any]:
    """What the stem states about the asked layer's input (so one formula, or one step, is left)."""
    inp, layer = lc.input_shape, lc.layer
    facts: dict[str, Any] = {"layer_kind": layer_kind(layer), "in_h": getattr(inp, "h", 0),
                             "in_d": getattr(inp, "d", 0), "in_n": inp.size, "units": lc.output_shape.size}
    if isinstance(layer, (Conv, Pool)):
        facts.update(f=layer.kernel[0], N=lc.output_shape.d)
    return facts
