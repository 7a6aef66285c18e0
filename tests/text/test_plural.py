"""Counted words agree with their number (CLDR plural rules), in Python and in every counted message."""

from __future__ import annotations

import re

import pytest
import yaml

from quizgen.text.plural import plural, plural_category
from quizgen.text.templating import render_string, templates_dir

COUNTS = (0, 1, 2, 11)


@pytest.mark.parametrize(("count", "it", "en"), [
    (0, "other", "other"), (1, "one", "one"), (2, "other", "other"), (11, "other", "other"),
    (1.5, "other", "other"), ("1", "one", "one"), ("1,0", "other", "other"), ("1.0", "other", "other"),
    ("0,1", "other", "other"), ("1,000", "other", "other"), ("1\u202f000", "other", "other"),
    (1_000_000, "many", "other"),
])
def test_categories_follow_cldr(count: object, it: str, en: str) -> None:
    assert plural_category(count, "it") == it  # type: ignore[arg-type]
    assert plural_category(count, "en") == en  # type: ignore[arg-type]


def test_many_reads_as_other_unless_given() -> None:
    assert plural(1_000_000, "it", "versione", "versioni") == "versioni"
    assert plural(1_000_000, "it", "milione", "milioni", many="milioni di") == "milioni di"
    assert plural(1, "it", "versione", "versioni", many="x") == "versione"


# Every message that counts something, with what it must read for each count: {one|other} picks by the count,
# {n} is the count. A new counted message fails test_every_counted_message_is_listed until it is added here.
CONTEXT = {"bank": "b", "seed": 7, "version": "2.4", "device": "cpu", "rate": "12.5", "seconds": "1.5", "out": "o",
           "family": "memory", "difficulty": 2}
EXPECTED: dict[tuple[str, str, str], tuple[tuple[str, ...], str]] = {
    ("text", "it", "stress_title"): (("n",), "Stress test di b: {n} {estrazione|estrazioni} per voce, seed 7"),
    ("text", "en", "stress_title"): (("n",), "Stress test of b: {n} {draw|draws} per entry, seed 7"),
    ("text", "it", "precision_decimals"): (("decimals",), "con {n} {cifra decimale|cifre decimali}"),
    ("text", "en", "precision_decimals"): (("decimals",), "to {n} {decimal place|decimal places}"),
    ("text", "it", "stress_fair_found"): (("count",), "{n} {rilievo|rilievi} su versioni non equivalenti (≠ sopra)."),
    ("text", "en", "stress_fair_found"): (("count",), "{n} {finding|findings} on unequal versions (≠ above)."),
    ("text", "it", "stress_fair_shared"): (("shared", "pairs", "most"),
                                           "{n} {coppia|coppie} di versioni su {n} {ha|hanno} più di una risposta "
                                           "in comune (fino a {n})"),
    ("text", "en", "stress_fair_shared"): (("shared", "pairs", "most"),
                                           "{n} of {n} pairs of versions {shares|share} more than one answer "
                                           "(up to {n})"),
    ("text", "it", "stress_fix_fair_shared"): (
        ("keep",), "rimedio: solo {n} {versione ha|versioni hanno} al più una risposta in comune: distribuiscine "
                   "al più {n} (exam --versions, moodle/gift -n), o allarga i params della voce (un valore che la "
                   "voce fissa dà a ogni versione le stesse risposte che ne dipendono)"),
    ("text", "en", "stress_fix_fair_shared"): (
        ("keep",), "fix: only {n} {version keeps|versions keep} at most one shared answer: hand out at most {n} "
                   "(exam --versions, moodle/gift -n), or widen the entry's params (a value the entry fixes gives "
                   "every version the same answers that depend on it)"),
    ("text", "it", "stress_fix_fair_shared_network"): (
        ("keep",), "rimedio: solo {n} {versione ha|versioni hanno} al più una risposta in comune: distribuiscine "
                   "al più {n} (exam --versions, moodle/gift -n); la rete propria della voce dà a ogni versione le "
                   "risposte che dipendono solo da lei: aggiungile altri layer del tipo che le domande chiedono, o "
                   "togli network: perché la famiglia estragga le sue reti"),
    ("text", "en", "stress_fix_fair_shared_network"): (
        ("keep",), "fix: only {n} {version keeps|versions keep} at most one shared answer: hand out at most {n} "
                   "(exam --versions, moodle/gift -n); the entry's own network gives every version the answers that "
                   "depend on it alone: give it more of the layers its questions ask about, or remove network: to "
                   "let the family draw its networks"),
    ("text", "it", "stress_pattern_duplicates"): (
        ("duplicates", "n"), "{n} {variante duplicata|varianti duplicate} su {n} {estrazione|estrazioni}"),
    ("text", "en", "stress_pattern_duplicates"): (
        ("duplicates", "n"), "{n} duplicate {variant|variants} out of {n} {draw|draws}"),
    ("text", "it", "stress_summary_found"): (
        ("count",), "{n} {regolarità trovata: uno studente potrebbe sfruttarla|"
                    "regolarità trovate: uno studente potrebbe sfruttarle} (vedi sopra)."),
    ("text", "en", "stress_summary_found"): (
        ("count",), "{n} {pattern found: a student could exploit it|patterns found: a student could exploit them}"
                    " (see above)."),
    ("text", "it", "verify_title"): (
        ("n",), "Controllo di riferimento con PyTorch 2.4 su cpu: {n} {problema|problemi} per riga, seed 7"),
    ("text", "en", "verify_title"): (
        ("n",), "Reference check with PyTorch 2.4 on cpu: {n} {problem|problems} per row, seed 7"),
    ("text", "it", "verify_rate"): (
        ("networks",), "{n} {rete distinta costruita ed eseguita|reti distinte costruite ed eseguite}; "
                       "12.5 problemi controllati al secondo"),
    ("text", "en", "verify_rate"): (
        ("networks",), "{n} distinct {network|networks} built and run; 12.5 problems checked per second"),
    ("text", "it", "verify_disagreements"): (("count",), "{n} {discordanza|discordanze}:"),
    ("text", "en", "verify_disagreements"): (("count",), "{n} {disagreement|disagreements}:"),
    ("text", "it", "verify_emitted"): (
        ("count",), "PyTorch conferma {il problema con una rete|ognuno dei problemi con una rete} ({n})."),
    ("text", "en", "verify_emitted"): (
        ("count",), "PyTorch confirms {the problem with a network|every problem with a network} ({n})."),
    ("text", "it", "exam_done"): (
        ("versions", "pages"), "exam: {n} {versione|versioni}, {n} {pagina|pagine} in 1.5 s -> o"),
    ("text", "en", "exam_done"): (
        ("versions", "pages"), "exam: {n} {version|versions}, {n} {page|pages} in 1.5 s -> o"),
    ("practice", "it", "practice_summary_row"): (("right", "wrong"), "{n} {giusta|giuste}, {n} {sbagliata|sbagliate}"),
    ("practice", "it", "practice_summary_total"): (("right",), "Totale: {n} {giusta|giuste} su 3"),
    ("moodle", "it", "category_info"): (("n",), "quizgen: {n} {variante|varianti} di memory, difficoltà 2."),
    ("moodle", "en", "category_info"): (("n",), "quizgen: {n} {variant|variants} of memory, difficulty 2."),
}


def _strings(folder: str, lang: str) -> dict[str, str]:
    return yaml.safe_load((templates_dir() / folder / f"{lang}.yaml").read_text(encoding="utf-8"))


def _expected(pattern: str, n: int) -> str:
    pattern = re.sub(r"\{([^{}|]*)\|([^{}|]*)\}", lambda m: m.group(1) if n == 1 else m.group(2), pattern)
    return pattern.replace("{n}", str(n))


@pytest.mark.parametrize("key", sorted(EXPECTED), ids="/".join)
@pytest.mark.parametrize("n", COUNTS)
def test_counted_message_agrees(key: tuple[str, str, str], n: int) -> None:
    folder, lang, name = key
    counted, pattern = EXPECTED[key]
    context = {**CONTEXT, "total": 3, **dict.fromkeys(counted, n)}
    assert render_string(_strings(folder, lang)[name], **context).strip() == _expected(pattern, n)


@pytest.mark.parametrize("folder", ["text", "practice", "moodle"])
@pytest.mark.parametrize("lang", ["it", "en"])
def test_every_counted_message_is_listed(folder: str, lang: str) -> None:
    for name, source in _strings(folder, lang).items():
        if "|plural(" in str(source):
            assert (folder, lang, name) in EXPECTED, f"templates/{folder}/{lang}.yaml: {name} is not tested"
            # the filter is given the language of the file it is in
            assert set(re.findall(r"\|plural\('(\w+)'", source)) == {lang}, name
