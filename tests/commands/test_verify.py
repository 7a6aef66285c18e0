"""``quizgen verify``: the table, banks, languages, exit 1 on a disagreement, exit 2 without torch or CUDA."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import pytest

from tests.conftest import require_module


@pytest.fixture(autouse=True)
def _torch() -> None:
    require_module("torch")


def _rows(out: str) -> dict[str, list[str]]:
    """Table rows by first cell: the cells split on runs of two spaces or more."""
    import re

    rows = {}
    for line in out.splitlines():
        cells = re.split(r"\s{2,}", line.strip())
        if len(cells) >= 6 and not set(cells[0]) <= {"-"}:
            rows[cells[0]] = cells[1:]
    return rows


def test_table_per_family(run_cli) -> None:  # noqa: ANN001
    r = run_cli("verify", "--family", "input-conv", "--family", "fc-fc", "-n", "20", "--device", "cpu")
    assert r.code == 0, r.out + r.err
    assert r.out.startswith("Reference check with PyTorch ")
    assert " on cpu: 20 problems per row, seed 0" in r.out.splitlines()[0]
    rows = _rows(r.out)
    assert list(rows) == ["family", "input-conv", "fc-fc", "total"]
    assert rows["family"] == ["checked", "agreed", "no network", "networks", "time"]
    assert rows["input-conv"][:3] == ["20", "20", "0"] and rows["fc-fc"][:3] == ["20", "20", "0"]
    assert rows["total"][:2] == ["40", "40"]
    assert r.out.rstrip().endswith("PyTorch confirms every answer.")


def test_italian_and_a_family_without_networks(run_cli) -> None:  # noqa: ANN001
    r = run_cli("verify", "--family", "concepts", "-n", "5", "--device", "meta", "--lang", "it")
    assert r.code == 0, r.out + r.err
    rows = _rows(r.out)
    assert rows["famiglia"] == ["controllati", "concordi", "senza rete", "reti", "tempo"]
    assert rows["concepts"][:3] == ["0", "0", "5"]
    assert "PyTorch conferma ogni risposta." in r.out


def test_counts_and_seconds_print_as_the_language_writes_them() -> None:
    from quizgen.commands.verify import _table
    from quizgen.verify.sweep import Row

    rows = [Row("lenet5", (), checked=12_000, agreed=12_000, networks=4096, seconds=2.5)]
    italian = _table(rows, "it", "cpu", "2.x", 12_000, 0)
    assert "12\u202f000 problemi per riga" in italian and "2,50 s" in italian
    assert "4096 reti distinte" in italian and "4800 problemi controllati al secondo" in italian
    assert "," not in italian.replace("2,50", "").replace(", seed", "")
    english = _table(rows, "en", "cpu", "2.x", 12_000, 0)
    assert "12\u202f000 problems per row" in english and "2.50 s" in english


def test_bank_rows_are_its_entries(run_cli) -> None:  # noqa: ANN001
    from quizgen.bank.load import load_bank

    bank = load_bank("lecture")
    r = run_cli("verify", "lecture", "-n", "3", "--device", "meta")
    assert r.code == 0, r.out + r.err
    rows = _rows(r.out)
    assert list(rows)[1:-1] == [f"{e.family} ({e.name})" for e in bank.entries]
    assert f"seed {bank.seed}" in r.out.splitlines()[0]


def test_a_corrupted_answer_gives_a_disagreement_and_exit_1(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    from quizgen.verify import sweep

    real = sweep.draw
    corrupted = []

    def draw(task):  # noqa: ANN001, ANN202
        problem = real(task)
        if not corrupted and not isinstance(problem, str):
            part = problem.parts[0]
            problem = replace(problem, parts=(replace(part, answer=part.answer * 2 + 1), *problem.parts[1:]))
            corrupted.append((problem.id, part))
        return problem

    monkeypatch.setattr(sweep, "draw", draw)
    r = run_cli("verify", "--family", "conv-conv", "-n", "4", "--device", "cpu", "-j", "1")
    assert r.code == 1
    pid, part = corrupted[0]
    assert _rows(r.out)["conv-conv"][:2] == ["4", "3"]
    assert "1 disagreement:" in r.out
    line = f"  {pid} part {part.key}: answer {part.answer * 2 + 1}, torch gives {part.answer} for {part.measure}"
    assert line in r.out.splitlines()


@pytest.mark.parametrize(("args", "message"), [
    (["lecture", "--family", "fc-fc"], "error: --family: a BANK and --family together"),
    (["--family", "conv-con"], "error: --family: unknown family 'conv-con'; did you mean 'conv-conv'?"),
    (["no-such-bank"], "error: no bank 'no-such-bank'"),
])
def test_user_errors_exit_2(run_cli, args: list[str], message: str) -> None:  # noqa: ANN001
    r = run_cli("verify", *args, "-n", "1", "--device", "meta")
    assert r.code == 2 and r.err.startswith(message), r.err


def test_cuda_without_cuda_exits_2(run_cli) -> None:  # noqa: ANN001
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    r = run_cli("verify", "--family", "fc-fc", "-n", "1", "--device", "cuda")
    assert r.code == 2 and r.err.startswith("error: --device: CUDA is not available to PyTorch"), r.err
    assert r.out == ""


@pytest.mark.parametrize("args", [["verify", "-n", "1"], ["solve", "lenet5", "--torch"]])
def test_without_torch_exit_2_with_the_install_command(args: list[str]) -> None:
    """A fresh interpreter where torch cannot be imported (None in sys.modules, as Python marks it)."""
    code = ("import sys; sys.modules['torch'] = None\n"
            f"sys.argv = ['quizgen', *{args!r}]\n"
            "from quizgen.commands.cli import main\nmain()\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2, r.stderr
    assert "PyTorch is not installed; pip install 'quizgen[torch]'" in r.stderr
    assert r.stdout == "" and "Traceback" not in r.stderr


def test_solve_torch_prints_torch_counts_beside_the_engine(run_cli) -> None:  # noqa: ANN001
    r = run_cli("solve", "lenet5", "--torch")
    assert r.code == 0, r.err
    header = next(line for line in r.out.splitlines() if line.startswith("layer"))
    assert "torch params" in header and "torch shape" in header
    c3 = next(line for line in r.out.splitlines() if line.startswith("C3 "))
    assert c3.split()[-2:] == ["1,516", "10×10×16"]
