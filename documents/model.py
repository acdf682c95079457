"""What reading a vendor file produces: a Document, or a typed reason why not."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from enum import StrEnum


# How table cells are joined on one line of text, in every reader.
CELL_SEPARATOR = " | "


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


ADVICE: dict[Reason, str] = {
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

    @classmethod
    def from_pages(
        cls,
        sha256: str,
        kind: str,
        filename: str,
        page_texts: list[tuple[str, str, bool]],
        warnings: list[str] | tuple[str, ...] = (),
        **stats: float,
    ) -> "Document":
        """Join (label, text, hidden) parts into one text, remembering each page's span."""
        pages: list[Page] = []
        chunks: list[str] = []
        offset = 0
        for number, (label, text, hidden) in enumerate(page_texts, start=1):
            if chunks:
                chunks.append(cls.PAGE_SEPARATOR)
                offset += len(cls.PAGE_SEPARATOR)
            pages.append(Page(number, offset, offset + len(text), label, hidden))
            chunks.append(text)
            offset += len(text)
        return cls(sha256, kind, filename, "".join(chunks), tuple(pages), tuple(warnings), **stats)
