"""The concepts family: the item files (both languages), generation, uniform answer positions, overrides."""

from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from quizgen.errors import QuizgenError
from quizgen.problems import family, generate
from quizgen.problems.concepts import FAMILY, candidates, catalogue, load_catalogue, space
from quizgen.text.richtext import to_latex, to_plain
from quizgen.text.templating import LANGS, templates_dir

FOLDER = templates_dir() / "concepts"
# the issue's topics: each must have items
ISSUE_TOPICS = ("gpu-memory", "relu", "dropout", "lrn", "one-by-one", "pooling-vs-conv", "two-pipelines",
                "parameter-count")


def raw(lang: str) -> dict:
    """The item file as plain YAML, read without quizgen's loader (an independent check)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load((FOLDER / f"{lang}.yaml").read_text(encoding="utf-8"), Loader=loader)  # noqa: S506


def filled(text: object) -> bool:
    return isinstance(text, (str, int)) and not isinstance(text, bool) and bool(str(text).strip())


# ---------------------------------------------------------------- the item files


def test_files_have_the_same_items_in_every_language():
    files = {lang: raw(lang) for lang in LANGS}
    base = files["en"]
    assert len(base["items"]) >= 45
    for lang, data in files.items():
        assert [it["id"] for it in data["items"]] == [it["id"] for it in base["items"]], lang
        assert set(data["topics"]) == set(base["topics"]), lang
        assert all(filled(data["labels"][k]) for k in ("answer", "answers", "select_all")), lang
        for topic in data["topics"].values():
            assert filled(topic["title"]) and filled(topic["hint"]), lang
        for item, en_item in zip(data["items"], base["items"], strict=True):
            where = f"{lang}:{item['id']}"
            for key in ("topic", "difficulty", "kind"):
                assert item[key] == en_item[key], where
            assert [o["correct"] for o in item["options"]] == [o["correct"] for o in en_item["options"]], where
            assert filled(item["stem"]) and filled(item["explanation"]), where
            assert all(filled(o["text"]) and filled(o["feedback"]) for o in item["options"]), where
            texts = [str(o["text"]) for o in item["options"]]
            assert len(set(texts)) == len(texts), where


def test_every_item_is_well_formed():
    ids = set()
    for item in raw("en")["items"]:
        assert item["id"] not in ids
        ids.add(item["id"])
        assert item["difficulty"] in (1, 2, 3)
        n_correct = sum(o["correct"] for o in item["options"])
        if item["kind"] == "single":
            assert n_correct == 1, item["id"]
            assert len(item["options"]) >= 4, item["id"]
        else:
            assert item["kind"] == "multiple"
            assert n_correct >= 2 and len(item["options"]) - n_correct >= 1, item["id"]


def test_every_difficulty_and_topic_is_covered():
    cat = catalogue()
    assert len(cat.items) >= 45
    per_difficulty = Counter(it.difficulty for it in cat.items)
    assert all(per_difficulty[d] >= 10 for d in (1, 2, 3)), per_difficulty
    per_topic = Counter(it.topic for it in cat.items)
    for topic in ISSUE_TOPICS:
        assert per_topic[topic] >= 3, topic
    assert set(per_topic) == set(cat.topics)  # no topic without items
    assert sum(it.kind == "multiple" for it in cat.items) >= 6


def test_the_five_remedies_item_lists_the_lectures_five():
    item = catalogue().item("gpu-remedies")
    words = item.wording("it")
    correct = [text for (text, _), ok in zip(words.options, item.correct, strict=True) if ok]
    assert len(correct) == 5
    for needle in ("mini-batch", "stride", "rimuovendo un layer", "16 bit", "più elaboratori"):
        assert any(needle in text for text in correct), needle
    wrong = " ".join(text for (text, _), ok in zip(words.options, item.correct, strict=True) if not ok)
    assert "learning rate" in wrong and "dropout" in wrong


def test_all_text_is_valid_rich_text():
    dollar = re.compile(r"(?<!\\)\$")
    cat = catalogue()
    for item in cat.items:
        for lang in LANGS:
            w = item.wording(lang)
            texts = [w.stem, w.explanation, *(t for pair in w.options for t in pair), *([w.hint] if w.hint else [])]
            for text in texts:
                assert len(dollar.findall(text)) % 2 == 0, (item.id, lang, text)
                assert not re.search(r"[\x00-\x09\x0b-\x1f]", text), (item.id, lang, text)
                assert "**" not in text and "$$" not in text, (item.id, lang, text)
                to_latex(text), to_plain(text)


@pytest.mark.parametrize("lang", LANGS)
def test_the_correct_option_is_not_usually_the_longest(lang):
    """A test-wise student who picks the longest option must not do much better than chance."""
    singles = [it for it in catalogue().items if it.kind == "single"]
    longest = 0
    for item in singles:
        lengths = [len(text) for text, _ in item.wording(lang).options]
        right = item.correct.index(True)
        longest += lengths[right] > max(n for i, n in enumerate(lengths) if i != right)
    assert longest / len(singles) <= 0.35


# items whose topic hint points away from their answer: each has its own hint
OWN_HINT = ("dropout-replaces", "dropout-where", "dropout-what", "two-pipelines-grouped", "lenet5-c3-params")


@pytest.mark.parametrize("lang", LANGS)
def test_items_whose_topic_hint_misleads_have_their_own(lang):
    cat = catalogue()
    for item_id in OWN_HINT:
        item = cat.item(item_id)
        own = item.wording(lang).hint
        assert own and own != cat.hint(lang, item.topic), item_id
        p = generate("concepts", seed=3, params={"items": item_id}, lang=lang)
        assert p.hint == own
    # the dropout-replaces hint leads to weight decay, not to C3's partial connections
    assert "LeNet-5" not in cat.item("dropout-replaces").wording(lang).hint
    # an item without a hint of its own still gets its topic's hint
    plain = cat.item("relu-derivative")
    assert plain.wording(lang).hint is None
    assert generate("concepts", seed=0, params={"items": "relu-derivative"}, lang=lang).hint == cat.hint(lang, "relu")


def all_texts(lang: str) -> list[tuple[str, str]]:
    """(item id, text) for every stem, option, feedback, explanation and hint of one language."""
    out = []
    for item in catalogue().items:
        w = item.wording(lang)
        for text in (w.stem, w.explanation, w.hint or "", *(t for pair in w.options for t in pair)):
            out.append((item.id, text))
    return out


def test_no_text_states_that_alexnet_dropped_weight_decay():
    """Krizhevsky et al. 2012 trained with weight decay 0.0005: dropout came on top of it."""
    for lang, pattern in (("en", r"instead of (the )?weight decay"), ("it", r"invece del weight decay")):
        for item_id, text in all_texts(lang):
            assert not re.search(pattern, text, re.IGNORECASE), (item_id, text)
    for item_id in ("dropout-replaces", "dropout-where", "alexnet-vs-lenet"):
        for lang in LANGS:
            assert "0.0005" in catalogue().item(item_id).wording(lang).explanation.replace(",", "."), (item_id, lang)


def test_lenet_dates_are_consistent():
    """LeNet-5 is LeCun et al. 1998; the lecture's "LeNet (1995)" is never stated as the date on its own."""
    for lang in LANGS:
        for item_id, text in all_texts(lang):
            assert "LeNet (1995)" not in text, (item_id, text)
            assert "LeNet-5 (1995)" not in text and "1995" not in text or "1998" in text, (item_id, text)


def test_italian_wording():
    for item_id, text in all_texts("it"):
        assert "feature maps" not in text.lower(), (item_id, text)  # "feature map" is invariable in Italian
        assert " SIA " not in text, (item_id, text)


# ---------------------------------------------------------------- the loader's checks

MINI = {
    "en": """\
labels: {answer: Correct answer, answers: Correct answers, select_all: Select all the correct options.}
topics:
  relu: {title: ReLU, hint: Think of the derivative.}
items:
  - id: one
    topic: relu
    difficulty: 1
    kind: single
    stem: Derivative of ReLU for $x > 0$?
    options:
      - text: "1"
        correct: true
        feedback: Yes.
      - text: "0"
        correct: false
        feedback: That is for a negative input.
      - text: $x$
        correct: false
        feedback: That is its value.
    explanation: The gradient of ReLU is 1 for positive values.
  - id: two
    topic: relu
    difficulty: 2
    kind: multiple
    stem: Which are true?
    options:
      - text: ReLU has no parameters.
        correct: true
        feedback: True.
      - text: Its gradient is 1 for positive inputs.
        correct: true
        feedback: True.
      - text: It saturates at 1.
        correct: false
        feedback: False.
    explanation: From the lecture.
""",
    "it": """\
labels: {answer: Risposta corretta, answers: Risposte corrette, select_all: Seleziona tutte le opzioni corrette.}
topics:
  relu: {title: ReLU, hint: Pensa alla derivata.}
items:
  - id: one
    topic: relu
    difficulty: 1
    kind: single
    stem: Derivata della ReLU per $x > 0$?
    options:
      - text: "1"
        correct: true
        feedback: Sì.
      - text: "0"
        correct: false
        feedback: Vale per un input negativo.
      - text: $x$
        correct: false
        feedback: È il suo valore.
    explanation: Il gradiente della ReLU è sempre 1 per valori positivi.
  - id: two
    topic: relu
    difficulty: 2
    kind: multiple
    stem: Quali sono vere?
    options:
      - text: La ReLU non ha parametri.
        correct: true
        feedback: Vero.
      - text: Il suo gradiente è 1 per input positivi.
        correct: true
        feedback: Vero.
      - text: Satura a 1.
        correct: false
        feedback: Falso.
    explanation: Dalla lezione.
""",
}


def mini_catalogue(tmp_path: Path, lang: str | None = None, old: str = "", new: str = "") -> Path:
    """A two-item catalogue in a temporary folder, with one text replacement in one language."""
    folder = tmp_path / "concepts"
    folder.mkdir()
    for code, text in MINI.items():
        if code == lang:
            assert text.count(old) >= 1, old
            text = text.replace(old, new, 1)
        (folder / f"{code}.yaml").write_text(text, encoding="utf-8")
    return folder


def test_mini_catalogue_loads(tmp_path):
    cat = load_catalogue(mini_catalogue(tmp_path))
    assert [it.id for it in cat.items] == ["one", "two"]
    assert cat.item("two").correct == (True, True, False)
    assert cat.item("one").wording("it").options[0] == ("1", "Sì.")


@pytest.mark.parametrize(
    ("lang", "old", "new", "message", "line"),
    [
        ("it", "feedback: Sì.", "feedback: ''", "'feedback' is missing or empty", 11),
        ("it", "- id: two", "- id: due", "item ids differ", None),
        ("it", 'correct: true\n        feedback: Sì.\n      - text: "0"\n        correct: false',
         'correct: false\n        feedback: Sì.\n      - text: "0"\n        correct: true', "correct flags", 5),
        ("en", "        correct: true\n        feedback: Yes.", "        correct: false\n        feedback: Yes.",
         "0 correct options", 5),
        ("en", "        correct: false\n        feedback: False.", "        correct: true\n        feedback: False.",
         "3 correct options of 3", 21),
        ("en", "  - id: two\n    topic: relu", "  - id: two\n    topic: relux", "unknown topic 'relux'", 21),
        ("en", "difficulty: 2", "difficulty: 4", "difficulty is 4", 21),
        ("en", "kind: multiple", "kind: several", "kind is 'several'", 21),
        ("en", "- id: two", "- id: one", "item id 'one' appears twice", 21),
        ("en", "It saturates at 1.", "ReLU has no parameters.", "same text", 21),
        ("en", "stem: Which are true?", 'stem: "Which are \\true?"', "control character", 21),
        ("en", "stem: Which are true?", "stem: Which are $true?", "unmatched $", 21),
    ],
)
def test_loader_rejects_broken_files_with_file_and_line(tmp_path, lang, old, new, message, line):
    with pytest.raises(QuizgenError) as info:
        load_catalogue(mini_catalogue(tmp_path, lang, old, new))
    where = info.value.where or ""
    assert message in info.value.message and f"{lang}.yaml" in where, info.value
    if line is not None:
        assert f".yaml:{line} " in where or where.endswith(f".yaml:{line}"), where


def test_loader_reads_an_items_own_hint(tmp_path):
    folder = mini_catalogue(tmp_path)
    for lang, hint in (("en", "Compare with the sigmoid."), ("it", "Confronta con la sigmoide.")):
        path = folder / f"{lang}.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace(
            "    kind: multiple\n", f"    kind: multiple\n    hint: {hint}\n"), encoding="utf-8")
    cat = load_catalogue(folder)
    assert cat.item("two").wording("it").hint == "Confronta con la sigmoide."
    assert cat.hint_for(cat.item("two"), "en") == "Compare with the sigmoid."
    assert cat.item("one").wording("en").hint is None
    assert cat.hint_for(cat.item("one"), "en") == "Think of the derivative."


@pytest.mark.parametrize(
    ("hint", "message"),
    [("''", "'hint' is missing or empty"), ("$x", "unmatched $"), ('"a\\tb"', "control character")],
)
def test_loader_rejects_a_broken_item_hint(tmp_path, hint, message):
    folder = mini_catalogue(tmp_path, "en", "    kind: multiple\n", f"    kind: multiple\n    hint: {hint}\n")
    with pytest.raises(QuizgenError) as info:
        load_catalogue(folder)
    assert message in info.value.message and "en.yaml:21 " in (info.value.where or ""), info.value


@pytest.mark.parametrize("lang", LANGS)
def test_loader_rejects_a_hint_given_in_one_language_only(tmp_path, lang):
    folder = mini_catalogue(tmp_path, lang, "    kind: multiple\n", "    kind: multiple\n    hint: Only here.\n")
    with pytest.raises(QuizgenError) as info:
        load_catalogue(folder)
    assert f"has a hint in {lang}.yaml but not in" in info.value.message, info.value
    assert "it.yaml:21 " in (info.value.where or ""), info.value


def test_loader_rejects_options_that_differ_between_languages(tmp_path):
    option = "      - text: Satura a 1.\n        correct: false\n        feedback: Falso.\n"
    folder = mini_catalogue(tmp_path, "it", option, "")
    with pytest.raises(QuizgenError, match="options"):
        load_catalogue(folder)


# ---------------------------------------------------------------- generation

SEEDS = range(200)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("difficulty", [1, 2, 3])
def test_generate_every_difficulty_and_language(difficulty, lang):
    cat = catalogue()
    seen = set()
    for seed in SEEDS:
        p = generate("concepts", seed=seed, difficulty=difficulty, lang=lang)  # verify_problem runs here
        item = cat.item(p.tags[1].removeprefix("item:"))
        seen.add(item.id)
        assert p.tags[0] == item.topic and item.difficulty == difficulty
        n_correct = sum(c.correct for c in p.choices)
        assert p.multiple == (item.kind == "multiple")
        if p.multiple:
            assert n_correct == sum(item.correct) >= 2 and len(p.choices) - n_correct >= 1
            assert len(p.choices) <= max(7, n_correct + 1)
            assert p.stem.endswith(cat.label(lang, "select_all"))
        else:
            assert n_correct == 1 and 4 <= len(p.choices) <= 5
        assert all(c.text.strip() and c.feedback.strip() for c in p.choices)
        assert p.title == cat.title(lang, item.topic) and p.hint == cat.hint_for(item, lang)
        assert p.solution[0].text.startswith(cat.label(lang, "answers" if p.multiple else "answer"))
        assert p.solution[1].text == item.wording(lang).explanation
    # every item of this difficulty comes up in 200 draws
    assert seen == {it.id for it in cat.items if it.difficulty == difficulty}


def option_indices(problem, item) -> list[int]:
    texts = [t for t, _ in item.wording(problem.lang).options]
    return [texts.index(c.text) for c in problem.choices]


def test_same_seed_gives_the_same_question_in_both_languages():
    cat = catalogue()
    for difficulty in (1, 2, 3):
        for seed in range(100):
            en = generate("concepts", seed=seed, difficulty=difficulty, lang="en")
            it = generate("concepts", seed=seed, difficulty=difficulty, lang="it")
            assert en.tags == it.tags
            item = cat.item(en.tags[1].removeprefix("item:"))
            assert option_indices(en, item) == option_indices(it, item)
            assert [c.correct for c in en.choices] == [c.correct for c in it.choices]
            assert en.id == it.id


def chi_square(observed: list[int], expected: list[float]) -> float:
    return sum((o - e) ** 2 / e for o, e in zip(observed, expected, strict=True) if e > 0)


def test_correct_position_is_uniform_for_one_item():
    counts = [0] * 5
    for seed in range(2000):
        p = generate("concepts", seed=seed, params={"items": "relu-alexnet"}, verify=False)
        counts[[c.correct for c in p.choices].index(True)] += 1
    # 4 degrees of freedom: 18.47 is the 0.1% critical value
    assert chi_square(counts, [400.0] * 5) < 18.47, counts


def test_correct_position_is_uniform_over_all_single_items():
    observed = [0] * 5
    expected = [0.0] * 5
    for difficulty in (1, 2, 3):
        for seed in range(1000):
            p = generate("concepts", seed=seed, difficulty=difficulty, params={"kind": "single"}, verify=False)
            n = len(p.choices)
            observed[[c.correct for c in p.choices].index(True)] += 1
            for k in range(n):
                expected[k] += 1 / n
    assert chi_square(observed, expected) < 18.47, (observed, expected)
    # the correct option is first and last about equally often: distractors are not all on one side
    assert min(observed[0], observed[4]) > 0.8 * max(observed[0], observed[4])


# ---------------------------------------------------------------- overrides


def items_of(params: dict, difficulty: int = 1, n: int = 60) -> set[str]:
    return {generate("concepts", seed=s, difficulty=difficulty, params=params).tags[1].removeprefix("item:")
            for s in range(n)}


def test_topic_override_one_or_a_list():
    cat = catalogue()
    assert {cat.item(i).topic for i in items_of({"topic": "lrn"})} == {"lrn"}
    topics = {cat.item(i).topic for i in items_of({"topic": ["relu", "dropout"]}, difficulty=2)}
    assert topics <= {"relu", "dropout"} and topics


def test_items_override_ignores_difficulty():
    assert items_of({"items": ["lenet5-c3-table", "relu-derivative"]}, difficulty=2) == {
        "lenet5-c3-table", "relu-derivative"}


def test_kind_override():
    cat = catalogue()
    assert {cat.item(i).kind for i in items_of({"kind": "multiple"}, difficulty=2)} == {"multiple"}
    assert {cat.item(i).kind for i in items_of({"kind": "single"}, difficulty=3)} == {"single"}


def test_missing_difficulty_falls_back_to_the_nearest():
    # relu has a single multiple-answer item, of difficulty 3
    assert [it.id for it in candidates({"topic": "relu", "kind": "multiple"}, 1)] == ["relu-statements"]
    assert items_of({"topic": "relu", "kind": "multiple"}, difficulty=1, n=10) == {"relu-statements"}
    # gpu-memory's multiple-answer items are of difficulty 1 and 3: a tie goes to the lower one
    assert [it.id for it in candidates({"topic": "gpu-memory", "kind": "multiple"}, 2)] == ["gpu-remedies"]


def test_options_override_limits_the_options_shown():
    p = generate("concepts", seed=1, params={"items": "relu-alexnet", "options": 3})
    assert len(p.choices) == 3 and sum(c.correct for c in p.choices) == 1
    p = generate("concepts", seed=1, params={"items": "gpu-remedies", "options": 3})
    assert sum(c.correct for c in p.choices) == 5 and len(p.choices) == 6  # every remedy, one wrong option


@pytest.mark.parametrize(
    ("params", "message", "fix"),
    [
        ({"topic": "rellu"}, "'topic' of concepts cannot be 'rellu'", "did you mean 'relu'?"),
        ({"topic": ["relu", "one-by-on"]}, "cannot be 'one-by-on'", "did you mean 'one-by-one'?"),
        ({"items": ["relu-derivativ"]}, "'items' of concepts cannot be 'relu-derivativ'",
         "did you mean 'relu-derivative'?"),
        ({"kind": "singel"}, "'kind' of concepts cannot be 'singel'", "did you mean 'single'?"),
        ({"options": 12}, "'options' of concepts cannot be 12", "from 3 to 8"),
        ({"topic": "lrn", "kind": "multiple"}, "no concept item matches", "widen"),
    ],
)
def test_bad_overrides_raise_quizgen_error(params, message, fix):
    for call in (lambda: generate("concepts", seed=0, params=params), lambda: FAMILY.validate(params, 1)):
        with pytest.raises(QuizgenError) as info:
            call()
        assert message in info.value.message and fix in (info.value.fix or "")


# ---------------------------------------------------------------- registry and space


def test_registered_family():
    fam = family("concepts")
    assert fam is FAMILY and fam.difficulties == (1, 2, 3)
    assert set(fam.summary) == set(LANGS) and all(fam.summary.values())
    assert {"topic", "items", "kind", "options"} <= set(fam.parameters)


def test_space_counts_items_times_orderings():
    # one single-answer item with 5 options shown 3 at a time: C(4, 2) wrong subsets x 3! orders
    params = {"items": "relu-alexnet", "options": 3}
    assert space(params, 1) == math.comb(4, 2) * math.factorial(3) == 36
    seen = {tuple(c.text for c in generate("concepts", seed=s, params=params, verify=False).choices)
            for s in range(800)}
    assert len(seen) == 36
    cat = catalogue()
    for d in (1, 2, 3):
        assert space({}, d) >= len([it for it in cat.items if it.difficulty == d]) * math.factorial(5)
    assert space({"topic": "relu"}, 1) < space({}, 1)
