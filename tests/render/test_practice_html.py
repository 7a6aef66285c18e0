"""The offline practice page, built from real variants and clicked through in a real headless Chromium."""

from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizgen.bank.draw import practice_variants, select_entries
from quizgen.bank.load import load_bank
from quizgen.problems import precision
from quizgen.problems.model import Choice, Problem, Step
from quizgen.render.html import practice_page
from quizgen.render.practice import parse_number
from tests.conftest import require_module, require_tool

BANK = """\
title: Practice page test
seed: 11
entries:
  - {family: input-conv, difficulty: 1, count: 2}
  - {family: conv-fc, difficulty: 2}
  - {family: memory, difficulty: 1}
  - {family: alexnet, difficulty: 1}
"""
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]
NAMESPACES = re.compile(r"http://www\.w3\.org/(2000/svg|1998/Math/MathML|1999/xhtml|1999/xlink)")


def concept(lang: str) -> Problem:
    """A multiple-choice question (the concepts family's shape), built by hand for the click-through."""
    en = lang == "en"
    return Problem(
        id="concepts.d1.s5", family="concepts", difficulty=1, lang=lang, seed=5,
        title="Pooling" if en else "Pooling",
        stem="How many parameters does a $2 \\times 2$ max-pooling layer have?" if en else
        "Quanti parametri ha un layer di max pooling $2 \\times 2$?",
        choices=(Choice("4 per map" if en else "4 per mappa", False,
                        "Pooling has no weights: it takes a maximum." if en else
                        "Il pooling non ha pesi: prende un massimo.", "pooling-weights"),
                 Choice("None" if en else "Nessuno", True, "Right: a maximum needs no parameters." if en else
                        "Giusto: un massimo non ha parametri.")),
        solution=(Step("Max pooling only selects the largest value." if en else
                       "Il max pooling seleziona solo il valore più grande."),),
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[Problem, ...]]]:
    folder = tmp_path_factory.mktemp("practice")
    bank_path = folder / "bank.yaml"
    bank_path.write_text(BANK, encoding="utf-8")
    bank = load_bank(bank_path)
    variants = practice_variants(bank, select_entries(bank), 6, bank.seed, ("en", "it"))
    variants.append((concept("en"), concept("it")))
    page = folder / "practice.html"
    page.write_text(practice_page(variants, ("en", "it"), title=bank.title), encoding="utf-8")
    return page, variants


def embedded(html: str) -> dict:
    blob = re.search(r'<script type="application/json" id="quizgen-data">(.*?)</script>', html, re.S).group(1)
    return json.loads(blob)


# --- the file itself (no browser) ---------------------------------------------------------------

def test_self_contained_no_urls(built: tuple[Path, list]) -> None:
    html = built[0].read_text(encoding="utf-8")
    assert not re.findall(r"https?://", NAMESPACES.sub("", html)), "the page references a URL"
    markup = re.sub(r"<script>.*?</script>", "", html, flags=re.S)  # KaTeX's code mentions <img src=
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", markup)
    assert "url(fonts/" not in html and "data:font/woff2;base64," in html
    assert html.count("@font-face") == 20


def test_embeds_verified_numbers_in_both_languages(built: tuple[Path, list]) -> None:
    html = built[0].read_text(encoding="utf-8")
    data = embedded(html)
    variants = built[1]
    assert [v["id"] for v in data["variants"]] == [v[0].id for v in variants]
    for item, (en, _) in zip(data["variants"], variants, strict=True):
        assert set(item["text"]) == {"en", "it"}
        assert item["text"]["it"]["title"] != "" and item["text"]["en"]["stem"] != item["text"]["it"]["stem"]
        for part, p in zip(item["parts"], en.parts, strict=True):
            # the key as stated (at the part's decimals) and the misconceptions' values as printed
            assert part["answer"] == float(precision.key(p.answer, p.decimals))
            assert part["distractors"] == [float(precision.key(d.value, p.decimals)) for d in p.distractors]
            assert len(item["text"]["it"]["parts"][en.parts.index(p)]["distractors"]) == len(p.distractors)
        if en.network is not None:
            svg = data["diagrams"][item["text"]["en"]["diagrams"][0]["svg"]]
            assert svg.startswith("<svg") and "<title>" not in svg
            assert item["text"]["en"]["diagrams"][0]["label"].startswith("Network diagram")
            assert item["text"]["it"]["diagrams"][0]["label"].startswith("Schema della rete")
    assert set(data["strings"]["en"]) == set(data["strings"]["it"])
    assert data["families"]["it"]["conv-fc"]["name"] == "Parametri: CONV → FC"
    weights = data["variants"][0]["text"]["en"]["parts"][0]["hints"]
    assert weights[0].startswith("use ") and "f^2 \\times C \\times N_c" in weights[0]
    assert weights[1].startswith("put the values in: ")


def test_topic_names_for_every_family() -> None:
    from quizgen.problems import family_ids
    from quizgen.render.practice import ui_strings

    for lang in ("en", "it"):
        assert set(ui_strings(lang)["topics"]) == set(family_ids())


def test_opens_in_the_banks_language_and_a_new_page_has_its_own_store(built: tuple[Path, list]) -> None:
    page, variants = built
    italian = practice_page(variants, ("en", "it"), title="Esercitazione", lang="it")
    assert '<html lang="it">' in italian and "<title>Esercitazione</title>" in italian
    assert embedded(italian)["lang"] == "it" and embedded(italian)["title_lang"] == "it"
    english_only = practice_page(variants, ("en",), title="Esercitazione", lang="it")
    assert '<html lang="en">' in english_only and "<title>CNN practice</title>" in english_only
    store_key = re.compile(r'data-page="([0-9a-f]{12})"')
    fewer = practice_page(variants[:-1], ("en", "it"), title="Practice page test")
    assert store_key.search(fewer).group(1) != store_key.search(page.read_text(encoding="utf-8")).group(1)


def test_deterministic(built: tuple[Path, list]) -> None:
    page, variants = built
    assert practice_page(variants, ("en", "it"), title="Practice page test") == page.read_text(encoding="utf-8")


def test_command_writes_refuses_overwrite_and_repeats(tmp_path: Path) -> None:
    from quizgen.commands.cli import cli

    bank = tmp_path / "bank.yaml"
    bank.write_text(BANK, encoding="utf-8")
    out = tmp_path / "p.html"
    runner = CliRunner()
    args = ["practice-html", str(bank), "-n", "4", "-o", str(out), "--lang", "it"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert re.search(r"p\.html: 4 exercises, 4/4 distinct, ", result.output)
    first = out.read_bytes()
    assert b'<html lang="it">' in first
    assert embedded(first.decode())["langs"] == ["it"]
    again = runner.invoke(cli, args)
    assert again.exit_code != 0 and "already exists" in str(again.exception)
    assert runner.invoke(cli, [*args, "--force"]).exit_code == 0
    assert out.read_bytes() == first
    other = runner.invoke(cli, [*args, "--force", "--seed", "99"])
    assert other.exit_code == 0 and out.read_bytes() != first


# --- the page in a real browser, played as a student would -------------------------------------------

@pytest.fixture(scope="module")
def browser_context(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    require_tool("chromium")
    require_module("playwright")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path="/usr/bin/chromium",
            headless=True, args=CHROMIUM_ARGS, viewport={"width": 1000, "height": 900}, accept_downloads=True)
        yield context
        context.close()


@pytest.fixture
def page(browser_context, built: tuple[Path, list]):  # noqa: ANN001, ANN201
    """A fresh tab on the page, with empty storage; fails the test if the page asks the network."""
    requests: list[str] = []
    errors: list[str] = []
    tab = browser_context.new_page()
    tab.on("request", lambda r: requests.append(r.url))
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.on("dialog", lambda d: d.accept())
    url = built[0].as_uri()
    tab.goto(url)
    tab.evaluate("localStorage.clear()")
    tab.reload()
    tab.wait_for_selector("#card h2")
    yield tab
    assert errors == []
    assert all(r == url or r.startswith("data:") for r in requests), requests
    tab.close()


def shown(tab, variants: list[tuple[Problem, ...]]) -> tuple[Problem, Problem]:  # noqa: ANN001
    vid = tab.get_attribute("#card", "data-variant")
    return next(v for v in variants if v[0].id == vid)


def open_variant(tab, variants: list[tuple[Problem, ...]], family: str) -> tuple[Problem, Problem]:  # noqa: ANN001
    """Jump with the map to the first exercise of a family."""
    target = next(v for v in variants if v[0].family == family)
    tab.click(f"#map button[data-variant='{target[0].id}']")
    assert tab.get_attribute("#card", "data-variant") == target[0].id
    return target


def answer(tab, index: int, text: str) -> str:  # noqa: ANN001
    tab.fill(f"#answer-{index}", text)
    tab.press(f"#answer-{index}", "Enter")
    return tab.inner_text(f"#feedback-{index}")


def marks(tab) -> list[str]:  # noqa: ANN001
    return tab.eval_on_selector_all("#map button", "bs => bs.map(b => b.dataset.status)")


def test_step_with_next_previous_and_the_map(page, built: tuple[Path, list]) -> None:  # noqa: ANN001
    variants = built[1]
    order = [v[0].id for v in variants]
    assert page.get_attribute("#card", "data-variant") == order[0]
    assert page.inner_text("#position") == f"exercise 1 of {len(order)}"
    assert page.is_disabled("#previous")
    page.click("#next")
    page.click("#next")
    assert page.get_attribute("#card", "data-variant") == order[2]
    page.click("#previous")
    assert page.get_attribute("#card", "data-variant") == order[1]
    assert page.inner_text("#position") == f"exercise 2 of {len(order)}"
    page.click(f"#map button[data-variant='{order[-1]}']")  # any exercise in one click
    assert page.get_attribute("#card", "data-variant") == order[-1] and page.is_disabled("#next")
    assert page.get_attribute(f"#map button[data-variant='{order[-1]}']", "aria-current") == "true"
    assert page.get_attribute("#map button >> nth=0", "aria-label") == "Exercise 1: not tried"
    assert marks(page) == ["untried"] * len(order)


def test_right_wrong_rounded_and_after_peeking(page, built: tuple[Path, list]) -> None:  # noqa: ANN001
    from quizgen.problems.misconceptions import CATALOGUE

    variants = built[1]
    en, _ = open_variant(page, variants, "input-conv")
    assert "Correct!" in answer(page, 0, str(en.parts[0].answer))  # right
    mistake = next(d for d in en.parts[2].distractors if d.misconception in CATALOGUE)
    text = answer(page, 2, str(mistake.value))  # a known mistake, named and explained
    assert "a known mistake" in text and CATALOGUE[mistake.misconception].title("en") in text
    assert "is not a number" in answer(page, 1, "twelve")  # not counted
    assert "Not quite." in answer(page, 1, str(en.parts[1].answer + 1))  # wrong
    assert "Correct!" in answer(page, 1, str(en.parts[1].answer))  # the retry does not count
    assert page.inner_text("#score-value") == "1 of 3 right"
    assert page.get_attribute(f"#map button[data-variant='{en.id}']", "data-status") == "partial"

    memory, _ = open_variant(page, variants, "memory")
    rounded = memory.parts[0]
    assert rounded.decimals == 2 and Fraction(rounded.answer).denominator > 100
    typed = f"{float(rounded.answer):.2f}"  # rounded to the stated decimals
    assert "Correct!" in answer(page, 0, typed)
    assert "Not quite" in answer(page, 0, f"{float(rounded.answer):.1f}")  # rounded further: outside the window
    assert page.is_visible("text=Opening it counts the parts you have not answered yet as not right.")
    page.click("#show-solution")  # peek: the second part, unanswered, now counts as not right
    assert page.inner_text("#score-value") == "2 of 5 right"
    after = answer(page, 1, f"{float(memory.parts[1].answer):.2f}")
    assert "Correct, but after opening the worked solution: it counts as not right." in after
    assert page.inner_text("#score-value") == "2 of 5 right"
    assert page.get_attribute(f"#map button[data-variant='{memory.id}']", "data-status") == "partial"

    alexnet, _ = open_variant(page, variants, "alexnet")
    page.click("#show-solution")  # peeking before any answer: the whole exercise is wrong
    assert page.get_attribute(f"#map button[data-variant='{alexnet.id}']", "data-status") == "wrong"
    row = page.inner_text("#by-topic tr[data-family='memory']")
    assert "Memory" in row and "1 of 2" in row  # the per-topic breakdown is on the page, not in a tooltip
    assert "Only your first answer to each part counts." in page.inner_text("#rule")


def test_hints_before_answering_then_the_solution_step_by_step(page, built: tuple[Path, list]) -> None:  # noqa: ANN001
    en, _ = shown(page, built[1])
    assert page.inner_text("#hint-0") == "Hint"
    page.click("#hint-0")
    assert page.inner_text("#hints-0").startswith("Hint: use")  # the formula first
    # the formula, then each of its letters with what it stands for (the worked solution is not shown yet)
    assert page.locator("#hints-0 .katex").count() > 1 and ", where " in page.inner_text("#hints-0")
    page.click("#hint-0")
    assert "put the values in:" in page.inner_text("#hints-0 li >> nth=1")  # then the substitution
    assert page.is_disabled("#hint-0") and page.locator("#hints-1 li").count() == 0  # hints are per part
    assert page.inner_text("#score-value") == "no answers yet"  # hints cost nothing
    steps = len(en.solution)
    assert page.is_hidden("#solution")
    page.click("#show-solution")
    assert page.locator("#solution .steps li").count() == 1 and page.locator("#solution .answers").count() == 0
    assert page.inner_text("#show-solution") == f"Next step (2 of {steps})"
    for _ in range(steps - 1):
        page.click("#show-solution")
    assert page.locator("#solution .steps li").count() == steps
    assert page.locator("#solution .answers li").count() == len(en.parts)
    assert page.locator("#solution .katex").count() > 0
    assert page.inner_text("#show-solution") == "Hide the worked solution"
    page.click("#show-solution")
    assert page.is_hidden("#solution") and page.get_attribute("#show-solution", "aria-expanded") == "false"


def test_reload_finds_everything_in_place(page, built: tuple[Path, list]) -> None:  # noqa: ANN001
    variants = built[1]
    en, _ = open_variant(page, variants, "conv-fc")
    answer(page, 0, str(en.parts[0].answer))
    answer(page, 1, "12 345")
    page.click("#hint-2")
    page.click("#show-solution")
    page.select_option("#filter-difficulty", "2")
    before = {sel: page.inner_text(sel) for sel in ("#feedback-0", "#feedback-1", "#hints-2", "#score-value",
                                                    "#solution", "#by-topic", "#position")}
    statuses = marks(page)
    page.reload()
    page.wait_for_selector("#card h2")
    assert page.get_attribute("#card", "data-variant") == en.id
    assert page.input_value("#answer-0") == str(en.parts[0].answer) and page.input_value("#answer-1") == "12 345"
    assert {sel: page.inner_text(sel) for sel in before} == before
    assert marks(page) == statuses and page.input_value("#filter-difficulty") == "2"


def test_next_unanswered_and_retry_the_wrong_ones(page, built: tuple[Path, list]) -> None:  # noqa: ANN001
    variants = built[1]
    first = variants[0][0]
    for i, part in enumerate(first.parts):
        answer(page, i, str(part.answer + 1))  # all wrong
    second = variants[1][0]
    page.click(f"#map button[data-variant='{second.id}']")
    for i, part in enumerate(second.parts):
        answer(page, i, str(part.answer))  # all right
    page.click(f"#map button[data-variant='{first.id}']")
    page.click("#next-unanswered")
    assert page.get_attribute("#card", "data-variant") == variants[2][0].id  # skips the answered second
    assert marks(page)[:3] == ["wrong", "right", "untried"]
    assert page.inner_text("#retry") == "Retry the ones I got wrong (1)"
    page.click("#retry")
    assert page.locator("#map button").count() == 1 and page.get_attribute("#card", "data-variant") == first.id
    assert page.input_value("#answer-0") == "" and page.inner_text("#feedback-0") == ""  # a clean slate
    assert "first-try score does not change" in page.inner_text("#retry-info")
    assert "Correct!" in answer(page, 0, str(first.parts[0].answer))
    assert page.inner_text("#score-value") == f"{len(second.parts)} of {len(first.parts) + len(second.parts)} right"
    page.click("#retry")  # back to every exercise
    assert page.locator("#map button").count() == len(variants)


def test_reset_export_and_import(page, built: tuple[Path, list], tmp_path: Path) -> None:  # noqa: ANN001
    en, _ = shown(page, built[1])
    answer(page, 0, str(en.parts[0].answer))
    with page.expect_download() as download:
        page.click("#export")
    saved = tmp_path / "progress.json"
    download.value.save_as(saved)
    exported = json.loads(saved.read_text(encoding="utf-8"))
    assert exported["quizgen"] == "practice-progress" and en.id in exported["progress"]
    assert saved.stat().st_size < 2_000  # a small file
    page.click("#reset")  # the confirmation is accepted by the fixture
    assert page.inner_text("#score-value") == "no answers yet" and page.input_value("#answer-0") == ""
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    page.set_input_files("#import-file", str(bad))
    page.wait_for_function("document.getElementById('progress-message').textContent !== ''")
    assert "not a quizgen progress file" in page.inner_text("#progress-message")
    page.set_input_files("#import-file", str(saved))
    page.wait_for_function("document.getElementById('progress-message').textContent.indexOf('imported') >= 0")
    assert page.inner_text("#score-value") == "1 of 1 right"
    assert "Correct!" in page.inner_text("#feedback-0") and page.input_value("#answer-0") == str(en.parts[0].answer)


def test_language_switch_rerenders_everything(page, built: tuple[Path, list]) -> None:  # noqa: ANN001
    en, it = shown(page, built[1])
    assert page.inner_text("#page-title") == "Practice page test"  # the bank's title, in the bank's language
    answer(page, 0, str(en.parts[0].answer))
    page.click("#hint-1")
    page.click("#lang-switch button[data-lang='it']")
    assert page.get_attribute("html", "lang") == "it"
    assert page.get_attribute("#lang-switch button[data-lang='it']", "aria-pressed") == "true"
    assert page.inner_text("#page-title") == "Esercitazione sulle CNN" == page.title()  # the title follows
    assert page.inner_text("#exercise-title").startswith(re.sub(r"\$[^$]*\$", "", it.title).split()[0])
    assert page.inner_text("#label-family") == "Argomento" and page.inner_text("#next") == "Successivo →"
    assert "Corretto!" in page.inner_text("#feedback-0")  # the verdict is kept and translated
    assert page.inner_text("#hints-1").startswith("Suggerimento: usa")
    assert page.inner_text("#score-value") == "1 su 1 corrette"
    assert page.inner_text("#filter-family option[value='conv-fc']") == "Parametri: CONV → FC"
    assert "Conta solo la prima risposta" in page.inner_text("#rule")
    page.reload()
    page.wait_for_selector("#card h2")
    assert page.get_attribute("html", "lang") == "it"  # remembered in local storage
    assert page.inner_text("#score-value") == "1 su 1 corrette"


def test_filters_show_topic_names_and_only_their_difficulties(page, built: tuple[Path, list]) -> None:  # noqa: ANN001
    options = page.eval_on_selector_all("#filter-family option", "os => os.map(o => o.textContent)")
    assert options == ["All", "Parameters: input → CONV", "Parameters: CONV → FC", "Memory", "AlexNet",
                       "Concepts (multiple choice)"]
    page.select_option("#filter-family", "conv-fc")
    assert page.get_attribute("#card", "data-family") == "conv-fc"
    levels = page.eval_on_selector_all("#filter-difficulty option", "os => os.map(o => o.value)")
    assert levels == ["", "2"]  # conv-fc has level 2 only on this page: no filter that matches nothing
    page.select_option("#filter-difficulty", "2")
    page.select_option("#filter-family", "memory")  # level 2 is gone: the filter falls back to all
    assert page.input_value("#filter-difficulty") == ""
    assert page.get_attribute("#card", "data-family") == "memory"
    assert page.inner_text("#card .badge >> nth=0") == "Memory"


def test_concept_question_click_through(page, built: tuple[Path, list]) -> None:  # noqa: ANN001
    page.select_option("#filter-family", "concepts")
    page.click("button.choice-submit")
    assert "Pick an option first" in page.inner_text("#feedback-choice")
    page.click("label[data-choice='0']")
    page.click("button.choice-submit")
    assert "Not quite" in page.inner_text("#feedback-choice")
    assert "Pooling has no weights" in page.inner_text("label[data-choice='0']")
    page.click("label[data-choice='1']")
    page.keyboard.press("Enter")
    assert "Correct!" in page.inner_text("#feedback-choice")
    assert page.inner_text("#score-value") == "0 of 1 right"
    assert marks(page) == ["wrong"]


def test_keyboard_only(page, built: tuple[Path, list]) -> None:  # noqa: ANN001
    en, _ = shown(page, built[1])
    focused = []
    for _ in range(60):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.id || document.activeElement.dataset.variant || ''"))
        if focused[-1] == "answer-0":
            break
    assert {"next", "next-unanswered", en.id} <= set(focused)  # the stepper and the map are on the way
    page.keyboard.type(str(en.parts[0].answer))
    page.keyboard.press("Enter")
    assert "Correct!" in page.inner_text("#feedback-0")
    assert page.get_attribute("#feedback-0", "aria-live") == "polite"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus stays visible
    page.focus("#next")
    page.keyboard.press("Enter")
    assert page.get_attribute("#card", "data-variant") == built[1][1][0].id


OVERFLOW = """() => {
  const width = document.documentElement.clientWidth, bad = [];
  for (const node of document.querySelectorAll('#card *, .controls *, .stepper *, .progress *')) {
    const box = node.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1 || node.closest('.katex-mathml')) continue;  // read aloud only
    const scroller = node.closest('.scrolls');
    const cue = scroller && scroller.nextElementSibling;
    if (!(cue && cue.classList.contains('scroll-cue') && cue.getBoundingClientRect().height > 0)) {
      bad.push(node.tagName + '.' + node.className);
    }
  }
  return bad;
}"""


def test_phone_width(page, built: tuple[Path, list], tmp_path: Path) -> None:  # noqa: ANN001
    page.set_viewport_size({"width": 390, "height": 844})
    variants = built[1]
    for en, _ in variants:
        page.click(f"#map button[data-variant='{en.id}']")
        page.click("#show-solution")
        for _ in range(len(en.solution)):
            if page.inner_text("#show-solution").startswith("Next step"):
                page.click("#show-solution")
        page.wait_for_timeout(150)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, en.id
        assert page.evaluate(OVERFLOW) == [], en.id  # what is wider than the phone scrolls, with a cue
    alexnet, _ = open_variant(page, variants, "alexnet")
    assert page.locator(".diagram.scrolls + .scroll-cue").count() >= 1  # the wide AlexNet diagram
    memory, _ = open_variant(page, variants, "memory")
    field, button = page.locator("#answer-0").bounding_box(), page.locator("#check-0").bounding_box()
    assert abs(field["y"] - button["y"]) < 10 and button["x"] > field["x"]  # the button beside the field
    assert button["x"] + button["width"] <= 390 and button["height"] >= 44
    shot = tmp_path / "phone.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000


def test_javascript_reads_numbers_like_python(page) -> None:  # noqa: ANN001
    cases = [("34944", True), ("34,944", True), ("34.944", True), ("34 944", True), ("1,234,567", True),
             ("1.234.567,5", False), ("1,234,567.5", False), ("0,25", False), ("0.25", False), (".5", False),
             ("2,5", True), ("1e6", True), ("-3", True), ("2.4 MB", False), ("12a", True), ("1,23,4", True),
             ("", True), ("--1", True), ("1.2.3", False), ("34,944", False),
             ("1e999", True), ("1e99999999", True), ("-1e999", False), ("0e999", True), ("1e-999", False),
             ("1e308", True), ("1e-1000", False)]
    for text, integer in cases:
        js = page.evaluate("([t, i]) => window.quizgenPractice.parseNumber(t, i, 'MB')", [text, integer])
        py = parse_number(text, integer, "MB")
        assert (js is None) == (py is None), text
        if py is not None:
            assert js == pytest.approx(float(py)), text
    assert parse_number("34,944", integer=False) == Fraction(34944, 1000)


def test_smaller_things_on_the_page() -> None:
    """The 1×1 designs drawn in the stem's order and labelled; a stem's lines kept; one 'select all'."""
    from quizgen.problems import generate
    from quizgen.render.html import Diagrams, rich_html, variant_data

    versions = [generate("one-by-one", seed=3, difficulty=2, lang=lang) for lang in ("en", "it")]
    data = variant_data(versions, Diagrams())
    assert [d["caption"] for d in data["text"]["en"]["diagrams"]] == ["D (direct)", "B (bottleneck)"]
    assert [d["caption"] for d in data["text"]["it"]["diagrams"]] == ["D (diretta)", "B (bottleneck)"]
    stem = generate("memory", seed=3, difficulty=2, lang="en").stem
    assert stem.count("\n") >= 6
    assert rich_html(stem).count("<br>") == stem.split("\n\n")[0].count("\n")  # each layer on its own line
    multiple = next(p for s in range(60) for p in [generate("concepts", seed=s, difficulty=2, lang="it")]
                    if p.multiple)
    it = variant_data([multiple], Diagrams())["text"]["it"]
    assert it["stem"].count("Seleziona tutte le opzioni corrette.") == 1 and it["legend"] == "Opzioni"


def test_command_says_how_many_exercises_differ(tmp_path: Path) -> None:
    from quizgen.commands.cli import cli
    from quizgen.problems.concepts import DEFAULT_SHOWN, catalogue

    item = next(it.id for it in catalogue().items if len(it.correct) <= DEFAULT_SHOWN[it.kind])  # all shown
    bank = tmp_path / "bank.yaml"
    entries = "".join(f"  - {{family: concepts, id: {k}, params: {{items: [{item}]}}}}\n" for k in "ab")
    bank.write_text("title: T\nseed: 3\nentries:\n" + entries, encoding="utf-8")
    result = CliRunner().invoke(cli, ["practice-html", str(bank), "-n", "2", "-o", str(tmp_path / "p.html")])
    assert result.exit_code == 0, result.output
    # the same question (its options only reshuffled) is held once, and the page says so
    assert f"{tmp_path / 'p.html'}: 1 exercise, 1/1 distinct (2 asked: the entries have no other exercises)" \
        in result.output
    bank.write_text("title: T\nseed: 3\nentries:\n" + entries + "  - {family: fc-fc}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["practice-html", str(bank), "-n", "6", "-o", str(tmp_path / "q.html")])
    assert result.exit_code == 0, result.output
    assert f"{tmp_path / 'q.html'}: 6 exercises, 6/6 distinct, " in result.output  # fc-fc fills the concepts' share



def _judge_cases(problems: list[Problem]) -> list[tuple[dict, float, str, int]]:
    """(the page's numbers of a part, a typed value, the Python verdict, the misconception's index) for the key,
    the exact answer, the roundings at fewer decimals and every misconception value, as printed."""
    from quizgen.render.html import _part_numbers
    from quizgen.render.practice import judge

    cases = []
    for problem in problems:
        for part in problem.parts:
            data = _part_numbers(part)
            typed = [precision.key(part.answer, part.decimals), Fraction(part.answer),
                     *precision.roundings(part.answer, part.decimals),
                     *(precision.key(d.value, part.decimals) for d in part.distractors)]
            for value in typed:
                verdict = judge(part, value)
                index = part.distractors.index(verdict.distractor) if verdict.distractor is not None else -1
                cases.append((data, float(value), verdict.kind, index))
    return cases


def _js_verdicts(tab, cases: list) -> list[tuple[str, int]]:  # noqa: ANN001
    out = tab.evaluate("cs => cs.map(([p, v]) => { const r = window.quizgenPractice.judge(p, v); "
                       "return [r.kind, r.index]; })", [[c[0], c[1]] for c in cases])
    return [tuple(v) for v in out]


def test_the_page_judges_as_the_terminal(page, built: tuple[Path, list]) -> None:  # noqa: ANN001
    cases = _judge_cases([v[0] for v in built[1]])
    assert {c[2] for c in cases} >= {"correct", "rounded", "misconception"}
    assert _js_verdicts(page, cases) == [(c[2], c[3]) for c in cases]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "it"])
def test_sweep_the_page_judges_every_family_as_the_terminal(page, lang: str) -> None:  # noqa: ANN001
    from quizgen.problems import FAMILY_MODULES, family, generate

    problems = [generate(fid, seed=seed, difficulty=d, lang=lang) for fid in FAMILY_MODULES
                for d in family(fid).difficulties for seed in range(50)]
    cases = _judge_cases(problems)
    assert _js_verdicts(page, cases) == [(c[2], c[3]) for c in cases]
