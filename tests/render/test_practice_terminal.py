"""The terminal practice mode, driven by scripted input: right answers, known mistakes, garbage, EOF, Ctrl-C."""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable, Iterator
from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from quizgen.problems import generate
from quizgen.problems.misconceptions import CATALOGUE
from quizgen.problems.model import Choice, Distractor, Part, Problem, Step
from quizgen.render.practice import Session, Tally, judge, parse_number, part_hints, ui
from quizgen.text import numbers
from quizgen.text.richtext import to_plain
from quizgen.text.templating import templates_dir


def scripted(lines: list[str], end: type[BaseException] = EOFError) -> tuple[Callable[[str], str], list[str]]:
    """An ``ask`` that answers from ``lines`` and then raises ``end`` (EOFError or KeyboardInterrupt)."""
    prompts: list[str] = []
    feed = iter(lines)

    def ask(prompt: str) -> str:
        prompts.append(prompt)
        try:
            return next(feed)
        except StopIteration:
            raise end from None

    return ask, prompts


def flat(text: str) -> str:
    """Whitespace collapsed (the terminal wraps long lines)."""
    return " ".join(text.split())


def play(problems: list[Problem], lines: list[str], lang: str = "en",
         end: type[BaseException] = EOFError) -> tuple[str, Tally, list[str]]:
    ask, prompts = scripted(lines, end)
    out = io.StringIO()
    tally = Session(ask, out, lang).run(iter(problems), len(problems))
    return out.getvalue(), tally, prompts


@pytest.fixture(scope="module")
def problem() -> Problem:
    """input-conv, difficulty 1: weights, biases and total, each with known mistakes."""
    return generate("input-conv", seed=12, difficulty=1, lang="en")


def test_all_right(problem: Problem) -> None:
    text, tally, _ = play([problem], [str(p.answer) for p in problem.parts])
    assert text.count("✓ Correct.") == 3
    assert tally.right == {"input-conv": 3} and tally.wrong == {"input-conv": 0}
    assert "input-conv  3 right, 0 wrong" in text and "Total: 3 of 3 right" in text


def test_misconception_named_and_explained(problem: Problem) -> None:
    total = problem.part("total")
    forgot = next(d for d in total.distractors if d.misconception == "forgot-biases")
    weights, biases = problem.part("weights").answer, problem.part("biases").answer
    text, tally, _ = play([problem], [str(weights), str(biases), str(forgot.value), str(total.answer)])
    assert f"a known mistake: {CATALOGUE['forgot-biases'].title('en')}." in text
    assert flat(to_plain(forgot.feedback)) in flat(text)
    assert tally.right == {"input-conv": 2} and tally.wrong == {"input-conv": 1}  # the retry is not scored
    assert text.count("✓ Correct.") == 3


def test_random_wrong_gets_the_hint_and_garbage_is_not_counted(problem: Problem) -> None:
    weights = problem.part("weights").answer
    text, tally, _ = play([problem], ["banana", "", f"{weights * 3 + 7}", str(weights)])
    assert "“banana” is not a number" in text
    assert "Type a number, h for a hint, ? for the worked solution" in text  # an empty line is not an answer either
    formula = to_plain(part_hints(problem.part("weights"), "en")[0])
    assert flat("✗ Not quite.\n  Hint: " + formula) in flat(text)  # a wrong answer gets the part's first hint
    assert tally.wrong == {"input-conv": 1} and tally.right == {"input-conv": 0}


def test_end_of_input_mid_question_gives_the_summary(problem: Problem) -> None:
    text, tally, prompts = play([problem, problem], [str(problem.parts[0].answer)])
    assert len(prompts) == 2  # it asked the second part, then input ended
    assert text.rstrip().endswith("Total: 1 of 1 right")
    assert "Summary" in text


def test_ctrl_c_gives_the_summary(problem: Problem) -> None:
    text, tally, _ = play([problem], ["1", "2"], end=KeyboardInterrupt)  # "2" retries the same part
    assert "Summary" in text and "input-conv  0 right, 1 wrong" in text


def test_worked_solution_step_by_step_and_quit(problem: Problem) -> None:
    steps = len(problem.solution)
    assert steps >= 2
    text, _, _ = play([problem], ["?"])
    assert "Worked solution" in text and flat(to_plain(problem.solution[0].text)) in flat(text)
    assert flat(to_plain(problem.solution[1].text)) not in flat(text)  # one step per '?'
    assert "? for the next step, or type your answer." in text
    text, tally, prompts = play([problem, problem], ["?"] * steps + ["q"])
    for step in problem.solution:
        assert flat(to_plain(step.text)) in flat(text)
    assert f"→ {to_plain(problem.part('total').label)}: " in text
    assert tally.wrong == {"input-conv": 3}  # asked for the solution before answering
    assert prompts[-1].startswith("Enter: next question · q: quit")
    assert "Total: 0 of 3 right" in text


def test_after_a_problem_the_solution_is_still_offered(problem: Problem) -> None:
    answers = [str(p.answer) for p in problem.parts]
    text, _, prompts = play([problem, problem], [*answers, "s", ""])
    assert flat(to_plain(problem.solution[-1].text)) in flat(text)  # the whole solution at once here
    assert prompts[3].startswith("Enter: next question · ?: worked solution")
    assert "Worked solution" in text and "[2/2]" in text


def test_italian(problem: Problem) -> None:
    it = generate("input-conv", seed=12, difficulty=1, lang="it")
    text, _, _ = play([it], ["boh", str(it.parts[0].answer)], lang="it")
    assert "“boh” non è un numero" in text and "✓ Corretto." in text and "Riepilogo" in text


def concept() -> Problem:
    return Problem(id="concepts.d1.s1", family="concepts", difficulty=1, lang="en", seed=1, title="Pooling",
                   stem="How many parameters does max pooling have?",
                   choices=(Choice("One per map", False, "Max pooling takes a maximum: no weights.", "pooling-weights"),
                            Choice("None", True, "Right: nothing to learn.")),
                   solution=(Step("A maximum has no parameters."),))


def test_choice_question() -> None:
    text, tally, _ = play([concept()], ["z", "a", "b"])
    assert "Type the letter of an option (a, b); this try is not counted." in text
    assert "a) Max pooling takes a maximum: no weights." in text
    assert "✓ Correct." in text and "b) Right: nothing to learn." in text
    assert tally.wrong == {"concepts": 1} and tally.right == {"concepts": 0}


@pytest.mark.parametrize(("typed", "integer", "value"), [
    ("34944", True, 34944), ("34,944", True, 34944), ("34.944", True, 34944), ("34 944", True, 34944),
    ("34\u202f944", True, 34944), ("1'234'567", True, 1234567), ("1,234,567", True, 1234567),
    ("34,944", False, Fraction(34944, 1000)), ("0,25", False, Fraction(1, 4)), ("0.25", True, Fraction(1, 4)),
    ("1.234.567,89", False, Fraction(123456789, 100)), ("1,234,567.89", False, Fraction(123456789, 100)),
    ("2.4 MB", False, Fraction(12, 5)), ("1e6", True, 10**6), ("-3", True, -3), (".5", False, Fraction(1, 2)),
    ("abc", True, None), ("", True, None), ("1,23,4", True, None), ("1.2.3", False, None), ("--1", True, None),
    ("3 4", True, 34), ("12 apples", True, None),
])
def test_parse_number(typed: str, integer: bool, value: Fraction | int | None) -> None:
    assert parse_number(typed, integer, "MB") == value


def test_judge_uses_tolerance_and_printed_decimals() -> None:
    part = Part("mem", "Memory", Fraction(2458, 1000), unit="MB", decimals=2,
                distractors=(Distractor(Fraction(19664, 1000), "bits-vs-bytes", "bits"),))
    assert judge(part, Fraction(246, 100)).kind == "correct"  # rounded to the printed decimals
    assert judge(part, Fraction(247, 100)).kind == "wrong"
    assert judge(part, Fraction(1966, 100)).distractor.misconception == "bits-vs-bytes"
    loose = Part("n", "Count", 1000, tolerance=10)
    assert judge(loose, Fraction(1009)).kind == "correct" and judge(loose, Fraction(1011)).kind == "wrong"


def test_strings_exist_in_both_languages() -> None:
    en = yaml.safe_load((templates_dir() / "practice" / "en.yaml").read_text(encoding="utf-8"))
    it = yaml.safe_load((templates_dir() / "practice" / "it.yaml").read_text(encoding="utf-8"))
    assert set(en) == set(it)
    assert ui("it", "practice_summary_total", right=1, total=2) == "Totale: 1 giusta su 2"


def test_command_end_to_end(tmp_path: Path) -> None:
    from quizgen.commands.cli import cli

    bank = tmp_path / "bank.yaml"
    bank.write_text("title: T\nseed: 1\nentries:\n  - {family: input-conv, difficulty: 1}\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["practice", str(bank), "--seed", "5", "-n", "2"], input="7\nnope\n")
    assert result.exit_code == 0, result.output
    assert "is not a number" in result.output and "Summary" in result.output
    assert "input-conv  0 right, 1 wrong" in result.output
    result = runner.invoke(cli, ["practice", str(bank), "--family", "conv-conv", "--difficulty", "2",
                                 "--lang", "it", "--seed", "5", "-n", "1"], input="")
    assert result.exit_code == 0, result.output
    assert "conv-conv · difficoltà 2" in result.output and "Nessuna risposta data." in result.output
    bad = runner.invoke(cli, ["practice", str(bank), "--family", "conv-cnv"])
    assert bad.exit_code != 0 and "did you mean 'conv-conv'" in str(bad.exception)


def test_network_line_hides_what_is_asked() -> None:
    size = generate("output-size", seed=3, difficulty=3, lang="en")
    text, _, _ = play([size], [])
    line = flat(text.split("Network: ")[1].split("\n\n")[0])
    assert "?" in line
    for part in size.parts:
        if str(part.measure).startswith("out_h@"):
            assert f"{part.answer}×{part.answer}" not in line


def test_hints_before_answering_formula_then_substitution(problem: Problem) -> None:
    weights = problem.part("weights")
    text, tally, _ = play([problem], ["h", "h", "h", str(weights.answer)])
    formula, substitution = (to_plain(h) for h in part_hints(weights, "en"))
    # the formula with what its letters stand for: the worked solution, which defines them, is not shown yet
    assert formula == ("use f² × C × N_c, where f is the size of the filter, C the depth of the layer's input and "
                       "N_c the number of filters (output maps) of the layer.")
    assert substitution.startswith("put the values in: ") and "×" in substitution and "f" not in substitution
    said = flat(text)  # the terminal wraps the longer hint
    assert said.index("Hint: " + formula) < said.index("Hint: " + flat(substitution))
    assert "No more hints: ? shows the next step of the worked solution." in text
    assert tally.right == {"input-conv": 1}  # hints do not cost the part


def test_italian_hint_has_decimal_commas() -> None:
    memory = next(p for s in range(20) for p in [generate("memory", seed=s, difficulty=1, lang="it")]
                  if any(part.quantity and part.decimals for part in p.parts))
    part = next(part for part in memory.parts if part.quantity and part.decimals)
    hints = part_hints(part, "it")
    assert hints[0].startswith("usa $") and hints[-1].startswith("sostituisci i valori: $")
    assert not re.search(r"\d\.\d", hints[-1])


def test_a_part_answered_after_the_solution_does_not_count(problem: Problem) -> None:
    weights, biases, total = (problem.part(k).answer for k in ("weights", "biases", "total"))
    text, tally, _ = play([problem], [str(weights), "?", str(biases), str(total)])
    assert "You opened the solution: the parts not answered yet count as not right." in text
    assert text.count("✓ Correct, after the solution: it counts as not right.") == 2
    assert tally.right == {"input-conv": 1} and tally.wrong == {"input-conv": 2}
    assert "Total: 1 of 3 right" in text


def test_unit_printed_once() -> None:
    memory = next(p for s in range(20) for p in [generate("memory", seed=s, difficulty=1, lang="en")]
                  if any(part.unit and f"({part.unit})" in part.label for part in p.parts))
    _, _, prompts = play([memory], [])
    part = memory.parts[0]
    assert part.unit and f"({part.unit})" in prompts[0] and f"[{part.unit}]" not in prompts[0]
    bare = Problem(id="x.d1.s1", family="x", difficulty=1, lang="en", seed=1, title="T", stem="S",
                   parts=(Part("m", "Memory", 3, unit="MB"),))
    assert play([bare], [])[2][0] == "Memory [MB] > "


@pytest.mark.parametrize("typed", ["1e99999999", "1e9999999", "1e999", "-1e999", "1e-1000", "2e" + "9" * 5000])
def test_huge_exponents_are_not_numbers_and_do_not_hang(typed: str) -> None:
    started = time.perf_counter()
    assert parse_number(typed, True) is None
    assert time.perf_counter() - started < 0.1


def test_exponents_a_float_holds() -> None:
    assert parse_number("1e308", True) == 10**308 and parse_number("0e999", True) == 0
    assert parse_number("1e-999", False) == Fraction(1, 10**999)


def test_huge_exponent_in_a_session(problem: Problem) -> None:
    text, tally, _ = play([problem], ["1e99999999"])
    assert "“1e99999999” is not a number" in text and tally.families == []


def test_thousands_grouped_one_way() -> None:
    assert numbers.plain(9216) == "9216" and numbers.plain(34944) == "34\u202f944"
    assert numbers.plain(Fraction(12345678, 100), 2, "it") == "123\u202f456,78"
    conv_fc = generate("conv-fc", seed=0, difficulty=1, lang="en")
    text, _, _ = play([conv_fc], ["?"] * len(conv_fc.solution))
    assert "\u2009" not in text  # the solution's numbers and the answers use the same narrow space
    assert not re.search(r"\d \d{3}\b", text)  # never an ordinary space between digit groups


def test_network_line_names_the_flatten_stage_once() -> None:
    conv_fc = generate("conv-fc", seed=0, difficulty=1, lang="en")
    text, _, _ = play([conv_fc], [])
    line = flat(text.split("Network: ")[1].split("\n\n")[0])
    assert "flatten → flatten" not in line and "flatten ?" in line


TEX_LEFTOVER = re.compile(r"\\|(?<![a-z])arrow|frac|cdot|mathrm|[{}]")


def _strings(problem: Problem) -> Iterator[str]:
    yield from (problem.title, problem.stem, problem.hint)
    for part in problem.parts:
        yield part.label
        yield from part_hints(part, problem.lang)
        yield from (d.feedback for d in part.distractors)
    for choice in problem.choices:
        yield from (choice.text, choice.feedback)
    for step in problem.solution:
        yield from (step.text, f"${step.math}$" if step.math else "")
    if problem.table is not None:
        yield from (problem.table.caption, *problem.table.columns, *(c for row in problem.table.rows for c in row))


def test_plain_text_has_no_tex_left() -> None:
    """Every string of every family (each difficulty, both languages, a few seeds) and of every concepts item."""
    from quizgen.problems import family, family_ids
    from quizgen.problems.concepts import catalogue

    found = []
    for fid in family_ids():
        for difficulty in family(fid).difficulties:
            for lang in ("en", "it"):
                for seed in range(3):
                    for text in _strings(generate(fid, seed=seed, difficulty=difficulty, lang=lang)):
                        if TEX_LEFTOVER.search(to_plain(text)):
                            found.append((fid, to_plain(text)))
    for item in catalogue().items:
        for _, wording in item.wordings:
            options = (x for option in wording.options for x in option)
            for text in (wording.stem, wording.explanation, wording.hint or "", *options):
                if TEX_LEFTOVER.search(to_plain(text)):
                    found.append((item.id, to_plain(text)))
    assert found == []
    assert to_plain(r"For a CONV $\rightarrow$ CONV, $C \rightarrow m$") == "For a CONV → CONV, C → m"
    assert to_plain(r"$a \cdots b \cdot c$, $\frac{x}{y+1}$") == "a ⋯ b · c, x/(y+1)"
