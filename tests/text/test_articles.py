"""No article that could disagree with the value after it: none directly before a placeholder (its value is not
known when the template is written: "gli {{ N }} filtri" reads "Gli 256 filtri"), and before a literal number or a
symbol only the article that agrees with how it is read ("gli 8", "i 16", "l'8%", "lo 0", "gli $N_c$", "a $C$",
"an $N$"). Feminine articles agree with the noun, not the number, and are always right ("le {{ n }} mappe")."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import yaml

from quizgen.text.templating import templates_dir
from tests.text.yaml_strings import strings_in

# Italian masculine articles and articulated prepositions by the sound they must come before:
# c = a consonant ("i 16", "il 5"), v = a vowel ("gli 8", "l'11"), z = z or s + consonant ("lo 0", "gli zeri")
IT_ARTICLES = {
    **dict.fromkeys(["il", "del", "al", "dal", "nel", "sul", "col"], {"c"}),
    **dict.fromkeys(["l'", "dell'", "all'", "dall'", "nell'", "sull'"], {"v"}),
    **dict.fromkeys(["lo", "dello", "allo", "dallo", "nello", "sullo"], {"z"}),
    **dict.fromkeys(["i", "dei", "ai", "dai", "nei", "sui", "coi"], {"c"}),
    **dict.fromkeys(["gli", "degli", "agli", "dagli", "negli", "sugli"], {"v", "z"}),
    "un": {"c", "v"}, "uno": {"z"},
}
EN_ARTICLES = {"a": {"c", "z"}, "an": {"v"}}
# how a symbol's letter is read: Italian "effe", "enne", "o" (vowel); English "ef", "en", "o"
IT_VOWEL_LETTERS = set("AEFHILMNORSUXYaefhilmnorsuxy")
EN_VOWEL_LETTERS = set("AEFHILMNORSXaefhilmnorsx")

_ARTICLE = r"(?<![\w'])({})\s*"
_VALUE = r"(\$?\{\{(?!\s*[\"'])|\$\\?[A-Za-z]|\$?\d[\d\\,\s.]*)"


def _sound(value: str, lang: str) -> str | None:
    """How a value starts when read aloud (c, v, z), or None when it cannot be known (a placeholder)."""
    if "{{" in value:
        return None  # a value, or words the template chooses ("{{ 'a' if x else 'b' }}" is not matched)
    if value.startswith("$") and not value[1].isdigit():
        letter = value.lstrip("$\\")[0]
        if value[1] == "\\":  # \#W, \lceil: not a letter read aloud
            return "skip"
        vowels = IT_VOWEL_LETTERS if lang == "it" else EN_VOWEL_LETTERS
        return "z" if lang == "it" and letter in "Zz" else ("v" if letter in vowels else "c")
    digits = re.sub(r"\D", "", value)
    if lang == "en":  # eight, eleven, eighteen, eighty, eight hundred
        return "v" if digits.startswith("8") or re.fullmatch(r"1[18](\d{3})*", digits) else "c"
    if digits == "0":
        return "z"  # zero
    if digits.startswith("8") or digits == "1" or re.fullmatch(r"11(\d{3})*", digits):  # otto, uno, undici(mila)
        return "v"
    return "c"


def _offences(where: str, text: str, lang: str) -> list[str]:
    articles = IT_ARTICLES if lang == "it" else EN_ARTICLES
    words = "|".join(re.escape(a) for a in sorted(articles, key=len, reverse=True))
    pattern = re.compile(_ARTICLE.format(words) + _VALUE, re.IGNORECASE)
    found = []
    for match in pattern.finditer(text):
        article, value = match.group(1).lower(), match.group(2)
        if re.fullmatch(r"(19|20)\d\d", value.strip()):
            continue  # a year: "nel 2012", "in the 1990s"
        sound = _sound(value, lang)
        if sound == "skip" or sound in articles[article]:
            continue
        context = text[max(0, match.start() - 30):match.end() + 30].replace("\n", " ")
        why = "a placeholder" if sound is None else f"'{value.strip()}'"
        found.append(f"{where}: '{match.group(0).strip()}' ({article} before {why}): …{context}…")
    return found


def _sources(lang: str) -> Iterator[tuple[str, str]]:
    root = templates_dir()
    for path in sorted(root.rglob(f"{lang}.*")):
        where = str(path.relative_to(root))
        source = re.sub(r"\{#.*?#\}", " ", path.read_text(encoding="utf-8"), flags=re.S)
        if path.suffix == ".yaml":
            source = "\n".join(strings_in(yaml.safe_load(source)))
        yield where, re.sub(r"\{%.*?%\}", " ", source, flags=re.S)



def test_the_check_finds_what_it_should() -> None:
    bad = "Gli {{ N|num }} filtri, i 84 valori, dai 8 GiB, ai $f^2 = 4$ input, il 8%, lo 5, un $C$"
    assert len(_offences("x", bad, "it")) == 6
    good = "gli 8 filtri, i 16 valori, l'8%, lo 0, nel 2012, gli $N_c$ filtri, le {{ n }} mappe, i $C$ canali"
    assert not _offences("x", good, "it")
    assert len(_offences("x", "a 8 bit value, an {{ f }} filter, a $N$, an 16", "en")) == 4
    assert not _offences("x", "an 8 bit value, a 16 bit value, an $N \\times N$ grid, a $C$", "en")


@pytest.mark.parametrize("lang", ["it", "en"])
def test_no_article_disagrees_with_the_value_after_it(lang: str) -> None:
    offences = [o for where, text in _sources(lang) for o in _offences(where, text, lang)]
    assert not offences, "\n".join(offences)
