"""Fair versions (quizgen.bank.fair): the versions of one bank entry ask the same parts of the same kind of
network with work within one step, and no two share more than one answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizgen.bank.draw import entry_variants, shape_seed
from quizgen.bank.fair import Fairness, fairness
from quizgen.bank.load import load_bank
from quizgen.problems import family, family_ids, regenerate

# LeNet-5 and AlexNet draw whole published networks: their fairness is checked with their own tests
FAMILIES = [f for f in family_ids() if f not in ("lenet5", "alexnet", "concepts", "custom")]
CASES = [(f, d) for f in FAMILIES for d in family(f).difficulties]


def _entry(tmp_path: Path, fid: str, difficulty: int, params: str = ""):  # noqa: ANN202
    path = tmp_path / "bank.yaml"
    path.write_text(f"title: t\nlang: en\nseed: 5\nentries:\n  - family: {fid}\n    difficulty: {difficulty}\n"
                    + (f"    params: {params}\n" if params else ""), encoding="utf-8")
    return load_bank(path)


def _unfair(versions: list) -> tuple[str, ...]:
    found = fairness(versions)
    return found.findings + (() if found.keep == len(versions) else ("keep",))


@pytest.mark.parametrize(("fid", "difficulty"), CASES)
def test_four_versions_of_an_entry_are_fair(tmp_path: Path, fid: str, difficulty: int) -> None:
    """Four versions, as an exam hands them out to four rooms: same parts, comparable work, at most one shared
    answer (memory, receptive-field, residual, conv-conv, fc-fc and output-size used to mix kinds of question)."""
    bank = _entry(tmp_path, fid, difficulty)
    versions = entry_variants(bank, 0, 4)
    assert _unfair(versions) == (), [[(p.key, p.answer) for p in v.parts] for v in versions]


@pytest.mark.slow
@pytest.mark.parametrize(("fid", "difficulty"), CASES)
def test_twelve_versions_of_an_entry_are_fair(tmp_path: Path, fid: str, difficulty: int) -> None:
    """Every family's defaults give twelve fair versions (residual used to give 9 or 10, transposed-conv at
    difficulties 2 and 3 8, model-summary at difficulty 3 6)."""
    bank = _entry(tmp_path, fid, difficulty)
    versions = entry_variants(bank, 0, 12)
    assert _unfair(versions) == (), [[(p.key, p.answer) for p in v.parts] for v in versions]


@pytest.mark.parametrize(("fid", "difficulty", "params"), [("memory", 2, ""), ("receptive-field", 3, ""),
                                                           ("conv-conv", 3, "{layers: [2, 3]}")])
def test_a_version_regenerates_from_its_id_with_its_entrys_shape(tmp_path: Path, fid: str, difficulty: int,
                                                                 params: str) -> None:
    bank = _entry(tmp_path, fid, difficulty, params)
    entry = bank.entries[0]
    shape = shape_seed(entry, bank.seed)
    for version in entry_variants(bank, 0, 3):
        assert f".f{shape}" in version.id
        assert regenerate(version.id, params=entry.params) == version


def test_versions_that_must_share_answers_are_reported_with_how_many_keep_the_rules(tmp_path: Path) -> None:
    # the entry fixes C and f: two versions with the same N have the same weights and total
    bank = _entry(tmp_path, "input-conv", 1, "{C: 3, f: 5, N: [8, 16, 32]}")
    versions = entry_variants(bank, 0, 3, at_most=True)
    assert len(versions) == 3 and fairness(versions).findings == ()
    bank = _entry(tmp_path, "input-conv", 2, "{C: 3, f: 5, N: [8, 16], s: [1, 2], p: [0, 1, 2]}")
    found = fairness(entry_variants(bank, 0, 6))
    assert "shared" in found.findings and found.keep == 2


@pytest.mark.parametrize("lang", ["en", "it"])
def test_every_kind_of_unequal_versions_has_a_fix_line(lang: str) -> None:
    from quizgen.verify.stress import fairness_fix, fairness_text

    every = Fairness(part_sets=2, steps=(2, 7), shared=3, pairs=10, most=3, readable=1, blanks=4, keep=2)
    assert every.findings == ("parts", "effort", "shared", "readable")
    for finding in every.findings:
        assert fairness_text(every, finding, lang)
        fix = fairness_fix(every, finding, lang)
        assert fix.startswith("fix: " if lang == "en" else "rimedio: "), fix
    assert "at most 2" in fairness_fix(every, "shared", "en")
    assert "al più 2" in fairness_fix(every, "shared", "it")
