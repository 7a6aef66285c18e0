"""An entry's own network: memory questions about the instructor's network (a spec, a built-in name or a file beside
the bank), every answer the engine's count of that network, checked like any drawn question."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from quizgen.bank.draw import entry_variants
from quizgen.bank.load import load_bank
from quizgen.errors import QuizgenError
from quizgen.nets.builtin import builtin
from quizgen.nets.engine import count
from tests.conftest import require_module

SPEC = "32x32x3 > conv 16 5 p=2 > relu > maxpool 2 > conv 32 3 p=1 > relu > maxpool 2 > fc 64 > relu > fc 10"


def _bank(tmp_path: Path, entries: str) -> Path:
    path = tmp_path / "bank.yaml"
    path.write_text("title: Own network\nlang: en\nseed: 9\nentries:\n" + entries, encoding="utf-8")
    return path


def test_every_difficulty_asks_about_the_entrys_network(tmp_path: Path) -> None:
    entries = "".join(f'  - family: memory\n    difficulty: {d}\n    network: "{SPEC}"\n' for d in (1, 2, 3))
    bank = load_bank(_bank(tmp_path, entries))
    network = bank.entries[0].params["network"]
    # ReLU is applied in place: the layers the questions list, named by position as LeNet-5's are
    assert [layer.name for layer in network.layers] == ["C1", "S2", "C3", "S4", "F5", "F6"]
    nc = count(network)
    for index, difficulty in enumerate((1, 2, 3)):
        for problem in entry_variants(bank, index, 2 if difficulty == 1 else 4):
            assert problem.network == network
            answers = {p.key: p.answer for p in problem.parts}
            if "params" in answers:
                assert answers["params"] == nc.parameters
            if problem.title == "Memory of the parameters":
                unit = problem.part("float32").unit
                assert answers["float32"] * {"MB": 10**6, "MiB": 2**20}[unit] == 4 * nc.parameters
            if difficulty > 1:
                # the stem lists every layer in full words (the small CNN's fixed sizes are not assumed)
                assert "a convolutional layer C3 of $32$ filters of $3 \\times 3$ with stride $s = 1$" in problem.stem
                assert "a fully connected layer F6 of $10$ nodes" in problem.stem
            if difficulty == 2 and "activations" in answers and "layer" in problem.parts[0].label.lower():
                label = next(lb for lb in ("C1", "C3") if lb in problem.parts[0].label)
                assert answers["activations"] == nc.layer(label).activations.value
            if difficulty == 3:
                assert answers["activations"] == sum(lc.activations.value for lc in nc.layers)


def test_a_builtin_network_and_a_network_file_beside_the_bank(tmp_path: Path) -> None:
    (tmp_path / "nets").mkdir()
    (tmp_path / "nets" / "mine.yaml").write_text(
        "name: mine\ntitle: My 4-layer CNN\ninput: 28x28x1\nlayers:\n  - 'C1: conv 8 3 p=1'\n  - maxpool 2\n"
        "  - 'C3: conv 16 3 p=1'\n  - fc 10\n", encoding="utf-8")
    bank = load_bank(_bank(tmp_path, "  - family: memory\n    difficulty: 1\n    network: vgg16\n    name: VGG\n"
                                     "  - family: memory\n    difficulty: 1\n    network: nets/mine.yaml\n"))
    vgg = entry_variants(bank, 0, 1)[0]
    assert count(vgg.network).parameters == count(builtin("vgg16")).parameters == 138_357_544
    mine = entry_variants(bank, 1, 1)[0]
    assert mine.stem.startswith("My 4-layer CNN has $")
    assert [layer.name for layer in mine.network.layers] == ["C1", "S2", "C3", "F4"]


def test_own_network_questions_pass_the_pytorch_check(tmp_path: Path) -> None:
    require_module("torch")
    from quizgen.verify.torch_check import check_problems

    entries = "".join(f'  - family: memory\n    difficulty: {d}\n    network: "{SPEC}"\n' for d in (2, 3))
    bank = load_bank(_bank(tmp_path, entries))
    problems = [p for i in range(2) for p in entry_variants(bank, i, 3)]
    assert check_problems(problems) == []


@pytest.mark.parametrize(("entry", "message", "fix"), [
    ('  - family: conv-conv\n    network: "{spec}"\n', "network: is for the questions about a whole network, not "
     "conv-conv", "memory"),
    ('  - family: memory\n    network: "{spec}"\n    params: {{network: vgg16}}\n', "the network is given twice",
     "keep one"),
    ('  - family: memory\n    network: "32x32x3 > conv 8 3 > lrn > fc 10"\n    difficulty: 2\n',
     "layer 2 of the network (lrn) is not one the memory questions describe", "square conv and pooling layers"),
    ('  - family: memory\n    network: "32x16x3 > conv 8 3 > fc 10"\n    difficulty: 2\n',
     "the network's input is 32x16", "square"),
    ('  - family: memory\n    network: "32x32x3 > conv 8 3 > fcc 10"\n', "network:", ""),
    ('  - family: memory\n    network: vgg61\n', "network: no built-in network 'vgg61'", "did you mean"),
    ('  - family: memory\n    network: vgg16\n    difficulty: 3\n', "the network has 21 layers; a difficulty-3 "
     "question adds up the counts of its layers by hand, at most 12", "use difficulty 1"),
])
def test_a_network_the_questions_cannot_use_is_one_line(tmp_path: Path, run_cli, entry: str, message: str,  # noqa: ANN001
                                                       fix: str) -> None:
    path = _bank(tmp_path, entry.format(spec=SPEC))
    with pytest.raises(QuizgenError) as info:
        load_bank(path)
    assert info.value.where == f"{path}:6" and message in info.value.message and fix in info.value.fix
    result = run_cli("stress", str(path))
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1


PADDED = ("32x32x3 > conv 16 3 same > relu > avgpool 2 > conv 32 3/2 same nobias > relu > maxpool 3/2 valid "
          "> fc 10")


def test_same_valid_and_average_pooling_in_an_own_network(tmp_path: Path) -> None:
    entries = "".join(f'  - family: memory\n    difficulty: {d}\n    network: "{PADDED}"\n' for d in (2, 3))
    bank = load_bank(_bank(tmp_path, entries))
    network = bank.entries[0].params["network"]
    nc = count(network)
    # SAME: ceil(W/s) (32, then 8 after the pooling's 16); VALID: floor((W - f)/s) + 1 = floor((8 - 3)/2) + 1 = 3
    assert [str(lc.output_shape) for lc in nc.layers] == ["32x32x16", "16x16x16", "8x8x32", "3x3x32", "10"]
    for problem in entry_variants(bank, 1, 4):
        assert "an average-pooling layer S2 with $2 \\times 2$ windows" in problem.stem
        assert "a convolutional layer C3 of $32$ filters of $3 \\times 3$ with stride $s = 2$ and SAME padding, " \
               "without bias" in problem.stem
        assert "SAME and VALID follow TensorFlow/Keras" in problem.stem
        assert problem.part("activations").answer == nc.activations == 16384 + 4096 + 2048 + 288 + 10


def test_same_padding_agrees_with_pytorch() -> None:
    """PyTorch's padding='same' is for stride 1 only; with a stride the check pads explicitly as TensorFlow does
    (the extra zero after), and both agree with the engine's ceil(W/s)."""
    require_module("torch")
    import torch
    from torch import nn

    from quizgen.nets.spec import parse_spec
    from quizgen.verify.torch_modules import same_pads

    for w in (7, 8, 15, 32):
        for f in (1, 2, 3, 5):
            net = count(parse_spec(f"{w}x{w}x1 > conv 1 {f} same > conv 1 {f}/2 same"))
            with warnings.catch_warnings():  # an even kernel: torch pads a copy of the input (it says so)
                warnings.simplefilter("ignore", UserWarning)
                out = nn.Conv2d(1, 1, f, padding="same")(torch.zeros(1, 1, w, w))
            assert out.shape[-1] == net.layers[0].output_shape.h == w
            with pytest.raises(ValueError, match="padding='same' is not supported for strided convolutions"):
                nn.Conv2d(1, 1, f, stride=2, padding="same")
            before, after = same_pads(w, f, 2)
            padded = nn.functional.pad(torch.zeros(1, 1, w, w), (before, after, before, after))
            assert nn.Conv2d(1, 1, f, stride=2)(padded).shape[-1] == net.layers[1].output_shape.h == -(-w // 2)


def test_own_padded_network_passes_the_pytorch_check(tmp_path: Path) -> None:
    require_module("torch")
    from quizgen.verify.torch_check import check_problems

    entries = "".join(f'  - family: memory\n    difficulty: {d}\n    network: "{PADDED}"\n' for d in (1, 2, 3))
    bank = load_bank(_bank(tmp_path, entries))
    assert check_problems([p for i in range(3) for p in entry_variants(bank, i, 2)]) == []
