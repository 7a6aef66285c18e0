"""The one catalogue of misconceptions: the wrong answers students are likely to give.

Each misconception has an id, a function that produces its wrong value for a kind of quantity from
the problem's context (the symbols of the lecture's formulas: f, C, N_c, W, s, p, O, F, F_prev, ...)
and, in ``templates/misconceptions/<lang>.yaml``, a title and a feedback text (Jinja, same context).
Distractors, Moodle's per-answer feedback and the practice modes all draw from here.

Kinds of quantity: ``conv.weights``, ``conv.params``, ``fc.weights``, ``fc.params``, ``flatten``,
``size``, ``pool.params``, ``memory``, ``depth``, ``savings``, ``total`` and any a family adds.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from quizgen.problems.model import Distractor, Number
from quizgen.problems.precision import clear_of, key
from quizgen.text import numbers
from quizgen.text.templating import misconception_text, render_source


@dataclass(frozen=True)
class Context:
    """What a misconception's value function and feedback read about one quantity: the lecture's symbols and the
    facts a family states (None: not given). The feedback templates use these names as their variables."""

    # the layer and its input (the lecture's symbols)
    f: int | None = None
    f_h: int | None = None
    f_w: int | None = None
    C: int | None = None
    C_img: int | None = None
    N_c: int | None = None
    W: int | None = None
    W_in: int | None = None
    W_net: int | None = None
    W_unpooled: int | None = None
    O: int | None = None  # noqa: E741 - the lecture's symbol
    O_pooled: int | None = None
    O_unpooled: int | None = None
    s: int | None = None
    p: int | None = None
    padding: str | None = None
    pool_s: int | None = None
    g: int | None = None
    F: int | None = None
    F_prev: int | None = None
    n: int | None = None
    R: int | None = None
    B: int | None = None
    D: int | None = None
    label: str | None = None
    last: str | None = None
    image: bool | None = None
    rgb: bool | None = None
    expand: bool | None = None
    trainable: bool | None = None
    table_K: int | None = None
    rbf_centres: int | None = None
    # the counts
    weights: int | None = None
    biases: int | None = None
    params: int | None = None
    activations: int | None = None
    total_unpooled: int | None = None
    first_fc_share: Fraction | None = None
    hidden_fc_share: Fraction | None = None
    # memory
    bytes: Fraction | int | None = None
    unit: str | None = None
    dtype: str | None = None
    dtype_bytes: int | None = None
    batch: int | None = None
    memory: int | None = None
    gpu: int | None = None
    gpu_unit: str | None = None
    # beyond the lecture: a chain's layers up to the one asked, (f, s, d, pooling) each (receptive field)
    chain: tuple[tuple[int, int, int, bool], ...] | None = None
    # the convolutional layers' share of the parameters (where the operations are)
    params_share: Fraction | None = None
    # training memory: the optimizer, its values of state per parameter k, the stored values that are not trained
    optimizer: str | None = None
    state_k: int | None = None
    buffers: int | None = None
    # what the feedback is about: the kind of quantity and its answer
    kind: str | None = None
    answer: Number | None = None


def _or(value: Any, default: Any) -> Any:
    """``value``, or ``default`` when the context does not give it."""
    return default if value is None else value


ValueFn = Callable[[str, Context], Number | None]


@dataclass(frozen=True)
class Misconception:
    id: str
    kinds: frozenset[str]
    value: ValueFn

    def title(self, lang: str) -> str:
        return misconception_text(lang, self.id)["title"]

    def feedback(self, lang: str, context: Context, value: Number) -> str:
        """The feedback on ``value``, a wrong answer for ``context`` (whose kind and answer are set)."""
        return render_source(misconception_text(lang, self.id)["feedback"],
                             {**vars(context), "value": value, "lang": lang})


CATALOGUE: dict[str, Misconception] = {}


def misconception(id: str, *kinds: str) -> Callable[[ValueFn], ValueFn]:
    """Register a misconception's value function for the given kinds of quantity."""

    def register(fn: ValueFn) -> ValueFn:
        if id in CATALOGUE:
            raise ValueError(f"misconception {id!r} registered twice")
        CATALOGUE[id] = Misconception(id, frozenset(kinds), fn)
        return fn

    return register


def _kernel(c: Context) -> int:
    return c.f ** 2 if c.f is not None else c.f_h * c.f_w


def _bias(c: Context) -> int:
    return _or(c.biases, _or(c.N_c, 0))


@misconception("forgot-biases", "conv.params", "fc.params", "total")
def _forgot_biases(kind: str, c: Context) -> Number | None:
    biases = c.biases
    return c.params - biases if biases else None


@misconception("forgot-depth", "conv.weights", "conv.params")
def _forgot_depth(kind: str, c: Context) -> Number | None:
    if _or(c.C, 1) == 1 or c.table_K is not None:
        return None
    weights = _kernel(c) * c.N_c
    return weights if kind == "conv.weights" else weights + _bias(c)


@misconception("f-not-squared", "conv.weights", "conv.params")
def _f_not_squared(kind: str, c: Context) -> Number | None:
    if c.f is None or c.f == 1:
        return None
    weights = c.weights // c.f
    return weights if kind == "conv.weights" else weights + _bias(c)


@misconception("bias-per-weight", "conv.params", "fc.params")
def _bias_per_weight(kind: str, c: Context) -> Number | None:
    return 2 * c.weights


@misconception("input-size-before-fc", "fc.weights", "fc.params", "flatten", "activations")
def _input_size_before_fc(kind: str, c: Context) -> Number | None:
    if c.W_in is None or c.W_in == c.O:
        return None
    flat = c.W_in ** 2 * c.N_c
    if kind in ("flatten", "activations"):
        return flat
    weights = flat * c.F
    return weights if kind == "fc.weights" else weights + c.F


@misconception("flatten-forgot-depth", "flatten", "fc.weights", "fc.params", "activations")
def _flatten_forgot_depth(kind: str, c: Context) -> Number | None:
    if c.O is None or _or(c.N_c, 1) == 1:
        return None
    flat = c.O ** 2
    if kind in ("flatten", "activations"):
        return flat
    return flat * c.F if kind == "fc.weights" else flat * c.F + c.F


@misconception("forgot-padding", "size")
def _forgot_padding(kind: str, c: Context) -> Number | None:
    if c.padding == "same":
        return math.ceil((c.W - c.f + 1) / c.s) if c.W >= c.f else None
    p = _or(c.p, 0)
    if not isinstance(p, int) or p == 0 or c.W < c.f:
        return None
    return (c.W - c.f) // c.s + 1


@misconception("forgot-plus-one", "size")
def _forgot_plus_one(kind: str, c: Context) -> Number | None:
    if c.padding in ("same", "valid"):
        return None
    return (c.W - c.f + 2 * _or(c.p, 0)) // c.s


@misconception("floor-ceil-swapped", "size")
def _floor_ceil_swapped(kind: str, c: Context) -> Number | None:
    padding = c.padding
    if padding == "same":
        return c.W // c.s
    if padding == "valid":
        return (c.W - c.f + 1) // c.s
    return math.ceil((c.W - c.f + 2 * _or(c.p, 0)) / c.s) + 1


@misconception("stride-ignored", "size")
def _stride_ignored(kind: str, c: Context) -> Number | None:
    if c.s == 1:
        return None
    if c.padding == "same":
        return c.W
    if c.padding == "valid":
        return c.W - c.f + 1
    return c.W - c.f + 2 * _or(c.p, 0) + 1


@misconception("pooling-weights", "pool.params")
def _pooling_weights(kind: str, c: Context) -> Number | None:
    if c.trainable:
        return None
    return _kernel(c) * c.N_c + c.N_c


@misconception("subsampling-no-params", "pool.params")
def _subsampling_no_params(kind: str, c: Context) -> Number | None:
    return 0 if c.trainable else None


@misconception("c3-fully-connected", "conv.weights", "conv.params")
def _c3_fully_connected(kind: str, c: Context) -> Number | None:
    if c.table_K is None:
        return None
    weights = _kernel(c) * c.C * c.N_c
    return weights if kind == "conv.weights" else weights + _bias(c)


@misconception("bits-vs-bytes", "memory")
def _bits_vs_bytes(kind: str, c: Context) -> Number | None:
    return c.answer * 8


@misconception("mb-vs-mib", "memory")
def _mb_vs_mib(kind: str, c: Context) -> Number | None:
    if c.unit == "MB":
        return Fraction(c.bytes, 2**20)
    if c.unit == "MiB":
        return Fraction(c.bytes, 10**6)
    return None


PLAUSIBLE_FACTOR = 10
# a family's defining misconceptions (the mistake the exercise exists to catch) stay when within this factor
DEFINING_FACTOR = 100
# mistakes whose value 0 is plausible (a choice among 0 and a few small numbers), where 0 is otherwise never offered
ZERO_PLAUSIBLE = frozenset({"output-padding-none"})


def plausible(value: Number, answer: Number, factor: int = PLAUSIBLE_FACTOR) -> bool:
    """Same order of magnitude: within ``factor`` (10) of the answer, and not negative."""
    if value < 0:
        return False
    if answer == 0:
        return value <= factor
    if value == 0 or answer < 0:
        return False
    # 1/factor <= value/answer <= factor, in exact int/Fraction arithmetic without building Fractions
    return factor * value >= answer and value <= factor * answer


def _of_kind(kind: str) -> list[Misconception]:
    """The catalogue's misconceptions for a kind of quantity, in catalogue order."""
    return [m for m in CATALOGUE.values() if kind in m.kinds]


def distractors(
    kind: str,
    answer: Number,
    context: Context,
    lang: str,
    *,
    only: tuple[str, ...] | None = None,
    extra: tuple[tuple[str, Number | None], ...] = (),
    decimals: int = 0,
    tolerance: Number = 0,
    defining: tuple[str, ...] = (),
) -> tuple[Distractor, ...]:
    """The plausible wrong values the catalogue's misconceptions give for a quantity, each clear of the answer.

    ``only`` restricts to some ids; ``extra`` adds (id, value) pairs a family computes itself; ``defining`` names
    the family's defining misconceptions, kept within a factor of ``DEFINING_FACTOR`` of the answer (others: 10).
    A value is kept only when it is clear of the answer and of the values kept before it at the stated precision
    (``precision.clear_of``: ``decimals`` places, graded with ``tolerance``), so a rounding slip is never named
    a misconception and no two offered values collide; callers re-draw when too few remain. The order is the
    catalogue's (deterministic).
    """
    candidates = [(m.id, m.value(kind, context)) for m in _of_kind(kind) if only is None or m.id in only]
    candidates.extend(extra)
    a_n, a_d = _ratio(answer)
    # whole counts asked exactly: the same test in integers (a Fraction per comparison costs microseconds)
    counts = decimals == 0 and not tolerance and a_d == 1
    seen: set[int] = set()
    taken: list[Fraction] = []
    out = []
    about = replace(context, kind=kind, answer=answer)
    for mid, value in candidates:
        if value is None:
            continue
        if isinstance(value, float):
            raise TypeError(f"misconception {mid} produced a float; use int or Fraction")
        v_n, v_d = _ratio(value)
        if not (v_n == 0 and mid in ZERO_PLAUSIBLE) and not _plausible(
                v_n, v_d, a_n, a_d, DEFINING_FACTOR if mid in defining else PLAUSIBLE_FACTOR):
            continue
        if counts and v_d == 1:
            if v_n == a_n or v_n in seen:
                continue
            seen.add(v_n)
            taken.append(Fraction(v_n))
        else:
            if not clear_of(value, answer, decimals, tolerance, taken) or numbers.units(value, decimals) in seen:
                continue
            taken.append(key(value, decimals))
            if decimals == 0:
                seen.add(numbers.units(value, 0))
        out.append(Distractor(value, mid, CATALOGUE[mid].feedback(lang, about, value)))
    return tuple(out)


def _ratio(x: Number) -> tuple[int, int]:
    """(numerator, denominator > 0) of an int or a Fraction."""
    return (x, 1) if type(x) is int else (x.numerator, x.denominator)


def _plausible(v_n: int, v_d: int, a_n: int, a_d: int, factor: int = PLAUSIBLE_FACTOR) -> bool:
    """``plausible`` on numerators and denominators (denominators positive)."""
    if v_n < 0:
        return False
    if a_n == 0:
        return v_n <= factor * v_d
    if v_n == 0 or a_n < 0:
        return False
    return factor * v_n * a_d >= a_n * v_d and v_n * a_d <= factor * a_n * v_d


def shuffled(items: list[Any], rng: random.Random) -> list[Any]:
    """A shuffled copy (for choice order), drawn from the problem's own rng."""
    copy = list(items)
    rng.shuffle(copy)
    return copy


# --- layer families: conv→conv, conv→FC, FC→FC, 1×1 convolutions, output sizes ---------------


@misconception("image-depth-not-maps", "conv.weights", "conv.params")
def _image_depth_not_maps(kind: str, c: Context) -> Number | None:
    if c.C_img is None or c.C_img == c.C:
        return None
    weights = _kernel(c) * c.C_img * c.N_c
    return weights if kind == "conv.weights" else weights + _bias(c)


@misconception("pooling-reduces-depth", "conv.weights", "conv.params", "flatten", "fc.weights", "fc.params")
def _pooling_reduces_depth(kind: str, c: Context) -> Number | None:
    step = _or(c.pool_s, 1)
    if step < 2:
        return None
    depth = c.C if kind.startswith("conv") else c.N_c
    if depth % step or depth == step:
        return None
    if kind.startswith("conv"):
        weights = _kernel(c) * (depth // step) * c.N_c
        return weights if kind == "conv.weights" else weights + _bias(c)
    flat = c.O ** 2 * (depth // step)
    if kind == "flatten":
        return flat
    return flat * c.F if kind == "fc.weights" else flat * c.F + c.F


def _size(w: int, f: int, s: int, p: int, padding: str | None) -> int | None:
    if padding == "same":
        return -(-w // s)
    if padding == "valid":
        return -(-(w - f + 1) // s) if w >= f else None
    return (w - f + 2 * p) // s + 1 if w + 2 * p >= f else None


@misconception("size-from-network-input", "size")
def _size_from_network_input(kind: str, c: Context) -> Number | None:
    if c.W_net is None or c.W_net == c.W:
        return None
    return _size(c.W_net, c.f, c.s, _or(c.p, 0), c.padding)


@misconception("same-valid-swapped", "size")
def _same_valid_swapped(kind: str, c: Context) -> Number | None:
    if c.padding == "valid":
        return -(-c.W // c.s)
    if c.padding == "same":
        return _size(c.W, c.f, c.s, 0, "valid")
    return None


@misconception("weights-include-biases", "conv.weights", "fc.weights")
def _weights_include_biases(kind: str, c: Context) -> Number | None:
    return c.params


@misconception("bias-per-input", "fc.params")
def _bias_per_input(kind: str, c: Context) -> Number | None:
    if c.F_prev is None or c.F_prev == c.F:
        return None
    return c.weights + c.F_prev


# biases below and above N_c, weights below F_prev * F: wrong answers on both sides of the right one


@misconception("one-bias-per-layer", "conv.biases", "fc.biases")
def _one_bias_per_layer(kind: str, c: Context) -> Number | None:
    return 1


@misconception("bias-per-input-channel", "conv.biases")
def _bias_per_input_channel(kind: str, c: Context) -> Number | None:
    return c.C if c.C is not None and c.C != c.N_c else None


@misconception("bias-per-filter-channel", "conv.biases")
def _bias_per_filter_channel(kind: str, c: Context) -> Number | None:
    return c.C * c.N_c if _or(c.C, 1) > 1 and c.N_c is not None else None


@misconception("bias-node-counted", "fc.weights")
def _bias_node_counted(kind: str, c: Context) -> Number | None:
    # the textbook drawing of the bias as an extra input node fixed at 1, counted among the F_prev nodes
    return (c.F_prev - 1) * c.F if _or(c.F_prev, 1) > 1 and c.F is not None else None


@misconception("bias-node-wrong-layer", "fc.weights")
def _bias_node_wrong_layer(kind: str, c: Context) -> Number | None:
    # the bias node added to the layer's own F nodes: F_prev * (F + 1) instead of the weights F_prev * F
    if c.F_prev is None or c.F is None or c.F_prev == c.F:
        return None
    return c.F_prev * (c.F + 1)


@misconception("one-by-one-keeps-depth", "depth")
def _one_by_one_keeps_depth(kind: str, c: Context) -> Number | None:
    return c.C if c.n is not None else None


@misconception("one-by-one-depth-one", "depth")
def _one_by_one_depth_one(kind: str, c: Context) -> Number | None:
    return 1 if c.n is not None else None


@misconception("savings-forgot-reduction", "bottleneck.params", "savings", "percent")
def _savings_forgot_reduction(kind: str, c: Context) -> Number | None:
    if c.R is None:
        return None
    b = c.B - c.R
    if kind == "bottleneck.params":
        return b
    return c.D - b if kind == "savings" else Fraction(100 * (c.D - b), c.D)


@misconception("savings-kept-not-saved", "percent")
def _savings_kept_not_saved(kind: str, c: Context) -> Number | None:
    return Fraction(100 * c.B, c.D) if c.B is not None else None


@misconception("savings-wrong-base", "percent")
def _savings_wrong_base(kind: str, c: Context) -> Number | None:
    return Fraction(100 * (c.D - c.B), c.B) if c.B is not None else None


# --- LeNet-5, AlexNet, memory ---------------------------------------------------------------


@misconception("subsampling-kernel", "pool.params")
def _subsampling_kernel(kind: str, c: Context) -> Number | None:
    # LeNet's subsampling multiplies each window's average by ONE coefficient, not an f x f kernel
    return _kernel(c) * c.N_c + c.N_c if c.trainable else None


@misconception("rbf-counted", "total")
def _rbf_counted(kind: str, c: Context) -> Number | None:
    return c.params + c.rbf_centres if c.rbf_centres else None


@misconception("connections-without-bias", "conv.connections", "subsampling.connections")
def _connections_without_bias(kind: str, c: Context) -> Number | None:
    if kind == "subsampling.connections":
        return _kernel(c) * c.N_c * c.O ** 2
    return c.weights * c.O ** 2


@misconception("connections-as-parameters", "conv.connections", "subsampling.connections")
def _connections_as_parameters(kind: str, c: Context) -> Number | None:
    # conv: forgot that shared weights are used at every position; subsampling: 2 parameters per unit
    if kind == "subsampling.connections":
        return c.params * c.O ** 2
    return c.params if _or(c.O, 1) > 1 else None


@misconception("connections-input-size", "conv.connections", "subsampling.connections")
def _connections_input_size(kind: str, c: Context) -> Number | None:
    if _or(c.W, c.O) == c.O:
        return None
    per_unit = (_kernel(c) + 1) * c.N_c if kind == "subsampling.connections" else c.params
    return per_unit * c.W ** 2


@misconception("forgot-pooling", "flatten", "fc.weights", "fc.params")
def _forgot_pooling(kind: str, c: Context) -> Number | None:
    if c.O_unpooled is None or c.O_unpooled == c.O:
        return None
    flat = c.O_unpooled ** 2 * c.N_c
    if kind == "flatten":
        return flat
    return flat * c.F if kind == "fc.weights" else flat * c.F + c.F


@misconception("groups-ignored", "conv.weights", "conv.params")
def _groups_ignored(kind: str, c: Context) -> Number | None:
    if _or(c.g, 1) == 1:
        return None
    weights = _kernel(c) * c.C * c.N_c
    return weights if kind == "conv.weights" else weights + _bias(c)


@misconception("one-gpu-only", "conv.weights", "conv.params")
def _one_gpu_only(kind: str, c: Context) -> Number | None:
    g = _or(c.g, 1)
    if g == 1:
        return None
    weights = _kernel(c) * (c.C // g) * (c.N_c // g)
    return weights if kind == "conv.weights" else weights + _bias(c) // g


@misconception("float16-as-4-bytes", "memory")
def _float16_as_4_bytes(kind: str, c: Context) -> Number | None:
    return c.answer * 2 if c.dtype == "float16" else None


@misconception("forgot-batch", "memory")
def _forgot_batch(kind: str, c: Context) -> Number | None:
    return Fraction(c.answer) / c.batch if _or(c.batch, 1) > 1 else None


@misconception("forgot-params-memory", "batch")
def _forgot_params_memory(kind: str, c: Context) -> Number | None:
    return c.memory // (c.activations * c.dtype_bytes)


@misconception("gib-vs-gb", "batch")
def _gib_vs_gb(kind: str, c: Context) -> Number | None:
    if c.gpu_unit != "GiB":
        return None
    free = c.gpu * 10**9 - c.params * c.dtype_bytes
    return free // (c.activations * c.dtype_bytes) if free > 0 else None


@misconception("share-conv-instead", "share")
def _share_conv_instead(kind: str, c: Context) -> Number | None:
    return 100 - c.answer


@misconception("share-first-fc-only", "share")
def _share_first_fc_only(kind: str, c: Context) -> Number | None:
    return c.first_fc_share


@misconception("share-without-output", "share")
def _share_without_output(kind: str, c: Context) -> Number | None:
    return c.hidden_fc_share


@misconception("o-not-squared", "flatten", "fc.weights", "fc.params")
def _o_not_squared(kind: str, c: Context) -> Number | None:
    if c.O is None or c.O == 1 or c.F is None and kind != "flatten":
        return None
    flat = c.O * c.N_c
    if kind == "flatten":
        return flat
    return flat * c.F if kind == "fc.weights" else flat * c.F + c.F


@misconception("size-skipped-pooling", "size")
def _size_skipped_pooling(kind: str, c: Context) -> Number | None:
    # the layer after a pooling layer computed from the pooling's input (W_unpooled), as if it were not there
    if c.W_unpooled is None or c.W_unpooled == c.W:
        return None
    return _size(c.W_unpooled, c.f, c.s, _or(c.p, 0), c.padding)


@misconception("extra-pooling", "flatten")
def _extra_pooling(kind: str, c: Context) -> Number | None:
    # a pooling layer added where there is none (AlexNet 2012's pool5 after its last convolution)
    if c.O_pooled is None or c.O_pooled == c.O or c.O_pooled < 1:
        return None
    return c.O_pooled ** 2 * c.N_c


@misconception("fc-input-unpooled", "total")
def _fc_input_unpooled(kind: str, c: Context) -> Number | None:
    # the first FC layer's weights counted on the maps before the last pooling (the family computes the total)
    return c.total_unpooled


# --- beyond the lecture: receptive field (rf.size, rf.jump of a chain's last layer) ---------


def _field(chain: tuple[tuple[int, int, int, bool], ...], own_jump: bool = False, dilation: bool = True,
           pooling: bool = True) -> tuple[int, int]:
    """(r, j) through a chain, or with one mistake: each layer grown by its own jump, dilation or pooling left out."""
    r, j = 1, 1
    for f, s, d, pool in chain:
        if pool and not pooling:
            continue
        d = d if dilation else 1
        r += d * (f - 1) * (j * s if own_jump else j)
        j *= s
    return r, j


@misconception("rf-dilation-ignored", "rf.size")
def _rf_dilation_ignored(kind: str, c: Context) -> Number | None:
    if not c.chain or all(d == 1 for _, _, d, _ in c.chain):
        return None
    return _field(c.chain, dilation=False)[0]


@misconception("rf-summed-kernels", "rf.size")
def _rf_summed_kernels(kind: str, c: Context) -> Number | None:
    # the kernels' growths summed as if every layer moved one input pixel at a time (jump 1)
    return 1 + sum(d * (f - 1) for f, _, d, _ in c.chain) if c.chain else None


@misconception("rf-own-jump", "rf.size")
def _rf_own_jump(kind: str, c: Context) -> Number | None:
    # a layer's growth multiplied by its own jump j = j_{-1} s, not by the jump of its input j_{-1}
    return _field(c.chain, own_jump=True)[0] if c.chain else None


@misconception("rf-layer-alone", "rf.size", "rf.jump")
def _rf_layer_alone(kind: str, c: Context) -> Number | None:
    # only the layer itself: its window (or its stride), as if its input were the image
    if not c.chain:
        return None
    f, s, d, _ = c.chain[-1]
    return d * (f - 1) + 1 if kind == "rf.size" else s


@misconception("rf-pooling-skipped", "rf.size", "rf.jump")
def _rf_pooling_skipped(kind: str, c: Context) -> Number | None:
    if not c.chain or not any(pool for *_, pool in c.chain) or c.chain[-1][3]:
        return None
    r, j = _field(c.chain, pooling=False)
    return r if kind == "rf.size" else j


@misconception("rf-strides-summed", "rf.jump")
def _rf_strides_summed(kind: str, c: Context) -> Number | None:
    return sum(s for _, s, _, _ in c.chain) if c.chain else None


# --- beyond the lecture: MACs and FLOPs, and where the operations are -------------------------


@misconception("macs-with-bias", "macs")
def _macs_with_bias(kind: str, c: Context) -> Number | None:
    # the bias addition counted as one more MAC per output value: the parameters at every output position
    return c.params * c.O ** 2 if c.O is not None else c.params


@misconception("macs-input-positions", "macs")
def _macs_input_positions(kind: str, c: Context) -> Number | None:
    if c.O is None or c.W_in is None or c.W_in == c.O:
        return None
    return c.weights * c.W_in ** 2


@misconception("macs-weights-only", "macs")
def _macs_weights_only(kind: str, c: Context) -> Number | None:
    # shared weights counted once, not at every output position
    return c.weights if _or(c.O, 1) > 1 else None


@misconception("macs-size-without-padding", "macs", "separable.macs")
def _macs_size_without_padding(kind: str, c: Context) -> Number | None:
    # the output size of a SAME convolution computed without its padding, ceil((W - f + 1)/s): fewer positions
    if c.padding != "same" or c.W_in is None or c.W_in < c.f:
        return None
    return c.weights * (-(-(c.W_in - c.f + 1) // c.s)) ** 2


@misconception("flops-equals-macs", "flops")
def _flops_equals_macs(kind: str, c: Context) -> Number | None:
    return c.answer // 2


@misconception("ops-share-complement", "ops.share")
def _ops_share_complement(kind: str, c: Context) -> Number | None:
    return 100 - c.answer


@misconception("ops-share-of-params", "ops.share")
def _ops_share_of_params(kind: str, c: Context) -> Number | None:
    # the share of the parameters given for the share of the MACs, or the other way round
    return c.params_share


@misconception("ops-share-wrong-base", "ops.share")
def _ops_share_wrong_base(kind: str, c: Context) -> Number | None:
    # the convolutional layers' part divided by the other layers' part, not by the whole network
    return Fraction(100 * c.answer, 100 - c.answer) if c.answer < 100 else None


# --- beyond the lecture: training memory (b((2 + k)P + U + BA) bytes) and the largest batch ---------


def _training(kind: str, c: Context, gradients: bool = True, k: int | None = None, one_input: bool = False
              ) -> Number | None:
    """A training memory (in the context's unit) or largest batch with one term wrong: no gradients, k values of
    optimizer state per parameter, the activations of one input instead of the batch."""
    k = c.state_k if k is None else k
    b = c.dtype_bytes
    fixed = b * ((1 + int(gradients) + k) * c.params + _or(c.buffers, 0))
    if kind == "training.state":
        return Fraction(k * c.params * b, _UNIT_BYTES[c.unit])
    if kind == "training.batch":
        free = c.memory - fixed
        return free // (b * c.activations) if free > 0 else None
    acts = 0 if c.activations is None else b * c.activations * (1 if one_input else c.batch)
    return Fraction(fixed + acts, _UNIT_BYTES[c.unit])


_UNIT_BYTES = {"MB": 10**6, "MiB": 2**20}


@misconception("training-forgot-gradients", "training.memory", "training.batch")
def _training_forgot_gradients(kind: str, c: Context) -> Number | None:
    return _training(kind, c, gradients=False)


@misconception("training-forgot-state", "training.memory", "training.batch")
def _training_forgot_state(kind: str, c: Context) -> Number | None:
    return _training(kind, c, k=0) if c.state_k else None


@misconception("adam-one-moment", "training.state")
def _adam_one_moment(kind: str, c: Context) -> Number | None:
    # in a total, one moment instead of two gives the same value as forgotten gradients: named there
    return _training(kind, c, k=1) if c.optimizer in ("adam", "adamw") else None


@misconception("momentum-two-states", "training.memory", "training.state", "training.batch")
def _momentum_two_states(kind: str, c: Context) -> Number | None:
    return _training(kind, c, k=2) if c.optimizer == "sgd-momentum" else None


@misconception("rmsprop-two-states", "training.memory", "training.state", "training.batch")
def _rmsprop_two_states(kind: str, c: Context) -> Number | None:
    # RMSprop's running mean of the squared gradients taken for Adam's two moments
    return _training(kind, c, k=2) if c.optimizer == "rmsprop" else None


@misconception("training-forgot-batch", "training.memory", "training.activations")
def _training_forgot_batch(kind: str, c: Context) -> Number | None:
    if c.activations is None or _or(c.batch, 1) == 1:
        return None
    if kind == "training.activations":
        return Fraction(c.activations * c.dtype_bytes, _UNIT_BYTES[c.unit])
    return _training(kind, c, one_input=True)


# --- beyond the lecture: inverse problems (the padding, stride, kernel or filters a layer must have) ----------


@misconception("inverse-total-padding", "inverse.p")
def _inverse_total_padding(kind: str, c: Context) -> Number | None:
    return 2 * c.p if c.p else None


@misconception("inverse-padding-halved-twice", "inverse.p")
def _inverse_padding_halved_twice(kind: str, c: Context) -> Number | None:
    # (f - 1)/2 taken for the padding of both sides together and halved again
    return Fraction(c.p, 2) if c.p else None


@misconception("inverse-forgot-plus-one", "inverse.p", "inverse.s", "inverse.f")
def _inverse_forgot_plus_one(kind: str, c: Context) -> Number | None:
    # inverted from O = (W - f + 2p)/s, without the + 1
    if kind == "inverse.p":
        return Fraction(c.O * c.s - c.W + c.f, 2)
    if kind == "inverse.s":
        return Fraction(c.W - c.f + 2 * c.p, c.O)
    return c.W + 2 * c.p - c.O * c.s


@misconception("inverse-forgot-padding", "inverse.s", "inverse.f")
def _inverse_forgot_padding(kind: str, c: Context) -> Number | None:
    if not c.p:
        return None
    return Fraction(c.W - c.f, c.O - 1) if kind == "inverse.s" else c.W - (c.O - 1) * c.s


@misconception("inverse-forgot-stride", "inverse.p", "inverse.f")
def _inverse_forgot_stride(kind: str, c: Context) -> Number | None:
    if c.s == 1:
        return None
    return Fraction(c.O - 1 - c.W + c.f, 2) if kind == "inverse.p" else c.W + 2 * c.p - (c.O - 1)


@misconception("inverse-size-ratio", "inverse.s")
def _inverse_size_ratio(kind: str, c: Context) -> Number | None:
    # the stride as the ratio of the sizes, as if O = W/s (SAME), kernel and padding left out
    return Fraction(c.W, c.O)


@misconception("inverse-forgot-biases", "inverse.N")
def _inverse_forgot_biases(kind: str, c: Context) -> Number | None:
    return Fraction(c.params, c.f ** 2 * c.C)


@misconception("inverse-forgot-depth", "inverse.N")
def _inverse_forgot_depth(kind: str, c: Context) -> Number | None:
    return Fraction(c.params, c.f ** 2 + 1) if c.C != 1 else None


@misconception("inverse-f-not-squared", "inverse.N")
def _inverse_f_not_squared(kind: str, c: Context) -> Number | None:
    return Fraction(c.params, c.f * c.C + 1) if c.f > 1 else None


@misconception("inverse-bias-per-weight", "inverse.N")
def _inverse_bias_per_weight(kind: str, c: Context) -> Number | None:
    return Fraction(c.params, 2 * c.f ** 2 * c.C)


# --- beyond the lecture: batch norm (2 N_c parameters, 2 N_c buffers; the convolution's bias before it) -------


@misconception("bn-buffers-as-params", "bn.params", "bn.pair", "bn.total")
def _bn_buffers_as_params(kind: str, c: Context) -> Number | None:
    # the running mean and variance counted as parameters: they are stored, not trained
    return c.params + c.buffers if c.buffers else None


@misconception("bn-per-value", "bn.params", "bn.buffers")
def _bn_per_value(kind: str, c: Context) -> Number | None:
    # a scale and a shift (a mean and a variance) per activation, not per map
    if c.O is None or c.O == 1:
        return None
    return (c.params if kind == "bn.params" else c.buffers) * c.O ** 2


@misconception("bn-mean-only", "bn.buffers")
def _bn_mean_only(kind: str, c: Context) -> Number | None:
    return c.buffers // 2 if c.buffers else None


@misconception("bn-scale-only", "bn.params")
def _bn_scale_only(kind: str, c: Context) -> Number | None:
    # one trained value per map (the scale gamma), the shift beta forgotten
    return c.params // 2 if c.params else None


@misconception("bn-buffers-with-params", "bn.buffers")
def _bn_buffers_with_params(kind: str, c: Context) -> Number | None:
    return c.buffers + c.params if c.params else None


@misconception("bn-bias-kept", "bn.pair", "bn.total")
def _bn_bias_kept(kind: str, c: Context) -> Number | None:
    # the convolution's bias counted although batch norm's shift makes it redundant (the layer has none)
    return c.params + c.biases if c.biases else None


@misconception("bn-pair-without-bn", "bn.pair")
def _bn_pair_without_bn(kind: str, c: Context) -> Number | None:
    # the bias dropped and batch norm's gamma and beta left out with it: the convolution's weights alone
    return c.params - 2 * c.N_c if c.N_c else None
# --- batch normalization, residual blocks ---------------------------------------------------------


@misconception("bn-forgotten", "residual.params", "projection.params", "separable.params")
def _bn_forgotten(kind: str, c: Context) -> Number | None:
    return c.weights


@misconception("bn-buffers-counted", "residual.params", "projection.params", "separable.params")
def _bn_buffers_counted(kind: str, c: Context) -> Number | None:
    # the running mean and variance (2 per map, as many as gamma and beta) counted as trained parameters
    return c.params + c.biases


@misconception("conv-bias-before-bn", "residual.params", "projection.params", "separable.params")
def _conv_bias_before_bn(kind: str, c: Context) -> Number | None:
    # a bias for each filter of the convolutions (n of them) that batch normalization follows
    return c.params + c.n if c.n else None


@misconception("forgot-projection", "residual.params")
def _forgot_projection(kind: str, c: Context) -> Number | None:
    # the projection shortcut (1x1 convolution and its batch normalization) left out of the block
    return c.params - c.R if c.R else None


@misconception("identity-given-params", "residual.params")
def _identity_given_params(kind: str, c: Context) -> Number | None:
    # an identity shortcut counted as a 1x1 convolution with batch normalization: it has no parameters
    if c.R is not None:
        return None
    return c.params + c.C * c.N_c + 2 * c.N_c


@misconception("projection-kernel-of-body", "projection.params")
def _projection_kernel_of_body(kind: str, c: Context) -> Number | None:
    # the projection counted with the body's f x f kernel instead of 1 x 1
    if c.f is None or c.f == 1:
        return None
    return c.params + (c.f ** 2 - 1) * c.C * c.N_c


@misconception("bottleneck-kernel-3x3", "bottleneck.conv.params")
def _bottleneck_kernel_3x3(kind: str, c: Context) -> Number | None:
    # a bottleneck's 1x1 convolution counted as 3 x 3 (the kernel of the block's middle convolution)
    return 9 * c.C * c.N_c if c.f == 1 else None


@misconception("bottleneck-depth-r", "bottleneck.conv.params")
def _bottleneck_depth_r(kind: str, c: Context) -> Number | None:
    # a bottleneck's 1x1 convolution counted on its r reduced maps at both ends (r x r)
    return min(c.C, c.N_c) ** 2 if c.f == 1 and c.C != c.N_c else None


# --- transposed convolutions ---------------------------------------------------------------------


@misconception("deconv-conv-formula", "deconv.size")
def _deconv_conv_formula(kind: str, c: Context) -> Number | None:
    # the convolution's O = floor((W - f + 2p)/s) + 1: a transposed convolution enlarges instead
    if c.W + 2 * c.p < c.f:
        return None
    return (c.W - c.f + 2 * c.p) // c.s + 1


@misconception("deconv-times-stride", "deconv.size")
def _deconv_times_stride(kind: str, c: Context) -> Number | None:
    return c.W * c.s


@misconception("deconv-padding-added", "deconv.size")
def _deconv_padding_added(kind: str, c: Context) -> Number | None:
    # the padding added, as a convolution's, where a transposed convolution crops it
    return (c.W - 1) * c.s + 2 * c.p + c.f + _or(c.n, 0) if c.p else None


@misconception("deconv-forgot-minus-one", "deconv.size")
def _deconv_forgot_minus_one(kind: str, c: Context) -> Number | None:
    return c.W * c.s - 2 * c.p + c.f + _or(c.n, 0)


@misconception("deconv-forgot-output-padding", "deconv.size")
def _deconv_forgot_output_padding(kind: str, c: Context) -> Number | None:
    return (c.W - 1) * c.s - 2 * c.p + c.f if c.n else None


@misconception("output-padding-whole-stride", "deconv.output_padding")
def _output_padding_whole_stride(kind: str, c: Context) -> Number | None:
    return c.s


@misconception("output-padding-twice-padding", "deconv.output_padding")
def _output_padding_twice_padding(kind: str, c: Context) -> Number | None:
    return 2 * c.p if c.p else None


@misconception("output-padding-none", "deconv.output_padding")
def _output_padding_none(kind: str, c: Context) -> Number | None:
    # the transposed convolution taken as the exact inverse of the convolution: no row missing
    return 0 if c.n else None


@misconception("output-padding-stride-minus-one", "deconv.output_padding")
def _output_padding_stride_minus_one(kind: str, c: Context) -> Number | None:
    # the usual recipe p_o = s - 1 (it doubles exactly), used where the pair already gives W back
    return c.s - 1 if not c.n else None


# --- Inception modules ---------------------------------------------------------------------------


@misconception("concat-depth-reductions-counted", "concat.depth")
def _concat_depth_reductions_counted(kind: str, c: Context) -> Number | None:
    # the 1x1 reductions' maps added to the depth, though they feed the 3x3 and 5x5 convolutions, not the output
    return c.N_c + c.R if c.R and not c.expand else None


@misconception("concat-depth-pool-forgotten", "concat.depth")
def _concat_depth_pool_forgotten(kind: str, c: Context) -> Number | None:
    # the pooling branch's maps left out of the concatenation
    return c.N_c - c.D if c.D else None


@misconception("concat-depth-input-added", "concat.depth")
def _concat_depth_input_added(kind: str, c: Context) -> Number | None:
    # the module's input maps concatenated too, as if one branch were the identity
    return c.N_c + c.C if not c.expand else None


@misconception("inception-reductions-ignored", "inception.conv.params")
def _inception_reductions_ignored(kind: str, c: Context) -> Number | None:
    # the 3x3 (or 5x5) convolution counted on all C input maps, as if the 1x1 reduction were not there
    return c.f ** 2 * c.C * c.N_c + c.N_c if c.f and c.C and c.N_c else None


@misconception("inception-forgot-reductions", "inception.params")
def _inception_forgot_reductions(kind: str, c: Context) -> Number | None:
    return c.params - c.R if c.R else None


@misconception("naive-pool-projection", "concat.depth")
def _naive_pool_projection(kind: str, c: Context) -> Number | None:
    # the naive module's pooling branch given the module's 1x1 projection (n filters; the family passes the
    # parameters' value)
    return c.N_c - c.C + c.n if c.expand and c.n else None


# --- depthwise separable convolutions -------------------------------------------------------------


def _positions(c: Context) -> int:
    return c.O ** 2


@misconception("depthwise-full-depth", "depthwise.params", "separable.macs")
def _depthwise_full_depth(kind: str, c: Context) -> Number | None:
    # each depthwise filter spanning all C maps, as a standard convolution's does: f^2 C x C
    full = c.f ** 2 * c.C * c.C
    if kind == "depthwise.params":
        return full + _or(c.biases, 0)
    return (full + c.C * c.N_c) * _positions(c)


@misconception("depthwise-n-filters", "depthwise.params")
def _depthwise_n_filters(kind: str, c: Context) -> Number | None:
    # the depthwise layer given the N filters of the pointwise layer, f x f x 1 each
    if c.n is None or c.n == c.C:
        return None
    return c.f ** 2 * c.n + (c.n if c.biases else 0)


@misconception("flops-for-macs", "separable.macs")
def _flops_for_macs(kind: str, c: Context) -> Number | None:
    return 2 * c.answer


@misconception("separable-share-inverted", "separable.share")
def _separable_share_inverted(kind: str, c: Context) -> Number | None:
    return Fraction(100 * c.D, c.B)


@misconception("separable-saved-not-kept", "separable.share")
def _separable_saved_not_kept(kind: str, c: Context) -> Number | None:
    return Fraction(100 * (c.D - c.B), c.D)


@misconception("separable-forgot-pw", "separable.share")
def _separable_forgot_pw(kind: str, c: Context) -> Number | None:
    return Fraction(100 * c.R, c.D)


@misconception("separable-forgot-dw", "separable.share")
def _separable_forgot_dw(kind: str, c: Context) -> Number | None:
    return Fraction(100 * (c.B - c.R), c.D)
