"""HTML to the text a reader sees: blocks on their own lines, table rows as cell | cell."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString

from documents.model import CELL_SEPARATOR
from documents.structure import Piece

INVISIBLE = ("script", "style", "noscript", "template", "head", "svg", "iframe", "object")
BLOCKS = {
    "address",
    "article",
    "aside",
    "blockquote",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "ul",
    "caption",
    "br",
}


HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def html_to_text(markup: str) -> tuple[str, list[Piece]]:
    """The text, and what each of its lines is (heading, list item, table row, paragraph) as Pieces."""
    soup = BeautifulSoup(markup, "lxml")
    for element in soup(INVISIBLE):
        element.decompose()
    lines: list[tuple[str, Piece]] = []
    _walk(soup, lines, [], Piece("paragraph", ()), [-1])
    text = "\n".join(line.strip() for line, _ in lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip(), [piece for _, piece in lines]


def _kind(tag: Tag) -> Piece:
    if tag.name in HEADINGS:
        return Piece("heading", (), int(tag.name[1]))
    if tag.name in ("li", "dt", "dd"):
        return Piece("list_item", (), max(0, len(tag.find_parents(["ul", "ol"])) - 1))
    return Piece("paragraph", ())


def _walk(node: Tag, lines: list[tuple[str, Piece]], current: list[str], kind: Piece, tables: list[int]) -> None:
    for child in node.children:
        if isinstance(child, PreformattedString):  # comments, doctype, CDATA, processing instructions
            continue
        if isinstance(child, NavigableString):
            current.append(re.sub(r"\s+", " ", str(child)))
        elif isinstance(child, Tag):
            if child.name == "table":
                _flush(lines, current, kind)
                tables[0] += 1
                _walk(child, lines, current, kind, tables)
            elif child.name == "tr":
                _flush(lines, current, kind)
                cells = [" ".join(cell.get_text(" ").split()) for cell in child.find_all(["td", "th"], recursive=False)]
                if any(cells):
                    first = not lines or lines[-1][1].kind != "table_row" or lines[-1][1].table != tables[0]
                    header = first or all(cell.name == "th" for cell in child.find_all(["td", "th"], recursive=False))
                    lines.append((CELL_SEPARATOR.join(cells), Piece("table_row", tuple(cells), 0, header, tables[0])))
            elif child.name in BLOCKS:
                _flush(lines, current, kind)
                inner = _kind(child) if child.name in HEADINGS or child.name in ("li", "dt", "dd") else kind
                _walk(child, lines, current, inner, tables)
                _flush(lines, current, inner)
            else:
                _walk(child, lines, current, kind, tables)


def _flush(lines: list[tuple[str, Piece]], current: list[str], kind: Piece) -> None:
    line = re.sub(r" {2,}", " ", "".join(current)).strip()
    if line:
        lines.append((line, kind._replace(texts=(line,))))
    current.clear()
