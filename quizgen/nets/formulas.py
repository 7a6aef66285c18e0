"""The lecture's formulas, kept symbolic, and the exact evaluation that checks every number.

Each formula has a key, a sympy expression over named symbols and a display template written the
way the lecture writes it (``[f]^2 \\times [C] \\times [N_c]``). A ``Quantity`` is one number the
engine computed on its own integer path, plus the formula key and the values substituted. The
sympy path evaluates the formula exactly (integers and fractions, never floats) and must give the
same number: ``check`` raises ``InternalError`` otherwise. Each sympy expression is compiled to exact
Python arithmetic ahead of time (``formulas_exact``, written by ``scripts/compile_formulas.py``), so a run
need not import sympy; a formula changed since then is compiled from sympy when first used.

Composite keys combine registered formulas: ``"conv.weights+conv.biases"`` is their sum.
Problem families register their own formulas (memory, savings) with ``register``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from typing import Any

from quizgen.errors import InternalError

# symbol name -> LaTeX name; every symbol any formula may use
SYMBOLS: dict[str, str] = {
    "f": "f",
    "f_h": "f_h",
    "f_w": "f_w",
    "C": "C",
    "N_c": "N_c",
    "O": "O",
    "O_h": "O_h",
    "O_w": "O_w",
    "F": "F",
    "F_prev": "F_{-1}",
    "W": "W",
    "s": "s",
    "p": "p",
    "g": "g",
    "K": "K",
    "P": "P",
    "b": "b",
    "B": "B",
    "M": "M",
    "n": "n",
    "k": "k",
    "A": "A",
    "D": "D",
    "R": "R",
    "U": "U",
    "d": "d",
    "p_1": "p_1",
    "p_2": "p_2",
    "p_o": "p_o",
    "H": "H",
    # receptive fields: the previous layer's size, jump and start; a crop's offset
    "r_prev": "r_{-1}",
    "j_prev": "j_{-1}",
    "c_prev": "c_{-1}",
    "o": "o",
    # the MACs and parameters of a network's convolutional layers; a memory unit in bytes
    "M_conv": r"M_\mathrm{conv}",
    "P_conv": r"P_\mathrm{conv}",
    "u": "u",
    # the parameters of the 1st, 2nd, ... layer of a chain, for network totals
    "P_a": "P_1",
    "P_b": "P_2",
    "P_c": "P_3",
    "P_d": "P_4",
    "P_e": "P_5",
}

# key -> (sympy source, display template); [name] marks a symbol in the display template
_FORMULAS: dict[str, tuple[str, str]] = {
    "conv.weights": ("f**2*C*N_c", r"[f]^2 \times [C] \times [N_c]"),
    "conv.weights.rect": ("f_h*f_w*C*N_c", r"[f_h] \times [f_w] \times [C] \times [N_c]"),
    "conv.weights.grouped": ("f**2*(C/g)*N_c", r"[f]^2 \times \frac{[C]}{[g]} \times [N_c]"),
    "conv.weights.rect.grouped": (
        "f_h*f_w*(C/g)*N_c",
        r"[f_h] \times [f_w] \times \frac{[C]}{[g]} \times [N_c]",
    ),
    "conv.weights.table": ("f**2*K", r"[f]^2 \times [K]"),
    "conv.weights.rect.table": ("f_h*f_w*K", r"[f_h] \times [f_w] \times [K]"),
    "conv.biases": ("N_c", "[N_c]"),
    "zero": ("0", "0"),
    "layer.connections": ("P*O**2", r"[P] \times [O]^2"),
    "layer.connections.rect": ("P*O_h*O_w", r"[P] \times [O_h] \times [O_w]"),
    "pool.connections": ("f**2*N_c*O**2", r"[f]^2 \times [N_c] \times [O]^2"),
    "pool.connections.rect": ("f_h*f_w*N_c*O_h*O_w", r"[f_h] \times [f_w] \times [N_c] \times [O_h] \times [O_w]"),
    "subsampling.weights": ("N_c", "[N_c]"),
    "subsampling.biases": ("N_c", "[N_c]"),
    "subsampling.connections": ("(f**2 + 1)*N_c*O**2", r"([f]^2 + 1) \times [N_c] \times [O]^2"),
    "subsampling.connections.rect": (
        "(f_h*f_w + 1)*N_c*O_h*O_w",
        r"([f_h] \times [f_w] + 1) \times [N_c] \times [O_h] \times [O_w]",
    ),
    "size.explicit": (
        "floor((W - f + 2*p)/s) + 1",
        r"\left\lfloor \frac{[W] - [f] + 2 \times [p]}{[s]} \right\rfloor + 1",
    ),
    "size.same": ("ceiling(W/s)", r"\left\lceil \frac{[W]}{[s]} \right\rceil"),
    "size.valid": ("ceiling((W - f + 1)/s)", r"\left\lceil \frac{[W] - [f] + 1}{[s]} \right\rceil"),
    "maps.size": ("O**2*N_c", r"[O]^2 \times [N_c]"),
    "maps.size.rect": ("O_h*O_w*N_c", r"[O_h] \times [O_w] \times [N_c]"),
    "fc.weights.flatten": ("O**2*N_c*F", r"[O]^2 \times [N_c] \times [F]"),
    "fc.weights.flatten.rect": ("O_h*O_w*N_c*F", r"[O_h] \times [O_w] \times [N_c] \times [F]"),
    "fc.weights": ("F_prev*F", r"[F_prev] \times [F]"),
    "fc.biases": ("F", "[F]"),
    "fc.connections": ("P", "[P]"),
    "rbf.connections": ("F_prev*F", r"[F_prev] \times [F]"),
    "units": ("F", "[F]"),
    # beyond the lecture: dilation d, padding p_1 before and p_2 after, ceil mode, transposed convolution
    "size.explicit.dilated": (
        "floor((W + 2*p - d*(f - 1) - 1)/s) + 1",
        r"\left\lfloor \frac{[W] + 2 \times [p] - [d] \times ([f] - 1) - 1}{[s]} \right\rfloor + 1",
    ),
    "size.sides": (
        "floor((W - f + p_1 + p_2)/s) + 1",
        r"\left\lfloor \frac{[W] - [f] + [p_1] + [p_2]}{[s]} \right\rfloor + 1",
    ),
    "size.sides.dilated": (
        "floor((W + p_1 + p_2 - d*(f - 1) - 1)/s) + 1",
        r"\left\lfloor \frac{[W] + [p_1] + [p_2] - [d] \times ([f] - 1) - 1}{[s]} \right\rfloor + 1",
    ),
    "size.valid.dilated": (
        "ceiling((W - d*(f - 1))/s)",
        r"\left\lceil \frac{[W] - [d] \times ([f] - 1)}{[s]} \right\rceil",
    ),
    "size.ceil": (
        "ceiling((W - f + 2*p)/s) + 1",
        r"\left\lceil \frac{[W] - [f] + 2 \times [p]}{[s]} \right\rceil + 1",
    ),
    # PyTorch's ceil mode drops the last window when it would start in the right padding
    "size.ceil.dropped": (
        "ceiling((W - f + 2*p)/s)",
        r"\left\lceil \frac{[W] - [f] + 2 \times [p]}{[s]} \right\rceil + 1 - 1",
    ),
    "size.deconv": ("(W - 1)*s - 2*p + f + p_o", r"([W] - 1) \times [s] - 2 \times [p] + [f] + [p_o]"),
    "size.deconv.dilated": (
        "(W - 1)*s - 2*p + d*(f - 1) + p_o + 1",
        r"([W] - 1) \times [s] - 2 \times [p] + [d] \times ([f] - 1) + [p_o] + 1",
    ),
    "bn.weights": ("N_c", "[N_c]"),
    "bn.biases": ("N_c", "[N_c]"),
    "bn.buffers": ("2*N_c", r"2 \times [N_c]"),
    "rbf.buffers": ("F_prev*F", r"[F_prev] \times [F]"),
    "concat.depth": ("N_c", "[N_c]"),
    # multiply-accumulates (bias excluded): each weight once per output position (per input position for a
    # transposed convolution); FLOPs = 2 x MACs (one multiply and one add each)
    "fc.macs": ("F_prev*F", r"[F_prev] \times [F]"),
    "fc.macs.flatten": ("O**2*N_c*F", r"[O]^2 \times [N_c] \times [F]"),
    "fc.macs.flatten.rect": ("O_h*O_w*N_c*F", r"[O_h] \times [O_w] \times [N_c] \times [F]"),
    "flops": ("2*M", r"2 \times [M]"),
    "deconv.bias.connections": ("N_c*O_h*O_w", r"[N_c] \times [O_h] \times [O_w]"),
}

# a convolution's MACs: its weights formula times the output positions (O^2 or O_h O_w), or for a transposed
# convolution times the input positions (W^2 or H W)
for _key in ("conv.weights", "conv.weights.rect", "conv.weights.grouped", "conv.weights.rect.grouped",
             "conv.weights.table", "conv.weights.rect.table"):
    _source_text, _display_text = _FORMULAS[_key]
    _FORMULAS[_key + ".macs"] = (f"({_source_text})*O**2", _display_text + r" \times [O]^2")
    _FORMULAS[_key + ".macs.rect"] = (f"({_source_text})*O_h*O_w", _display_text + r" \times [O_h] \times [O_w]")
    _FORMULAS[_key + ".macs.in"] = (f"({_source_text})*W**2", _display_text + r" \times [W]^2")
    _FORMULAS[_key + ".macs.in.rect"] = (f"({_source_text})*H*W", _display_text + r" \times [H] \times [W]")

PLACEHOLDER = re.compile(r"\[([A-Za-z_][A-Za-z_0-9]*)\]")  # a symbol in a display template (p_1, p_2 too)


@dataclass(frozen=True, slots=True)
class Quantity:
    """One number with the formula that gives it and the values substituted into that formula."""

    value: int | Fraction
    formula: str
    values: tuple[tuple[str, int | Fraction], ...]

    def get(self, symbol: str) -> int | Fraction:
        return dict(self.values)[symbol]


def register(key: str, source: str, display: str) -> None:
    """Add a formula (families use this for memory, savings, ...). Re-registering must not change it."""
    old = _FORMULAS.get(key)
    if old is not None and old != (source, display):
        raise InternalError(f"formula {key!r} registered twice with different definitions")
    for name in PLACEHOLDER.findall(display):
        if name not in SYMBOLS:
            raise InternalError(f"formula {key!r}: unknown symbol {name!r}")
    _FORMULAS[key] = (source, display)


def keys() -> list[str]:
    return sorted(_FORMULAS)


def _parts(key: str) -> list[str]:
    return key.split("+")


def display(key: str) -> str:
    """The display template of a (possibly composite) formula."""
    try:
        return " + ".join(_FORMULAS[k][1] for k in _parts(key))
    except KeyError as exc:
        raise InternalError(f"unknown formula {key!r}") from exc


def _source(key: str) -> str:
    return " + ".join(f"({_source_of(k)})" for k in _parts(key))


@cache
def expression(key: str) -> Any:
    """The sympy expression of a formula (imports sympy on first use)."""
    import sympy

    local = {name: sympy.Symbol(name, integer=True, positive=True) for name in SYMBOLS}
    for name in ("p", "p_1", "p_2", "p_o", "o"):
        local[name] = sympy.Symbol(name, integer=True, nonnegative=True)
    local["c_prev"] = sympy.Symbol("c_prev", rational=True)  # a centre: a half pixel, or negative with padding
    return sympy.sympify(_source(key), locals=local)


def _code(expr: Any) -> str:
    """Python source that evaluates a sympy expression exactly, with ints and Fractions."""
    import sympy

    if expr.is_Integer:
        return f"{int(expr)}"
    if expr.is_Rational:
        return f"_Fr({expr.p}, {expr.q})"
    if expr.is_Symbol:
        return f"v[{expr.name!r}]"
    if expr.is_Add:
        return "(" + " + ".join(_code(a) for a in expr.args) + ")"
    if expr.is_Mul:
        return "(" + " * ".join(_code(a) for a in expr.args) + ")"
    if expr.is_Pow:
        base, exp = expr.args
        if exp.is_Integer and int(exp) < 0:
            return f"(_Fr(1) / ({_code(base)}) ** {-int(exp)})"
        if exp.is_Integer:
            return f"({_code(base)}) ** {int(exp)}"
    if isinstance(expr, (sympy.floor, sympy.ceiling)):
        fraction = _integer_fraction(expr.args[0])
        if fraction is not None:  # floor(a/b) of integers is a // b, exactly; ceil(a/b) is -(-a // b)
            num, den = fraction
            if isinstance(expr, sympy.floor):
                return f"(({num}) // ({den}))"
            return f"(-(-({num}) // ({den})))"
        name = "_floor" if isinstance(expr, sympy.floor) else "_ceil"
        return f"{name}({_code(expr.args[0])})"
    if isinstance(expr, sympy.Max):
        return "max(" + ", ".join(_code(a) for a in expr.args) + ")"
    if isinstance(expr, sympy.Min):
        return "min(" + ", ".join(_code(a) for a in expr.args) + ")"
    raise InternalError(f"cannot evaluate {expr!r} exactly")


def _integer_fraction(expr: Any) -> tuple[str, str] | None:
    """Code for (numerator, denominator) when expr is an integer expression over an integer symbol."""
    if not expr.is_Mul:
        return None
    inverse = [a for a in expr.args if a.is_Pow and a.args[1] == -1]
    rest = [a for a in expr.args if a not in inverse]
    if len(inverse) != 1 or not all(a.is_integer for a in rest) or not inverse[0].args[0].is_integer:
        return None
    numerator = " * ".join(_code(a) for a in rest) or "1"
    return numerator, _code(inverse[0].args[0])


@cache
def evaluator(key: str) -> Callable[[dict[str, int | Fraction]], int | Fraction]:
    """The exact evaluator of the formula's sympy expression: compiled ahead of time (``formulas_exact``) while that
    table holds the formula's current source, otherwise compiled here from sympy. A composite key sums its parts'
    evaluators, so its values name the symbols of every part."""
    from quizgen.nets.formulas_exact import EXACT

    parts = []
    for part in _parts(key):
        compiled = EXACT.get(part)
        if compiled is None or compiled[0] != _source_of(part):
            return _compile(key)
        parts.append(compiled[1])
    if len(parts) == 1:
        return parts[0]
    return lambda values: sum(part(values) for part in parts)


def _source_of(key: str) -> str:
    try:
        return _FORMULAS[key][0]
    except KeyError as exc:
        raise InternalError(f"unknown formula {key!r}") from exc


_NAMESPACE = {"_Fr": Fraction, "_floor": math.floor, "_ceil": math.ceil}


def _compile(key: str) -> Callable[[dict[str, int | Fraction]], int | Fraction]:
    """The formula's sympy expression as a Python function of exact arithmetic (imports sympy)."""
    return eval(f"lambda v: {_code(expression(key))}", dict(_NAMESPACE))  # noqa: S307 - source generated from sympy


def exact_module() -> str:
    """The source of ``quizgen/nets/formulas_exact.py``: every registered formula compiled from its sympy expression.

    ``scripts/compile_formulas.py`` writes it; a test fails while it and the registered formulas disagree."""
    lines = [
        '"""Every formula\'s sympy expression compiled to exact Python arithmetic (ints and Fractions).',
        "",
        "Written by ``scripts/compile_formulas.py`` from ``quizgen.nets.formulas``; do not edit. A formula whose",
        "source differs from the one recorded here is compiled from sympy when it is first used, and a test fails",
        "until the script is run again.",
        '"""',
        "",
        "import math",
        "from fractions import Fraction as _Fr",
        "",
        "_floor, _ceil = math.floor, math.ceil",
        "",
        "# key -> (the sympy source compiled, its exact evaluator of the values substituted)",
        "EXACT = {",
    ]
    for key in keys():
        lines.append(f"    {key!r}: (")
        lines.append(f"        {_source_of(key)!r},")
        lines.append(f"        lambda v: {_code(expression(key))},")
        lines.append("    ),")
    lines.append("}")
    return "\n".join(lines) + "\n"


def evaluate(key: str, values: dict[str, int | Fraction]) -> int | Fraction:
    """The formula's exact value for these substitutions (its sympy expression, compiled: ``evaluator``)."""
    result = evaluator(key)(values)
    if isinstance(result, Fraction) and result.denominator == 1:
        return int(result)
    return result


def check(q: Quantity, where: str) -> Quantity:
    """Assert the integer path and the formula's sympy expression agree on a quantity; return it."""
    _agree(q.value, q.formula, where, dict(q.values))
    return q


def quantity(value: int | Fraction, formula: str, where: str, **values: int | Fraction) -> Quantity:
    """Build a Quantity from the integer path's value and check it against the formula."""
    _agree(value, formula, where, values)
    return Quantity(value, formula, tuple(values.items()))


def _agree(value: int | Fraction, formula: str, where: str, values: dict[str, int | Fraction]) -> None:
    """InternalError unless the formula's exact value for ``values`` is ``value``."""
    try:
        expected = evaluator(formula)(values)
    except KeyError as exc:
        raise InternalError(f"{where}: formula {formula!r} lacks a value for {exc}") from exc
    if expected != value:
        raise InternalError(
            f"{where}: the engine computed {value} but {formula} ({display(formula)}) gives {expected}"
        )
