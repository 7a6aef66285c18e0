"""Bank entries ``family: custom``: every mistake is one line with file:line and the fix (exit 2, nothing
written), the shipped example bank loads and stresses, and its exercises go to every output."""

from __future__ import annotations

import csv
import textwrap
from pathlib import Path
from xml.etree import ElementTree

import pytest

from quizgen.bank.draw import entry_variants
from quizgen.bank.load import load_bank
from quizgen.problems import generate
from quizgen.problems.measures import engine_lookup, evaluate

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "banks" / "custom-examples.yaml"
HEAD = "title: Custom test bank\nlang: en\nseed: 5\nentries:\n"
# an entry starting on line 5; its keys on lines 6-10 (network 7, params 8, where 9, ask 10)
ENTRY = """\
  - family: custom
    name: "A block"
    network: "{W}x{W}x3 > conv {n} 3 p=1 > maxpool 2 > fc {F}"
    params: {W: [16, 32], n: [8, 16], F: [10]}
    where: "W % 8 == 0"
    ask: [output_size(conv#1), params(conv#1), flatten, params(fc#3)]
"""


def _bank(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bank.yaml"
    path.write_text(HEAD + textwrap.dedent(text), encoding="utf-8")
    return path


def _with(**changes: str) -> str:
    """ENTRY with some of its lines replaced (``key="value as YAML"``) or added at the end."""
    lines = ENTRY.splitlines()
    for key, value in changes.items():
        for i, line in enumerate(lines):
            if line.strip().startswith(f"{key}:"):
                lines[i] = f"    {key}: {value}" if value else ""
                break
        else:
            lines.append(f"    {key}: {value}")
    return "\n".join(line for line in lines) + "\n"


# (name, entry text, line, words of the message, words of the fix)
CASES = [
    ("unknown placeholder", _with(network='"{W}x{W}x3 > conv {m} 3 > fc {F}"'), 7, "unknown name 'm'",
     "declare it under 'params:' or 'let:'"),
    ("misspelt placeholder", _with(network='"{w}x{W}x3 > conv {n} 3 > fc {F}"'), 7, "unknown name 'w'",
     "did you mean 'W'"),
    ("a measure that names no layer", _with(ask="[params(conv#1), params(conv#2)]"), 10,
     "the network has no layer 'conv#2'", "its layers are conv#1, maxpool#2, fc#3"),
    ("an unknown measure", _with(ask="[params(conv#1), prams(fc#3)]"), 10, "unknown quantity 'prams'",
     "did you mean 'params'"),
    ("a constraint no draw satisfies", _with(where='"W > 100"'), 9, "no draw in 1000 satisfies where", "relax"),
    ("a network impossible for some draws", _with(network='"{W}x{W}x3 > conv {n} 3 > maxpool 2 > conv 4 {W - 6}"'),
     7, "with W = 16, n = 8, F = 10 the network is 16x16x3 > conv 8 3 > maxpool 2 > conv 4 10, and layer conv#3",
     "add a where: condition that excludes these values"),
    ("division by zero", _with(where='"W / (n - 8) > 1"'), 9, "divides by zero with W = 16, n = 8", "where"),
    ("Python in an expression", _with(where="\"__import__('os').system('ls')\""), 9, "is not allowed",
     "the functions are min, max"),
    ("a placeholder that is not whole", _with(network='"{W/3}x{W}x3 > conv {n} 3 > fc {F}"'), 7,
     "not a whole number", "use //"),
    ("a template syntax error", _with(stem='{en: "Maps of {{ W }"}'), 11, "stem (en), line 1 of the text",
     "{{ name }}"),
    ("a sandbox violation", _with(stem='{en: "{{ W.__class__.__mro__ }}"}'), 11, "an attribute (x.name) is not allowed",
     "{% if %}"),
    ("a loop in a stem", _with(stem='{en: "{% for i in range(99999) %}x{% endfor %}"}'), 11, "a loop", "{% if %}"),
    ("an unknown name in a stem", _with(stem='{en: "{{ Fc }}"}'), 11, "unknown name 'Fc'", "did you mean 'F'"),
    ("a missing language", _with(stem='{it: "Mappe di {{ W }}"}'), 11, "the stem has no text in 'en'",
     'add stem: {en: "..."}'),
    ("points that do not match the asks", _with(points="[1, 2]"), 10, "points lists 2 values for 4 asked",
     "one number of points per ask"),
    ("a misspelt key", _with(aks="[params(conv#1)]"), 11, "unknown key 'aks'", "did you mean 'ask'"),
    ("a missing ask", _with(ask=""), 5, "needs 'ask'", "ask: [output_size(conv#1)"),
    ("a huge exponent", _with(where='"9 ** 9 ** 9 > W"'), 9, "exponent", "64"),
    ("values that are not numbers", _with(params="{W: [16, 32], n: [eight], F: [10]}"), 8, "whole numbers",
     "params: {W"),
]


@pytest.mark.parametrize("name, entry, line, message, fix", CASES, ids=[c[0] for c in CASES])
def test_mistakes_are_one_line_with_file_line_and_fix(run_cli, tmp_path: Path, name: str, entry: str,  # noqa: ANN001
                                                      line: int, message: str, fix: str) -> None:
    path = _bank(tmp_path, entry)
    r = run_cli("stress", str(path), "-n", "5")
    assert r.code == 2, (r.out, r.err)
    assert r.out == ""
    assert r.err.count("\n") == 1 and "Traceback" not in r.err, r.err
    assert r.err.startswith(f"error: {path}:{line}: entry 1 (custom): "), r.err
    assert message in r.err and fix in r.err, r.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bank.yaml"]


def test_a_rare_impossible_draw_is_found_by_stress_at_its_line(run_cli, tmp_path: Path) -> None:  # noqa: ANN001
    """A draw the load-time probes do not meet (W = 37) still names the network's line when stress meets it."""
    values = ", ".join(map(str, range(20, 60)))
    entry = _with(network='"{W}x{W}x3 > conv 4 {50 if W == 37 else 3}"', params=f"{{W: [{values}], n: [8], F: [10]}}",
                  where='"W != 21"', ask="[params(conv#1)]")
    path = _bank(tmp_path, entry)
    assert run_cli("stress", str(path), "-n", "3").code == 0
    r = run_cli("stress", str(path), "-n", "300")
    assert r.code == 2 and r.err.startswith(f"error: {path}:7: entry 1 (custom): "), r.err
    assert "with W = 37, n = 8, F = 10 the network is 37x37x3 > conv 4 50" in r.err
    assert "add a where: condition" in r.err


def test_a_bare_entry_asks_the_built_in_example(tmp_path: Path) -> None:
    bank = load_bank(_bank(tmp_path, "  - family: custom\n  - {family: custom, name: Mine}\n"))
    first, second = (entry_variants(bank, i, 1)[0] for i in range(2))
    assert first.title == "A VGG-style block" and second.title == "Mine"
    assert first.id.startswith("custom.d1.s") and ".p" not in first.id


def test_entry_definition_and_ids(tmp_path: Path) -> None:
    bank = load_bank(_bank(tmp_path, ENTRY))
    entry = bank.entries[0]
    assert entry.family == "custom" and entry.name == "A block"
    problems = entry_variants(bank, 0, 4)
    assert len({p.id for p in problems}) == 4
    # the id does not depend on where the bank is: the same entry elsewhere gives the same ids
    other = tmp_path / "elsewhere"
    other.mkdir()
    moved = load_bank(_bank(other, ENTRY))
    assert [p.id for p in entry_variants(moved, 0, 4)] == [p.id for p in problems]
    for p in problems:
        again = generate("custom", seed=p.seed, params=entry.params)
        assert again == p
        lookup = engine_lookup((p.network,))
        assert all(evaluate(part.measure, lookup) == part.answer for part in p.parts)


def test_the_example_bank_loads_and_every_entry_verifies() -> None:
    bank = load_bank(EXAMPLES)
    assert len(bank.entries) >= 4 and all(e.family == "custom" for e in bank.entries)
    for lang in ("en", "it"):
        for i, entry in enumerate(bank.entries):
            problems = entry_variants(bank, i, 6, lang=lang)
            assert all(p.title == entry.names[lang] for p in problems)
            assert len(problems) == 6


def test_stress_on_the_example_bank(run_cli) -> None:  # noqa: ANN001
    r = run_cli("stress", str(EXAMPLES), "-n", "60", "--lang", "en")
    assert r.code == 0, r.err
    assert "custom" in r.out and "(exact)" in r.out


def test_every_output(run_cli, tmp_path: Path) -> None:  # noqa: ANN001
    """Exam .tex and CSV, Moodle XML, GIFT and the practice page all carry the custom exercises' answers."""
    bank = load_bank(EXAMPLES, lang="en")
    first = entry_variants(bank, 1, 2, lang="en")
    moodle, gift, page = tmp_path / "q.xml", tmp_path / "q.gift", tmp_path / "p.html"
    assert run_cli("moodle", str(EXAMPLES), "-n", "2", "--lang", "en", "-o", str(moodle)).code == 0
    assert run_cli("gift", str(EXAMPLES), "-n", "2", "--lang", "en", "-o", str(gift)).code == 0
    assert run_cli("practice-html", str(EXAMPLES), "-n", "8", "--lang", "en", "-o", str(page)).code == 0
    root = ElementTree.parse(moodle).getroot()
    categories = [q.find("category/text").text for q in root.iter("question") if q.get("type") == "category"]
    assert any("VGG" in c for c in categories)
    xml = moodle.read_text(encoding="utf-8")
    gift_text = gift.read_text(encoding="utf-8")
    for problem in first:
        for part in problem.parts:
            assert f":{part.answer}:" in xml or f":{part.answer}~" in xml or f"{part.answer}" in xml
            assert str(part.answer) in gift_text
    assert "A VGG-style block" in page.read_text(encoding="utf-8")


def test_exam_pdf_key_and_csv(run_cli, tmp_path: Path) -> None:  # noqa: ANN001
    from tests.conftest import require_tool

    require_tool("pdflatex")
    out = tmp_path / "exam"
    r = run_cli("exam", str(EXAMPLES), "-n", "1", "--lang", "en", "-o", str(out))
    assert r.code == 0, r.err
    assert {p.suffix for p in out.iterdir()} >= {".pdf", ".tex", ".csv"}
    rows = list(csv.reader((out / "custom-examples-grading.csv").open(encoding="utf-8")))
    assert sum(1 for row in rows if "custom" in row) >= 4
    exam = (out / "custom-examples-exam.tex").read_text(encoding="utf-8")
    assert "A LeNet-like network" in exam and "A classifier head" in exam
    key = (out / "custom-examples-key.tex").read_text(encoding="utf-8")
    assert key.count("custom.d1.s") >= 4


def test_terminal_practice(run_cli) -> None:  # noqa: ANN001
    r = run_cli("practice", str(EXAMPLES), "--lang", "en", "--seed", "3", "-n", "1", stdin="1\n2\n3\n4\n5\n")
    assert r.code == 0, r.err
    assert "Summary" in r.out and "Traceback" not in r.out


def test_pytorch_confirms_every_answer() -> None:
    from tests.conftest import require_module

    require_module("torch")
    from quizgen.verify.torch_check import check_problems

    bank = load_bank(EXAMPLES)
    problems = [p for i in range(len(bank.entries)) for p in entry_variants(bank, i, 5)]
    branchy = generate("custom", seed=2, params={
        "network": "{W}x{W}x3 > conv {n} 3 p=same > bn > relu > b: res(conv {n} 3 p=1 > relu > conv {n} 3 p=1) "
                   "> globalavgpool > fc 10",
        "params": {"W": [8, 16], "n": [4, 8]},
        "ask": ["output_size(conv#1)", "params(bn#2)", "params(b.conv#3)", "total_params", "total_activations"]})
    measured = [generate("custom", seed=seed, params={
        "network": "{W}x{W}x3 > conv {n} 3 p=1 > bn > relu > maxpool 2 > conv {n} 3 d=2 > bn > fc 10",
        "params": {"W": [16, 32], "n": [8, 16]},
        "ask": ["flops(conv#1)", "macs(fc#7)", "buffers(bn#2)", "receptive_field(conv#5)", "jump(conv#5)",
                "receptive_field(relu#3)", "total_macs", "total_flops", "total_buffers",
                {"quantity": "total_params", "bytes": "float16", "unit": "KiB"},
                {"quantity": "activations(conv#5)", "bytes": "float32", "unit": "KB", "decimals": 3},
                {"quantity": "training_memory", "optimizer": "adam", "batch": 32, "unit": "MiB"}]})
                for seed in range(3)]
    assert check_problems([*problems, branchy, *measured]) == []


def test_the_readme_shows_every_ask() -> None:
    from quizgen.problems.custom import LAYER_ASKS, TOTAL_ASKS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("<!-- section:custom -->"):readme.index("<!-- /section:custom -->")]
    missing = [name for name in LAYER_ASKS if f"`{name}(L)`" not in section and f"`{name}`" not in section]
    missing += [name for name in TOTAL_ASKS if f"`{name}`" not in section]
    assert not missing, missing


# an entry whose asks are mappings: the second ask on line 11, its wrong answers on lines 13 and 14
OWN_ENTRY = """\
  - family: custom
    name: "A block"
    network: "{W}x{W}x3 > conv {n} 3 p=1 > maxpool 2 > fc {F}"
    params: {W: [16, 32], n: [8, 16], F: [10]}
    ask:
      - params(conv#1)
      - quantity: params(fc#3)
        wrong:
          - {value: "answer - F", feedback: {en: "Each of the {{ F }} nodes has a bias."}}
          - {value: "WRONG", feedback: {en: "The maps are pooled."}}
      - {quantity: total_params, bytes: float32, unit: KB}
"""


@pytest.mark.parametrize("value, message, fix", [
    ("answer + n - 8", "wrong answer 2 'answer + n - 8' is 5130 with W = 16, n = 8, F = 10, answer = 5130: the right "
     "answer", "add a where: condition"),
    ("answer - 10", "as an earlier wrong answer is", "change one of the two expressions"),
    ("answer - f", "unknown name 'f'", "did you mean 'F'"),
])
def test_an_instructors_wrong_answer_that_fails_a_check_is_one_line_at_its_line(run_cli, tmp_path: Path,  # noqa: ANN001
                                                                                 value: str, message: str,
                                                                                 fix: str) -> None:
    path = _bank(tmp_path, OWN_ENTRY.replace("WRONG", value))
    r = run_cli("stress", str(path), "-n", "5")
    assert r.code == 2 and r.out == "", (r.out, r.err)
    assert r.err.count("\n") == 1 and r.err.startswith(f"error: {path}:14: entry 1 (custom): "), r.err
    assert message in r.err and fix in r.err, r.err


def test_a_feedback_without_the_banks_language_is_refused_at_its_line(run_cli, tmp_path: Path) -> None:  # noqa: ANN001
    path = _bank(tmp_path, OWN_ENTRY.replace("WRONG", "answer // 4").replace("{en: \"The maps", "{it: \"Le mappe"))
    r = run_cli("stress", str(path), "-n", "5")
    assert r.code == 2 and r.err.startswith(f"error: {path}:14: "), r.err
    assert "feedback has no text in 'en'" in r.err and 'add feedback: {en: "..."}' in r.err


def test_instructor_wrong_answers_reach_every_output(run_cli, tmp_path: Path) -> None:  # noqa: ANN001
    path = _bank(tmp_path, OWN_ENTRY.replace("WRONG", "answer // 4"))
    assert run_cli("stress", str(path), "-n", "40").code == 0
    moodle, gift, page = tmp_path / "q.xml", tmp_path / "q.gift", tmp_path / "p.html"
    assert run_cli("moodle", str(path), "-n", "2", "-o", str(moodle)).code == 0
    assert run_cli("gift", str(path), "-n", "2", "-o", str(gift)).code == 0
    assert run_cli("practice-html", str(path), "-n", "2", "--lang", "en", "-o", str(page)).code == 0
    problem = entry_variants(load_bank(path), 0, 1)[0]
    fc = problem.parts[1]
    assert [(d.misconception, d.value) for d in fc.distractors[:2]] == [("instructor-1", fc.answer - 10),
                                                                        ("instructor-2", fc.answer // 4)]
    xml = moodle.read_text(encoding="utf-8")
    root = ElementTree.fromstring(xml.encode())
    cloze = [q for q in root.iter("question") if q.get("type") == "cloze"]
    assert cloze and "Each of the 10 nodes has a bias." in xml and "The maps are pooled." in xml
    assert "Each of the 10 nodes has a bias." in gift.read_text(encoding="utf-8")
    assert "The maps are pooled." in page.read_text(encoding="utf-8")
    assert "KB" in xml and "to 2 decimal places" in xml


def _readme_bank(heading: str, tmp_path: Path) -> Path:
    """A one-entry bank made of the README's YAML example that follows ``heading``."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("```yaml", readme.index(heading)) + len("```yaml\n")
    block = textwrap.dedent(readme[start:readme.index("```", start)])
    path = tmp_path / "bank.yaml"
    path.write_text("title: t\nlang: en\nseed: 1\nentries:\n" + textwrap.indent(block, "  "), encoding="utf-8")
    return path


def test_the_readme_example_of_asks_with_settings_loads_and_stresses(run_cli, tmp_path: Path) -> None:  # noqa: ANN001
    path = _readme_bank("**An ask with settings of its own**", tmp_path)
    r = run_cli("stress", str(path), "-n", "30")
    assert r.code == 0, r.err
    problem = entry_variants(load_bank(path), 0, 1)[0]
    assert [d.misconception for d in problem.parts[1].distractors[:2]] == ["instructor-1", "instructor-2"]
    assert problem.parts[2].unit == "MB" and problem.parts[3].tolerance == 1000


MODERN = ROOT / "banks" / "custom-modern.yaml"


def test_the_second_example_bank_loads_stresses_and_uses_every_kind_of_ask(run_cli) -> None:  # noqa: ANN001
    bank = load_bank(MODERN)
    assert len(bank.entries) >= 5 and all(e.family == "custom" for e in bank.entries)
    kinds = set()
    for lang in ("en", "it"):
        for i, entry in enumerate(bank.entries):
            for p in entry_variants(bank, i, 4, lang=lang):
                assert p.title == entry.names[lang]
                kinds |= {d.misconception.split("-")[0] for part in p.parts for d in part.distractors}
                kinds |= {part.unit for part in p.parts} | ({"choice"} if p.choices else set())
    assert {"instructor", "rf", "bn", "MB", "MiB", "choice"} <= kinds, kinds
    for lang in ("en", "it"):
        r = run_cli("stress", str(MODERN), "-n", "40", "--lang", lang)
        assert r.code == 0, r.err


def test_the_second_example_bank_in_every_output(run_cli, tmp_path: Path) -> None:  # noqa: ANN001
    moodle, gift, page = tmp_path / "q.xml", tmp_path / "q.gift", tmp_path / "p.html"
    assert run_cli("moodle", str(MODERN), "-n", "2", "-o", str(moodle)).code == 0
    assert run_cli("gift", str(MODERN), "-n", "2", "-o", str(gift)).code == 0
    assert run_cli("practice-html", str(MODERN), "-n", "10", "-o", str(page)).code == 0
    root = ElementTree.parse(moodle).getroot()
    kinds = {q.get("type") for q in root.iter("question")}
    assert {"cloze", "multichoice"} <= kinds, kinds
    xml, gift_text = moodle.read_text(encoding="utf-8"), gift.read_text(encoding="utf-8")
    bank = load_bank(MODERN)
    for i in range(len(bank.entries)):
        for problem in entry_variants(bank, i, 2):
            for part in problem.parts:
                for d in part.distractors:
                    if d.misconception.startswith("instructor-"):
                        assert d.feedback.split("$")[0].strip()[:30] in xml
            for choice in problem.choices:
                assert choice.feedback.split("$")[0][:20] in gift_text.replace("\\", "")  # GIFT escapes : = ~ #
    assert "VGG" in page.read_text(encoding="utf-8")
    r = run_cli("practice", str(MODERN), "--lang", "en", "--seed", "3", "-n", "5", stdin="1\n" * 40)
    assert r.code == 0 and "Summary" in r.out and "Traceback" not in r.out, r.err


def test_the_second_example_bank_as_an_exam(run_cli, tmp_path: Path) -> None:  # noqa: ANN001
    from tests.conftest import require_tool

    require_tool("pdflatex")
    out = tmp_path / "exam"
    r = run_cli("exam", str(MODERN), "-n", "1", "-o", str(out))
    assert r.code == 0, r.err
    rows = list(csv.reader((out / "custom-modern-grading.csv").open(encoding="utf-8")))
    assert any("instructor-1" in row for row in rows)
    exam = (out / "custom-modern-exam.tex").read_text(encoding="utf-8")
    assert "Le convoluzioni in serie di VGG" in exam and "I MAC di una convoluzione depthwise" in exam


def test_pytorch_confirms_the_second_example_bank() -> None:
    from dataclasses import replace

    from tests.conftest import require_module

    require_module("torch")
    from quizgen.text import numbers
    from quizgen.verify.torch_check import check_problem, check_problems

    bank = load_bank(MODERN)
    problems = [p for i in range(len(bank.entries)) for p in entry_variants(bank, i, 4)]
    assert check_problems(problems) == []
    # a choice question's options that show the network's numbers are measured on torch too
    choice = next(p for p in problems if p.choices)
    numbers_shown = [c for c in choice.choices if c.measure is not None]
    assert len(numbers_shown) == 2
    assert all(c.text == f"${numbers.latex(c.value, None, choice.lang)}$" for c in numbers_shown)
    wrong = replace(choice, choices=tuple(replace(c, value=c.value + 1) if c.measure is not None else c
                                          for c in choice.choices))
    assert len(check_problem(wrong)) == 2


def test_a_choice_options_mistake_is_one_line_at_the_options_line(run_cli, tmp_path: Path) -> None:  # noqa: ANN001
    entry = """\
  - family: custom
    name: "A block"
    network: "{W}x{W}x3 > conv {n} 3 p=1 > maxpool 2 > fc {F}"
    params: {W: [16, 32], n: [8, 16], F: [10]}
    stem: {en: "How many parameters does conv#1 have?"}
    choose:
      options:
        - {ask: params(conv#1), correct: true}
        - {value: "27*n + n", feedback: {en: "The same."}}
"""
    path = _bank(tmp_path, entry)
    r = run_cli("stress", str(path), "-n", "5")
    assert r.code == 2 and r.out == "", (r.out, r.err)
    assert r.err.count("\n") == 1 and r.err.startswith(f"error: {path}:13: entry 1 (custom): option 2 shows $224$ with "
                                                       "W = 16, n = 8, F = 10, as option 1 does"), r.err
    assert "change one of the two" in r.err


def test_the_readme_example_of_a_choice_question_loads_and_stresses(run_cli, tmp_path: Path) -> None:  # noqa: ANN001
    path = _readme_bank("**`choose`**, in place of `ask`", tmp_path)
    r = run_cli("stress", str(path), "-n", "20")
    assert r.code == 0, r.err
    problem = entry_variants(load_bank(path), 0, 1)[0]
    assert len(problem.choices) == 4 and sum(c.correct for c in problem.choices) == 1


def test_an_options_quantity_that_names_no_layer_is_refused_at_the_options_line(run_cli,  # noqa: ANN001
                                                                                 tmp_path: Path) -> None:
    entry = """\
  - family: custom
    network: "{W}x{W}x3 > conv {n} 3 p=1 > maxpool 2 > fc {F}"
    params: {W: [16, 32], n: [8, 16], F: [10]}
    stem: {en: "How many parameters does conv#1 have?"}
    choose:
      options:
        - {ask: params(conv#1), correct: true}
        - {ask: params(conv#2)}
"""
    r = run_cli("stress", str(_bank(tmp_path, entry)), "-n", "3")
    assert r.code == 2 and r.err.count("\n") == 1, r.err
    assert r.err.startswith(f"error: {tmp_path / 'bank.yaml'}:12: entry 1 (custom): ask 'params(conv#2)': the network "
                            "has no layer 'conv#2'; did you mean 'conv#1'?"), r.err
