"""quizgen moodle: categories, variants, names, determinism, output safety, calculated questions, torch check."""

from __future__ import annotations

import base64
import math
import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from quizgen.commands.cli import cli
from quizgen.nets import formulas
from quizgen.render.moodle_common import string_keys
from tests.conftest import require_module

BANK = """title: "CNN / quiz"
seed: 3
tolerance: 0
entries:
  - {family: input-conv, difficulty: 1, name: "Input conv", tags: [lecture, "a tag"], points: 2}
  - {family: input-conv, difficulty: 3}
  - {family: input-conv, difficulty: 1}
"""


@pytest.fixture()
def bank(tmp_path: Path) -> Path:
    path = tmp_path / "bank.yaml"
    path.write_text(BANK, encoding="utf-8")
    return path


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "quizgen", *args], capture_output=True, text=True, timeout=300)


def _questions(path: Path) -> list[etree._Element]:
    return etree.parse(str(path)).getroot().findall("question")


def test_one_category_per_entry_with_n_distinct_variants(bank: Path, tmp_path: Path) -> None:
    out = tmp_path / "bank.xml"
    result = _run("moodle", str(bank), "-n", "4", "--seed", "7", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "3 categories" in result.stderr
    categories: dict[str, list[etree._Element]] = {}
    current = ""
    for q in _questions(out):
        if q.get("type") == "category":
            current = q.findtext("category/text")
            categories[current] = []
        else:
            categories[current].append(q)
    assert list(categories) == ["$course$/top/CNN // quiz/Input conv", "$course$/top/CNN // quiz/input-conv",
                                "$course$/top/CNN // quiz/input-conv (2)"]
    for questions in categories.values():
        assert len(questions) == 4
        assert len({q.findtext("questiontext/text") for q in questions}) == 4
        assert len({q.findtext("idnumber") for q in questions}) == 4
    first = categories["$course$/top/CNN // quiz/Input conv"]
    names = [q.findtext("name/text") for q in first]
    assert all(re.match(rf"\[input-conv d1 v00{k + 1}\] .+ \(input-conv\.d1\.s\d+\)$", n) for k, n in enumerate(names))
    assert [t.text for t in first[0].findall("tags/tag/text")][:2] == ["lecture", "a tag"]
    assert all(q.findtext("idnumber").endswith(".en") for q in first)


def test_same_bank_and_seed_give_byte_identical_files_and_nothing_is_overwritten(bank: Path, tmp_path: Path) -> None:
    a, b = tmp_path / "a.xml", tmp_path / "b.xml"
    assert _run("moodle", str(bank), "-n", "2", "--seed", "5", "-o", str(a)).returncode == 0
    assert _run("moodle", str(bank), "-n", "2", "--seed", "5", "-o", str(b)).returncode == 0
    assert a.read_bytes() == b.read_bytes()
    before = a.read_bytes()
    again = _run("moodle", str(bank), "-n", "3", "--seed", "6", "-o", str(a))
    assert again.returncode == 2 and "already exists" in again.stderr and "--force" in again.stderr
    assert a.read_bytes() == before
    assert _run("moodle", str(bank), "-n", "3", "--seed", "6", "-o", str(a), "--force").returncode == 0
    assert a.read_bytes() != before
    assert not list(tmp_path.glob(".*.tmp"))


def test_user_mistakes_exit_2_before_writing(bank: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.xml"
    narrow = tmp_path / "narrow.yaml"
    narrow.write_text('title: N\nentries:\n  - {family: input-conv, params: {f: 3, N: 8, C: 1}}\n', encoding="utf-8")
    too_many = _run("moodle", str(narrow), "-n", "2", "-o", str(out))
    assert too_many.returncode == 2 and "distinct variants" in too_many.stderr and not out.exists()
    zero = _run("moodle", str(bank), "-n", "0", "-o", str(out))
    assert zero.returncode == 2 and not out.exists()


def test_italian_export_uses_italian_text(bank: Path, tmp_path: Path) -> None:
    out = tmp_path / "it.xml"
    assert _run("moodle", str(bank), "-n", "1", "--lang", "it", "-o", str(out)).returncode == 0
    data = out.read_text(encoding="utf-8")
    assert "Soluzione svolta" in data and "Corretto." in data and "Worked solution" not in data
    assert ".it</idnumber>" in data


def test_interface_strings_exist_in_both_languages() -> None:
    assert string_keys("en") == string_keys("it")


def test_diagram_is_the_network_svg_embedded_in_the_question_text(bank: Path, tmp_path: Path) -> None:
    from quizgen.problems import regenerate
    from quizgen.render.svg import network_svg

    out = tmp_path / "d.xml"
    assert _run("moodle", str(bank), "-n", "1", "-o", str(out)).returncode == 0
    q = [q for q in _questions(out) if q.get("type") != "category"][0]
    text = q.findtext("questiontext/text")
    (file,) = q.findall("questiontext/file")
    assert f'src="@@PLUGINFILE@@/{file.get("name")}"' in text and 'alt="' in text
    problem = regenerate(q.findtext("idnumber").rsplit(".", 1)[0])
    assert base64.b64decode(file.text).decode() == network_svg(problem.network, "en", problem=problem)
    none = tmp_path / "none.xml"
    assert _run("moodle", str(bank), "-n", "1", "-o", str(none), "--no-diagrams").returncode == 0
    assert b"@@PLUGINFILE@@" not in none.read_bytes()


def test_diagram_never_shows_the_size_a_question_asks_for(tmp_path: Path) -> None:
    from quizgen.bank.draw import categories as collect
    from quizgen.bank.load import load_bank
    from quizgen.render.moodle import moodle_xml

    path = tmp_path / "size.yaml"
    path.write_text('title: sizes\nseed: 5\nentries:\n  - {family: input-conv, difficulty: 2}\n', encoding="utf-8")
    (cat,) = collect(load_bank(path), 6, None, "en")
    root = etree.fromstring(moodle_xml([cat]))
    for q, item in zip(root.findall("question")[1:], cat.items, strict=True):
        (part,) = [p for p in item.problem.parts if str(p.measure).startswith("out_h@")]
        svg = base64.b64decode(q.find("questiontext/file").text).decode()
        alt = re.search(r'alt="([^"]*)"', q.findtext("questiontext/text")).group(1)
        layer = part.measure.layer
        assert f"{layer} ?×?×" in alt and f"{layer} {part.answer}×" not in alt, (item.problem.id, alt)
        size_label = re.search(rf">{layer}</text>\s*<text[^>]*>([^<]*)<", svg).group(1)  # drawn under its name
        assert size_label.startswith("?×?×"), (item.problem.id, size_label)


def _moodle_eval(formula: str, values: dict[str, int]) -> float:
    """An evaluator of Moodle's formula syntax written apart from the exporter's (PHP float arithmetic)."""
    source = re.sub(r"\{(\w+)\}", lambda m: repr(float(values[m.group(1)])), formula)
    assert re.fullmatch(r"[0-9.+\-*/(), a-z]*", source)
    return eval(source, {"__builtins__": {}, "pow": math.pow, "floor": math.floor, "ceil": math.ceil})  # noqa: S307


def test_calculated_question_formula_and_dataset_match_the_engine(bank: Path, tmp_path: Path) -> None:
    out = tmp_path / "calc.xml"
    result = _run("moodle", str(bank), "-n", "12", "--style", "calculated", "-o", str(out))
    assert result.returncode == 0, result.stderr
    questions = [q for q in _questions(out) if q.get("type") != "category"]
    calculated = [q for q in questions if q.get("type") == "calculated"]
    assert len(calculated) == 2  # the two difficulty-1 entries; difficulty 3 has no calculated template
    assert len(questions) == 2 + 12
    for q in calculated:
        formula = q.findtext("answer/text")
        assert formula == "({N}+{C}*{N}*pow({f},2))"
        datasets = {d.findtext("name/text"): [int(v.text) for v in d.findall("dataset_items/dataset_item/value")]
                    for d in q.findall("dataset_definitions/dataset_definition")}
        assert set(datasets) == {"f", "C", "N"} and len({len(v) for v in datasets.values()}) == 1
        rows = list(zip(datasets["f"], datasets["C"], datasets["N"], strict=True))
        assert len(set(rows)) == len(rows) == 12
        for f, c, n in rows:
            exact = formulas.evaluate("conv.weights+conv.biases", {"f": f, "C": c, "N_c": n})
            assert exact == f * f * c * n + n == _moodle_eval(formula, {"f": f, "C": c, "N": n})
        text = q.findtext("questiontext/text")
        assert "{f}" in text and "{C}" in text and "{N}" in text
        assert "{=" + formula + "}" in q.findtext("generalfeedback/text")
        # the per-mistake answers: formulas over the same wildcards at 0 %, each with its misconception's title,
        # and Moodle's first match for every dataset item is the value the numerical export names
        answers = q.findall("answer")
        assert answers[0].get("fraction") == "100" and {a.get("fraction") for a in answers[1:]} == {"0"}
        mistakes = {a.findtext("text"): a.findtext("feedback/text") for a in answers[1:]}
        assert mistakes["{C}*{N}*pow({f},2)"].startswith("Not quite — a known mistake: Forgot the biases")
        assert "2*{C}*{N}*pow({f},2)" in mistakes and "({N}+{C}*{N}*{f})" in mistakes
        for f, c, n in rows:
            at = {"f": f, "C": c, "N": n}
            order = [(a.findtext("text"), a.findtext("feedback/text")) for a in answers]
            for mistake, feedback in mistakes.items():
                value = _moodle_eval(mistake, at)
                matches = [fb for m, fb in order if _moodle_eval(m, at) == value]
                # a value two mistakes give alike (f = C: forgot the depth, or f instead of f²) is named after the
                # first, as the numerical export does; C = 1: forgetting the depth gives the right answer
                assert matches[0] == feedback or len(matches) > 1


def test_torch_check_disagreement_writes_nothing_and_exits_1(bank: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import quizgen.verify.torch_check as torch_check

    monkeypatch.setattr(torch_check, "require_torch", lambda where="--torch-check": None)
    monkeypatch.setattr(torch_check, "check_problems", lambda problems, device="cpu": ["C1: params 10 vs 12"])
    out = tmp_path / "t.xml"
    result = CliRunner().invoke(cli, ["moodle", str(bank), "-n", "1", "-o", str(out), "--torch-check"])
    assert result.exit_code == 1
    assert "C1: params 10 vs 12" in result.output and not out.exists()


def test_torch_check_passes_on_real_problems(bank: Path, tmp_path: Path) -> None:
    require_module("torch")
    out = tmp_path / "torch.xml"
    result = CliRunner().invoke(cli, ["moodle", str(bank), "-n", "2", "-o", str(out), "--torch-check"])
    assert result.exit_code == 0, result.output
    assert out.exists()


def test_text_xml_cannot_hold_is_refused() -> None:
    from dataclasses import replace

    from quizgen.bank.draw import ExportCategory, ExportItem
    from quizgen.errors import InternalError
    from quizgen.problems import generate
    from quizgen.render.moodle import moodle_xml

    problem = generate("input-conv", seed=1, difficulty=1, lang="en")
    item = ExportItem(replace(problem, stem=problem.stem + "\x07"), 0, 1.0, Fraction(0), ())
    with pytest.raises(InternalError, match="cannot be written in XML"):
        moodle_xml([ExportCategory("$course$/top/x", "x", "input-conv", 1, (item,))])


# every XML tag of the export and of the diagrams, and the escapes an XML writer makes
_HAND_WRITTEN = re.compile(
    r"</?(?:quiz|question|category|info|name|text|file|questiontext|generalfeedback|defaultgrade|penalty|hidden|"
    r"idnumber|answer|feedback|tolerance\w*|tags?|hint|single|shuffleanswers|answernumbering|unit\w*|showunits|"
    r"correct\w*|partiallycorrectfeedback|incorrectfeedback|shownumcorrect|synchronize|dataset\w*|number\w*|value|"
    r"status|type|distribution|minimum|maximum|decimals|itemcount|svg|title|rect|polygon|line|g)[\s>/]"
    r"|<!\[CDATA\[|&(?:amp|lt|gt|quot|#1[03]);|<\?xml")


def _string_literals(path: Path) -> list[tuple[int, str]]:
    """Every string literal of a module (f-string pieces included), docstrings left out."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


@pytest.mark.parametrize("module", ["moodle", "moodle_calculated", "svg"])
def test_xml_is_written_by_lxml_never_pasted(module: str) -> None:
    path = Path(__file__).resolve().parents[2] / "quizgen" / "render" / f"{module}.py"
    pasted = [(line, text) for line, text in _string_literals(path) if _HAND_WRITTEN.search(text)]
    assert pasted == []
    source = path.read_text(encoding="utf-8")
    # written by lxml: with its incremental writer, or as an element tree that lxml serializes
    assert "etree.xmlfile(" in source or "xf.element(" in source or (
        "etree.SubElement(" in source and "etree.tostring(" in source)
