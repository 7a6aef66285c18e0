"""An instructor's stem, rendered in Jinja2's sandbox and restricted further to what a stem needs.

A stem may print names (``{{ W }}``, ``{{ n|num }}`` inside ``$...$``), do arithmetic on them (``{{ 2*n }}``)
and choose words with ``{% if %}``. Everything else is refused when the stem is read, with the reason: loops
(a stem cannot run for long), attributes and items (``{{ W.__class__ }}``), calls, ``**``, assignments,
includes, macros. The sandbox (``ImmutableSandboxedEnvironment``) stays underneath as a second wall.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from functools import cache
from typing import Any

from jinja2 import pass_context

from quizgen.errors import QuizgenError
from quizgen.problems.expr import closest
from quizgen.text import numbers

MAX_LENGTH = 5000  # characters of one stem
FILTERS = ("num",)


@cache
def _environment() -> Any:
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class StemEnvironment(ImmutableSandboxedEnvironment):
        """The sandbox, with exact arithmetic (3/2 is 3/2, not 1.5) on bounded whole numbers and fractions."""

        intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            return _binop(operator, left, right)

    env = StemEnvironment(undefined=jinja2.StrictUndefined, autoescape=False, trim_blocks=True, lstrip_blocks=True,
                          finalize=_finalize)
    env.filters = {"num": _num}
    env.globals = {}
    env.tests = {}
    return env


def _binop(operator: str, left: Any, right: Any) -> Any:
    from quizgen.problems import expr

    if not (_number(left) and _number(right)):
        raise TypeError(f"'{operator}' needs two numbers, not {left!r} and {right!r}")
    a, b = Fraction(left), Fraction(right)
    if operator in ("/", "//", "%") and b == 0:
        raise ZeroDivisionError
    result = {"+": a + b, "-": a - b, "*": a * b, "/": a / b, "//": Fraction(a // b), "%": a % b}[operator]
    if max(result.numerator.bit_length(), result.denominator.bit_length()) > expr.MAX_DIGITS * 10 // 3:
        raise OverflowError("a value in the stem has more than 60 digits")
    return result.numerator if result.denominator == 1 else result


class _Math:
    """A number to print in LaTeX math (``|num``); ``_finalize`` prints it in the stem's language."""

    def __init__(self, value: Any) -> None:
        self.value = value


def _num(value: Any) -> _Math:
    return _Math(value)


@pass_context
def _finalize(context: Any, value: Any) -> Any:
    lang = context.get("_lang", "en")
    if isinstance(value, _Math):
        return numbers.latex(value.value, None, lang) if _number(value.value) else str(value.value)
    if _number(value):
        return numbers.plain(value, None, lang)
    return value


def _number(value: Any) -> bool:
    return isinstance(value, (int, Fraction)) and not isinstance(value, bool)


_ALLOWED_NODES = (
    "Template", "Output", "TemplateData", "Name", "Const", "Filter", "If", "Compare", "Operand", "And", "Or",
    "Not", "Add", "Sub", "Mul", "Div", "FloorDiv", "Mod", "Neg", "Pos", "CondExpr",
)
_WORDS = {"For": "a loop ({% for %})", "Getattr": "an attribute (x.name)", "Getitem": "an item (x[...])",
          "Call": "a call", "Pow": "'**'", "Assign": "an assignment ({% set %})", "Macro": "a macro",
          "Include": "an include", "Import": "an import", "FromImport": "an import", "Extends": "extends",
          "Block": "a block", "FilterBlock": "a filter block", "With": "a with block", "Test": "a test (is ...)",
          "List": "a list", "Dict": "a mapping", "Tuple": "a tuple", "Concat": "'~'", "Slice": "a slice",
          "CallBlock": "a call block", "AssignBlock": "an assignment", "ScopedEvalContextModifier": "autoescape",
          "EvalContextModifier": "autoescape", "ExprStmt": "do"}


def check_stem(source: str, names: Mapping[str, Any] | list[str], where: str, lang: str, kind: str = "stem") -> Any:
    """The stem's template, read and checked; QuizgenError (with the line in the stem) for anything not allowed.
    ``kind`` names the text in messages (a stem, or a wrong answer's feedback, follows the same rules)."""
    import jinja2
    from jinja2 import nodes

    what = f"{kind} ({lang})"
    if len(source) > MAX_LENGTH:
        raise QuizgenError(f"{what} is {len(source)} characters long", where=where, fix=f"keep it under {MAX_LENGTH}")
    env = _environment()
    try:
        tree = env.parse(source)
    except jinja2.TemplateSyntaxError as exc:
        raise QuizgenError(f"{what}, line {exc.lineno} of the text: {exc.message}", where=where,
                           fix="write {{ name }} to print a value and {% if ... %}...{% endif %} to choose words; "
                               "a literal brace is {{ '{' }}") from None
    for node in tree.find_all(nodes.Node):
        kind = type(node).__name__
        if kind not in _ALLOWED_NODES:
            raise QuizgenError(f"{what}, line {node.lineno} of the text: {_WORDS.get(kind, kind)} is not allowed "
                               "in a stem", where=where,
                               fix="use {{ name }}, {{ name|num }}, arithmetic (+ - * / // %) and {% if %} only")
        if isinstance(node, nodes.Filter) and node.name not in FILTERS:
            raise QuizgenError(f"{what}, line {node.lineno} of the text: the filter '{node.name}' is not allowed",
                               where=where, fix="the only filter is num: {{ W|num }} prints W for LaTeX math")
        if isinstance(node, nodes.Name) and node.ctx == "load" and node.name not in names:
            close = closest(node.name, list(names))
            raise QuizgenError(f"{what}, line {node.lineno} of the text: unknown name '{node.name}'", where=where,
                               fix=f"did you mean '{close}'?" if close else "the names are " + ", ".join(names))
    return env.from_string(tree)


def render_stem(source: str, values: Mapping[str, Any], lang: str, where: str, kind: str = "stem") -> str:
    """The stem with these values, in ``lang``; QuizgenError for a mistake or anything the sandbox refuses."""
    import jinja2
    from jinja2.sandbox import SecurityError

    template = check_stem(source, list(values), where, lang, kind)
    try:
        text = template.render({**values, "_lang": lang})
    except SecurityError as exc:
        raise QuizgenError(f"{kind} ({lang}): {exc}", where=where, fix="print names and arithmetic only") from None
    except ZeroDivisionError:
        raise QuizgenError(f"{kind} ({lang}) divides by zero with {dict(values)}", where=where,
                           fix="change the arithmetic, or add a where: condition that excludes these values") from None
    except (jinja2.TemplateError, TypeError, ValueError, OverflowError) as exc:
        raise QuizgenError(f"{kind} ({lang}): {exc}", where=where, fix="print names and arithmetic only") from None
    return text.strip()
