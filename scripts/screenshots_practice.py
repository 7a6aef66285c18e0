"""The README's practice screenshots, taken with the system's Chromium (headless, no network).

Builds the bundled bank's page, plays a short session as a student (a right answer, a known mistake, a
hint, an exercise peeked at) and saves docs/images/practice.png (1000 px wide) and
docs/images/practice-phone.png (390 px at device scale 2).

    .venv/bin/python scripts/screenshots_practice.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from quizgen.bank.draw import practice_variants, select_entries
from quizgen.bank.load import load_bank
from quizgen.render.html import practice_page

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]


def play(tab, variants) -> None:  # noqa: ANN001
    """Three exercises in: one peeked at, one right, one with a known mistake and a hint open."""
    ids = [v[0].id for v in variants]
    tab.click(f"#map button[data-variant='{ids[1]}']")
    tab.click("#show-solution")
    tab.click(f"#map button[data-variant='{ids[2]}']")
    for i, part in enumerate(variants[2][0].parts):
        tab.fill(f"#answer-{i}", str(part.answer))
        tab.press(f"#answer-{i}", "Enter")
    tab.click(f"#map button[data-variant='{ids[0]}']")
    first = variants[0][0]
    tab.fill("#answer-0", str(first.parts[0].answer))
    tab.press("#answer-0", "Enter")
    mistake = next(p for p in first.parts[1:] if p.distractors)
    i = first.parts.index(mistake)
    tab.fill(f"#answer-{i}", str(mistake.distractors[0].value))
    tab.press(f"#answer-{i}", "Enter")
    tab.click(f"#hint-{i}")
    tab.evaluate("window.scrollTo(0, 0)")


def main() -> None:
    bank = load_bank("practice")
    variants = practice_variants(bank, select_entries(bank), 20, bank.seed, ("en", "it"))
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "practice.html"
        page.write_text(practice_page(variants, ("en", "it"), title=bank.title, lang=bank.lang), encoding="utf-8")
        with sync_playwright() as p:
            for name, viewport, scale in (("practice.png", {"width": 1000, "height": 1400}, 1),
                                          ("practice-phone.png", {"width": 390, "height": 844}, 2)):
                context = p.chromium.launch_persistent_context(
                    tempfile.mkdtemp(dir=folder), executable_path="/usr/bin/chromium", headless=True, args=ARGS,
                    viewport=viewport, device_scale_factor=scale)
                tab = context.new_page()
                tab.goto(page.as_uri())
                tab.wait_for_selector("#card h2")
                play(tab, variants)
                if scale == 2:  # on the phone: the stepper, the map and the exercise
                    tab.evaluate("document.getElementById('stepper').scrollIntoView()")
                tab.wait_for_timeout(300)
                tab.screenshot(path=str(ROOT / "docs" / "images" / name))  # what the window shows
                context.close()
                print(ROOT / "docs" / "images" / name)


if __name__ == "__main__":
    main()
