"""Hostile and mistaken inputs: each ends as one line naming the file, line or option (exit 2), or a right result."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quizgen.errors import QuizgenError, location, one_line, shown

VGG16 = ("224x224x3 > conv 64 3 p=1 > conv 64 3 p=1 > maxpool 2 > conv 128 3 p=1 > conv 128 3 p=1 > maxpool 2"
         " > conv 256 3 p=1 > conv 256 3 p=1 > conv 256 3 p=1 > maxpool 2 > conv 512 3 p=1 > conv 512 3 p=1"
         " > conv 512 3 p=1 > maxpool 2 > conv 512 3 p=1 > conv 512 3 p=1 > conv 512 3 p=1 > maxpool 2"
         " > fc 4096 > fc 4096 > fc 1000")


def _one_line_error(r, *parts: str) -> None:  # noqa: ANN001
    assert r.code == 2, (r.out, r.err)
    assert r.err.startswith("error: ") and r.err.count("\n") == 1 and "Traceback" not in r.err, r.err
    for part in parts:
        assert part in r.err, r.err


def _bank(tmp_path: Path, text: str) -> str:
    path = tmp_path / "b.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return str(path)


def test_a_long_spec_is_read_as_a_spec(run_cli) -> None:  # noqa: ANN001
    assert len(VGG16.encode()) > 255
    r = run_cli("solve", VGG16)
    assert r.code == 0, r.err
    assert "138,357,544" in r.out  # VGG-16's parameters


def test_a_long_bank_name(run_cli) -> None:  # noqa: ANN001
    r = run_cli("moodle", "a" * 300)
    _one_line_error(r, "no bank 'aaaa")
    assert len(r.err) < 300


def test_times_sign_is_read_as_x(run_cli) -> None:  # noqa: ANN001
    r = run_cli("solve", "32×32×1 > conv 6 5 > fc 10", "--format", "json")
    assert r.code == 0, r.err


@pytest.mark.parametrize(("args", "option"), [
    (["moodle", "lecture", "-n", "abc"], "option -n"),
    (["gift", "lecture", "--style", "nope"], "option --style"),
    (["sample", "conv-conv", "--difficulty", "x"], "option --difficulty"),
    (["stress", "lecture", "-n", "0"], "option -n"),
    (["practice", "--difficulty", "9"], "option --difficulty"),
    (["practice-html", "-n", "x"], "option -n"),
    (["exam", "lecture", "--jobs", "x"], "option --jobs"),
    (["verify", "--device", "tpu"], "option --device"),
    (["moodle", "lecture", "--forse"], "option --forse: no such option; did you mean --force"),
    (["moodle"], "Missing argument 'BANK'"),
])
def test_option_errors_are_one_line(run_cli, args: list[str], option: str) -> None:  # noqa: ANN001
    r = run_cli(*args)
    _one_line_error(r, option, f"'quizgen {args[0]} --help'")


def test_a_huge_option_value_is_quoted_short(run_cli) -> None:  # noqa: ANN001
    r = run_cli("moodle", "lecture", "-n", "9" * 5000 + "x")
    _one_line_error(r, "option -n")
    assert len(r.err) < 300


@pytest.mark.parametrize(("text", "where", "words"), [
    ("[a, b]: 1\ntitle: T\nentries: [{family: conv-conv}]\n", ":1", "a key is a list"),
    ("title: T\n{a: 1}: 2\nentries: [{family: conv-conv}]\n", ":2", "a key is a mapping"),
    ("title: " + "[" * 5000 + "]" * 5000 + "\nentries: [{family: conv-conv}]\n", ":1", "levels of nesting"),
    ("title: T\nseed: " + "9" * 5000 + "\nentries: [{family: conv-conv}]\n", ":2", "5,000 digits"),
    ("title: T\x01\nentries: [{family: conv-conv}]\n", ":1", "U+0001"),
    ("title: T\nentries:\n  - family: conv-conv\n    name: \x1b[31mred\n", ":4", "U+001B"),
])
def test_malformed_yaml(tmp_path: Path, run_cli, text: str, where: str, words: str) -> None:  # noqa: ANN001
    path = _bank(tmp_path, text)
    _one_line_error(run_cli("moodle", path, "-n", "1", "-o", str(tmp_path / "o.xml")), f"{path}{where}:", words)
    assert not (tmp_path / "o.xml").exists()


ANCHOR_BOMB = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
"""


@pytest.mark.parametrize("where", ["title: *g", "entries: [{family: conv-conv, tags: *g}]",
                                   "entries: [{family: conv-conv, name: *g}]",
                                   "entries: [{family: conv-conv, params: {f: {min: *g, max: 5}}}]"])
def test_an_anchor_bomb_is_refused_at_once(tmp_path: Path, run_cli, where: str) -> None:  # noqa: ANN001
    text = ANCHOR_BOMB.replace("a: &a", "x-a: &a") + where + ("\nentries: [{family: conv-conv}]" if
                                                               where.startswith("title") else "\ntitle: T") + "\n"
    r = run_cli("moodle", _bank(tmp_path, text), "-n", "1", "-o", str(tmp_path / "o.xml"))
    _one_line_error(r, "expands to more than")
    assert len(r.err) < 400


def test_a_huge_spec_number(run_cli) -> None:  # noqa: ANN001
    _one_line_error(run_cli("solve", "32x32x1 > fc " + "9" * 5000), "5,000 digits")


def test_a_huge_number_in_a_network_file(tmp_path: Path, run_cli) -> None:  # noqa: ANN001
    path = tmp_path / "net.yaml"
    path.write_text("input: 32x32x1\nlayers:\n  - fc " + "9" * 5000 + "\n")
    _one_line_error(run_cli("solve", str(path)), f"{path}:3:")


def test_messages_escape_control_characters_and_stay_short() -> None:
    line = one_line("unknown 'x\x1b[31mred\u202e' and '" + "a" * 500 + "'")
    assert "\x1b" not in line and "\u202e" not in line and "\\x1b[31mred\\u202e" in line
    assert "a" * 81 not in line and "a" * 80 + "…" in line
    assert shown("\ud800") == "'\\ud800'" and len(shown(list(range(10**6)))) <= 81
    assert QuizgenError("m", where="parameter f").located("option --param").where == "option --param, parameter f"
    assert location("b.yaml", 3) == "b.yaml:3"


@pytest.mark.parametrize(("line", "words"), [
    ('title: "T\\x07"', "U+0007"), ('title: "\\x1b[2J"', "U+001B"), ('title: "T\\ud800"', "U+D800"),
    ('title: "T\\uFFFE"', "U+FFFE"), ('title: ""', "the title is empty"), ("title: T\ntolerance: .nan", "is nan"),
    ("title: T\ntolerance: .inf", "is inf"), ("title: T\ntolerance: -5", "tolerance is -5"),
    ('title: T\ncourse: "a\\x00b"', "U+0000"),
])
def test_bank_values(tmp_path: Path, run_cli, line: str, words: str) -> None:  # noqa: ANN001
    path = _bank(tmp_path, line + "\nentries:\n  - family: conv-conv\n")
    for command in ("moodle", "gift"):
        r = run_cli(command, path, "-n", "1", "-o", str(tmp_path / "o.txt"))
        _one_line_error(r, f"{path}:", words)


@pytest.mark.parametrize(("entry", "words"), [
    ("points: .nan", "'points' is nan"), ("points: .inf", "'points' is inf"), ("tolerance: -.inf", "is -inf"),
    ('tags: ["a\\x07"]', "U+0007"), ('name: "\\u202e"', None),
])
def test_entry_values(tmp_path: Path, run_cli, entry: str, words: str | None) -> None:  # noqa: ANN001
    path = _bank(tmp_path, f"title: T\nentries:\n  - family: conv-conv\n    {entry}\n")
    r = run_cli("moodle", path, "-n", "1", "-o", str(tmp_path / "o.xml"))
    if words is None:  # a right-to-left mark is text, not a control character: it is written, escaped by lxml
        assert r.code == 0, r.err
    else:
        _one_line_error(r, f"{path}:4:", words)


@pytest.mark.parametrize("date", ["🎉", "日本", "\x07"])
def test_exam_dates_pdflatex_cannot_print(tmp_path: Path, run_cli, date: str) -> None:  # noqa: ANN001
    path = _bank(tmp_path, "title: T\nentries:\n  - family: conv-conv\n")
    r = run_cli("exam", path, "--date", date, "-o", str(tmp_path / "out"))
    _one_line_error(r, "option --date")
    duration = json.dumps(date, ensure_ascii=False)
    bank = _bank(tmp_path, f"title: T\nduration: {duration}\nentries:\n  - family: conv-conv\n")
    _one_line_error(run_cli("exam", bank, "-o", str(tmp_path / "out")), f"{bank}:2: ", "'duration'")
    bank = _bank(tmp_path, f"title: T\nentries:\n  - family: conv-conv\ndate: {duration}\n")
    _one_line_error(run_cli("exam", bank, "-o", str(tmp_path / "out")), f"{bank}:4: ", "'date'")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize("command", ["moodle", "gift"])
def test_the_default_n_adapts_to_a_small_entry(tmp_path: Path, run_cli, command: str) -> None:  # noqa: ANN001
    out = tmp_path / "practice.out"
    one_file = ["--max-size", "0"]
    bank = _bank(tmp_path, "title: T\nentries:\n  - {family: input-conv, params: {arithmetic: hand, C: 1, f: 3}}\n"
                           "  - {family: conv-conv}\n")
    r = run_cli(command, bank, "-o", str(out), *one_file)
    assert r.code == 0 and out.stat().st_size > 0, r.err
    assert "note: input-conv: 16 variants, all that exist" in r.err  # one per N_c the hand values offer
    _one_line_error(run_cli(command, bank, "-n", "50", "-o", str(out), "--force"), "ask for at most 16")
