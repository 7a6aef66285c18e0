"""A small fuzz through the console script's own entry point: specs, bank files and options.

Whatever comes in, quizgen answers with a result (exit 0) or one line and exit 2: never a traceback.
Every input that ever broke this is kept below as an ``@example``.
"""

from __future__ import annotations

import contextlib
import io
import sys
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from quizgen.commands.cli import main

FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)

NASTY = st.sampled_from(["", " ", "\x00", "\x07", "\x1b[31m", "\u202e", "\ud800", "\ufffe", "🎉", "日本", "×", "9" * 30,
                         "-1", "0", ".nan", ".inf", "1e400", "'", '"', "{", "[", "&a", "*a", "\\", "%", "$", "\n"])
WORD = st.one_of(NASTY, st.text(max_size=12), st.integers(-10**6, 10**6).map(str))


def run(*args: str) -> tuple[int, str, str]:
    """``quizgen ARGS`` in this process: exit status, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    argv = sys.argv
    sys.argv = ["quizgen", *args]
    code = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv = argv
    return code, out.getvalue(), err.getvalue()


def assert_clean(code: int, err: str) -> None:
    assert "Traceback" not in err, err
    assert code in (0, 2), (code, err)
    if code == 2:
        lines = err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and len(lines[0]) < 2100, err


LAYER = st.one_of(
    st.builds(lambda k, n, f: f"{k} {n} {f}", st.sampled_from(["conv", "fc", "maxpool", "avgpool", "conv1x1"]),
              WORD, WORD),
    st.builds(lambda a, b: f"conv {a} 3 p={b}", st.integers(-3, 600), WORD),
    st.sampled_from(["relu", "flatten", "dropout 0.5", "softmax", "lrn", "maxpool 2 s=2", "fc 10"]),
    WORD,
)
SPEC = st.builds(lambda inp, layers: " > ".join([inp, *layers]),
                 st.one_of(st.just("32x32x1"), st.just("32×32×3"), WORD,
                           st.builds(lambda h, c: f"{h}x{h}x{c}", st.integers(-1, 5000), st.integers(-1, 9))),
                 st.lists(LAYER, max_size=6))


@FUZZ
@given(SPEC)
@example("3" * 300)  # once: OSError, file name too long (a spec tried as a file first)
@example("32x32x1 > fc " + "9" * 5000)  # once: ValueError, over 4,300 digits
@example("100000x100000x3 > conv 64 3 > fc 10")
def test_specs(spec: str) -> None:
    code, _, err = run("solve", spec)
    assert_clean(code, err)


VALUE = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(), WORD),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(WORD, inner, max_size=3),
                     max_leaves=8)
ENTRY = st.dictionaries(st.sampled_from(["family", "name", "count", "difficulty", "points", "params", "tags",
                                         "tolerance", "famly"]), VALUE, max_size=5)
FAMILY_ENTRY = st.builds(lambda f, extra: {"family": f, **extra},
                         st.sampled_from(["conv-conv", "input-conv", "fc-fc", "output-size", "lenet5", "memory"]),
                         st.dictionaries(st.sampled_from(["count", "difficulty", "points", "tolerance", "tags"]),
                                         VALUE, max_size=2))
BANK = st.fixed_dictionaries({"title": VALUE, "entries": st.lists(ENTRY | FAMILY_ENTRY, max_size=2)},
                             optional={"seed": VALUE, "tolerance": VALUE, "lang": VALUE, "date": VALUE,
                                       "duration": VALUE, "course": VALUE})
KEPT_BANKS = [
    "[a, b]: 1\ntitle: T\nentries: [{family: conv-conv}]\n",  # once: TypeError, unhashable key
    "title: " + "[" * 5000 + "]" * 5000 + "\nentries: [{family: conv-conv}]\n",  # once: RecursionError
    "title: T\ntolerance: .nan\nentries: [{family: conv-conv}]\n",  # once: ValueError in Fraction
    'title: "T\\x07"\nentries: [{family: conv-conv}]\n',  # once: InternalError, not writable in XML
    'title: "\\ud800"\nentries: [{family: conv-conv}]\n',  # once: lone surrogate
    "title: T\nseed: " + "9" * 5000 + "\nentries: [{family: conv-conv}]\n",  # once: ValueError, digits
]


def _dump(bank: dict) -> str:
    try:
        return yaml.safe_dump(bank, allow_unicode=True)
    except yaml.YAMLError:
        return repr(bank)


@FUZZ
@given(st.one_of(BANK.map(_dump), st.sampled_from(KEPT_BANKS), st.text(max_size=200)),
       st.sampled_from(["moodle", "gift", "stress"]))
def test_bank_files(text: str, command: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bank.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        extra = ["-n", "1"] + (["-o", str(Path(tmp) / "out")] if command != "stress" else [])
        code, _, err = run(command, str(path), *extra)
        assert_clean(code, err)


OPTION_VALUE = st.one_of(NASTY, st.text(max_size=8), st.integers(-3, 12).map(str))  # small: a valid -n is real work
OPTIONS = st.lists(st.one_of(st.sampled_from(["-n", "--seed", "--lang", "--style", "-o", "--force", "--difficulty",
                                              "--date", "-p", "--id", "--format", "--bogus"]), OPTION_VALUE),
                   max_size=5)


@FUZZ
@given(st.sampled_from(["moodle", "gift", "sample", "stress", "solve", "practice-html"]), OPTIONS)
@example("moodle", ["-n", "abc"])  # once: click's four-line usage message
@example("moodle", ["-o", ""])  # once: an empty output meant the default
@example("sample", ["--id", "\x1b[2J"])
def test_options(command: str, options: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subject = {"solve": ["lenet5"], "sample": ["conv-conv"]}.get(command, ["lecture", "-n", "1"])
        out = ["-o", str(Path(tmp) / "out.txt")] if command in ("moodle", "gift", "practice-html") else []
        options = [str(Path(tmp) / "o") if a == "out" else a for a in options]
        code, _, err = run(command, *subject, *out, *options)
        assert_clean(code, err)
