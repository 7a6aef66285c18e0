"""The text values of parsed YAML, for the tests that read every word of the templates."""

from __future__ import annotations

from collections.abc import Iterator


def strings_in(node: object, skip: tuple[str, ...] = ()) -> Iterator[str]:
    """Every string value in a parsed YAML tree, in order; values under the keys in ``skip`` are left out."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in skip:
                yield from strings_in(value, skip)
    elif isinstance(node, list):
        for value in node:
            yield from strings_in(value, skip)
    elif isinstance(node, str):
        yield node
