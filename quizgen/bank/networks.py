"""Networks from the command line: a built-in name, a YAML file, or a one-line spec."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from quizgen.errors import QuizgenError, location
from quizgen.nets.layers import Concat, Layer, Network, Residual
from quizgen.nets.spec import parse_layer


def load_network(arg: str) -> Network:
    """A built-in name (lenet5, alexnet, ...), a ``.yaml``/``.yml`` file, or a spec string."""
    from quizgen.nets.builtin import BUILTINS, builtin
    from quizgen.nets.spec import parse_spec

    if arg in BUILTINS:
        return builtin(arg)
    if arg.endswith((".yaml", ".yml")) or (">" not in arg and is_file(arg)):
        return load_yaml_network(Path(arg))
    if ">" not in arg and "x" not in arg:
        return builtin(arg)  # raises with a did-you-mean for a misspelled built-in name
    return parse_spec(arg)


def is_file(name: str | Path) -> bool:
    """Whether ``name`` is an existing file; a name the system cannot hold (too long, a NUL) is not one."""
    try:
        return Path(name).is_file()
    except (OSError, ValueError):
        return False


def load_yaml_network(path: Path) -> Network:
    """A network file; a layer is a spec string, or a named block of branches::

        name: my-net
        title: A small CNN
        input: 32x32x1
        layers:
          - "C1: conv 6 5"
          - maxpool 2
          - name: block1            # a residual block: body, and an optional projection shortcut
            res: [conv 6 3 p=1, bn, relu, conv 6 3 p=1, bn]
          - name: inception         # branches concatenated along the maps; 'id' is the input itself
            concat:
              - [conv 4 1]
              - [conv 4 1, conv 8 3 p=1]
          - fc 10
    """
    from quizgen.nets.spec import MAX_DIGITS, TOO_MANY_DIGITS, parse_input
    from quizgen.text.yamlsource import LinedDict, LinedList, load

    data = load(path)
    if not isinstance(data, LinedDict) or "input" not in data or "layers" not in data:
        raise QuizgenError("a network file needs 'input' and 'layers'", where=str(path),
                           fix="write input: 32x32x1 and layers: [conv 6 5, maxpool 2, fc 10]")
    for key in data:
        if key not in ("name", "title", "source", "input", "layers"):
            import difflib

            close = difflib.get_close_matches(str(key), ["name", "title", "source", "input", "layers"], n=1)
            raise QuizgenError(f"unknown key '{key}'", where=location(path, data.line_of(key)),
                               fix=f"did you mean '{close[0]}'?" if close else "keys: name, title, input, layers")
    if TOO_MANY_DIGITS.search(str(data["input"])):
        raise QuizgenError(f"the input holds a number of more than {MAX_DIGITS} digits",
                           where=location(path, data.line_of("input")), fix="use a smaller number")
    try:
        inp = parse_input(str(data["input"]).replace("×", "x"))
    except QuizgenError as exc:
        raise QuizgenError(exc.message, where=location(path, data.line_of("input")), fix=exc.fix) from None
    layers_data = data["layers"]
    if not isinstance(layers_data, LinedList) or not layers_data:
        raise QuizgenError("'layers' must be a non-empty list", where=location(path, data.line_of("layers")),
                           fix="list one layer per line, e.g. '- conv 6 5'")
    layers = _layers(layers_data, path, "")
    return Network(inp, layers, name=str(data.get("name", path.stem)), title=str(data.get("title", "")),
                   source=str(data.get("source", "")))


def _layers(items: Any, path: Path, branch: str) -> tuple[Layer, ...]:
    """The layers of a list (the network's, or one branch's) in the file."""
    from quizgen.nets.spec import MAX_DIGITS, TOO_MANY_DIGITS
    from quizgen.text.yamlsource import LinedList

    inside = f", branch {branch}" if branch else ""
    if not isinstance(items, LinedList):
        line = getattr(items, "line", 0)
        raise QuizgenError(f"branch {branch} is not a list of layers", where=location(path, line),
                           fix="write a branch as a list, e.g. [conv 4 1, conv 8 3 p=1], or 'id'")
    layers = []
    for i, item in enumerate(items):
        where = location(path, items.line_of(i)) + inside
        if isinstance(item, dict):
            layers.append(_block(item, i + 1, path, branch, where))
            continue
        if not isinstance(item, str):
            raise QuizgenError(f"layer {i + 1} is not a spec string", where=where,
                               fix="write each layer as in the spec grammar, e.g. '- conv 6 5 s=2'")
        if TOO_MANY_DIGITS.search(item):
            raise QuizgenError(f"layer {i + 1} holds a number of more than {MAX_DIGITS} digits", where=where,
                               fix="use a smaller number")
        try:
            layers.append(parse_layer(item, i + 1, branch=branch))
        except QuizgenError as exc:
            raise QuizgenError(exc.message, where=f"{where}, layer {i + 1} '{item.strip()}'", fix=exc.fix) from None
    return tuple(layers)


def _block(item: Any, position: int, path: Path, branch: str, where: str) -> Layer:
    """A block written as a mapping: name, and res (+ shortcut) or concat (a list of branches)."""
    kinds = [k for k in ("res", "concat") if k in item]
    unknown = [k for k in item if k not in ("name", "res", "shortcut", "concat")]
    if unknown or len(kinds) != 1 or ("shortcut" in item and kinds != ["res"]):
        raise QuizgenError(f"a block has 'name' and either 'res' (with an optional 'shortcut') or 'concat', not "
                           f"{', '.join(map(str, item))}", where=where,
                           fix="write name: block1 and res: [conv 8 3 p=1, bn] or concat: [[conv 4 1], [conv 8 1]]")
    name = str(item.get("name", ""))
    label = name or f"{kinds[0]}#{position}"
    label = f"{branch}.{label}" if branch else label

    def branch_layers(value: Any, inner: str) -> tuple[Layer, ...]:
        if isinstance(value, str) and value.strip().lower() in ("id", "identity"):
            return ()
        return _layers(value, path, inner)

    if kinds == ["res"]:
        body = branch_layers(item["res"], label)
        if not body:
            raise QuizgenError(f"the body of block {label} is the identity", where=where,
                               fix="list the block's layers under res, and the projection under shortcut")
        shortcut = branch_layers(item["shortcut"], f"{label}.shortcut") if "shortcut" in item else ()
        return Residual(body, shortcut, name)
    listed = item["concat"]
    if not isinstance(listed, list) or len(listed) < 2:
        raise QuizgenError(f"concat block {label} needs a list of at least two branches", where=where,
                           fix="write concat: [[conv 4 1], [conv 4 1, conv 8 3 p=1], id]")
    return Concat(tuple(branch_layers(b, f"{label}.{n}") for n, b in enumerate(listed, start=1)), name)


def entry_network(arg: str, folder: Path, family_id: str, difficulty: int, params: dict[str, Any],
                  lang: str) -> Network:
    """A bank entry's own network for its family's questions: a built-in name, a spec or a file (beside the bank,
    or as ``quizgen solve`` finds it), made the family's (``Family.own_network``: the layers its stems describe,
    named C1, S2, F3, ... by position when the spec leaves them unnamed) and every kind of question the entry can
    draw tried once (QuizgenError without a location)."""
    from dataclasses import replace

    from quizgen.nets.builtin import BUILTINS
    from quizgen.problems import family, generate
    from quizgen.problems.common import NoProblem
    from quizgen.problems.own import replaced, replaced_error
    from quizgen.problems.params import choices_of

    own_network = family(family_id).own_network
    assert own_network is not None, family_id
    unused = replaced(family_id, list(params))
    if unused:
        raise replaced_error(unused)
    beside = folder / arg
    try:
        network = load_network(str(beside) if is_file(beside) else arg)
    except QuizgenError as exc:
        raise QuizgenError(f"network: {exc.message}", fix=exc.fix) from None
    network = own_network(network, difficulty)
    # a spec has no title of its own; a built-in network's is said in the question's language (memory.py)
    title = network.title if is_file(beside) or is_file(arg) or arg in BUILTINS else ""
    network = replace(network, title=title, name=arg)
    declared = family(family_id).parameters
    kinds = (choices_of("kind", params["kind"]) if "kind" in params else declared["kind"].defaults(difficulty)) \
        if "kind" in declared else [None]
    # every kind of question the entry can draw, tried once: what fails here would fail in the middle of an export
    for kind in kinds:
        tried = {**params, "network": network} | ({"kind": kind} if kind else {})
        try:
            generate(family_id, seed=20260, difficulty=difficulty, lang=lang, params=tried)
        except QuizgenError:
            raise
        except NoProblem:  # every draw left a part without the mistakes it offers: they give the answer itself
            raise QuizgenError(f"no {family_id} question at difficulty {difficulty} can be asked about this network: "
                               "in every draw some of the mistakes a question offers give the right answer, or one "
                               "another's (a network this small leaves them no room)",
                               fix="use a network with larger layers, or another difficulty") from None
        except Exception as exc:  # noqa: BLE001 - a network the family cannot ask about is the bank's to change
            raise QuizgenError(f"no {family_id} question at difficulty {difficulty} can be asked about this network "
                               f"({type(exc).__name__}: {exc})",
                               fix="check it with quizgen solve NETWORK, or use another difficulty") from None
    return network
