"""Tables in a document's text: runs of table-row passages, cells split on '|', columns found by header."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz

from .lexicon import lexicon
from .normalise import company_at_start, countries_in
from .passages import Passage, Passages

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"[*_`]+|<[^>]{1,80}>")


def clean_cell(text: str) -> str:
    """Cell text without markdown links, emphasis or stray tags."""
    return " ".join(_MARKUP.sub("", _LINK.sub(r"\1", text)).split()).strip(" ;")


@dataclass(frozen=True)
class Row:
    passage: Passage
    text: str
    cells: tuple[str, ...]

    @property
    def start(self) -> int:
        return self.passage.start

    @property
    def end(self) -> int:
        return self.passage.end

    def cell(self, column: int) -> str:
        return self.cells[column] if column < len(self.cells) else ""


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    heading: str  # the nearest passage before the table: its section title or introduction

    def column(self, names: list[str], ignored: list[str] = ()) -> int | None:
        """The column whose header names one of `names`, skipping `ignored` headers.

        A header that contains a name as whole words beats one that only looks like a name;
        among those, the longest name wins."""
        best: tuple[tuple[bool, int], int] | None = None
        for number, header in enumerate(self.header):
            label = header.lower()
            if not label or _header_match(label, ignored)[1]:
                continue
            score = _header_match(label, names)
            if score[1] and (best is None or score > best[0]):
                best = (score, number)
        return None if best is None else best[1]


def _header_match(label: str, phrases) -> tuple[bool, int]:
    """(is a phrase inside the header as whole words, length of the longest matching phrase)."""
    phrases = tuple(phrases)
    contained = [len(found) for found in _phrase_pattern(phrases).findall(label)]
    if contained:
        return True, max(contained)
    if len(label) > 2 * max(map(len, phrases), default=0):
        return False, 0  # far longer than any phrase: fuzz.ratio cannot reach 90
    alike = [len(phrase) for phrase in phrases if fuzz.ratio(label, phrase) >= 90]
    return False, max(alike, default=0)


@cache
def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern finding every phrase as whole words, overlapping ones too (longest first at each place)."""
    ordered = sorted(phrases, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?=((?:" + "|".join(map(re.escape, ordered)) + r")(?!\w)))")


def _is_data(cells: tuple[str, ...]) -> bool:
    """A first row that names a company or a country and holds no header word the lexicon knows is an entry."""
    if any(_header_match(cell.lower(), _header_words())[1] for cell in cells if cell):
        return False
    return any(company_at_start(cell) or countries_in(cell) for cell in cells if cell)


@cache
def _header_words() -> tuple[str, ...]:
    headers = lexicon()["subprocessor_tables"]
    return tuple(word for words in headers.values() for word in words)


def _cells(passages: Passages, passage: Passage) -> tuple[str, ...]:
    """A row's cells: from the cell spans its reader placed, else split on '|'."""
    placed = passages.cells(passage)
    if placed:
        return tuple(clean_cell(cell) for cell in placed)
    stripped = passages.text(passage).strip()
    if stripped.startswith("|"):
        stripped = stripped[1:]
    if stripped.endswith("|"):
        stripped = stripped[:-1]
    return tuple(clean_cell(cell) for cell in stripped.split("|"))


def find_tables(passages: Passages) -> list[Table]:
    """The document's tables: runs of consecutive table rows of one table (as its reader numbered them), the
    header row first; a row that repeats the header starts a new table."""
    tables: list[Table] = []
    run: list[Passage] = []
    cells: dict[int, tuple[str, ...]] = {}

    def cells_of(passage: Passage) -> tuple[str, ...]:
        if passage.index not in cells:
            cells[passage.index] = _cells(passages, passage)
        return cells[passage.index]

    def close() -> None:
        if len(run) >= 2:
            before = passages.items[run[0].index - 1] if run[0].index > 0 else None
            heading = clean_cell(passages.text(before)) if before else ""
            path = passages.heading_path(run[0])
            if path and path[-1] not in heading:
                heading = f"{' › '.join(path)} › {heading}" if heading else " › ".join(path)
            rows = tuple(Row(passage, passages.text(passage), cells_of(passage)) for passage in run)
            # A first row with one filled cell is a caption ("Affiliates"); the header is the first full row.
            while len(rows) > 2 and sum(bool(cell) for cell in rows[0].cells) < 2 <= sum(
                bool(c) for c in rows[1].cells
            ):
                heading = f"{heading} › {' '.join(cell for cell in rows[0].cells if cell)}"
                rows = rows[1:]
            if _is_data(rows[0].cells):  # a table with no header row: every row is an entry
                tables.append(Table(("",) * len(rows[0].cells), rows, heading))
            else:
                tables.append(Table(rows[0].cells, rows[1:], heading))
        run.clear()

    def table_of(passage: Passage) -> int:
        return passages.blocks[passage.block].table if passage.block >= 0 else 0

    for passage in passages:
        if passage.kind != "table_row" and not run:
            continue
        same_table = run and passage.index == run[-1].index + 1 and table_of(passage) == table_of(run[-1])
        repeats_header = run and passage.kind == "table_row" and cells_of(passage) == cells_of(run[0])
        if passage.kind == "table_row" and (not run or same_table) and not repeats_header:
            run.append(passage)
        else:
            close()
            if passage.kind == "table_row":
                run.append(passage)
    close()
    return tables
