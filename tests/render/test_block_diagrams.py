"""Diagrams of the layers beyond the lecture: batch norm, transposed convolutions, global pooling, crops, and the
branches of concat and residual blocks, in the SVG (practice page, Moodle, terminal) and in the exam's TikZ."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from quizgen.nets.builtin import BUILTINS, builtin
from quizgen.nets.spec import parse_spec
from quizgen.problems.measures import At, Total
from quizgen.problems.model import Part, Problem
from quizgen.render.svg import network_chain, network_svg, stages
from quizgen.render.tikz import network_tikz
from tests.conftest import require_tool
from tests.render.test_svg import NS, assert_inside, parse, texts

RESIDUAL = "32x32x16 > B1: res(conv 32 3/2 p=1 > bn > relu > conv 32 3 p=1 > bn | conv 32 1/2 > bn) > relu"
IDENTITY = "16x16x8 > B1: res(conv 8 3 p=1 > bn > relu > conv 8 3 p=1 > bn) > relu"
INCEPTION = "28x28x192 > inc: concat(conv 64 1 | conv 96 1 > conv 128 3 p=1 | conv 16 1 > conv 32 5 p=2 | " \
            "maxpool 3/1 p=1 > conv 32 1)"
DECODER = "8x8x64 > up: deconv 32 2/2 > bn > relu > globalavgpool > fc 10"


def _problem(network: str, *measures: object, lang: str = "en") -> tuple[Problem, object]:
    net = parse_spec(network)
    parts = tuple(Part(f"p{i}", "x", 1, measure=m) for i, m in enumerate(measures))
    return Problem(id="x", family="f", difficulty=1, lang=lang, seed=0, title="", stem="", parts=parts,
                   network=net), net


def test_batch_norm_folds_into_the_arrow_and_new_layers_have_their_words() -> None:
    network = parse_spec(DECODER)
    assert [s.name for s in stages(network)] == ["input", "up", "", "", ]
    labels = texts(parse(network_svg(network)))
    assert "deconv 2×2" in labels and "s=2" in labels and "+ bn, relu" in labels
    assert "global avgpool" in labels and "1×1×32" in labels and "16×16×32" in labels
    assert "avgpool globale" in texts(parse(network_svg(network, "it")))
    crop = texts(parse(network_svg(parse_spec("12x12x4 > crop 8 > conv 2 1/1 p=1x0 d=2"))))
    assert "crop 8×8" in crop and "8×8×4" in crop


def test_a_residual_block_draws_both_branches_and_adds_them() -> None:
    root = parse(network_svg(parse_spec(RESIDUAL)))
    assert_inside(root)
    labels = texts(root)
    assert labels.count("16×16×32") == 4  # two convolutions of the body, the projection, the sum
    assert "conv 1×1" in labels and "+ relu" in labels and "B1" in labels
    assert len(root.findall(".//s:circle", NS)) == 1  # the adding node
    identity = parse(network_svg(parse_spec(IDENTITY), "it"))
    assert "identità" in texts(identity)
    assert network_chain(parse_spec(IDENTITY)) == ("input 16×16×8 → res(conv 3×3 → 16×16×8 → conv 3×3 → 16×16×8 | "
                                                   "identity) → B1 16×16×8")


def test_an_inception_module_draws_four_branches_and_concatenates_them() -> None:
    root = parse(network_svg(parse_spec(INCEPTION)))
    assert_inside(root)
    labels = texts(root)
    assert "concat" in labels and "28×28×256" in labels
    for size in ("28×28×64", "28×28×128", "28×28×32", "28×28×192"):
        assert size in labels
    assert labels.count("conv 1×1") == 4 and "maxpool 3×3" in labels


def test_every_built_in_network_is_drawn_inside_its_view() -> None:
    for name in BUILTINS:
        for width in (900, 420):
            root = parse(network_svg(builtin(name), max_width=width))
            assert_inside(root)


def test_asked_sizes_inside_a_block_are_question_marks() -> None:
    problem, net = _problem(INCEPTION, At("out_d", "inc"))
    labels = texts(parse(network_svg(net, problem=problem)))
    assert "28×28×256" not in labels and "28×28×?" in labels
    problem, net = _problem(INCEPTION, At("out_d", "inc"), At("out_h", "inc.2.conv#2"))
    labels = texts(parse(network_svg(net, problem=problem)))
    assert "?×?×128" in labels and "28×28×128" not in labels
    assert "?×?×?" in labels  # the merged maps would give the branch's size away
    problem, net = _problem(RESIDUAL, Total("activations"))
    labels = texts(parse(network_svg(net, problem=problem)))
    assert "16×16×32" not in labels and "?×?×?" in labels


@pytest.mark.parametrize("spec", [RESIDUAL, IDENTITY, INCEPTION, DECODER])
def test_tikz_draws_the_new_layers_and_blocks(spec: str) -> None:
    problem, net = _problem(spec, Total("params"), lang="it")
    tikz = network_tikz(net, problem)
    assert tikz.count(r"\begin{tikzpicture}") == 1
    if "res(" in spec:
        assert "circle" in tikz and "$+$" in tikz
    if "concat(" in spec:
        assert "{concat}" in tikz and tikz.count("conv\\\\$1{\\times}1$") == 4
    if "deconv" in spec:
        assert "conv trasposta" in tikz and "+ BN + ReLU" in tikz and "avgpool globale" in tikz
    if "|" not in spec and "res(" in spec:
        assert r"\emph{identità}" in tikz


def test_tikz_of_a_question_about_a_layer_inside_a_block_draws_the_block() -> None:
    block = IDENTITY.split(" > ", 1)[1]
    problem, net = _problem(f"16x16x3 > C1: conv 8 3 p=1 > C2: conv 8 3 p=1 > C3: conv 8 3 p=1 > {block} > F: flatten"
                            " > fc 10", At("params", "B1.conv#1"), At("out_h", "B1.conv#1"))
    tikz = network_tikz(net, problem)
    assert "identity" in tikz and "dashed" in tikz  # the first layers are left out
    assert "?{\\times}?{\\times}8" in tikz


def test_tikz_of_blocks_compiles(tmp_path: Path) -> None:
    pdflatex = require_tool("pdflatex")
    pictures = []
    for spec in (RESIDUAL, IDENTITY, INCEPTION, DECODER):
        problem, net = _problem(spec, Total("params"))
        pictures.append(r"\noindent\resizebox{\linewidth}{!}{" + network_tikz(net, problem) + "}\n\n")
    net = builtin("resnet18")
    problem = Problem(id="x", family="f", difficulty=1, lang="en", seed=0, title="", stem="", network=net)
    pictures.append(r"\noindent\resizebox{!}{0.9\textheight}{" + network_tikz(net, problem) + "}\n\n")
    (tmp_path / "d.tex").write_text(r"\documentclass{article}\usepackage{tikz}\usepackage{graphicx}"
                                    r"\begin{document}" + "\n".join(pictures) + r"\end{document}")
    run = subprocess.run([pdflatex, "-interaction=nonstopmode", "-halt-on-error", "d.tex"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-2000:]
    assert "Overfull" not in run.stdout
