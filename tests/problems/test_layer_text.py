"""What students read: no raw LaTeX outside math in any family, and the layer families' review findings."""

from __future__ import annotations

import importlib.util
import re

import pytest

from quizgen.problems import FAMILY_MODULES, generate
from quizgen.text.richtext import segments
from quizgen.text.templating import LANGS, join_and

FAMILIES = [fid for fid in FAMILY_MODULES if importlib.util.find_spec(FAMILY_MODULES[fid]) is not None]


def _texts(problem) -> list[tuple[str, str]]:  # noqa: ANN001
    """(where, rich text) of everything a student or instructor reads."""
    out = [("title", problem.title), ("stem", problem.stem), ("hint", problem.hint)]
    for part in problem.parts:
        out.append((f"label {part.key}", part.label))
        out += [(f"feedback {part.key}/{d.misconception}", d.feedback) for d in part.distractors]
    out += [(f"step {i}", s.text) for i, s in enumerate(problem.solution, 1)]
    for i, c in enumerate(problem.choices):
        out += [(f"choice {i}", c.text), (f"choice feedback {i}", c.feedback)]
    if problem.table is not None:
        out += [(f"cell {r}", cell) for r, row in enumerate(problem.table.rows) for cell in row]
    return out


@pytest.mark.parametrize("fid", FAMILIES)
def test_no_backslash_or_stray_dollar_outside_math(fid: str) -> None:
    # a number formatted by |num (34\,944) or any LaTeX command outside $...$ prints raw in PDF, HTML and terminal
    for lang in LANGS:
        for difficulty in (1, 2, 3):
            for seed in range(1, 16):
                problem = generate(fid, seed=seed, difficulty=difficulty, lang=lang)
                for where, text in _texts(problem):
                    for kind, piece in segments(text):
                        if kind == "text":
                            assert "\\" not in piece and "$" not in piece, (problem.id, lang, where, text)


def test_join_and() -> None:
    assert join_and(["C1"]) == "C1"
    assert join_and(["C1", "C3"], "e") == "C1 e C3"
    assert join_and(["FC1", "FC2", "FC3"]) == "FC1, FC2 and FC3"


def _distractor(problem, key: str, mid: str):  # noqa: ANN001, ANN202
    return next((d for d in problem.part(key).distractors if d.misconception == mid), None)


def test_one_by_one_f_not_squared_on_the_saving_counts_both_designs() -> None:
    # A3: 3 x 3 conv of 128 filters on 7 x 7 x 128, reduced to 16 maps: D' - B' = 49 280 - (2064 + 3*16*128 + 128)
    p = generate("one-by-one", seed=2, difficulty=2, params={"H": 7, "C": 128, "n": 16, "N": 128, "k": 3})
    assert _distractor(p, "saving", "f-not-squared").value == 49_280 - (2064 + 3 * 16 * 128 + 128)


def test_one_by_one_percent_without_biases_counts_both_designs() -> None:
    # the biases of both designs (8 + 32 + 32 = 72), shown at the part's 2 decimals: 72.22 beside 71.89
    p = generate("one-by-one", seed=1, difficulty=2, params={"H": 13, "C": 32, "n": 8, "N": 32, "k": 3})
    d = _distractor(p, "percent", "forgot-biases")
    assert "72" in d.feedback and "both designs" in d.feedback
    from quizgen.commands.sample import number

    assert number(p.part("percent").answer, 2) == "71.89" and number(d.value, 2) == "72.22"


def test_one_by_one_percent_without_biases_is_not_offered_where_it_is_a_rounding() -> None:
    # B14: without the biases 71 %, the answer 70.95 % rounded to a whole number: a student who types 71 rounded,
    # so "forgot the biases" is not offered (quizgen.problems.precision)
    p = generate("one-by-one", seed=1, difficulty=2, params={"H": 13, "C": 128, "n": 32, "N": 32, "k": 5})
    assert _distractor(p, "percent", "forgot-biases") is None


def test_conv_conv_total_f_not_squared_names_a_real_kernel() -> None:
    # A4: the value comes from the 7 x 7 layer; the feedback must not say f = 1
    for seed in range(1, 80):
        p = generate("conv-conv", seed=seed, difficulty=3, lang="en")
        d = _distractor(p, "total", "f-not-squared")
        if d is not None:
            assert "f = 1$" not in d.feedback and "every" in d.feedback, d.feedback


def test_defining_misconception_kept_within_a_hundred() -> None:
    # B11: C_img = 1 and C = 32: image-depth-not-maps is 32 times smaller, still offered
    p = generate("conv-conv", seed=1, difficulty=1, params={"C_img": 1, "N1": 32, "prev": "conv", "f": 3, "N": 64})
    assert _distractor(p, "params", "image-depth-not-maps") is not None
    # f = 11: f instead of f² is 11 times off
    p = generate("input-conv", seed=1, difficulty=2, params={"f": 11, "C": 3})
    assert _distractor(p, "total", "f-not-squared") is not None
    # other misconceptions keep the factor of 10: bias-per-weight is never more than 10 times the answer
    for seed in range(1, 40):
        for part in generate("conv-conv", seed=seed, difficulty=1).parts:
            for d in part.distractors:
                if d.misconception != "image-depth-not-maps":
                    assert part.answer <= 10 * d.value and d.value <= 10 * part.answer


def test_same_padding_defined_once_per_stem() -> None:
    # B16: one definition after the layer list, not a parenthesis per layer
    for lang, word in (("en", "right, bottom"), ("it", "a destra, in basso")):
        for fid in ("conv-conv", "output-size"):
            for seed in range(1, 20):
                stem = generate(fid, seed=seed, difficulty=3, lang=lang).stem
                assert stem.count("TensorFlow/Keras") <= 1, stem
                if "SAME" in stem:
                    assert stem.count(word) == 1 and r"\lceil W/s \rceil" in stem, stem


def test_output_size_step_without_padding() -> None:
    # B8: p = 0 is no padding, not "explicit zero padding"
    p = generate("output-size", seed=3, difficulty=1, params={"layer": "conv", "p": 0, "W": 32, "f": 5, "s": 1})
    assert "no padding" in p.solution[0].text and "explicit" not in p.solution[0].text
    q = generate("output-size", seed=3, difficulty=1, params={"layer": "conv", "p": 2, "W": 32, "f": 5, "s": 1})
    assert "explicit zero padding" in q.solution[0].text


def test_forgot_padding_on_same_speaks_of_same() -> None:
    # B3: SAME has no p: the feedback explains SAME against VALID
    for seed in range(1, 40):
        p = generate("input-conv", seed=seed, difficulty=3, lang="en", params={"padding": "same"})
        d = _distractor(p, "size", "forgot-padding")
        if d is not None:
            assert "W + 2p" not in d.feedback and "VALID" in d.feedback


def test_fc_layers_in_their_own_words() -> None:
    p = generate("fc-fc", seed=1, difficulty=2, lang="en")
    d = _distractor(p, "params-FC2", "size-from-network-input")
    if d is not None:  # B12: no W, no sizes, on an FC layer
        assert "$W" not in d.feedback and "F_{-1}" in d.feedback
    # B17: a flattened image is W² × C, in the step and in the feedback
    p = generate("fc-fc", seed=4, difficulty=2, lang="en", params={"C": 3})
    assert r"W^2 \times C" in p.solution[0].math
    d = _distractor(p, "length", "flatten-forgot-depth")
    assert d is not None and r"W^2 \times C" in d.feedback


def test_conv_fc_network_total() -> None:
    p = generate("conv-fc", seed=1, difficulty=3, lang="en")
    # B13: the layer before FC5 is S4, a pooling layer
    d = _distractor(p, "flatten", "input-size-before-fc")
    assert d is not None and "S4" in d.feedback and "convolution" not in d.feedback
    # C5: FC5 computed once; B18: the total names the layers
    maths = [s.math for s in p.solution]
    assert sum(1 for m in maths if re.search(r"O\^2 \\times N_c \\times F \+ F", m)) == 1
    assert r"P_{C1} + P_{C3} + P_{FC5}" in maths[-1]


def test_step_symbols_are_layer_names_and_lists_read_as_sentences() -> None:
    # B18, C4
    p = generate("conv-conv", seed=1, difficulty=3, lang="en")
    assert any("P_{C3}" in s.math for s in p.solution) and not any("P_2" in s.math for s in p.solution)
    assert "C1 and C3" in p.solution[-1].text
    p = generate("fc-fc", seed=1, difficulty=3, lang="it")
    assert re.search(r"FC1, FC2 e FC3|FC1 e FC2", p.solution[-1].text)
    # B15: whose filters
    p = generate("conv-conv", seed=1, difficulty=1, lang="en", params={"prev": "conv"})
    assert "one per filter of C1" in p.solution[0].text


def test_one_by_one_notation() -> None:
    # C8: no undefined k, 1 x 1 in math
    p = generate("one-by-one", seed=1, difficulty=2, lang="en", params={"k": 5})
    assert r"$1 \times 1$" in p.part("bottleneck").label
    assert r"$5 \times 5$" in p.solution[2].text and "k \\times k" not in p.solution[2].text
