"""A network's per-layer summary (the engine's counts) as a table, JSON, CSV or LaTeX.

In the manner of Keras' ``model.summary()`` and torchinfo: one row per layer with the output
shape, weights, biases, parameters and connections, then totals and the parameters' memory.
This module only formats; every number comes from ``quizgen.nets.engine``.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from fractions import Fraction
from typing import Any

from quizgen.nets.engine import LayerCount, NetworkCount
from quizgen.nets.formulas import Quantity
from quizgen.nets.layers import Conv, FeatureMaps, describe_kind
from quizgen.nets.spec import format_layer
from quizgen.problems.steps import formula_latex, substitution_latex
from quizgen.text import numbers
from quizgen.text.richtext import latex_escape, math_to_plain

COLUMNS = ("layer", "type", "output shape", "weights", "biases", "parameters", "connections")


def _shape(shape: Any) -> str:
    return f"{shape.h}×{shape.w}×{shape.d}" if isinstance(shape, FeatureMaps) else str(shape.n)


def _n(value: int) -> str:
    return numbers.english(value)


def memory(total_params: int) -> dict[str, int]:
    """Bytes the parameters take in float32 (4 B) and float16 (2 B)."""
    return {"float32": total_params * 4, "float16": total_params * 2}


def _human(nbytes: int) -> str:
    return (f"{numbers.english(nbytes)} B = {numbers.english(Fraction(nbytes, 10**6), 2)} MB = "
            f"{numbers.english(Fraction(nbytes, 2**20), 2)} MiB")


def _row(lc: LayerCount) -> tuple[str, ...]:
    return (
        lc.label,
        describe_kind(lc.layer),
        _shape(lc.output_shape),
        _n(int(lc.weights.value)),
        _n(int(lc.biases.value)),
        _n(int(lc.parameters.value)),
        _n(int(lc.connections.value)),
    )


def as_table(nc: NetworkCount, torch_counts: list[Any] | None = None) -> str:
    """A plain-text table with totals, memory, notes and the published-table warnings."""
    headers = list(COLUMNS)
    rows = [list(_row(lc)) for lc in nc.layers]
    if torch_counts is not None:
        headers += ["torch params", "torch shape"]
        for row, tc in zip(rows, torch_counts, strict=True):
            row += [_n(tc.params), "×".join(map(str, tc.output_shape))]
    total = ["total", "", "", _n(nc.weights), _n(nc.biases), _n(nc.parameters),
             _n(nc.connections)]
    if torch_counts is not None:
        total += [_n(sum(tc.params for tc in torch_counts)), ""]
    numeric = {3, 4, 5, 6, 7}
    widths = [max(len(str(r[i])) for r in [headers, *rows, total]) for i in range(len(headers))]

    def fmt(r: list[str]) -> str:
        return "  ".join(str(c).rjust(w) if i in numeric else str(c).ljust(w) for i, (c, w) in
                         enumerate(zip(r, widths, strict=True))).rstrip()

    rule = "─" * len(fmt(headers))
    inp = nc.network.input
    title = nc.network.title or nc.network.name
    lines = [f"{title}", f"input {inp.h}×{inp.w}×{inp.c}", rule, fmt(headers), rule]
    lines += [fmt(r) for r in rows]
    lines += [rule, fmt(total), rule]
    mem = memory(nc.parameters)
    lines.append(f"parameters: {_n(nc.parameters)} (float32 {_human(mem['float32'])}; "
                 f"float16 {_human(mem['float16'])})")
    for lc in nc.layers:
        if lc.note:
            lines.append(f"note: {lc.label}: {lc.note}")
    for w in nc.warnings:
        lines.append(f"warning: {w}")
    return "\n".join(lines) + "\n"


def as_json(nc: NetworkCount) -> str:
    """Everything the table shows, as JSON (exact integers)."""
    inp = nc.network.input

    def shape(s: Any) -> list[int]:
        return [s.h, s.w, s.d] if isinstance(s, FeatureMaps) else [s.n]

    data = {
        "network": nc.network.name,
        "title": nc.network.title,
        "source": nc.network.source,
        "input": [inp.h, inp.w, inp.c],
        "layers": [
            {
                "label": lc.label,
                "type": describe_kind(lc.layer),
                "spec": format_layer(lc.layer),
                "output_shape": shape(lc.output_shape),
                "weights": int(lc.weights.value),
                "biases": int(lc.biases.value),
                "parameters": int(lc.parameters.value),
                "connections": int(lc.connections.value),
                "activations": int(lc.activations.value),
                **({"note": lc.note} if lc.note else {}),
            }
            for lc in nc.layers
        ],
        "totals": {"weights": nc.weights, "biases": nc.biases, "parameters": nc.parameters,
                   "connections": nc.connections, "activations": nc.activations},
        "memory_bytes": memory(nc.parameters),
        "warnings": [str(w) for w in nc.warnings],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def as_csv(nc: NetworkCount) -> str:
    """One row per layer plus a total row; plain integers for spreadsheets."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["layer", "type", "output_shape", "weights", "biases", "parameters", "connections",
                     "activations"])
    for lc in nc.layers:
        writer.writerow([lc.label, describe_kind(lc.layer), _shape(lc.output_shape).replace("×", "x"),
                         int(lc.weights.value), int(lc.biases.value), int(lc.parameters.value),
                         int(lc.connections.value), int(lc.activations.value)])
    writer.writerow(["total", "", "", nc.weights, nc.biases,
                     nc.parameters, nc.connections, nc.activations])
    return buffer.getvalue()


def as_latex(nc: NetworkCount) -> str:
    """A booktabs tabular (needs \\usepackage{booktabs}) ready to \\input into a document."""
    lines = [r"\begin{tabular}{llrrrrr}", r"\toprule",
             r"Layer & Type & Output & Weights & Biases & Parameters & Connections \\", r"\midrule"]
    for lc in nc.layers:
        cells = [latex_escape(lc.label), latex_escape(describe_kind(lc.layer)),
                 "$" + _shape(lc.output_shape).replace("×", r" \times ") + "$"]
        cells += ["$" + numbers.latex(int(q.value)) + "$" for q in (lc.weights, lc.biases, lc.parameters,
                                                                     lc.connections)]
        lines.append(" & ".join(cells) + r" \\")
    lines.append(r"\midrule")
    totals = [nc.weights, nc.biases, nc.parameters, nc.connections]
    lines.append(r"Total & & & " + " & ".join("$" + numbers.latex(v) + "$" for v in totals) + r" \\")
    lines += [r"\bottomrule", r"\end{tabular}"]
    return "\n".join(lines) + "\n"


def _explain_quantity(name: str, q: Quantity) -> str:
    formula = math_to_plain(formula_latex(q.formula))
    # digit groups with commas from five digits, as the lecture groups them (thin spaces in LaTeX)
    substituted = math_to_plain(substitution_latex(q, printer=lambda value: numbers.compose(value, group=",")))
    result = numbers.compose(q.value, group=",")
    chain = [formula]
    if substituted != formula:
        chain.append(substituted)
    if result != chain[-1]:
        chain.append(result)
    return f"  {name:<12} = " + " = ".join(chain)


def explain(nc: NetworkCount) -> str:
    """For every layer: formula → substitution → result for its size and counts."""
    out = []
    for lc in nc.layers:
        spec = format_layer(replace(lc.layer, name=""))
        out.append(f"{lc.label} — {spec}: {_shape(lc.input_shape)} → {_shape(lc.output_shape)}")
        if lc.out_h is not None and lc.out_w is not None:
            out.append(_explain_quantity("O" if lc.out_h == lc.out_w else "O_h", lc.out_h.size))
            if lc.out_h != lc.out_w:
                out.append(_explain_quantity("O_w", lc.out_w.size))
            if isinstance(lc.layer, Conv) and lc.layer.padding == "same":
                pads = (lc.out_h.pad_before, lc.out_h.pad_after, lc.out_w.pad_before, lc.out_w.pad_after)
                out.append(f"  {'SAME pads':<12} = top {pads[0]}, bottom {pads[1]}, left {pads[2]}, right {pads[3]}")
        if lc.flatten_length is not None:
            out.append(_explain_quantity("flatten", lc.flatten_length))
        if int(lc.parameters.value) or int(lc.weights.value):
            out.append(_explain_quantity("#W", lc.weights))
            out.append(_explain_quantity("#B", lc.biases))
            out.append(_explain_quantity("#W + #B", lc.parameters))
        if int(lc.connections.value):
            out.append(_explain_quantity("connections", lc.connections))
        if lc.note:
            out.append(f"  note: {lc.note}")
    out.append(f"total parameters = {nc.parameters:,}")
    return "\n".join(out) + "\n"
