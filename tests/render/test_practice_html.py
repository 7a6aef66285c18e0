"""The offline practice page, built from real variants and clicked through in a real headless Chromium."""

from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizgen.bank.load import load_bank
from quizgen.problems.model import Choice, Problem, Step
from quizgen.render.html import practice_page
from quizgen.render.practice import parse_number, practice_variants, select_entries
from tests.conftest import require_module, require_tool

BANK = """\
title: Practice page test
seed: 11
entries:
  - {family: input-conv, difficulty: 1, count: 2}
  - {family: conv-fc, difficulty: 2}
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
    variants = practice_variants(bank, select_entries(bank), 5, bank.seed, ("en", "it"))
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
            assert part["answer"] == float(p.answer)
            assert part["distractors"] == [float(d.value) for d in p.distractors]
            assert len(item["text"]["it"]["parts"][en.parts.index(p)]["distractors"]) == len(p.distractors)
        if en.network is not None:
            svg = data["diagrams"][item["text"]["en"]["diagrams"][0]["svg"]]
            assert svg.startswith("<svg") and "<title>" not in svg
            assert item["text"]["en"]["diagrams"][0]["label"].startswith("Network diagram")
            assert item["text"]["it"]["diagrams"][0]["label"].startswith("Schema della rete")
    assert set(data["strings"]["en"]) == set(data["strings"]["it"])


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
    first = out.read_bytes()
    assert b'<html lang="it">' in first
    assert embedded(first.decode())["langs"] == ["it"]
    again = runner.invoke(cli, args)
    assert again.exit_code != 0 and "already exists" in str(again.exception)
    assert runner.invoke(cli, [*args, "--force"]).exit_code == 0
    assert out.read_bytes() == first
    other = runner.invoke(cli, [*args, "--force", "--seed", "99"])
    assert other.exit_code == 0 and out.read_bytes() != first


# --- the page in a real browser ------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser_context(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    require_tool("chromium")
    require_module("playwright")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path="/usr/bin/chromium",
            headless=True, args=CHROMIUM_ARGS, viewport={"width": 1000, "height": 900})
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


def answer(tab, index: int, text: str) -> str:  # noqa: ANN001
    tab.fill(f"#answer-{index}", text)
    tab.press(f"#answer-{index}", "Enter")
    return tab.inner_text(f"#feedback-{index}")


def test_correct_misconception_random_and_garbage(page, built: tuple[Path, list]) -> None:  # noqa: ANN001
    en, _ = shown(page, built[1])
    part = next(p for p in en.parts if p.distractors)
    i = en.parts.index(part)
    assert "Correct!" in answer(page, i, str(part.answer))
    assert page.get_attribute(f"#feedback-{i}", "class") == "feedback correct"
    mistake = part.distractors[0]
    from quizgen.problems.misconceptions import CATALOGUE

    text = answer(page, i, str(mistake.value))
    assert "a known mistake" in text and CATALOGUE[mistake.misconception].title("en") in text
    plain = re.sub(r"\$[^$]*\$", "", mistake.feedback).split(".")[0].strip()[:25]
    assert plain in text  # the misconception's own feedback, typeset
    wrong = answer(page, i, str(part.answer * 7 + 13))
    assert wrong.startswith("Not quite.") and "Hint:" in wrong
    assert "is not a number" in answer(page, i, "twelve")
    assert page.inner_text("#score-value") == "1 of 1 right"  # only the first real answer counts


def test_separators_and_thousands(page, built: tuple[Path, list]) -> None:  # noqa: ANN001
    en, _ = shown(page, built[1])
    big = next(p for p in en.parts if p.answer >= 1000 and p.decimals == 0)
    i = en.parts.index(big)
    spaced = f"{int(big.answer):,}"
    for typed in (spaced, spaced.replace(",", "."), spaced.replace(",", " ")):
        assert "Correct!" in answer(page, i, typed), typed


def test_language_switch_rerenders_everything(page, built: tuple[Path, list]) -> None:  # noqa: ANN001
    en, it = shown(page, built[1])
    answer(page, 0, str(en.parts[0].answer))
    page.click("#lang-switch button[data-lang='it']")
    assert page.get_attribute("html", "lang") == "it"
    assert page.get_attribute("#lang-switch button[data-lang='it']", "aria-pressed") == "true"
    assert en.title != it.title
    assert page.inner_text("#exercise-title").startswith(re.sub(r"\$[^$]*\$", "", it.title).split()[0])
    assert page.inner_text("#new-variant") == "Nuovo esercizio"
    assert page.inner_text("#label-family") == "Argomento"
    assert "Corretto!" in page.inner_text("#feedback-0")  # the verdict is kept and translated
    assert page.inner_text("#score-value") == "1 su 1 corrette"
    page.reload()
    page.wait_for_selector("#card h2")
    assert page.get_attribute("html", "lang") == "it"  # remembered in local storage
    assert page.inner_text("#score-value") == "1 su 1 corrette"


def test_new_variant_filters_and_solution(page, built: tuple[Path, list]) -> None:  # noqa: ANN001
    first = page.get_attribute("#card", "data-variant")
    page.click("#new-variant")
    assert page.get_attribute("#card", "data-variant") != first
    page.select_option("#filter-family", "conv-fc")
    assert page.get_attribute("#card", "data-family") == "conv-fc"
    page.click("#new-variant")
    assert page.get_attribute("#card", "data-family") == "conv-fc"
    assert page.is_hidden("#solution")
    page.click("#show-solution")
    assert page.is_visible("#solution")
    assert page.get_attribute("#show-solution", "aria-expanded") == "true"
    assert page.locator("#solution .katex").count() > 0  # the formulas are typeset
    page.select_option("#filter-difficulty", "1")
    assert "No exercise matches" in page.inner_text("#card")


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


def test_keyboard_only(page, built: tuple[Path, list]) -> None:  # noqa: ANN001
    en, _ = shown(page, built[1])
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "answer-0":
            break
    assert page.evaluate("document.activeElement.id") == "answer-0"
    page.keyboard.type(str(en.parts[0].answer))
    page.keyboard.press("Enter")
    assert "Correct!" in page.inner_text("#feedback-0")
    assert page.get_attribute("#feedback-0", "aria-live") == "polite"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus stays visible


def test_phone_width(page, tmp_path: Path) -> None:  # noqa: ANN001
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(100)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = page.locator("#answer-0").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.locator("#check-0, form.part button").first.bounding_box()["height"] >= 44
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
