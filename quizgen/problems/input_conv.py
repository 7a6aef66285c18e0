"""input→conv: parameters of the first convolutional layer (#W = f²·C·N_c, #B = N_c).

Difficulty 1: weights, biases and total for a grey (C = 1) or RGB (C = 3) input.
Difficulty 2: the output size first (explicit padding), then the parameters.
Difficulty 3: SAME or VALID padding: output size, parameters and the number of activations.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from quizgen.errors import QuizgenError
from quizgen.nets.engine import count_layer
from quizgen.nets.layers import Conv, FeatureMaps, Input, Network
from quizgen.problems import Family
from quizgen.problems.common import Text, enough, numeric_part, redraw, step
from quizgen.problems.layerkit import conventions, space
from quizgen.problems.measures import At
from quizgen.problems.model import Content
from quizgen.problems.params import ARITHMETIC, Param, Parameters, Params, one_of, whole

PARAMETERS = Parameters(
    Param("C", "input channels: 1 (grey) or 3 (RGB)", "canali dell'input: 1 (grigi) o 3 (RGB)",
          one_of(1, 3), default=(1, 3)),
    Param("f", "kernel size f (the filter is f × f × C)", "dimensione f del kernel (il filtro è f × f × C)",
          whole(1), calculator=(3, 5, 7, 9, 11), hand=(1, 3, 5, 7)),
    Param("N", "number of filters N_c", "numero di filtri N_c", whole(1),
          calculator=(6, 12, 16, 24, 32, 48, 64, 96, 128),
          hand=(4, 5, 6, 8, 10, 12, 15, 16, 20, 24, 25, 30, 32, 40, 50, 64)),
    Param("W", "input width and height", "larghezza e altezza dell'input", whole(1),
          calculator=(28, 32, 48, 64, 96, 128, 224, 227), hand=(8, 10, 16, 20, 28, 32)),
    Param("s", "stride s", "stride s", whole(1), calculator=(1, 2, 3, 4), hand=(1, 2), difficulties=(2, 3)),
    Param("p", "explicit zero padding p", "zero padding esplicito p", whole(0), calculator=(0, 1, 2, 3),
          hand=(0, 1, 2), difficulties=(2,)),
    Param("padding", "SAME or VALID padding (TensorFlow/Keras)", "padding SAME o VALID (TensorFlow/Keras)",
          one_of("same", "valid"), default=("same", "valid"), difficulties=(3,)),
    ARITHMETIC,
)

# the mistakes this family exists to catch: f instead of f², the input's depth left out
DEFINING = ("f-not-squared", "forgot-depth")


def generate(rng: random.Random, params: Params, difficulty: int, lang: str) -> Content:
    t = Text("input-conv", lang)

    def attempt() -> Content | None:
        c = params.draw("C")
        f = params.draw("f")
        n = params.draw("N")
        w = params.draw("W")
        s = params.draw("s") if difficulty >= 2 else 1
        if difficulty == 3:
            padding = params.draw("padding")
        elif difficulty == 2:
            padding = params.draw("p")
        else:
            padding = 0
        if not _fits(f, w, s, padding, params.hand and difficulty >= 2):
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


def _fits(f: int, W: int, s: int, p: int | str, hand: bool) -> bool:
    """The kernel fits the (padded) input and, by hand, the division is whole."""
    pad = p if isinstance(p, int) else 0
    if f > W + 2 * pad:
        return False
    return not (hand and isinstance(p, int) and (W - f + 2 * pad) % s)


def validate(overrides: Mapping[str, Any], difficulty: int) -> None:
    """Values of f, W, s and padding of which no combination fits give no problem."""
    a = PARAMETERS.allowed(overrides, difficulty)
    hand = overrides.get("arithmetic") == "hand"
    choices = {"f": a["f"], "W": a["W"], "s": a["s"] if difficulty >= 2 else [1],
               "p": a["p"] if difficulty == 2 else a["padding"] if difficulty == 3 else [0]}
    if space(choices, lambda **c: _fits(**c, hand=hand)) != 0:
        return
    if min(a["f"]) > max(a["W"]):
        raise QuizgenError(f"every kernel (f >= {min(a['f'])}) is larger than every input (W <= {max(a['W'])})",
                           fix="lower f or raise W")
    raise QuizgenError("no kernel f fits an input W with these values",
                       fix="lower f or raise W (by hand, W - f + 2p must also divide by s)")


FAMILY = Family(
    id="input-conv",
    summary={"en": "parameters of a convolutional layer on the input image (#W = f²·C·N_c, #B = N_c)",
             "it": "parametri di un layer convoluzionale sull'immagine di input (#W = f²·C·N_c, #B = N_c)"},
    generate=generate,
    parameters=PARAMETERS,
    validate=validate,
    tags=("parameters",),
)
