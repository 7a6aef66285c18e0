"""What a bank's author reads: a running head that never overlaps and never shrinks a short title away, misspelled
keys answered with the allowed ones, a fix under every stress warning, GIFT hints that fit the part, plurals."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizgen.bank.load import load_bank
from quizgen.bank.values import BANK_KEYS, ENTRY_KEYS
from quizgen.errors import QuizgenError
from tests.conftest import require_tool
from tests.render.exam_helpers import head_words, lines, pdf_words

LONG_COURSE = "Advanced Topics in Machine Learning and Deep Convolutional Neural Networks for Computer Vision"
LONG_TITLE = "Midterm examination on deep convolutional neural networks and their parameters"


def _write(tmp_path: Path, text: str, name: str = "bank.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("course", "title", "left"), [
    (LONG_COURSE, LONG_TITLE, LONG_TITLE),  # both do not fit beside the version: the title alone, full size
    ("", LONG_TITLE, LONG_TITLE),  # no course: no dangling "·"
    ("Deep Learning", "Midterm, 15 June", "Deep Learning · Midterm, 15 June"),
])
def test_the_running_head_never_overlaps_and_stays_readable(tmp_path: Path, run_cli, course: str,  # noqa: ANN001
                                                            title: str, left: str) -> None:
    require_tool("pdflatex")
    head = f'course: "{course}"\n' if course else ""
    path = _write(tmp_path, f'title: Midterm\nexam_title: "{title}"\n{head}lang: en\nentries:\n'
                            "  - family: fc-fc\n  - family: conv-conv\n")
    assert run_cli("exam", str(path), "-o", str(tmp_path / "out")).code == 0
    for name, right in (("exam", "Version V01"), ("key", "Answer key"),
                        ("solutions", "Worked solutions · Version V01")):
        for number, words in enumerate(pdf_words(tmp_path / "out" / f"bank-{name}.pdf"), start=1):
            top = head_words(words)
            if not top:
                continue
            assert lines(top) == [f"{left} {right}"], (name, number)
            for i, a in enumerate(top):
                for b in top[i + 1:]:
                    assert a.x1 <= b.x0 or b.x1 <= a.x0, f"{name} page {number}: {a.text!r} overprints {b.text!r}"
            # \small in the head: about 7 pt high boxes, not a title squeezed to a few points
            assert min(w.y1 - w.y0 for w in top) > 6, (name, number)


@pytest.mark.parametrize(("text", "line", "message", "fix"), [
    ("title: T\nentries:\n  - family: fc-fc\n    comment: my favourite\n", 4, "entry 1: unknown key 'comment'",
     "a comment is a line starting with '#'; did you mean 'count'? allowed keys: " + ", ".join(ENTRY_KEYS)),
    ("title: T\ntitel_exam: X\nentries:\n  - family: fc-fc\n", 2, "unknown key 'titel_exam'",
     "allowed keys: " + ", ".join(BANK_KEYS)),
    ("title: T\nentries:\n  - family: fc-fc\n    dificulty: 2\n", 4, "unknown key 'dificulty'",
     "did you mean 'difficulty'? allowed keys: " + ", ".join(ENTRY_KEYS)),
])
def test_a_misspelled_key_gets_the_closest_and_every_allowed_key(tmp_path: Path, text: str, line: int,
                                                                 message: str, fix: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(QuizgenError) as info:
        load_bank(path)
    assert info.value.where == f"{path}:{line}" and message in info.value.message
    assert info.value.fix.endswith(fix)


@pytest.mark.parametrize(("lang", "warning", "fix"), [
    ("en", "! size: as multiple choice (moodle/gift --style choice), the answer is always the largest of the offered "
           "values", "fix: this matters only with moodle/gift --style choice"),
    ("it", "! size: a scelta multipla (moodle/gift --style choice) la risposta è sempre il valore più grande tra "
           "quelli offerti", "rimedio: conta solo con moodle/gift --style choice"),
])
def test_every_stress_warning_comes_with_a_fix(tmp_path: Path, run_cli, lang: str, warning: str,  # noqa: ANN001
                                               fix: str) -> None:
    # a padded convolution of stride 1: every size mistake (forgot padding, forgot +1) is below the answer
    path = _write(tmp_path, "title: P\nlang: en\nentries:\n  - family: output-size\n"
                            "    params: {layer: conv, s: 1, p: [1, 2]}\n")
    result = run_cli("stress", str(path), "-n", "40", "--lang", lang)
    report = result.out.splitlines()
    flagged = [i for i, line in enumerate(report) if line.lstrip().startswith("! ")]
    assert flagged and report[flagged[0]].strip() == warning
    for i in flagged:
        assert report[i + 1].strip().startswith(("fix:", "rimedio:")), report[i + 1]
    assert report[flagged[0] + 1].strip().startswith(fix)


def test_gift_hint_belongs_to_the_question(tmp_path: Path, run_cli) -> None:  # noqa: ANN001
    from quizgen.problems.steps import formula_hint
    from quizgen.render.gift import gift_escape
    from quizgen.render.moodle_common import html_inline, string

    path = _write(tmp_path, "title: G\nlang: en\nentries:\n  - family: input-conv\n    difficulty: 2\n"
                            "  - family: output-size\n    difficulty: 1\n")
    out = tmp_path / "b.gift"
    assert run_cli("gift", str(path), "-n", "1", "-o", str(out)).code == 0
    catch_alls = [line for line in out.read_text(encoding="utf-8").splitlines() if line.startswith("\t~#")]
    # input-conv at difficulty 2 asks size, weights and parameters: one GIFT question each, each with its own
    # part's formula, never the weights formula as the hint of its size part
    own = [gift_escape(html_inline(string("en", "part_hint", formula=formula_hint(key, "en"))))
           for key in ("size.explicit", "conv.weights", "conv.weights+conv.biases")]
    assert catch_alls[:3] == [f"\t~#{hint}" for hint in own]
    assert "lfloor" in catch_alls[0] and "N_c" not in catch_alls[0]
    # the one-part output-size question keeps its own hint, about the output size
    assert "\\\\lfloor" in catch_alls[3] and "W_c" not in catch_alls[3]


def test_counts_are_said_with_the_right_plural(tmp_path: Path, run_cli) -> None:  # noqa: ANN001
    path = _write(tmp_path, "title: One\nlang: en\nentries:\n  - family: fc-fc\n")
    result = run_cli("practice-html", str(path), "-n", "1", "-o", str(tmp_path / "p.html"))
    assert result.code == 0 and ": 1 exercise, 1/1 distinct" in result.err
