"""What reading a vendor file produces: a Document, or a typed reason why not."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

# How table cells are joined on one line of text, in every reader.
CELL_SEPARATOR = " | "

Span = tuple[int, int]  # [start, end) character offsets


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of a document's structure, as its reader saw it, with its span in the text.

    kind: heading (level 1 = largest) · paragraph · list_item (level = nesting depth) · table_row
    (cells: each cell's span; header: the table's header row; table: which table of the document)."""

    kind: str
    start: int
    end: int
    level: int = 0
    cells: tuple[Span, ...] = ()
    header: bool = False
    table: int = 0

    def moved(self, offset: int, table_offset: int = 0) -> Block:
        """The same block with its spans (and table number) shifted: page-relative to document-relative."""
        return Block(
            self.kind,
            self.start + offset,
            self.end + offset,
            self.level,
            tuple((start + offset, end + offset) for start, end in self.cells),
            self.header,
            self.table + table_offset if self.kind == "table_row" else 0,
        )

    def to_json(self) -> list:
        return [
            self.kind,
            self.start,
            self.end,
            self.level,
            [list(cell) for cell in self.cells],
            self.header,
            self.table,
        ]

    @classmethod
    def from_json(cls, item: list) -> Block:
        kind, start, end, level, cells, header, table = item
        return cls(kind, start, end, level, tuple(tuple(cell) for cell in cells), header, table)


# What a reader gives per page: (label, text, hidden), optionally with the page-relative spans a reader cannot see
# and the page's blocks (page-relative; none when the reader knows no structure beyond the text's lines).
PagePart = (
    tuple[str, str, bool]
    | tuple[str, str, bool, Sequence[Span]]
    | tuple[str, str, bool, Sequence[Span], Sequence[Block]]
)


def merge_spans(spans: Iterable[Span]) -> tuple[Span, ...]:
    """Sorted spans with overlapping and touching ones joined and empty ones dropped."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((start, end) for start, end in merged)


def hidden_text_warning(where: str, tricks: Iterable[str]) -> str:
    """The sentence a reviewer sees for a page whose file hides text from its readers."""
    return (
        f"{where} has text a reader cannot see ({', '.join(sorted(tricks))}); it is flagged and not used for answers."
    )


# A spreadsheet cell's value as carried in FormData: what JSON holds (dates as ISO text, formulas as their text).
CellValue = str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class FormField:
    """One AcroForm field of a PDF: its value as text and the 1-based page of its first widget (0: on no page)."""

    name: str
    value: str
    page: int = 0


@dataclass(frozen=True, slots=True)
class Sheet:
    """One worksheet: its cell values row by row from row 1, trailing empty cells and rows left out."""

    title: str
    hidden: bool
    rows: tuple[tuple[CellValue, ...], ...]


@dataclass(frozen=True)
class FormData:
    """What a form file holds beside its text, read in the sandbox so that the app never opens the bytes again.

    A PDF: its /Keywords, whether it is encrypted, its AcroForm fields, or `error` (the exception's type) when the
    fields could not be read. An XLSX: its sheets' cell values, and each workbook-level defined name that names one
    cell with that cell's value. Plain data only, so it pickles out of the sandbox and is stored as JSON."""

    keywords: str = ""
    encrypted: bool = False
    fields: tuple[FormField, ...] = ()
    error: str = ""
    sheets: tuple[Sheet, ...] = ()
    names: tuple[tuple[str, CellValue], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, item: dict[str, Any]) -> FormData:
        return cls(
            item["keywords"],
            item["encrypted"],
            tuple(FormField(**each) for each in item["fields"]),
            item["error"],
            tuple(
                Sheet(sheet["title"], sheet["hidden"], tuple(tuple(row) for row in sheet["rows"]))
                for sheet in item["sheets"]
            ),
            tuple((name, value) for name, value in item["names"]),
        )


class Reason(StrEnum):
    """Why a file was rejected; each reason has a sentence saying what to do."""

    EMPTY = "empty"
    TOO_LARGE = "too_large"
    UNSUPPORTED_TYPE = "unsupported_type"
    TYPE_MISMATCH = "type_mismatch"
    ENCRYPTED = "encrypted"
    CORRUPT = "corrupt"
    UNSAFE_CONTENT = "unsafe_content"
    TOO_MANY_PAGES = "too_many_pages"
    NO_TEXT_LAYER = "no_text_layer"
    TIMEOUT = "timeout"
    MEMORY_LIMIT = "memory_limit"
    READER_CRASHED = "reader_crashed"
    MISSING_FILE = "missing_file"
    TOO_MUCH_TEXT = "too_much_text"


ADVICE: dict[Reason, str] = {
    Reason.TOO_MUCH_TEXT: "aivet reads at most that much text from one document. Ask the vendor for the part that "
    "matters (the DPA, the sub-processor list), or raise AIVET_MAX_TEXT_CHARS.",
    Reason.EMPTY: "The file has no content. Ask the vendor to send the document again.",
    Reason.TOO_LARGE: "The file is larger than the upload limit. Ask the vendor for a smaller export, or raise AIVET_MAX_FILE_MB.",
    Reason.UNSUPPORTED_TYPE: "aivet reads PDF, DOCX, XLSX, CSV, HTML, TXT and Markdown. Ask the vendor for one of these formats.",
    Reason.TYPE_MISMATCH: "The file's name does not match its content. Ask the vendor to send the original file.",
    Reason.ENCRYPTED: "The file is password-protected. Ask the vendor for an unprotected copy.",
    Reason.CORRUPT: "The file is damaged and cannot be read. Ask the vendor to export it again.",
    Reason.UNSAFE_CONTENT: "The file contains structures used in attacks on readers and was not opened. Ask the vendor to export it again from the original application.",
    Reason.TOO_MANY_PAGES: "The file has more pages than the page limit. Ask for the relevant part, or raise AIVET_MAX_PAGES.",
    Reason.NO_TEXT_LAYER: "The PDF has no text layer (it looks scanned). Ask the vendor for a text PDF, or run OCR on it first.",
    Reason.TIMEOUT: "Reading the file took longer than the time limit and was stopped. Ask the vendor for a simpler export, or raise AIVET_PARSE_TIMEOUT_S.",
    Reason.MEMORY_LIMIT: "Reading the file needed more memory than the limit and was stopped. Ask the vendor for a simpler export, or raise AIVET_MAX_MEMORY_MB.",
    Reason.READER_CRASHED: "The reader stopped unexpectedly on this file. Ask the vendor to export it again.",
    Reason.MISSING_FILE: "The file could not be opened. Check the path and the permissions.",
}


class UnreadableDocument(Exception):
    """A file that was rejected; `reason` is the code, `message` the sentence for people."""

    def __init__(self, reason: Reason, problem: str):
        self.reason = Reason(reason)
        self.problem = problem
        self.message = f"{problem} {ADVICE[self.reason]}"
        super().__init__(self.message)


@dataclass(frozen=True)
class Page:
    """One page (a PDF page, a sheet, a break-separated part) and its span in Document.text."""

    number: int
    start: int
    end: int
    label: str = ""
    hidden: bool = False


@dataclass(frozen=True)
class Document:
    sha256: str
    kind: str
    filename: str
    text: str
    pages: tuple[Page, ...]
    warnings: tuple[str, ...] = ()
    # Spans of `text` a reader of the rendered file cannot see (white, tiny, off-page... or on a hidden page).
    hidden_spans: tuple[Span, ...] = ()
    # The structure the reader found (headings, paragraphs, list items, table rows), in text order.
    blocks: tuple[Block, ...] = ()
    # What a form file (a PDF with fields, an XLSX) holds beside its text; None for any other file.
    form: FormData | None = None
    read_seconds: float = field(default=0.0, compare=False)
    peak_memory_mib: float = field(default=0.0, compare=False)

    PAGE_SEPARATOR = "\n\n"

    def page_text(self, number: int) -> str:
        page = self.pages[number - 1]
        return self.text[page.start : page.end]

    def page_at(self, offset: int) -> int:
        """The 1-based number of the page holding character `offset`."""
        starts = [page.start for page in self.pages]
        return max(1, bisect_right(starts, offset))

    def is_hidden(self, start: int, end: int) -> bool:
        """Whether [start, end) overlaps text a reader cannot see; a binary search, as it is asked per passage."""
        index = bisect_right(self.hidden_spans, start, key=lambda span: span[1])
        return index < len(self.hidden_spans) and self.hidden_spans[index][0] < end

    def page_blocks(self, number: int) -> list[Block]:
        """The blocks of one page, relative to the page's text (what from_pages takes back)."""
        page = self.pages[number - 1]
        first = bisect_right(self.blocks, page.start - 1, key=lambda block: block.start)
        last = bisect_right(self.blocks, page.end - 1, key=lambda block: block.start)
        on_page = self.blocks[first:last]
        first_table = min((block.table for block in on_page if block.kind == "table_row"), default=0)
        return [block.moved(-page.start, -first_table) for block in on_page]

    def page_hidden_spans(self, number: int) -> list[Span]:
        """The hidden spans of one page, relative to the page's text (what from_pages takes back)."""
        page = self.pages[number - 1]
        return [
            (max(start, page.start) - page.start, min(end, page.end) - page.start)
            for start, end in self.hidden_spans
            if start < page.end and end > page.start
        ]

    @classmethod
    def from_pages(
        cls,
        sha256: str,
        kind: str,
        filename: str,
        page_texts: Sequence[PagePart],
        warnings: Sequence[str] = (),
        form: FormData | None = None,
        **stats: float,
    ) -> Document:
        """Join (label, text, hidden[, hidden spans[, blocks]]) parts into one text, remembering each page's span.

        A hidden page is hidden whole, so `hidden_spans` is the one thing downstream code checks. Tables are
        numbered per page by readers; a table that runs on over a page break keeps one number.
        """
        pages: list[Page] = []
        chunks: list[str] = []
        hidden_spans: list[Span] = []
        blocks: list[Block] = []
        next_table = 0  # the number the next table that does not run on from the page before gets
        offset = 0
        for number, (label, text, hidden, *rest) in enumerate(page_texts, start=1):
            if chunks:
                chunks.append(cls.PAGE_SEPARATOR)
                offset += len(cls.PAGE_SEPARATOR)
            pages.append(Page(number, offset, offset + len(text), label, hidden))
            page_spans = [(0, len(text))] if hidden else (rest[0] if rest else ())
            hidden_spans += [(offset + start, offset + end) for start, end in page_spans]
            page_blocks = list(rest[1]) if len(rest) > 1 else []
            if page_blocks:
                last = blocks[-1] if blocks else None
                first_row = page_blocks[0]
                continued = (
                    last is not None
                    and last.kind == first_row.kind == "table_row"
                    and len(last.cells) == len(first_row.cells)
                    and not first_row.header
                )
                first_table = min((b.table for b in page_blocks if b.kind == "table_row"), default=0)
                table_offset = (last.table if continued else next_table) - first_table
                moved = [block.moved(offset, table_offset) for block in page_blocks]
                next_table = max([next_table - 1] + [b.table for b in moved if b.kind == "table_row"]) + 1
                blocks += moved
            chunks.append(text)
            offset += len(text)
        return cls(
            sha256,
            kind,
            filename,
            "".join(chunks),
            tuple(pages),
            tuple(warnings),
            merge_spans(hidden_spans),
            tuple(blocks),
            form,
            **stats,
        )
