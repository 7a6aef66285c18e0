"""The answer contract, graded by each output's own rule: stated precision, one tolerance, named mistakes.

For a numeric part the values tried are: the key (the answer at its stated decimals), the exact answer, the
roundings at fewer decimals, and every offered misconception's value as printed. Each grader must accept the
first two, tell the roundings "rounded differently", and give each misconception value that misconception's own
feedback: the terminal's and page's ``judge`` (and the page's JavaScript in Chromium), Moodle's numerical rule
on the answers written (first answer whose interval holds the response; Moodle widens each by 10⁻¹⁴), and GIFT.
Moodle's rule also reads the response as typed (the decimal mark of the language the attempt starts in), and
each Cloze gap as Moodle's reader cuts it out of the XML (a value no answer anticipated gets that gap's hint).
The lean default runs a few seeds; the sweep (``-m slow``) 50 seeds per family × difficulty × language.
"""

from __future__ import annotations

import re
from fractions import Fraction

import pytest

from quizgen.problems import FAMILY_MODULES, family, generate, precision
from quizgen.problems.model import Part, Problem
from quizgen.render.gift import gift_question
from quizgen.render.moodle_common import numeric_spec
from quizgen.render.practice import judge, parse_number
from quizgen.text import numbers

MOODLE_EPSILON = 1e-14  # qtype_numerical_answer::get_tolerance_interval adds 10^-precision (PHP's 14)


def _levels() -> list[tuple[str, int]]:
    return [(fid, d) for fid in FAMILY_MODULES for d in family(fid).difficulties]


def moodle_match(answers: list[tuple[str, str, str, str]], typed: float) -> tuple[str, str]:
    """Moodle's numerical grading: the first (fraction, value, tolerance, feedback) whose interval holds it."""
    for fraction, value, tol, feedback in answers:
        if value == "*" or abs(typed - float(value)) <= float(tol) + MOODLE_EPSILON:
            return fraction, feedback
    return "none", ""


# the decimal mark and thousands separator of Moodle's language packs (langconfig's decsep and thousandssep)
LANGCONFIG = {"en": (".", ","), "it": (",", ".")}


def moodle_reads(response: str, moodle_lang: str) -> float | None:
    """The number Moodle's numerical type reads from a response (qtype_numerical_answer_processor::apply_units),
    for an attempt started in ``moodle_lang``: spaces dropped; with a point (or several commas) every comma is a
    thousands separator; otherwise the language's thousands separator is dropped and its decimal mark (or a
    comma) is the point, replaced in that order as PHP's ``str_replace`` with arrays does."""
    decsep, thousandssep = LANGCONFIG[moodle_lang]
    r = re.sub(r"(?:e|E|(?:x|\*|×)10(?:\^|\*\*))([+-]?\d+)", r"e\1", response.replace(" ", ""))
    if "." in r or r.count(",") > 1:
        r = r.replace(",", "")
    else:
        for old, new in ((thousandssep, ""), (decsep, "."), (",", ".")):
            r = r.replace(old, new)
    m = re.match(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?", r)
    return float(m.group(0)) if m else None


def spec_answers(part: Part, lang: str, minimum: Fraction = Fraction(0)) -> list[tuple[str, str, str, str]]:
    spec = numeric_spec(part, minimum, "RIGHT", lang)
    out = [("100", spec.correct.value, spec.correct.tolerance, spec.correct.feedback)]
    out += [("0", a.value, a.tolerance, a.feedback) for a in spec.others]
    return out + [("0", "*", "0", "CATCH-ALL")]


def trials(part: Part) -> list[tuple[str, Fraction, object]]:
    """(what, typed value, expected) for one part: 'right', 'rounded' or the Distractor expected."""
    key = precision.key(part.answer, part.decimals)
    out: list[tuple[str, Fraction, object]] = [("key", key, "right")]
    if Fraction(part.answer).denominator != 1:
        out.append(("exact", Fraction(numbers.fixed(part.answer, part.decimals + 6)), "right"))
    out += [("rounding", r, "rounded") for r in precision.roundings(part.answer, part.decimals)
            if not precision.accepts(part, r)]
    out += [(d.misconception, precision.key(d.value, part.decimals), d) for d in part.distractors]
    return out


def check_part(problem: Problem, part: Part) -> None:
    where = f"{problem.id} {problem.lang} {part.key}"
    answers = spec_answers(part, problem.lang)
    rounded = precision.rounded_feedback(part.decimals, problem.lang) if part.decimals else ""
    windows = []  # (low, high) of every answer with an interval: none may meet another
    for _, value, tol, _ in answers[:-1]:
        windows.append((Fraction(value) - Fraction(tol), Fraction(value) + Fraction(tol)))
    windows.sort()
    for (_, high), (low, _) in zip(windows, windows[1:], strict=False):
        assert high < low, f"{where}: Moodle intervals meet: {windows}"
    # the key typed as the question's decimal-mark sentence says (a point), read in every Moodle language
    typed_key = numbers.fixed(precision.key(part.answer, part.decimals), part.decimals)
    for moodle_lang in LANGCONFIG:
        assert moodle_match(answers, moodle_reads(typed_key, moodle_lang))[0] == "100", (where, moodle_lang)
    for what, typed, expected in trials(part):
        verdict = judge(part, typed)
        fraction, feedback = moodle_match(answers, float(typed))
        if expected == "right":
            assert verdict.kind == "correct" and fraction == "100", f"{where}: {what} {typed} not right"
        elif expected == "rounded":
            assert verdict.kind == "rounded" and (fraction, feedback) == ("0", rounded), f"{where}: {typed}"
        else:
            assert verdict.kind == "misconception" and verdict.distractor == expected, f"{where}: {what} {typed}"
            assert (fraction, feedback) == ("0", expected.feedback), f"{where}: Moodle on {what} {typed}"
        # the student types it as printed, in the page's language: the terminal reads it back the same
        shown = next(k for k in range(20) if numbers.exact_at(typed, k))
        printed = numbers.plain(typed, shown, problem.lang).replace("\u202f", "")
        assert parse_number(printed, integer=part.decimals == 0, unit=part.unit) == typed, (where, printed)


def check_problem(problem: Problem) -> None:
    for part in problem.parts:
        check_part(problem, part)


@pytest.mark.parametrize("lang", ["en", "it"])
@pytest.mark.parametrize(("fid", "difficulty"), _levels())
def test_every_family_grades_alike_in_the_terminal_and_moodle(fid: str, difficulty: int, lang: str) -> None:
    for seed in (1, 2):
        check_problem(generate(fid, seed=seed, difficulty=difficulty, lang=lang))


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "it"])
@pytest.mark.parametrize(("fid", "difficulty"), _levels())
def test_sweep_every_family_grades_alike(fid: str, difficulty: int, lang: str) -> None:
    for seed in range(50):
        check_problem(generate(fid, seed=seed, difficulty=difficulty, lang=lang))


# --- the decimal mark, as Moodle reads it ---------------------------------------------------------


def test_moodle_reads_a_point_in_every_language_and_a_comma_only_where_it_writes_decimals() -> None:
    assert moodle_reads("2,08", "en") == 208 and moodle_reads("110,592", "en") == 110592  # as a real import showed
    assert moodle_reads("2,08", "it") == moodle_reads("2.08", "it") == moodle_reads("2.08", "en") == 2.08
    # hence "no thousands separator": a thousands point is read as the decimal point, even in Italian
    assert moodle_reads("1.234,5", "it") == 1.2345 and moodle_reads("1 234,5", "it") == 1234.5


@pytest.mark.parametrize("question_lang", ["en", "it"])
def test_the_decimal_mark_sentence_is_right_whatever_moodles_language(question_lang: str) -> None:
    """A question in either language may be answered in a Moodle used in English or in Italian: the mark it
    tells the student to type (its example) is read as the decimal mark in both."""
    from quizgen.render.moodle_common import string

    sentence = string(question_lang, "decimal_mark")
    example = re.search(r"0[.,]52", sentence)
    assert example is not None, sentence
    for moodle_lang in LANGCONFIG:
        assert moodle_reads(example.group(0), moodle_lang) == 0.52, (sentence, moodle_lang)
    assert ("comma" if question_lang == "en" else "virgola") in sentence  # and says when a comma also works


# --- Cloze gaps, graded as Moodle reads them from the XML -------------------------------------------


def check_cloze_gaps(problem: Problem) -> None:
    """Moodle's rule on each gap of the problem's Cloze question, as its reader cuts them out of the XML: the key
    is right, and a value no answer anticipated falls to the catch-all, whose feedback is that gap's own hint
    (the formula of the part it asks), never another part's or the whole problem's."""
    from lxml import etree

    from quizgen.bank.draw import ExportCategory, ExportItem
    from quizgen.render.moodle import moodle_xml
    from quizgen.render.moodle_common import html_inline, part_hint
    from tests.render.test_moodle_rules import _gap_order, cloze_gaps

    item = ExportItem(problem, 0, 1.0, Fraction(0), ("contract",))
    data = moodle_xml([ExportCategory("$course$/top/Contract", "Contract", "contract", 1, (item,))])
    (q,) = [q for q in etree.fromstring(data).findall("question") if q.get("type") == "cloze"]
    gaps = cloze_gaps(q.findtext("questiontext/text"))
    parts = _gap_order(problem)
    assert len(gaps) == len(parts)
    for gap, part in zip(gaps, parts, strict=True):
        where = f"{problem.id} {problem.lang} {part.key}"
        answers = [(str(a["fraction"]), a["answer"], a["tolerance"], a["feedback"]) for a in gap["alternatives"]]
        key = precision.key(part.answer, part.decimals)
        assert moodle_match(answers, float(key))[0] == "100", where
        # past every anticipated answer's interval: only the catch-all (±10¹⁵ around 0) holds it
        beyond = max(abs(Fraction(value)) + Fraction(tol) for _, value, tol, _ in answers[:-1]) + 1
        assert moodle_match(answers, float(beyond)) == ("0", html_inline(part_hint(problem, part))), where


@pytest.mark.parametrize("lang", ["en", "it"])
@pytest.mark.parametrize(("fid", "difficulty"), _levels())
def test_an_unanticipated_value_in_a_gap_gets_that_gaps_hint(fid: str, difficulty: int, lang: str) -> None:
    from quizgen.render.moodle import question_kind

    problem = generate(fid, seed=1, difficulty=difficulty, lang=lang)
    if question_kind(problem) == "cloze":
        check_cloze_gaps(problem)


def test_the_size_gap_is_not_told_the_weights_formula() -> None:
    """The case reported: CONV→CONV's hint gives the weights formula, which the size gap's catch-all showed."""
    from quizgen.render.moodle_common import part_hint

    p = generate("conv-conv", seed=1, difficulty=2)
    size, weights = p.part("size"), p.part("weights")
    assert "f^2" in p.hint and "f^2" not in part_hint(p, size) and "lfloor" in part_hint(p, size)
    assert "f^2 \\times C \\times N_c" in part_hint(p, weights)
    check_cloze_gaps(p)


# --- the cases that showed the problem -------------------------------------------------------------


def _memory_part(n: int, dtype: str, unit: str, batch: int | None = None) -> Part:
    from quizgen.problems.memory import _memory

    return _memory("memory", "Memory", n, dtype, unit, "en", None, batch)[1]  # type: ignore[arg-type]


def test_stated_precision_keeps_three_significant_digits() -> None:
    assert [precision.stated_decimals(Fraction(v), 2) for v in ("0.3932", "0.52095", "9.437", "67.969", "527.79")] \
        == [3, 3, 2, 2, 2]
    assert precision.stated_decimals(Fraction("0.0123"), 2) == 4 and precision.stated_decimals(34944) == 0
    assert precision.stated_decimals(Fraction(7, 2)) == 2  # no minimum: still 3 significant digits


@pytest.mark.parametrize(("lang", "words"), [("en", "to 3 decimal places"), ("it", "con 3 cifre decimali"),
                                             ("en", "to 1 decimal place"), ("it", "con 1 cifra decimale")])
def test_the_precision_is_said_in_words(lang: str, words: str) -> None:
    assert precision.phrase(int(words.split()[1]), lang) == words


def test_a_rounding_slip_is_told_so_not_called_a_misconception() -> None:
    small = _memory_part(98304, "float32", "MB")  # 0.393216 MB
    assert small.decimals == 3 and small.label == "Memory, to 3 decimal places"
    assert judge(small, Fraction("0.39")).kind == "rounded"
    assert judge(small, Fraction("0.393")).kind == judge(small, Fraction("0.3926")).kind == "correct"
    mib = _memory_part(136585, "float32", "MiB")  # 0.52103... MiB
    assert (mib.decimals, judge(mib, Fraction("0.52")).kind, judge(mib, Fraction("0.521")).kind) \
        == (3, "rounded", "correct")
    batch = _memory_part(147456, "float16", "MB", batch=32)  # 9.437184 MB = 9 MiB exactly
    assert judge(batch, Fraction(9)).kind == "rounded"
    assert "mb-vs-mib" not in {d.misconception for d in batch.distractors}  # 9.00 is a rounding of 9.44


@pytest.mark.parametrize(("params", "answer", "typed"), [
    ({"H": 14, "C": 480, "n": 96, "N": 32, "k": 5}, "67.97", "68"),
    ({"H": 13, "C": 128, "n": 32, "N": 32, "k": 5}, "70.95", "71"),
    ({"H": 13, "C": 128, "n": 32, "N": 32, "k": 5}, "70.95", "70.9"),
])
def test_one_by_one_percent_rounded_is_not_forgot_the_biases(params: dict, answer: str, typed: str) -> None:
    for lang in ("en", "it"):
        p = generate("one-by-one", seed=1, difficulty=2, lang=lang, params=params)
        part = p.part("percent")
        assert numbers.fixed(part.answer, part.decimals) == answer
        assert judge(part, Fraction(typed)).kind == "rounded"
        assert moodle_match(spec_answers(part, lang), float(typed))[1] == precision.rounded_feedback(2, lang)
        assert "forgot-biases" not in {d.misconception for d in part.distractors}


def test_a_bank_tolerance_widens_every_output_alike() -> None:
    p = generate("input-conv", seed=3, difficulty=1)
    part = p.parts[0]
    answers = spec_answers(part, "en", Fraction(5))
    assert answers[0][2] == "5"
    assert moodle_match(answers, float(part.answer + 5))[0] == "100"
    assert judge(part, part.answer + 5).kind == "wrong"  # the practice modes use the stated rule
    for d in precision.offered(part, 5):  # what Moodle, GIFT and the CSV still offer: 3 tolerances away
        assert abs(d.value - part.answer) >= 15


def test_gift_writes_the_same_answers() -> None:
    from quizgen.bank.draw import ExportItem

    p = generate("memory", seed=4, difficulty=2)
    item = ExportItem(p, 0, 2.0, Fraction(0), ("t",))
    text = "\n".join(gift_question(item)[0])
    for part in p.parts:
        spec = numeric_spec(part, 0, "", "en")
        assert f"={spec.correct.value}:{spec.correct.tolerance}#" in text
        for a in spec.others:
            assert re.search(rf"=%0%{re.escape(a.value)}:{re.escape(a.tolerance)}#", text), a


# --- no unstated rules ---------------------------------------------------------------------------


def test_the_floor_rule_is_stated_where_a_division_is_not_whole() -> None:
    from quizgen.nets.layers import Conv, Input, Network
    from quizgen.problems.common import floors, stated_rules
    from quizgen.problems.model import Content
    from quizgen.text.templating import text

    def net(w: int, f: int, s: int, p: int | str) -> Network:
        return Network(Input(w, w, 3), (Conv(8, (f, f), (s, s), p, name="C1"),))

    assert floors(net(32, 7, 2, 2)) and floors(net(224, 7, 4, 0))  # 29/2, 217/4
    assert not floors(net(32, 5, 1, 0)) and not floors(net(227, 11, 4, 0)) and not floors(net(30, 7, 4, "same"))
    for lang in ("en", "it"):
        plain = Content(title="t", stem="S", network=net(32, 5, 1, 0))
        assert stated_rules(plain, lang) == plain
        floored = stated_rules(Content(title="t", stem="S", network=net(32, 7, 2, 2)), lang)
        assert floored.stem == "S\n\n" + text(lang, "floor_rule") and "\\lfloor" in floored.stem


def test_every_generated_stem_with_a_floored_layer_states_the_rule() -> None:
    from quizgen.problems.common import floors
    from quizgen.text.templating import text

    seen = 0
    for seed in range(1, 7):
        for lang in ("en", "it"):
            p = generate("output-size", seed=seed, difficulty=1, lang=lang)
            stated = text(lang, "floor_rule") in p.stem
            assert stated == floors(p.network), p.id
            seen += stated
    assert seen  # the seeds include a floored layer


@pytest.mark.parametrize("lang", ["en", "it"])
def test_the_lectures_55_is_explained_where_the_formula_gives_56(lang: str) -> None:
    from quizgen.problems.alexnet import PUBLISHED

    p = generate("alexnet", seed=2, difficulty=3, lang=lang, params={"kind": "table", **PUBLISHED})
    note = {"en": "The course's table prints $55 \\times 55$ for C1", "it": "La tabella del corso riporta $55"}
    assert note[lang] in p.stem and "56" not in p.stem.split(note[lang])[1]  # the note does not give the answer
    assert "227" in p.solution[-1].text and "56 \\times 56" in p.solution[-1].text
    # the inconsistent-row question on the lecture's own table asks for that very row: no note there
    q = generate("alexnet", seed=2, difficulty=3, lang=lang, params={"kind": "inconsistent", **PUBLISHED})
    assert note[lang] not in q.stem


def test_the_key_csv_grades_as_moodle(tmp_path) -> None:  # noqa: ANN001
    import csv
    import io

    from quizgen.bank.draw import exam_versions
    from quizgen.bank.load import load_bank
    from quizgen.render.csvkey import HEADER, grading_csv

    path = tmp_path / "bank.yaml"
    path.write_text("title: t\nseed: 5\nentries:\n  - {family: memory, difficulty: 2}\n"
                    "  - {family: one-by-one, difficulty: 2, tolerance: 0.5}\n", encoding="utf-8")
    bank = load_bank(path)
    versions = exam_versions(bank, 3, bank.seed, "en")
    rows = list(csv.reader(io.StringIO(grading_csv(versions))))[1:]
    questions = {(v.code, str(q.number)): q for v in versions for q in v.questions}
    seen = 0
    for row in rows:
        q = questions[(row[0], row[1])]
        part = q.problem.part(row[3])
        spec = numeric_spec(part, Fraction(str(q.entry.tolerance or 0)), "", "en")
        assert (row[4], row[5]) == (spec.correct.value, spec.correct.tolerance), row
        offered = [c for c in row[len(HEADER)::2] if c]
        assert offered == [w.value for w in spec.wrong]  # the distractors every output offers
        seen += part.decimals > 0
    assert seen
