"""HTML to the text a reader sees: blocks on their own lines, table rows as cell | cell."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString

from documents.model import CELL_SEPARATOR

INVISIBLE = ("script", "style", "noscript", "template", "head", "svg", "iframe", "object")
BLOCKS = {
    "address", "article", "aside", "blockquote", "dd", "details", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "ul", "caption", "br",
}


def html_to_text(markup: str) -> str:
    soup = BeautifulSoup(markup, "lxml")
    for element in soup(INVISIBLE):
        element.decompose()
    lines: list[str] = []
    _walk(soup, lines, [])
    text = "\n".join(line.strip() for line in lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _walk(node: Tag, lines: list[str], current: list[str]) -> None:
    for child in node.children:
        if isinstance(child, PreformattedString):  # comments, doctype, CDATA, processing instructions
            continue
        if isinstance(child, NavigableString):
            current.append(re.sub(r"\s+", " ", str(child)))
        elif isinstance(child, Tag):
            if child.name == "tr":
                _flush(lines, current)
                cells = [" ".join(cell.get_text(" ").split()) for cell in child.find_all(["td", "th"], recursive=False)]
                if any(cells):
                    lines.append(CELL_SEPARATOR.join(cells))
            elif child.name in BLOCKS:
                _flush(lines, current)
                _walk(child, lines, current)
                _flush(lines, current)
            else:
                _walk(child, lines, current)


def _flush(lines: list[str], current: list[str]) -> None:
    line = re.sub(r" {2,}", " ", "".join(current)).strip()
    if line:
        lines.append(line)
    current.clear()
