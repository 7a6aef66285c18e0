"""Moodle XML elements, written by lxml's incremental writer: what ``moodle.py`` and ``moodle_calculated.py`` share.

Every element is written by lxml's incremental writer (``etree.xmlfile``): lxml escapes text and
attributes, refuses characters XML cannot hold, and closes every element it opened. Nothing here
writes a tag or an entity by hand. ``xf`` is the writer of the open file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from lxml import etree

from quizgen.errors import InternalError

PENALTY = "0.3333333"  # Moodle's default penalty for each wrong try (adaptive mode)
File = tuple[str, str]  # (name, base64 of the content) embedded in a text element

XmlFile = Any  # lxml's incremental writer (etree.xmlfile's context object has no public type)


def _unwritable(text: str, error: ValueError) -> InternalError:
    """lxml refused a text: say which character and where, so the template or bank can be fixed."""
    bad = _NOT_XML.search(text)
    if bad is None:
        return InternalError(f"lxml refused a text: {error}")
    before = text[max(bad.start() - 60, 0):bad.start()]
    return InternalError(f"character {bad.group()!r} cannot be written in XML (after {before!r})")


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _leaf(xf: XmlFile, tag: str, value: str, attrs: dict[str, str] | None = None) -> None:
    with xf.element(tag, attrs):
        try:
            xf.write(value)
        except ValueError as error:
            raise _unwritable(value, error) from None


def _cdata_sections(content: str) -> list[etree.CDATA]:
    """``content`` as CDATA sections: "]]>" cannot sit inside one, so a section ends after "]]" and the next
    starts with ">" (a reader joins adjacent sections back into the original text)."""
    pieces = content.split("]]>")
    last = len(pieces) - 1
    return [etree.CDATA((">" if i else "") + piece + ("]]" if i < last else "")) for i, piece in enumerate(pieces)]


def _text(xf: XmlFile, content: str) -> None:
    """``<text>``: markup goes in CDATA (split at ``]]>``), plain values as text lxml escapes."""
    with xf.element("text"):
        try:
            if "<" in content or ">" in content or "&" in content:
                if "]]>" in content:
                    xf.write(*_cdata_sections(content))
                else:
                    xf.write(etree.CDATA(content))
            else:
                xf.write(content)
        except ValueError as error:
            raise _unwritable(content, error) from None


def _text_element(parent: etree._Element, tag: str, content: str) -> None:
    """``_text`` as a subelement of a tree lxml writes later: the same text or CDATA sections, the same bytes."""
    text = etree.SubElement(etree.SubElement(parent, tag), "text")
    if "<" in content or ">" in content or "&" in content:
        if "]]>" in content:  # adjacent sections cannot be made in a tree: this rare text is written as escaped text
            text.text = content
        else:
            text.text = etree.CDATA(content)
    else:
        text.text = content


_FILE = {"path": "/", "encoding": "base64"}


def _rich(xf: XmlFile, tag: str, content: str, files: Iterable[File] = (),
          attrs: dict[str, str] | None = None) -> None:
    """A text element in HTML format with its embedded files (``<file ... encoding="base64">``)."""
    with xf.element(tag, {"format": "html", **attrs} if attrs else _HTML):
        _text(xf, content)
        for name, data in files:
            with xf.element("file", {"name": name, **_FILE}):
                xf.write(data)  # base64: letters, digits, '+', '/', '=' only


_HTML = {"format": "html"}


def _name(xf: XmlFile, name: str) -> None:
    with xf.element("name"):
        _text(xf, name)


def _tags(xf: XmlFile, tags: tuple[str, ...]) -> None:
    if tags:
        xf.write(_tags_element(tags))


def _tags_element(tags: tuple[str, ...]) -> etree._Element:
    """``<tags>`` as an lxml tree."""
    element = etree.Element("tags")
    for tag in tags:
        _text_element(element, "tag", tag)
    return element
