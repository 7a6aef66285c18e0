"""Memory: parameters in float32 vs float16, activations of a mini-batch, the largest batch that fits.

Units are stated in every stem: MB = 10^6 bytes, MiB = 2^20 bytes, GB = 10^9, GiB = 2^30. Networks
are small CNNs (conv 3x3 with padding 1, 2x2 max pooling, two FC layers; ReLU works in place, so
it stores nothing of its own) or, for parameter memory, the built-in LeNet-5/AlexNet/VGG-16.

Difficulty 1: ``params`` (P given: memory in float32 and float16).
Difficulty 2: ``params`` (P counted first) and ``activations`` (one layer, a mini-batch).
Difficulty 3: ``activations`` (every layer, a mini-batch) and ``batch`` (the largest mini-batch that
fits in a GPU: parameters once plus every layer's activations per image, all float32 unless ``dtype``
is given).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from quizgen.errors import QuizgenError
from quizgen.nets import formulas
from quizgen.nets.builtin import builtin
from quizgen.nets.engine import NetworkCount, count
from quizgen.nets.formulas import Quantity
from quizgen.nets.layers import Conv, Dense, Input, Network, Pool
from quizgen.problems import Family
from quizgen.problems.common import Text, numeric_part, redraw, step
from quizgen.problems.layerkit import describe
from quizgen.problems.measures import UNITS, At, Measure, Total, diff, floordiv, in_bytes, in_unit, mul
from quizgen.problems.model import Content, Part
from quizgen.problems.own import NETWORK_EXAMPLE, conventions, given, prepare, summable
from quizgen.problems.params import (
    ARITHMETIC,
    Kind,
    Param,
    ParamError,
    Parameters,
    Params,
    choices_of,
    one_of,
    whole,
)
from quizgen.problems.totals import total, total_step
from quizgen.text.templating import text, text_keys

formulas.register("memory.unit", "n*b/U", r"\frac{[n] \times [b]}{[U]}")
formulas.register("memory.batch", "B*n*b/U", r"\frac{[B] \times [n] \times [b]}{[U]}")
formulas.register("memory.max_batch", "floor((M - P*b)/(A*b))",
                  r"\left\lfloor \frac{[M] - [P] \times [b]}{[A] \times [b]} \right\rfloor")

KINDS = {1: ("params",), 2: ("params", "activations"), 3: ("activations", "batch")}
DTYPES = {"float32": 4, "float16": 2}
NAMED = ("lenet5", "lenet5-modern", "alexnet-2012", "alexnet-torchvision", "vgg16")

_EIGHT_OR_MORE = whole(8)
PARAMETERS = Parameters(
    Param("kind", "the question: params (difficulty 1-2), activations (2-3), batch (3)",
          "la domanda: params (difficoltà 1-2), activations (2-3), batch (3)",
          one_of("params", "activations", "batch"), default=KINDS, shape=True),
    Param("unit", "MB (10^6 bytes) or MiB (2^20 bytes) for parameter and activation memory",
          "MB (10^6 byte) o MiB (2^20 byte) per la memoria di parametri e attivazioni",
          one_of("MB", "MiB"), calculator=("MB", "MiB"), hand=("MB",)),
    Param("dtype", "float32 or float16 for the activations and the largest batch",
          "float32 o float16 per le attivazioni e il mini-batch massimo", one_of(*DTYPES), default=tuple(DTYPES),
          difficulties=(2, 3),
          chosen={"en": "the largest batch: float32", "it": "il mini-batch massimo: float32"}),
    Param("batch", "mini-batch size B", "dimensione B del mini-batch", whole(1), calculator=(4, 8, 16, 32, 64),
          hand=(10, 20, 50, 100), difficulties=(2, 3)),
    Param("gpu", "GPU memory in GB or GiB (largest-batch questions)",
          "memoria della GPU in GB o GiB (domande sul mini-batch massimo)", whole(1), default=(1, 2, 4, 8),
          difficulties=(3,)),
    Param("gpu_unit", "GiB or GB for the GPU memory", "GiB o GB per la memoria della GPU", one_of("GiB", "GB"),
          calculator=("GiB", "GiB", "GB"), hand=("GB",), difficulties=(3,)),
    Param("W", "input width and height of the small CNN (a multiple of 4: two 2×2 poolings)",
          "larghezza e altezza dell'input della piccola CNN (un multiplo di 4: due pooling 2×2)",
          Kind(lambda v: _EIGHT_OR_MORE.check(v) and v % 4 == 0,
               {"en": "a multiple of 4, 8 or more", "it": "un multiplo di 4, da 8 in su"}),
          calculator=(32, 64, 128, 224, 96), hand=(32, 28, 64)),
    Param("C", "input channels: 1 (grey) or 3 (RGB)", "canali dell'input: 1 (grigi) o 3 (RGB)", one_of(1, 3),
          default=(1, 3)),
    Param("N1", "filters of C1", "filtri di C1", whole(1), calculator=(16, 32, 64, 24), hand=(8, 16, 32)),
    Param("N3", "filters of C3", "filtri di C3", whole(1), calculator=(32, 64, 128, 48), hand=(16, 32)),
    Param("F", "units of the hidden FC layer F5", "unità del layer FC nascosto F5", whole(1),
          calculator=(64, 128, 256, 512), hand=(100, 128)),
    Param("layer", "the layer of an activations question: C1 or C3", "il layer di una domanda activations: C1 o C3",
          one_of("C1", "C3"), default=("C1", "C3"), difficulties=(2,)),
    Param("network", "a built-in network for parameter memory instead of the small CNN",
          "una rete predefinita per la memoria dei parametri al posto della piccola CNN", one_of(*NAMED),
          default=NAMED, difficulties=(1,),
          chosen={"en": "calculator: half the questions ask about one of them, the others about the small CNN",
                  "it": "calculator: metà delle domande riguarda una di esse, le altre la piccola CNN"}),
    ARITHMETIC,
)


def _cnn_sizes(params: Params) -> tuple[int, int, int, int, int]:
    """(W, C, N1, N3, F) of the small CNN, drawn."""
    return (params.draw("W"), params.draw("C"), params.draw("N1"), params.draw("N3"), params.draw("F"))


def small_cnn(sizes: tuple[int, int, int, int, int]) -> Network:
    """conv 3x3 p=1 > maxpool 2 > conv 3x3 p=1 > maxpool 2 > fc F > fc 10."""
    w, c, n1, n3, f = sizes
    layers = (Conv(n1, (3, 3), (1, 1), 1, name="C1"), Pool("max", (2, 2), (2, 2), name="S2"),
              Conv(n3, (3, 3), (1, 1), 1, name="C3"), Pool("max", (2, 2), (2, 2), name="S4"),
              Dense(f, name="F5"), Dense(10, name="Out"))
    return Network(Input(w, w, c), layers, name="small-cnn", title="CNN")


def _params_context(nc: NetworkCount) -> tuple[dict[str, Any], tuple]:
    """The context and extra wrong totals of a network's parameter count: pooling given weights, F5 fed unpooled."""
    p = nc.parameters
    ctx: dict[str, Any] = {"params": p, "biases": nc.biases}
    pools = [lc for lc in nc.layers if isinstance(lc.layer, Pool)]
    extra: tuple = ()
    if pools:  # a 2x2 window given weights: f^2 N + N per pooling layer
        extra = (("pooling-weights", p + sum(lc.layer.kernel[0] ** 2 * lc.output_shape.d + lc.output_shape.d
                                             for lc in pools)),)
    dense = [lc for lc in nc.layers if isinstance(lc.layer, Dense)]
    last = pools[-1] if pools else None
    if dense and last is not None and dense[0].index == last.index + 1:
        o, o_unpooled, depth = last.output_shape.h, last.input_shape.h, last.output_shape.d
        ctx.update(O=o, O_unpooled=o_unpooled, N_c=depth,
                   total_unpooled=p + (o_unpooled**2 - o**2) * depth * dense[0].layer.units)
    return ctx, extra


def _layers(nc: NetworkCount, lang: str, own: bool = False) -> tuple:
    """The layers as the stems list them; an instructor's own network's layers each in full words (``text``)."""
    return tuple(dict(label=lc.label, kind="conv" if isinstance(lc.layer, Conv) else "pool"
                     if isinstance(lc.layer, Pool) else "fc",
                     n=getattr(lc.layer, "filters", getattr(lc.layer, "units", 0)),
                     f=getattr(lc.layer, "kernel", (0,))[0], text=describe(lc.layer, lang) if own else "")
                 for lc in nc.layers)


def _network(net: str | tuple | Network) -> Network:
    """The network of a draw: the entry's own, a built-in one by name, or the small CNN of these sizes."""
    if isinstance(net, Network):
        return net
    return builtin(net) if isinstance(net, str) else small_cnn(net)


def _memory(key: str, label: str, n: int, dtype: str, unit: str, lang: str, measure: Measure,
            batch: int | None = None) -> tuple[Quantity, Part]:
    """The memory of ``n`` values (times ``batch``) in ``unit`` and its part."""
    q = _memory_q(n, dtype, unit, key if batch is None else "batch memory", batch)
    ctx = {"answer": q.value, "bytes": q.value * UNITS[unit], "unit": unit, "dtype": dtype, "batch": batch or 1}
    return q, numeric_part(key, label, q, "memory", ctx, lang, unit=unit, decimals=2, measure=measure)


def _memory_q(n: int, dtype: str, unit: str, where: str, batch: int | None = None) -> Quantity:
    b, u = DTYPES[dtype], UNITS[unit]
    if batch is None:
        return formulas.quantity(Fraction(n * b, u), "memory.unit", where, n=n, b=b, U=u)
    return formulas.quantity(Fraction(batch * n * b, u), "memory.batch", where, B=batch, n=n, b=b, U=u)


def _draw_key(params: Params, kind: str, difficulty: int) -> tuple:
    """Every choice of one attempt (all the rng calls) as a hashable key."""
    own = given(params)
    if kind == "params":
        unit = params.draw("unit")
        if own is not None:
            return unit, own
        named = difficulty == 1 and (params.has("network") or (not params.hand and params.rng.random() < 0.5))
        return unit, params.draw("network") if named else _cnn_sizes(params)
    if kind == "activations":
        unit = params.draw("unit")
        dtype = params.draw("dtype")
        batch = params.draw("batch")
        sizes = own if own is not None else _cnn_sizes(params)
        # an own network's activations question is about one of its convolutional layers
        convs = [lc.label for lc in count(own).layers if isinstance(lc.layer, Conv)] if own is not None else None
        if convs == [] and difficulty == 2:
            raise QuizgenError("a memory activations question at difficulty 2 asks about one of the network's "
                               "convolutional layers; the network has none",
                               fix="add one to the network, or set kind: params, or use difficulty 3")
        return unit, dtype, batch, sizes, params.draw("layer", convs) if difficulty == 2 else ""
    gpu_unit = params.draw("gpu_unit")
    # float32 unless the bank asks for another dtype (drawn only then: the default draws stay as they were)
    dtype = params.draw("dtype") if params.has("dtype") else "float32"
    return gpu_unit, params.draw("gpu"), own if own is not None else _cnn_sizes(params), dtype


def generate(rng: random.Random, params: Params, difficulty: int, lang: str) -> Content:
    kind = params.draw("kind")  # one this difficulty asks (validate)
    builder = {"params": _params, "activations": _activations, "batch": _batch}[kind]

    def build(key: tuple) -> Content | None:
        t = Text("memory", lang)
        built = builder(t, difficulty, lang, *key)
        if built is None or not all(p.distractors for p in built[0]["parts"] if p.unit or p.key == "batch"):
            return None
        fields, network = built
        return Content(network=network,
                       title=t("title", kind=kind), hint=t("hint", kind=kind), tags=("memory", kind), **fields)

    def attempt() -> Content | None:
        key = _draw_key(params, kind, difficulty)
        return build(key)

    return redraw(attempt)


def _params(t: Text, difficulty: int, lang: str, unit: str, net: str | tuple | Network) -> tuple | None:
    named = isinstance(net, str)
    network = _network(net)
    nc = count(network)
    p = nc.parameters
    parts, steps = [], []
    if difficulty == 2:
        labels = [lc.label for lc in nc.layers if lc.parameters.value]
        q = total([nc.layer(lb).parameters.value for lb in labels], "params")
        ctx, extra = _params_context(nc)
        parts.append(numeric_part("params", t("part_params"), q, "total", ctx, lang, extra=extra,
                                  measure=Total("params")))
        steps += [step(t("step_layer", layer=lb), nc.layer(lb).parameters, rf"P_{{\mathrm{{{lb}}}}}") for lb in labels]
        steps.append(total_step(t("step_params"), q, "P", [rf"P_{{\mathrm{{{lb}}}}}" for lb in labels]))
    for dtype in DTYPES:
        q, memory = _memory(dtype, t("part_memory", dtype=dtype, unit=unit), p, dtype, unit, lang,
                            in_unit(in_bytes(Total("params"), dtype), unit))
        parts.append(memory)
        steps.append(step(t("step_memory", dtype=dtype, unit=unit, b=DTYPES[dtype]), q, rf"M_{{\mathrm{{{dtype}}}}}",
                          t.lang))
    # the display name, not the builtin's title: that one is English and reads as a list, not a subject
    own = isinstance(net, Network)
    key = f"network.{net if named else network.name}"
    title = text(lang, key) if (named or own) and key in text_keys(lang) else network.title if own else ""
    # difficulty 1 gives P and lists no layer: any network the engine counts will do
    stem = t("stem_params", difficulty=difficulty, P=p, unit=unit, title=title,
             layers=_layers(nc, lang, own) if difficulty > 1 else (),
             W=network.input.h, C=network.input.c, conventions=conventions(network, lang))
    return {"stem": stem, "parts": tuple(parts), "solution": tuple(steps)}, network


def _activations(t: Text, difficulty: int, lang: str, unit: str, dtype: str, batch: int, sizes: tuple | Network,
                 label: str) -> tuple | None:
    network = _network(sizes)
    nc = count(network)
    if label:
        lc = nc.layer(label)
        a = lc.activations
        ctx = {"O": lc.output_shape.h, "N_c": lc.output_shape.d, "W_in": lc.input_shape.h}
        first = numeric_part("activations", t("part_activations_layer", layer=label), a, "activations", ctx, lang,
                             measure=At("activations", label))
        first_step = step(t("step_activations_layer", layer=label), a, rf"A_{{\mathrm{{{label}}}}}")
        inner: Measure = At("activations", label)
    else:
        a = total([lc.activations.value for lc in nc.layers], "activations")
        first = numeric_part("activations", t("part_activations"), a, "activations", {}, lang,
                             measure=Total("activations"))
        first_step = total_step(t("step_activations"), a, "A", [rf"A_{{\mathrm{{{lc.label}}}}}" for lc in nc.layers])
        inner = Total("activations")
    q, memory = _memory("memory", t("part_batch_memory", dtype=dtype, unit=unit, batch=batch), int(a.value), dtype,
                        unit, lang, in_unit(in_bytes(mul(inner, batch), dtype), unit), batch)
    steps = [first_step,
             step(t("step_batch_memory", dtype=dtype, unit=unit, b=DTYPES[dtype], batch=batch), q, "M", t.lang)]
    stem = t("stem_activations", difficulty=difficulty, layer=label, unit=unit, dtype=dtype, batch=batch,
             layers=_layers(nc, lang, network is sizes), W=network.input.h, C=network.input.c,
             conventions=conventions(network, lang))
    return {"stem": stem, "parts": (first, memory), "solution": tuple(steps)}, network


def _batch(t: Text, difficulty: int, lang: str, gpu_unit: str, gpu: int, sizes: tuple | Network,
           dtype: str) -> tuple | None:
    network = _network(sizes)
    nc = count(network)
    p, b = nc.parameters, DTYPES[dtype]
    m = gpu * UNITS[gpu_unit]
    a = total([lc.activations.value for lc in nc.layers], "activations")
    if m <= p * b or (m - p * b) // (int(a.value) * b) < 2:
        return None
    pq = total([lc.parameters.value for lc in nc.layers if lc.parameters.value], "params")
    best = formulas.quantity((m - p * b) // (int(a.value) * b), "memory.max_batch", "batch", M=m, P=p, A=int(a.value),
                             b=b)
    ctx = {"memory": m, "activations": int(a.value), "params": p, "dtype_bytes": b, "gpu": gpu, "gpu_unit": gpu_unit}
    bits = (m - p * 8 * b) // (int(a.value) * 8 * b) if m > p * 8 * b else None
    params_ctx, params_extra = _params_context(nc)
    parts = (
        numeric_part("params", t("part_params"), pq, "total", params_ctx, lang, extra=params_extra,
                     measure=Total("params")),
        numeric_part("activations", t("part_activations"), a, "activations", {}, lang, measure=Total("activations")),
        numeric_part("batch", t("part_batch"), best, "batch", ctx, lang, extra=(("bits-vs-bytes", bits),),
             measure=floordiv(diff(m, in_bytes(Total("params"), dtype)), in_bytes(Total("activations"), dtype))),
    )
    steps = (
        total_step(t("step_params"), pq, "P", [rf"P_{{\mathrm{{{lc.label}}}}}" for lc in nc.layers
                                               if lc.parameters.value]),
        total_step(t("step_activations"), a, "A", [rf"A_{{\mathrm{{{lc.label}}}}}" for lc in nc.layers]),
        step(t("step_batch", gpu=gpu, gpu_unit=gpu_unit, M=m, dtype=dtype, b=b), best, r"B_{\max}", t.lang),
    )
    stem = t("stem_batch", gpu=gpu, gpu_unit=gpu_unit, layers=_layers(nc, lang, network is sizes), W=network.input.h,
             C=network.input.c, dtype=dtype, b=b, conventions=conventions(network, lang))
    return {"stem": stem, "parts": parts, "solution": steps}, network


def validate(overrides: Mapping[str, Any], difficulty: int) -> None:
    """Kinds that are not questions of this difficulty."""
    for kind in choices_of("kind", overrides["kind"]) if "kind" in overrides else ():
        if kind not in KINDS[difficulty]:
            raise ParamError("kind", f"memory kind '{kind}' is not a difficulty-{difficulty} question",
                             fix=f"at difficulty {difficulty} use " + ", ".join(KINDS[difficulty]))


def own_network(network: Network, difficulty: int) -> Network:
    """A bank entry's network as the memory stems list it: at difficulty 1 (P given, no layer listed) any network
    the engine counts; at 2-3 conv, pooling (max or average) and fc layers, at most 12 (a question adds up their
    counts by hand)."""
    try:
        network = prepare(network, "memory", (Conv, Pool, Dense),
                          "use square conv and pooling layers (max or average; padding p=N, same or valid) and fc "
                          "layers, e.g. " + NETWORK_EXAMPLE)
    except QuizgenError:
        if difficulty > 1:
            raise
        if not count(network).parameters:
            raise QuizgenError("the network has no parameters", fix="give it conv or fc layers") from None
        return network  # named as its file or spec names it: no stem lists its layers
    if difficulty > 1:
        summable(len(network.layers), "layers", f"a difficulty-{difficulty} question adds up the counts of its layers",
                 fix="use difficulty 1 (the memory of a given number of parameters) or a smaller network")
    return network


FAMILY = Family(
    id="memory",
    summary={"en": "memory: parameters in float32/float16, activations of a mini-batch, largest batch that fits",
             "it": "memoria: parametri in float32/float16, attivazioni di un mini-batch, mini-batch massimo"},
    generate=generate,
    parameters=PARAMETERS,
    validate=validate,
    tags=("memory",),
    own_network=own_network,
)
