"""YAML that remembers line numbers, so a mistake in a bank or network file names its line.

The loader is PyYAML's safe loader with bounds, so no file can make it hang or fill the memory: at
most ``MAX_DEPTH`` levels of nesting, ``MAX_NODES`` values once aliases are expanded (an anchor bomb
is refused before anything walks it), keys that are words or numbers, and whole numbers of at most
``MAX_DIGITS`` digits. Every refusal names the file and line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from quizgen.errors import QuizgenError, location


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


MAX_DEPTH = 50
MAX_NODES = 100_000
MAX_DIGITS = 100


def _line(node_or_event: Any) -> str:
    """Where a node or event starts: ``file:line`` (the loader names its marks after the file)."""
    mark = node_or_event.start_mark
    return location(mark.name, mark.line + 1)


class _Loader(yaml.SafeLoader):
    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise QuizgenError(f"more than {MAX_DEPTH} levels of nesting", where=_line(self.peek_event()),
                                   fix="write it with fewer levels of lists and mappings")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def compose_document(self) -> Any:
        node = super().compose_document()
        _bounded(node)
        return node


def _bounded(root: yaml.Node) -> None:
    """Refuse a document whose aliases expand to more than MAX_NODES values (an anchor bomb)."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        sizes[id(node)] = 1  # a recursive alias counts once instead of looping
        if isinstance(node, yaml.SequenceNode):
            total = 1 + sum(size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total = 1 + sum(size(k) + size(v) for k, v in node.value)
        else:
            total = 1
        if total > MAX_NODES:
            raise QuizgenError(f"this value expands to more than {MAX_NODES:,} values (through aliases)",
                               where=_line(node), fix="write the value out, without nested *aliases")
        sizes[id(node)] = total
        return total

    size(root)


def _int(loader: _Loader, node: yaml.ScalarNode) -> int:
    digits = sum(ch.isdigit() for ch in node.value)
    if digits > MAX_DIGITS:
        raise QuizgenError(f"a whole number of {digits:,} digits", where=_line(node),
                           fix=f"use a number of at most {MAX_DIGITS} digits")
    return yaml.SafeLoader.construct_yaml_int(loader, node)


def _mapping(loader: _Loader, node: yaml.MappingNode) -> LinedDict:
    loader.flatten_mapping(node)
    result = LinedDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            kind = "a list" if isinstance(key_node, yaml.SequenceNode) else "a mapping"
            raise QuizgenError(f"a key is {kind}", where=_line(key_node),
                               fix="write each key as a word followed by a colon, e.g. 'title:'")
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise QuizgenError(f"key '{key}' appears twice", where=_line(key_node), fix="keep one of them")
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
_Loader.add_constructor("tag:yaml.org,2002:int", _int)


def _parsed(source: str, name: str) -> Any:
    """``yaml.load`` with the bounded loader, its marks (and so every message) naming the file."""
    loader = _Loader(source)
    loader.name = name
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def load(path: Path) -> Any:
    """Parse a YAML file; QuizgenError with the file and line for unreadable or malformed YAML."""
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise QuizgenError(f"no such file '{path}'", fix="check the path") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise QuizgenError(f"cannot read '{path}': {exc}", fix="give a UTF-8 YAML file") from None
    try:
        return _parsed(source, str(path))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise QuizgenError(f"not valid YAML: {exc.problem or exc.context}",
                           where=location(path, mark.line + 1) if mark else str(path),
                           fix="check the indentation and quoting") from None
    except yaml.reader.ReaderError as exc:
        line = source.count("\n", 0, exc.position) + 1
        shown = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        raise QuizgenError(f"the control character {shown} is not allowed in YAML", where=location(path, line),
                           fix="remove it: a YAML file holds printable text") from None
    except yaml.YAMLError as exc:
        raise QuizgenError(f"not valid YAML: {exc}", where=str(path), fix="check the file") from None
