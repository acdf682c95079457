"""A page's structure as Blocks: placed by readers that know it (DOCX and HTML markup, PDF glyph positions), or
read from the shapes of the text's lines when a reader knows nothing more (plain text, Markdown, CSV).

Readers describe what they saw as Pieces in reading order; `locate` finds each piece in the page's final text,
so every block's span is exact even after the text was cleaned.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from documents.model import Block, Span

TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
LIST_ITEM = re.compile(
    r"^\s*(?:>\s*)?(?:[-*•●○▪◦‣·–]\s+|\d{1,3}(?:\.\d{1,3})*[.)]?\s+(?=[A-Za-z(“\"*])|\([a-zA-Z0-9ivx]{1,4}\)\s+"
    r"|[a-z][.)]\s+)"
)
MARKDOWN_HEADING = re.compile(r"^\s*(#{1,6})\s+\S")
SECTION_HEADING = re.compile(r"^\s*(?:section|clause|article|annex|schedule|appendix|exhibit)\s+[\dIVXA-Z]", re.I)
# "4.2 Sub-processors" on a line of its own, with no sentence end: a numbered heading; its depth is its level.
# ("4. Sub-processors" may as well be a list item: plain text cannot tell, so one level of numbering is a list.)
NUMBERED_HEADING = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+[A-Z][^.!?;:]{1,80}$")
TERMINAL = re.compile(r"[.!?:;][\"”’)\]*_]*\s*$")
_NUMBER_IN_BRACKETS = re.compile(r"^\s*\(\d+\)")
_OPEN_ENDING = re.compile(r"[A-Za-z]\s*$")


class Piece(NamedTuple):
    """What a reader saw, before it is placed in the text: a heading, paragraph or list item (one text), or a
    table row (its cells' texts)."""

    kind: str
    texts: tuple[str, ...]
    level: int = 0
    header: bool = False
    table: int = 0


def locate(text: str, pieces: Iterable[Piece], clean=lambda piece: piece) -> list[Block]:
    """Place each piece in `text`, in order, by searching forwards from the previous one, after `clean` (what the
    reader did to the text); a piece that still cannot be found is left out, and its text structured from lines."""
    blocks: list[Block] = []
    cursor = 0
    for piece in pieces:
        cells: list[Span] = []
        position = cursor
        for cell in piece.texts:
            needle = clean(cell).strip()
            if not needle:
                cells.append((position, position))
                continue
            found = _find(text, needle, position)
            if found is None:
                break
            cells.append(found)
            position = found[1]
        else:
            placed = [cell for cell in cells if cell[0] < cell[1]]
            if not placed:
                continue
            start, end = placed[0][0], placed[-1][1]
            cursor = end
            blocks.append(
                Block(
                    piece.kind,
                    start,
                    end,
                    piece.level,
                    tuple(cells) if piece.kind == "table_row" else (),
                    piece.header,
                    piece.table,
                )
            )
    return blocks


def _find(text: str, needle: str, start: int) -> Span | None:
    """The span of `needle` in `text` from `start`; whitespace may differ (a reader's line breaks)."""
    found = text.find(needle, start)
    if found >= 0:
        return found, found + len(needle)
    words = needle.split()
    if not words:
        return None
    match = re.compile(r"\s+".join(map(re.escape, words))).search(text, start)
    return (match.start(), match.end()) if match else None


# ---------------------------------------------------------------------------------------------------------------
# Structure from the shapes of lines.


def lines(text: str) -> Iterator[Span]:
    """(start, end) of every line, without its newline."""
    start = 0
    for match in re.finditer(r"\n", text):
        yield start, match.start()
        start = match.end()
    yield start, len(text)


def cell_count(row: str) -> int:
    """How many cells a table row has: '| a | b |' and 'a | b' both have two."""
    return len(row.strip().strip("|").split("|"))


def is_row(stripped: str) -> bool:
    return stripped.startswith("|") or " | " in stripped


def row_cells(text: str, start: int, end: int) -> tuple[Span, ...]:
    """The spans of the cells of a '|'-separated row in text[start:end], each trimmed of spaces."""
    cells: list[Span] = []
    line = text[start:end]
    inner_start = line.find("|") + 1 if line.lstrip().startswith("|") else 0
    inner_end = line.rstrip().rfind("|") if line.rstrip().endswith("|") and line.rstrip() != "|" else len(line)
    position = inner_start
    for part in line[inner_start : max(inner_start, inner_end)].split("|"):
        left = position + len(part) - len(part.lstrip())
        right = position + len(part.rstrip())
        cells.append((start + left, start + max(left, right)))
        position += len(part) + 1
    return tuple(cells)


def heading_level(line: str, standalone: bool = True) -> int:
    """The level of a heading line: '#' count, or the depth of its section number; 0 for no heading.

    A numbered or "Section 4" line is a heading only when it stands alone (a blank line
    follows): a wrapped first line of a numbered clause is not a heading."""
    if markdown := MARKDOWN_HEADING.match(line):
        return len(markdown.group(1))
    if not standalone or TERMINAL.search(line) or len(line.strip()) > 90:
        return 0
    if SECTION_HEADING.match(line):
        return 1
    if numbered := NUMBERED_HEADING.match(line):
        return numbered.group(1).count(".") + 1
    return 0


def text_blocks(text: str, wrapped_rows: bool = False) -> list[Block]:
    """Paragraphs, list items, headings and table rows found from line shapes.

    With `wrapped_rows` (text taken out of a PDF without layout), a table row was wrapped when it has fewer
    cells than its table's first row, ends in a cell separator, or is followed by a line that is no row and
    then by a row that does not repeat the header: the row takes such lines into it. Other readers give one
    row a line."""
    found = [(start, end) for start, end in lines(text) if text[start:end].strip()]
    blank_before = [n > 0 and "\n" in text[found[n - 1][1] + 1 : start] for n, (start, _) in enumerate(found)]
    blocks: list[Block] = []
    block_start: int | None = None
    block_end = 0
    block_kind, block_level = "paragraph", 0
    table_cells, table_header, table = 0, "", -1

    def close() -> None:
        if block_start is None:
            return
        if block_kind == "table_row":
            first = not blocks or blocks[-1].kind != "table_row" or blocks[-1].table != table
            blocks.append(
                Block("table_row", block_start, block_end, 0, row_cells(text, block_start, block_end), first, table)
            )
        else:
            blocks.append(Block(block_kind, block_start, block_end, block_level))

    def standalone(number: int) -> bool:
        return number + 1 >= len(found) or blank_before[number + 1]

    for number, (start, end) in enumerate(found):
        line = text[start:end]
        stripped = line.strip()
        if TABLE_RULE.match(line):
            continue
        row = is_row(stripped)
        item = bool(LIST_ITEM.match(line)) and not _spelled_number_repeated(text, found, number)
        if block_kind == "table_row":
            current = text[block_start:block_end].strip()
            following = " ".join(text[slice(*found[number + 1])].split()) if number + 1 < len(found) else ""
            continues = (
                wrapped_rows
                and not blank_before[number]
                and (
                    (current.endswith("|") and not current.startswith("|"))
                    or not item
                    and cell_count(current) < table_cells
                    or not item
                    and not row
                    and is_row(following)
                    and following.lower() != table_header
                )
            )
        else:
            continues = (
                block_start is not None
                and block_kind != "heading"
                and not row
                and not item
                and not heading_level(line, standalone(number))
                and (
                    not blank_before[number]
                    or (not TERMINAL.search(text[block_start:block_end]) and stripped[0].islower())
                )
            )
        if continues:
            block_end = end
            continue
        close()
        if row and block_kind != "table_row":
            table_cells, table_header, table = cell_count(stripped), " ".join(stripped.split()).lower(), table + 1
        elif row and " ".join(stripped.split()).lower() == table_header:
            table += 1  # a row that repeats the header starts a new table
        block_start, block_end = start, end
        level = 0 if row else heading_level(line, standalone(number))
        block_kind, block_level = (
            ("table_row", 0)
            if row
            else ("heading", level)
            if level
            else (("list_item", 0) if item else ("paragraph", 0))
        )
    close()
    return blocks


def _spelled_number_repeated(text: str, found: list[Span], number: int) -> bool:
    """ "… retained for ninety⏎(90) days": a bracketed number that repeats the word before it is no list marker."""
    if number == 0 or not _NUMBER_IN_BRACKETS.match(text[slice(*found[number])]):
        return False
    previous = text[slice(*found[number - 1])]
    return bool(_OPEN_ENDING.search(previous)) and not previous.rstrip().endswith((" and", " or"))


def fill_gaps(text: str, placed: list[Block], wrapped_rows: bool = False, groups: Iterable[Span] = ()) -> list[Block]:
    """`placed` blocks (in text order, not overlapping) with the text no block holds structured from its lines,
    so every word of a page belongs to a block; tables are numbered again in text order.

    `groups` are spans a reader knows to be one paragraph each (PDF lines set apart by spacing): their lines
    are structured on their own, and a group of '|' lines is one table row that the page wrapped."""
    cuts = sorted(groups)
    blocks: list[Block] = []
    cursor = 0
    for block in placed + [None]:
        end = block.start if block else len(text)
        if text[cursor:end].strip():
            blocks += _from_lines(text, cursor, end, wrapped_rows, [cut for cut in cuts if cursor <= cut[0] < end])
        if block:
            blocks.append(block)
            cursor = block.end
    tables = iter(range(len(blocks) + 1))
    placed_ids = {id(block) for block in placed}
    renumbered: list[Block] = []
    current: dict[tuple[str, int], int] = {}
    for block in blocks:  # tables from a reader's markup or geometry and from '|' lines, numbered in text order
        if block.kind == "table_row":
            key = ("placed" if id(block) in placed_ids else "lines", block.table)
            header = block.header
            if renumbered and renumbered[-1].kind == "table_row" and key in current:
                number = current[key]
                header = header and key[0] == "placed"
            else:
                number = current[key] = next(tables)
                header = True
            block = Block(block.kind, block.start, block.end, block.level, block.cells, header, number)
        renumbered.append(block)
    return _rejoin_split_rows(text, renumbered)


def _rejoin_split_rows(text: str, blocks: list[Block]) -> list[Block]:
    """'|' rows a page broke apart (at a column or page end, or a row the spacing did not hold together) have
    fewer cells than their table's header: consecutive short rows are joined while the cells add up, counting
    the break as inside a cell."""
    joined: list[Block] = []
    header_cells: dict[int, int] = {}
    for block in blocks:
        if block.kind != "table_row" or not block.cells:
            joined.append(block)
            continue
        if block.header:
            header_cells[block.table] = len(block.cells)
            joined.append(block)
            continue
        wanted = header_cells.get(block.table, 0)
        last = joined[-1] if joined else None
        if (
            last is not None
            and last.kind == "table_row"
            and last.table == block.table
            and not last.header
            and len(last.cells) < wanted
            and len(block.cells) < wanted
            and len(last.cells) + len(block.cells) - 1 <= wanted
            and "|" in text[last.start : block.start + 1]
        ):
            merged = Block(
                "table_row", last.start, block.end, 0, row_cells(text, last.start, block.end), False, block.table
            )
            joined[-1] = merged
            continue
        joined.append(block)
    return joined


def _from_lines(text: str, start: int, end: int, wrapped_rows: bool, groups: list[Span]) -> list[Block]:
    """text_blocks over [start, end), each group apart; a group holding '|' rows becomes one row."""
    pieces: list[tuple[int, int, bool]] = []
    position = start
    for group_start, group_end in groups:
        group_end = min(group_end, end)
        if group_start < position:
            continue
        if group_start > position:
            pieces.append((position, group_start, False))
        pieces.append((group_start, group_end, True))
        position = group_end
    if position < end:
        pieces.append((position, end, False))
    blocks: list[Block] = []
    for piece_start, piece_end, grouped in pieces:
        if not text[piece_start:piece_end].strip():
            continue
        found = [block.moved(piece_start) for block in text_blocks(text[piece_start:piece_end], wrapped_rows)]
        # A row the page wrapped: its lines (the first may hold no separator yet) are one spaced-apart group.
        first_row = next((n for n, block in enumerate(found) if block.kind == "table_row"), 0)
        if (
            grouped
            and first_row
            and all(not TERMINAL.search(text[block.start : block.end]) for block in found[:first_row])
        ):
            start, end = found[0].start, found[first_row].end
            found = [Block("table_row", start, end, 0, row_cells(text, start, end), True, 0), *found[first_row + 1 :]]
        if grouped and len(found) > 1 and found[0].kind == "table_row" and not _whole_rows(text, found):
            first, last = found[0], found[-1]
            found = [Block("table_row", first.start, last.end, 0, row_cells(text, first.start, last.end), True, 0)]
        blocks += found
    return blocks


def _whole_rows(text: str, blocks: list[Block]) -> bool:
    """Three or more rows of one line each with the same number of cells are rows of their own (rows set with no
    space between them), not one row wrapped; two such lines are more likely one wrapped row."""
    if len(blocks) < 3:
        return False
    counts = {cell_count(text[block.start : block.end]) for block in blocks}
    return (
        all(block.kind == "table_row" and "\n" not in text[block.start : block.end].strip() for block in blocks)
        and len(counts) == 1
        and counts.pop() >= 2
    )
