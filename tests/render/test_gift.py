"""GIFT export, read back the way Moodle's GIFT reader (question/format/gift/format.php) reads it."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen.bank.draw import ExportCategory, ExportItem
from quizgen.problems.model import Choice, Distractor, Part, Problem, Table
from quizgen.render.gift import gift_text
from quizgen.render.moodle_common import html_inline

ALLOWED = {Fraction(g) for g in (
    "100", "90", "83.33333", "80", "75", "70", "66.66667", "60", "50", "40", "33.33333", "30", "25", "20",
    "16.66667", "14.28571", "12.5", "11.11111", "10", "5", "0")}
ALLOWED |= {-g for g in ALLOWED}
_ESCAPES = [("\\:", "&&058;"), ("\\#", "&&035;"), ("\\=", "&&061;"), ("\\{", "&&123;"), ("\\}", "&&125;"),
            ("\\~", "&&126;"), ("\\n", "&&010")]
_WEIGHT = re.compile(r"^%-*([0-9]{1,2})\.?([0-9]*)%")


def _pre(text: str) -> str:
    text = text.replace("\\\\", "&&092;")
    for escaped, placeholder in _ESCAPES:
        text = text.replace(escaped, placeholder)
    return text.replace("&&092;", "\\")


def _post(text: str) -> str:
    for escaped, placeholder in _ESCAPES:
        text = text.replace(placeholder, "\n" if escaped == "\\n" else escaped[1])
    return text


def _text(raw: str) -> str:
    raw = raw.strip()
    if raw.startswith("[html]"):
        raw = raw[6:]
    return _post(raw).strip()


def _weight(answer: str) -> tuple[Fraction | None, str]:
    m = _WEIGHT.match(answer)
    if not m:
        return None, answer
    end = answer.index("%", 1)
    return Fraction(answer[1:end]), answer[end + 1:]


def read_gift(data: str) -> list[dict]:
    """Questions as Moodle's GIFT reader builds them (categories, numerical and multiple choice)."""
    out = []
    for block in re.split(r"\n\s*\n", data.strip()):
        lines = [" " if line.strip().startswith("//") else line for line in block.split("\n")]
        comments = " ".join(line for line in block.split("\n") if line.strip().startswith("//"))
        text = _pre("\n".join(lines).strip())
        if text.startswith("$CATEGORY:"):
            out.append({"type": "category", "category": text[10:].strip()})
            continue
        q: dict = {"id": (re.search(r"\[id:([^\]]+)\]", comments) or [None, None])[1],
                   "tags": re.findall(r"\[tag:([^\]]+)\]", comments)}
        assert text.startswith("::")
        text = text[2:]
        q["name"] = _post(text[:text.index("::")])
        text = text[text.index("::") + 2:].strip()
        start, end = text.index("{"), text.index("}")
        answers = text[start + 1:end].strip()
        q["text"] = _text(text[:start])
        q["general"] = ""
        if "####" in answers:
            q["general"] = _text(answers[answers.rindex("####") + 4:])
            answers = answers[:answers.rindex("####")].strip()
        if answers.startswith("#"):
            q["type"] = "numerical"
            body = answers[1:]
            wrong = ""
            if "~" in body:
                body, wrong = body[:body.index("~")], body[body.index("~"):]
            items = [a.strip() for a in body.split("=") if a.strip()]
            q["answers"] = []
            for item in items:
                weight, item = _weight(item)
                value, _, feedback = item.partition("#")
                number, _, tol = value.strip().partition(":")
                q["answers"].append({"fraction": Fraction(100) if weight is None else weight, "answer": number.strip(),
                                     "tolerance": tol.strip() or "0", "feedback": _text(feedback)})
            if wrong:
                q["answers"].append({"fraction": Fraction(0), "answer": "*", "tolerance": "",
                                     "feedback": _text(wrong.partition("#")[2])})
        elif "~" in answers:
            q["type"] = "multichoice"
            q["single"] = "=" in answers
            q["answers"] = []
            for item in [a.strip() for a in answers.replace("=", "~=").split("~") if a.strip()]:
                if item.startswith("="):
                    weight, item = Fraction(100), item[1:]
                else:
                    w, item = _weight(item)
                    weight = w if w is not None else Fraction(0)
                answer, _, feedback = item.partition("#")
                q["answers"].append({"fraction": weight, "answer": _text(answer), "feedback": _text(feedback)})
        else:
            q["type"] = "other"
        out.append(q)
    return out


def _problem(pid: str, **fields) -> Problem:
    base = dict(id=pid, family="synthetic", difficulty=1, lang="en", seed=1, title="Title: {with} #reserved ~ =",
                stem="Stem with $\\frac{a}{b} = c$ and {braces}: yes.", hint="hint ~ = # { } : \\")
    base.update(fields)
    return Problem(**base)


def _gift(problems: list[Problem], style: str = "numerical", negative: bool = False) -> str:
    items = tuple(ExportItem(p, k, 1.0, Fraction(0), ("t",)) for k, p in enumerate(problems))
    text, _ = gift_text([ExportCategory("$course$/top/T/s", "s", "synthetic", 1, items)], style=style,
                        negative=negative)
    return text


def _check(questions: list[dict]) -> None:
    for q in questions:
        if q["type"] == "category":
            continue
        assert q["type"] in ("numerical", "multichoice"), q
        assert all(a["fraction"] in ALLOWED for a in q["answers"])
        if q["type"] == "numerical":
            assert q["answers"][0]["fraction"] == 100
            for a in q["answers"]:
                assert a["answer"] == "*" or re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", a["answer"])
        else:
            positive = sum(a["fraction"] for a in q["answers"] if a["fraction"] > 0)
            assert round(float(positive) / 100, 2) == 1


NASTY = "Mind } { # ~ = : \\ and $\\#W = \\frac{a}{b}$ <b>x</b>"


def test_numerical_multipart_table_and_choices_read_back() -> None:
    single = _problem("s.num", parts=(Part("x", "x", 1234, unit="B", distractors=(Distractor(1230, "a", NASTY),)),))
    multi = _problem("s.multi", parts=(Part("cell-0-1", "w", 10), Part("b", "b", Fraction(1, 3), decimals=2)),
                     table=Table(("a", "b"), (("1", "?"),), ((0, 1),)))
    mc = _problem("s.mc", multiple=True, choices=(Choice("one", True, "f1"), Choice("two", True, "f2"),
                                                  Choice("three", False, "f3 " + NASTY)))
    lone = _problem("s.lone", multiple=True, choices=(Choice("only", True, "f"), Choice("no", False, "g")))
    questions = read_gift(_gift([single, multi, mc, lone]))
    _check(questions)
    cat, num, part1, part2, choice, one = questions
    assert cat == {"type": "category", "category": "$course$/top/T/s"}
    assert num["name"].startswith("[synthetic d1 v001] Title: {with} #reserved ~ =")
    assert num["text"].startswith("<p>Stem with \\(\\frac{a}{b} = c\\) and {braces}: yes.</p>")
    assert [(a["answer"], a["tolerance"], a["feedback"]) for a in num["answers"]] == [
        ("1234", "0", "Correct."), ("1230", "0", html_inline(NASTY)), ("*", "", html_inline(single.hint))]
    assert num["id"] == "s.num.en" and num["tags"] == ["t"]
    assert "Part 1 of 2" in part1["text"] and "<td>?</td>" in part1["text"]
    assert (part2["answers"][0]["answer"], part2["answers"][0]["tolerance"]) == ("0.33", "0.005")
    assert part1["id"] == "s.multi.en.cell-0-1" and part2["id"] == "s.multi.en.b"
    # several correct options: a wrong tick costs its share (ticking all three earns 0)
    assert not choice["single"] and [a["fraction"] for a in choice["answers"]] == [50, 50, -100]
    assert choice["answers"][2]["feedback"] == html_inline("f3 " + NASTY)
    assert one["single"] and [a["fraction"] for a in one["answers"]] == [100, 0]


def test_choice_style_and_negative_marks() -> None:
    p = _problem("s.c", parts=(Part("x", "x", 5, distractors=(Distractor(4, "a", "fa"), Distractor(9, "b", "fb"),
                                                                Distractor(25, "c", "fc"))),))
    (cat, first, second) = read_gift(_gift([p, replace(p, id="s.c2")], style="choice", negative=True))
    _check([first, second])
    # one mistake below the answer, two above: two of them beside the answer, which is the smallest in the
    # first version and the middle one in the next (always all three would keep it second)
    assert first["single"] and [(a["answer"], a["fraction"]) for a in first["answers"]] == [
        ("5", 100), ("9", -50), ("25", -50)]
    assert second["single"] and [a["answer"] for a in second["answers"]][:2] == ["4", "5"]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab }{#~=:\\&<>$%x\n")), min_size=1, max_size=40))
def test_any_feedback_survives_gift_escaping(feedback: str) -> None:
    p = _problem("s.h", parts=(Part("x", "x", 7, distractors=(Distractor(8, "m", feedback),)),))
    (_, q) = read_gift(_gift([p]))
    assert q["answers"][1]["feedback"] == html_inline(feedback).strip()


def test_gift_command_writes_the_bank(tmp_path: Path) -> None:
    bank = tmp_path / "b.yaml"
    bank.write_text("title: G\nseed: 2\nentries:\n  - {family: input-conv, difficulty: 1}\n", encoding="utf-8")
    out = tmp_path / "b.gift.txt"
    run = subprocess.run([sys.executable, "-m", "quizgen", "gift", str(bank), "-n", "3", "-o", str(out)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    questions = read_gift(out.read_text(encoding="utf-8"))
    _check(questions)
    assert questions[0]["category"] == "$course$/top/G/input-conv"
    assert len(questions) == 1 + 3 * 3  # weights, biases and total of each variant
    assert len({q["id"] for q in questions[1:]}) == 9
