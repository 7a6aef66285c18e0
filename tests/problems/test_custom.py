"""custom: the safe expression language, the sandboxed stems, and exercises generated from a definition
(answers from the engine, checked by sympy; deterministic per seed; hostile input refused in bounded time)."""

from __future__ import annotations

import time
from fractions import Fraction

import pytest

from quizgen.errors import QuizgenError
from quizgen.problems import custom, expr, generate
from quizgen.problems.custom_stem import render_stem
from quizgen.problems.measures import engine_lookup, evaluate
from quizgen.text import numbers

VGG = {
    "name": {"en": "A VGG-style block", "it": "Un blocco in stile VGG"},
    "network": "{W}x{W}x3 > conv {n} 3 p=1 > conv {n} 3 p=1 > maxpool 2 > fc {F}",
    "params": {"W": [32, 64, 96], "n": {"min": 16, "max": 64, "step": 16}, "F": [10, 100]},
    "where": "W % 8 == 0",
    "ask": ["output_size(conv#2)", "params(conv#2)", "flatten", "params(fc#4)", "total_params"],
}


# --- the expression language ---------------------------------------------------------------------------


@pytest.mark.parametrize("text, values, expected", [
    ("W % 8 == 0", {"W": 32}, True),
    ("W % 8 == 0", {"W": 36}, False),
    ("2*n + 1", {"n": 16}, 33),
    ("W / 3", {"W": 32}, Fraction(32, 3)),
    ("W // 3", {"W": 32}, 10),
    ("conv_out(W, 5, 2, 1)", {"W": 28}, 13),
    ("floor(W / 3) + ceil(W / 3)", {"W": 32}, 21),
    ("min(a, b, 7) if a > 1 else max(a, b)", {"a": 9, "b": 8}, 7),
    ("not (a < b < 10) or a == 3", {"a": 3, "b": 20}, True),
    ("-a ** 2", {"a": 3}, -9),
    ("2 ** -2", {}, Fraction(1, 4)),
])
def test_expressions_are_exact(text: str, values: dict, expected: object) -> None:
    e = expr.parse(text, tuple(values))
    result = e.evaluate(values)
    assert result == expected and type(result) is type(expected)
    expr.check_with_sympy(e, values, result)


@pytest.mark.parametrize("text, message", [
    ("__import__('os').system('echo hi')", "which is not allowed"),
    ("__import__('os')", "calls '__import__'"),
    ("W.__class__", "'W.__class__'"),
    ("(1).__class__.__bases__", "not allowed"),
    ("W[0]", "'W[0]'"),
    ("'text'", "only whole numbers"),
    ("1.5 * W", "only whole numbers"),
    ("lambda: 1", "not allowed"),
    ("[x for x in W]", "not allowed"),
    ("eval('1')", "calls 'eval'"),
    ("min(W)", "min takes 2 to 8 arguments"),
    ("max(*W)", "max takes"),
    ("floor(x=W)", "calls 'floor'"),
    ("w + 1", "unknown name 'w'"),
    ("W +", "not a valid expression"),
    ("_W", "'_W'"),
    ("-" * 50 + "W", "nested too deeply"),
    ("W" + " + W" * 200, "characters long"),
])
def test_expressions_refuse_what_is_not_allowed(text: str, message: str) -> None:
    with pytest.raises(expr.ExprError) as info:
        expr.parse(text, ("W",))
    assert message in info.value.message, info.value.message
    assert info.value.fix


def test_unknown_name_suggests_the_closest() -> None:
    with pytest.raises(expr.ExprError) as info:
        expr.parse("w % 8", ("W", "n"))
    assert "did you mean 'W'" in info.value.fix


@pytest.mark.parametrize("text", ["9 ** 9 ** 9 ** 9", "10 ** 100", "W ** 65", "(W * W) ** 40", "2 ** 1000",
                                  "((W ** 8) ** 8) ** 8"])
def test_huge_powers_are_refused_at_once(text: str) -> None:
    start = time.perf_counter()
    with pytest.raises(expr.ExprError):
        expr.parse(text, ("W",)).evaluate({"W": 99})
    assert time.perf_counter() - start < 0.5


def test_division_by_zero_names_the_values() -> None:
    with pytest.raises(expr.ExprError) as info:
        expr.parse("W / (n - 16)", ("W", "n")).evaluate({"W": 32, "n": 16})
    assert "divides by zero with W = 32, n = 16" in info.value.message
    assert "where" in info.value.fix


def test_sympy_disagreement_is_an_internal_error() -> None:
    from quizgen.errors import InternalError

    e = expr.parse("W // 3", ("W",))
    with pytest.raises(InternalError):
        expr.check_with_sympy(e, {"W": 32}, 11)


# --- stems in the sandbox --------------------------------------------------------------------------------


def test_a_stem_prints_values_in_the_language() -> None:
    values = {"W": 34944, "n": 16, "half": Fraction(7, 2)}
    source = "Maps of ${{ W|num }}$, {{ n }} filters, {{ W }} pixels, {{ n / 3 }}, {% if n > 8 %}many{% endif %}"
    pixels = numbers.plain(34944)  # the numbers module's grouping, as everywhere else
    assert render_stem(source, values, "en", "b.yaml:3") == \
        rf"Maps of $34\,944$, 16 filters, {pixels} pixels, 5.3333, many"
    assert render_stem(source, values, "it", "b.yaml:3") == \
        rf"Maps of $34\,944$, 16 filters, {pixels} pixels, 5,3333, many"


@pytest.mark.parametrize("source, message", [
    ("{{ W.__class__ }}", "an attribute"),
    ("{{ W.__class__.__mro__[1].__subclasses__() }}", "not allowed"),
    ("{{ ''.__class__ }}", "an attribute"),
    ("{{ W['x'] }}", "an item"),
    ("{% for i in range(99999) %}{% for j in range(99999) %}x{% endfor %}{% endfor %}", "a loop"),
    ("{{ cycler.__init__.__globals__ }}", "an attribute"),
    ("{{ lipsum() }}", "a call"),
    ("{{ 9 ** 9 ** 9 }}", "'**'"),
    ("{% set x = 1 %}", "an assignment"),
    ("{% include 'x' %}", "an include"),
    ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "a macro"),
    ("{{ W|attr('__class__') }}", "the filter 'attr'"),
    ("{{ w }}", "unknown name 'w'"),
    ("{{ W }", "line 1 of the text"),
    ("ok\n{% if W %}", "line 2 of the text"),
])
def test_a_stem_refuses_what_is_not_allowed(source: str, message: str) -> None:
    start = time.perf_counter()
    with pytest.raises(QuizgenError) as info:
        render_stem(source, {"W": 32}, "en", "b.yaml:7")
    assert info.value.where == "b.yaml:7"
    assert message in info.value.message, info.value.message
    assert time.perf_counter() - start < 1


def test_stem_arithmetic_is_bounded() -> None:
    with pytest.raises(QuizgenError):
        render_stem("{{ W * W * W * W * W * W * W * W * W * W * W * W * W * W * W * W * W * W * W * W * W * W }}",
                    {"W": 10**9}, "en", "b.yaml:7")
    with pytest.raises(QuizgenError, match="divides by zero"):
        render_stem("{{ W / (W - W) }}", {"W": 3}, "en", "b.yaml:7")


# --- exercises -------------------------------------------------------------------------------------------


def test_the_vgg_block_is_answered_by_the_engine() -> None:
    problem = generate("custom", seed=3, params=VGG)
    lookup = engine_lookup((problem.network,))
    assert [p.measure for p in problem.parts] and all(
        evaluate(p.measure, lookup) == p.answer for p in problem.parts)
    net = problem.network
    w, n, f = net.input.h, net.layers[0].filters, net.layers[3].units
    assert w % 8 == 0
    expected = [w, 9 * n * n + n, (w // 2) ** 2 * n, (w // 2) ** 2 * n * f + f]
    assert [p.answer for p in problem.parts[:4]] == expected
    assert problem.parts[4].answer == (27 * n + n) + expected[1] + expected[3]
    assert problem.title == "A VGG-style block"
    assert len(problem.solution) == 5
    assert problem.id.startswith("custom.d1.s3.p")


def test_the_same_seed_gives_the_same_exercise_and_every_language_the_same_numbers() -> None:
    a = generate("custom", seed=11, params=VGG)
    b = generate("custom", seed=11, params=VGG)
    it = generate("custom", seed=11, params=VGG, lang="it")
    assert a == b
    assert [(p.answer, tuple(d.value for d in p.distractors)) for p in a.parts] == \
        [(p.answer, tuple(d.value for d in p.distractors)) for p in it.parts]
    assert it.title == "Un blocco in stile VGG" and "layer" in it.stem


def test_where_holds_in_every_draw_and_every_combination_appears() -> None:
    seen = set()
    for seed in range(300):
        problem = generate("custom", seed=seed, params={**VGG, "where": "W != 64 and n <= 32"})
        w, n = problem.network.input.h, problem.network.layers[0].filters
        assert w != 64 and n <= 32
        seen.add((w, n, problem.network.layers[3].units))
    assert len(seen) == 2 * 2 * 2
    assert custom.space_of({**VGG, "where": "W != 64 and n <= 32"}, 1) == 8


def test_let_values_reach_the_network_and_the_stem() -> None:
    definition = {
        "network": "{W}x{W}x3 > conv {n} {f}/{s} p={p} > conv {2*n} 3 p=1",
        "params": {"W": [224, 227], "n": [32, 64], "f": [7, 11], "s": [2, 4], "p": [0, 2, 3]},
        "let": {"O1": "conv_out(W, f, s, p)"},
        "where": "(W - f + 2*p) % s == 0",
        "ask": ["output_size(conv#1)", "depth(conv#2)", "params(conv#2)"],
        "stem": {"en": "Size {{ O1 }} after conv#1; then {{ 2*n }} filters.", "it": "Lato {{ O1 }}; {{ 2*n }} filtri."},
    }
    for seed in range(40):
        problem = generate("custom", seed=seed, params=definition)
        conv = problem.network.layers[0]
        o1 = (problem.network.input.h - conv.kernel[0] + 2 * conv.padding) // conv.stride[0] + 1
        assert problem.parts[0].answer == o1
        assert problem.stem == f"Size {o1} after conv#1; then {2 * conv.filters} filters."
        assert problem.parts[1].answer == 2 * conv.filters


def test_the_default_example_is_what_sample_shows() -> None:
    problem = generate("custom", seed=1)
    assert problem.id == "custom.d1.s1"
    assert problem.title == custom.DEFAULT["name"]["en"]


def test_every_ask_kind_and_branches() -> None:
    definition = {
        "network": "{W}x{W}x{C} > conv {n} 3 p=same > bn > relu > b: res(conv {n} 3 p=1 > relu > conv {n} 3 p=1) "
                   "> globalavgpool > fc 10",
        "params": {"W": [8, 16], "C": [3], "n": [4, 8]},
        "ask": ["output_size(conv#1)", "width(conv#1)", "depth(-1)", "weights(conv#1)", "biases(fc#6)",
                "params(bn#2)", "activations(conv#1)", "flatten(globalavgpool#5)", "total_params", "total_weights",
                "total_biases", "total_activations"],
    }
    for seed in range(10):
        problem = generate("custom", seed=seed, params=definition)
        lookup = engine_lookup((problem.network,))
        for part in problem.parts:
            assert evaluate(part.measure, lookup) == part.answer
        assert problem.parts[2].answer == 10 and problem.parts[4].answer == 10
    assert "SAME" in problem.stem


@pytest.mark.parametrize("definition, where, message, fix", [
    ({**VGG, "ask": ["params(conv#3)"]}, "ask", "no layer 'conv#3'", "maxpool#3"),
    ({**VGG, "ask": ["params(conv#9)"]}, "ask", "no layer 'conv#9'", "its layers are conv#1"),
    ({**VGG, "ask": ["parms(conv#1)"]}, "ask", "unknown quantity 'parms'", "did you mean 'params'"),
    ({**VGG, "ask": ["params"]}, "ask", "names no layer", "params(conv#1)"),
    ({**VGG, "ask": ["total_params(conv#1)"]}, "ask", "takes no layer", "total_params"),
    ({**VGG, "ask": ["output_size(fc#4)"]}, "ask", "outputs a vector", "depth(fc#4)"),
    ({**VGG, "network": "{W}x{W}x3 > conv {N} 3"}, "network", "unknown name 'N'", "did you mean 'n'"),
    ({**VGG, "network": "{W}x{W}x3 > conv {n/3} 3"}, "network", "not a whole number", "//"),
    ({**VGG, "network": "{W}x{W}x3 > conv {n} {W+1}"}, "network", "larger", "where"),
    ({**VGG, "network": "{W}x{W}x3 > conv {n} 3 > {"}, "network", "unmatched", "{name}"),
    ({**VGG, "where": "W > 1000"}, "where", "no draw in 1000 satisfies", "relax"),
    ({**VGG, "where": "W / (n - n) > 1"}, "where", "divides by zero", "where"),
    ({**VGG, "stem": {"en": "{{ W.__class__ }}"}}, "stem", "an attribute", "{{ name }}"),
    ({**VGG, "stem": {"en": "{{ w }}"}}, "stem", "unknown name 'w'", "did you mean 'W'"),
    ({**VGG, "stem": {"it": "Lato {{ W }}"}}, "stem", "no text in 'en'", "stem: {en:"),
    ({**VGG, "params": {"W": ["big"]}}, "params", "whole numbers", "params: {W"),
    ({**VGG, "params": {"W": {"min": 9, "max": 3}}}, "params", "empty", "swap"),
    ({**VGG, "let": {"W": "2"}}, "let", "cannot be a computed value's name", "new name"),
    ({k: v for k, v in VGG.items() if k != "ask"}, "entry", "needs 'ask'", "ask: ["),
    ({**VGG, "asks": ["params(conv#1)"]}, "entry", "no key 'asks'", "network, params"),
])
def test_every_mistake_names_its_key_and_the_fix(definition: dict, where: str, message: str, fix: str) -> None:
    at = {key: f"b.yaml:{i + 10}" for i, key in enumerate(["entry", "network", "params", "let", "where", "ask",
                                                          "stem"])}
    with pytest.raises(QuizgenError) as info:
        generate("custom", seed=1, params={**definition, "_at": at})
    assert info.value.where == at[where], (info.value.where, info.value.message)
    assert message in info.value.message, info.value.message
    assert fix in (info.value.fix or ""), info.value.fix


def test_where_the_bank_writes_it_is_not_part_of_the_id() -> None:
    a = generate("custom", seed=5, params={**VGG, "_at": {"entry": "a.yaml:3"}})
    b = generate("custom", seed=5, params={**VGG, "_at": {"entry": "elsewhere/b.yaml:40"}})
    assert a.id == b.id and a == b
    assert "_at" not in dict(a.params)


@pytest.mark.slow
def test_stress_many_random_definitions() -> None:
    """Random chains of conv/pool/fc: every draw either builds and verifies or is a located QuizgenError."""
    import random

    rng = random.Random(7)
    made = failed = 0
    for _ in range(150):
        layers = []
        for i in range(rng.randint(1, 4)):
            layers.append(rng.choice([f"conv {{n{i}}} {rng.choice([1, 3, 5])} p={rng.choice([0, 1, 'same'])}",
                                      "maxpool 2", f"conv {{n{i}}} 3/2"]))
        layers.append("fc {F}")
        definition = {"network": "{W}x{W}x3 > " + " > ".join(layers),
                      "params": {"W": [8, 16, 32], "F": [10], **{f"n{i}": [4, 8] for i in range(4)}},
                      "ask": ["output_size(-2)", "params(-1)", "total_params"], "_at": {"entry": "b.yaml:1"}}
        for seed in range(5):
            try:
                generate("custom", seed=seed, params=definition)
                made += 1
            except QuizgenError as exc:
                assert exc.where == "b.yaml:1" and exc.fix, exc
                failed += 1
    assert made > 300


def test_macs_of_a_conv_and_an_fc_layer_are_the_engines_with_their_misconceptions() -> None:
    definition = {**VGG, "ask": ["macs(conv#1)", "macs(fc#4)"]}
    for seed in range(20):
        problem = generate("custom", seed=seed, params=definition)
        lookup = engine_lookup((problem.network,))
        assert all(evaluate(p.measure, lookup) == p.answer for p in problem.parts)
        net = problem.network
        w, n, f = net.input.h, net.layers[0].filters, net.layers[3].units
        conv, fc = problem.parts
        assert conv.answer == 9 * 3 * n * w * w  # f²·C·N_c·O², same padding keeps O = W
        assert fc.answer == (w // 2) ** 2 * n * f
        # the bias counted as a MAC: the parameters at every output position (conv), the parameters once (fc)
        assert {d.misconception: d.value for d in conv.distractors}["macs-with-bias"] == (27 * n + n) * w * w
        assert {d.misconception: d.value for d in fc.distractors}["macs-with-bias"] == (w // 2) ** 2 * n * f + f


def test_macs_of_a_pooling_layer_is_refused_with_the_fix() -> None:
    with pytest.raises(QuizgenError, match="does no multiply-accumulates"):
        generate("custom", seed=1, params={**VGG, "ask": ["macs(maxpool#3)"]})


BN_NET = {
    "network": "{W}x{W}x3 > conv {n} 3 p=1 > bn > relu > maxpool 2 > conv {n} 3 d=2 > bn > fc {F}",
    "params": {"W": [16, 32, 64], "n": [8, 16, 32], "F": [10, 100]},
    "ask": ["flops(conv#1)", "buffers(bn#2)", "params(bn#2)", "receptive_field(conv#5)", "jump(conv#5)",
            "total_macs", "total_flops", "total_buffers", "total_params"],
}


def test_flops_buffers_receptive_field_and_totals_are_the_engines_with_their_misconceptions() -> None:
    for seed in range(15):
        problem = generate("custom", seed=seed, params=BN_NET)
        lookup = engine_lookup((problem.network,))
        assert all(evaluate(p.measure, lookup) == p.answer for p in problem.parts)
        w, n = problem.network.input.h, problem.network.layers[0].filters
        f = problem.network.layers[-1].units
        flops, buffers, bn_params, r, j, macs, total_flops, total_buffers, params = problem.parts
        conv1, conv5, fc = 27 * n * w * w, 9 * n * n * (w // 2 - 4) ** 2, (w // 2 - 4) ** 2 * n * f
        assert flops.answer == 2 * conv1 and macs.answer == conv1 + conv5 + fc and total_flops.answer == 2 * macs.answer
        assert buffers.answer == 2 * n and bn_params.answer == 2 * n and total_buffers.answer == 4 * n
        # r: 1 + 2 (conv 3) + 1 (pool 2) + 2*2*2 (conv 3 dilated 2 after a jump of 2); j: the pooling's stride
        assert (r.answer, j.answer) == (12, 2)
        assert params.answer == 28 * n + 2 * n + (9 * n * n + n) + 2 * n + (w // 2 - 4) ** 2 * n * f + f

        def named(part):  # noqa: ANN001, ANN202
            return {d.misconception: d.value for d in part.distractors}

        assert named(flops)["flops-equals-macs"] == conv1
        assert named(total_flops)["flops-equals-macs"] == macs.answer
        assert named(buffers) == {"bn-mean-only": n, "bn-buffers-with-params": 4 * n}
        assert named(bn_params)["bn-buffers-as-params"] == 4 * n
        assert named(params)["bn-buffers-as-params"] == params.answer + 4 * n
        assert named(r)["rf-dilation-ignored"] == 8 and named(r)["rf-own-jump"] == 13
        assert named(j)["rf-strides-summed"] == 4
        text = " ".join(s.text + " " + s.math for s in problem.solution)
        assert r"r_{\mathrm{maxpool\#4}}" in text and r"\mathrm{FLOPs} = 2 \times M" in text


@pytest.mark.parametrize("ask, message, fix", [
    ("buffers(conv#1)", "conv#1 stores no buffers", "batch norm layer"),
    ("flops(maxpool#4)", "does no multiply-accumulates", "ask flops of a convolutional"),
    ("receptive_field(fc#7)", "fc#7 has no receptive field", "before the first fully connected"),
    ("total_buffers", "the network stores no buffers", "batch norm layers"),
])
def test_asks_that_do_not_apply_are_refused_with_the_fix(ask: str, message: str, fix: str) -> None:
    network = BN_NET["network"] if ask != "total_buffers" else "{W}x{W}x3 > conv {n} 3 > fc {F}"
    with pytest.raises(QuizgenError) as info:
        generate("custom", seed=1, params={**BN_NET, "network": network, "ask": [ask]})
    assert message in info.value.message and fix in info.value.fix, (info.value.message, info.value.fix)


def test_receptive_field_of_an_element_wise_layer_and_through_a_block() -> None:
    relu = generate("custom", seed=1, params={**BN_NET, "ask": ["receptive_field(relu#3)", "jump(maxpool#4)"]})
    assert [p.answer for p in relu.parts] == [3, 2]
    assert "r_{\\mathrm{relu\\#3}} = r_{\\mathrm{conv\\#1}} = 3" in " ".join(s.math for s in relu.solution)
    block = generate("custom", seed=1, params={
        "network": "{W}x{W}x8 > b: res(conv 8 3 p=1 > relu > conv 8 3 p=1) > conv 8 3", "params": {"W": [16]},
        "ask": ["receptive_field(conv#2)"]})
    assert block.parts[0].answer == 7 and evaluate(block.parts[0].measure, engine_lookup((block.network,))) == 7


OWN = {
    "network": "{W}x{W}x3 > conv {n} 3 p=1 > maxpool 2 > fc {F}",
    "params": {"W": [16, 32], "n": [8, 16], "F": [10]},
    "ask": [
        {"quantity": "params(conv#1)", "wrong": [
            {"value": "9*n + n", "feedback": {"en": "You left out the depth C = 3 of the input: {{ value }}, not "
                                                    "{{ answer }}.", "it": "Hai dimenticato la profondità C = 3."}},
            {"value": "answer - n", "feedback": {"en": "The biases count too.", "it": "Anche i bias contano."}}]},
        {"quantity": "total_params", "bytes": "float32", "unit": "KB", "decimals": 3},
        {"quantity": "macs(conv#1)", "tolerance": 100},
    ],
}


def test_instructor_wrong_answers_come_first_with_their_feedback_and_replace_the_catalogues_same_value() -> None:
    for seed in range(8):
        for lang in ("en", "it"):
            problem = generate("custom", seed=seed, params=OWN, lang=lang)
            n = problem.network.layers[0].filters
            part = problem.parts[0]
            assert part.answer == 28 * n
            first, second, *rest = part.distractors
            assert (first.misconception, first.value) == ("instructor-1", 10 * n)
            assert (second.misconception, second.value) == ("instructor-2", 27 * n)
            if lang == "en":
                assert first.feedback == f"You left out the depth C = 3 of the input: {10 * n}, not {28 * n}."
            # forgot-biases gives 27 n too: the instructor's feedback is offered for it, once
            assert "forgot-biases" not in {d.misconception for d in rest}
            assert len({d.value for d in part.distractors}) == len(part.distractors)


def test_a_count_as_memory_in_a_unit_with_its_decimals_and_misconceptions() -> None:
    from quizgen.problems import precision

    problem = generate("custom", seed=2, params=OWN)
    lookup = engine_lookup((problem.network,))
    memory = problem.parts[1]
    params = sum(int(lc.parameters.value) for lc in custom.build(custom.read(OWN), {
        "W": problem.network.input.h, "n": problem.network.layers[0].filters, "F": 10})[1].layers)
    assert memory.answer == Fraction(4 * params, 1000) == evaluate(memory.measure, lookup)
    assert memory.unit == "KB" and memory.decimals == 3 and memory.label.endswith(", to 3 decimal places")
    assert "float32: 4 bytes per value" in memory.label
    named = {d.misconception: d.value for d in memory.distractors}
    assert named["bits-vs-bytes"] == 8 * memory.answer
    assert named["forgot-biases"] == Fraction(4 * (params - problem.network.layers[0].filters - 10), 1000)
    assert precision.accepts(memory, memory.answer + Fraction(1, 2000))
    assert r"\frac{n \times b}{U}" in problem.solution[-2].math


def test_a_parts_own_tolerance_widens_what_is_right_and_keeps_wrong_values_clear_of_it() -> None:
    from quizgen.problems import precision

    for seed in range(6):
        macs = generate("custom", seed=seed, params=OWN).parts[2]
        assert macs.tolerance == 100
        assert precision.accepts(macs, macs.answer + 100) and not precision.accepts(macs, macs.answer + 101)
        assert all(abs(d.value - macs.answer) >= 300 for d in macs.distractors)


@pytest.mark.parametrize("ask, message, fix", [
    ({"quantity": "params(conv#1)", "wrong": [{"value": "answer + n - 8", "feedback": "x"}]},
     "wrong answer 1 'answer + n - 8' is 224 with W = 16, n = 8, F = 10, answer = 224: the right answer",
     "add a where: condition"),
    ({"quantity": "params(conv#1)",
      "wrong": [{"value": "10*n", "feedback": "x"}, {"value": "9*n + n", "feedback": "y"}]},
     "as an earlier wrong answer is", "change one of the two expressions"),
    ({"quantity": "params(conv#1)", "tolerance": 50, "wrong": [{"value": "answer + 100", "feedback": "x"}]},
     "too close to the right answer (the tolerance is 50", "change the expression"),
    ({"quantity": "params(conv#1)", "wrong": [{"value": "answer + m", "feedback": "x"}]},
     "unknown name 'm'", "the names are the parameters, the let: values and answer"),
    ({"quantity": "params(conv#1)", "wrong": [{"value": "answer + 1"}]}, "needs a value and its feedback", "wrong: ["),
    ({"quantity": "params(conv#1)", "wrng": []}, "an ask has no key 'wrng'", "did you mean 'wrong'"),
    ({"quantity": "params(conv#1)", "decimals": 2}, "a whole count, asked exactly", "bytes: float32"),
    ({"quantity": "params(conv#1)", "unit": "MB"}, "a unit needs the bytes of each value", "bytes: float32"),
    ({"quantity": "macs(conv#1)", "bytes": "float32"}, "not a count of stored values", "bytes: to weights"),
    ({"quantity": "params(conv#1)", "bytes": "float8"}, "not a data type", "float32 or float16"),
    ({"quantity": "params(conv#1)", "tolerance": -1}, "tolerance: -1", "a number over 0"),
    ({"bytes": "float32"}, "needs 'quantity'", "quantity: params(conv#1)"),
])
def test_mistakes_in_an_asks_own_settings(ask: dict, message: str, fix: str) -> None:
    with pytest.raises(QuizgenError) as info:
        generate("custom", seed=0, params={**OWN, "params": {"W": [16], "n": [8], "F": [10]}, "ask": [ask]})
    assert message in info.value.message and fix in info.value.fix, (info.value.message, info.value.fix)


CHOOSE = {
    "network": "{W}x{W}x3 > conv {n} 3 p=1 > maxpool 2 > fc {F}",
    "params": {"W": [16, 32], "n": [8, 16], "F": [10, 100]},
    "stem": {"en": "How many parameters does conv#1 have?", "it": "Quanti parametri ha conv#1?"},
    "choose": {"options": [
        {"ask": "params(conv#1)", "correct": True},
        {"value": "9*n + n", "feedback": {"en": "{{ value }} leaves out the depth C = 3.", "it": "Manca C = 3."}},
        {"ask": "weights(fc#3)"},
        {"text": {"en": "None of these", "it": "Nessuna di queste"}, "correct": False},
    ]},
}


def test_a_choice_question_shows_the_engines_numbers_and_the_instructors_in_a_shuffled_order() -> None:
    orders = set()
    for seed in range(12):
        en, it = (generate("custom", seed=seed, params=CHOOSE, lang=lang) for lang in ("en", "it"))
        assert not en.parts and not en.multiple and len(en.choices) == 4
        n, w, f = en.network.layers[0].filters, en.network.input.h, en.network.layers[2].units
        right = [c for c in en.choices if c.correct]
        assert [c.text for c in right] == [f"${numbers.latex(28 * n, None, 'en')}$"]
        texts = {c.text: c.feedback for c in en.choices}
        assert texts[f"${numbers.latex(10 * n, None, 'en')}$"] == f"{10 * n} leaves out the depth C = 3."
        assert f"${numbers.latex((w // 2) ** 2 * n * f, None, 'en')}$" in texts
        assert texts["None of these"] == "Not right." and right[0].feedback == "Right."
        # the same option order in both languages (the order is drawn, not the words)
        assert [c.correct for c in en.choices] == [c.correct for c in it.choices]
        orders.add(tuple(c.correct for c in en.choices))
        assert "The right option" in en.solution[-1].text
    assert len(orders) > 1


def test_a_multiple_answer_question_with_conditions_and_its_checks() -> None:
    statements = {**CHOOSE, "choose": {"multiple": True, "shuffle": False, "options": [
        {"text": {"en": "FC has more parameters"}, "correct": "(W//2)**2*n*F + F > 28*n"},
        {"text": {"en": "Pooling has no parameters"}, "correct": True},
        {"text": {"en": "conv#1 has {{ 9*n }} weights"}},
    ]}}
    problem = generate("custom", seed=3, params=statements)
    assert problem.multiple and [c.correct for c in problem.choices] == [True, True, False]
    assert problem.choices[2].text == f"conv#1 has {9 * problem.network.layers[0].filters} weights"
    one = {**statements, "choose": {**statements["choose"], "options": statements["choose"]["options"][1:]}}
    with pytest.raises(QuizgenError, match="1 of 2 options are right, and a multiple-answer question has 2 or more"):
        generate("custom", seed=3, params=one)


@pytest.mark.parametrize("change, message, fix", [
    ({"choose": {"options": [{"ask": "params(conv#1)", "correct": True}, {"value": "28*n"}]}},
     "option 2 shows $224$ with W = 16, n = 8, F = 10, as option 1 does (one right, one wrong)",
     "change one of the two"),
    ({"choose": {"options": [{"ask": "params(conv#1)"}, {"value": "27*n"}]}},
     "0 options are right, and a single-answer question has one", "multiple: true"),
    ({"choose": {"options": [{"ask": "params(conv#1)", "correct": True}, {"value": "n", "text": "x"}]}},
     "option 2 needs one of text, ask or value", "ask: params(conv#1)"),
    ({"choose": {"options": [{"ask": "params(conv#1)", "correct": True}, {"valeu": "n"}]}},
     "option 2 has no key 'valeu'", "did you mean 'value'"),
    ({"choose": {"options": [{"ask": "params(conv#1)", "correct": True}]}}, "needs 2 options or more", "choose:"),
    ({"ask": ["params(conv#1)"]}, "parts (ask) or one choice question (choose), not both", "second entry"),
    ({"stem": None}, "a choice question needs a stem", "stem:"),
    ({"choose": {"options": [{"ask": "params(conv#1)", "correct": "m > 1"}, {"value": "n"}]}},
     "unknown name 'm'", "known names: W, n, F"),
])
def test_mistakes_in_a_choice_question(change: dict, message: str, fix: str) -> None:
    definition = {**CHOOSE, "params": {"W": [16], "n": [8], "F": [10]}, **change}
    definition = {k: v for k, v in definition.items() if v is not None}
    with pytest.raises(QuizgenError) as info:
        generate("custom", seed=0, params=definition)
    assert message in info.value.message and fix in info.value.fix, (info.value.message, info.value.fix)


def test_a_choice_option_that_shows_a_number_of_the_network_is_checked_against_the_engine() -> None:
    from dataclasses import replace

    from quizgen.errors import InternalError
    from quizgen.problems.check import verify_problem

    problem = generate("custom", seed=1, params=CHOOSE)
    shown = [c for c in problem.choices if c.measure is not None]
    assert {str(c.measure) for c in shown} == {"params@conv#1", "weights@fc#3"}
    assert all(evaluate(c.measure, engine_lookup((problem.network,))) == c.value for c in shown)
    wrong = replace(problem, choices=tuple(replace(c, value=c.value + 1) if c.measure is not None else c
                                           for c in problem.choices))
    with pytest.raises(InternalError, match="on the network is"):
        verify_problem(wrong)


TRAINING = {
    "network": "{W}x{W}x3 > conv {n} 3 p=1 nobias > bn > relu > maxpool 2 > fc {F}",
    "params": {"W": [16, 32], "n": [8, 16], "F": [10], "B": [16, 32]},
    "ask": [{"quantity": "training_memory", "optimizer": "adam", "batch": "B", "unit": "MiB"},
            {"quantity": "training_memory", "optimizer": "sgd-momentum", "batch": 64}],
}


def test_training_memory_is_the_engines_with_the_training_misconceptions() -> None:
    from quizgen.nets.engine import count
    from quizgen.nets.footprint import training_memory

    for seed in range(8):
        problem = generate("custom", seed=seed, params=TRAINING)
        adam, momentum = problem.parts
        nc = count(problem.network)
        lookup = engine_lookup((problem.network,))
        assert evaluate(adam.measure, lookup) == adam.answer and evaluate(momentum.measure, lookup) == momentum.answer
        assert momentum.answer == Fraction(training_memory(nc, 64, "float32", "sgd-momentum").total.value, 10**6)
        batch = int(adam.label.split("mini-batches of ")[1].split(",")[0])
        assert adam.answer == Fraction(training_memory(nc, batch, "float32", "adam").total.value, 2**20)
        assert adam.unit == "MiB" and adam.decimals >= 2
        named = {d.misconception for d in adam.distractors} | {d.misconception for d in momentum.distractors}
        assert {"training-forgot-gradients", "training-forgot-state", "momentum-two-states"} <= named


@pytest.mark.parametrize("ask, message, fix", [
    ({"quantity": "training_memory", "batch": 8},
     "needs its optimizer (sgd, sgd-momentum, rmsprop, adam, adamw) and its batch", "optimizer: adam"),
    ({"quantity": "training_memory", "optimizer": "adam", "batch": 8, "unit": "GB"}, "unit 'GB'", "MB or MiB"),
    ({"quantity": "params(conv#1)", "optimizer": "adam"}, "takes no optimizer or batch", "training_memory"),
    ({"quantity": "training_memory", "optimizer": "adam", "batch": "B - 16"}, "the batch is 0", "1 or more"),
])
def test_mistakes_in_a_training_memory_ask(ask: dict, message: str, fix: str) -> None:
    with pytest.raises(QuizgenError) as info:
        generate("custom", seed=0, params={**TRAINING, "params": {"W": [16], "n": [8], "F": [10], "B": [16]},
                                           "ask": [ask]})
    assert message in info.value.message and fix in info.value.fix, (info.value.message, info.value.fix)
