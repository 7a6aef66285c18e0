"""Every output draws from one place: the k-th draw of an entry is the same problem for the exam, Moodle and
GIFT, stress and verify."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizgen.bank import draw
from quizgen.bank.load import load_bank
from quizgen.errors import QuizgenError
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


def test_the_kth_draw_is_keyed_by_the_entrys_identity(tmp_path: Path) -> None:
    bank = _bank(tmp_path)
    assert [e.key for e in bank.entries] == ["input-conv.d1:input-conv", "concepts.d1:concepts", "fc-fc.d2:fc-fc"]
    d = draw.entry_draw(bank, 2, 5)
    shape = draw.shape_seed(bank.entries[2], 17)
    assert d == draw.Draw("fc-fc", 2, variant_seed(17, "fc-fc.d2:fc-fc", 5), (("F", [10, 20]),), "en", shape)
    assert d.generate() == generate("fc-fc", seed=variant_seed(17, "fc-fc.d2:fc-fc", 5), difficulty=2,
                                    params={"F": [10, 20]}, shape=shape)
    # the kind of question is drawn once per entry: every version has its shape; practice draws each its own
    assert shape is not None and {draw.entry_draw(bank, 2, k).shape for k in range(5)} == {shape}
    assert draw.draw_of(bank.entries[2], 17, 5, "en", shaped=False).shape is None
    assert draw.shape_seed(bank.entries[0], 17) is None  # input-conv asks the same parts in every draw
    assert draw.entry_draw(bank, 2, 5, seed=3, lang="it").seed == variant_seed(3, "fc-fc.d2:fc-fc", 5)


def _numbers(bank) -> dict[str, list]:  # noqa: ANN001 - each entry's problems in every output, by entry key
    versions = draw.exam_versions(bank, 3)
    exam = {e.key: [q.problem.id for v in versions for q in v.questions if q.entry.key == e.key]
            for e in bank.entries}
    moodle = {c.name: [item.problem.id for item in c.items] for c in draw.categories(bank, 3, None, None)}
    practice = {e.key: [v[0].id for v in draw.practice_variants(bank, [e], 4, bank.seed, ("en",))]
                for e in bank.entries}
    return {"exam": exam, "moodle": moodle, "practice": practice}


def test_reordering_or_inserting_entries_keeps_the_others_numbers(tmp_path: Path) -> None:
    entries = ['  - {family: conv-conv, difficulty: 2, name: "CONV A"}',
               '  - {family: conv-conv, difficulty: 2, name: "CONV B"}',
               "  - {family: fc-fc, difficulty: 1, id: fc}",
               "  - {family: output-size, difficulty: 2}",
               "  - {family: output-size, difficulty: 1}"]
    head = "title: Stable\nseed: 5\nentries:\n"
    (tmp_path / "a.yaml").write_text(head + "\n".join(entries) + "\n", encoding="utf-8")
    moved = [entries[3], '  - {family: memory, difficulty: 2, name: "new"}', entries[2], entries[4], entries[1],
             entries[0]]
    (tmp_path / "b.yaml").write_text(head + "\n".join(moved) + "\n", encoding="utf-8")
    a, b = _numbers(load_bank(tmp_path / "a.yaml")), _numbers(load_bank(tmp_path / "b.yaml"))
    for output in ("exam", "moodle", "practice"):
        assert {k: v for k, v in b[output].items() if k in a[output]} == a[output]
    assert len({p for ids in a["exam"].values() for p in ids}) == 15  # and the two conv-conv entries differ
    renamed = head + "\n".join([*entries[:2], entries[2].replace("fc-fc, difficulty", "fc-fc, name: X, difficulty"),
                                *entries[3:]]) + "\n"
    (tmp_path / "c.yaml").write_text(renamed, encoding="utf-8")
    assert _numbers(load_bank(tmp_path / "c.yaml"))["exam"]["id:fc"] == a["exam"]["id:fc"]  # the id is what counts


def test_two_entries_with_the_same_identity_are_refused(tmp_path: Path, run_cli) -> None:  # noqa: ANN001
    path = tmp_path / "twice.yaml"
    path.write_text("title: T\nentries:\n  - {family: fc-fc}\n  - {family: fc-fc, params: {F: 10}}\n",
                    encoding="utf-8")
    result = run_cli("moodle", str(path), "-n", "2", "-o", str(tmp_path / "out.xml"))
    assert result.code == 2 and not (tmp_path / "out.xml").exists()
    assert result.err.strip() == (
        f"error: {path}:4: entries 1 and 2 have the same family fc-fc, difficulty 1 and no name, so they would draw "
        "the same numbers; give entry 2 an id of its own (e.g. id: fc-fc-2) or another name")
    path.write_text("title: T\nentries:\n  - {family: fc-fc, id: a}\n  - {family: conv-conv, id: a}\n",
                    encoding="utf-8")
    result = run_cli("moodle", str(path), "-n", "2", "-o", str(tmp_path / "out.xml"))
    assert result.code == 2 and "entries 1 and 2 have the same id 'a'" in result.err
    path.write_text("title: T\nentries:\n  - {family: fc-fc}\n  - {family: fc-fc, id: second}\n",
                    encoding="utf-8")
    assert run_cli("moodle", str(path), "-n", "2", "-o", str(tmp_path / "out.xml")).code == 0


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


def test_a_practice_page_never_holds_the_same_exercise_twice(tmp_path: Path) -> None:
    bank = load_bank("practice")
    variants = draw.practice_variants(bank, draw.select_entries(bank), 120, bank.seed, ("en",))
    keys = [draw.exercise_key(v[0]) for v in variants]
    assert len(variants) == 120 and len(set(keys)) == 120
    concepts = [v[0] for v in variants if v[0].family == "concepts"]
    assert len(concepts) == 12 and len({p.stem for p in concepts}) == 12  # twelve different concept questions


def test_an_entry_that_runs_out_leaves_its_share_to_the_others(tmp_path: Path) -> None:
    path = tmp_path / "short.yaml"
    path.write_text("title: Short\nseed: 2\nentries:\n"
                    "  - {family: concepts, params: {topic: gpu-memory, kind: multiple}, difficulty: 1}\n"
                    "  - {family: fc-fc, params: {F_prev: [10, 20], F: [30, 50]}}\n"
                    "  - {family: conv-conv, difficulty: 2}\n", encoding="utf-8")
    bank = load_bank(path)
    variants = draw.practice_variants(bank, draw.select_entries(bank), 30, bank.seed, ("en", "it"))
    families = [v[0].family for v in variants]
    # the concepts entry has one question (its options reshuffled are the same one), fc-fc four
    assert families.count("concepts") == 1 and families.count("fc-fc") == 4 and families.count("conv-conv") == 25
    assert len({draw.exercise_key(v[0]) for v in variants}) == 30
    assert all(en.id == it.id for en, it in variants)
    everything = draw.practice_variants(bank, bank.entries[:2], 30, bank.seed, ("en",))
    assert len(everything) == 5  # all there is, once each


def test_no_two_questions_of_an_exam_or_export_are_the_same(tmp_path: Path) -> None:
    path = tmp_path / "twins.yaml"
    twin = "{family: fc-fc, params: {F_prev: [10, 20], F: 30}}"
    path.write_text(f"title: Twins\nentries:\n  - {twin}\n  - {{id: second, {twin[1:]}\n", encoding="utf-8")
    bank = load_bank(path)
    versions = draw.exam_versions(bank, 1)
    assert versions[0].questions[0].problem.stem != versions[0].questions[1].problem.stem
    problems = [item.problem for c in draw.categories(bank, 1, None, None) for item in c.items]
    assert len({draw.signature(p) for p in problems}) == 2
    with pytest.raises(QuizgenError) as refused:
        draw.exam_versions(bank, 2)
    assert refused.value.message == (
        "entry 2 (fc-fc) asks for 2 distinct variants but only 0 are left: 50 draws gave 2 more that an earlier "
        "entry already has (an exam or export never holds a question twice)")


SHUFFLED = """title: Shuffled
seed: 4
shuffle: [questions, options]
entries:
  - {family: input-conv, difficulty: 1}
  - {family: conv-conv, difficulty: 1, group: net}
  - {family: conv-fc, difficulty: 2, group: net}
  - {family: fc-fc, difficulty: 1}
  - {family: concepts, difficulty: 1, params: {kind: single}}
  - {family: output-size, difficulty: 1, count: 2}
"""


def test_each_version_shuffles_its_questions_and_options(tmp_path: Path) -> None:
    path = tmp_path / "shuffled.yaml"
    path.write_text(SHUFFLED, encoding="utf-8")
    bank = load_bank(path)
    assert bank.shuffle == ("questions", "options") and bank.entries[1].group == "net"
    plain = draw.exam_versions(load_bank(_write(tmp_path, SHUFFLED.replace("shuffle: [questions, options]\n", ""))), 6)
    versions = draw.exam_versions(bank, 6)
    orders = set()
    for v, p in zip(versions, plain, strict=True):
        assert [q.number for q in v.questions] == list(range(1, 8))
        # the same questions as without shuffling, each recording its place in the bank
        assert sorted((q.bank_number, q.problem.id) for q in v.questions) == [(q.number, q.problem.id)
                                                                               for q in p.questions]
        families = [q.problem.family for q in v.questions]
        assert families[families.index("conv-conv") + 1] == "conv-fc"  # the group stays together, in order
        orders.add(tuple(q.bank_number for q in v.questions))
        concepts = next(q for q in v.questions if q.problem.family == "concepts")
        original = next(q for q in p.questions if q.problem.family == "concepts").problem.choices
        assert concepts.problem.choices == tuple(original[i] for i in concepts.options)
    assert len(orders) > 1 and any(q.moved for v in versions for q in v.questions)
    assert any(q.options != tuple(range(len(q.options))) for v in versions for q in v.questions if q.options)
    again = draw.exam_versions(load_bank(path), 6)
    assert again == versions  # same bank and seed, same orders


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plain.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_bad_shuffle_or_group_is_one_line(tmp_path: Path, run_cli) -> None:  # noqa: ANN001
    for value, line in (("shuffle: entries", 2), ("shuffle: [questions, questions]", 2), ("shuffle: []", 2)):
        path = _write(tmp_path, f"title: T\n{value}\nentries:\n  - {{family: fc-fc}}\n")
        r = run_cli("exam", str(path), "-o", str(tmp_path / "out"))
        assert r.code == 2 and r.err.startswith(f"error: {path}:{line}: shuffle is "), r.err
        assert "shuffle: [questions, options]" in r.err
    path = _write(tmp_path, "title: T\nentries:\n  - {family: fc-fc, group: ' '}\n")
    r = run_cli("exam", str(path), "-o", str(tmp_path / "out"))
    assert r.code == 2 and "the group is empty" in r.err
