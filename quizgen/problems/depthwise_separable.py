"""Depthwise separable convolutions (MobileNet) against a standard convolution: parameters, MACs, the share kept.

The separable design S replaces a standard ``k × k`` convolution D of ``N`` filters on ``H × W × C`` maps by a
depthwise ``k × k`` convolution (one ``k × k`` filter per input map: a grouped convolution with ``g = C``) and a
pointwise ``1 × 1`` convolution of ``N`` filters.

Difficulty 1: the parameters of the depthwise layer, of the pointwise layer and of D; S's parameters as a percentage
of D's.
Difficulty 2: the same for the MACs (multiply-accumulates, bias additions excluded), with a stride of 1 or 2, so the
output size counts.
Difficulty 3: MobileNet's block (depthwise, BN, ReLU, pointwise, BN, ReLU; convolutions without bias) against a
standard convolution with BN: the parameters of the block, the MACs of both designs and the share of MACs S keeps,
which is 1/N + 1/k² (Howard et al. 2017).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from quizgen.errors import QuizgenError
from quizgen.nets import formulas
from quizgen.nets.engine import LayerCount, count
from quizgen.nets.layers import Activation, BatchNorm, Conv, FeatureMaps, Input, Network
from quizgen.problems import Family
from quizgen.problems.common import Text, numeric_part, step
from quizgen.problems.layerkit import conventions, maps_text, redraw_relaxed, short, static
from quizgen.problems.measures import At, Total, percent
from quizgen.problems.model import Content, Part, Step
from quizgen.problems.params import ARITHMETIC, Param, Parameters, Params, one_of, whole
from quizgen.problems.totals import total, total_step

ID = "depthwise-separable"

formulas.register("separable.share", "100*(A + B)/D", r"100 \times \frac{[A] + [B]}{[D]}")

PARAMETERS = Parameters(
    Param("H", "height and width of the input maps", "altezza e larghezza delle feature map in input", whole(1),
          calculator=(7, 14, 28, 56, 112), hand=(8, 14, 16, 28, 32)),
    # MobileNet's layers keep or widen the depth (N from C to 4C); a depthwise layer spans few maps next to the
    # standard convolution it replaces, so C stays below 100 (its defining mistake, f² C × C, stays plausible)
    Param("C", "depth C of the input maps (the depthwise layer's filters; more than 1)",
          "profondità C delle feature map in input (i filtri del layer depthwise; più di 1)", whole(2),
          calculator=(16, 24, 32, 48, 64, 96), hand=(16, 20, 32, 50, 64)),
    Param("N", "filters N of the standard and of the 1×1 convolution, from C to 4C",
          "filtri N della convoluzione standard e di quella 1×1, da C a 4C", whole(1),
          calculator=(24, 32, 48, 64, 96, 128, 144, 192, 256), hand=(32, 50, 64, 100, 128, 200, 256)),
    Param("k", "kernel size k of the standard and of the depthwise convolution (more than 1)",
          "dimensione k del kernel della convoluzione standard e di quella depthwise (più di 1)", whole(2),
          default=(3, 5)),
    Param("s", "stride of the standard and of the depthwise convolution", "stride della convoluzione standard e di "
          "quella depthwise", one_of(1, 2), default=(1, 2), difficulties=(2, 3)),
    ARITHMETIC,
)



def _pair_fits(c: int, n: int) -> bool:
    return c <= n <= 4 * c


def space_of(overrides: Mapping[str, Any], difficulty: int) -> int | None:
    """Distinct draws: H, C, N (from C to 4C) and k, and s at difficulty 2-3."""
    a = PARAMETERS.allowed(overrides, difficulty)
    pairs = sum(1 for c in a["C"] for n in a["N"] if _pair_fits(c, n))
    draws = pairs * len(a["H"]) * len(a["k"])
    return draws * (len(a["s"]) if difficulty > 1 else 1)


def validate(overrides: Mapping[str, Any], difficulty: int) -> None:
    """No N from C to 4C gives no MobileNet layer."""
    if space_of(overrides, difficulty) == 0:
        raise QuizgenError("no number of filters N is between the depth C and 4C", where="parameters",
                           fix="MobileNet's 1×1 layers keep or widen the depth: choose C <= N <= 4C")


def _networks(h: int, c: int, n: int, k: int, s: int, mobilenet: bool, lang: str) -> tuple[Network, Network]:
    """D (the standard convolution) and S (depthwise then pointwise); MobileNet's: no biases, BN and ReLU after each."""
    bias = not mobilenet
    after = (BatchNorm(), Activation("relu")) if mobilenet else ()
    standard = Network(Input(h, h, c), (Conv(n, (k, k), (s, s), "same", bias=bias, name="D"), *after),
                       name=ID + "-standard", title=static(ID, lang, "diagram_standard"))
    separable = Network(Input(h, h, c), (Conv(c, (k, k), (s, s), "same", groups=c, bias=bias, name="DW"), *after,
                                         Conv(n, (1, 1), (1, 1), 0, bias=bias, name="PW"), *after),
                        name=ID + "-separable", title=static(ID, lang, "diagram_separable"))
    return standard, separable


def _context(lc: LayerCount, answer: int | None = None) -> dict[str, Any]:
    layer = lc.layer
    assert isinstance(layer, Conv) and isinstance(lc.input_shape, FeatureMaps)
    assert isinstance(lc.output_shape, FeatureMaps)
    return {"f": layer.kernel[0], "C": lc.input_shape.d, "N_c": layer.filters, "g": layer.groups,
            "W": lc.input_shape.h, "O": lc.output_shape.h, "s": layer.stride[0], "answer": answer,
            "weights": int(lc.weights.value), "biases": int(lc.biases.value), "params": int(lc.parameters.value)}


def _share_part(t: Text, lang: str, key: str, what: str, a: int, b: int, d: int, measure: Any) -> tuple[Part, Step]:
    """S as a percentage of D: 100 (A + B) / D, A the depthwise layer's count and B the pointwise layer's."""
    share = formulas.quantity(Fraction(100 * (a + b), d), "separable.share", ID, A=a, B=b, D=d)
    ctx = {"D": d, "B": a + b, "R": a}
    part = numeric_part(key, t("part_share", what=what), share, "separable.share", ctx, lang, unit="%",
                        decimals=2, measure=measure,
                        defining=("separable-share-inverted",))
    return part, step(t("step_share", what=what), share, r"100 \times S / D", lang)


def generate(rng: random.Random, params: Params, difficulty: int, lang: str) -> Content:
    t = Text(ID, lang)

    def make() -> Content | None:
        h, c, n, k = params.draw("H"), params.draw("C"), params.draw("N"), params.draw("k")
        s = params.draw("s") if difficulty > 1 else 1
        if not _pair_fits(c, n):
            return None
        return {1: _parameters, 2: _macs, 3: _mobilenet}[difficulty](t, lang, h, c, n, k, s)

    return redraw_relaxed(make)


def _content(t: Text, lang: str, parts: list[Part], steps: list[Step], networks: tuple[Network, Network],
             **stem: Any) -> Content:
    return Content(title=static(ID, lang, "title"), stem=t("stem", conventions=conventions(["same"], lang), **stem),
                   parts=tuple(parts), solution=tuple(steps), network=networks[0], extra_networks=networks[1:],
                   hint=static(ID, lang, "hint"), tags=("parameters", "macs", "depthwise separable"))


def _parameters(t: Text, lang: str, h: int, c: int, n: int, k: int, s: int) -> Content | None:
    networks = _networks(h, c, n, k, s, False, lang)
    standard = count(networks[0]).layers[0]
    dw, pw = count(networks[1]).layers
    wrong = (("forgot-biases", k * k * c), ("f-not-squared", k * c + c), ("bias-per-weight", 2 * k * k * c))
    parts = [numeric_part("depthwise", t("part_params", layer="DW"), dw.parameters, "depthwise.params",
                          {**_context(dw), "n": n}, lang, extra=wrong, measure=At("params", "DW", 1),
                          defining=("depthwise-full-depth",)),
             numeric_part("pointwise", t("part_params", layer="PW"), pw.parameters, "conv.params", _context(pw),
                          lang, measure=At("params", "PW", 1)),
             numeric_part("standard", t("part_params", layer="D"), standard.parameters, "conv.params",
                          _context(standard), lang, measure=At("params", "D"))]
    a, b, dd = int(dw.parameters.value), int(pw.parameters.value), int(standard.parameters.value)
    share, share_step = _share_part(t, lang, "share", "params", a, b, dd,
                                    percent(Total("params", 1), Total("params")))
    parts.append(share)
    if short(any(len(p.distractors) < 2 for p in parts)):
        return None
    steps = [step(t("step_depthwise"), dw.parameters, r"P_{DW}"), step(t("step_pointwise"), pw.parameters, r"P_{PW}"),
             step(t("step_standard"), standard.parameters, r"P_D"), share_step]
    return _content(t, lang, parts, steps, networks, difficulty=1, maps=maps_text(h, h, c, lang), C=c, N=n, k=k, s=s)


def _macs_part(t: Text, lang: str, key: str, layer: str, lc: LayerCount, network: int) -> Part:
    """A layer's MACs, with the catalogue's mistakes for MACs; the depthwise layer's also counted on every map."""
    assert lc.macs is not None
    answer = int(lc.macs.value)
    ctx = {**_context(lc, answer), "W_in": lc.input_shape.h, "padding": lc.layer.padding}  # type: ignore
    extra = [("flops-for-macs", 2 * answer)]
    if layer == "DW":
        extra.append(("depthwise-full-depth", ctx["f"] ** 2 * ctx["C"] ** 2 * ctx["O"] ** 2))
    return numeric_part(key, t("part_macs", layer=layer), lc.macs, "macs", ctx, lang, extra=tuple(extra),
                        measure=At("macs", layer, network),
                        defining=("depthwise-full-depth",) if layer == "DW" else ())


def _macs(t: Text, lang: str, h: int, c: int, n: int, k: int, s: int) -> Content | None:
    networks = _networks(h, c, n, k, s, False, lang)
    standard = count(networks[0]).layers[0]
    dw, pw = count(networks[1]).layers
    parts = [_macs_part(t, lang, "depthwise", "DW", dw, 1), _macs_part(t, lang, "pointwise", "PW", pw, 1),
             _macs_part(t, lang, "standard", "D", standard, 0)]
    a, b, dd = (int(x.macs.value) for x in (dw, pw, standard))  # type: ignore[union-attr]
    share, share_step = _share_part(t, lang, "share", "macs", a, b, dd, percent(Total("macs", 1), Total("macs")))
    parts.append(share)
    if short(any(len(p.distractors) < 2 for p in parts)):
        return None
    steps = [step(t("step_size", s=s), dw.out_h.size, "O") if dw.out_h is not None else None,
             step(t("step_macs_depthwise"), dw.macs, r"M_{DW}"), step(t("step_macs_pointwise"), pw.macs, r"M_{PW}"),
             step(t("step_macs_standard"), standard.macs, r"M_D"), share_step]
    return _content(t, lang, parts, [x for x in steps if x is not None], networks, difficulty=2,
                    maps=maps_text(h, h, c, lang), C=c, N=n, k=k, s=s)


def _mobilenet(t: Text, lang: str, h: int, c: int, n: int, k: int, s: int) -> Content | None:
    networks = _networks(h, c, n, k, s, True, lang)
    standard = count(networks[0])
    block = count(networks[1])
    dw, _, _, pw, _, _ = block.layers
    bn_dw, bn_pw = block.layers[1], block.layers[4]
    rows = [dw, bn_dw, pw, bn_pw]
    params = total([int(x.parameters.value) for x in rows], ID)
    conv_weights = int(dw.weights.value) + int(pw.weights.value)
    bn = int(bn_dw.parameters.value) + int(bn_pw.parameters.value)
    ctx = {"params": int(params.value), "weights": conv_weights, "biases": bn, "C": c, "N_c": n, "n": c + n}
    parts = [numeric_part("params", t("part_block_params"), params, "separable.params", ctx, lang,
                          measure=Total("params", 1))]
    d = standard.layers[0]
    parts.append(_macs_part(t, lang, "standard", "D", d, 0))
    macs = total([int(dw.macs.value), int(pw.macs.value)], ID)  # type: ignore[union-attr]
    macs_ctx = {**_context(dw, int(macs.value)), "N_c": n, "weights": conv_weights, "W_in": h, "padding": "same"}
    wrong = (("macs-input-positions", conv_weights * h * h),) if s > 1 else ()
    parts.append(numeric_part("macs", t("part_block_macs"), macs, "separable.macs", macs_ctx, lang, extra=wrong,
                              measure=Total("macs", 1), defining=("depthwise-full-depth",)))
    a, b, dd = int(dw.macs.value), int(pw.macs.value), int(d.macs.value)  # type: ignore[union-attr]
    share, share_step = _share_part(t, lang, "share", "macs", a, b, dd, percent(Total("macs", 1), Total("macs")))
    parts.append(share)
    if short(any(len(p.distractors) < 2 for p in parts)):
        return None
    steps = [step(t("step_depthwise_bn"), dw.parameters, r"P_{DW}"), step(t("step_bn"), bn_dw.parameters, r"P_{BN_1}"),
             step(t("step_pointwise_bn"), pw.parameters, r"P_{PW}"), step(t("step_bn"), bn_pw.parameters, r"P_{BN_2}"),
             total_step(t("step_block_params"), params, "P_S", ["P_{DW}", "P_{BN_1}", "P_{PW}", "P_{BN_2}"]),
             step(t("step_size", s=s), dw.out_h.size, "O") if dw.out_h is not None else None,
             step(t("step_macs_standard"), d.macs, r"M_D"),
             total_step(t("step_block_macs"), macs, "M_S", ["M_{DW}", "M_{PW}"]), share_step]
    return _content(t, lang, parts, [x for x in steps if x is not None], networks, difficulty=3,
                    maps=maps_text(h, h, c, lang), C=c, N=n, k=k, s=s)


FAMILY = Family(
    id=ID,
    summary={"en": "depthwise separable convolutions (MobileNet) against a standard convolution: parameters, MACs, "
                   "the share they keep",
             "it": "convoluzioni depthwise separable (MobileNet) a confronto con una convoluzione standard: parametri, "
                   "MAC, la quota che ne resta"},
    generate=generate,
    parameters=PARAMETERS,
    validate=validate,
    space=space_of,
    tags=("parameters", "macs"),
)
