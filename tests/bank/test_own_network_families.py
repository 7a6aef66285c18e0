"""An entry's own network in the families beyond memory (output-size, receptive-field, training-memory, macs,
batchnorm, model-summary): every answer the engine's count of the instructor's network, its layers worded in the
stem, a network a difficulty cannot use refused in one line at the entry's line, and PyTorch agreeing with every
answer."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from quizgen.bank.draw import entry_variants
from quizgen.bank.load import load_bank
from quizgen.errors import QuizgenError
from quizgen.nets.engine import count
from quizgen.nets.layers import Conv, Dense
from tests.conftest import require_module

# SAME at stride 2, average pooling, VALID pooling, convolutions without bias before batch norm
BN_NET = ("32x32x3 > conv 16 3 same nobias > bn > relu > avgpool 2 > conv 32 3/2 same nobias > bn > relu "
          "> maxpool 3/2 valid > fc 64 > relu > fc 10")
PLAIN = "32x32x3 > conv 16 5 p=2 > relu > avgpool 2 > conv 32 3/2 same > relu > maxpool 3/2 valid > fc 64 > fc 10"
KERAS = ("32x32x3 > conv 16 3 same > relu > avgpool 2 > conv 32 3/2 same nobias > conv 32 3 valid "
         "> maxpool 3/2 valid > dropout 0.5 > fc 64 > fc 10")
RF_NET = ("64x64x3 > conv 16 3 same > relu > bn > avgpool 2 > conv 32 3/2 same nobias > maxpool 3/2 valid "
          "> conv 8 3 d=2 > fc 64 > fc 10")
CASES = [("receptive-field", 1, RF_NET), ("receptive-field", 3, RF_NET),
         ("training-memory", 1, BN_NET), ("training-memory", 2, BN_NET), ("training-memory", 3, BN_NET),
         ("macs", 1, PLAIN), ("macs", 3, PLAIN), ("batchnorm", 1, BN_NET), ("batchnorm", 3, BN_NET),
         ("output-size", 3, PLAIN),
         ("model-summary", 1, KERAS), ("model-summary", 2, KERAS), ("model-summary", 3, KERAS)]


def _bank(tmp_path: Path, entries: str, lang: str = "en") -> Path:
    path = tmp_path / "bank.yaml"
    path.write_text(f"title: Own network\nlang: {lang}\nseed: 5\nentries:\n" + entries, encoding="utf-8")
    return path


def _entry(family: str, difficulty: int, network: str) -> str:
    return f'  - family: {family}\n    difficulty: {difficulty}\n    network: "{network}"\n'


@pytest.mark.parametrize(("family", "difficulty", "spec"), CASES)
def test_the_questions_are_about_the_entrys_network(tmp_path: Path, family: str, difficulty: int, spec: str) -> None:
    for lang in ("en", "it"):
        bank = load_bank(_bank(tmp_path, _entry(family, difficulty, spec), lang))
        network = bank.entries[0].params["network"]
        nc = count(network)
        for problem in entry_variants(bank, 0, 2):
            assert problem.network == network
            answers = {p.key: p.answer for p in problem.parts}
            if family == "receptive-field":
                from quizgen.nets.receptive import receptive_fields

                # the conv and pooling layers before the first fc one; each variant asks about one of them
                assert [layer.name for layer in network.layers] == ["C1", "S2", "C3", "S4", "C5"]
                fields = receptive_fields(nc)
                asked = problem.parts[0].key.removeprefix("r-")
                assert answers[f"r-{asked}"] == fields[asked][0].size.value == dict(
                    C1=3, S2=4, C3=8, S4=16, C5=48)[asked]
                if difficulty > 1:
                    assert answers[f"j-{asked}"] == fields[asked][0].jump.value
            elif family == "output-size":
                # the conv and pooling layers before the first fc one; each variant asks about one of them
                asked = problem.parts[0].key.removeprefix("size-")
                assert [p.key for p in problem.parts] == [f"size-{asked}", "activations"]
                assert answers[f"size-{asked}"] == nc.layer(asked).out_h.size.value == dict(
                    C1=32, S2=16, C3=8, S4=3)[asked]
                assert answers["activations"] == nc.layer(asked).activations.value
            elif family == "training-memory":
                unit = {"MB": 10**6, "MiB": 2**20}[problem.parts[0].unit]
                assert f"{nc.parameters:,}".replace(",", r"\,") in problem.stem
                # SGD with momentum and RMSprop keep k = 1 value per parameter, Adam and AdamW k = 2; difficulty 1
                # draws the dtype too (b = 2, 4 or 8 bytes), the others are in float32
                sizes = (2, 4, 8) if difficulty == 1 else (4,)
                assert {answers.get("state"), answers.get("static")} - {None} <= {
                    Fraction(b * k * nc.parameters, unit) for k in (1, 2) for b in sizes} | {
                    Fraction(b * ((2 + k) * nc.parameters + nc.buffers), unit) for k in (1, 2) for b in sizes}
                if difficulty > 1:
                    assert "average" in problem.stem and ("SAME" in problem.stem or "padding SAME" in problem.stem)
            elif family == "macs" and difficulty == 1:
                # one of the network's convolutions, drawn per variant
                assert answers["macs"] in {lc.macs.value for lc in nc.layers if isinstance(lc.layer, Conv)}
                assert answers["flops"] == 2 * answers["macs"]
            elif family == "batchnorm" and difficulty == 1:
                assert (answers["bn-params"], answers["bn-buffers"]) in ((32, 32), (64, 64))
            elif family == "macs":
                assert answers["macs"] == sum(lc.macs.value for lc in nc.layers if lc.macs is not None)
                conv = sum(lc.parameters.value for lc in nc.layers if isinstance(lc.layer, Conv))
                assert answers["params-share"] == Fraction(100 * conv, nc.parameters)
                # each variant asks about one of the network's convolutions too
                assert answers["macs-layer"] in {lc.macs.value for lc in nc.layers if isinstance(lc.layer, Conv)}
            elif family == "batchnorm":
                assert (answers["params"], answers["buffers"]) == (nc.parameters, nc.buffers) == (24_282, 96)
                assert answers["layer-params"] in {lc.parameters.value for lc in nc.layers if lc.parameters.value}
            else:
                # every blank of the summary table is the engine's cell: an output size, a flatten length, Param #
                for part in problem.parts:
                    row, col = (int(x) for x in part.key.split("-")[1:])
                    if row == len(nc.layers):
                        assert part.answer == nc.parameters
                    elif col == 2:
                        assert part.answer == nc.layers[row].parameters.value
                    else:
                        shape = nc.layers[row].output_shape
                        assert part.answer == getattr(shape, "h", getattr(shape, "n", None))
                assert "AveragePooling2D(2)" in problem.stem and "use_bias=False" in problem.stem
                assert [layer.name for layer in network.layers][:3] == ["conv2d", "average_pooling2d", "conv2d_1"]


def test_the_stem_words_each_layer(tmp_path: Path) -> None:
    bank = load_bank(_bank(tmp_path, _entry("batchnorm", 3, BN_NET)))
    stem = entry_variants(bank, 0, 1)[0].stem
    assert ("a convolutional layer C4 of $32$ filters of $3 \\times 3$ with stride $s = 2$ and SAME padding, without "
            "bias; a batch norm layer BN5; a max-pooling layer S6 with $3 \\times 3$ windows, stride $s = 2$ and VALID "
            "padding") in stem
    assert "SAME and VALID follow TensorFlow/Keras" in stem
    bank = load_bank(_bank(tmp_path, _entry("model-summary", 1, "28x28x1 > conv 8 3 > maxpool 2 > fc 10")))
    # p=0 is Keras's 'valid'; Keras needs a Flatten before a Dense on maps: the loader adds it
    stem = entry_variants(bank, 0, 1)[0].stem
    assert "Conv2D(8, 3, padding='valid', input_shape=(28, 28, 1)), MaxPooling2D(2), Flatten(), Dense(10)." in stem


def _refused_in_one_line(tmp_path: Path, run_cli, entry: str, message: str, fix: str) -> None:  # noqa: ANN001
    """Loading the entry's bank fails at its network: line with the message and the fix; stress says it in one line."""
    path = _bank(tmp_path, entry)
    with pytest.raises(QuizgenError) as info:
        load_bank(path)
    assert info.value.where == f"{path}:7" and message in info.value.message and fix in info.value.fix
    result = run_cli("stress", str(path))
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1


@pytest.mark.parametrize(("entry", "message", "fix"), [
    (_entry("macs", 2, PLAIN), "macs at difficulty 2 asks about a convolutional layer and the fully connected layer "
     "it feeds", "use difficulty 1, 3"),
    (_entry("batchnorm", 2, BN_NET), "batchnorm at difficulty 2 asks about a convolution with its bias and the batch "
     "norm after it", "use difficulty 1, 3"),
    (_entry("batchnorm", 1, PLAIN), "a batchnorm question at difficulty 1 asks about at least 1 batch norm layer",
     "add one"),
    (_entry("batchnorm", 3, PLAIN), "a batchnorm question at difficulty 3 asks about at least 1 batch norm layer; "
     "the network has 0", "add one"),
    (_entry("macs", 3, "32x32x3 > conv 8 3 > maxpool 2"), "asks about at least 1 fully connected layer", "add one"),
    (_entry("macs", 3, "32x32x3 > conv 8 3 > bn > fc 10"), "layer 2 of the network (bn) is not one the macs "
     "questions describe", "fc layers"),
    (_entry("model-summary", 1, "32x32x3 > conv 8 3 p=1 > fc 10"),
     "layer C1 of the network pads p=1; Keras pads 'same' or 'valid'", "write same or valid"),
    (_entry("model-summary", 1, "32x32x3 > conv 8 3 same > bn > fc 10"), "layer 2 of the network (bn)", "Conv2D"),
    (_entry("model-summary", 3, "32x32x3 > conv 8 3 same > relu > conv 8 3 same > fc 10"),
     "asks about at least 3 Conv2D layers; the network has 2", "add one"),
    (_entry("training-memory", 2, "32x32x3 > conv 8 3 g=2 > fc 10"), "layer 1 of the network (conv)", "difficulty 1"),
    (_entry("training-memory", 3, "224x224x3 > conv 512 3 same > conv 512 3 same > fc 4096 > fc 10"),
     "no GPU of 2, 4, 8, 12, 16 GiB/GB holds a mini-batch of 2", "gpu:"),
    (_entry("residual", 1, PLAIN), "network: is for the questions about a whole network, not residual",
     "output-size, memory, receptive-field, macs, training-memory, batchnorm, model-summary"),
    (_entry("macs", 3, PLAIN) + "    params: {W: 32, N1: 8, arithmetic: hand}\n", "the parameters W, N1 describe "
     "the drawn network, and network: replaces it", "remove W, N1 from params"),
    (_entry("training-memory", 2, BN_NET) + "    params: {batch: 8, F: 64}\n", "the parameter F describes", "remove F"),
    (_entry("output-size", 2, PLAIN), "output-size at difficulty 2 asks about one layer", "use difficulty 3"),
    (_entry("receptive-field", 3, PLAIN), "asks about dilated convolutions; the network has none", "d=2"),
    (_entry("receptive-field", 1, "32x32x3 > conv 8 3 > relu > fc 10"), "the network has 1 conv or pooling layer",
     "at least two"),
    (_entry("receptive-field", 1, "32x32x3 > conv 8 3x1 > conv 8 3 > fc 10"), "layer 1 of the network (conv)",
     "square conv"),
])
def test_a_network_a_difficulty_cannot_use_is_one_line(tmp_path: Path, run_cli, entry: str, message: str,  # noqa: ANN001
                                                       fix: str) -> None:
    _refused_in_one_line(tmp_path, run_cli, entry, message, fix)


def test_lenient_ignores_params_the_network_replaces_with_a_warning_and_the_fix(tmp_path: Path, run_cli) -> None:  # noqa: ANN001
    """Without --lenient the params an own network replaces are an error at network:'s line; with it each is a warning
    at its own line, with the same fix, and the entry is drawn from its network (as without them)."""
    path = _bank(tmp_path, _entry("macs", 3, PLAIN) + "    params:\n      W: 32\n      arithmetic: hand\n"
                                                        "      N1: 8\n")
    strict = run_cli("stress", str(path), "-n", "2")
    assert strict.code == 2 and strict.err == (
        f"error: {path}:7: entry 1 (macs): the parameters W, N1 describe the drawn network, and network: replaces it; "
        "remove W, N1 from params (the network gives its layers and sizes)\n")
    bank = load_bank(path, lenient=True)
    assert bank.warnings == tuple(
        f"{path}:{line}: entry 1 (macs): the parameter {name} describes the drawn network, and network: replaces it; "
        f"the value is ignored; remove {name} from params (the network gives its layers and sizes)"
        for line, name in ((9, "W"), (11, "N1")))
    assert bank.entries[0].params.keys() == {"network", "arithmetic"}
    (tmp_path / "plain").mkdir()
    plain = load_bank(_bank(tmp_path / "plain", _entry("macs", 3, PLAIN) + "    params: {arithmetic: hand}\n"))
    drawn = entry_variants(bank, 0, 2)
    assert [p.parts for p in drawn] == [p.parts for p in entry_variants(plain, 0, 2)]
    assert all(p.network == plain.entries[0].params["network"] for p in drawn)
    lenient = run_cli("stress", str(path), "-n", "2", "--lenient")
    assert lenient.code == 0 and lenient.err.splitlines() == [f"warning: {w}" for w in bank.warnings]


@pytest.mark.parametrize(("family", "difficulty", "spec"), [
    ("macs", 3, "32x32x3 > conv 8 3 > conv 16 3 > fc 10"),  # no pooling layer feeds the fc layer
    ("batchnorm", 3, "32x32x3 > conv 8 3 nobias > bn > fc 10"),  # one bn layer: its buffers are the network's
    ("memory", 3, "32x32x3 > maxpool 2 > fc 10"),  # one layer with parameters
])
def test_a_network_with_one_layer_of_a_kind_or_no_pooling_is_asked_about(tmp_path: Path, family: str,
                                                                          difficulty: int, spec: str) -> None:
    """A total of one layer is that layer's count (P = P_F2 = ...), and a mistake that needs a pooling layer before
    the fc one is not offered without it."""
    bank = load_bank(_bank(tmp_path, _entry(family, difficulty, spec)))
    nc = count(bank.entries[0].params["network"])
    for problem in entry_variants(bank, 0, 2):
        answers = {p.key: p.answer for p in problem.parts}
        if family == "macs":
            assert answers["macs"] == sum(lc.macs.value for lc in nc.layers if lc.macs is not None)
            assert not any(d.misconception == "fc-input-unpooled" for p in problem.parts for d in p.distractors)
        elif family == "batchnorm":
            assert (answers["params"], answers["buffers"]) == (nc.parameters, nc.buffers) == (8 * 30 * 30 * 10 + 10
                                                                                              + 3 * 9 * 8 + 16, 16)
        else:
            assert any(s.math.startswith(r"P = P_{\mathrm{F2}} = ") for s in problem.solution)


@pytest.mark.parametrize(("entry", "message", "fix"), [
    (_entry("memory", 2, "32x32x3 > maxpool 2 > fc 10"), "a memory activations question at difficulty 2 asks about "
     "one of the network's convolutional layers; the network has none", "set kind: params"),
    (_entry("training-memory", 3, "32x32x3 > conv 8 3"), "no training-memory question at difficulty 3 can be asked "
     "about this network: in every draw some of the mistakes a question offers give the right answer",
     "use a network with larger layers"),
])
def test_a_network_too_small_for_a_question_is_one_line(tmp_path: Path, run_cli, entry: str, message: str,  # noqa: ANN001
                                                         fix: str) -> None:
    _refused_in_one_line(tmp_path, run_cli, entry, message, fix)


def test_an_exam_with_more_versions_than_an_own_network_gives_says_the_fix(tmp_path: Path, run_cli) -> None:  # noqa: ANN001
    """One convolution (model-summary 1) or one bn layer (batchnorm 1): one variant, so one version."""
    for entry in (_entry("model-summary", 1, "28x28x1 > conv 8 3 > maxpool 2 > fc 10"),
                  _entry("batchnorm", 1, "32x32x3 > conv 8 3 same nobias > bn > relu > maxpool 2 > fc 10")):
        path = _bank(tmp_path, entry)
        for command in ("exam", "moodle"):
            result = run_cli(command, str(path), "-n", "3", "-o", str(tmp_path / "out"), "--force")
            assert result.code == 2 and result.err.count("\n") == 1 and not (tmp_path / "out").exists()
            assert result.err.startswith(f"error: {path}:5: entry 1 (") and (
                "asks for 3 distinct variants but its own network gives only 1: each variant asks about that "
                "network") in result.err
            assert result.err.endswith("; hand out at most 1 version (-n 1) or a smaller count, give the network more "
                                       "of the layers its questions ask about, or remove network: to let the family "
                                       "draw its networks\n")
        assert run_cli("exam", str(path), "-n", "1", "-o", str(tmp_path / "one"), "--force").code == 0


def test_own_networks_pass_the_pytorch_check(tmp_path: Path) -> None:
    require_module("torch")
    from quizgen.verify.torch_check import check_problems

    bank = load_bank(_bank(tmp_path, "".join(_entry(f, d, spec) for f, d, spec in CASES)))
    problems = [p for i in range(len(CASES)) for p in entry_variants(bank, i, 2)]
    assert len(problems) == 2 * len(CASES)
    assert check_problems(problems) == []
    assert all(any(isinstance(layer, (Conv, Dense)) for layer in p.network.layers) for p in problems)


def test_difficulty_1_takes_any_network_and_names_a_builtin_in_the_questions_language(tmp_path: Path) -> None:
    """Difficulty 1 of memory and training-memory gives P (and U) and lists no layer: a built-in network with layers
    no stem words (AlexNet's LRN, ResNet's blocks) will do, named in the bank's language."""
    entries = ("  - family: memory\n    network: alexnet\n"
               "  - family: training-memory\n    network: resnet18\n")
    bank = load_bank(_bank(tmp_path, entries, "it"))
    memory, training = entry_variants(bank, 0, 1)[0], entry_variants(bank, 1, 1)[0]
    assert memory.stem.startswith("AlexNet come nella tabella del corso (un solo flusso, senza pooling dopo C7) ha $")
    assert memory.part("float32").answer * {"MB": 10**6, "MiB": 2**20}[memory.part("float32").unit] == \
        4 * count(memory.network).parameters
    assert training.stem.startswith("Addestri ResNet-18, che ha $P = 11\\,689\\,512$ parametri")
