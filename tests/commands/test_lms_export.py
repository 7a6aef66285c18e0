"""The Moodle and GIFT writers build the whole export and its split files from one render of each category."""

from __future__ import annotations

import pytest
from lxml import etree

from quizgen.bank.draw import categories
from quizgen.bank.load import load_bank
from quizgen.commands.gift import WRITER as GIFT
from quizgen.commands.moodle import WRITER as MOODLE
from quizgen.commands.writers import Request


@pytest.fixture(scope="module")
def drawn() -> list:
    return categories(load_bank("lecture"), 3, 7, "en", at_most=True)


def _request(**options: object) -> Request:
    return Request(bank="lecture", n=3, seed=7, lang="en", output=None, force=False,
                   options={"negative_marks": False, "no_diagrams": False, "max_size": 2.0, **options})


@pytest.mark.parametrize(("writer", "style"), [(MOODLE, "numerical"), (MOODLE, "choice"), (MOODLE, "calculated"),
                                               (GIFT, "numerical"), (GIFT, "choice")])
def test_the_categories_rendered_apart_make_the_same_file(drawn: list, writer, style: str) -> None:  # noqa: ANN001
    request = _request(style=style)
    whole, kinds = writer.render(drawn, request)
    bodies = [writer.body([cat], request) for cat in drawn]
    assert writer.document([body for body, _ in bodies]) == whole
    assert sum((counted for _, counted in bodies), type(kinds)()) == kinds


def test_a_category_over_the_limit_is_cut_into_parts_of_the_same_category(drawn: list) -> None:
    request = _request(style="numerical")
    bodies = [MOODLE.body([cat], request)[0] for cat in drawn]
    biggest = max(range(len(drawn)), key=lambda k: len(bodies[k]))
    limit = len(bodies[biggest]) // 2 + len(MOODLE.head) + len(MOODLE.tail)
    files = [MOODLE.document(group) for group in MOODLE.split(drawn, bodies, limit, request)]
    assert all(len(data) <= limit for data in files), [len(data) for data in files]
    path = drawn[biggest].path
    names: list[str] = []
    for data in files:
        root = etree.fromstring(data)
        category = None
        for question in root.findall("question"):
            if question.get("type") == "category":
                category = question.findtext("category/text")
            elif category == path:
                names.append(question.findtext("name/text"))
    assert sum(data.count(f"<text>{path}</text>".encode()) for data in files) >= 2  # the category is in 2+ files
    whole = etree.fromstring(MOODLE.render([drawn[biggest]], request)[0])
    assert names == [q.findtext("name/text") for q in whole.findall("question") if q.get("type") != "category"]
    assert len(names) == len(drawn[biggest].items)
