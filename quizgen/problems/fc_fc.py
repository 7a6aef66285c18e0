"""FC→FC: parameters of a fully connected layer after another one (#W_ff = F₋₁·F, #B_ff = F).

Difficulty 1: an FC layer of F₋₁ nodes, then one of F nodes: weights, biases and parameters.
Difficulty 2: a multilayer perceptron on an image: the input vector's length first (H × W × C), then the
parameters of the hidden and the output layer.
Difficulty 3: a chain of 3–4 FC layers: every layer's parameters and the total.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from quizgen.nets import formulas
from quizgen.nets.engine import LayerCount, count
from quizgen.nets.layers import Dense, Flatten, Input, Network
from quizgen.problems import Family
from quizgen.problems.common import Text, numeric_part, step
from quizgen.problems.layerkit import (
    maps_text,
    redraw_relaxed,
    short,
    static,
    total_quantity,
)
from quizgen.problems.measures import At, Total
from quizgen.problems.model import Content, Part, Step
from quizgen.problems.params import ARITHMETIC, Param, Parameters, Params, one_of, whole
from quizgen.problems.totals import total_step

ID = "fc-fc"

formulas.register("image.length", "W**2*C", r"[W]^2 \times [C]")  # a flattened W x W x C image
# the mistake difficulty 2 exists to catch: the output layer fed the image, not the hidden layer's outputs
DEFINING = ("size-from-network-input",)

PARAMETERS = Parameters(
    Param("F_prev", "nodes F₋₁ of the previous FC layer (difficulty 1) or of the MLP's input (difficulty 3)",
          "nodi F₋₁ del layer FC precedente (difficoltà 1) o dell'input dell'MLP (difficoltà 3)", whole(1),
          calculator=(64, 84, 120, 128, 256, 300, 400, 500, 512, 784, 1000, 1024, 2048, 2304, 4096, 9216, 25088),
          hand=(10, 20, 40, 50, 100, 120, 200, 400, 500), difficulties=(1, 3)),
    Param("F", "nodes F of the FC layer (difficulty 2-3: of every hidden FC layer)",
          "nodi F del layer FC (difficoltà 2-3: di ogni layer FC nascosto)", whole(1),
          calculator=(10, 32, 64, 84, 100, 120, 128, 200, 256, 300, 500, 512, 1000, 1024, 2048, 4096),
          hand=(10, 20, 30, 50, 60, 84, 100, 200)),
    Param("classes", "nodes of the output layer", "nodi del layer di output", whole(1),
          calculator=(2, 10, 43, 100, 1000), hand=(2, 5, 10), difficulties=(2, 3)),
    Param("W", "image width and height", "larghezza e altezza dell'immagine", whole(1), calculator=(28, 32, 48, 64),
          hand=(8, 10, 16, 20, 28), difficulties=(2,)),
    Param("C", "image channels: 1 (grey) or 3 (RGB)", "canali dell'immagine: 1 (grigi) o 3 (RGB)", one_of(1, 3),
          default=(1, 3), difficulties=(2,)),
    Param("layers", "FC layers in the chain", "layer FC nella catena", one_of(3, 4), default=(3, 4),
          difficulties=(3,), shape=True),
    ARITHMETIC,
)


def space_of(overrides: Mapping[str, Any], difficulty: int) -> int | None:
    """Distinct draws: F₋₁ × F at difficulty 1, W × C × F × classes at 2; None at 3."""
    a = PARAMETERS.allowed(overrides, difficulty)
    if difficulty == 1:
        return len(a["F_prev"]) * len(a["F"])
    if difficulty == 2:
        return len(a["W"]) * len(a["C"]) * len(a["F"]) * len(a["classes"])
    return None


def _context(lc: LayerCount) -> dict[str, Any]:
    f_prev = lc.input_shape.size
    return {"F": lc.layer.units, "F_prev": f_prev, "weights": int(lc.weights.value), "biases": int(lc.biases.value),
            "params": int(lc.parameters.value)}


def _problem(lang: str, stem: str, parts: list[Part], steps: list[Step], network: Network) -> Content:
    return Content(title=static(ID, lang, "title"), stem=stem,
                   parts=tuple(parts), solution=tuple(steps), network=network, hint=static(ID, lang, "hint"),
                   tags=("parameters", "fc"))


def generate(rng: random.Random, params: Params, difficulty: int, lang: str) -> Content:
    t = Text(ID, lang)
    make = {1: _pair, 2: _perceptron, 3: _chain}[difficulty]
    return redraw_relaxed(lambda: make(params, t, lang))


def _vector_network(f_in: int, input_name: str, units: list[int], names: list[str]) -> Network:
    """FC layers on a vector of ``f_in`` values (a 1 × 1 × F₋₁ input, flattened): what the engine and torch count."""
    layers = (Flatten(name="flatten"), *(Dense(u, name=n) for u, n in zip(units, names, strict=True)))
    return Network(Input(1, 1, f_in, name=input_name), layers, name=ID)


def _pair(params: Params, t: Text, lang: str) -> Content | None:
    f_prev, f = params.draw("F_prev"), params.draw("F")
    return _build_pair(t, lang, f_prev, f)


def _build_pair(t: Text, lang: str, f_prev: int, f: int) -> Content | None:
    network = _vector_network(f_prev, "FC1", [f], ["FC2"])
    lc = count(network).layers[-1]
    ctx = _context(lc)
    parts = [numeric_part("weights", static(ID, lang, "part_weights"), lc.weights, "fc.weights", ctx, lang,
                          measure=At("weights", "FC2")),
             numeric_part("biases", static(ID, lang, "part_biases"), lc.biases, "fc.biases", ctx, lang,
                          extra=(("bias-per-weight", ctx["weights"]), ("bias-per-input", f_prev)),
                          measure=At("biases", "FC2")),
             numeric_part("params", static(ID, lang, "part_params"), lc.parameters, "fc.params", ctx, lang,
                          measure=At("params", "FC2"))]
    if short(len(parts[-1].distractors) < 2):
        return None
    steps = [step(t("step_weights"), lc.weights, r"\#W_{ff}"), step(t("step_biases"), lc.biases, r"\#B_{ff}"),
             step(t("step_total"), lc.parameters, r"\#W_{ff} + \#B_{ff}")]
    return _problem(lang, t("stem", difficulty=1, F_prev=f_prev, F=f), parts, steps, network)


def _perceptron(params: Params, t: Text, lang: str) -> Content | None:
    w, c = params.draw("W"), params.draw("C")
    f1, k = params.draw("F"), params.draw("classes")
    return _build_perceptron(t, lang, w, c, f1, k)


def _build_perceptron(t: Text, lang: str, w: int, c: int, f1: int, k: int) -> Content | None:
    network = Network(Input(w, w, c), (Flatten(name="flatten"), Dense(f1, name="FC1"), Dense(k, name="FC2")),
                      name=ID)
    counted = count(network)
    _, fc1, fc2 = counted.layers
    length = formulas.quantity(w * w * c, "image.length", ID, W=w, C=c)
    flat_ctx = {"O": w, "N_c": c, "image": True}
    ctx1 = {**_context(fc1), "O": w, "N_c": c, "image": True}
    ctx2 = {**_context(fc2), "W_net": length.value}
    parts = [numeric_part("length", static(ID, lang, "part_length"), length, "flatten", flat_ctx, lang,
                          measure=At("flatten", "flatten")),
             numeric_part("params-FC1", t("part_layer", name="FC1"), fc1.parameters, "fc.params", ctx1, lang,
                          measure=At("params", "FC1")),
             numeric_part("params-FC2", t("part_layer", name="FC2"), fc2.parameters, "fc.params", ctx2, lang,
                          extra=(("size-from-network-input", length.value * k + k),), measure=At("params", "FC2"),
                          defining=DEFINING)]
    if short(len(parts[1].distractors) < 2 or len(parts[2].distractors) < 2):
        return None
    steps = [step(t("step_length"), length, "F_0"),
             step(t("step_layer", name="FC1"), fc1.parameters, "P_{FC1}"),
             step(t("step_layer", name="FC2"), fc2.parameters, "P_{FC2}")]
    stem = t("stem", difficulty=2, image=maps_text(w, w, c, lang), rgb=c == 3, F=f1, classes=k)
    return _problem(lang, stem, parts, steps, network)


def _chain(params: Params, t: Text, lang: str) -> Content | None:
    n_layers = params.draw("layers")
    f0 = params.draw("F_prev")
    hidden = [params.draw("F") for _ in range(n_layers - 1)]
    units = [*hidden, params.draw("classes")]
    return _build_chain(t, lang, f0, units)


def _build_chain(t: Text, lang: str, f0: int, units: list[int]) -> Content | None:
    n_layers, hidden = len(units), units[:-1]
    names = [f"FC{i}" for i in range(1, n_layers + 1)]
    network = _vector_network(f0, "input", units, names)
    counted = count(network)
    dense = counted.layers[1:]
    parts, steps = [], []
    for lc in dense:
        parts.append(numeric_part(f"params-{lc.label}", t("part_layer", name=lc.label), lc.parameters, "fc.params",
                                  _context(lc), lang, measure=At("params", lc.label)))
        steps.append(step(t("step_layer", name=lc.label), lc.parameters, f"P_{{{lc.label}}}"))
    total = total_quantity([int(lc.parameters.value) for lc in dense], ID)
    weights, biases = counted.weights, counted.biases
    ctx = {"params": total.value, "weights": weights, "biases": biases, "F": units[-1], "F_prev": f0}
    total_part = numeric_part("total", static(ID, lang, "part_total"), total, "total", ctx, lang,
                              extra=(("bias-per-weight", 2 * weights),), measure=Total("params"))
    if short(len(total_part.distractors) < 2 or any(len(p.distractors) < 2 for p in parts)):
        return None
    steps.append(total_step(t("step_network_total", names=names), total, r"\#P", [f"P_{{{n}}}" for n in names]))
    stem = t("stem", difficulty=3, F_prev=f0, hidden=hidden, classes=units[-1], F=0)
    return _problem(lang, stem, [*parts, total_part], steps, network)


FAMILY = Family(
    id=ID,
    summary={"en": "parameters of an FC layer after another FC layer (#W_ff = F₋₁·F, #B_ff = F), chains of FC layers",
             "it": "parametri di un layer FC dopo un altro layer FC (#W_ff = F₋₁·F, #B_ff = F), catene di layer FC"},
    generate=generate,
    parameters=PARAMETERS,
    space=space_of,
    tags=("parameters",),
)
