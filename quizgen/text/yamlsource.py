"""YAML that remembers line numbers, so a mistake in a bank or network file names its line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from quizgen.errors import QuizgenError


class LinedDict(dict):
    """A mapping from YAML with ``line`` (its own, 1-based) and ``key_lines`` (per key)."""

    line: int = 0
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class LinedList(list):
    """A sequence from YAML with ``line`` and ``item_lines``."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class _Loader(yaml.SafeLoader):
    pass


def _mapping(loader: _Loader, node: yaml.MappingNode) -> LinedDict:
    loader.flatten_mapping(node)
    result = LinedDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise QuizgenError(f"key '{key}' appears twice", where=f"line {key_node.start_mark.line + 1}",
                               fix="keep one of them")
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> LinedList:
    result = LinedList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def load(path: Path) -> Any:
    """Parse a YAML file; QuizgenError with the file and line for unreadable or malformed YAML."""
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise QuizgenError(f"no such file '{path}'", fix="check the path") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise QuizgenError(f"cannot read '{path}': {exc}", fix="give a UTF-8 YAML file") from None
    try:
        return yaml.load(source, Loader=_Loader)  # noqa: S506 - _Loader derives from SafeLoader
    except QuizgenError as exc:
        raise exc.located(str(path)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f", line {mark.line + 1}" if mark else ""
        raise QuizgenError(f"not valid YAML: {exc.problem or exc.context}", where=f"{path}{line}",
                           fix="check the indentation and quoting") from None
    except yaml.YAMLError as exc:
        raise QuizgenError(f"not valid YAML: {exc}", where=str(path), fix="check the file") from None
