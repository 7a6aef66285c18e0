"""The torch modules quizgen builds: every built-in network, the special layers, SAME padding, random networks."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from quizgen.errors import QuizgenError
from quizgen.nets.builtin import LECTURE, LENET5_C3_TABLE, builtin
from quizgen.nets.engine import count
from quizgen.nets.layers import Conv, Dense, FeatureMaps, Input, Network, Pool, Vector
from quizgen.nets.spec import parse_spec
from tests.conftest import require_module


@pytest.fixture(scope="module")
def torch():  # noqa: ANN201
    require_module("torch")
    from quizgen.verify.torch_check import require_torch

    return require_torch()


PUBLISHED = {
    "lenet5": 60_000,
    "lenet5-modern": 61_706,
    "alexnet-2012": 60_965_224,
    "alexnet-torchvision": 61_100_840,
    "vgg16": 138_357_544,
}


@pytest.mark.parametrize("name", LECTURE)  # the later networks: test_torch_modern (meta device)
def test_builtin_network_layer_by_layer(torch, name: str) -> None:
    from quizgen.verify.torch_check import check_network, torch_counts

    network = builtin(name)
    engine = count(network)
    ours = torch_counts(network)
    assert [t.label for t in ours] == [lc.label for lc in engine.layers]
    for lc, t in zip(engine.layers, ours, strict=True):
        assert t.params == lc.parameters.value, lc.label
        assert t.weights == lc.weights.value, lc.label
        assert t.biases == lc.biases.value, lc.label
        assert t.shape == lc.output_shape, lc.label
    assert check_network(network) == []


@pytest.mark.parametrize("name", list(PUBLISHED))
def test_published_totals(torch, name: str) -> None:
    from quizgen.verify.torch_check import build_module

    module = build_module(builtin(name), "meta")  # the same module; meta: no 550 MB of VGG weights to fill
    assert sum(p.numel() for p in module.parameters() if p.requires_grad) == PUBLISHED[name]


def test_alexnet_torchvision_against_torchvision_when_installed(torch) -> None:
    from quizgen.verify.torch_check import build_module

    ours = sum(p.numel() for p in build_module(builtin("alexnet-torchvision"), "meta").parameters())
    try:
        import torchvision
    except ImportError:
        assert ours == 61_100_840  # torchvision's documented count; torchvision is not installed here
        return
    with torch.device("meta"):
        reference = torchvision.models.alexnet(weights=None)
    assert ours == sum(p.numel() for p in reference.parameters())


def test_module_is_labelled_like_the_engine(torch) -> None:
    from quizgen.verify.torch_check import build_module

    module = build_module(builtin("lenet5"))
    assert module.labels == ["C1", "S2", "C3", "S4", "C5", "F6", "Out"]
    assert [name for name, _ in module.named_children()] == module.labels
    out = module(torch.zeros(1, 1, 32, 32))
    assert tuple(out.shape) == (1, 10)


def test_lenet5_c3_is_one_small_conv_per_output_map(torch) -> None:
    """C3 as TableConv2d: parameters = 25 x 60 marked cells + 16 biases = 1,516; nothing masked."""
    from quizgen.verify.torch_check import build_module

    c3 = build_module(builtin("lenet5")).C3
    marked = sum(cell for row in LENET5_C3_TABLE for cell in row)
    assert marked == 60
    assert sum(p.numel() for p in c3.parameters()) == 25 * marked + 16 == 1_516
    for j, conv in enumerate(c3.maps):
        assert conv.in_channels == sum(row[j] for row in LENET5_C3_TABLE)
        assert conv.out_channels == 1


def test_lenet5_c3_output_maps_see_only_their_table_inputs(torch) -> None:
    """With all weights 1, an input on S2 map i reaches C3 map j exactly when the table marks (i, j)."""
    from quizgen.verify.torch_check import build_module

    c3 = build_module(builtin("lenet5")).C3
    with torch.no_grad():
        for p in c3.parameters():
            p.fill_(1.0)
        for conv in c3.maps:
            conv.bias.zero_()
        for i, row in enumerate(LENET5_C3_TABLE):
            x = torch.zeros(1, 6, 14, 14)
            x[0, i] = 1.0
            out = c3(x)
            assert tuple(out.shape) == (1, 16, 10, 10)
            reached = [bool(out[0, j].abs().sum() > 0) for j in range(16)]
            assert reached == list(row), f"S2 map {i}"


def test_subsampling_is_average_times_coefficient_plus_bias(torch) -> None:
    from quizgen.verify.torch_check import build_module

    s2 = build_module(builtin("lenet5")).S2
    assert sum(p.numel() for p in s2.parameters()) == 12  # 6 coefficients + 6 biases
    with torch.no_grad():
        s2.weight.copy_(torch.arange(1.0, 7.0))
        s2.bias.fill_(0.5)
    x = torch.arange(6 * 28 * 28, dtype=torch.float32).reshape(1, 6, 28, 28)
    out = s2(x)
    assert tuple(out.shape) == (1, 6, 14, 14)
    window = x[0, 2, 0:2, 0:2].mean()
    assert out[0, 2, 0, 0].item() == pytest.approx(float(window) * 3 + 0.5)


def test_rbf_centres_are_fixed_not_trainable(torch) -> None:
    from quizgen.verify.torch_check import build_module

    out = build_module(builtin("lenet5")).Out
    assert sum(p.numel() for p in out.parameters()) == 0
    assert out.centres.shape == (10, 84) and not out.centres.requires_grad
    assert tuple(out(torch.zeros(1, 84)).shape) == (1, 10)


def test_alexnet_2012_groups(torch) -> None:
    from quizgen.verify.torch_check import build_module

    net = build_module(builtin("alexnet-2012"), "meta")
    assert net.conv2.groups == 2 and tuple(net.conv2.weight.shape) == (256, 48, 5, 5)
    assert tuple(net.conv4.weight.shape) == (384, 192, 3, 3)
    assert tuple(net.conv3.weight.shape) == (384, 256, 3, 3)


# TensorFlow's SAME: out = ceil(W/s), total = max((out-1)s + f - W, 0), extra unit after; worked by hand
@pytest.mark.parametrize(("size", "kernel", "stride", "pads"), [
    (224, 11, 4, (3, 4)),   # out 56: 55*4 + 11 - 224 = 7
    (227, 11, 4, (4, 4)),   # out 57: 56*4 + 11 - 227 = 8
    (5, 2, 1, (0, 1)),      # out 5: 4 + 2 - 5 = 1
    (6, 3, 2, (0, 1)),      # out 3: 4 + 3 - 6 = 1
    (7, 3, 2, (1, 1)),      # out 4: 6 + 3 - 7 = 2
    (13, 3, 1, (1, 1)),     # out 13: 12 + 3 - 13 = 2
    (8, 1, 3, (0, 0)),      # out 3: 6 + 1 - 8 < 0 -> 0
    (10, 4, 1, (1, 2)),     # out 10: 9 + 4 - 10 = 3
])
def test_same_pads_by_hand(torch, size: int, kernel: int, stride: int, pads: tuple[int, int]) -> None:
    from quizgen.verify.torch_modules import same_pads

    assert same_pads(size, kernel, stride) == pads


def test_same_conv_pads_after(torch) -> None:
    """A 2x2 all-ones kernel over 5x5 ones with SAME: the missing row/column is at the bottom/right."""
    from quizgen.verify.torch_check import build_module

    net = build_module(Network(Input(5, 5, 1), (Conv(1, (2, 2), (1, 1), "same", name="C"),)))
    with torch.no_grad():
        for p in net.parameters():
            p.fill_(1.0)
        net.C[1].bias.zero_()
        out = net(torch.ones(1, 1, 5, 5))[0, 0]
    expected = torch.tensor([[4.0] * 4 + [2.0]] * 4 + [[2.0] * 4 + [1.0]])
    assert torch.equal(out, expected)


def test_same_conv_stride_pads_before_and_after(torch) -> None:
    """7 wide, f=3, s=2: one padded column on each side; 6 wide: one after only."""
    from quizgen.verify.torch_check import build_module

    for width, first, last in ((7, 2.0, 2.0), (6, 3.0, 2.0)):
        net = build_module(Network(Input(1, width, 1), (Conv(1, (1, 3), (1, 2), "same", name="C"),)))
        with torch.no_grad():
            for p in net.parameters():
                p.fill_(1.0)
            conv = net.C[1] if isinstance(net.C, torch.nn.Sequential) else net.C
            conv.bias.zero_()
            row = net(torch.ones(1, 1, 1, width))[0, 0, 0]
        assert row.shape[0] == -(-width // 2)
        assert (row[0].item(), row[-1].item()) == (first, last)


def test_same_max_pool_never_picks_padding(torch) -> None:
    from quizgen.verify.torch_check import build_module

    net = build_module(Network(Input(3, 3, 1), (Pool("max", (2, 2), (2, 2), "same", name="P"),)))
    out = net(-torch.ones(1, 1, 3, 3))
    assert tuple(out.shape) == (1, 1, 2, 2) and torch.equal(out, -torch.ones(1, 1, 2, 2))


def test_same_avg_pool_averages_only_real_cells(torch) -> None:
    from quizgen.verify.torch_check import build_module

    net = build_module(Network(Input(3, 3, 1), (Pool("avg", (2, 2), (2, 2), "same", name="P"),)))
    out = net(torch.ones(1, 1, 3, 3))
    assert torch.equal(out, torch.ones(1, 1, 2, 2))


def test_large_explicit_pool_padding(torch) -> None:
    """p beyond half the kernel (torch's pooling refuses it) is padded explicitly; shapes still agree."""
    from quizgen.verify.torch_check import check_network

    net = Network(Input(8, 8, 2), (Pool("max", (2, 2), (2, 2), 2, name="P"), Pool("avg", (3, 3), (1, 1), 3, name="Q")))
    assert check_network(net) == []


def test_a_wrong_engine_count_is_reported(torch, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check can fail: an engine that forgot the biases disagrees with torch, naming the layer."""
    from dataclasses import replace

    from quizgen.nets import engine
    from quizgen.verify import torch_check

    network = parse_spec("16x16x3 > C1: conv 4 3 > flatten > F: fc 5", name="tiny")
    real = engine.count(network)
    broken = replace(real, layers=(replace(real.layers[0], parameters=real.layers[0].weights),
                                   *real.layers[1:]))
    monkeypatch.setattr(engine, "count", lambda n: broken)
    found = torch_check.check_network(network)
    assert found == ["tiny layer C1: engine parameters 108, torch 112"]


def test_torch_counts_on_meta_equal_cpu(torch) -> None:
    from quizgen.verify.torch_check import torch_counts

    for name in ("lenet5", "alexnet-2012"):
        assert torch_counts(builtin(name), "meta") == torch_counts(builtin(name), "cpu")


_LAYER = st.one_of(
    st.builds(lambda n, f, s, p: f"conv {n} {f}/{s} {p}", st.integers(1, 8), st.integers(1, 5), st.integers(1, 3),
              st.sampled_from(["p=0", "p=1", "p=2", "same", "valid"])),
    st.builds(lambda n, f, s, g: f"conv {n * g} {f}/{s} same g={g}", st.integers(1, 4), st.integers(1, 3),
              st.integers(1, 2), st.sampled_from([1, 2])),
    st.builds(lambda k, f, s, p: f"{k} {f}/{s} {p}", st.sampled_from(["maxpool", "avgpool", "subsample"]),
              st.integers(1, 3), st.integers(1, 3), st.sampled_from(["p=0", "p=1", "same", "valid"])),
    st.sampled_from(["relu", "tanh", "lrn 3", "dropout 0.2"]),
)


@st.composite
def _table_conv(draw: st.DrawFn, channels: int) -> str:
    """A first layer with a random connection table: ``channels`` rows, every column marked at least once."""
    columns = draw(st.integers(1, 6))
    rows = [[draw(st.booleans()) for _ in range(columns)] for _ in range(channels)]
    for j in range(columns):
        rows[draw(st.integers(0, channels - 1))][j] = True
    table = "/".join("".join("1" if cell else "0" for cell in row) for row in rows)
    return f"conv {columns} {draw(st.integers(1, 3))} {draw(st.sampled_from(['p=0', 'p=1', 'same']))} table={table}"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(size=st.integers(4, 20), channels=st.sampled_from([1, 2, 3, 4]), body=st.lists(_LAYER, min_size=1, max_size=4),
       tail=st.sampled_from(["", " > fc 7", " > flatten > fc 5 nobias > fc 3", " > adaptiveavgpool 2 > flatten",
                             " > fc 6 > rbf 4", " > conv 3 1 nobias > softmax"]),
       height=st.integers(0, 3), data=st.data())
def test_random_small_networks_agree(torch, size: int, channels: int, body: list[str], tail: str, height: int,
                                     data: st.DataObject) -> None:
    from quizgen.verify.torch_check import check_network

    if data.draw(st.booleans(), label="table conv first"):
        body = [data.draw(_table_conv(channels), label="table conv"), *body]
    spec = f"{size + height}x{size}x{channels} > " + " > ".join(body) + tail
    try:
        network = parse_spec(spec, name="random")
        engine = count(network)
    except QuizgenError:
        assume(False)
        return
    assert check_network(network) == [], spec
    out = engine.output_shape
    assert isinstance(out, (FeatureMaps, Vector))


def test_dense_after_feature_maps_is_an_implicit_flatten(torch) -> None:
    from quizgen.verify.torch_check import torch_counts

    network = Network(Input(6, 4, 3), (Conv(5, (3, 3), name="C"), Dense(10, name="F")))
    counts = torch_counts(network)
    assert counts[1].params == 4 * 2 * 5 * 10 + 10 and counts[1].output_shape == (10,)
