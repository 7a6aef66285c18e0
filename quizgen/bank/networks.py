"""Networks from the command line: a built-in name, a YAML file, or a one-line spec."""

from __future__ import annotations

from pathlib import Path

from quizgen.errors import QuizgenError
from quizgen.nets.layers import Network


def load_network(arg: str) -> Network:
    """A built-in name (lenet5, alexnet, ...), a ``.yaml``/``.yml`` file, or a spec string."""
    from quizgen.nets.builtin import BUILTINS, builtin
    from quizgen.nets.spec import parse_spec

    if arg in BUILTINS:
        return builtin(arg)
    if arg.endswith((".yaml", ".yml")) or (Path(arg).is_file() and ">" not in arg):
        return load_yaml_network(Path(arg))
    if ">" not in arg and "x" not in arg:
        return builtin(arg)  # raises with a did-you-mean for a misspelled built-in name
    return parse_spec(arg)


def load_yaml_network(path: Path) -> Network:
    """A network file::

        name: my-net
        title: A small CNN
        input: 32x32x1
        layers:
          - "C1: conv 6 5"
          - maxpool 2
          - fc 10
    """
    from quizgen.nets.spec import parse_input, parse_layer
    from quizgen.text.yamlsource import LinedDict, LinedList, load

    data = load(path)
    if not isinstance(data, LinedDict) or "input" not in data or "layers" not in data:
        raise QuizgenError("a network file needs 'input' and 'layers'", where=str(path),
                           fix="write input: 32x32x1 and layers: [conv 6 5, maxpool 2, fc 10]")
    for key in data:
        if key not in ("name", "title", "source", "input", "layers"):
            import difflib

            close = difflib.get_close_matches(str(key), ["name", "title", "source", "input", "layers"], n=1)
            raise QuizgenError(f"unknown key '{key}'", where=f"{path}, line {data.line_of(key)}",
                               fix=f"did you mean '{close[0]}'?" if close else "keys: name, title, input, layers")
    try:
        inp = parse_input(str(data["input"]))
    except QuizgenError as exc:
        raise QuizgenError(exc.message, where=f"{path}, line {data.line_of('input')}", fix=exc.fix) from None
    layers_data = data["layers"]
    if not isinstance(layers_data, LinedList) or not layers_data:
        raise QuizgenError("'layers' must be a non-empty list", where=f"{path}, line {data.line_of('layers')}",
                           fix="list one layer per line, e.g. '- conv 6 5'")
    layers = []
    for i, item in enumerate(layers_data):
        if not isinstance(item, str):
            raise QuizgenError(f"layer {i + 1} is not a spec string", where=f"{path}, line {layers_data.line_of(i)}",
                               fix="write each layer as in the spec grammar, e.g. '- conv 6 5 s=2'")
        try:
            layers.append(parse_layer(item, i + 1))
        except QuizgenError as exc:
            raise QuizgenError(exc.message, where=f"{path}, line {layers_data.line_of(i)}", fix=exc.fix) from None
    return Network(inp, tuple(layers), name=str(data.get("name", path.stem)), title=str(data.get("title", "")),
                   source=str(data.get("source", "")))
