"""Bank parameter checks read the families' declarations: bad values and values a difficulty does not use are
one-line errors with file:line and the allowed values; every declaration is consistent with its family."""

from __future__ import annotations

import random
import textwrap
from pathlib import Path

import pytest

from quizgen.bank.params import check_params
from quizgen.errors import QuizgenError
from quizgen.problems import Family, families, family, generate
from quizgen.problems.params import ParamError

HEAD = "title: Test bank\nlang: en\nseed: 5\nentries:\n"

# (family, difficulty, params line (line 7 of the bank), words of the message, words of the fix)
CASES = [
    ("memory", 2, "{batch: lots}", "'batch' of memory cannot be 'lots'", "use a whole number of 1 or more"),
    ("memory", 2, "{kind: activations, layer: F5}", "'layer' of memory cannot be 'F5'", "use C1 or C3"),
    ("alexnet", 1, "{layer: F5}", "'layer' of alexnet cannot be 'F5'", "use C1, C3, C5, C6, C7, F8, F9, Out,"),
    ("alexnet", 1, "{layer: conv}", "'layer' of alexnet cannot be 'conv'", "did you mean 'conv5'?"),
    ("alexnet", 1, "{kind: layer, layer: conv2}", "'conv2' is not a layer of the lecture's AlexNet", "kind: grouped"),
    ("lenet5", 1, "{layer: conv}", "'layer' of lenet5 cannot be 'conv'", "use C1, S2, C3, S4, C5, F6 or Out"),
    ("lenet5", 1, "{layer: Out}", "layer 'Out' has no parameters to count in the original LeNet-5",
     "set form: modern"),
    ("conv-fc", 2, "{layer: conv3}", "'layer' of conv-fc cannot be 'conv3'", "did you mean 'conv'? use conv or pool"),
    ("output-size", 1, "{layer: F5}", "'layer' of output-size cannot be 'F5'", "use conv or pool"),
    ("input-conv", 3, "{padding: zzz}", "'padding' of input-conv cannot be 'zzz'", "use same or valid"),
    ("input-conv", 1, "{W: 32, s: 2}", "'s' is not used at difficulty 1 of input-conv: only difficulties 2 and 3",
     "remove it, or use difficulty: 2"),
    ("input-conv", 1, "{padding: whatever}", "'padding' of input-conv cannot be 'whatever'", "use same or valid"),
    ("input-conv", 1, "{padding: same}", "'padding' is not used at difficulty 1 of input-conv: only difficulty 3",
     "use difficulty: 3"),
    ("memory", 2, "{network: vgg16}", "'network' is not used at difficulty 2 of memory: only difficulty 1",
     "remove it, or use difficulty: 1"),
    ("conv-conv", 1, "{ff: 3}", "conv-conv has no parameter 'ff'",
     "did you mean 'f'? its parameters are C_img, W, prev, N1, f1, f, N, s, p, layers, arithmetic"),
    ("fc-fc", 1, "{arithmetic: [hand, calculator]}", "arithmetic is one setting", "arithmetic: hand or calculator"),
    ("concepts", 1, "{options: 12}", "'options' of concepts cannot be 12", "use a whole number from 3 to 8"),
]


@pytest.mark.parametrize("fid, difficulty, params, message, fix", CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_bad_values_are_one_line_errors_with_the_allowed_values(run_cli, tmp_path: Path, fid: str,  # noqa: ANN001
                                                                 difficulty: int, params: str, message: str,
                                                                 fix: str) -> None:
    path = tmp_path / "bank.yaml"
    path.write_text(HEAD + textwrap.dedent(f"""\
          - family: {fid}
            difficulty: {difficulty}
            params: {params}
        """), encoding="utf-8")
    r = run_cli("stress", str(path), "-n", "2")
    assert r.code == 2, (r.out, r.err)
    assert r.out == "" and r.err.count("\n") == 1 and "Traceback" not in r.err, r.err
    assert r.err.startswith(f"error: {path}:7: entry 1 ({fid}): {message}"), r.err
    assert fix in r.err, r.err


def test_each_value_is_pointed_at_on_its_own_line(run_cli, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "bank.yaml"
    path.write_text(HEAD + "  - family: memory\n    difficulty: 2\n    params:\n      unit: MB\n      batch: lots\n",
                    encoding="utf-8")
    r = run_cli("stress", str(path))
    assert r.code == 2 and r.err.startswith(f"error: {path}:9: entry 1 (memory): 'batch' of memory"), r.err


@pytest.mark.parametrize("args, message", [
    (("-d", "2", "-p", "batch=zzz"), "'batch' of memory cannot be 'zzz'; use a whole number of 1 or more"),
    (("-d", "2", "-p", "layer=F5", "-p", "kind=activations"), "'layer' of memory cannot be 'F5'; use C1 or C3"),
    (("-p", "batch=8"), "'batch' is not used at difficulty 1 of memory: only difficulties 2 and 3 use it"),
])
def test_sample_options_give_the_same_errors(run_cli, args: tuple[str, ...], message: str) -> None:  # noqa: ANN001
    r = run_cli("sample", "memory", *args)
    assert r.code == 2 and r.out == "" and r.err.count("\n") == 1, r.err
    assert r.err.startswith("error: option --param") and message in r.err, r.err


def test_lenient_returns_unused_values_instead_of_raising() -> None:
    fam = family("input-conv")
    ignored = check_params(fam, {"s": 2, "p": 1}, 1, lenient=True)
    assert [e.param for e in ignored] == ["s", "p"]
    with pytest.raises(ParamError, match="only difficulties 2 and 3 use it"):
        check_params(fam, {"s": 2}, 1)


def _declared(fam: Family) -> list[tuple[str, int]]:
    return [(name, d) for name, p in fam.parameters.items() for d in p.difficulties if d in fam.difficulties]


@pytest.mark.parametrize("fam", families(), ids=lambda f: f.id)
def test_every_declared_default_is_an_allowed_value(fam: Family) -> None:
    for name, param in fam.parameters.items():
        assert param.en.strip() and param.it.strip() and param.en != param.it or name in param.en
        assert set(param.difficulties) <= set(fam.difficulties), name
        for d in fam.difficulties:
            for hand in (False, True):
                bad = [v for v in param.defaults(d, hand) if not param.kind.check(v)]
                assert not bad, (name, d, hand, bad)
            if not param.defaults(d) and d in param.difficulties:
                assert param.chosen, f"{fam.id}.{name} has no default at difficulty {d} and no words for it"


@pytest.mark.parametrize("fam", families(), ids=lambda f: f.id)
def test_a_value_the_checks_accept_gives_a_problem_with_that_value(fam: Family) -> None:
    """Fixing a declared parameter (at a difficulty that uses it) to defaults: accepted means drawable."""
    rng = random.Random(fam.id)
    for name, d in _declared(fam):
        values = list(dict.fromkeys(fam.parameters[name].defaults(d)))
        for value in rng.sample(values, min(3, len(values))):
            try:
                check_params(fam, {name: value}, d)
            except QuizgenError:
                continue  # e.g. conv-fc's W = 12 at difficulty 3: no chain of two convolutions fits
            problem = generate(fam.id, seed=rng.randrange(1000), difficulty=d, params={name: value})
            assert (name, value) in problem.params


def test_unknown_names_in_direct_generation_are_refused() -> None:
    with pytest.raises(QuizgenError, match="has no parameter 'zzz'"):
        family("conv-conv").parameters.check({"zzz": 1}, "conv-conv")


def test_lenient_warns_with_file_and_line_and_still_writes(run_cli, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "bank.yaml"
    path.write_text(HEAD + "  - family: input-conv\n    params:\n      W: 32\n      s: 2\n", encoding="utf-8")
    warning = (f"warning: {path}:8: entry 1 (input-conv): 's' is not used at difficulty 1 of input-conv: "
               "only difficulties 2 and 3 use it; the value is ignored; remove it, or use difficulty: 2\n")
    strict = run_cli("moodle", str(path), "-n", "2", "-o", str(tmp_path / "out.xml"))
    assert strict.code == 2 and not (tmp_path / "out.xml").exists()
    for args in (("moodle", str(path), "-n", "2", "-o", str(tmp_path / "out.xml"), "--lenient"),
                 ("stress", str(path), "-n", "5", "--lenient")):
        r = run_cli(*args)
        assert r.code == 0 and r.err.startswith(warning), r.err
    assert (tmp_path / "out.xml").exists()
    r = run_cli("sample", "input-conv", "-p", "s=2", "--lenient")
    assert r.code == 0 and r.err.startswith("warning: option --param: 's' is not used at difficulty 1"), r.err
