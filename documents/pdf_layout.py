"""A PDF page's structure from where its text is drawn: tables from aligned columns, headings from size and
weight, columns of a two-column page apart; the rest is structured from its lines.

pypdf reports the page's text in chunks (about one line, or one table cell's line) with the matrices in force;
each chunk is placed in the page's extracted text, so every block is a span of that text and evidence quoted
from it stays the document's own text. Nothing here changes the text.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from documents.model import Block
from documents.structure import fill_gaps, text_blocks

_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.I)
_TERMINAL = re.compile(r"[.;,:]\s*$")
ALIGN_POINTS = 3.0  # x-starts this close belong to one column
HEADING_RATIO = 1.12  # a line this much larger than the body text is a heading
MIN_TABLE_ROWS = 2
MAX_CELL_LINES = 12  # a cell wraps over at most this many lines (bounds the look-ahead per line)
LINE_PITCH = 1.32  # lines of one paragraph sit at most this many font sizes apart (Word, LaTeX, browsers: 1.15-1.3)


@dataclass(slots=True)
class Chunk:
    text: str
    x: float
    y: float
    size: float
    bold: bool
    start: int = -1
    end: int = -1


class PageLayout:
    """Collects pypdf's text chunks with their position, size and weight (its `visitor_text` hook)."""

    def __init__(self) -> None:
        self.chunks: list[Chunk] = []
        self._bold: dict[int, bool] = {}  # per font dictionary: pypdf passes the same one for a font's every chunk

    def visit(self, text: str, cm: list[float], tm: list[float], font: object, font_size: float) -> None:
        """Called by pypdf for every chunk of text, so kept to a few multiplications."""
        if not text or text.isspace():
            return
        b, c = tm[0] * cm[1] + tm[1] * cm[3], tm[2] * cm[0] + tm[3] * cm[2]
        if b > 0.01 or b < -0.01 or c > 0.01 or c < -0.01:  # rotated text keeps its place in the text, no structure
            return
        a, d = tm[0] * cm[0] + tm[1] * cm[2], tm[2] * cm[1] + tm[3] * cm[3]
        size = abs(font_size * math.sqrt(abs(a * d))) or 1.0
        bold = self._bold.get(id(font))
        if bold is None:
            bold = self._bold[id(font)] = _is_bold(font)
        x, y = tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if "\n" not in text.rstrip("\n"):
            self.chunks.append(Chunk(text.strip(), x, y, size, bold))
            return
        for number, line in enumerate(text.split("\n")):
            if line.strip():
                self.chunks.append(Chunk(line.strip(), x, y - number * size * 1.2, size, bold))

    def blocks(self, text: str, clean) -> list[Block]:
        """The page's blocks as spans of its final `text` (`clean` is what was done to pypdf's text)."""
        placed = _place(self.chunks, text, clean)
        if not placed or _plain(placed, text):
            return text_blocks(text, wrapped_rows=True)
        body = _body_size(placed)
        geometric: list[Block] = []
        groups: list[tuple[int, int]] = []  # spans of paragraphs told apart by the space between them
        table = 0
        for region in _regions(placed):
            lines = _lines(region)
            tables, rest = _tables(lines)
            for rows, anchors in tables:
                geometric += _table_blocks(rows, table, anchors)
                table += 1
            for group in _paragraphs(rest):
                heading = _heading([chunk for line in group for chunk in line], body) if len(group) <= 3 else None
                if heading:
                    geometric.append(heading)
                else:
                    groups.append(
                        (min(c.start for line in group for c in line), max(c.end for line in group for c in line))
                    )
        geometric = _without_overlaps(geometric)
        return fill_gaps(text, geometric, wrapped_rows=True, groups=groups)


def _plain(chunks: list[Chunk], text: str) -> bool:
    """A page of one size and weight, one chunk a line and no '|': no heading or table to find, its lines say all."""
    first = chunks[0]
    if "|" in text or any(chunk.bold or abs(chunk.size - first.size) > 0.05 for chunk in chunks):
        return False
    ys = [round(chunk.y) for chunk in chunks]
    return len(set(ys)) == len(ys)


def _is_bold(font: object) -> bool:
    try:
        return bool(_BOLD.search(str(font.get("/BaseFont", "")))) if hasattr(font, "get") else False
    except Exception:
        return False


def _place(chunks: list[Chunk], text: str, clean) -> list[Chunk]:
    """Find each chunk in the page's text, in order; chunks the text does not hold in order are left out."""
    placed = []
    cursor = 0
    for chunk in chunks:
        piece = chunk.text
        start = text.find(piece, cursor)
        if start < 0:  # cleaning changed it (ligatures, control characters): look for the cleaned form
            piece = clean(piece).strip()
            start = text.find(piece, cursor) if piece else -1
        if start < 0:
            continue
        chunk.start, chunk.end = start, start + len(piece)
        cursor = chunk.end
        placed.append(chunk)
    return placed


def _body_size(chunks: list[Chunk]) -> float:
    weights: dict[float, int] = {}
    for chunk in chunks:
        key = round(chunk.size, 1)
        weights[key] = weights.get(key, 0) + len(chunk.text)
    return max(weights, key=weights.get)


def _regions(chunks: list[Chunk]) -> list[list[Chunk]]:
    """Split where the drawing jumps back up the page and to the right: the next column of a multi-column page."""
    if len(chunks) < 2:
        return [chunks]
    top = max(chunk.y for chunk in chunks)
    bottom = min(chunk.y for chunk in chunks)
    left = min(chunk.x for chunk in chunks)
    right = max(chunk.x for chunk in chunks)
    height, width = max(top - bottom, 1.0), max(right - left, 1.0)
    regions = [[chunks[0]]]
    for previous, chunk in zip(chunks, chunks[1:]):
        if chunk.y - previous.y > 0.4 * height and chunk.x - previous.x > 0.25 * width:
            regions.append([])
        regions[-1].append(chunk)
    return regions


def _lines(chunks: list[Chunk]) -> list[list[Chunk]]:
    """Chunks on one baseline, top to bottom, each line left to right."""
    lines: list[list[Chunk]] = []
    for chunk in sorted(chunks, key=lambda item: (-item.y, item.x)):
        if lines and abs(lines[-1][0].y - chunk.y) <= 0.35 * max(chunk.size, lines[-1][0].size):
            lines[-1].append(chunk)
        else:
            lines.append([chunk])
    return [sorted(line, key=lambda item: item.x) for line in lines]


def _anchors(lines: list[list[Chunk]]) -> list[float]:
    """x-starts shared by chunks of two or more multi-chunk lines: where table columns begin."""
    starts = sorted(chunk.x for line in lines if len(line) > 1 for chunk in line)
    clusters: list[list[float]] = []
    for x in starts:
        if clusters and x - clusters[-1][-1] <= ALIGN_POINTS:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    return [cluster[0] for cluster in clusters if len(cluster) >= 2]


def _at_anchor(chunk: Chunk, anchors: list[float]) -> int | None:
    for number, anchor in enumerate(anchors):
        if abs(chunk.x - anchor) <= ALIGN_POINTS:
            return number
    return None


def _tables(lines: list[list[Chunk]]) -> tuple[list[tuple[list[list[Chunk]], list[float]]], list[list[Chunk]]]:
    """Runs of lines whose chunks all start at shared column anchors, two or more of them with several cells;
    returns each table as its rows (with the anchors), and the lines that are no table."""
    anchors = _anchors(lines)
    tables: list[list[list[Chunk]]] = []
    rest: list[list[Chunk]] = []
    run: list[list[Chunk]] = []

    def close() -> None:
        nonlocal run
        if sum(len(line) > 1 for line in run) >= MIN_TABLE_ROWS:
            while (
                run
                and len(run[-1]) == 1
                and _at_anchor(run[-1][0], anchors) == 0
                and len(run) > 1
                and _gap(run[-2], run[-1]) > 2.5 * run[-1][0].size
            ):
                rest.append(run.pop())
            tables.append(run)
        else:
            rest.extend(run)
        run = []

    pending: list[list[Chunk]] = []  # a lone cell line just above a table (a wrapped header cell, aligned low)
    for number, line in enumerate(lines):
        columns = [_at_anchor(chunk, anchors) for chunk in line]
        aligned = None not in columns and len(set(columns)) == len(columns)
        # A lone line belongs to a cell: it wraps the line above (one line's pitch below it), or it is the top
        # line of a row whose other cells sit lower (one pitch above a line of several cells).
        fits = aligned and (
            len(line) > 1
            or (
                run
                and (
                    _gap(run[-1], line) <= LINE_PITCH * line[0].size + ALIGN_POINTS
                    or _leads_to_cells(lines, number, anchors)
                )
                and abs(line[0].size - run[-1][-1].size) <= 0.05 * line[0].size
                and _fits_its_column(line[0], columns[0], anchors)
                and (not line[0].bold or all(c.bold for c in run[-1]))
            )
        )
        if fits:
            if not run and pending and _gap(pending[-1], line) <= 2.5 * line[0].size:
                rest.remove(pending[-1])
                run.append(pending[-1])
            run.append(line)
            pending = []
        else:
            close()
            rest.append(line)
            pending = [line] if aligned and columns[0] != 0 else []
    close()
    return [(_rows(table, anchors), anchors) for table in tables], rest


def _paragraphs(lines: list[list[Chunk]]) -> list[list[list[Chunk]]]:
    """Consecutive lines of one size with the usual line spacing between them are one paragraph; a wider gap, a
    change of size or a line that is alone in its size (a heading) starts another."""
    pitch: dict[float, float] = {}
    for upper, lower in zip(lines, lines[1:]):
        size = round(lower[0].size, 1)
        gap = _gap(upper, lower)
        if round(upper[0].size, 1) == size and 0.8 * size < gap < pitch.get(size, LINE_PITCH * size):
            pitch[size] = gap  # the closest lines of a size; wider than LINE_PITCH is paragraph spacing
    groups: list[list[list[Chunk]]] = []
    for line in lines:
        if groups:
            upper = groups[-1][-1]
            size = round(line[0].size, 1)
            same_size = round(upper[0].size, 1) == size
            gap = _gap(upper, line)
            if same_size and 0 < gap <= pitch.get(size, LINE_PITCH * size) + max(1.0, 0.12 * size):
                groups[-1].append(line)
                continue
        groups.append([line])
    return groups


def _leads_to_cells(lines: list[list[Chunk]], number: int, anchors: list[float]) -> bool:
    """Lone lines at cell anchors, one line's pitch apart, that end on a line of several cells: the upper lines of
    a row whose cells are aligned to their bottom."""
    line = lines[number]
    for following in lines[number + 1 : number + 1 + MAX_CELL_LINES]:
        if _gap(line, following) > LINE_PITCH * line[0].size + ALIGN_POINTS:
            return False
        if len(following) > 1:
            return True
        if _at_anchor(following[0], anchors) is None:
            return False
        line = following
    return False


def _fits_its_column(chunk: Chunk, column: int, anchors: list[float]) -> bool:
    """A lone line can be a cell's wrapped line only if it ends before the next column starts: a paragraph after
    a table starts where the first column does but runs on across the others. (0.42 em a character is less
    than any text font needs, so a line judged too long is too long.)"""
    if column + 1 >= len(anchors):
        return True
    return chunk.x + 0.42 * chunk.size * len(chunk.text) <= anchors[column + 1] + ALIGN_POINTS


def _gap(upper: list[Chunk], lower: list[Chunk]) -> float:
    return upper[0].y - lower[0].y


def _rows(lines: list[list[Chunk]], anchors: list[float]) -> list[list[list[Chunk]]]:
    """Group a table's lines into rows: by the larger gaps between rows when there are two sizes of gap, else a
    new row wherever the first column has text."""
    gaps = [_gap(upper, lower) for upper, lower in zip(lines, lines[1:])]
    smallest = min(gaps, default=0)
    two_sizes = any(gap > 1.25 * smallest for gap in gaps)
    first_column = min((_at_anchor(chunk, anchors) for line in lines for chunk in line), default=0)
    rows: list[list[list[Chunk]]] = [[lines[0]]]
    for gap, line in zip(gaps, lines[1:]):
        new_row = gap > 1.25 * smallest if two_sizes else _at_anchor(line[0], anchors) == first_column
        if new_row:
            rows.append([line])
        else:
            rows[-1].append(line)
    return [[chunk for line in row for chunk in line] for row in rows]


def _table_blocks(rows: list[list[Chunk]], table: int, page_anchors: list[float]) -> list[Block]:
    """One row block per row, a cell per column the table uses (of the page's anchors)."""
    anchors = [
        page_anchors[number] for number in sorted({_at_anchor(chunk, page_anchors) for row in rows for chunk in row})
    ]
    blocks = []
    for number, row in enumerate(rows):
        cells = []
        for column in range(len(anchors)):
            members = [chunk for chunk in row if _at_anchor(chunk, anchors) == column]
            if members:
                cells.append((min(chunk.start for chunk in members), max(chunk.end for chunk in members)))
            else:
                cells.append(None)
        starts = [cell for cell in cells if cell]
        start, end = min(cell[0] for cell in starts), max(cell[1] for cell in starts)
        spans = tuple(cell or (start, start) for cell in cells)
        blocks.append(Block("table_row", start, end, 0, spans, number == 0, table))
    return blocks


def _heading(line: list[Chunk], body: float) -> Block | None:
    """A line larger than the body text, or all bold and short with no sentence end, is a heading."""
    size = max(chunk.size for chunk in line)
    text = " ".join(chunk.text for chunk in line)
    ratio = size / body if body else 1.0
    if ratio >= HEADING_RATIO and len(text) <= 150:
        level = _size_level(ratio)
    elif all(chunk.bold for chunk in line) and len(text) <= 100 and not _TERMINAL.search(text) and ratio > 0.95:
        level = BOLD_LEVEL
    else:
        return None
    return Block("heading", min(chunk.start for chunk in line), max(chunk.end for chunk in line), level)


BOLD_LEVEL = 99  # a bold line of body size: below every larger heading of the document


def _size_level(ratio: float) -> int:
    """A provisional level that orders headings by size (larger first), in steps of 5 % of the body size."""
    return max(1, 90 - round(ratio * 20))


def rank_heading_levels(pages: list[list[Block]]) -> list[list[Block]]:
    """Heading levels as the document's own sizes rank them: its largest headings are level 1, the next size 2, and
    so on, so "18 pt › 15 pt › bold" nest as 1 › 2 › 3 whatever the body size."""
    sizes = sorted({block.level for blocks in pages for block in blocks if block.kind == "heading"})
    rank = {size: min(number, 6) for number, size in enumerate(sizes, start=1)}
    return [
        [replace(block, level=rank[block.level]) if block.kind == "heading" else block for block in blocks]
        for blocks in pages
    ]


def _without_overlaps(blocks: list[Block]) -> list[Block]:
    kept: list[Block] = []
    for block in sorted(blocks, key=lambda item: (item.start, item.end)):
        if kept and block.start < kept[-1].end:
            continue
        kept.append(block)
    return kept
