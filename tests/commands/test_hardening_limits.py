"""Every hostile case of the hardening probe, run as the console script under a 1 GB address-space limit
and a time limit: each ends with exit 2 and one line (or the right result), never a traceback or a hang."""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

LIMIT_BYTES = 1 << 30
LIMIT_SECONDS = 60  # a loaded CI machine; on an idle one each case takes about a second

BOMB = "".join(f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdef", "bcdefg", strict=True))
BOMB = 'x: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + BOMB.replace("b: &b", "y: &b")
ENTRY = "entries:\n  - family: conv-conv\n"

# (id, arguments, files written first, what stderr must say; None: a right result, exit 0)
CASES: list[tuple[str, list[str], dict[str, str], str | None]] = [
    ("long spec", ["solve", " > ".join(["224x224x3", *["conv 64 3 p=1"] * 30, "fc 10"])], {}, None),
    ("long bank name", ["moodle", "a" * 300], {}, "no bank"),
    ("emoji date", ["exam", "b.yaml", "--date", "🎉", "-o", "out"], {"b.yaml": "title: T\n" + ENTRY}, "--date"),
    ("cjk duration", ["exam", "b.yaml", "-o", "out"], {"b.yaml": "title: T\nduration: 日本\n" + ENTRY}, "duration"),
    ("nan tolerance", ["gift", "b.yaml", "-o", "o"], {"b.yaml": "title: T\ntolerance: .nan\n" + ENTRY}, "nan"),
    ("inf points", ["exam", "b.yaml", "-o", "out"], {"b.yaml": "title: T\n" + ENTRY + "    points: .inf\n"}, "inf"),
    ("bell in title", ["moodle", "b.yaml", "-o", "o"], {"b.yaml": 'title: "T\\a"\n' + ENTRY}, "U+0007"),
    ("surrogate title", ["moodle", "b.yaml", "-o", "o"], {"b.yaml": 'title: "\\ud800"\n' + ENTRY}, "U+D800"),
    ("list key", ["moodle", "b.yaml"], {"b.yaml": "[a]: 1\ntitle: T\n" + ENTRY}, "b.yaml:1:"),
    ("deep title", ["moodle", "b.yaml"], {"b.yaml": "title: " + "[" * 5000 + "]" * 5000 + "\n" + ENTRY}, "nesting"),
    ("huge seed", ["moodle", "b.yaml"], {"b.yaml": "title: T\nseed: " + "9" * 5000 + "\n" + ENTRY}, "digits"),
    ("huge fc", ["solve", "32x32x1 > fc " + "9" * 5000], {}, "digits"),
    ("huge seed option", ["moodle", "lecture", "--seed", "9" * 5000], {}, "option --seed"),
    ("torch on a huge network", ["solve", "100000x100000x3 > conv 64 3 > fc 10", "--torch"], {}, "GB"),
    ("bomb title", ["moodle", "b.yaml"], {"b.yaml": BOMB + "title: *g\n" + ENTRY}, "expands"),
    ("bomb tags", ["moodle", "b.yaml"], {"b.yaml": BOMB + "title: T\n" + ENTRY + "    tags: *g\n"}, "expands"),
    ("bomb min", ["moodle", "b.yaml"], {"b.yaml": BOMB + "title: T\n" + ENTRY + "    params: {f: {min: *g}}\n"},
     "expands"),
    ("n 10 million", ["moodle", "b.yaml", "-n", "10000000"], {"b.yaml": "title: T\nentries: [{family: lenet5}]\n"},
     "10,000,000"),
    ("count 10 million", ["exam", "b.yaml"], {"b.yaml": "title: T\nentries: [{family: memory, count: 10000000}]\n"},
     "count"),
    ("negative bank tolerance", ["gift", "b.yaml"], {"b.yaml": "title: T\ntolerance: -5\n" + ENTRY}, "tolerance"),
    ("empty title", ["gift", "b.yaml"], {"b.yaml": 'title: ""\n' + ENTRY}, "title is empty"),
    ("ansi in a value", ["gift", "b.yaml"], {"b.yaml": 'title: T\nentries:\n  - family: "\\e[2Jx"\n'}, "U+001B"),
    ("rtl in a value", ["gift", "b.yaml"], {"b.yaml": 'title: T\nentries:\n  - family: "\\u202ex"\n'}, "\\u202ex"),
    ("times sign", ["solve", "32×32×1 > conv 6 5"], {}, None),
    ("control character", ["moodle", "b.yaml"], {"b.yaml": "title: T\x01\n" + ENTRY}, "b.yaml:1:"),
    ("option error", ["moodle", "lecture", "-n", "x"], {}, "option -n"),
    ("empty output", ["moodle", "lecture", "-o", ""], {}, "is empty"),
    ("parent is a file", ["moodle", "b.yaml", "-o", "b.yaml/x.xml"], {"b.yaml": "title: T\n" + ENTRY}, "not a folder"),
    ("long value quoted", ["gift", "b.yaml"], {"b.yaml": "title: T\nentries:\n  - family: " + "z" * 5000 + "\n"},
     "z" * 80 + "…"),
]


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))


@pytest.mark.parametrize(("args", "files", "says"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_hostile_case(tmp_path: Path, args: list[str], files: dict[str, str], says: str | None) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    start = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "quizgen", *args], cwd=tmp_path, preexec_fn=_limits,
                         capture_output=True, text=True, timeout=LIMIT_SECONDS)
    assert time.monotonic() - start < LIMIT_SECONDS
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    if says is None:
        assert run.returncode == 0, run.stderr
        return
    assert run.returncode == 2, run.stderr[-3000:]
    lines = run.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and len(lines[0]) < 600, run.stderr[:3000]
    assert says in lines[0], lines[0]
    assert not (tmp_path / "out").exists() and not (tmp_path / "o").exists()
