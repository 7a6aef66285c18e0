"""Stopping ``quizgen exam``: Ctrl-C, SIGTERM and SIGHUP end pdflatex at once and leave no build folder."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import require_tool


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table in /proc")
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_signal_during_the_latex_phase(tmp_path: Path, signum: int) -> None:
    require_tool("pdflatex")
    out = tmp_path / "out"
    # as from a terminal: SIGINT acted on even when this test's process inherited it ignored
    proc = subprocess.Popen([sys.executable, "-m", "quizgen", "exam", "lecture", "-n", "40", "--jobs", "2",
                             "-o", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if any(any(build.glob("*.log")) for build in out.glob(".quizgen-build-*")):
            break  # pdflatex has started
        time.sleep(0.05)
    assert proc.poll() is None, proc.communicate()
    latex = _children(proc.pid)
    assert latex, "no pdflatex running"
    sent = time.monotonic()
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=30)
    took = time.monotonic() - sent
    assert proc.returncode == 128 + signum, err
    assert took < 4, f"{took:.1f} s to stop"  # 2 s on an idle machine; slack for a loaded CI
    assert b"Traceback" not in err
    assert not list(out.glob(".quizgen-build-*")), list(out.iterdir())
    assert not [p for p in latex if Path(f"/proc/{p}").exists() and b"pdflatex" in
                Path(f"/proc/{p}/cmdline").read_bytes()], "pdflatex still running"
    assert not list(out.glob("*.pdf"))  # nothing half-written
