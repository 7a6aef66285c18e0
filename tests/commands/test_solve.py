"""``quizgen solve``: formats, explanations and every user error (one line, exit 2, no traceback)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

LENET = "32x32x1 > conv 6 5 > maxpool 2 > conv 16 5 > maxpool 2 > fc 120 > fc 84 > fc 10"


def test_table_has_every_layer_totals_and_memory(run_cli) -> None:  # noqa: ANN001
    r = run_cli("solve", "lenet5")
    assert r.code == 0, r.err
    for label in ("C1", "S2", "C3", "S4", "C5", "F6", "Out"):
        assert f"\n{label} " in r.out
    assert "60,000" in r.out and "122,304" in r.out and "151,600" in r.out
    assert "float32 240,000 B" in r.out and "float16 120,000 B" in r.out


def test_spec_network(run_cli) -> None:  # noqa: ANN001
    r = run_cli("solve", LENET, "--format", "json")
    data = json.loads(r.out)
    assert data["totals"]["parameters"] == 61_706
    assert [layer["output_shape"] for layer in data["layers"]][:4] == [[28, 28, 6], [14, 14, 6], [10, 10, 16],
                                                                         [5, 5, 16]]


def test_csv_and_latex(run_cli) -> None:  # noqa: ANN001
    rows = list(csv.DictReader(io.StringIO(run_cli("solve", "alexnet-2012", "--format", "csv").out)))
    assert rows[-1]["layer"] == "total" and rows[-1]["parameters"] == "60965224"
    latex = run_cli("solve", "lenet5", "--format", "latex").out
    assert r"\toprule" in latex and r"1\,516" not in latex and "$1516$" in latex and r"$60\,000$" in latex


def test_explain_prints_formula_substitution_result(run_cli) -> None:  # noqa: ANN001
    out = run_cli("solve", "lenet5", "--explain").out
    assert "#W           = f² × K = 5² × 60 = 1500" in out
    assert "connections  = (f² + 1) × N_c × O² = (2² + 1) × 6 × 14² = 5880" in out


def test_alexnet_warns_about_the_lecture_table(run_cli) -> None:  # noqa: ANN001
    r = run_cli("solve", "alexnet")
    assert r.code == 0
    assert "warning: C1: the table lists an output size of 55x55, but the arithmetic gives 56x56" in r.out


def test_yaml_network(tmp_path: Path, run_cli) -> None:  # noqa: ANN001
    path = tmp_path / "net.yaml"
    path.write_text("name: tiny\ninput: 28x28x1\nlayers:\n  - 'C1: conv 8 3 p=1'\n  - maxpool 2\n  - fc 10\n")
    r = run_cli("solve", str(path), "--format", "json")
    assert json.loads(r.out)["totals"]["parameters"] == (9 * 8 + 8) + (14 * 14 * 8 * 10 + 10)


ERRORS = [
    ("32x32x1 > conv 6 50", "layer conv#1: the kernel (50) is larger than the padded input height"),
    ("32x32x1 > conv 6 5 valid > conv 4 29 valid",
     "layer conv#2: the window (29) is larger than the input height (28)"),
    ("32x32x1 > cnv 6 5", "spec, layer 1 'cnv 6 5' (column 11): unknown layer 'cnv'; did you mean 'conv'?"),
    ("32x32x1 > conv 6 5 strid=2", "unknown option 'strid' for conv; did you mean 'stride'?"),
    ("32x32x1 > conv 0 5", "the number of filters is 0; the number of filters must be at least 1"),
    ("32x32x1 > conv -3 5", "the number of filters is -3"),
    ("32x32x0 > conv 6 5", "input 32x32x0 has a zero size"),
    ("32x32x6 > conv 16 5 table=110/011", "the connection table is 2x3 but the layer connects 6 input maps to 16"),
    ("fc 10 > fc 5", "'fc 10' comes before anything to flatten; start with the input size"),
    ("32x32x1 > conv 6 5 >", "empty layer"),
    ("32x32x1 > conv six 5", "the number of filters 'six' is not a whole number"),
    ("32x32x3 > conv 8 3 g=2", "2 groups do not divide the 3 input maps and the 8 filters evenly"),
    ("29x29x1 > subsample 2", "subsampling 2/2 does not tile the input height 29 exactly"),
    ("lenet6", "no built-in network 'lenet6'; did you mean 'lenet5'?"),
    ("32x32x1 > maxpool 2 > relu 3", "too many values for relu"),
]


@pytest.mark.parametrize(("spec", "message"), ERRORS)
def test_bad_networks_exit_2_with_one_line(spec: str, message: str, run_cli) -> None:  # noqa: ANN001
    r = run_cli("solve", spec)
    assert r.code == 2
    assert r.out == ""
    lines = r.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), r.err
    assert message in lines[0]
    assert "Traceback" not in r.err


def test_bad_yaml_network_names_file_and_line(tmp_path: Path, run_cli) -> None:  # noqa: ANN001
    path = tmp_path / "bad.yaml"
    path.write_text("input: 32x32x1\nlayers:\n  - conv 6 5\n  - maxpol 2\n")
    r = run_cli("solve", str(path))
    assert r.code == 2
    assert f"{path}:4" in r.err and "did you mean 'maxpool'?" in r.err


def test_unknown_format_is_a_usage_error(run_cli) -> None:  # noqa: ANN001
    r = run_cli("solve", "lenet5", "--format", "xml")
    assert r.code == 2 and r.err.startswith("error: option --format: 'xml' is not one of") and r.err.count("\n") == 1


def test_help_is_light_and_documents_every_command() -> None:
    """`quizgen --help` imports no heavy module (so it starts fast) and lists every command."""
    code = (
        "import sys\nfrom quizgen.commands.cli import main\nsys.argv=['quizgen','--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy=[m for m in ('sympy','torch','jinja2','lxml','pylatex','yaml') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "HEAVY []" in out
    from quizgen.commands.cli import COMMANDS

    for name in COMMANDS:
        assert f"  {name} " in out, name


def test_module_entry_point_and_version() -> None:
    out = subprocess.run([sys.executable, "-m", "quizgen", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("quizgen, version ")


def test_torch_counts_beside_the_engine(run_cli) -> None:  # noqa: ANN001
    from tests.conftest import require_module

    require_module("torch")
    r = run_cli("solve", "lenet5", "--torch")
    assert r.code == 0, r.err
    assert "torch params" in r.out and "torch shape" in r.out
    c3 = next(line for line in r.out.splitlines() if line.startswith("C3 "))
    assert c3.count("1,516") == 2 and c3.rstrip().endswith("10×10×16")


def test_measures_in_json_for_a_batch_and_dtype(run_cli) -> None:  # noqa: ANN001
    r = run_cli("solve", "resnet18", "--format", "json", "--batch", "32", "--dtype", "float16")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    totals = data["totals"]
    assert (totals["parameters"], totals["macs"], totals["flops"]) == (11_689_512, 1_814_073_344, 3_628_146_688)
    assert totals["buffers"] == 9_600 and data["batch"] == 32 and data["dtype"] == "float16"
    assert data["activation_bytes"] == totals["activations"] * 32 * 2
    adam = data["training_bytes"]["adam"]
    assert adam["total"] == 2 * ((2 + 2) * 11_689_512 + 9_600 + 32 * totals["activations"])
    assert adam["optimizer_state"] == 2 * adam["parameters"] and "Adam 2" in data["assumptions"]
    layers = {layer["label"]: layer for layer in data["layers"]}
    assert layers["conv1"]["receptive_field"] == {"size": [7, 7], "jump": [2, 2], "start": [0, 0]}
    assert layers["conv1"]["padding"] == {"top": 3, "bottom": 3, "left": 3, "right": 3}
    assert layers["conv1"]["fan_in"] == 147 and layers["bn1"]["buffers"] == 128
    assert layers["layer4.1"]["receptive_field"]["size"] == [435, 435]
    assert layers["fc"]["receptive_field"] is None and not layers["relu#3"]["in_activations_total"]


def test_measures_in_csv_latex_and_table(run_cli) -> None:  # noqa: ANN001
    rows = list(csv.DictReader(io.StringIO(run_cli("solve", "alexnet", "--format", "csv").out)))
    c1 = rows[0]
    assert (c1["macs"], c1["flops"], c1["rf_size"], c1["rf_jump"], c1["rf_start"]) == (
        "109283328", "218566656", "11x11", "4x4", "2x2")
    assert [c1[f"pad_{side}"] for side in ("top", "bottom", "left", "right")] == ["3", "4", "3", "4"]  # SAME
    assert rows[-1]["layer"] == "total" and int(rows[-1]["macs"]) == sum(int(r["macs"]) for r in rows[:-1])
    assert "Connections & MACs & RF" in run_cli("solve", "lenet5", "--format", "latex").out
    table = run_cli("solve", "googlenet").out
    assert "MACs: 1,498,376,192 multiply-accumulates" in table and "buffers (stored, not trained): 14,560" in table
    assert "training memory, batch 1, float32, Adam" in table and "assumptions:" in table


def test_explain_a_residual_block(run_cli) -> None:  # noqa: ANN001
    out = run_cli("solve", "resnet18", "--explain").out
    assert "layer2.0.shortcut.downsample — conv 128 1/2 nobias: 56×56×64 → 28×28×128" in out
    assert "layer2.0 — residual: body + shortcut: 56×56×64 → 28×28×128" in out
    assert "  RF size      = r₋₁ + (f - 1) × j₋₁ = 51 + (3 - 1) × 8 = 67" in out
    assert "  buffers      = 2 × N_c = 2 × 128 = 256" in out
    assert "FLOPs        = 2 × MACs = 2 × 1,814,073,344 = 3,628,146,688" in out


@pytest.mark.parametrize("args", [("--batch", "0"), ("--dtype", "int8")])
def test_bad_batch_or_dtype_is_a_usage_error(args: tuple[str, str], run_cli) -> None:  # noqa: ANN001
    r = run_cli("solve", "lenet5", *args)
    assert r.code == 2 and r.out == ""


def test_torch_counts_beside_the_engine_with_blocks(run_cli) -> None:  # noqa: ANN001
    from tests.conftest import require_module

    require_module("torch")
    r = run_cli("solve", "16x16x3 > conv 8 3 p=1 nobias > bn > b: res(conv 8 3 p=1 > bn | conv 8 1 > bn) > relu"
                " > inc: concat(id | conv 4 1) > deconv 4 2/2 op=1 > globalavgpool > flatten > fc 3", "--torch")
    assert r.code == 0, r.err
    assert "disagreement" not in r.err
    rows = {line.split()[0]: line for line in r.out.splitlines() if line[:1].isalpha()}
    assert rows["b.shortcut.bn#2"].rstrip().endswith("16  16×16×8") and rows["inc"].rstrip().endswith("16×16×12")
