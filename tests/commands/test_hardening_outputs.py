"""Output paths: standard output, special files written into, links followed, failed writes as one line."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from lxml import etree

from quizgen.commands import outputs
from quizgen.errors import QuizgenError

BANK = "title: T\nentries:\n  - family: conv-conv\n"


def _bank(tmp_path: Path) -> Path:
    path = tmp_path / "b.yaml"
    path.write_text(BANK)
    return path


def _one_line_error(r, code: int = 2) -> None:  # noqa: ANN001
    assert r.code == code, (r.out, r.err)
    assert r.err.startswith("error: ") and r.err.count("\n") == 1 and "Traceback" not in r.err, r.err


def test_dash_writes_to_standard_output(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "quizgen", "moodle", str(_bank(tmp_path)), "-n", "2", "-o", "-"],
                         capture_output=True, cwd=tmp_path, timeout=120)
    assert run.returncode == 0, run.stderr
    root = etree.fromstring(run.stdout)
    assert root.tag == "quiz" and len(root.findall("question")) == 3  # the category and two variants
    assert b"wrote -" in run.stderr and not (tmp_path / "-").exists()


def test_a_fifo_is_written_into_not_replaced(tmp_path: Path, run_cli) -> None:  # noqa: ANN001
    fifo = tmp_path / "pipe.xml"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    r = run_cli("moodle", str(_bank(tmp_path)), "-n", "1", "-o", str(fifo), "--force")
    reader.join(timeout=60)
    assert r.code == 0, r.err
    assert fifo.is_fifo() and etree.fromstring(received[0]).tag == "quiz"


def test_a_special_file_needs_no_force(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    outputs.plan([fifo], force=False)  # not an existing file to protect: nothing is replaced


def test_a_symlink_is_followed_and_kept(tmp_path: Path, run_cli) -> None:  # noqa: ANN001
    target = tmp_path / "real.xml"
    target.write_text("old")
    link = tmp_path / "link.xml"
    link.symlink_to(target)
    _one_line_error(run_cli("moodle", str(_bank(tmp_path)), "-n", "1", "-o", str(link)))  # exists: --force
    r = run_cli("moodle", str(_bank(tmp_path)), "-n", "1", "-o", str(link), "--force")
    assert r.code == 0, r.err
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert etree.fromstring(target.read_bytes()).tag == "quiz"


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "new.txt")
    outputs.plan([link], force=False)
    outputs.write_atomic(link, "x")
    assert link.is_symlink() and (tmp_path / "new.txt").read_text() == "x"


@pytest.mark.parametrize("command", [["moodle"], ["gift"], ["exam"], ["practice-html"]])
def test_an_empty_output_is_refused(tmp_path: Path, run_cli, command: list[str]) -> None:  # noqa: ANN001
    r = run_cli(*command, str(_bank(tmp_path)), "-o", "")
    _one_line_error(r)
    assert "option -o/--output: is empty" in r.err


def test_exam_cannot_write_a_folder_to_standard_output(tmp_path: Path, run_cli) -> None:  # noqa: ANN001
    r = run_cli("exam", str(_bank(tmp_path)), "-o", "-")
    _one_line_error(r)
    assert "standard output" in r.err


def test_a_parent_that_is_a_file(tmp_path: Path, run_cli) -> None:  # noqa: ANN001
    bank = _bank(tmp_path)
    r = run_cli("moodle", str(bank), "-n", "1", "-o", str(bank / "x.xml"))
    _one_line_error(r)
    assert "is a file, not a folder" in r.err


def test_an_output_that_is_a_folder(tmp_path: Path, run_cli) -> None:  # noqa: ANN001
    r = run_cli("gift", str(_bank(tmp_path)), "-n", "1", "-o", str(tmp_path), "--force")
    _one_line_error(r)
    assert "is a folder" in r.err or "is a directory" in r.err


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="a Linux /proc")
def test_proc_is_one_line(tmp_path: Path, run_cli) -> None:  # noqa: ANN001
    _one_line_error(run_cli("moodle", str(_bank(tmp_path)), "-n", "1", "-o", "/proc/q.xml"))


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EDQUOT])
def test_a_failed_write_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    target = tmp_path / "out.xml"
    target.write_text("previous")

    def fail(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(outputs.os, "replace", fail)
    with pytest.raises(QuizgenError) as info:
        outputs.write_atomic(target, "new")
    assert str(target) in info.value.one_line() and os.strerror(code).lower() in info.value.one_line()
    assert target.read_text() == "previous" and sorted(p.name for p in tmp_path.iterdir()) == ["out.xml"]


def test_a_disk_full_through_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli) -> None:  # noqa: ANN001
    def full(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(outputs.tempfile, "mkstemp", full)
    out = tmp_path / "o" / "b.xml"
    r = run_cli("moodle", str(_bank(tmp_path)), "-n", "1", "-o", str(out))
    _one_line_error(r)
    assert "no space left" in r.err.lower() and not out.exists()


def test_a_read_only_folder_is_refused_before_any_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       run_cli) -> None:  # noqa: ANN001
    real = os.access
    monkeypatch.setattr(outputs.os, "access", lambda p, mode: False if Path(p) == tmp_path else real(p, mode))
    r = run_cli("moodle", str(_bank(tmp_path)), "-n", "1", "-o", str(tmp_path / "b.xml"))
    _one_line_error(r)
    assert "cannot write in" in r.err


def test_a_large_moodle_export_is_split_into_complete_imports(tmp_path: Path, run_cli) -> None:  # noqa: ANN001
    whole = tmp_path / "whole.xml"
    assert run_cli("moodle", "lecture", "-n", "6", "--max-size", "0", "-o", str(whole)).code == 0
    size = whole.stat().st_size
    limit_mb = size / 3 / 1e6
    r = run_cli("moodle", "lecture", "-n", "6", "--max-size", f"{limit_mb:.6f}", "-o", str(tmp_path / "b.xml"))
    assert r.code == 0, r.err
    parts = sorted(tmp_path.glob("b-*.xml"))
    assert len(parts) >= 3 and not (tmp_path / "b.xml").exists() and f"wrote {len(parts)} files" in r.err

    def questions(path: Path) -> list[tuple[str, str]]:
        """(category, question name) in file order; each question after its category."""
        out, category = [], None
        for q in etree.fromstring(path.read_bytes()).findall("question"):
            if q.get("type") == "category":
                category = q.findtext("category/text")
            else:
                assert category is not None, f"{path.name}: a question before any category"
                out.append((category, q.findtext("name/text")))
        return out

    assert all(p.stat().st_size <= limit_mb * 1e6 for p in parts), [p.stat().st_size for p in parts]
    assert sorted(q for p in parts for q in questions(p)) == sorted(questions(whole))


def test_a_large_gift_export_is_split_into_complete_imports(tmp_path: Path, run_cli) -> None:  # noqa: ANN001
    whole = tmp_path / "whole.txt"
    assert run_cli("gift", "lecture", "-n", "4", "--max-size", "0", "-o", str(whole)).code == 0
    limit_mb = whole.stat().st_size / 3 / 1e6
    r = run_cli("gift", "lecture", "-n", "4", "--max-size", f"{limit_mb:.6f}", "-o", str(tmp_path / "b.txt"))
    assert r.code == 0, r.err
    parts = sorted(tmp_path.glob("b-*.txt"))
    assert len(parts) >= 3 and not (tmp_path / "b.txt").exists() and f"wrote {len(parts)} files" in r.err

    def questions(path: Path) -> list[tuple[str, str]]:
        """(category, question name) in file order; the file opens with its category."""
        out, category = [], None
        for block in path.read_text(encoding="utf-8").split("\n\n"):
            if block.startswith("$CATEGORY: "):
                category = block.removeprefix("$CATEGORY: ").strip()
            elif "::" in block:
                assert category is not None, f"{path.name}: a question before any category"
                out.append((category, block.split("::")[1]))
        return out

    assert all(p.stat().st_size <= limit_mb * 1e6 for p in parts), [p.stat().st_size for p in parts]
    assert sorted(q for p in parts for q in questions(p)) == sorted(questions(whole))
    assert len(questions(whole)) > 40
