"""Every output draws from one place: the k-th draw of an entry is the same problem for the exam, Moodle and
GIFT, stress and verify."""

from __future__ import annotations

from pathlib import Path

from quizgen.bank import draw
from quizgen.bank.load import load_bank
from quizgen.problems import generate, variant_seed
from quizgen.verify import sweep
from quizgen.verify.stress import stress_entry

BANK = """title: Draws
seed: 17
entries:
  - {family: input-conv, difficulty: 1, count: 2, tags: [first]}
  - {family: concepts, difficulty: 1}
  - {family: fc-fc, difficulty: 2, params: {F: [10, 20]}}
"""


def _bank(tmp_path: Path):  # noqa: ANN202
    path = tmp_path / "draws.yaml"
    path.write_text(BANK, encoding="utf-8")
    return load_bank(path)


def test_the_kth_draw_is_the_entrys_seed(tmp_path: Path) -> None:
    bank = _bank(tmp_path)
    d = draw.entry_draw(bank, 2, 5)
    assert d == draw.Draw("fc-fc", 2, variant_seed(17, 2, 5), (("F", [10, 20]),), "en")
    assert d.generate() == generate("fc-fc", seed=variant_seed(17, 2, 5), difficulty=2, params={"F": [10, 20]})
    assert draw.entry_draw(bank, 2, 5, seed=3, lang="it").seed == variant_seed(3, 2, 5)


def test_exam_moodle_stress_and_verify_take_the_same_draws(tmp_path: Path) -> None:
    bank = _bank(tmp_path)
    first = [d.generate() for d in draw.entry_draws(bank, 0, 8)]
    distinct = draw.entry_variants(bank, 0, 4)
    kept, seen = [], set()
    for p in first:  # entry_variants keeps the distinct draws, in order, with the entry's tags
        if draw.signature(p) not in seen:
            seen.add(draw.signature(p))
            kept.append(draw.with_entry_tags(p, bank.entries[0]))
    assert distinct == kept[:4]
    versions = draw.exam_versions(bank, 2)
    assert [q.problem for v in versions for q in v.questions if q.entry_index == 0] == distinct
    (category, *_) = draw.categories(bank, 4, None, None)
    assert [item.problem for item in category.items] == distinct
    assert category.path == "$course$/top/Draws/input-conv" and "first" in category.items[0].tags
    assert [t.seed for t in sweep.bank_rows(bank, 8, None, None)[0].tasks] == [p.seed for p in first]
    assert stress_entry(bank, 0, 8).distinct == len(seen)


def test_practice_shares_the_draws_among_entries(tmp_path: Path) -> None:
    bank = _bank(tmp_path)
    variants = draw.practice_variants(bank, draw.select_entries(bank), 6, bank.seed, ("en", "it"))
    assert {v[0].family for v in variants} == {"input-conv", "concepts", "fc-fc"}
    assert all(en.id == it.id and en.lang == "en" and it.lang == "it" for en, it in variants)
    assert len({draw.signature(v[0]) for v in variants}) == len(variants)
