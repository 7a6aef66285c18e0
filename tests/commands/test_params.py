"""``quizgen params``: every declared parameter in both languages; the README table is the same declaration."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quizgen.problems import families, family
from quizgen.render.parameters import markdown

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.mark.parametrize("lang", ["en", "it"])
def test_lists_every_parameter_with_meaning_values_defaults_and_difficulties(run_cli, lang: str) -> None:  # noqa: ANN001
    r = run_cli("params", "conv-conv", "--lang", lang)
    assert r.code == 0, r.err
    fam = family("conv-conv")
    assert r.out.startswith(f"conv-conv: {fam.summary[lang]}\n")
    for name, param in fam.parameters.items():
        assert re.search(rf"^{re.escape(name)} +{re.escape(param.meaning(lang))}$", r.out, re.M), name
    values, default, used = {"en": ("values", "default", "difficulties"),
                             "it": ("valori", "predefiniti", "difficoltà")}[lang]
    counts = {r.out.count(f"  {word}: ") for word in (values, default, used)}
    assert counts == {len(fam.parameters)}
    assert f"{used}: 2\n" in r.out  # s and p: difficulty 2 only
    hand = "arithmetic hand: 16, 20, 24, 28, 32"
    assert f"28, 32, 48, 64, 96, 128, 224 ({hand})" in r.out


def test_every_family_without_an_argument_and_unknown_family(run_cli) -> None:  # noqa: ANN001
    r = run_cli("params")
    assert r.code == 0 and all(f"\n{fam.id}: " in "\n" + r.out for fam in families())
    bad = run_cli("params", "conv-cnov")
    assert bad.code == 2 and "did you mean 'conv-conv'?" in bad.err


def test_sample_help_ends_with_the_family_parameters(run_cli) -> None:  # noqa: ANN001
    r = run_cli("sample", "output-size", "--help")
    assert r.code == 0
    tail = r.out.split("Show this message and exit.", 1)[1]
    assert "pool_s" in tail and "pooling stride s" in tail and "difficulties: 3" in tail
    it = run_cli("sample", "output-size", "--lang", "it", "--help")
    assert "stride s del pooling" in it.out


def test_readme_table_is_the_declaration() -> None:
    text = README.read_text(encoding="utf-8")
    table = text.split("<!-- parameters:begin -->\n", 1)[1].split("<!-- parameters:end -->", 1)[0]
    assert table == markdown(families()), "regenerate it with: quizgen params --markdown"


def test_a_long_whole_range_of_defaults_is_written_as_a_bank_writes_a_range() -> None:
    from quizgen.render.parameters import defaults_text

    w = family("transposed-conv").parameters["W"]
    assert "difficulty 3: 8, 9, ..., 128" in defaults_text(w, "en")
    assert "difficoltà 2: 4, 5, ..., 16" in defaults_text(w, "it")  # the hand values
    # a short or uneven list stays as it is
    assert defaults_text(family("macs").parameters["W"], "en").endswith("difficulty 3: 28, 32)")
    assert "7, 13, 14, 28, 30, 52, 56" in defaults_text(w, "en")
