"""``quizgen sample``: one problem printed whole, from a family, an id or a bank entry; errors in one line."""

from __future__ import annotations

from pathlib import Path

from quizgen.problems import generate
from quizgen.text.richtext import to_plain


def test_prints_stem_answers_distractors_solution_and_id(run_cli) -> None:  # noqa: ANN001
    r = run_cli("sample", "input-conv", "--seed", "5", "--difficulty", "3", "--lang", "it")
    assert r.code == 0, r.err
    problem = generate("input-conv", seed=5, difficulty=3, lang="it")
    assert r.out.startswith("input-conv · difficoltà 3 · it · seed 5\n" + to_plain(problem.title) + "\n")
    for heading in ("Domande", "distrattori (errore tipico → valore sbagliato)", "Soluzione svolta", "Suggerimento"):
        assert heading in r.out
    for part in problem.parts:
        assert f"[{part.key}]" in r.out
        for d in part.distractors:
            assert f"- {d.misconception} → " in r.out
    assert f"ID del problema: {problem.id}\n" in r.out
    assert r.out.count("\n  ") >= len(problem.solution)
    assert "$" not in r.out and "\\times" not in r.out  # math made readable


def test_english_by_default_and_deterministic(run_cli) -> None:  # noqa: ANN001
    first = run_cli("sample", "input-conv")
    again = run_cli("sample", "input-conv", "--seed", "1", "--difficulty", "1", "--lang", "en")
    assert first.code == 0 and first.out == again.out
    assert "Questions" in first.out and "Worked solution" in first.out and "input-conv.d1.s1" in first.out


def test_id_regenerates_and_params_change_the_id(run_cli) -> None:  # noqa: ANN001
    r = run_cli("sample", "input-conv", "-p", "f=5", "-p", "N=[8, 16]", "-d", "2", "--seed", "9")
    assert r.code == 0, r.err
    pid = r.out.strip().rsplit(": ", 1)[1]
    assert pid.startswith("input-conv.d2.s9.p")
    assert "f=5" in r.out and "5 × 5" in r.out
    again = run_cli("sample", "--id", pid, "-p", "f=5", "-p", "N=[8, 16]")
    assert again.out == r.out
    missing = run_cli("sample", "--id", pid)
    assert missing.code == 2 and "does not match the parameter overrides" in missing.err


def test_bank_entry(run_cli, tmp_path: Path) -> None:  # noqa: ANN001
    bank = tmp_path / "b.yaml"
    bank.write_text("title: t\nlang: it\nseed: 4\nentries:\n  - family: input-conv\n    difficulty: 2\n"
                    "    params: {f: 3}\n", encoding="utf-8")
    r = run_cli("sample", "--bank", str(bank), "--entry", "1")
    assert r.code == 0, r.err
    assert "difficoltà 2" in r.out and "3 × 3" in r.out
    assert run_cli("sample", "input-conv", "--bank", str(bank)).out == r.out
    english = run_cli("sample", "--bank", str(bank), "--entry", "1", "--lang", "en")
    assert "difficulty 2" in english.out
    pid = r.out.strip().rsplit(": ", 1)[1]
    assert run_cli("sample", "--bank", str(bank), "--id", pid).out == r.out


def test_errors_are_one_line_with_the_fix(run_cli, tmp_path: Path) -> None:  # noqa: ANN001
    cases = [
        (("sample", "conv-cnov"), "unknown family 'conv-cnov'; did you mean 'conv-conv'?"),
        (("sample",), "which family?"),
        (("sample", "input-conv", "-p", "ff=3"), "option --param: input-conv has no parameter 'ff'; did you mean 'f'? "
                                                   "its parameters are C, f, N, W,"),
        (("sample", "input-conv", "-p", "f"), "is not NAME=VALUE"),
        (("sample", "input-conv", "-p", "N={min: 9, max: 3}"), "the range for 'N' is empty (min 9 > max 3)"),
        (("sample", "input-conv", "-p", "f=big"), "'f' of input-conv cannot be 'big'; use a whole number of 1 or more"),
        (("sample", "input-conv", "-d", "2", "-p", "f=9", "-p", "W=5", "-p", "p=0"),
         "every kernel (f >= 9) is larger than every input (W <= 5)"),
        (("sample", "input-conv", "-d", "7"), "has no difficulty 7"),
        (("sample", "--id", "nonsense"), "is not a problem id"),
        (("sample", "--entry", "2"), "--entry needs --bank"),
        (("sample", "--bank", "no-such-bank", "--entry", "1"), "no bank 'no-such-bank'"),
    ]
    for args, message in cases:
        r = run_cli(*args)
        assert r.code == 2, (args, r.out, r.err)
        assert r.out == "" and r.err.count("\n") == 1 and message in r.err, (args, r.err)


OWN = "32x32x1 > C1: conv 6 5 > S2: maxpool 2 > C3: conv 16 5 > F4: fc 10"


def test_own_network_outside_a_bank(run_cli) -> None:  # noqa: ANN001
    """``-p network=SPEC`` asks a family's questions about that network, as a bank entry's ``network:`` does."""
    from quizgen.bank.networks import entry_network
    from quizgen.commands.sample import describe

    r = run_cli("sample", "macs", "-p", f"network={OWN}", "--seed", "3", "--lang", "it")
    assert r.code == 0 and not r.err, r.err
    problem = generate("macs", seed=3, difficulty=1, lang="it",
                       params={"network": entry_network(OWN, Path.cwd(), "macs", 1, {}, "it")})
    assert r.out == describe(problem) + "\n"
    # one of its two convolutions: C1 computes 28² · 5² · 6 MACs, C3 10² · 5² · 6 · 16
    assert problem.part("macs").answer in (28**2 * 25 * 6, 10**2 * 25 * 6 * 16)
    assert f"network={OWN}" in r.out
    pid = r.out.strip().rsplit(": ", 1)[1]
    assert run_cli("sample", "--id", pid, "-p", f"network={OWN}").out == run_cli(
        "sample", "macs", "-p", f"network={OWN}", "--seed", "3").out
    r = run_cli("sample", "memory", "-p", "network=alexnet", "-p", "unit=MB")
    assert r.code == 0 and "network=alexnet, unit=MB" in r.out
    assert "201838952" in "".join(r.out.split())  # AlexNet's parameters, grouped by thin spaces


def test_own_network_outside_a_bank_is_checked_as_in_a_bank(run_cli) -> None:  # noqa: ANN001
    for args, message in [
        (("macs", "-p", "network=32x32x1 > conv"), "error: option --param: network: conv needs a number of filters"),
        (("conv-conv", "-p", "network=lenet5"), "error: option --param: network: is for the questions about a whole "
         "network, not conv-conv; use it with family: output-size, memory, receptive-field, macs"),
        (("output-size", "-p", "network=alexnet"), "error: option --param: output-size at difficulty 1 asks about one "
         "layer, not a whole network; use difficulty 3 with network:"),
        (("macs", "-d", "3", "-p", "W=32", "-p", f"network={OWN}"), "error: option --param: the parameter W describes "
         "the drawn network, and network: replaces it; remove W from params (the network gives its layers and sizes)"),
    ]:
        r = run_cli("sample", *args)
        assert r.code == 2 and not r.out and r.err.startswith(message) and r.err.count("\n") == 1, r.err
    lenient = run_cli("sample", "macs", "-d", "3", "-p", "W=32", "-p", f"network={OWN}", "--lenient")
    assert lenient.code == 0 and lenient.err == (
        "warning: option --param: the parameter W describes the drawn network, and network: replaces it; the value is "
        "ignored; remove W from params (the network gives its layers and sizes)\n")
    assert lenient.out == run_cli("sample", "macs", "-d", "3", "-p", f"network={OWN}").out


def test_a_declared_network_parameter_keeps_its_meaning(run_cli) -> None:  # noqa: ANN001
    """memory and training-memory declare a parameter ``network`` (their built-in networks at difficulty 1): a value
    it takes is that parameter, any other an own network."""
    from quizgen.commands.sample import describe

    for value, params in (("vgg16", {"network": "vgg16"}), ("[lenet5, vgg16]", {"network": ["lenet5", "vgg16"]})):
        r = run_cli("sample", "memory", "-p", f"network={value}", "--seed", "4")
        assert r.code == 0 and r.out == describe(generate("memory", seed=4, params=params)) + "\n", r.err
    r = run_cli("sample", "training-memory", "-p", "network=alexnet-2012")
    assert r.code == 0 and r.out == describe(generate("training-memory", seed=1, params={"network": "alexnet-2012"})
                                             ) + "\n"


def test_a_bank_entry_with_its_own_network_takes_more_overrides(run_cli) -> None:  # noqa: ANN001
    """midterm's entry 4 asks about its own network: -p sets what is still drawn."""
    r = run_cli("sample", "--bank", "midterm", "--entry", "4", "-p", "unit=MiB")
    assert r.code == 0 and "unit=MiB" in r.out and "network=32x32x3 > C1: conv 16 5 p=2" in r.out, r.err
    # what the network replaces is refused, as in the bank (a warning with --lenient)
    r = run_cli("sample", "--bank", "midterm", "--entry", "4", "-p", "W=32")
    assert r.code == 2 and r.err == ("error: option --param: the parameter W describes the drawn network, and "
                                     "network: replaces it; remove W from params (the network gives its layers and "
                                     "sizes)\n")
    r = run_cli("sample", "--bank", "midterm", "--entry", "4", "-p", "W=32", "--lenient")
    assert r.code == 0 and r.err.startswith("warning: option --param: the parameter W describes")
    assert "W=32" not in r.out
    r = run_cli("sample", "memory", "-p", "network=[lenet5, vgg]")
    assert r.code == 2 and r.err.startswith("error: option --param: 'network' of memory cannot be 'vgg'"), r.err
