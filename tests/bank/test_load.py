"""Banks: every validation error is one line naming file:line and the fix (exit 2, nothing written),
bounded sampling says how many variants exist, and the bundled banks load and generate."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from quizgen.bank.draw import entry_variants, exam_versions, version_code
from quizgen.bank.load import load_bank
from quizgen.errors import QuizgenError
from quizgen.problems import FAMILY_MODULES

HEAD = "title: Test bank\nlang: en\nseed: 5\nentries:\n"


def _missing_families(bank: str) -> list[str]:
    """Families a bundled bank uses whose module is not in this tree yet."""
    text = Path(__file__).resolve().parents[2].joinpath("banks", f"{bank}.yaml").read_text(encoding="utf-8")
    used = re.findall(r"family: ([\w-]+)", text)
    return [f for f in dict.fromkeys(used) if importlib.util.find_spec(FAMILY_MODULES[f]) is None]


def _bank(tmp_path: Path, entries: str, head: str = HEAD) -> Path:
    path = tmp_path / "bank.yaml"
    path.write_text(head + textwrap.dedent(entries), encoding="utf-8")
    return path


# (name, bank text after HEAD (entries start on line 5), expected line, words of the message, words of the fix)
CASES = [
    ("unknown family", "  - family: conv-cnov\n", 5, "unknown family 'conv-cnov'", "did you mean 'conv-conv'"),
    ("misspelled entry key", "  - family: input-conv\n    dificulty: 2\n", 6, "unknown key 'dificulty'",
     "did you mean 'difficulty'"),
    ("misspelled parameter", "  - family: input-conv\n    params:\n      ff: 5\n", 7, "no parameter 'ff'",
     "did you mean 'f'"),
    ("count of the wrong type", "  - family: input-conv\n    count: two\n", 6, "'count' must be a whole number",
     "count: 2"),
    ("points as yes/no", "  - family: input-conv\n    points: yes\n", 6, "'points' must be a number", "points: 3"),
    ("params not a mapping", "  - family: input-conv\n    params: [f, 3]\n", 6, "'params' must be a mapping",
     "params: {f: [3, 5]}"),
    ("parameter of the wrong type", "  - family: input-conv\n    params: {f: five}\n", 6,
     "'f' of input-conv cannot be 'five'", "use a whole number of 1 or more"),
    ("parameter choices of mixed kinds", "  - family: input-conv\n    params: {f: [3, '5']}\n", 6,
     "mix a whole number and text", "same kind"),
    ("misspelled choice", "  - family: input-conv\n    difficulty: 3\n    params: {padding: sme}\n", 7,
     "'padding' of input-conv cannot be 'sme'", "did you mean 'same'"),
    ("empty range", "  - family: input-conv\n    params:\n      N: {min: 64, max: 8}\n", 7,
     "the range for 'N' is empty (min 64 > max 8)", "swap them: {min: 8, max: 64}"),
    ("range with a misspelled key", "  - family: input-conv\n    params:\n      N: {min: 8, mx: 64}\n", 7,
     "unknown key 'mx'", "did you mean 'max'"),
    ("range of fractions", "  - family: input-conv\n    params:\n      N: {min: 8, max: 64, step: 0.5}\n", 7,
     "'step' of the range for 'N' must be a whole number", "step: 8"),
    ("huge range", "  - family: input-conv\n    params:\n      N: {min: 1, max: 100000000}\n", 7,
     "has 100000000 values", "narrow it"),
    ("kernel always larger than the input (probe)",
     "  - family: input-conv\n    difficulty: 2\n    params: {f: [9, 11], W: [5, 7], p: 0}\n", 7,
     "every kernel (f >= 9) is larger than every input (W <= 7)", "lower f or raise W"),
    ("kernel always larger than the input (validate)",
     "  - family: input-conv\n    params: {f: 15, W: 5}\n", 6, "larger than every input", "lower f or raise W"),
    ("difficulty out of range", "  - family: input-conv\n    difficulty: 5\n", 6, "no difficulty 5",
     "use one of 1, 2, 3"),
    ("count zero", "  - family: input-conv\n    count: 0\n", 6, "count is 0", "1 or more"),
    ("negative points", "  - family: input-conv\n    points: -2\n", 6, "points is -2", "positive"),
    ("a third of a point", "  - family: input-conv\n    points: [1, 0.33, 1]\n", 6, "points is 0.33", "halves"),
    ("unknown scoring", "  - family: concepts\n    scoring: half\n", 6, "scoring is 'half'", "all-or-nothing"),
    ("tag not a word", "  - family: input-conv\n    tags: [conv, [a, b]]\n", 6, "a tag must be a word", "tags: ["),
    ("entry not a mapping", "  - input-conv\n", 5, "an entry is a mapping", "family: conv-conv"),
    ("entry without family", "  - count: 2\n", 5, "missing 'family'", "family: conv-conv"),
]


@pytest.mark.parametrize("name, entries, line, message, fix", CASES, ids=[c[0] for c in CASES])
def test_entry_errors_name_file_line_and_fix(run_cli, tmp_path: Path, name: str, entries: str, line: int,  # noqa: ANN001
                                            message: str, fix: str) -> None:
    path = _bank(tmp_path, entries)
    r = run_cli("stress", str(path), "-n", "2")
    assert r.code == 2, (r.out, r.err)
    assert r.out == ""
    assert r.err.count("\n") == 1 and "Traceback" not in r.err, r.err
    assert r.err.startswith(f"error: {path}:{line}: "), r.err
    assert message in r.err and fix in r.err, r.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bank.yaml"]


TOP_CASES = [
    ("misspelled top-level key", "titel: x\nentries:\n  - family: input-conv\n", 1, "unknown key 'titel'",
     "did you mean 'title'"),
    ("seed of the wrong type", "title: x\nseed: soon\nentries:\n  - family: input-conv\n", 2,
     "'seed' must be a whole number", "seed: 2026"),
    ("unknown language", "title: x\nlang: itt\nentries:\n  - family: input-conv\n", 2, "unknown language 'itt'",
     "did you mean 'it'"),
    ("missing title", "lang: en\nentries:\n  - family: input-conv\n", 1, "missing 'title'", "title:"),
    ("no entries", "title: x\nentries: []\n", 2, "the bank has no entries", "add at least one entry"),
    ("entries not a list", "title: x\nentries: input-conv\n", 2, "'entries' must be a list", "entries: ["),
]


@pytest.mark.parametrize("name, text, line, message, fix", TOP_CASES, ids=[c[0] for c in TOP_CASES])
def test_bank_errors_name_file_line_and_fix(run_cli, tmp_path: Path, name: str, text: str, line: int,  # noqa: ANN001
                                           message: str, fix: str) -> None:
    path = _bank(tmp_path, "", head=text)
    r = run_cli("sample", "--bank", str(path), "--entry", "1")
    assert r.code == 2 and r.out == ""
    assert r.err.count("\n") == 1 and "Traceback" not in r.err, r.err
    assert r.err.startswith(f"error: {path}:{line}: "), r.err
    assert message in r.err and fix in r.err, r.err


def test_yaml_syntax_error_names_the_line(run_cli, tmp_path: Path) -> None:  # noqa: ANN001
    path = _bank(tmp_path, "  - family: input-conv\n    params: {f: [3, 5}\n")
    r = run_cli("stress", str(path))
    assert r.code == 2 and r.out == "" and "Traceback" not in r.err
    assert re.match(rf"error: {re.escape(str(path))}:6", r.err), r.err
    assert "not valid YAML" in r.err


def test_duplicate_key_names_the_line(run_cli, tmp_path: Path) -> None:  # noqa: ANN001
    path = _bank(tmp_path, "  - family: input-conv\n    count: 1\n    count: 2\n")
    r = run_cli("stress", str(path))
    assert r.code == 2 and "appears twice" in r.err and re.search(r"(:|line )7\b", r.err), r.err


def test_a_real_process_exits_2_with_one_line(tmp_path: Path) -> None:
    path = _bank(tmp_path, "  - family: input-conv\n    params: {f: [9, 11], W: [5, 7], p: 0}\n    difficulty: 2\n")
    proc = subprocess.run([sys.executable, "-m", "quizgen", "stress", str(path)], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith(f"error: {path}:6: entry 1 (input-conv): every kernel"), proc.stderr
    assert proc.stderr.count("\n") == 1


def test_exam_writes_nothing_for_a_bad_bank(run_cli, tmp_path: Path) -> None:  # noqa: ANN001
    from quizgen.commands.cli import COMMANDS

    if importlib.util.find_spec(f"quizgen.commands.{COMMANDS['exam']}") is None:
        pytest.skip("quizgen exam is not in this tree yet")
    path = _bank(tmp_path, "  - family: input-conv\n    params: {N: {min: 9, max: 3}}\n")
    out = tmp_path / "out"
    r = run_cli("exam", str(path), "-n", "2", "-o", str(out))
    assert r.code == 2 and f"{path}:6" in r.err
    assert not out.exists() or not any(out.iterdir())


def test_bounded_sampling_says_how_many_variants_exist(tmp_path: Path) -> None:
    path = _bank(tmp_path, "  - family: input-conv\n    count: 2\n    params: {C: 3, f: 5, N: [8, 16]}\n")
    bank = load_bank(path)
    assert len(entry_variants(bank, 0, 2)) == 2
    with pytest.raises(QuizgenError) as info:
        exam_versions(bank, 3)
    message = info.value.one_line()
    assert message.startswith(f"{path}:5: entry 1 (input-conv) asks for 6 distinct variants")
    assert "gave only 2" in message and "ask for at most 2" in message


def test_space_known_to_the_family_is_exact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    import quizgen.problems.input_conv as ic

    monkeypatch.setattr(ic, "FAMILY", replace(ic.FAMILY, space=lambda params, d: 4))
    path = _bank(tmp_path, "  - family: input-conv\n    count: 5\n")
    with pytest.raises(QuizgenError) as info:
        load_bank(path)
    assert info.value.one_line() == (f"{path}:6: entry 1 (input-conv): asks for 5 distinct questions but only 4 "
                                     "exist; ask for at most 4 or widen the parameter ranges")
    path = _bank(tmp_path, "  - family: input-conv\n    count: 2\n")
    with pytest.raises(QuizgenError, match="allow exactly 4"):
        exam_versions(load_bank(path), 3)


def test_entry_tags_and_lang_override(tmp_path: Path) -> None:
    path = _bank(tmp_path, "  - family: input-conv\n    count: 3\n    tags: [warm-up, conv, first-layer]\n")
    bank = load_bank(path, lang="it")
    assert bank.lang == "it" and bank.entries[0].tags == ("warm-up", "conv", "first-layer")
    problems = entry_variants(bank, 0, 3)
    assert all(p.lang == "it" and p.tags[-2:] == ("warm-up", "first-layer") and "conv" in p.tags for p in problems)
    assert all(len(p.tags) == len(set(p.tags)) for p in problems)
    with pytest.raises(QuizgenError, match="option --lang: unknown language 'de'"):
        load_bank(path, lang="de")


def test_versions_are_distinct_and_reproducible(tmp_path: Path) -> None:
    path = _bank(tmp_path, "  - family: input-conv\n    count: 2\n  - family: input-conv\n    difficulty: 3\n")
    bank = load_bank(path)
    first = exam_versions(bank, 4)
    again = exam_versions(load_bank(path), 4)
    assert [v.code for v in first] == [version_code(i) for i in range(4)] == ["V01", "V02", "V03", "V04"]
    assert [[q.problem for q in v.questions] for v in first] == [[q.problem for q in v.questions] for v in again]
    stems = [q.problem.stem for v in first for q in v.questions if q.entry_index == 0]
    assert len(stems) == len(set(stems)) == 8
    assert [q.number for q in first[0].questions] == [1, 2, 3]


@pytest.mark.parametrize("name", ["lecture", "practice", "beyond"])
def test_bundled_banks_load_and_generate(name: str) -> None:
    missing = _missing_families(name)
    if missing:
        pytest.skip(f"families not in this tree yet: {', '.join(missing)}")
    bank = load_bank(name)
    assert bank.title and bank.instructions and bank.entries
    assert bank.lang == ("en" if name == "practice" else "it")
    versions = exam_versions(bank, 3)
    assert all(len(v.questions) == sum(e.count for e in bank.entries) for v in versions)
    for version in versions:
        for q in version.questions:
            assert q.problem.lang == bank.lang and q.problem.stem and q.problem.solution


def test_lecture_bank_mirrors_the_lecture() -> None:
    text = Path(__file__).resolve().parents[2].joinpath("banks", "lecture.yaml").read_text(encoding="utf-8")
    families = re.findall(r"family: ([\w-]+)", text)
    order = ["input-conv", "conv-conv", "conv-fc", "fc-fc", "lenet5", "concepts", "memory", "alexnet", "one-by-one"]
    assert [f for f in dict.fromkeys(families) if f in order] == order
    assert "Università Roma Tre" in text
    practice = Path(__file__).resolve().parents[2].joinpath("banks", "practice.yaml").read_text(encoding="utf-8")
    beyond = Path(__file__).resolve().parents[2].joinpath("banks", "beyond.yaml").read_text(encoding="utf-8")
    # every built-in family is in a shipped bank: the lecture's in the practice bank, the next lectures' in beyond
    # (a custom exercise is the instructor's own: banks/custom-examples.yaml has them)
    assert set(re.findall(r"family: ([\w-]+)", practice + beyond)) == set(FAMILY_MODULES) - {"custom"}
