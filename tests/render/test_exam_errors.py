"""quizgen exam: option errors, LaTeX errors, missing pdflatex, --torch-check, diagrams and sources."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quizgen.bank.draw import exam_versions
from quizgen.bank.load import load_bank
from quizgen.problems import generate
from quizgen.render import compile as latex_compile
from quizgen.render.latex import render_sources, split_chain
from quizgen.render.tikz import network_tikz
from tests.conftest import require_module, require_tool
from tests.render.exam_helpers import run_cli, write_bank


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    return write_bank(tmp_path / "one.yaml", families=["input-conv"])


@pytest.mark.parametrize("args, word", [
    (["-n", "0"], "-n"), (["--lang", "fr"], "fr"), (["--jobs", "0"], "--jobs"), (["--bogus"], "bogus"),
])
def test_bad_options_are_one_line_errors(bank: Path, tmp_path: Path, capsys: pytest.CaptureFixture,
                                         args: list[str], word: str) -> None:
    code, out, err = run_cli(["exam", str(bank), "-o", str(tmp_path / "o"), *args], capsys)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("error: ") and word in err
    assert not (tmp_path / "o").exists()


def test_existing_files_are_not_overwritten_without_force(bank: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "o"
    out.mkdir()
    (out / "one-exam.tex").write_text("mine")
    code, _, err = run_cli(["exam", str(bank), "-o", str(out)], capsys)
    assert code == 2 and "--force" in err
    assert (out / "one-exam.tex").read_text() == "mine"


def test_without_pdflatex_the_sources_are_written_and_the_fix_named(bank: Path, tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(latex_compile, "pdflatex", lambda: None)
    out = tmp_path / "o"
    code, _, err = run_cli(["exam", str(bank), "-o", str(out)], capsys)
    assert code == 1
    assert "apt-get install texlive-latex-recommended" in err and "tlmgr install" in err
    assert sorted(p.name for p in out.iterdir()) == ["one-exam.tex", "one-grading.csv", "one-key.tex",
                                                      "one-solutions.tex"]


def test_a_latex_error_shows_the_log_and_the_source_line_and_writes_no_pdf(
        bank: Path, tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    require_tool("pdflatex")
    from quizgen.render import exam as exam_module
    from quizgen.render.latex import ExamSources

    real = exam_module.render_sources

    def broken(*args: object, **kwargs: object) -> ExamSources:
        good = real(*args, **kwargs)
        return ExamSources(good.exam.replace(r"\begin{document}", "\\begin{document}\n\\undefinedmacro"),
                           good.key, good.solutions)

    monkeypatch.setattr(exam_module, "render_sources", broken)
    out = tmp_path / "o"
    code, _, err = run_cli(["exam", str(bank), "-o", str(out)], capsys)
    assert code == 1
    assert "Undefined control sequence" in err and re.search(r"one-exam\.tex:\d+: ", err) and r"\undefinedmacro" in err
    assert not list(out.glob("*.pdf")) and not list(out.glob(".quizgen-build-*"))


def test_torch_check_disagreement_writes_nothing(bank: Path, tmp_path: Path, capsys: pytest.CaptureFixture,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    require_module("torch")
    import quizgen.verify.torch_check as torch_check

    monkeypatch.setattr(torch_check, "check_problems", lambda problems: ["input-conv.d1: params 10 != 11"])
    out = tmp_path / "o"
    code, _, err = run_cli(["exam", str(bank), "-o", str(out), "--torch-check"], capsys)
    assert code == 1 and "params 10 != 11" in err
    assert not out.exists()


def test_torch_check_agrees_on_every_family(tmp_path: Path) -> None:
    require_module("torch")
    from quizgen.verify.torch_check import check_problems

    bank = load_bank(write_bank(tmp_path / "all.yaml"))
    problems = [q.problem for v in exam_versions(bank, 2) for q in v.questions]
    assert check_problems(problems) == []


def test_sources_are_deterministic_and_in_the_chosen_language(tmp_path: Path) -> None:
    bank = load_bank(write_bank(tmp_path / "all.yaml"))
    versions = exam_versions(bank, 2, 5, "it")
    first = render_sources(bank, versions, "it", "1 luglio 2026")
    again = render_sources(bank, exam_versions(bank, 2, 5, "it"), "it", "1 luglio 2026")
    assert first == again
    assert r"\usepackage[italian]{babel}" in first.exam and "Pagina" in first.exam and "Matricola" in first.exam
    assert "Data: 1 luglio 2026" in first.exam


def test_diagram_hides_the_asked_output_size() -> None:
    problem = generate("input-conv", seed=3, difficulty=2)
    size = problem.part("size").answer
    tikz = network_tikz(problem.network, problem)
    assert "?{\\times}?{\\times}" in tikz
    assert f"{size}{{\\times}}{size}" not in tikz
    shown = generate("input-conv", seed=3, difficulty=1)
    assert "?" not in network_tikz(shown.network, shown)


def test_diagram_layer_names_print_as_themselves() -> None:
    import dataclasses

    from quizgen.nets.builtin import builtin

    problem = dataclasses.replace(generate("input-conv", seed=3, difficulty=1), parts=())
    tikz = network_tikz(builtin("vgg16"), problem)
    assert r"\textbf{conv5\_2}" in tikz and "conv5_2" not in tikz  # a bare _ stops LaTeX ("Missing $")


def test_solution_chains_become_aligned_rows() -> None:
    assert split_chain(r"\#W = f^2 \times C = 5^2 \times 3 = 75") == [r"\#W &= f^2 \times C", r"&= 5^2 \times 3",
                                                                      "&= 75"]
    assert split_chain(r"O = \left\lfloor \frac{W - f}{s} \right\rfloor + 1") == [
        r"O &= \left\lfloor \frac{W - f}{s} \right\rfloor + 1"]
    assert split_chain(r"a \leq b") == [r"a \leq b"]


def test_tables_choices_and_connection_tables_compile(tmp_path: Path) -> None:
    """Contract paths the first families do not use yet: a table with blanks, options, LeNet's C3 table."""
    require_tool("pdflatex")
    import dataclasses

    from quizgen.bank.draw import ExamVersion, Question
    from quizgen.bank.load import Bank, Entry
    from quizgen.nets.builtin import LENET5_C3_TABLE
    from quizgen.problems.model import Choice, Table
    from quizgen.render.compile import Job, run_all
    from tests.render.exam_helpers import pdf_pages

    base = generate("input-conv", seed=4, difficulty=1)
    weights = base.part("weights")
    table_problem = dataclasses.replace(
        base, parts=(dataclasses.replace(weights, key="cell-1-2"),),
        table=Table(columns=("Layer", "Maps", "Weights"), rows=(("In", "3", "--"), ("C1", "96", "")),
                    blanks=((1, 2),), caption="AlexNet, first layer"))
    choice_problem = dataclasses.replace(
        base, parts=(), network=None, connection_table=LENET5_C3_TABLE,
        choices=(Choice("Dropout 50% & more", False, "No.", "dropout"), Choice("A partial table", True, "Yes.")))
    entry = Entry("input-conv", "input-conv", points=3)
    version = ExamVersion(0, "V01", (Question(1, 0, entry, table_problem, 3), Question(2, 0, entry, choice_problem, 2)))
    bank = Bank(path=str(tmp_path / "t.yaml"), title="T", course="C")
    sources = render_sources(bank, [version], "en", "")
    for name in ("exam", "key", "solutions"):
        (tmp_path / f"{name}.tex").write_text(getattr(sources, name), encoding="utf-8")
    run_all([Job(n, f"{n}.tex") for n in ("exam", "key", "solutions")], tmp_path, 2)
    exam = " ".join(pdf_pages(tmp_path / "exam.pdf"))
    assert "Layer" in exam and "AlexNet, first layer" in exam and "Dropout 50% & more" in exam
    assert "Tick one option." in exam and "feature maps in S2" in exam
    assert str(weights.answer) not in exam.replace(" ", "")
    key = " ".join(pdf_pages(tmp_path / "key.pdf")).replace(" ", "")
    assert str(weights.answer) in key and "B" in key
    solutions = " ".join(pdf_pages(tmp_path / "solutions.pdf")).replace(" ", "")
    assert str(weights.answer) in solutions and "Yes." in solutions
