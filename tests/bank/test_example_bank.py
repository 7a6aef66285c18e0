"""The README's "Write your own bank" example is banks/midterm.yaml, word for word; it loads, stresses clean and
renders to every output (exam PDFs with its labels included)."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from quizgen.bank.load import load_bank
from quizgen.text.templating import banks_dir
from quizgen.verify.stress import stress_bank
from tests.conftest import require_tool

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_shows_the_shipped_bank() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("<!-- section:own-bank -->"):readme.index("<!-- /section:own-bank -->")]
    shown = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    assert shown == (banks_dir() / "midterm.yaml").read_text(encoding="utf-8")


def test_the_example_uses_what_a_bank_offers() -> None:
    bank = load_bank("midterm")
    assert len(bank.entries) == 6 and bank.labels == ("A", "B") and bank.source == "Lecture 3"
    assert bank.exam_title != bank.title
    values = [v for e in bank.entries for k, v in e.params.items() if k != "network"]
    assert any(isinstance(v, int) for v in values)  # a fixed value
    assert any(isinstance(v, list) for v in values) and any(isinstance(v, dict) for v in values)  # choices, a range
    assert any(e.part_points for e in bank.entries) and any(e.notes for e in bank.entries)
    assert any(e.exclude for e in bank.entries) and any(e.titles for e in bank.entries)
    assert any("network" in e.params for e in bank.entries)


def test_the_example_stresses_clean() -> None:
    bank = load_bank("midterm")
    reports = stress_bank(bank, 60)
    assert [r.patterns for r in reports] == [()] * 6


def test_the_example_renders_to_every_output(tmp_path: Path, run_cli) -> None:  # noqa: ANN001
    require_tool("pdflatex")
    out = tmp_path / "out"
    result = run_cli("exam", "midterm", "--split", "-o", str(out))
    assert result.code == 0, result.err
    assert {p.name for p in out.iterdir()} >= {"midterm-exam.pdf", "midterm-A.pdf", "midterm-B.pdf", "midterm-key.pdf",
                                               "midterm-solutions.pdf", "midterm-grading.csv"}
    rows = list(csv.DictReader(io.StringIO((out / "midterm-grading.csv").read_text(encoding="utf-8"))))
    assert {r["version"] for r in rows} == {"A", "B"}
    assert sum(float(r["points"]) for r in rows if r["version"] == "A") == 16
    assert run_cli("moodle", "midterm", "-n", "3", "-o", str(out / "midterm.xml")).code == 0
    questions = [q for q in ET.parse(out / "midterm.xml").getroot().iter("question") if q.get("type") != "category"]
    assert len(questions) == 18
    assert run_cli("gift", "midterm", "-n", "2", "-o", str(out / "midterm.gift")).code == 0
    assert "Memory of our CNN" in (out / "midterm.gift").read_text(encoding="utf-8")
    assert run_cli("practice-html", "midterm", "-n", "12", "-o", str(out / "midterm.html")).code == 0
    page = (out / "midterm.html").read_text(encoding="utf-8")
    assert "This is the network of exercise sheet 5." in page
