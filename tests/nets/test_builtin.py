"""The built-in networks reproduce their publications, layer by layer."""

from __future__ import annotations

import pytest

from quizgen.nets.builtin import BUILTINS, LENET5_C3_TABLE, builtin
from quizgen.nets.engine import count
from quizgen.nets.layers import FeatureMaps
from quizgen.nets.published import contradictions


def _per_layer(name: str) -> dict[str, tuple[int, int]]:
    nc = count(builtin(name))
    return {lc.label: (int(lc.parameters.value), int(lc.connections.value)) for lc in nc.layers}


def test_lenet5_as_published() -> None:
    # LeCun et al. 1998, section II.B: parameters and connections of every layer
    layers = _per_layer("lenet5")
    assert layers["C1"] == (156, 122_304)
    assert layers["S2"] == (12, 5_880)
    assert layers["C3"] == (1_516, 151_600)
    assert layers["S4"] == (32, 2_000)
    assert layers["C5"] == (48_120, 48_120)
    assert layers["F6"] == (10_164, 10_164)
    assert layers["Out"] == (0, 840)  # fixed RBF centres: connections, not trainable parameters
    assert count(builtin("lenet5")).parameters == 60_000


def test_lenet5_shapes() -> None:
    nc = count(builtin("lenet5"))
    shapes = {lc.label: lc.output_shape for lc in nc.layers}
    assert shapes["C1"] == FeatureMaps(28, 28, 6)
    assert shapes["S2"] == FeatureMaps(14, 14, 6)
    assert shapes["C3"] == FeatureMaps(10, 10, 16)
    assert shapes["S4"] == FeatureMaps(5, 5, 16)
    assert shapes["C5"] == FeatureMaps(1, 1, 120)


def test_lenet5_table_one() -> None:
    assert len(LENET5_C3_TABLE) == 6 and all(len(row) == 16 for row in LENET5_C3_TABLE)
    columns = [sum(row[j] for row in LENET5_C3_TABLE) for j in range(16)]
    assert columns == [3] * 6 + [4] * 9 + [6]  # six maps see 3 inputs, nine see 4, the last sees all 6
    assert sum(columns) == 60


def test_lenet5_modern() -> None:
    layers = _per_layer("lenet5-modern")
    assert layers["C1"][0] == 156
    assert layers["C3"][0] == 2_416
    assert layers["C5"][0] == 48_120
    assert layers["F6"][0] == 10_164
    assert layers["Out"][0] == 850
    assert count(builtin("lenet5-modern")).parameters == 61_706


def test_alexnet_lecture_table() -> None:
    nc = count(builtin("alexnet"))
    params = {lc.label: int(lc.parameters.value) for lc in nc.layers}
    assert params["C1"] == 11 * 11 * 3 * 96 + 96 == 34_944
    assert params["C3"] == 5 * 5 * 96 * 256 + 256
    assert params["C5"] == 3 * 3 * 256 * 384 + 384
    assert params["C6"] == 3 * 3 * 384 * 384 + 384
    assert params["C7"] == 3 * 3 * 384 * 256 + 256
    assert params["F8"] == 13 * 13 * 256 * 4096 + 4096
    assert params["F9"] == 4096 * 4096 + 4096
    assert params["Out"] == 4096 * 1000 + 1000
    sizes = {lc.label: lc.output_shape for lc in nc.layers if isinstance(lc.output_shape, FeatureMaps)}
    assert sizes["C1"] == FeatureMaps(56, 56, 96)  # SAME, stride 4 on 224: ceil(224/4) = 56
    assert sizes["S2"] == FeatureMaps(27, 27, 96)
    assert sizes["S4"] == FeatureMaps(13, 13, 256)
    assert sizes["C7"] == FeatureMaps(13, 13, 256)


def test_alexnet_table_contradiction_is_reported() -> None:
    warnings = contradictions(count(builtin("alexnet")))
    assert len(warnings) == 1
    text = str(warnings[0])
    assert text.startswith("C1:") and "55x55" in text and "56x56" in text
    assert "227x227 input with VALID" in text


def test_alexnet_2012_two_groups() -> None:
    nc = count(builtin("alexnet-2012"))
    params = {lc.label: int(lc.parameters.value) for lc in nc.layers}
    assert params["conv2"] == 5 * 5 * 48 * 256 + 256  # each GPU's kernels see only its 48 maps
    assert params["conv3"] == 3 * 3 * 256 * 384 + 384  # conv3 sees both GPUs
    assert params["conv4"] == 3 * 3 * 192 * 384 + 384
    assert params["conv5"] == 3 * 3 * 192 * 256 + 256
    assert params["fc6"] == 6 * 6 * 256 * 4096 + 4096
    assert nc.parameters == 60_965_224
    # its listed sizes all follow from the 227 input; only the paper's stated 224 does not
    assert [w.label for w in contradictions(nc)] == ["Krizhevsky et al. 2012, section 3.5"]


@pytest.mark.parametrize(("name", "total"), [("alexnet-torchvision", 61_100_840), ("vgg16", 138_357_544)])
def test_published_totals(name: str, total: int) -> None:
    assert count(builtin(name)).parameters == total


def test_every_builtin_matches_its_declared_total_and_has_a_source() -> None:
    for name, b in BUILTINS.items():
        net = builtin(name)
        assert net.source and net.title
        if b.total is not None:
            assert count(net).parameters == b.total, name
