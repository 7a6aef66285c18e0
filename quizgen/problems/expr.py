"""A small, safe expression language for custom exercises: ``W % 8 == 0``, ``conv_out(W, 3, 2, 1)``, ``2*n``.

Python's ``ast`` only parses the text; nothing is compiled or run. A walker evaluates a fixed set of nodes
exactly (whole numbers and fractions, never floats): numbers, the declared names, ``+ - * / // % **``,
comparisons, ``and or not``, ``a if c else b`` and the functions in ``FUNCTIONS``. Anything else (attributes,
subscripts, strings, lambdas, other calls) is refused when the expression is read, with the reason.

Sizes are bounded so that no expression can hang or exhaust memory: the text's length, its nesting, the
exponent of ``**`` and the digits of every intermediate value. ``check_with_sympy`` evaluates the same tree
again with sympy's exact numbers, the second opinion every number a student sees gets.
"""

from __future__ import annotations

import ast
import difflib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from quizgen.errors import InternalError, QuizgenError

MAX_LENGTH = 300  # characters of one expression
MAX_DEPTH = 30  # nesting of its tree
MAX_EXPONENT = 64  # of ``**``
MAX_DIGITS = 60  # of any value met while evaluating (numerator and denominator)

Value = int | Fraction | bool


def _floor(x: Value) -> int:
    return math.floor(x)


def _ceil(x: Value) -> int:
    return math.ceil(x)


def _conv_out(w: Value, f: Value, s: Value = 1, p: Value = 0) -> int:
    """The output size of a convolution or pooling along one axis: floor((W - f + 2p)/s) + 1."""
    if s == 0:
        raise ZeroDivisionError("conv_out with stride 0")
    return math.floor(Fraction(w - f + 2 * p) / s) + 1


# name -> (function, smallest and largest number of arguments, what it does)
FUNCTIONS: dict[str, tuple[Callable[..., Value], int, int, str]] = {
    "min": (min, 2, 8, "the smallest argument"),
    "max": (max, 2, 8, "the largest argument"),
    "floor": (_floor, 1, 1, "rounded down"),
    "ceil": (_ceil, 1, 1, "rounded up"),
    "abs": (abs, 1, 1, "the absolute value"),
    "conv_out": (_conv_out, 2, 4, "conv_out(W, f, s=1, p=0) = floor((W - f + 2p)/s) + 1, a layer's output size"),
}

_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%", ast.Pow: "**"}
_COMPARE = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
_ALLOWED = "numbers, names, + - * / // % **, comparisons, and/or/not, 'a if c else b' and " + ", ".join(FUNCTIONS)


class ExprError(QuizgenError):
    """A mistake in an expression (read or evaluated): the message quotes it; the caller adds the place."""


@dataclass(frozen=True)
class Expr:
    """A parsed expression: its text, its tree (checked to hold only allowed nodes) and the names it reads."""

    text: str
    tree: ast.expr
    names: tuple[str, ...]

    def evaluate(self, values: Mapping[str, Value]) -> Value:
        """The exact value with these names bound; ExprError for a division by zero or a value too large."""
        try:
            return _eval(self.tree, values, _EXACT)
        except ZeroDivisionError:
            raise ExprError(f"'{self.text}' divides by zero with {_bound(self, values)}",
                            fix="add a where: condition that excludes these values, or change the expression"
                            ) from None


def parse(text: Any, known: Mapping[str, Any] | tuple[str, ...] = ()) -> Expr:
    """Read an expression; ExprError naming the first thing not allowed, or a name not in ``known``."""
    if isinstance(text, bool) or not isinstance(text, (str, int)):
        raise ExprError(f"an expression must be text or a whole number, not {type(text).__name__}",
                        fix="write it in quotes, e.g. \"W % 8 == 0\"")
    text = str(text).strip()
    if not text:
        raise ExprError("the expression is empty", fix="write e.g. \"W % 8 == 0\"")
    if len(text) > MAX_LENGTH:
        raise ExprError(f"the expression is {len(text)} characters long", fix=f"keep it under {MAX_LENGTH}")
    try:
        tree = ast.parse(text, mode="eval").body
    except SyntaxError as exc:
        column = f" at column {exc.offset}" if exc.offset else ""
        raise ExprError(f"'{text}' is not a valid expression{column} ({exc.msg})",
                        fix="use " + _ALLOWED) from None
    except (RecursionError, MemoryError, ValueError):
        raise ExprError(f"'{text}' is nested too deeply", fix=f"nest at most {MAX_DEPTH} levels") from None
    names: list[str] = []
    _check(tree, text, names, 0)
    for name in names:
        if known and name not in known:
            close = closest(name, list(known))
            fix = f"did you mean '{close}'?" if close else (
                "declare it under 'params:' or 'let:' (known names: " + ", ".join(known) + ")")
            raise ExprError(f"'{text}' uses the unknown name '{name}'", fix=fix)
    return Expr(text, tree, tuple(dict.fromkeys(names)))


def closest(name: str, known: list[str]) -> str | None:
    """The known name a misspelt one most likely means (``w`` for ``W``), or None."""
    same_case = [k for k in known if k.lower() == name.lower()]
    if same_case:
        return same_case[0]
    close = difflib.get_close_matches(name, known, n=1)
    return close[0] if close else None


def _check(node: ast.AST, text: str, names: list[str], depth: int) -> None:
    """Refuse every node outside the language (before anything is evaluated)."""
    if depth > MAX_DEPTH:
        raise ExprError(f"'{text}' is nested too deeply", fix=f"nest at most {MAX_DEPTH} levels")
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int):
            raise ExprError(f"'{text}' holds {node.value!r}: only whole numbers are allowed",
                            fix="write fractions as a division, e.g. 3/2")
        if node.value.bit_length() > MAX_DIGITS * 10 // 3:
            raise ExprError(f"'{text}' holds a number with too many digits", fix=f"use at most {MAX_DIGITS} digits")
        return
    if isinstance(node, ast.Name):
        if node.id.startswith("_") or node.id in FUNCTIONS:
            raise ExprError(f"'{text}' uses the name '{node.id}' as a value", fix="use " + _ALLOWED)
        names.append(node.id)
        return
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        children: list[ast.AST] = [node.left, node.right]
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd, ast.Not)):
        children = [node.operand]
    elif isinstance(node, ast.BoolOp):
        children = list(node.values)
    elif isinstance(node, ast.Compare) and all(type(op) in _COMPARE for op in node.ops):
        children = [node.left, *node.comparators]
    elif isinstance(node, ast.IfExp):
        children = [node.test, node.body, node.orelse]
    elif isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name not in FUNCTIONS or node.keywords:
            shown = name or ast.get_source_segment(text, node.func) or "?"
            raise ExprError(f"'{text}' calls '{shown}', which is not allowed",
                            fix="the functions are " + ", ".join(FUNCTIONS) + " (positional arguments only)")
        _, low, high, _ = FUNCTIONS[name]
        if not low <= len(node.args) <= high or any(isinstance(a, ast.Starred) for a in node.args):
            raise ExprError(f"'{text}': {name} takes {low} to {high} arguments, not {len(node.args)}",
                            fix=f"{name}: {FUNCTIONS[name][3]}")
        children = list(node.args)
    else:
        what = ast.get_source_segment(text, node) or type(node).__name__
        raise ExprError(f"'{text}' holds '{what}', which is not allowed", fix="use " + _ALLOWED)
    for child in children:
        _check(child, text, names, depth + 1)


@dataclass(frozen=True)
class _Arithmetic:
    """How leaves, functions and results are made: exact Python numbers, or sympy's."""

    number: Callable[[int], Any]
    functions: Mapping[str, Callable[..., Any]]
    divide: Callable[[Any, Any], Any]


def _bounded(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        big = value.bit_length()
    elif isinstance(value, Fraction):
        big = max(value.numerator.bit_length(), value.denominator.bit_length())
        if big <= MAX_DIGITS * 10 // 3 and value.denominator == 1:
            return value.numerator
    else:  # sympy
        big = max(abs(int(value.p)).bit_length(), int(value.q).bit_length()) if value.is_Rational else 0
    if big > MAX_DIGITS * 10 // 3:
        raise ExprError("a value in the expression has more than 60 digits", fix="use smaller numbers")
    return value


def _power(base: Any, exponent: Any) -> Any:
    if exponent != int(exponent) or abs(exponent) > MAX_EXPONENT:
        raise ExprError(f"an exponent of {exponent} is not allowed", fix=f"use whole exponents up to {MAX_EXPONENT}")
    if exponent < 0 and base == 0:
        raise ZeroDivisionError("0 to a negative power")
    if exponent < 0 and isinstance(base, int):
        base = Fraction(base)  # exact: 2 ** -2 is 1/4, not 0.25
    bits = abs(base).numerator.bit_length() if isinstance(base, Fraction) else int(abs(base)).bit_length()
    if bits * abs(int(exponent)) > MAX_DIGITS * 10 // 3 + 64:
        raise ExprError("a value in the expression has more than 60 digits", fix="use smaller numbers")
    return base ** exponent


def _exact_divide(a: Value, b: Value) -> Value:
    result = Fraction(a) / Fraction(b)
    return result.numerator if result.denominator == 1 else result


_EXACT = _Arithmetic(int, {name: spec[0] for name, spec in FUNCTIONS.items()}, _exact_divide)


def _eval(node: ast.AST, values: Mapping[str, Any], arith: _Arithmetic) -> Any:
    if isinstance(node, ast.Constant):
        return arith.number(node.value)
    if isinstance(node, ast.Name):
        value = values[node.id]
        return arith.number(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if isinstance(node, ast.BinOp):
        a, b = _eval(node.left, values, arith), _eval(node.right, values, arith)
        op = _BINARY[type(node.op)]
        if op == "+":
            result = a + b
        elif op == "-":
            result = a - b
        elif op == "*":
            result = a * b
        elif op == "/":
            if b == 0:
                raise ZeroDivisionError
            result = arith.divide(a, b)
        elif op == "//":
            if b == 0:
                raise ZeroDivisionError
            result = a // b
        elif op == "%":
            if b == 0:
                raise ZeroDivisionError
            result = a % b
        else:
            result = _power(a, b)
        return _bounded(result)
    if isinstance(node, ast.UnaryOp):
        operand = _eval(node.operand, values, arith)
        if isinstance(node.op, ast.Not):
            return not operand
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BoolOp):
        if isinstance(node.op, ast.And):
            return all(bool(_eval(v, values, arith)) for v in node.values)
        return any(bool(_eval(v, values, arith)) for v in node.values)
    if isinstance(node, ast.Compare):
        left = _eval(node.left, values, arith)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = _eval(right_node, values, arith)
            ok = {"==": left == right, "!=": left != right, "<": left < right, "<=": left <= right,
                  ">": left > right, ">=": left >= right}[_COMPARE[type(op)]]
            if not ok:
                return False
            left = right
        return True
    if isinstance(node, ast.IfExp):
        chosen = node.body if bool(_eval(node.test, values, arith)) else node.orelse
        return _eval(chosen, values, arith)
    if isinstance(node, ast.Call):
        args = [_eval(a, values, arith) for a in node.args]
        return _bounded(arith.functions[node.func.id](*args))
    raise InternalError(f"expression node {type(node).__name__} passed the check")


def _bound(expr: Expr, values: Mapping[str, Value]) -> str:
    return ", ".join(f"{name} = {values[name]}" for name in expr.names if name in values) or "no names"


def _sympy_arithmetic() -> _Arithmetic:
    import sympy

    def conv_out(w: Any, f: Any, s: Any = 1, p: Any = 0) -> Any:
        if s == 0:
            raise ZeroDivisionError
        return sympy.floor(sympy.Rational(w - f + 2 * p) / s) + 1

    functions = {"min": sympy.Min, "max": sympy.Max, "floor": sympy.floor, "ceil": sympy.ceiling,
                 "abs": sympy.Abs, "conv_out": conv_out}
    return _Arithmetic(sympy.Integer, functions, lambda a, b: sympy.Rational(a) / b)


def check_with_sympy(expr: Expr, values: Mapping[str, Value], result: Value) -> None:
    """InternalError unless sympy, evaluating the same expression exactly, gives ``result``."""
    import sympy

    exact = {k: (sympy.Rational(v.numerator, v.denominator) if isinstance(v, Fraction) else v)
             for k, v in values.items()}
    theirs = _eval(expr.tree, exact, _sympy_arithmetic())
    if isinstance(result, bool) or isinstance(theirs, (bool, sympy.logic.boolalg.BooleanAtom)):
        same = bool(theirs) == bool(result)
    else:
        same = sympy.Rational(theirs) == sympy.Rational(Fraction(result).numerator, Fraction(result).denominator)
    if not same:
        raise InternalError(f"'{expr.text}' with {_bound(expr, values)}: {result}, but sympy gives {theirs}")
