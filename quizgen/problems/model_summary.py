"""Model summary: a Keras ``model.summary()`` table with blanks to fill in (output shapes, parameters, total).

The stem gives the model as Keras code (``Conv2D``, ``MaxPooling2D``, ``Flatten``, ``Dense``; ``padding="same"``
and ``"valid"`` as in Keras) and its summary table, some cells replaced by ``?``; each blank is a part. Every cell
comes from the engine's count of the same network.

Difficulty 1: conv, pooling, flatten and two dense layers: two parameter counts.
Difficulty 2: two convolutions (one SAME, one VALID): an output size, two parameter counts and the total.
Difficulty 3: three convolutions with strides: two output sizes, the flatten length, two parameter counts and
the total.
"""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

from quizgen.errors import QuizgenError
from quizgen.nets.engine import LayerCount, NetworkCount, count
from quizgen.nets.layers import Conv, Dense, Dropout, Flatten, Input, Layer, Network, Pool
from quizgen.problems import Family
from quizgen.problems.common import Text, numeric_part, step
from quizgen.problems.layerkit import redraw_relaxed, short, static
from quizgen.problems.measures import At, Total
from quizgen.problems.model import Content, Part, Table
from quizgen.problems.own import count_of, given, need, prepare
from quizgen.problems.params import Param, Parameters, Params, whole
from quizgen.problems.totals import total, total_step
from quizgen.text import numbers

ID = "model-summary"

PARAMETERS = Parameters(
    # difficulty 3: multiples of 8, so the two kernels give the strided convolution's size O two distinct values
    # for each W and no two inputs share one (two versions with the same O share the next size too)
    Param("W", "input width and height", "larghezza e altezza dell'input", whole(8),
          default={1: (28, 32, 48, 64), 2: (28, 32, 48, 64), 3: tuple(range(24, 161, 8))}),
    Param("C", "input channels", "canali dell'input", whole(1), default=(1, 3)),
    Param("N", "filters of each convolution", "filtri di ogni convoluzione", whole(1), default=(8, 16, 32, 64)),
    Param("f", "kernel size of each convolution", "dimensione del kernel di ogni convoluzione", whole(1),
          default=(3, 5)),
    Param("F", "units of the hidden Dense layer", "unità del layer dense nascosto", whole(1), default=(32, 64, 128)),
    Param("classes", "units of the output layer", "unità del layer di output", whole(1), default=(10, 100)),
)

_KERAS = {Conv: ("conv2d", "Conv2D"), Pool: ("max_pooling2d", "MaxPooling2D"), Flatten: ("flatten", "Flatten"),
          Dense: ("dense", "Dense"), Dropout: ("dropout", "Dropout")}


def _keras(layer: Layer) -> tuple[str, str]:
    """Keras's default name and class of a layer (``max_pooling2d``, ``MaxPooling2D``)."""
    if isinstance(layer, Pool) and layer.kind == "avg":
        return "average_pooling2d", "AveragePooling2D"
    return _KERAS[type(layer)]


def _names(kinds: list[type]) -> list[str]:
    """Keras's default layer names: conv2d, conv2d_1, ..., max_pooling2d, flatten, dense, dense_1."""
    seen: dict[type, int] = {}
    names = []
    for kind in kinds:
        k = seen.get(kind, 0)
        seen[kind] = k + 1
        names.append(_KERAS[kind][0] + (f"_{k}" if k else ""))
    return names


def _draw(params: Params, difficulty: int) -> Network | None:
    w, c = params.draw("W"), params.draw("C")
    convs = {1: [("valid", 1)], 2: [("same", 1), ("valid", 1)], 3: [("same", 1), ("valid", 2), ("same", 2)]}[
        difficulty]
    kinds: list[type] = []
    specs: list[Any] = []
    for index, (padding, s) in enumerate(convs):
        kinds.append(Conv)
        specs.append((params.draw("N"), params.draw("f"), s, padding))
        if difficulty < 3 or index == 0:
            kinds.append(Pool)
            specs.append(None)
    kinds += [Flatten, Dense, Dense]
    specs += [None, params.draw("F"), params.draw("classes")]
    layers = []
    for kind, spec, name in zip(kinds, specs, _names(kinds), strict=True):
        if kind is Conv:
            n, f, s, padding = spec
            layers.append(Conv(n, (f, f), (s, s), padding, name=name))
        elif kind is Pool:
            layers.append(Pool("max", (2, 2), (2, 2), "valid", name=name))
        elif kind is Flatten:
            layers.append(Flatten(name=name))
        else:
            layers.append(Dense(spec, name=name))
    return Network(Input(w, w, c), tuple(layers), name=ID)


def _shape(lc: LayerCount) -> str:
    out = lc.output_shape
    if hasattr(out, "h"):
        return f"(None, {out.h}, {out.w}, {out.d})"  # type: ignore[union-attr]
    return f"(None, {out.n})"  # type: ignore[union-attr]


def _code(t: Text, network: Network) -> list[str]:
    lines = []
    for index, layer in enumerate(network.layers):
        extra = f', input_shape=({network.input.h}, {network.input.w}, {network.input.c})' if index == 0 else ""
        no_bias = ", use_bias=False" if not getattr(layer, "bias", True) else ""
        if isinstance(layer, Conv):
            stride = f", strides={layer.stride[0]}" if layer.stride != (1, 1) else ""
            lines.append(f"Conv2D({layer.filters}, {layer.kernel[0]}{stride}, padding='{layer.padding}'{no_bias}"
                         f"{extra})")
        elif isinstance(layer, Pool):
            f, s = layer.kernel[0], layer.stride[0]
            stride = f", strides={s}" if s != f else ""
            padding = ", padding='same'" if layer.padding == "same" else ""
            lines.append(f"{_keras(layer)[1]}({f}{stride}{padding}{extra})")
        elif isinstance(layer, Flatten):
            lines.append("Flatten()")
        elif isinstance(layer, Dropout):
            lines.append(f"Dropout({layer.rate:g}{extra})")
        else:
            lines.append(f"Dense({layer.units}{no_bias}{extra})")
    return lines


def _size_ctx(lc: LayerCount) -> dict[str, Any]:
    layer = lc.layer
    padding = layer.padding
    return {"W": lc.input_shape.h, "f": layer.kernel[0], "s": layer.stride[0],  # type: ignore[union-attr]
            "p": 0, "padding": padding if isinstance(padding, str) else None}


def _params_part(key: str, label: str, lc: LayerCount, lang: str) -> Part:
    layer = lc.layer
    weights, biases, p = int(lc.weights.value), int(lc.biases.value), int(lc.parameters.value)
    if isinstance(layer, Conv):
        ctx = {"f": layer.kernel[0], "C": lc.input_shape.d, "N_c": layer.filters,  # type: ignore[union-attr]
               "weights": weights, "biases": biases, "params": p}
        return numeric_part(key, label, lc.parameters, "conv.params", ctx, lang, measure=At("params", lc.label))
    ctx = {"F_prev": lc.input_shape.size, "F": layer.units, "weights": weights,  # type: ignore[union-attr]
           "biases": biases, "params": p}
    return numeric_part(key, label, lc.parameters, "fc.params", ctx, lang, measure=At("params", lc.label))


def generate(rng: random.Random, params: Params, difficulty: int, lang: str) -> Content:
    t = Text(ID, lang)

    own = given(params)

    def attempt() -> Content | None:
        if own is not None:  # the entry's own network: counted as it is (the loader checked it)
            return _build(t, lang, count(own), difficulty, rng, own=True)
        network = _draw(params, difficulty)
        try:
            nc = count(network)  # type: ignore[arg-type]
        except QuizgenError:
            return None
        if any(hasattr(lc.output_shape, "h") and lc.output_shape.h < 2 for lc in nc.layers):  # type: ignore
            return None
        return _build(t, lang, nc, difficulty, rng)

    return redraw_relaxed(attempt)


def _own_blanks(convs: list[int], dense: list[int], flat: int, difficulty: int,
                rng: random.Random) -> list[tuple[int, int]]:
    """The blank cells of an own network's table: Param # of a conv and a dense layer (difficulty 1); with an output
    size of another conv (2); with two output sizes and the flatten length (3)."""
    picked = rng.sample(convs, difficulty)
    blanks = [(row, 1) for row in picked[1:]] + [(picked[0], 2), (rng.choice(dense), 2)]
    return blanks + [(flat, 1)] if difficulty == 3 else blanks


def _build(t: Text, lang: str, nc: NetworkCount, difficulty: int, rng: random.Random,
           own: bool = False) -> Content | None:
    layers = list(nc.layers)
    convs = [i for i, lc in enumerate(layers) if isinstance(lc.layer, Conv)]
    dense = [i for i, lc in enumerate(layers) if isinstance(lc.layer, Dense)]
    flat = next(i for i, lc in enumerate(layers) if isinstance(lc.layer, Flatten))
    # (row, column): column 1 the output shape (its size O, or the flatten length), column 2 the parameters
    blanks: list[tuple[int, int]] = []
    if own:  # an instructor's network: the same kinds of cells, in layers drawn for each variant
        blanks += _own_blanks(convs, dense, flat, difficulty, rng)
    elif difficulty == 1:
        blanks += [(convs[0], 2), (dense[0], 2)]
    elif difficulty == 2:
        blanks += [(convs[1], 1), (convs[1], 2), (dense[0], 2)]
    else:
        blanks += [(convs[1], 1), (convs[2], 1), (flat, 1), (convs[2], 2), (dense[0], 2)]
    total_row = len(layers)
    with_total = difficulty > 1
    parts, steps = [], []
    for row, col in sorted(blanks):
        lc = layers[row]
        key = f"cell-{row}-{col}"
        if col == 2:
            parts.append(_params_part(key, t("part_params", name=lc.label), lc, lang))
            steps.append(step(t("step_params", name=lc.label, conv=isinstance(lc.layer, Conv),
                                bias=lc.layer.bias), lc.parameters,  # type: ignore[union-attr]
                              rf"P_{{\mathrm{{{lc.label.replace('_', '')}}}}}"))
        elif isinstance(lc.layer, Flatten):
            before = layers[row - 1].output_shape
            ctx = {"O": before.h, "N_c": before.d, "W_in": layers[row - 1].input_shape.h}  # type: ignore[union-attr]
            assert lc.flatten_length is not None
            parts.append(numeric_part(key, t("part_flatten", name=lc.label), lc.flatten_length, "flatten", ctx,
                                      lang, measure=At("flatten", lc.label)))
            steps.append(step(t("step_flatten", name=lc.label), lc.flatten_length, "n"))
        else:
            assert lc.out_h is not None
            ctx = _size_ctx(lc)
            # VALID is the course's formula with p = 0, so its +1 can be forgotten (the catalogue's forgot-plus-one
            # leaves Keras's paddings alone: SAME has no +1)
            slip = (("forgot-plus-one", (ctx["W"] - ctx["f"]) // ctx["s"]),) if ctx["padding"] == "valid" else ()
            parts.append(numeric_part(key, t("part_size", name=lc.label, d=lc.output_shape.d), lc.out_h.size,  # type: ignore
                                      "size", ctx, lang, extra=slip, measure=At("out_h", lc.label)))
            steps.append(step(t("step_size", name=lc.label, padding=lc.layer.padding), lc.out_h.size,  # type: ignore
                              rf"O_{{\mathrm{{{lc.label.replace('_', '')}}}}}"))
    if with_total:
        labels = [lc.label for lc in layers if lc.parameters.value]
        q = total([int(nc.layer(lb).parameters.value) for lb in labels], "params")
        # the pooling layers given the weights and biases of a 2x2 filter per map (the summary shows 0 for them)
        pools = sum(5 * lc.output_shape.d for lc in layers if isinstance(lc.layer, Pool))  # type: ignore[union-attr]
        parts.append(numeric_part(f"cell-{total_row}-2", t("part_total"), q, "total",
                                  {"params": nc.parameters, "biases": nc.biases}, lang,
                                  extra=(("pooling-weights", nc.parameters + pools),) if pools else (),
                                  measure=Total("params")))
        steps.append(total_step(t("step_total"), q, "P", [rf"P_{{\mathrm{{{lb.replace('_', '')}}}}}"
                                                          for lb in labels], lang))
        blanks.append((total_row, 2))
    if short(any(not p.distractors for p in parts)):
        return None
    rows = []
    for i, lc in enumerate(layers):
        cells = [f"{lc.label} ({_keras(lc.layer)[1]})", _shape(lc),
                 f"${numbers.latex(int(lc.parameters.value), None, lang)}$"]
        rows.append(tuple("?" if (i, j) in blanks else cell for j, cell in enumerate(cells)))
    shown = "?" if with_total else f"${numbers.latex(nc.parameters, None, lang)}$"
    rows.append((static(ID, lang, "total_row"), "", shown))
    columns = (static(ID, lang, "col_layer"), static(ID, lang, "col_shape"), static(ID, lang, "col_params"))
    table = Table(columns, tuple(rows), tuple(sorted(blanks)), static(ID, lang, "caption"))
    stem = t("stem", code=_code(t, nc.network), difficulty=difficulty)
    return Content(title=static(ID, lang, "title"), stem=stem, parts=tuple(parts), solution=tuple(steps),
                   network=nc.network, table=table, hint=static(ID, lang, "hint"), tags=("model summary",))


_FIX = ("use square Conv2D and pooling layers (max or average) with same or valid padding (p=0 is valid), fc, "
        'flatten and dropout layers, e.g. network: "32x32x3 > conv 16 3 same > maxpool 2 > conv 32 3 valid > fc 10"')


def own_network(network: Network, difficulty: int) -> Network:
    """A bank entry's network as a Keras model: Conv2D, MaxPooling2D / AveragePooling2D with Keras's 'same' or
    'valid' padding, Flatten (added before the first Dense on maps, as Keras needs), Dense and Dropout; layers named
    as Keras names them. Batch norm is refused: Keras counts its running statistics in Param #."""
    network = prepare(network, ID, (Conv, Pool, Dense), _FIX, keep=(Flatten, Dropout))
    layers: list[Layer] = []
    maps = True
    for layer in network.layers:
        if isinstance(layer, (Conv, Pool)):
            if isinstance(layer.padding, int) and layer.padding:
                raise QuizgenError(f"layer {layer.name} of the network pads p={layer.padding}; Keras pads 'same' or "
                                   "'valid'",
                                   fix=f"write same or valid instead of p={layer.padding}")
            layer = replace(layer, padding=layer.padding or "valid")  # type: ignore[arg-type]
        if isinstance(layer, Dense) and maps:
            layers.append(Flatten())
        maps = isinstance(layer, (Conv, Pool)) or (maps and isinstance(layer, Dropout))
        layers.append(layer)
    network = replace(network, layers=tuple(layers))
    need(network, ID, difficulty, ((Conv, difficulty, "Conv2D layer"), (Dense, 1, "Dense layer")))
    if count_of(network, Flatten) != 1:
        raise QuizgenError(f"the network flattens {count_of(network, Flatten)} times", fix="flatten the maps once, "
                           "before the first fc layer")
    seen: dict[str, int] = {}
    named = []
    for layer in network.layers:
        base = _keras(layer)[0]
        k = seen.get(base, 0)
        seen[base] = k + 1
        named.append(replace(layer, name=base + (f"_{k}" if k else "")))
    network = replace(network, layers=tuple(named))
    count(network)  # a layer the input cannot feed is the engine's one-line error
    return network


FAMILY = Family(
    id=ID,
    summary={"en": "a Keras model.summary() table with blanks: output shapes, parameter counts, the total",
             "it": "una tabella model.summary() di Keras con celle vuote: forme dell'output, parametri, totale"},
    generate=generate,
    parameters=PARAMETERS,
    tags=("model summary",),
    own_network=own_network,
)
