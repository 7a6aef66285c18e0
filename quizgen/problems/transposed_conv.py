"""Transposed convolutions (U-Net's up-convolutions, DCGAN's generator): output size and parameters.

A transposed convolution of N filters of f × f, stride s, padding p and output padding p_o on W × W × C maps gives
O = (W − 1) s − 2p + f + p_o (PyTorch's ``ConvTranspose2d``) and has f² × C × N + N parameters, as a convolution.

Difficulty 1: one transposed convolution (U-Net's 2 × 2 up-convolution of stride 2, or a 4 × 4 or 3 × 3 one with
padding 1): the output size and the parameters.
Difficulty 2: a decoder of two transposed convolutions of stride 2 (as in DCGAN's generator): the size after each and
the parameters of the second (a 2 × 2 or 4 × 4 kernel doubles the size, a 3 × 3 one with padding 1 gives one less).
Difficulty 3: an encoder-decoder pair: a convolution of stride 2 halves W, and a transposed convolution with the same
kernel, stride and padding must give W back: the size after the convolution, the size the transposed convolution
gives without output padding, the output padding p_o that restores W (0 where the pair already gives W back, as U-Net's
2 × 2 on an even W; 1 where the convolution's floor dropped a row), and the parameters of the transposed
convolution.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from quizgen.errors import QuizgenError
from quizgen.nets import formulas
from quizgen.nets.engine import LayerCount, count
from quizgen.nets.layers import Conv, Deconv, Input, Network
from quizgen.problems import Family
from quizgen.problems.common import Text, numeric_part, step
from quizgen.problems.layerkit import maps_text, redraw_relaxed, short, static
from quizgen.problems.measures import At, diff
from quizgen.problems.model import Content, Part, Step
from quizgen.problems.params import ARITHMETIC, Param, Parameters, Params, one_of, whole

ID = "transposed-conv"

formulas.register("deconv.output_padding", "W - ((O - 1)*s - 2*p + f)",
                  r"[W] - \left( ([O] - 1) \times [s] - 2 \times [p] + [f] \right)")

# (f, p) of the transposed convolutions of stride 2 in use: U-Net's 2 × 2, DCGAN's 4 × 4 with padding 1, and the
# 3 × 3 with padding 1 that needs an output padding to double the size
KERNELS = {2: 0, 3: 1, 4: 1}

PARAMETERS = Parameters(
    Param("W", "height and width of the input maps (difficulty 3: of the encoder's input)",
          "altezza e larghezza delle feature map in input (difficoltà 3: dell'input dell'encoder)", whole(2),
          calculator={1: (7, 13, 14, 28, 30, 52, 56), 2: tuple(range(4, 33)), 3: tuple(range(8, 129))},
          hand={1: (4, 7, 8, 14, 16, 28), 2: tuple(range(4, 17)), 3: tuple(range(7, 33))}),
    # difficulty 3: more depths, as the answers there (the sizes, an output padding of 0 or 1, the parameters)
    # leave two versions only the parameters f² × C × C + C to tell them apart
    Param("C", "depth C of the input maps", "profondità C delle feature map in input", whole(1),
          calculator={1: (64, 128, 256, 512, 1024), 2: (64, 128, 256, 512, 1024),
                      3: (16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512)},
          hand={1: (16, 32, 64, 128), 2: (16, 32, 64, 128), 3: (8, 16, 24, 32, 48, 64, 96, 128)}),
    Param("f", "kernel size f of the transposed convolution (2 with padding 0; 3 or 4 with padding 1)",
          "dimensione f del kernel della convoluzione trasposta (2 con padding 0; 3 o 4 con padding 1)",
          one_of(2, 3, 4), default=(2, 3, 4)),
    ARITHMETIC,
)


def space_of(overrides: Mapping[str, Any], difficulty: int) -> int | None:
    """Distinct draws: W, C and f (the filters follow C); at difficulty 3 the pairs with W larger than f."""
    a = PARAMETERS.allowed(overrides, difficulty)
    if difficulty < 3:
        return len(a["W"]) * len(a["C"]) * len(a["f"])
    return len(a["C"]) * sum(1 for w in a["W"] for f in a["f"] if w > f)


def validate(overrides: Mapping[str, Any], difficulty: int) -> None:
    """Difficulty 3 needs a W larger than the kernel, for the convolution to halve it."""
    if difficulty == 3 and space_of(overrides, difficulty) == 0:
        raise QuizgenError("the convolution of stride 2 needs a W larger than the kernel f", where="parameters",
                           fix="use a W larger than f (W of 5 or more works with every f)")


def generate(rng: random.Random, params: Params, difficulty: int, lang: str) -> Content:
    t = Text(ID, lang)

    def make() -> Content | None:
        w, c, f = params.draw("W"), params.draw("C"), params.draw("f")
        return {1: _one, 2: _decoder, 3: _pair}[difficulty](t, lang, w, c, f)

    return redraw_relaxed(make)


def _size_context(lc: LayerCount) -> dict[str, Any]:
    layer = lc.layer
    assert isinstance(layer, Deconv)
    return {"W": lc.input_shape.h, "f": layer.kernel[0], "s": layer.stride[0],  # type: ignore[union-attr]
            "p": layer.padding, "padding": None, "n": layer.output_padding[0]}


def _params_context(lc: LayerCount) -> dict[str, Any]:
    layer = lc.layer
    return {"f": layer.kernel[0], "C": lc.input_shape.d, "N_c": layer.filters,  # type: ignore[union-attr]
            "weights": int(lc.weights.value), "biases": int(lc.biases.value), "params": int(lc.parameters.value)}


def _size_part(t: Text, lang: str, lc: LayerCount, key: str, network: int = 0) -> Part:
    assert lc.out_h is not None
    return numeric_part(key, t("part_size", name=lc.label), lc.out_h.size, "deconv.size", _size_context(lc), lang,
                        measure=At("out_h", lc.label, network), defining=("deconv-conv-formula",))


def _params_part(t: Text, lang: str, lc: LayerCount) -> Part:
    return numeric_part(f"params-{lc.label}", t("part_params", name=lc.label), lc.parameters, "conv.params",
                        _params_context(lc), lang, measure=At("params", lc.label))


def _deconv(n: int, f: int, name: str, output_padding: int = 0) -> Deconv:
    return Deconv(n, (f, f), (2, 2), KERNELS[f], (output_padding, output_padding), name=name)


def _content(lang: str, stem: str, parts: list[Part], steps: list[Step], network: Network,
             extra: tuple[Network, ...] = ()) -> Content:
    return Content(title=static(ID, lang, "title"), stem=stem, parts=tuple(parts), solution=tuple(steps),
                   network=network, extra_networks=extra, hint=static(ID, lang, "hint"),
                   tags=("output size", "parameters", "transposed conv"))


def _one(t: Text, lang: str, w: int, c: int, f: int) -> Content | None:
    network = Network(Input(w, w, c), (_deconv(c // 2, f, "U1"),), name=ID)
    lc = count(network).layers[0]
    parts = [_size_part(t, lang, lc, "size"), _params_part(t, lang, lc)]
    if short(any(len(p.distractors) < 2 for p in parts)):
        return None
    steps = [step(t("step_size", name="U1"), lc.out_h.size, "O"),  # type: ignore[union-attr]
             step(t("step_params", name="U1"), lc.parameters, r"P_{U1}")]
    stem = t("stem", difficulty=1, maps=maps_text(w, w, c, lang), N=c // 2, f=f, p=KERNELS[f])
    return _content(lang, stem, parts, steps, network)


def _decoder(t: Text, lang: str, w: int, c: int, f: int) -> Content | None:
    network = Network(Input(w, w, c), (_deconv(c // 2, f, "U1"), _deconv(c // 4, f, "U2")), name=ID)
    first, second = count(network).layers
    parts = [_size_part(t, lang, first, "size-U1"), _size_part(t, lang, second, "size-U2"),
             _params_part(t, lang, second)]
    if short(any(len(p.distractors) < 2 for p in parts)):
        return None
    steps = [step(t("step_size", name="U1"), first.out_h.size, r"O_{U1}"),  # type: ignore[union-attr]
             step(t("step_size", name="U2"), second.out_h.size, r"O_{U2}"),  # type: ignore[union-attr]
             step(t("step_params", name="U2"), second.parameters, r"P_{U2}")]
    stem = t("stem", difficulty=2, maps=maps_text(w, w, c, lang), N1=c // 2, N2=c // 4, f=f, p=KERNELS[f])
    return _content(lang, stem, parts, steps, network)


def _pair(t: Text, lang: str, w: int, c: int, f: int) -> Content | None:
    p = KERNELS[f]
    if w <= f:
        return None
    conv = Conv(c, (f, f), (2, 2), p, name="C1")
    plain = Network(Input(w, w, c), (conv, _deconv(c, f, "U1")), name=ID + "-plain",
                    title=static(ID, lang, "diagram_plain"))
    first, up = count(plain).layers
    assert first.out_h is not None and up.out_h is not None
    o, back = int(first.out_h.size.value), int(up.out_h.size.value)
    needed = w - back
    assert 0 <= needed < 2  # the floor of the convolution drops less than one stride
    network = Network(Input(w, w, c), (conv, _deconv(c, f, "U1", needed)), name=ID,
                      title=static(ID, lang, "diagram_restored"))
    restored = count(network).layers[1]
    padding = formulas.quantity(needed, "deconv.output_padding", ID, W=w, O=o, s=2, p=p, f=f)
    ctx = {"W": w, "O": o, "f": f, "s": 2, "p": p, "n": needed}
    conv_ctx = {"W": w, "f": f, "s": 2, "p": p, "padding": None}
    parts = [numeric_part("size-C1", t("part_size", name="C1"), first.out_h.size, "size", conv_ctx, lang,
                          measure=At("out_h", "C1")),
             _size_part(t, lang, up, "size-U1", 1),
             numeric_part("output-padding", t("part_output_padding"), padding, "deconv.output_padding", ctx, lang,
                          measure=diff(At("out_h", "U1"), At("out_h", "U1", 1))),
             _params_part(t, lang, restored)]
    if short(any(len(p.distractors) < (1 if p.key == "output-padding" else 2) for p in parts)):
        return None
    steps = [step(t("step_conv_size"), first.out_h.size, r"O_{C1}"),
             step(t("step_size", name="U1"), up.out_h.size, r"O_{U1}"),
             step(t("step_output_padding"), padding, "p_o"),
             step(t("step_params", name="U1"), restored.parameters, r"P_{U1}")]
    stem = t("stem", difficulty=3, maps=maps_text(w, w, c, lang), N=c, f=f, p=p)
    return _content(lang, stem, parts, steps, network, (plain,))


FAMILY = Family(
    id=ID,
    summary={"en": "transposed convolutions (U-Net's up-convolutions): output size O = (W − 1)s − 2p + f + p_o, "
                   "parameters, the output padding that restores a size",
             "it": "convoluzioni trasposte (le up-convolution di U-Net): dimensione dell'output "
                   "O = (W − 1)s − 2p + f + p_o, parametri, l'output padding che ripristina una dimensione"},
    generate=generate,
    parameters=PARAMETERS,
    validate=validate,
    space=space_of,
    tags=("output size", "parameters"),
)
