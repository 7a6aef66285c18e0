"""Moodle and GIFT tags: one word per concept in each language (``templates/tags.yaml``), written in the bank's
language, each once."""

from __future__ import annotations

import importlib.util
import re

import pytest
import yaml

from quizgen.bank.draw import categories, question_tags
from quizgen.bank.load import load_bank
from quizgen.errors import QuizgenError
from quizgen.problems import FAMILY_MODULES, generate
from quizgen.text.templating import LANGS, tag_word, templates_dir

WORDS = yaml.safe_load((templates_dir() / "tags.yaml").read_text(encoding="utf-8"))
SPELLING = re.compile(r"[a-zà-ù0-9]+(-[a-zà-ù0-9]+)*")


def test_every_key_has_one_spelling_per_concept() -> None:
    for key, words in WORDS.items():
        assert set(words) == set(LANGS), key
        for lang in LANGS:
            assert SPELLING.fullmatch(words[lang]) and len(words[lang]) <= 40, (key, lang, words[lang])
    # two keys of the same concept have the same word in every language; two concepts never share a word
    for lang in LANGS:
        for other in LANGS:
            pairs = {(w[lang], w[other]) for w in WORDS.values()}
            assert len({a for a, _ in pairs}) == len(pairs), f"a {lang} word with two {other} words: {sorted(pairs)}"


def _present(fid: str) -> bool:
    return importlib.util.find_spec(FAMILY_MODULES[fid]) is not None


@pytest.mark.parametrize("fid", [f for f in FAMILY_MODULES if _present(f)])
def test_every_tag_a_family_gives_is_listed(fid: str) -> None:
    for difficulty in (1, 2, 3):
        for seed in range(25):
            try:
                problem = generate(fid, seed=seed, difficulty=difficulty)
            except QuizgenError:
                continue
            for tag in (*problem.tags, problem.family):
                assert tag in WORDS or tag.startswith("item:"), f"{fid}: tag {tag!r} is not in templates/tags.yaml"


def test_tags_are_in_the_bank_language_each_once() -> None:
    english_only = {w["en"] for w in WORDS.values()} - {w["it"] for w in WORDS.values()}
    italian_only = {w["it"] for w in WORDS.values()} - {w["en"] for w in WORDS.values()}
    for bank, foreign in ((load_bank("lecture"), english_only), (load_bank("practice"), italian_only)):
        seen = set()
        for category in categories(bank, 2, None, None, at_most=True):
            for item in category.items:
                assert not foreign & set(item.tags), (bank.path, item.tags)
                assert len({t.casefold() for t in item.tags}) == len(item.tags), item.tags
                seen |= set(item.tags)
        assert f"{tag_word(bank.lang, 'difficulty')}-1" in seen
    assert "parametri" in seen or "parameters" in seen


def test_the_entry_tags_come_first_as_written_and_the_rest_in_the_bank_language() -> None:
    problem = generate("memory", seed=1, difficulty=1)
    assert problem.tags == ("memory", "params")
    assert question_tags(problem, ("Memoria", "gpu"), "it") == ("Memoria", "gpu", "parametri", "difficoltà-1")
    assert question_tags(problem, (), "en") == ("memory", "parameters", "difficulty-1")
    assert tag_word("it", "a word of the bank") == "a word of the bank"
