"""Inverse problems: the padding, stride, kernel size or number of filters that a layer must have.

The layer's sizes and counts are given (the engine computes them from the drawn layer); the student
inverts the lecture's formulas, O = ⌊(W − f + 2p)/s⌋ + 1 and #W + #B = (f²·C + 1)·N_c. Every draw has one
answer: the divisions are whole, and no other value gives the same size (checked with the engine).

Difficulty 1: the padding p that keeps the size (stride 1, SAME as explicit zeros), and the number of filters
N_c of a layer from its parameter count.
Difficulty 2: the stride s that gives an output size, and the kernel size f that gives another.
Difficulty 3: one layer from its input W × W × C, its output size O, stride, padding and parameter count:
first the (odd) kernel size f from the size, then the number of filters N_c from the parameters.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from quizgen.errors import QuizgenError
from quizgen.nets import formulas
from quizgen.nets.engine import count
from quizgen.nets.layers import Conv, Input, Network
from quizgen.problems import Family
from quizgen.problems.common import Text, numeric_part, step
from quizgen.problems.layerkit import redraw_relaxed, short, static
from quizgen.problems.measures import At, Measure, diff, div, mul, sum_of
from quizgen.problems.model import Content, Part
from quizgen.problems.params import ARITHMETIC, Kind, Param, ParamError, Parameters, Params, choices_of, whole

ID = "inverse"

formulas.register("inverse.p", "((O - 1)*s - W + f)/2", r"\frac{([O] - 1) \times [s] - [W] + [f]}{2}")
formulas.register("inverse.s", "(W - f + 2*p)/(O - 1)", r"\frac{[W] - [f] + 2 \times [p]}{[O] - 1}")
formulas.register("inverse.f", "W + 2*p - (O - 1)*s", r"[W] + 2 \times [p] - ([O] - 1) \times [s]")
formulas.register("inverse.N", "P/(f**2*C + 1)", r"\frac{[P]}{[f]^2 \times [C] + 1}")

_ODD = Kind(lambda v: whole(3).check(v) and v % 2 == 1, {"en": "an odd whole number of 3 or more",
                                                          "it": "un numero intero dispari da 3 in su"})

PARAMETERS = Parameters(
    # difficulty 3 adds odd sizes: a kernel found with stride 2 needs W - f + 2p even, so an odd W (f is odd)
    Param("W", "input width and height", "larghezza e altezza dell'input", whole(4),
          calculator={1: (28, 32, 48, 56, 64, 96, 112, 128, 224, 227), 2: (28, 32, 48, 56, 64, 96, 112, 128, 224, 227),
                      3: (28, 31, 32, 48, 55, 56, 63, 64, 96, 111, 112, 128, 224, 227)},
          hand={1: (8, 12, 16, 20, 24, 28, 32, 64), 2: (8, 12, 16, 20, 24, 28, 32, 64),
                3: (8, 9, 12, 15, 16, 20, 24, 28, 31, 32, 63, 64)}),
    Param("C", "input depth (channels)", "profondità (canali) dell'input", whole(1),
          calculator=(1, 3, 16, 32, 64), hand=(1, 3, 8, 16)),
    Param("f", "kernel size f (odd: the kernel has a centre)",
          "dimensione f del kernel (dispari: il kernel ha un centro)", _ODD, calculator=(3, 5, 7, 9, 11),
          hand=(3, 5, 7)),
    Param("s", "stride s (a kernel found from a size needs stride 1 or 2: with larger strides several odd kernels give "
               "the same size)",
          "stride s (un kernel ricavato da una dimensione richiede stride 1 o 2: con stride maggiori più kernel "
          "dispari danno la stessa dimensione)", whole(1), default={1: (1,), 2: (1, 2, 3, 4), 3: (1, 2)},
          difficulties=(2, 3),
          chosen={"en": "difficulty 1 keeps the size: s = 1", "it": "la difficoltà 1 mantiene la dimensione: s = 1"}),
    Param("p", "zero padding p", "zero padding p", whole(0), default={2: (0, 1, 2, 3), 3: (0, 1, 2, 3)},
          difficulties=(2, 3), chosen={"en": "difficulty 1: the padding asked for, (f - 1)/2",
                                       "it": "difficoltà 1: il padding richiesto, (f - 1)/2"}),
    Param("N", "number of filters N_c", "numero di filtri N_c", whole(1),
          calculator=(6, 8, 12, 16, 20, 24, 32, 40, 48, 64, 80, 96, 128, 160, 192, 256),
          hand=(4, 6, 8, 10, 16, 20, 32)),
    ARITHMETIC,
)


def _small_strides(params: Params) -> list[int]:
    """The strides a kernel question may use: 1 and 2 (``validate`` refuses a bank that allows neither)."""
    return [s for s in params.allowed("s") if s <= 2]


def validate(overrides: Mapping[str, Any], difficulty: int) -> None:
    if difficulty > 1 and "s" in overrides and all(s > 2 for s in choices_of("s", overrides["s"])):
        raise ParamError("s", f"a kernel found from a size needs stride 1 or 2 (difficulty {difficulty})",
                         fix="allow s = 1 or 2, e.g. s: [1, 2, 3]")


def _conv(n: int, f: int, s: int, p: int, name: str) -> Conv:
    return Conv(n, (f, f), (s, s), p, name=name)


def _size(w: int, c: int, layer: Conv) -> int | None:
    """The engine's output size of the layer on W × W × C (None when the kernel does not fit)."""
    try:
        return count(Network(Input(w, w, c), (layer,), name=ID)).layers[0].output_shape.h
    except QuizgenError:
        return None


def _unique(w: int, c: int, layer: Conv, vary: str, o: int) -> bool:
    """No other stride (or odd kernel size) gives the same output size, and the division is whole.

    The size only shrinks as the stride or the kernel grows, so the neighbours are the only values to check."""
    f, s, p = layer.kernel[0], layer.stride[0], layer.padding
    assert isinstance(p, int)
    if (w - f + 2 * p) % s or o < 2:
        return False
    step = 1 if vary == "s" else 2  # kernels are odd (they have a centre)
    value = s if vary == "s" else f
    for other in (value - step, value + step):
        if other < 1:
            continue
        changed = _conv(layer.filters, other if vary == "f" else f, other if vary == "s" else s, p, layer.name)
        if _size(w, c, changed) == o:
            return False
    return True


def _ctx(w: int, layer: Conv, o: int, c: int, params: int) -> dict[str, Any]:
    p = layer.padding
    return {"W": w, "f": layer.kernel[0], "s": layer.stride[0], "p": p, "O": o, "C": c, "N_c": layer.filters,
            "params": params}


def generate(rng: random.Random, params: Params, difficulty: int, lang: str) -> Content:
    t = Text(ID, lang)
    builder = {1: _keep_and_filters, 2: _stride_and_kernel, 3: _from_counts}[difficulty]
    return redraw_relaxed(lambda: builder(t, lang, params))


def _content(t: Text, lang: str, stem: str, parts: list[Part], steps: list, network: Network,
             extra: tuple[Network, ...] = ()) -> Content:
    return Content(title=static(ID, lang, "title"), stem=stem, parts=tuple(parts), solution=tuple(steps),
                   network=network, extra_networks=extra, hint=static(ID, lang, "hint"), tags=("inverse",))


def _p_measure(w: int, f: int, s: int, network: int = 0) -> Measure:
    """p = ((O - 1) s - W + f)/2, with O the network's output size (the engine's or torch's)."""
    return div(diff(sum_of(mul(diff(At("out_h", "C1", network), 1), s), f), w), 2)


def _keep_and_filters(t: Text, lang: str, params: Params) -> Content | None:
    w, c, f, n = params.draw("W"), params.draw("C"), params.draw("f"), params.draw("N")
    if f % 2 == 0 or f == 1 or f > w:
        return None
    p = (f - 1) // 2
    layer = _conv(n, f, 1, p, "C1")
    network = Network(Input(w, w, c), (layer,), name=ID)
    lc = count(network).layers[0]
    o = lc.output_shape.h
    total = int(lc.parameters.value)
    pq = formulas.quantity(p, "inverse.p", "C1", O=o, s=1, W=w, f=f)
    nq = formulas.quantity(n, "inverse.N", "C1", P=total, f=f, C=c)
    ctx = _ctx(w, layer, o, c, total)
    parts = [numeric_part("p", static(ID, lang, "part_p"), pq, "inverse.p", ctx, lang, measure=_p_measure(w, f, 1)),
             numeric_part("N", static(ID, lang, "part_N"), nq, "inverse.N", ctx, lang,
                          measure=div(At("params", "C1"), f * f * c + 1))]
    if short(any(not part.distractors for part in parts)):
        return None
    steps = [step(t("step_keep"), pq, "p"), step(t("step_N"), nq, "N_c")]
    stem = t("stem", difficulty=1, W=w, C=c, f=f, P=total)
    return _content(t, lang, stem, parts, steps, network)


def _stride_and_kernel(t: Text, lang: str, params: Params) -> Content | None:
    w, c, n = params.draw("W"), params.draw("C"), params.draw("N")
    f1, s1, p1 = params.draw("f"), params.draw("s"), params.draw("p")
    f2, s2, p2 = params.draw("f"), params.draw("s", _small_strides(params)), params.draw("p")
    if f2 == 1 or f2 % 2 == 0 or (f1, s1, p1) == (f2, s2, p2):
        return None
    first, second = _conv(n, f1, s1, p1, "C1"), _conv(n, f2, s2, p2, "C1")
    o1, o2 = _size(w, c, first), _size(w, c, second)
    if o1 is None or o2 is None or not _unique(w, c, first, "s", o1) or not _unique(w, c, second, "f", o2):
        return None
    net1, net2 = Network(Input(w, w, c), (first,), name=ID), Network(Input(w, w, c), (second,), name=ID + "-f")
    sq = formulas.quantity(s1, "inverse.s", "C1", W=w, f=f1, p=p1, O=o1)
    fq = formulas.quantity(f2, "inverse.f", "C1", W=w, p=p2, O=o2, s=s2)
    # a wrong stride is rarely a whole number: the stride part may have no distractor that prints apart
    parts = [numeric_part("s", static(ID, lang, "part_s"), sq, "inverse.s", _ctx(w, first, o1, c, 0), lang,
                          measure=div(diff(sum_of(w, 2 * p1), f1), diff(At("out_h", "C1"), 1))),
             numeric_part("f", static(ID, lang, "part_f"), fq, "inverse.f", _ctx(w, second, o2, c, 0), lang,
                          measure=diff(w + 2 * p2, mul(diff(At("out_h", "C1", 1), 1), s2)),
                          defining=("inverse-forgot-stride",))]
    if short(not parts[1].distractors):
        return None
    steps = [step(t("step_s"), sq, "s"), step(t("step_f"), fq, "f")]
    stem = t("stem", difficulty=2, W=w, C=c, f1=f1, p1=p1, O1=o1, s2=s2, p2=p2, O2=o2)
    return _content(t, lang, stem, parts, steps, net1, (net2,))


def _from_counts(t: Text, lang: str, params: Params) -> Content | None:
    w, c, n = params.draw("W"), params.draw("C"), params.draw("N")
    f, s, p = params.draw("f"), params.draw("s", _small_strides(params)), params.draw("p")
    if f == 1 or f % 2 == 0 or 2 * p >= f:
        return None
    layer = _conv(n, f, s, p, "C1")
    o = _size(w, c, layer)
    if o is None or not _unique(w, c, layer, "f", o):
        return None
    network = Network(Input(w, w, c), (layer,), name=ID)
    lc = count(network).layers[0]
    total = int(lc.parameters.value)
    fq = formulas.quantity(f, "inverse.f", "C1", W=w, p=p, O=o, s=s)
    nq = formulas.quantity(n, "inverse.N", "C1", P=total, f=f, C=c)
    ctx = _ctx(w, layer, o, c, total)
    parts = [numeric_part("f", static(ID, lang, "part_f"), fq, "inverse.f", ctx, lang,
                          measure=diff(w + 2 * p, mul(diff(At("out_h", "C1"), 1), s)),
                          defining=("inverse-forgot-stride",)),
             numeric_part("N", static(ID, lang, "part_N"), nq, "inverse.N", ctx, lang,
                          measure=div(At("params", "C1"), f * f * c + 1))]
    if short(any(not part.distractors for part in parts)):
        return None
    steps = [step(t("step_f"), fq, "f"), step(t("step_N_after_f"), nq, "N_c")]
    stem = t("stem", difficulty=3, W=w, C=c, O=o, s=s, p=p, P=total)
    return _content(t, lang, stem, parts, steps, network)


FAMILY = Family(
    id=ID,
    summary={"en": "inverse problems: the padding that keeps the size (SAME), the stride or kernel that gives a size, "
                   "the number of filters from a parameter count",
             "it": "problemi inversi: il padding che mantiene la dimensione (SAME), lo stride o il kernel che danno "
                   "una dimensione, il numero di filtri dai parametri"},
    generate=generate,
    parameters=PARAMETERS,
    validate=validate,
    tags=("inverse",),
)
