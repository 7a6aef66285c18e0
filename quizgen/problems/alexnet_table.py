"""AlexNet's architecture table: the table itself, "complete the table" and "the inconsistent row".

The table is the lecture's (Out at the top, In at the bottom); its words come from the family's
template. Both builders are pure functions of their drawn numbers (``alexnet`` memoizes them).
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from typing import Any

from quizgen.nets import formulas
from quizgen.nets.engine import NetworkCount, count
from quizgen.nets.layers import Conv, Dense, Listed, Network, Pool
from quizgen.nets.published import contradictions
from quizgen.problems.common import Text, enough, numeric_part, step
from quizgen.problems.measures import At
from quizgen.problems.model import Choice, Step, Table
from quizgen.text import numbers
from quizgen.text.templating import render_block

ROWS = ("Out", "F9", "F8", "C7", "C6", "C5", "S4", "C3", "S2", "C1", "In")  # the lecture's order, top to bottom
FCS = ("F8", "F9", "Out")
SPATIAL = ("C1", "S2", "C3", "S4", "C5", "C6", "C7")  # the rows with an output size, bottom to top
# "complete the table" asks C1's size and one more: a SAME stride-1 convolution copies the size of the row below
# it, so the rows of one size are left empty but the asked one (else its answer could be copied from them)
SAME_SIZE = (("S2", "C3"), ("S4", "C5", "C6", "C7"))
ASKED = ("S2", "C3", "S4", "C5")  # not C6 or C7: every wrong size of theirs is below the answer
DELTAS = (-1, 1, -2, 2)  # how far the inconsistent row's listed size is from the true one

formulas.register("pool.depth", "N_c", "[N_c]")


@cache
def _words(lang: str) -> dict[str, str]:
    path = f"problems/alexnet/{lang}.j2"
    keys = ("col_layer", "col_type", "col_maps", "col_size", "col_kernel", "col_stride", "col_padding",
            "col_activation", "type_conv", "type_pool", "type_fc", "type_input", "caption")
    return {k: render_block(path, k) for k in keys}


def _size_cell(h: int) -> str:
    return rf"${h} \times {h}$"


def arch_table(lang: str, nc: NetworkCount, sizes: dict[str, int] | None = None, blanks: tuple = (),
               blank_from: str | None = None) -> Table:
    """The lecture's table (Out at the top, In at the bottom); ``sizes`` overrides listed sizes."""
    w = _words(lang)
    sizes = sizes or {}
    rows = []
    hide = False
    for label in reversed(ROWS):
        if label == blank_from:
            hide = True
        if label == "In":
            inp = nc.network.input
            rows.append((label, w["type_input"], "3 (RGB)", _size_cell(inp.h), "–", "–", "–", "–"))
            continue
        lc = nc.layer(label)
        layer, out = lc.layer, lc.output_shape
        if isinstance(layer, Dense):
            act = "Softmax" if label == "Out" else "ReLU"
            rows.append((label, w["type_fc"], "–", f"${numbers.latex(out.size)}$", "–", "–", "–", act))
            continue
        f, s = layer.kernel[0], layer.stride[0]
        size = "?" if hide else _size_cell(sizes.get(label, out.h))
        rows.append((label, w["type_conv"] if isinstance(layer, Conv) else w["type_pool"], str(out.d), size,
                     rf"${f} \times {f}$", str(s), str(layer.padding).upper(),
                     "ReLU" if isinstance(layer, Conv) else "–"))
    rows.reverse()
    columns = tuple(w[k] for k in ("col_layer", "col_type", "col_maps", "col_size", "col_kernel", "col_stride",
                                   "col_padding", "col_activation"))
    return Table(columns, tuple(rows), blanks, w["caption"])


def published(network: Network) -> bool:
    """Whether the network has the published sizes: only then do stems call it AlexNet without "a variant of"."""
    return not network.name.endswith("-variant")


def size_context(nc: NetworkCount, label: str) -> dict[str, Any]:
    """The misconception context of a layer's output size, with the size before the pooling it follows."""
    lc = nc.layer(label)
    layer, inp, out = lc.layer, lc.input_shape, lc.output_shape
    padding = layer.padding if isinstance(layer.padding, str) else None
    ctx: dict[str, Any] = {"f": layer.kernel[0], "s": layer.stride[0], "W": inp.h, "O": out.h, "N_c": out.d,
                           "C": inp.d, "padding": padding, "p": layer.padding if isinstance(layer.padding, int) else 0}
    before = [x for x in nc.layers[: lc.index - 1] if isinstance(x.layer, (Conv, Pool))]  # index counts from 1
    if isinstance(layer, Conv) and before and isinstance(before[-1].layer, Pool):
        ctx["W_unpooled"] = before[-1].input_shape.h  # a student who skips that pooling starts from its input
    return ctx


def lhs(what: str, label: str) -> str:
    return {"params": "P", "weights": r"\#W", "size": "O", "flatten": "n"}[what] + rf"_{{\mathrm{{{label}}}}}"


def table_question(t: Text, network: Network, asked: str, lang: str) -> dict | None:
    """"Complete the table": C1's size and ``asked``'s as parts, the rows with ``asked``'s size left empty (they
    would give it by copying); None when a size has no distractor."""
    nc = count(network)
    parts, steps, blanks = [], [], []
    for label in ("C1", asked):
        lc = nc.layer(label)
        row = ROWS.index(label)
        blanks.append((row, 3))
        parts.append(numeric_part(f"cell-{row}-3", t("part_size", layer=label), lc.out_h.size, "size",
                                  size_context(nc, label), lang, measure=At("out_h", label)))
        steps.append(step(t("step_size", layer=label, padding=lc.layer.padding), lc.out_h.size, lhs("size", label)))
    if not enough(parts, 1):
        return None
    empty = {(ROWS.index(label), 3) for rows in SAME_SIZE if asked in rows for label in rows if label != asked}
    table = arch_table(lang, nc)
    rows = tuple(tuple("?" if (i, j) in blanks else "" if (i, j) in empty else cell for j, cell in enumerate(r))
                 for i, r in enumerate(table.rows))
    table = replace(table, rows=rows, blanks=tuple(sorted(blanks)))
    stem = t("stem_table", W=network.input.h, published=published(network), empty=bool(empty))
    return {"stem": stem, "parts": tuple(parts), "solution": tuple(steps), "table": table}


def next_size(layer: Conv | Pool, size: int) -> int | None:
    f, s, padding = layer.kernel[0], layer.stride[0], layer.padding
    if padding == "same":
        return -(-size // s)
    return -(-(size - f + 1) // s) if size >= f else None


def inconsistent_question(t: Text, network: Network, wrong_label: str, wrong: int | None, delta: int,
                          lang: str) -> tuple[dict, Network] | None:
    """"Which row is inconsistent": ``wrong`` is the listed size (None: the true one plus ``delta``).

    The rows above the wrong one are listed as they follow from it, so that exactly one row does not
    follow from the row below it, whichever row is wrong (after a SAME stride-1 row any other size would
    make the next row inconsistent too). None when a size would not be positive.
    """
    nc = count(network)
    true = {label: nc.layer(label).output_shape.h for label in SPATIAL}
    if wrong is None:
        wrong = true[wrong_label] + delta
    if wrong < 1:
        return None
    listed: dict[str, int] = dict(true)
    size: int | None = wrong
    for label in SPATIAL[SPATIAL.index(wrong_label):]:
        if label != wrong_label:
            size = next_size(nc.layer(label).layer, size)
        if size is None or size < 1:
            return None
        listed[label] = size
    # only the wrong row goes into the network's listed sizes: the engine checks a listed size against the
    # true arithmetic, and the rows above the wrong one are right relative to the table, not to the input
    network = replace(network, listed={wrong_label: Listed((wrong, wrong))})
    nc = count(network)
    assert [w.label for w in contradictions(nc)] == [wrong_label]
    table = arch_table(lang, nc, sizes=listed)
    choices = []
    for i, label in enumerate(SPATIAL):
        lc = nc.layer(label)
        before = listed[SPATIAL[i - 1]] if i else network.input.h
        fields = {"layer": label, "listed": listed[label], "W": before, "f": lc.layer.kernel[0],
                  "s": lc.layer.stride[0], "padding": lc.layer.padding, "computed": next_size(lc.layer, before)}
        correct = label == wrong_label
        choices.append(Choice(t("option", **fields), correct, t("option_feedback", correct=correct, **fields)))
    choices.reverse()  # the table's order: top to bottom
    solution = (Step(t("solution_inconsistent", layer=wrong_label, listed=wrong, computed=true[wrong_label])),)
    return {"stem": t("stem_inconsistent", W=network.input.h, published=published(network)),
            "choices": tuple(choices), "table": table, "solution": solution}, network
