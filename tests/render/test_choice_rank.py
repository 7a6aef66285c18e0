"""``--style choice``: the answer's rank among the offered values changes between the versions of an entry, in
Moodle and in GIFT alike, and every offered value is a mistake the answer contract allows."""

from __future__ import annotations

import re
from collections import defaultdict
from fractions import Fraction
from pathlib import Path

from lxml import etree

from quizgen.bank.draw import categories
from quizgen.bank.load import load_bank
from quizgen.problems import precision
from quizgen.render.gift import gift_text
from quizgen.render.moodle import moodle_xml
from quizgen.verify.stress import stress_entry
from tests.render.test_gift import read_gift

# the lecture's LeNet-like chain asked one quantity at a time: C3's parameters have three mistakes below the answer
# and one above, the flattened length one on each side; the padded size of stride 1 has both below it
BANK = """title: Choice
lang: en
seed: 5
entries:
  - family: custom
    name: C3
    network: "{W}x{W}x1 > C1: conv {n1} 5 > S2: maxpool 2 > C3: conv {n2} 5 > S4: maxpool 2 > F5: fc {F}"
    params: {W: [28, 32, 36, 40], n1: [4, 6, 8], n2: {min: 12, max: 20, step: 4}, F: [84, 100, 120]}
    where: "(W - 4) % 4 == 0"
    ask: [params(C3)]
  - family: custom
    name: flatten
    network: "{W}x{W}x1 > C1: conv {n1} 5 > S2: maxpool 2 > C3: conv {n2} 5 > S4: maxpool 2 > F5: fc {F}"
    params: {W: [28, 32, 36, 40], n1: [4, 6, 8], n2: {min: 12, max: 20, step: 4}, F: [84, 100, 120]}
    where: "(W - 4) % 4 == 0"
    ask: [flatten]
  - family: output-size
    name: padded
    params: {layer: conv, s: 1, p: [1, 2]}
"""
VERSIONS = 8


def _value(text: str) -> Fraction:
    plain = re.sub(r"<[^>]+>", "", text).replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    match = re.match(r"-?[0-9]+(\.[0-9]+)?", plain)
    assert match, text
    return Fraction(match.group(0))


def _moodle(data: bytes) -> dict[str, list[tuple[list[Fraction], Fraction]]]:
    """Per category, each choice question's option values (in order) and its right value."""
    out: dict[str, list] = defaultdict(list)
    category = ""
    for q in etree.fromstring(data):
        if q.get("type") == "category":
            category = q.findtext("category/text").rsplit("/", 1)[-1]
        elif q.get("type") == "multichoice":
            answers = [(_value(a.findtext("text")), a.get("fraction")) for a in q.findall("answer")]
            out[category].append(([v for v, _ in answers], next(v for v, f in answers if f == "100")))
    return out


def _gift(text: str) -> dict[str, list[tuple[list[Fraction], Fraction]]]:
    out: dict[str, list] = defaultdict(list)
    category = ""
    for q in read_gift(text):
        if q["type"] == "category":
            category = q["category"].rsplit("/", 1)[-1]
        elif q["type"] == "multichoice":
            values = [_value(a["answer"]) for a in q["answers"]]
            out[category].append((values, next(_value(a["answer"]) for a in q["answers"] if a["fraction"] == 100)))
    return out


def _bank(tmp_path: Path):  # noqa: ANN202
    path = tmp_path / "choice.yaml"
    path.write_text(BANK, encoding="utf-8")
    return load_bank(path)


def test_the_answer_rank_changes_between_versions_and_every_option_keeps_the_rules(tmp_path: Path) -> None:
    bank = _bank(tmp_path)
    cats = categories(bank, VERSIONS, None, None)
    xml = moodle_xml(cats, style="choice")
    gift, kinds = gift_text(cats, style="choice")
    assert kinds == {"choice": 3 * VERSIONS}
    moodle_questions, gift_questions = _moodle(xml), _gift(gift)
    assert moodle_questions == gift_questions  # the same options, in the same order (by value)
    for cat in cats:
        questions = moodle_questions[cat.name]
        assert len(questions) == VERSIONS
        ranks, sides = [], []
        for item, (values, right) in zip(cat.items, questions, strict=True):
            part = item.problem.parts[0]
            allowed = {precision.key(d.value, part.decimals) for d in precision.offered(part, item.tolerance)}
            wrong = [v for v in values if v != right]
            assert values == sorted(values) and len(set(values)) == len(values)
            assert right == precision.key(part.answer, part.decimals) and len(wrong) == len(values) - 1
            assert set(wrong) <= allowed, (cat.name, wrong, allowed)  # clear of the answer and of one another
            ranks.append(values.index(right))
            sides.append((any(v < right for v in allowed), any(v > right for v in allowed)))
        if all(below and above for below, above in sides):
            # mistakes on both sides: the rank takes each value it can, in turn
            assert len(set(ranks)) > 1 and max(ranks.count(r) for r in set(ranks)) <= VERSIONS // 2, (cat.name, ranks)
        else:
            # every mistake below the answer: no choice of them helps (stress says so)
            assert cat.name == "padded" and all(r == len(v) - 1 for r, (v, _) in zip(ranks, questions, strict=True))


def test_the_same_bank_and_seed_give_the_same_options(tmp_path: Path) -> None:
    bank = _bank(tmp_path)
    assert moodle_xml(categories(bank, VERSIONS, None, None), style="choice") == \
        moodle_xml(categories(bank, VERSIONS, None, None), style="choice")
    assert gift_text(categories(bank, VERSIONS, None, None), style="choice") == \
        gift_text(categories(bank, VERSIONS, None, None), style="choice")


def test_stress_names_only_the_rank_that_stays(tmp_path: Path) -> None:
    bank = _bank(tmp_path)
    found = [[(p.kind, p.rank, p.side) for p in stress_entry(bank, i, VERSIONS).patterns if p.kind == "rank"]
             for i in range(3)]
    assert found == [[], [], [("rank", 1, "largest")]]
