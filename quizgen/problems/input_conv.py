"""input→conv: parameters of the first convolutional layer (#W = f²·C·N_c, #B = N_c).

Difficulty 1: weights, biases and total for a grey (C = 1) or RGB (C = 3) input.
Difficulty 2: the output size first (explicit padding), then the parameters.
Difficulty 3: SAME or VALID padding: output size, parameters and the number of activations.
"""

from __future__ import annotations

import random

from quizgen.errors import QuizgenError
from quizgen.nets.engine import count_layer
from quizgen.nets.layers import Conv, FeatureMaps, Input, Network
from quizgen.problems import Family
from quizgen.problems.common import Text, enough, numeric_part, redraw, step
from quizgen.problems.layerkit import conventions
from quizgen.problems.measures import At
from quizgen.problems.model import Content
from quizgen.problems.params import Params

PARAMETERS = {
    "C": "input channels: 1 (grey) or 3 (RGB)",
    "f": "kernel size f (the filter is f x f x C)",
    "N": "number of filters N_c",
    "W": "input width and height",
    "s": "stride (difficulty 2-3)",
    "p": "explicit padding (difficulty 2)",
    "padding": "same or valid (difficulty 3)",
    "arithmetic": "hand (round numbers) or calculator",
}

# the mistakes this family exists to catch: f instead of f², the input's depth left out
DEFINING = ("f-not-squared", "forgot-depth")


def _defaults(params: Params, difficulty: int) -> dict[str, list]:
    if params.hand:
        return {"f": [1, 3, 5], "N": [4, 8, 10, 16, 20, 32], "W": [8, 10, 16, 20, 28, 32], "s": [1, 2],
                "p": [0, 1, 2]}
    return {"f": [3, 5, 7, 9, 11], "N": [6, 12, 16, 24, 32, 48, 64, 96, 128], "W": [28, 32, 48, 64, 96, 128, 224, 227],
            "s": [1, 2, 3, 4], "p": [0, 1, 2, 3]}


def generate(rng: random.Random, params: Params, difficulty: int, lang: str) -> Content:
    t = Text("input-conv", lang)
    d = _defaults(params, difficulty)

    def attempt() -> Content | None:
        c = params.draw("C", [1, 3])
        f = params.draw("f", d["f"])
        n = params.draw("N", d["N"])
        w = params.draw("W", d["W"])
        s = params.draw("s", d["s"]) if difficulty >= 2 else 1
        if difficulty == 3:
            padding = params.draw("padding", ["same", "valid"])
        elif difficulty == 2:
            padding = params.draw("p", d["p"])
        else:
            padding = 0
        if f > w + 2 * (padding if isinstance(padding, int) else 0):
            return None
        if difficulty >= 2 and params.hand and isinstance(padding, int) and (w - f + 2 * padding) % s:
            return None
        return _build(t, lang, difficulty, c, f, n, w, s, padding)

    return redraw(attempt)


def _build(t: Text, lang: str, difficulty: int, c: int, f: int, n: int, w: int, s: int, padding: int | str
           ) -> Content | None:
    """The problem of one draw (None when it has too few distractors)."""
    layer = Conv(n, (f, f), (s, s), padding, name="C1")
    lc = count_layer(layer, FeatureMaps(w, w, c), 1)
    o = lc.out_h.size.value if lc.out_h else 0
    ctx = {"f": f, "C": c, "N_c": n, "W": w, "s": s, "p": padding if isinstance(padding, int) else 0,
           "padding": padding if isinstance(padding, str) else None, "O": o,
           "weights": lc.weights.value, "biases": lc.biases.value, "params": lc.parameters.value,
           "rgb": c == 3}
    parts = []
    steps = []
    if difficulty >= 2:
        parts.append(numeric_part("size", t("part_size"), lc.out_h.size, "size", ctx, lang,
                                  measure=At("out_h", "C1")))
        steps.append(step(t("step_size", **ctx), lc.out_h.size, "O"))
    if difficulty <= 2:
        parts.append(numeric_part("weights", t("part_weights"), lc.weights, "conv.weights", ctx, lang,
                                  measure=At("weights", "C1"), defining=DEFINING))
    if difficulty == 1:
        parts.append(numeric_part("biases", t("part_biases"), lc.biases, "conv.biases", ctx, lang,
                                  extra=(("bias-per-weight", lc.weights.value),), measure=At("biases", "C1")))
    parts.append(numeric_part("total", t("part_total"), lc.parameters, "conv.params", ctx, lang,
                              measure=At("params", "C1"), defining=DEFINING))
    steps += [step(t("step_weights", **ctx), lc.weights, r"\#W_c"),
              step(t("step_biases", **ctx), lc.biases, r"\#B_c"),
              step(t("step_total", **ctx), lc.parameters, r"\#W_c + \#B_c")]
    if difficulty == 3:
        parts.append(numeric_part("activations", t("part_activations"), lc.activations, "activations",
                                  {**ctx, "W_in": w}, lang, measure=At("activations", "C1")))
        steps.append(step(t("step_activations", **ctx), lc.activations, "A"))
    needed = [p for p in parts if p.key != "biases"]
    if not enough(needed, 2 if difficulty == 1 else 1):
        return None
    network = Network(Input(w, w, c), (layer,), name="input-conv")
    return Content(
        title=t("title"), stem=t("stem", difficulty=difficulty, conventions=conventions([padding], lang), **ctx),
        parts=tuple(parts), solution=tuple(steps), network=network, hint=t("hint"), tags=("parameters", "conv"),
    )


def validate(overrides: dict) -> None:
    from quizgen.problems.params import choices_of

    for name in ("C",):
        if name in overrides and not set(choices_of(name, overrides[name])) <= {1, 3}:
            raise QuizgenError("C must be 1 (grey) or 3 (RGB) for an input layer", fix="use C: 1 or C: 3 or [1, 3]")
    if "f" in overrides and "W" in overrides:
        f_min = min(choices_of("f", overrides["f"]))
        w_max = max(choices_of("W", overrides["W"]))
        if f_min > w_max + 2 * 3:
            raise QuizgenError(f"every kernel (f >= {f_min}) is larger than every input (W <= {w_max})",
                               fix="lower f or raise W")


FAMILY = Family(
    id="input-conv",
    summary={"en": "parameters of a convolutional layer on the input image (#W = f²·C·N_c, #B = N_c)",
             "it": "parametri di un layer convoluzionale sull'immagine di input (#W = f²·C·N_c, #B = N_c)"},
    generate=generate,
    parameters=PARAMETERS,
    validate=validate,
    tags=("parameters",),
)
