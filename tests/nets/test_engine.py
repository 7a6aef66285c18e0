"""The engine's integer path against sympy and against brute force, on thousands of random layers."""

from __future__ import annotations

import math

import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen.nets import formulas
from quizgen.nets.engine import count, count_layer, output_size
from quizgen.nets.layers import Conv, Dense, FeatureMaps, Input, Network, Pool, Vector


def _sympy_value(q: formulas.Quantity) -> sympy.Expr:
    """Evaluate the formula with sympy's own substitution (independent of the compiled evaluator)."""
    expr = formulas.expression(q.formula)
    symbols = {s.name: s for s in expr.free_symbols}
    return expr.subs({symbols[k]: v for k, v in q.values if k in symbols})


def _all_quantities(lc):  # noqa: ANN001, ANN202
    qs = [lc.weights, lc.biases, lc.parameters, lc.connections, lc.activations]
    if lc.out_h is not None:
        qs += [lc.out_h.size, lc.out_w.size]
    if lc.flatten_length is not None:
        qs.append(lc.flatten_length)
    return qs


paddings = st.one_of(st.integers(0, 4), st.sampled_from(["same", "valid"]))


def _positions(size: int, f: int, s: int, before: int, after: int) -> int:
    """Brute force: how many window positions fit in the padded input."""
    return len(range(0, size + before + after - f + 1, s))


@settings(max_examples=1500, deadline=None)
@given(size=st.integers(1, 80), f=st.integers(1, 12), s=st.integers(1, 5), padding=paddings)
def test_output_size_follows_its_definition(size: int, f: int, s: int, padding: object) -> None:
    fits = (size >= f) if padding == "valid" else (padding == "same" or size + 2 * padding >= f)
    if not fits:
        return
    axis = output_size(size, f, s, padding, "L")  # type: ignore[arg-type]
    out = int(axis.size.value)
    assert out >= 1
    assert _sympy_value(axis.size) == out
    if padding == "same":
        assert out == math.ceil(size / s)
        total = axis.pad_before + axis.pad_after
        assert total == max((out - 1) * s + f - size, 0)
        assert axis.pad_after - axis.pad_before in (0, 1)  # TensorFlow puts the odd unit after
    elif padding == "valid":
        assert out == math.ceil((size - f + 1) / s)
        assert axis.pad_before == axis.pad_after == 0
    assert out == _positions(size, f, s, axis.pad_before, axis.pad_after)


@settings(max_examples=600, deadline=None)
@given(
    h=st.integers(4, 64), w=st.integers(4, 64), c=st.integers(1, 16), n=st.integers(1, 64),
    fh=st.integers(1, 5), fw=st.integers(1, 5), s=st.integers(1, 3), padding=paddings,
    groups=st.sampled_from([1, 2, 4]), bias=st.booleans(),
)
def test_conv_integer_and_sympy_paths_agree(h, w, c, n, fh, fw, s, padding, groups, bias) -> None:  # noqa: ANN001
    if c % groups or n % groups:
        groups = 1
    if padding == "valid" and (fh > h or fw > w):
        return
    if isinstance(padding, int) and (fh > h + 2 * padding or fw > w + 2 * padding):
        return
    layer = Conv(n, (fh, fw), (s, s), padding, groups, bias)
    lc = count_layer(layer, FeatureMaps(h, w, c), 1)
    assert int(lc.weights.value) == fh * fw * (c // groups) * n
    assert int(lc.biases.value) == (n if bias else 0)
    for q in _all_quantities(lc):
        assert _sympy_value(q) == q.value, q.formula


@st.composite
def small_networks(draw):  # noqa: ANN001, ANN201
    size = draw(st.integers(16, 64))
    layers = []
    channels = draw(st.sampled_from([1, 3]))
    shape = FeatureMaps(size, size, channels)
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["conv", "pool"]))
        f = draw(st.integers(1, 5))
        if f > shape.h:
            break
        if kind == "conv":
            layer = Conv(draw(st.integers(1, 32)), (f, f), (1, 1), draw(st.sampled_from([0, 1, "same", "valid"])))
        else:
            layer = Pool(draw(st.sampled_from(["max", "avg"])), (f, f), (f, f), 0)
        lc = count_layer(layer, shape, len(layers) + 1)
        layers.append(layer)
        shape = lc.output_shape
    for _ in range(draw(st.integers(0, 2))):
        layers.append(Dense(draw(st.integers(1, 100))))
    return Network(Input(size, size, channels), tuple(layers))


@settings(max_examples=150, deadline=None)
@given(net=small_networks())
def test_random_networks_agree_everywhere(net: Network) -> None:
    nc = count(net)
    total = 0
    for lc in nc.layers:
        for q in _all_quantities(lc):
            assert _sympy_value(q) == q.value
        if isinstance(lc.output_shape, FeatureMaps):
            assert min(lc.output_shape.h, lc.output_shape.w, lc.output_shape.d) >= 1
        total += int(lc.parameters.value)
    assert nc.parameters == total


def test_conv_to_fc_uses_the_lectures_formula() -> None:
    lc = count_layer(Dense(120), FeatureMaps(5, 5, 16), 1)
    assert lc.weights.formula == "fc.weights.flatten"
    assert int(lc.weights.value) == 5 * 5 * 16 * 120 == 48_000
    assert int(lc.parameters.value) == 48_120
    assert int(lc.flatten_length.value) == 400


def test_fc_to_fc() -> None:
    lc = count_layer(Dense(84), Vector(120), 1)
    assert lc.weights.formula == "fc.weights"
    assert int(lc.parameters.value) == 120 * 84 + 84 == 10_164


def test_a_disagreement_is_an_internal_error() -> None:
    import pytest

    from quizgen.errors import InternalError

    with pytest.raises(InternalError, match="conv#1"):
        formulas.quantity(151, "conv.weights", "conv#1", f=5, C=1, N_c=6)
