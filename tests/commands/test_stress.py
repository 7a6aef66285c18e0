"""``quizgen stress`` and quizgen.verify.stress: variant space, spreads, duplicates and exploitable patterns."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from quizgen.bank.load import load_bank
from quizgen.problems.model import Choice, Distractor, Part, Problem, Step, Table
from quizgen.verify.stress import Pattern, chi2_uniform, fairness, fix_text, is_round, rank_pattern, stress_entry


def _bank(tmp_path: Path, entries: str) -> Path:
    path = tmp_path / "bank.yaml"
    path.write_text("title: t\nlang: en\nseed: 1\nentries:\n" + entries, encoding="utf-8")
    return path


def test_report_table_and_exit_status(run_cli, tmp_path: Path) -> None:  # noqa: ANN001
    # a padded convolution of stride 1: every size mistake (forgot padding, forgot +1) is below the answer
    path = _bank(tmp_path, "  - family: output-size\n    params: {layer: conv, s: 1, p: [1, 2]}\n"
                           "  - family: input-conv\n    params: {C: 3, f: 5, N: [8, 16]}\n")
    r = run_cli("stress", str(path), "-n", "40")
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert lines[0] == "Stress test of bank: 40 draws per entry, seed 1"
    assert lines[2].split() == ["#", "family", "d", "variants", "duplicates", "answers", "(min", "/", "median", "/",
                                "max)"]
    assert ("! size: as multiple choice (moodle/gift --style choice), the answer is always the largest of the offered "
            "values") in r.out
    second = next(line for line in lines if line.startswith("2 "))
    assert "≥ 2 (seen)" in second and "  38  " in second  # two variants, 38 repeats
    assert "weights: 600 / 1200 / 1200" in r.out.replace("\u202f", " ")
    assert "found: a student could exploit" in lines[-1]
    strict = run_cli("stress", str(path), "-n", "40", "--strict")
    assert strict.code == 1 and strict.out == r.out


def test_italian_report(run_cli, tmp_path: Path) -> None:  # noqa: ANN001
    path = _bank(tmp_path, "  - family: input-conv\n")
    r = run_cli("stress", str(path), "-n", "10", "--lang", "it", "--seed", "3")
    assert r.code == 0 and r.out.startswith("Stress test di bank: 10 estrazioni per voce, seed 3")


def test_spread_and_duplicates_are_exact(tmp_path: Path) -> None:
    bank = load_bank(_bank(tmp_path, "  - family: input-conv\n    params: {C: 1, f: 3, N: [4, 8, 16]}\n"))
    report = stress_entry(bank, 0, 30)
    assert report.draws == 30 and report.distinct == 3 and report.duplicates == 27 and report.space is None
    weights = next(s for s in report.parts if s.key == "weights")
    assert (weights.minimum, weights.median, weights.maximum) == (36, 72, 144)


def test_family_space_is_used_when_known(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import quizgen.problems.input_conv as ic

    monkeypatch.setattr(ic, "FAMILY", replace(ic.FAMILY, space=lambda params, d: 3))
    bank = load_bank(_bank(tmp_path, "  - family: input-conv\n    params: {C: 1, f: 3, N: [4, 8, 16]}\n"))
    assert stress_entry(bank, 0, 10).variants == 3


def _choice_problem(correct_at: int, k: int = 4) -> Problem:
    choices = tuple(Choice(f"option {i}", i == correct_at, "because") for i in range(k))
    return Problem(id="x", family="concepts", difficulty=1, lang="en", seed=0, title="t", stem="s", choices=choices)


def _numeric_problem(answer: int, distractors: tuple[int, ...]) -> Problem:
    part = Part("total", "Total", answer, distractors=tuple(Distractor(v, "forgot-biases", "f") for v in distractors))
    return Problem(id="x", family="fc-fc", difficulty=1, lang="en", seed=answer, title="t", stem=f"s{answer}",
                   parts=(part,))


def _stress_with(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, problems: list[Problem]):  # noqa: ANN202
    from quizgen.verify.stress import entry_report

    bank = load_bank(_bank(tmp_path, "  - family: input-conv\n"))
    return entry_report(bank, 0, problems)


def test_position_bias_is_found(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    biased = _stress_with(monkeypatch, tmp_path, [_choice_problem(0) for _ in range(60)])
    assert biased.positions == ((4, (60, 0, 0, 0)),)
    assert [p.kind for p in biased.patterns] == ["position"] and biased.position_p < 1e-6
    uniform = _stress_with(monkeypatch, tmp_path, [_choice_problem(i % 4) for i in range(60)])
    assert uniform.patterns == () and uniform.position_p == pytest.approx(1.0)


def test_numeric_patterns(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # a single part is asked as multiple choice with --style choice: the rank among the offered values counts
    largest = _stress_with(monkeypatch, tmp_path, [_numeric_problem(100 + i, (50 + i, 60 + i)) for i in range(10)])
    assert largest.patterns == (Pattern("rank", "total", rank=1, side="largest"),)
    smallest = _stress_with(monkeypatch, tmp_path, [_numeric_problem(10 + i, (50 + i, 60)) for i in range(10)])
    assert smallest.patterns == (Pattern("rank", "total", rank=1, side="smallest"),)
    # mistakes on both sides: each version offers some of them, and the answer's rank changes
    for sides in ([(50, 60, 160)] * 10, [(50, 160)] * 10, [(50, 60) if i % 2 else (150, 160) for i in range(10)]):
        mixed = [_numeric_problem(100 + i, tuple(v + i for v in values)) for i, values in enumerate(sides)]
        assert _stress_with(monkeypatch, tmp_path, mixed).patterns == ()
    round_answers = _stress_with(monkeypatch, tmp_path, [_numeric_problem(10 * (i + 1), (5, 15 + 10 * i))
                                                         for i in range(10)])
    assert Pattern("round", "total") in round_answers.patterns
    few = _stress_with(monkeypatch, tmp_path, [_numeric_problem(100 + i, (50, 60)) for i in range(3)])
    assert few.patterns == ()  # too few draws to call it a pattern


def test_any_rank_kept_in_every_version_is_found() -> None:
    assert rank_pattern("k", [(1, 4)] * 5) == Pattern("rank", "k", rank=2, side="smallest")
    assert rank_pattern("k", [(1, 3), (1, 4), (1, 5), (1, 4), (1, 3)]) == Pattern("rank", "k", rank=2,
                                                                                  side="smallest")
    assert rank_pattern("k", [(2, 4), (3, 5), (1, 3), (2, 4), (2, 4)]) == Pattern("rank", "k", rank=2,
                                                                                  side="largest")
    assert rank_pattern("k", [(0, 3)] * 5) == Pattern("rank", "k", rank=1, side="smallest")
    assert rank_pattern("k", [(1, 3), (1, 4), (2, 4), (1, 3), (1, 4)]) is None
    assert rank_pattern("k", [(1, 4)] * 4) is None  # too few versions to call it a pattern


def test_a_part_never_offered_as_options_has_no_rank_pattern(monkeypatch: pytest.MonkeyPatch,
                                                             tmp_path: Path) -> None:
    # a question of two parts is a Cloze (Moodle) or numerical questions (GIFT), even with --style choice
    problems = [replace(_numeric_problem(100 + i, (50 + i, 60 + i)),
                        parts=(*_numeric_problem(100 + i, (50 + i, 60 + i)).parts, Part("size", "Size", 7 + i)))
                for i in range(10)]
    assert _stress_with(monkeypatch, tmp_path, problems).patterns == ()


def test_rank_lines_in_both_languages(run_cli, tmp_path: Path) -> None:  # noqa: ANN001
    from quizgen.verify.stress import pattern_text

    report = None
    for lang, line, fix in (("en", "the answer is always the 2nd smallest of the offered values",
                             "fix: this matters only with moodle/gift --style choice"),
                            ("it", "la risposta è sempre il secondo valore più piccolo tra quelli offerti",
                             "rimedio: conta solo con moodle/gift --style choice")):
        assert pattern_text(Pattern("rank", "k", rank=2, side="smallest"), lang, report).endswith(line)
        assert fix_text(Pattern("rank", "k", rank=2, side="smallest"), lang).startswith(fix)
    assert pattern_text(Pattern("rank", "k", rank=3, side="largest"), "en", report).endswith(
        "always the 3rd largest of the offered values")
    assert pattern_text(Pattern("rank", "k", rank=1, side="largest"), "it", report).endswith(
        "sempre il valore più grande tra quelli offerti")


def test_helpers() -> None:
    assert is_round(120) and not is_round(0) and not is_round(125)
    chi2, p = chi2_uniform([25, 25, 25, 25])
    assert chi2 == 0 and p == pytest.approx(1.0)
    chi2, p = chi2_uniform([10, 0])
    assert chi2 == pytest.approx(10.0) and p == pytest.approx(0.0015654, rel=1e-3)


def test_bad_bank_is_one_line(run_cli, tmp_path: Path) -> None:  # noqa: ANN001
    path = _bank(tmp_path, "  - family: input-conv\n    cuont: 2\n")
    r = run_cli("stress", str(path))
    assert r.code == 2 and r.err.startswith(f"error: {path}:6: entry 1: unknown key 'cuont'; did you mean 'count'? "
                                            "allowed keys: family, name, count,")


def test_correct_option_position_is_uniform_in_the_bundled_banks() -> None:
    from quizgen.bank.load import load_bank

    for name in ("lecture", "practice"):
        bank = load_bank(name)
        for index, entry in enumerate(bank.entries):
            if entry.family != "concepts":
                continue
            report = stress_entry(bank, index, 300)
            assert all(p.kind != "position" for p in report.patterns), (name, index, report.positions)
            if report.position_p is not None:
                assert report.position_p > 0.001


# --- fair versions --------------------------------------------------------------------------------------


def _version(answers: dict[str, int], steps: int = 2, stem: str = "") -> Problem:
    parts = tuple(Part(k, k, v) for k, v in answers.items())
    return Problem(id="x", family="fc-fc", difficulty=1, lang="en", seed=0, title="t", stem=stem or repr(answers),
                   parts=parts, solution=tuple(Step(f"step {i}") for i in range(steps)))


def test_fair_versions_ask_the_same_parts_with_the_same_work_and_share_at_most_one_answer() -> None:
    fair = fairness([_version({"w": 10 + i, "b": 4, "p": 20 + i}) for i in range(5)])
    assert fair.findings == () and (fair.part_sets, fair.steps, fair.shared, fair.pairs) == (1, (2, 2), 0, 10)
    other_parts = fairness([_version({"w": 10, "b": 4}), _version({"w": 11, "size": 5})])
    assert other_parts.findings == ("parts",) and other_parts.part_sets == 2
    longer = fairness([_version({"w": 10}, steps=2), _version({"w": 11}, steps=3), _version({"w": 12}, steps=5)])
    assert longer.findings == ("effort",) and longer.steps == (2, 5)
    close = fairness([_version({"w": 10, "b": 4, "p": 14}), _version({"w": 10, "b": 4, "p": 15}),
                      _version({"w": 11, "b": 4, "p": 15})])
    assert close.findings == ("shared",) and (close.shared, close.pairs, close.most) == (2, 3, 2)
    same = _version({"w": 10, "b": 4, "p": 14})
    assert fairness([same, same]).findings == ()  # a duplicate is reported as a duplicate, not as shared answers


def test_a_table_blank_printed_next_to_it_is_found() -> None:
    rows = (("S2", "Max pooling", "?", "27"), ("C1", "Convolution", "96", "$55 \\times 55$"))
    table = Table(("layer", "type", "maps", "size"), rows, ((0, 2), (1, 3)))
    p = replace(_version({}), table=table, parts=(Part("cell-0-2", "maps", 96), Part("cell-1-3", "size", 56)))
    f = fairness([p])
    # the maps of S2 are C1's, printed below; the version itself keeps the rules between versions
    assert (f.readable, f.blanks, f.findings, f.keep) == (1, 2, ("readable",), 1)


def test_the_report_lists_unequal_versions(run_cli, tmp_path: Path) -> None:  # noqa: ANN001
    # hand arithmetic leaves an AlexNet entry a few versions that share at most one answer: the others share more
    path = _bank(tmp_path, "  - family: alexnet\n    difficulty: 2\n    params: {arithmetic: hand}\n")
    r = run_cli("stress", str(path), "-n", "20")
    assert re.search(r"≠ \d+ of \d+ pairs of versions share more than one answer", r.out)
    assert r.out.splitlines()[-2].endswith("on unequal versions (≠ above).")
    assert run_cli("stress", str(path), "-n", "20", "--strict").code == 1


def test_the_exam_names_unequal_versions(tmp_path: Path) -> None:
    from quizgen.bank.draw import ExamVersion, Question
    from quizgen.commands.exam import unfair_versions

    bank = load_bank(_bank(tmp_path, "  - family: fc-fc\n  - {family: fc-fc, id: second}\n"))
    fair, other = bank.entries

    def version(i: int, first: Problem) -> ExamVersion:
        return ExamVersion(i, f"V{i}", (Question(1, 0, fair, first, 2.0),
                                        Question(2, 1, other, _version({"w": 10 + i}), 1.0)))

    versions = [version(0, _version({"w": 1, "b": 2})), version(1, _version({"w": 3, "size": 4}))]
    assert unfair_versions(versions, "en") == [
        "exam: entry 1 (fc-fc) ≠ unequal versions: they ask 2 different sets of parts",
        "  fix: give the entry one value for what sets the question (such as kind, layers, prev or its network), or "
        "split it into one entry per value; if it sets none, the family is at fault: report it"]
    assert unfair_versions(versions, "it")[0].startswith("exam: voce 1 (fc-fc) ≠ versioni diverse")


def test_an_entry_with_its_own_network_is_told_about_its_network(run_cli) -> None:  # noqa: ANN001
    # midterm's memory entry names its own network: its versions share the answers the network alone sets, so the
    # fix is the network (more layers, or none), not the params that the other entries widen
    from quizgen.bank.draw import own_network

    bank = load_bank("midterm")
    own = [e for e in bank.entries if own_network(e)]
    assert [e.family for e in own] == ["memory"] and not own_network(bank.entries[0])
    for lang, says, not_says in (("en", "the entry's own network gives every version", "widen the entry's params"),
                                 ("it", "la rete propria della voce dà a ogni versione", "allarga i params")):
        report = run_cli("stress", "midterm", "-n", "50", "--lang", lang).out
        block = report.split("\n4  memory")[1].split("\n5  ")[0]
        assert "≠" in block and says in block and not_says not in block
        assert not_says in report.split("\n2  ")[0]  # the first entry draws its network: widening is its fix
    for lang in ("en", "it"):
        assert fix_text(Pattern("round", "k"), lang, own=True) != fix_text(Pattern("round", "k"), lang)
