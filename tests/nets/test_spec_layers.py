"""The spec grammar beyond the lecture: padding per axis and per side, dilation, ceil mode, batch norm,
transposed convolution, crop, global pooling, and blocks (concat, res) in one line and in YAML files."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizgen.bank.networks import load_yaml_network
from quizgen.errors import QuizgenError
from quizgen.nets.engine import count
from quizgen.nets.layers import BatchNorm, Concat, Conv, Deconv, FeatureMaps, Pool, Residual
from quizgen.nets.spec import format_spec, parse_layer, parse_spec


@pytest.mark.parametrize(("text", "padding"), [
    ("conv 8 3 p=1", 1), ("conv 8 3 p=0x1", (0, 0, 1, 1)), ("conv 8 3 p=2x2", 2),
    ("conv 8 3 p=1,2,1,2", (1, 2, 1, 2)), ("conv 8 3 p=1,1,1,1", 1), ("conv 8 3 same", "same"),
])
def test_padding_forms(text: str, padding: object) -> None:
    layer = parse_layer(text)
    assert isinstance(layer, Conv) and layer.padding == padding


def test_sizes_of_the_new_layers() -> None:
    nc = count(parse_spec("32x32x3 > conv 8 3 p=0x1 > conv 8 3 p=1,2,0,1 d=2 > maxpool 3/2 ceil > bn"
                          " > deconv 4 3/2 p=1 op=1 > crop 10x12 > globalavgpool"))
    shapes = [lc.output_shape for lc in nc.layers]
    # (32 - 3 + 0)/1 + 1 = 30 rows, 32 columns; dilation 2 spans 5: (30 + 3 - 5) + 1 = 29, (32 + 1 - 5) + 1 = 29
    assert shapes[:2] == [FeatureMaps(30, 32, 8), FeatureMaps(29, 29, 8)]
    assert shapes[2] == FeatureMaps(14, 14, 8)  # ceil((29 - 3)/2) + 1 = 14
    assert shapes[4] == FeatureMaps(28, 28, 4)  # (14 - 1) x 2 - 2 + 3 + 1 = 28
    assert shapes[5:] == [FeatureMaps(10, 12, 4), FeatureMaps(1, 1, 4)]
    bn = nc.layers[3]
    assert (bn.weights.value, bn.biases.value, bn.parameters.value, bn.buffers.value) == (8, 8, 16, 16)
    assert nc.buffers == 16


def test_ceil_mode_drops_a_window_that_starts_in_the_padding() -> None:
    # ceil((5 - 2 + 2)/2) + 1 = 4, but the 4th window would start at 6 >= 5 + 1: PyTorch gives 3
    lc = count(parse_spec("5x5x1 > maxpool 2/2 p=1 ceil")).layers[0]
    assert lc.output_shape.h == 3 and lc.out_h.size.formula == "size.ceil.dropped"


def test_blocks_label_their_layers_by_branch() -> None:
    spec = ("56x56x64 > layer2.0: res(conv 128 3/2 p=1 nobias > bn > relu > conv 128 3 p=1 nobias > bn"
            " | downsample: conv 128 1/2 nobias > bn) > relu"
            " > inc: concat(conv 64 1 | conv 96 1 > conv 128 3 p=1 | maxpool 3/1 p=1 ceil > conv 32 1 | id)")
    network = parse_spec(spec)
    block = network.layers[0]
    assert isinstance(block, Residual) and isinstance(block.shortcut[1], BatchNorm)
    assert isinstance(network.layers[2], Concat) and network.layers[2].branches[3] == ()
    nc = count(network)
    labels = [lc.label for lc in nc.layers]
    assert labels[:8] == ["layer2.0.conv#1", "layer2.0.bn#2", "layer2.0.relu#3", "layer2.0.conv#4", "layer2.0.bn#5",
                          "layer2.0.shortcut.downsample", "layer2.0.shortcut.bn#2", "layer2.0"]
    assert "inc.2.conv#2" in labels and labels[-1] == "inc"
    assert nc.layer("layer2.0").output_shape == FeatureMaps(28, 28, 128)
    assert nc.layer("inc").output_shape == FeatureMaps(28, 28, 64 + 128 + 32 + 128)
    assert nc.parameters == sum(int(lc.parameters.value) for lc in nc.layers)
    assert parse_spec(format_spec(network)).layers == network.layers


def test_nested_blocks_and_format_round_trip() -> None:
    spec = "64x64x1 > concat(crop 32 | maxpool 2 > concat(id | conv 4 3 p=1) > conv 1 1) > conv 2 1"
    network = parse_spec(spec)
    assert format_spec(network) == spec
    assert count(network).output_shape == FeatureMaps(32, 32, 2)


ERRORS = [
    ("32x32x1 > res(conv 8 3 p=1)", "layer res#1: the body gives 32x32x8 but the shortcut res#1.shortcut (identity) "
                                    "gives 32x32x1"),
    ("32x32x4 > b: res(conv 4 3/2 p=1 | conv 4 1)", "layer b: the body gives 16x16x4 but the shortcut b.shortcut "
                                                     "gives 32x32x4"),
    ("32x32x4 > inc: concat(conv 4 1 | conv 4 3)", "layer inc: branch inc.2 gives 30x30 maps but branch inc.1 "
                                                    "gives 32x32"),
    ("32x32x4 > inc: concat(conv 4 1 | conv 4 3 p=1 > cnv 3 1)",
     "spec, branch inc.2, layer 2 'cnv 3 1' (column 49): unknown layer 'cnv'; did you mean 'conv'?"),
    ("32x32x4 > inc: concat(conv 4 1 | conv 4 50)", "layer inc.2.conv#1: the kernel (50) is larger"),
    ("32x32x4 > concat(conv 4 1)", "concat needs at least two branches"),
    ("32x32x4 > res(conv 4 1 | id | id)", "res takes a body and at most one shortcut"),
    ("32x32x4 > concat(conv 4 1 | conv 4 1", "a '(' is not closed"),
    ("32x32x4 > conv 4 1)", "closes nothing"),
    ("32x32x4 > concat(conv 4 1 |  | conv 2 1)", "spec, branch concat#1.2 (column 30): empty branch"),
    ("32x32x4 > rez(conv 4 1)", "unknown block 'rez'; did you mean 'res'?"),
    ("32x32x4 > maxpool 3/2 same ceil", "ceil mode takes an explicit padding"),
    ("32x32x4 > maxpool 2/2 p=2 ceil", "padding 2 is more than half the window 2 in ceil mode"),
    ("32x32x4 > conv 4 3 ceil", "'conv' has no ceil mode"),
    ("8x8x4 > deconv 4 3/2 op=2", "output padding 2 is not smaller than the stride 2"),
    ("8x8x4 > deconv 4 3/2 p=1,2,1,2", "a transposed convolution takes no padding '1,2,1,2'"),
    ("8x8x4 > conv 4 3 p=1,2", "padding '1,2' is not understood"),
    ("8x8x4 > conv 4 3 d=4", "the dilated kernel (9) is larger than the padded input height (8 + 2x0 = 8)"),
    ("8x8x4 > crop 9", "the crop 9x9 is larger than the 8x8 maps"),
    ("8x8x4 > flatten > globalavgpool", "global average pooling needs feature maps"),
]


@pytest.mark.parametrize(("spec", "message"), ERRORS)
def test_errors_name_the_block_branch_and_layer(spec: str, message: str) -> None:
    with pytest.raises(QuizgenError) as info:
        count(parse_spec(spec))
    assert message in str(info.value)


def test_yaml_blocks(tmp_path: Path) -> None:
    path = tmp_path / "net.yaml"
    path.write_text(
        "name: blocks\ninput: 28x28x8\nlayers:\n"
        "  - name: block1\n    res: [conv 8 3 p=1 nobias, bn, relu, conv 8 3 p=1 nobias, bn]\n"
        "  - relu\n"
        "  - name: down\n    res:\n      - conv 16 3/2 p=1\n    shortcut: [conv 16 1/2]\n"
        "  - name: inc\n    concat:\n      - [conv 4 1]\n      - [conv 4 1, conv 8 3 p=1]\n      - id\n"
        "  - 'tail: res(conv 28 1 > bn)'\n"
    )
    network = load_yaml_network(path)
    assert network.layers == parse_spec(
        "28x28x8 > block1: res(conv 8 3 p=1 nobias > bn > relu > conv 8 3 p=1 nobias > bn) > relu"
        " > down: res(conv 16 3/2 p=1 | conv 16 1/2) > inc: concat(conv 4 1 | conv 4 1 > conv 8 3 p=1 | id)"
        " > tail: res(conv 28 1 > bn)").layers
    assert count(network).layer("inc").output_shape == FeatureMaps(14, 14, 28)


def test_yaml_block_errors_name_file_line_and_branch(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("input: 28x28x8\nlayers:\n  - name: inc\n    concat:\n      - [conv 4 1]\n"
                    "      - [conv 4 1, maxpol 2]\n")
    with pytest.raises(QuizgenError) as info:
        load_yaml_network(path)
    text = str(info.value)
    assert f"{path}:6, branch inc.2, layer 2 'maxpol 2'" in text and "did you mean 'maxpool'?" in text
    path.write_text("input: 28x28x8\nlayers:\n  - name: b\n    res: [conv 4 1]\n    concat: [[conv 4 1]]\n")
    with pytest.raises(QuizgenError, match="either 'res'"):
        load_yaml_network(path)


def test_new_layer_values() -> None:
    layer = parse_layer("up: deconv 64 2/2 op=1 d=2 g=2 nobias")
    assert layer == Deconv(64, (2, 2), (2, 2), 0, (1, 1), 2, False, (2, 2), "up")
    pool = parse_layer("maxpool 3/2 p=1 ceil")
    assert isinstance(pool, Pool) and pool.ceil and pool.padding == 1


def test_every_builtin_reads_back_from_its_formatted_spec() -> None:
    from quizgen.nets.builtin import BUILTINS, builtin

    for name in BUILTINS:
        network = builtin(name)
        assert parse_spec(format_spec(network)).layers == network.layers, name
