"""The network diagram: well-formed standalone SVG, the right labels, inside its viewBox, deterministic."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from quizgen.nets.builtin import BUILTINS, LECTURE, builtin
from quizgen.nets.spec import parse_spec
from quizgen.problems.measures import At, Measure, Total, in_bytes, in_unit, sum_of
from quizgen.problems.model import Problem
from quizgen.render.svg import MAX_WIDTH, box_of, network_svg, stages

NS = {"s": "http://www.w3.org/2000/svg"}


def parse(svg: str) -> etree._Element:
    root = etree.fromstring(svg.encode())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return root


def texts(root: etree._Element) -> list[str]:
    return [t.text for t in root.iterfind(".//s:text", NS)]


def _offset(el: etree._Element) -> tuple[float, float]:
    """Where an element's coordinates start: the sum of its ancestors' translations (the only transform used)."""
    dx = dy = 0.0
    for node in (el, *el.iterancestors()):
        transform = node.get("transform")
        if transform is not None:
            m = re.fullmatch(r"translate\(([-\d.]+) ([-\d.]+)\)", transform)
            assert m, transform
            dx, dy = dx + float(m.group(1)), dy + float(m.group(2))
    return dx, dy


def _path_points(d: str) -> list[tuple[float, float]]:
    """The corners a path's data visits (the commands the diagrams use: M, l, h, v, z)."""
    tokens = re.findall(r"[A-Za-z]|-?\d+(?:\.\d+)?", d)
    points: list[tuple[float, float]] = []
    x = y = 0.0
    i = 0
    while i < len(tokens):
        command = tokens[i]
        assert command in "MlhvZz", (command, d)
        if command == "M":
            x, y = float(tokens[i + 1]), float(tokens[i + 2])
            i += 3
        elif command == "l":
            x, y = x + float(tokens[i + 1]), y + float(tokens[i + 2])
            i += 3
        elif command == "h":
            x += float(tokens[i + 1])
            i += 2
        elif command == "v":
            y += float(tokens[i + 1])
            i += 2
        else:
            i += 1
        points.append((x, y))
    return points


def assert_inside(root: etree._Element) -> None:
    """Every coordinate of every element (moved by the groups' translations) lies inside the declared viewBox."""
    width, height = float(root.get("width")), float(root.get("height"))
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    for el in root.iter():
        dx, dy = _offset(el)
        line = el.tag.endswith("}line")  # its ends default to 0 when not written
        xs = [float(el.get(key, "0")) + dx for key in ("x", "x1", "x2") if key in el.attrib or (line and key != "x")]
        ys = [float(el.get(key, "0")) + dy for key in ("y", "y1", "y2") if key in el.attrib or (line and key != "y")]
        if el.tag.endswith("}rect") and not el.get("width", "").endswith("%"):
            xs.append(float(el.get("x", "0")) + dx + float(el.get("width")))
            ys.append(float(el.get("y", "0")) + dy + float(el.get("height")))
        for pair in el.get("points", "").split():
            x, y = map(float, pair.split(","))
            xs.append(x + dx)
            ys.append(y + dy)
        for x, y in _path_points(el.get("d", "")):
            xs.append(x + dx)
            ys.append(y + dy)
        for x in xs:
            assert 0 <= x <= width, (el.tag, el.attrib, x)
        for y in ys:
            assert 0 <= y <= height, (el.tag, el.attrib, y)


def test_lenet5_labels_like_the_lecture_figure() -> None:
    root = parse(network_svg(builtin("lenet5")))
    labels = texts(root)
    for label in ("input", "32×32×1", "C1", "28×28×6", "S2", "14×14×6", "C3", "10×10×16", "S4", "5×5×16",
                  "C5", "1×1×120", "F6", "84", "Out", "10", "conv 5×5", "subsampling 2×2", "fc", "rbf",
                  "connection table"):
        assert label in labels, label
    title = root.find("s:title", NS).text
    assert title.startswith("Network diagram of LeNet-5")
    assert "C1 28×28×6" in title
    assert_inside(root)


def test_zero_parameter_layers_fold_into_the_arrow_before_them() -> None:
    network = builtin("lenet5-modern")
    drawn = stages(network)
    # input, C1, S2, C3, S4, flatten, C5, F6, Out: relu and softmax are not shapes of their own
    assert [s.name for s in drawn] == ["input", "C1", "S2", "C3", "S4", "", "C5", "F6", "Out"]
    labels = texts(parse(network_svg(network)))
    assert labels.count("+ relu") == 4
    assert "+ softmax" in labels
    assert "400" in labels  # the flatten length, as a bar
    assert "relu" not in labels


def test_alexnet_2012_details_and_several_folded_layers() -> None:
    labels = texts(parse(network_svg(builtin("alexnet-2012"))))
    assert "conv 11×11" in labels and "s=4" in labels
    assert "p=2, g=2" in labels
    assert "+ relu, lrn 5" in labels
    assert "+ relu, dropout 0.5" in labels
    assert "maxpool 3×3" in labels and "s=2" in labels
    assert "4096" in labels  # grouped from five digits, as in the text beside the diagram
    labels = texts(parse(network_svg(parse_spec("100x100x3 > conv 4 1 > flatten > fc 12345"))))
    assert "40\u202f000" in labels and "12\u202f345" in labels and "100×100×3" in labels


def test_leading_and_only_folded_layers() -> None:
    labels = texts(parse(network_svg(parse_spec("32x32x3 > dropout 0.2 > conv 4 3 nobias"))))
    assert "dropout 0.2 +" in labels
    assert "no bias" in labels
    labels = texts(parse(network_svg(parse_spec("8x8x1 > relu"))))
    assert labels.count("8×8×1") == 2 and "relu" in labels


def test_italian() -> None:
    svg = network_svg(parse_spec("28x28x3 > conv 4 3 nobias > fc 10"), lang="it")
    root = parse(svg)
    assert root.find("s:title", NS).text.startswith("Schema della rete")
    assert "senza bias" in texts(root)


@pytest.mark.parametrize("name", LECTURE)
def test_builtins_are_standalone_and_inside_the_view(name: str) -> None:
    svg = network_svg(builtin(name))
    root = parse(svg)
    assert_inside(root)
    assert float(root.get("width")) <= MAX_WIDTH + 2 * 14 + 1
    # standalone: no external fonts, images, links, styles or scripts
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", svg)
    assert "href" not in svg and "url(" not in svg and "@import" not in svg
    assert root.find(".//s:script", NS) is None and root.find(".//s:image", NS) is None


def test_long_networks_wrap_and_narrow_pages_get_narrow_rows() -> None:
    wide = parse(network_svg(builtin("vgg16")))
    assert float(wide.get("width")) <= MAX_WIDTH + 2 * 14 + 1
    assert len(wide.findall("s:g", NS)) >= 4  # one group per row
    narrow = parse(network_svg(builtin("vgg16"), max_width=420))
    assert float(narrow.get("width")) <= 420 + 2 * 14 + 1
    assert len(narrow.findall("s:g", NS)) > len(wide.findall("s:g", NS))
    assert_inside(narrow)


LAYER = st.sampled_from(["conv 8 3 p=1", "conv 16 3/2 same", "maxpool 2 same", "relu", "dropout", "avgpool 3/1 same"])


@settings(max_examples=25, deadline=None)
@given(st.lists(LAYER, min_size=1, max_size=16), st.lists(st.sampled_from(["fc 64", "fc 10", "relu"]), max_size=4))
def test_any_chain_of_1_to_20_layers_fits(convs: list[str], fcs: list[str]) -> None:
    spec = " > ".join(["64x64x3", *convs, "flatten", *fcs])
    svg = network_svg(parse_spec(spec))
    root = parse(svg)
    assert_inside(root)
    assert float(root.get("width")) <= MAX_WIDTH + 2 * 14 + 1


def test_deterministic_across_processes() -> None:
    code = ("from quizgen.nets.builtin import builtin; from quizgen.render.svg import network_svg; "
            "import sys; sys.stdout.write(network_svg(builtin('alexnet-2012'), 'it'))")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout
    assert other == network_svg(builtin("alexnet-2012"), "it")
    assert network_svg(builtin("lenet5")) == network_svg(builtin("lenet5"))


def test_asked_sizes_are_drawn_as_question_marks() -> None:
    from quizgen.problems.model import Part

    network = parse_spec("55x55x3 > C1: conv 6 5/2 > relu > S2: maxpool 2 valid > flatten > F3: fc 10")
    problem = Problem(id="x", family="output-size", difficulty=3, lang="en", seed=0, title="", stem="",
                      parts=(Part("size", "O", 26, measure=At("out_h", "C1")),
                             Part("act", "A", 1014, measure=At("activations", "S2"))),
                      network=network)
    root = parse(network_svg(network, problem=problem))
    labels = texts(root)
    assert "?×?×6" in labels  # C1's side is asked; its depth is given by the filters
    assert "?×?×?" in labels  # S2's activations are asked
    assert "1014" not in labels and "26×26×6" not in labels and "13×13×6" not in labels
    assert "?" in labels  # the flatten length would give S2's activations away
    assert "55×55×3" in labels and "10" in labels
    title = root.find("s:title", NS).text
    assert "26" not in title and "1014" not in title and "13×13" not in title
    # the hidden boxes do not show their size through their proportions either
    c1 = stages(network, asked={1: {"h", "w"}})[1]
    other = parse_spec("99x99x3 > C1: conv 6 5/2")
    assert box_of(c1.shape, c1.hide) == box_of(stages(other, asked={1: {"h", "w"}})[1].shape, c1.hide)
    assert network_svg(network, problem=problem) != network_svg(network)


def test_asked_sizes_read_every_form_of_measure() -> None:
    from quizgen.problems.model import Part
    from quizgen.render.svg import asked_sizes

    network = parse_spec("32x32x3 > C1: conv 6 5 > relu > S2: maxpool 2 > flatten > F3: fc 10")

    def asked(*measures: Measure, index: int = 0) -> dict[int, set[str]]:
        parts = tuple(Part(f"p{i}", "x", 1, measure=m) for i, m in enumerate(measures))
        problem = Problem(id="x", family="f", difficulty=1, lang="en", seed=0, title="", stem="", parts=parts,
                          network=network)
        return asked_sizes(problem, network, index)

    assert asked(At("params", "C1"), Total("params")) == {}
    assert asked(At("out_h", "C1")) == {1: {"h", "w"}} == asked(At("out_w", "C1"))
    assert asked(At("out_d", "S2")) == {3: {"d", "n"}}
    assert asked(At("activations", "-1")) == {5: set("hwdn")} == asked(At("activations", "F3"))
    assert asked(At("flatten", "-2"), At("out_h", "S2")) == {4: set("hwdn"), 3: {"h", "w"}}
    assert asked(At("out_w", "nosuch"), At("out_h", "-")) == {}
    one = At("out_h", "C1", network=1)
    assert asked(one) == {} and asked(one, index=1) == {1: {"h", "w"}}
    assert asked(in_unit(in_bytes(Total("activations"), "float32"), "MB")) == {i: set("hwdn") for i in range(1, 6)}
    other = sum_of(Total("activations", 1))
    assert asked(other) == {} and len(asked(other, index=1)) == 5


def test_a_stage_drawn_twice_and_diagrams_drawn_in_turn() -> None:
    """A diagram that repeats a stage draws it twice; diagrams drawn in turn, in either order, come out the same."""
    twice = parse_spec("8x8x4 > conv 4 3 same > conv 4 3 same")
    items = stages(twice)
    assert items[1] == items[2]
    root = parse(network_svg(twice))
    assert texts(root).count("conv 3×3") == 2 and texts(root).count("8×8×4") == 3
    assert len(root.findall("s:g/s:g", NS)) == 3
    assert_inside(root)
    # 1 to 12 rows, drawn in turn here and in the other order by a fresh process: each diagram comes out the same
    specs = ["8x8x4 > conv 4 3 same > conv 4 3 same", "lenet5", "vgg16", "alexnet-2012", "8x8x1 > relu", "vgg16"]
    widths = [900, 900, 420, 900, 900, 900]
    code = ("import json, sys; from quizgen.nets.builtin import BUILTINS, builtin; from quizgen.nets.spec import "
            "parse_spec; from quizgen.render.svg import network_svg; specs, widths = json.loads(sys.argv[1]); "
            "print(json.dumps([network_svg(builtin(s) if s in BUILTINS else parse_spec(s), max_width=w) "
            "for s, w in zip(specs[::-1], widths[::-1])][::-1]))")
    first = [network_svg(builtin(s) if s in BUILTINS else parse_spec(s), max_width=w)
             for s, w in zip(specs, widths, strict=True)]
    other = subprocess.run([sys.executable, "-c", code, json.dumps([specs, widths])], capture_output=True, text=True,
                           check=True).stdout
    assert json.loads(other) == first
    assert [len(parse(svg).findall("s:g", NS)) for svg in first] == [1, 2, 12, 3, 1, 5]
