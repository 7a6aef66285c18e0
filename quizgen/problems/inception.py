"""Inception modules (GoogLeNet): parameters with and without the 1×1 reductions, and the output depth.

The module (Szegedy et al. 2015, figure 2b) runs four branches on the same H × W × C maps and concatenates their
outputs along the depth: a 1×1 convolution of n1 filters; a 1×1 reduction to r3 maps, then a 3×3 convolution of n3
filters; a 1×1 reduction to r5 maps, then a 5×5 convolution of n5 filters; a 3×3 max pooling of stride 1, then a
1×1 projection of pp filters. Every convolution keeps H × W (stride 1, SAME-like padding) and has biases. The naive
module (figure 2a) has no reductions and no projection: the pooling branch passes its C maps on.

Difficulty 1: the module's output depth, and the parameters of its 3×3 branch (reduction and convolution).
Difficulty 2: the parameters of the module and of the naive module, and the naive module's output depth.
Difficulty 3: both modules' parameters and the percentage the reductions save, with GoogLeNet's own modules.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from quizgen.nets import formulas
from quizgen.nets.engine import LayerCount, NetworkCount, count
from quizgen.nets.layers import Concat, Conv, Input, Network, Pool
from quizgen.problems import Family
from quizgen.problems.common import Text, numeric_part, step
from quizgen.problems.layerkit import maps_text, redraw_relaxed, short, static
from quizgen.problems.measures import At, Total, diff, percent
from quizgen.problems.model import Content, Part, Step
from quizgen.problems.params import ARITHMETIC, Param, Parameters, Params, one_of
from quizgen.problems.totals import total, total_step

ID = "inception"

formulas.register("inception.percent", "100*(D - B)/D", r"100 \times \frac{[D] - [B]}{[D]}")

# GoogLeNet's modules (Szegedy et al. 2015, table 1): H, C, then #1×1, #3×3 reduce, #3×3, #5×5 reduce, #5×5, pool proj
GOOGLENET = {
    "3a": (28, 192, 64, 96, 128, 16, 32, 32),
    "3b": (28, 256, 128, 128, 192, 32, 96, 64),
    "4a": (14, 480, 192, 96, 208, 16, 48, 64),
    "4b": (14, 512, 160, 112, 224, 24, 64, 64),
    "4c": (14, 512, 128, 128, 256, 24, 64, 64),
    "4d": (14, 512, 112, 144, 288, 32, 64, 64),
    "4e": (14, 528, 256, 160, 320, 32, 128, 128),
    "5a": (7, 832, 256, 160, 320, 32, 128, 128),
    "5b": (7, 832, 384, 192, 384, 48, 128, 128),
}
HAND = {  # round numbers in the same proportions, for an exam without a calculator
    "a": (8, 64, 16, 32, 32, 8, 16, 16),
    "b": (8, 100, 20, 40, 50, 10, 20, 10),
    "c": (16, 128, 32, 64, 64, 16, 32, 32),
    "d": (14, 64, 32, 16, 32, 8, 16, 16),
    "e": (16, 256, 64, 64, 128, 32, 64, 32),
    "f": (7, 200, 50, 100, 100, 20, 40, 50),
    "g": (8, 32, 8, 16, 16, 4, 8, 8),
    "h": (14, 128, 32, 32, 64, 16, 32, 32),
    "i": (7, 256, 64, 96, 128, 16, 32, 32),
    "j": (8, 160, 40, 80, 80, 20, 40, 40),
    "k": (16, 96, 32, 48, 64, 16, 32, 16),
    "l": (28, 192, 64, 64, 128, 16, 32, 32),
}

PARAMETERS = Parameters(
    Param("module", "GoogLeNet's module (3a to 5b), or a module in round numbers (a to l; the only ones drawn with "
          "arithmetic: hand)", "il modulo di GoogLeNet (da 3a a 5b), o un modulo in numeri tondi (da a a l; i soli "
          "estratti con arithmetic: hand)", one_of(*GOOGLENET, *HAND), calculator=(*GOOGLENET, *HAND),
          hand=tuple(HAND)),
    ARITHMETIC,
)


def space_of(overrides: Mapping[str, Any], difficulty: int) -> int | None:
    """One variant per module."""
    return len(PARAMETERS.allowed(overrides, difficulty)["module"])


def _networks(numbers: tuple[int, ...], lang: str) -> tuple[Network, Network]:
    h, c, n1, r3, n3, r5, n5, pp = numbers
    module = Concat(((Conv(n1, (1, 1), name="b1"),),
                     (Conv(r3, (1, 1), name="r3"), Conv(n3, (3, 3), padding=1, name="b3")),
                     (Conv(r5, (1, 1), name="r5"), Conv(n5, (5, 5), padding=2, name="b5")),
                     (Pool("max", (3, 3), (1, 1), 1, name="pool"), Conv(pp, (1, 1), name="pp"))), name="M")
    naive = Concat(((Conv(n1, (1, 1), name="b1"),), (Conv(n3, (3, 3), padding=1, name="b3"),),
                    (Conv(n5, (5, 5), padding=2, name="b5"),), (Pool("max", (3, 3), (1, 1), 1, name="pool"),)),
                   name="M")
    return (Network(Input(h, h, c), (module,), name=ID, title=static(ID, lang, "diagram_module")),
            Network(Input(h, h, c), (naive,), name=ID + "-naive", title=static(ID, lang, "diagram_naive")))


def _convs(counted: NetworkCount) -> list[LayerCount]:
    return [lc for lc in counted.layers if isinstance(lc.layer, Conv)]


def generate(rng: random.Random, params: Params, difficulty: int, lang: str) -> Content:
    t = Text(ID, lang)

    def make() -> Content | None:
        name = params.draw("module")
        numbers = GOOGLENET.get(name) or HAND[name]
        return {1: _depth, 2: _both, 3: _saving}[difficulty](t, lang, name, numbers)

    return redraw_relaxed(make)


def _depth_part(t: Text, lang: str, counted: NetworkCount, numbers: tuple[int, ...], naive: bool) -> Part:
    h, c, n1, r3, n3, r5, n5, pp = numbers
    depth = total([n1, n3, n5, c if naive else pp], ID)
    ctx = {"C": c, "R": r3 + r5, "D": c if naive else pp, "N_c": int(depth.value), "expand": naive, "n": pp}
    return numeric_part("depth-naive" if naive else "depth", t("part_depth", naive=naive), depth, "concat.depth", ctx,
                        lang, measure=At("out_d", "M", 1 if naive else 0))


def _total_part(t: Text, lang: str, counted: NetworkCount, numbers: tuple[int, ...], naive: bool,
                network: int) -> tuple[Part, Step]:
    c = numbers[1]
    convs = _convs(counted)
    quantity = total([int(lc.parameters.value) for lc in convs], ID)
    reductions = sum(int(lc.parameters.value) for lc in convs if lc.layer.name in ("r3", "r5"))  # type: ignore
    biases = sum(int(lc.biases.value) for lc in convs)
    ctx = {"params": int(quantity.value), "biases": biases, "R": reductions or None, "C": c,
           "expand": naive}
    weights = int(quantity.value) - biases
    extra = [("forgot-biases", weights)]
    if naive:  # the pooling branch given the module's 1×1 projection
        pp = numbers[-1]
        extra.append(("naive-pool-projection", int(quantity.value) + c * pp + pp))
    else:  # the 3×3 and 5×5 convolutions counted on all C maps, as if there were no reductions
        wide = sum(lc.layer.kernel[0] ** 2 * c * lc.layer.filters for lc in convs  # type: ignore[union-attr]
                   if lc.layer.name in ("b3", "b5")) - sum(int(lc.weights.value) for lc in convs
                                                           if lc.layer.name in ("b3", "b5"))
        extra.append(("inception-reductions-ignored", int(quantity.value) + wide))
    part = numeric_part("naive" if naive else "module", t("part_params", naive=naive), quantity, "inception.params",
                        ctx, lang, extra=tuple(extra), measure=Total("params", network))
    terms = ["P_{" + lc.layer.name + "}" for lc in convs]  # type: ignore[union-attr]
    return part, total_step(t("step_total", naive=naive), quantity, "P_N" if naive else "P_M", terms, lang)


def _layer_steps(t: Text, counted: NetworkCount) -> list[Step]:
    return [step(t("step_conv", name=lc.layer.name), lc.parameters, "P_{" + lc.layer.name + "}")  # type: ignore
            for lc in _convs(counted)]


def _stem(t: Text, lang: str, name: str, numbers: tuple[int, ...], difficulty: int) -> str:
    h, c, n1, r3, n3, r5, n5, pp = numbers
    return t("stem", difficulty=difficulty, googlenet=name in GOOGLENET, name=name, maps=maps_text(h, h, c, lang),
             C=c, n1=n1, r3=r3, n3=n3, r5=r5, n5=n5, pp=pp)


def _content(lang: str, stem: str, parts: list[Part], steps: list[Step], networks: tuple[Network, ...]) -> Content:
    return Content(title=static(ID, lang, "title"), stem=stem, parts=tuple(parts), solution=tuple(steps),
                   network=networks[0], extra_networks=networks[1:], hint=static(ID, lang, "hint"),
                   tags=("parameters", "inception"))


def _depth(t: Text, lang: str, name: str, numbers: tuple[int, ...]) -> Content | None:
    module, naive = _networks(numbers, lang)
    counted = count(module)
    h, c, n1, r3, n3, r5, n5, pp = numbers
    depth = _depth_part(t, lang, counted, numbers, False)
    reduce3, conv3 = (counted.layer("M.2.r3"), counted.layer("M.2.b3"))
    branch = total([int(reduce3.parameters.value), int(conv3.parameters.value)], ID)
    ctx = {"params": int(branch.value), "biases": r3 + n3, "R": int(reduce3.parameters.value), "C": c,
           "expand": False}
    wide = 9 * c * n3 + n3  # the 3×3 convolution on all C maps, the reduction left out
    branch_part = numeric_part("branch3", t("part_branch3"), branch, "inception.params", ctx, lang,
                               extra=(("inception-reductions-ignored", wide),
                                      ("forgot-biases", int(branch.value) - r3 - n3)),
                               measure=_sum_measure("M.2.r3", "M.2.b3"))
    parts = [depth, branch_part]
    if short(len(depth.distractors) < 2, len(branch_part.distractors) < 2):
        return None
    steps = [_depth_step(t, lang, depth, False),
             step(t("step_conv", name="r3"), reduce3.parameters, "P_{r3}"),
             step(t("step_conv", name="b3"), conv3.parameters, "P_{b3}"),
             total_step(t("step_branch3"), branch, "P_3", ["P_{r3}", "P_{b3}"], lang)]
    return _content(lang, _stem(t, lang, name, numbers, 1), parts, [s for s in steps if s], (module,))


def _depth_step(t: Text, lang: str, depth: Part, naive: bool) -> Step:
    assert depth.quantity is not None
    terms = ["n_1", "n_3", "n_5", "C" if naive else "pp"]
    return total_step(t("step_depth_naive" if naive else "step_depth"), depth.quantity, "D_N" if naive else "D",
                      terms, lang)


def _sum_measure(*labels: str) -> Any:
    from quizgen.problems.measures import sum_of

    return sum_of(*(At("params", label) for label in labels))


def _both(t: Text, lang: str, name: str, numbers: tuple[int, ...]) -> Content | None:
    networks = _networks(numbers, lang)
    counted, counted_naive = count(networks[0]), count(networks[1])
    module, module_step = _total_part(t, lang, counted, numbers, False, 0)
    naive, naive_step = _total_part(t, lang, counted_naive, numbers, True, 1)
    depth = _depth_part(t, lang, counted_naive, numbers, True)
    parts = [module, naive, depth]
    if short(any(len(p.distractors) < 2 for p in parts)):
        return None
    steps = [*_layer_steps(t, counted), module_step, *_layer_steps(t, counted_naive), naive_step,
             _depth_step(t, lang, depth, True)]
    return _content(lang, _stem(t, lang, name, numbers, 2), parts, steps, networks)


def _saving(t: Text, lang: str, name: str, numbers: tuple[int, ...]) -> Content | None:
    networks = _networks(numbers, lang)
    counted, counted_naive = count(networks[0]), count(networks[1])
    module, module_step = _total_part(t, lang, counted, numbers, False, 0)
    naive, naive_step = _total_part(t, lang, counted_naive, numbers, True, 1)
    d, b = int(naive.answer), int(module.answer)
    share = formulas.quantity(Fraction(100 * (d - b), d), "inception.percent", ID, D=d, B=b)
    ctx = {"D": d, "B": b}
    percent_part = numeric_part("percent", t("part_percent"), share, "percent", ctx, lang, unit="%",
                                decimals=2,
                                measure=percent(diff(Total("params", 1), Total("params")), Total("params", 1)))
    depth = _depth_part(t, lang, counted, numbers, False)
    parts = [module, naive, percent_part, depth]
    if short(any(len(p.distractors) < 2 for p in parts)):
        return None
    steps = [*_layer_steps(t, counted), module_step, *_layer_steps(t, counted_naive), naive_step,
             step(t("step_percent"), share, r"\%", lang), _depth_step(t, lang, depth, False)]
    return _content(lang, _stem(t, lang, name, numbers, 3), parts, steps, networks)


FAMILY = Family(
    id=ID,
    summary={"en": "Inception modules (GoogLeNet): parameters with and without the 1×1 reductions, output depth",
             "it": "moduli Inception (GoogLeNet): parametri con e senza le riduzioni 1×1, profondità dell'output"},
    generate=generate,
    parameters=PARAMETERS,
    space=space_of,
    tags=("parameters",),
)
