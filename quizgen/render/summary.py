"""A network's per-layer summary (the engine's counts) as a table, JSON, CSV or LaTeX.

In the manner of Keras' ``model.summary()`` and torchinfo: one row per layer with the output
shape, weights, biases, parameters, connections, MACs and receptive field, then totals, the
parameters' memory, the activations for a batch and the memory of a training step.
This module only formats; every number comes from ``quizgen.nets.engine`` and
``quizgen.nets.footprint`` (its ``Report``).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from fractions import Fraction
from typing import Any

from quizgen.nets.engine import LayerCount, NetworkCount
from quizgen.nets.footprint import ASSUMPTIONS, Report, report
from quizgen.nets.formulas import Quantity
from quizgen.nets.layers import Concat, Conv, Crop, FeatureMaps, Pool, Residual, describe_kind
from quizgen.nets.published import contradictions
from quizgen.nets.receptive import Fields
from quizgen.nets.spec import format_layer
from quizgen.problems.steps import formula_latex, substitution_latex
from quizgen.text import numbers
from quizgen.text.richtext import latex_escape, math_to_plain

COLUMNS = ("layer", "type", "output shape", "weights", "biases", "parameters", "connections", "MACs", "RF")
OPTIMIZER_NAMES = {"sgd-momentum": "SGD with momentum", "adam": "Adam"}


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


def _macs(lc: LayerCount) -> int:
    return int(lc.macs.value) if lc.macs is not None else 0


def _field(fields: Fields) -> str:
    """The receptive field's size: ``11``, or ``11×7`` where height and width differ; empty where not given."""
    if fields is None:
        return ""
    h, w = (f.values()[0] for f in fields)
    return str(h) if h == w else f"{h}×{w}"


def _row(lc: LayerCount, rep: Report) -> tuple[str, ...]:
    return (
        lc.label,
        describe_kind(lc.layer),
        _shape(lc.output_shape),
        _n(int(lc.weights.value)),
        _n(int(lc.biases.value)),
        _n(int(lc.parameters.value)),
        _n(int(lc.connections.value)),
        _n(_macs(lc)),
        _field(rep.fields.get(lc.label)),
    )


def _totals_text(nc: NetworkCount, rep: Report) -> list[str]:
    """The lines under the table: buffers, operations, activations and training memory, with their definitions."""
    lines = []
    if nc.buffers:
        lines.append(f"buffers (stored, not trained): {_n(nc.buffers)}")
    lines.append(f"MACs: {_n(nc.macs)} multiply-accumulates per input (bias additions excluded); "
                 f"FLOPs = 2 × MACs = {_n(int(rep.flops.value))}")
    lines.append(f"activations: {_n(nc.activations)} values per input (each layer's output once: relu, tanh, "
                 "sigmoid, softmax, dropout and flatten outputs are not counted again)")
    batch_bytes = int(rep.total_activation_bytes.value)
    lines.append(f"activations for a batch of {rep.batch} in {rep.dtype}: {_human(batch_bytes)}")
    for t in rep.training:
        lines.append(f"training memory, batch {rep.batch}, {rep.dtype}, {OPTIMIZER_NAMES[t.optimizer]}: "
                     f"{_human(int(t.total.value))}")
    lines.append(f"  = parameters + gradients + optimizer state + buffers + activations kept for backward; "
                 f"assumptions: {ASSUMPTIONS}")
    return lines


def as_table(nc: NetworkCount, torch_counts: list[Any] | None = None, rep: Report | None = None) -> str:
    """A plain-text table with totals, memory, notes and the published-table warnings."""
    rep = rep or report(nc)
    headers = list(COLUMNS)
    rows = [list(_row(lc, rep)) for lc in nc.layers]
    if torch_counts is not None:
        headers += ["torch params", "torch shape"]
        for row, tc in zip(rows, torch_counts, strict=True):
            row += [_n(tc.params), "×".join(map(str, tc.output_shape))]
    total = ["total", "", "", _n(nc.weights), _n(nc.biases), _n(nc.parameters),
             _n(nc.connections), _n(nc.macs), ""]
    if torch_counts is not None:
        total += [_n(sum(tc.params for tc in torch_counts)), ""]
    numeric = {3, 4, 5, 6, 7, 8, 9}
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
    lines += _totals_text(nc, rep)
    for lc in nc.layers:
        if lc.note:
            lines.append(f"note: {lc.label}: {lc.note}")
    for w in contradictions(nc):
        lines.append(f"warning: {w}")
    return "\n".join(lines) + "\n"


def _number(value: int | Any) -> int | float:
    """An exact number for JSON: an integer, or a half (receptive-field centres), exact as a float."""
    return int(value) if getattr(value, "denominator", 1) == 1 else float(value)


def _field_json(fields: Fields) -> dict[str, list[int | float]] | None:
    if fields is None:
        return None
    return {"size": [int(f.size.value) for f in fields], "jump": [int(f.jump.value) for f in fields],
            "start": [_number(f.start.value) for f in fields]}


def _pads(lc: LayerCount) -> dict[str, int] | None:
    """The padding a convolution or pooling layer applies, side by side (SAME splits included)."""
    if not isinstance(lc.layer, (Conv, Pool)) or lc.out_h is None or lc.out_w is None:
        return None
    return {"top": lc.out_h.pad_before, "bottom": lc.out_h.pad_after, "left": lc.out_w.pad_before,
            "right": lc.out_w.pad_after}


def _extra(lc: LayerCount, rep: Report) -> dict[str, Any]:
    """The measures of one layer beyond the original table's, for JSON."""
    fan_in = rep.fan_in.get(lc.label)
    data: dict[str, Any] = {
        "macs": _macs(lc),
        "flops": 2 * _macs(lc),
        "buffers": int(lc.buffers.value) if lc.buffers is not None else 0,
        "fan_in": int(fan_in.value) if fan_in is not None else None,
        "receptive_field": _field_json(rep.fields.get(lc.label)),
        "in_activations_total": lc.in_activations_total,
        "activation_bytes": int(rep.activation_bytes[lc.label].value),
    }
    if (pads := _pads(lc)) is not None:
        data["padding"] = pads
    return data


def _training_json(rep: Report) -> dict[str, Any]:
    return {t.optimizer: {"parameters": int(t.parameters.value), "gradients": int(t.gradients.value),
                          "optimizer_state": int(t.state.value), "buffers": int(t.buffers.value),
                          "activations": int(t.activations.value), "total": int(t.total.value)}
            for t in rep.training}


def as_json(nc: NetworkCount, rep: Report | None = None) -> str:
    """Everything the table shows, as JSON (exact integers)."""
    rep = rep or report(nc)
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
                **_extra(lc, rep),
            }
            for lc in nc.layers
        ],
        "totals": {"weights": nc.weights, "biases": nc.biases, "parameters": nc.parameters,
                   "connections": nc.connections, "activations": nc.activations, "macs": nc.macs,
                   "flops": int(rep.flops.value), "buffers": nc.buffers},
        "memory_bytes": memory(nc.parameters),
        "warnings": [str(w) for w in contradictions(nc)],
        "batch": rep.batch,
        "dtype": rep.dtype,
        "activation_bytes": int(rep.total_activation_bytes.value),
        "training_bytes": _training_json(rep),
        "assumptions": ASSUMPTIONS,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _csv_field(fields: Fields) -> list[str]:
    if fields is None:
        return ["", "", ""]
    return ["x".join(str(_number(getattr(f, part).value)) for f in fields) for part in ("size", "jump", "start")]


def _pad_cells(lc: LayerCount) -> list[int | str]:
    pads = _pads(lc)
    return list(pads.values()) if pads is not None else ["", "", "", ""]


def as_csv(nc: NetworkCount, rep: Report | None = None) -> str:
    """One row per layer plus a total row; plain integers for spreadsheets."""
    rep = rep or report(nc)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["layer", "type", "output_shape", "weights", "biases", "parameters", "connections",
                     "activations", "macs", "flops", "buffers", "fan_in", "rf_size", "rf_jump", "rf_start",
                     "in_activations_total", f"activation_bytes_b{rep.batch}_{rep.dtype}", "pad_top", "pad_bottom",
                     "pad_left", "pad_right"])
    for lc in nc.layers:
        fan_in = rep.fan_in.get(lc.label)
        writer.writerow([lc.label, describe_kind(lc.layer), _shape(lc.output_shape).replace("×", "x"),
                         int(lc.weights.value), int(lc.biases.value), int(lc.parameters.value),
                         int(lc.connections.value), int(lc.activations.value), _macs(lc), 2 * _macs(lc),
                         int(lc.buffers.value) if lc.buffers is not None else 0,
                         int(fan_in.value) if fan_in is not None else "", *_csv_field(rep.fields.get(lc.label)),
                         "yes" if lc.in_activations_total else "no", int(rep.activation_bytes[lc.label].value),
                         *_pad_cells(lc)])
    writer.writerow(["total", "", "", nc.weights, nc.biases,
                     nc.parameters, nc.connections, nc.activations, nc.macs, int(rep.flops.value), nc.buffers,
                     "", "", "", "", "", int(rep.total_activation_bytes.value), "", "", "", ""])
    return buffer.getvalue()


def as_latex(nc: NetworkCount, rep: Report | None = None) -> str:
    """A booktabs tabular (needs \\usepackage{booktabs}) ready to \\input into a document."""
    rep = rep or report(nc)
    lines = [r"\begin{tabular}{llrrrrrrr}", r"\toprule",
             r"Layer & Type & Output & Weights & Biases & Parameters & Connections & MACs & RF \\", r"\midrule"]
    for lc in nc.layers:
        cells = [latex_escape(lc.label), latex_escape(describe_kind(lc.layer)),
                 "$" + _shape(lc.output_shape).replace("×", r" \times ") + "$"]
        cells += ["$" + numbers.latex(int(q.value)) + "$" for q in (lc.weights, lc.biases, lc.parameters,
                                                                     lc.connections)]
        cells.append("$" + numbers.latex(_macs(lc)) + "$")
        field = _field(rep.fields.get(lc.label))
        cells.append("$" + field.replace("×", r" \times ") + "$" if field else "")
        lines.append(" & ".join(cells) + r" \\")
    lines.append(r"\midrule")
    totals = [nc.weights, nc.biases, nc.parameters, nc.connections, nc.macs]
    lines.append(r"Total & & & " + " & ".join("$" + numbers.latex(v) + "$" for v in totals) + r" & \\")
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


def _explain_fields(fields: Fields) -> list[str]:
    if fields is None:
        return []
    h, w = fields
    if h.values() == w.values() and h.size.values == w.size.values:
        names = [("RF size", h.size), ("RF jump", h.jump), ("RF start", h.start)]
    else:
        names = [("RF size_h", h.size), ("RF size_w", w.size), ("RF jump_h", h.jump), ("RF jump_w", w.jump),
                 ("RF start_h", h.start), ("RF start_w", w.start)]
    return [_explain_quantity(name, q) for name, q in names if q.formula != "rf.input"]


def explain(nc: NetworkCount, rep: Report | None = None) -> str:
    """For every layer: formula → substitution → result for its size, counts and measures."""
    rep = rep or report(nc)
    out = []
    for lc in nc.layers:
        if isinstance(lc.layer, Concat):
            spec = f"concat of {len(lc.layer.branches)} branches along the maps"
        elif isinstance(lc.layer, Residual):
            spec = "residual: body + " + ("shortcut" if lc.layer.shortcut else "identity shortcut")
        else:
            spec = format_layer(replace(lc.layer, name=""))
        out.append(f"{lc.label} — {spec}: {_shape(lc.input_shape)} → {_shape(lc.output_shape)}")
        if lc.out_h is not None and lc.out_w is not None:
            out.append(_explain_quantity("O" if lc.out_h == lc.out_w else "O_h", lc.out_h.size))
            if lc.out_h != lc.out_w:
                out.append(_explain_quantity("O_w", lc.out_w.size))
            if isinstance(lc.layer, (Conv, Pool)) and lc.layer.padding == "same":
                pads = (lc.out_h.pad_before, lc.out_h.pad_after, lc.out_w.pad_before, lc.out_w.pad_after)
                out.append(f"  {'SAME pads':<12} = top {pads[0]}, bottom {pads[1]}, left {pads[2]}, right {pads[3]}")
        if lc.flatten_length is not None:
            out.append(_explain_quantity("flatten", lc.flatten_length))
        if int(lc.parameters.value) or int(lc.weights.value):
            out.append(_explain_quantity("#W", lc.weights))
            out.append(_explain_quantity("#B", lc.biases))
            out.append(_explain_quantity("#W + #B", lc.parameters))
        if lc.buffers is not None and int(lc.buffers.value):
            out.append(_explain_quantity("buffers", lc.buffers))
        if int(lc.connections.value):
            out.append(_explain_quantity("connections", lc.connections))
        if lc.macs is not None and int(lc.macs.value):
            out.append(_explain_quantity("MACs", lc.macs))
        if (fan_in := rep.fan_in.get(lc.label)) is not None:
            out.append(_explain_quantity("fan-in", fan_in))
        if isinstance(lc.layer, Concat):
            out.append(f"  {'N_c':<12} = " + " + ".join(_n(out_d) for out_d in _branch_depths(nc, lc))
                       + f" = {_n(lc.output_shape.d)}")  # type: ignore[union-attr]
        fields = rep.fields.get(lc.label)
        if isinstance(lc.layer, (Conv, Pool, Crop)):  # the layers that change the field (others keep it)
            out += _explain_fields(fields)
        elif isinstance(lc.layer, (Concat, Residual)) and fields is not None:
            size, jump, start = fields[0].values()
            out.append(f"  {'RF':<12} = its largest branch's: size {size}, jump {jump}, start {_number(start)}")
        if lc.note:
            out.append(f"  note: {lc.note}")
    out.append(f"total parameters = {nc.parameters:,}")
    if nc.buffers:
        out.append(f"total buffers = {_n(nc.buffers)}")
    out.append(f"total MACs = {_n(nc.macs)}")
    out.append(_explain_quantity("FLOPs", rep.flops).strip().replace("2 × M =", "2 × MACs =", 1))
    out.append(f"activations A = {_n(nc.activations)} (each layer's output once; relu, tanh, sigmoid, softmax, dropout "
               "and flatten outputs are not counted again)")
    out.append(_explain_quantity(f"memory for B = {rep.batch}, {rep.dtype} (bytes)", rep.total_activation_bytes)
               .strip())
    for t in rep.training:
        out.append(_explain_quantity(f"training memory, {OPTIMIZER_NAMES[t.optimizer]} (bytes)", t.total).strip())
    out.append(f"  b = bytes per value, k = optimizer values per parameter, P = parameters, U = buffers; "
               f"assumptions: {ASSUMPTIONS}")
    return "\n".join(out) + "\n"


def _branch_depths(nc: NetworkCount, merge: LayerCount) -> list[int]:
    """The output depths of a concat's branches, from the rows just before its merge row."""
    assert isinstance(merge.layer, Concat)
    position = nc.layers.index(merge)
    depths = []
    for number, branch in enumerate(merge.layer.branches, start=1):
        if not branch:
            depths.append(merge.input_shape.d)  # type: ignore[union-attr]
            continue
        prefix = f"{merge.label}.{number}."
        last = [lc for lc in nc.layers[:position] if lc.label.startswith(prefix) and lc.depth == merge.depth + 1]
        depths.append(last[-1].output_shape.d)  # type: ignore[union-attr]
    return depths
