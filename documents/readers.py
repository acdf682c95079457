"""One reader per format: bytes in, (label, text, hidden) parts out.

Readers run inside the sandbox (documents.sandbox); they may raise anything,
and the sandbox turns every failure into a typed reason.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable

import docx
import openpyxl
import pypdf
from docx.table import Table
from pypdf.errors import FileNotDecryptedError, PdfReadError

from aivet.settings import ReadLimits
from documents.detect import decode_text
from documents.html_text import html_to_text
from documents.model import CELL_SEPARATOR, Reason, UnreadableDocument

PagePart = tuple[str, str, bool]  # (label, text, hidden)
# C0 and C1 control characters except tab, newline and form feed (our page separator).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
# Fewer visible characters than this per page on average means a scanned PDF.
MIN_CHARS_PER_PDF_PAGE = 10


def clean_text(text: str) -> str:
    """NFKC (ligatures, full-width forms), Unix newlines, no NULs or other control characters."""
    text = unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL_CHARACTERS.sub("", text)


def _check_pages(count: int, limits: ReadLimits) -> None:
    if count > limits.max_pages:
        raise UnreadableDocument(Reason.TOO_MANY_PAGES, f"The file has {count} pages, more than {limits.max_pages}.")


def read_pdf(data: bytes, limits: ReadLimits) -> tuple[list[PagePart], list[str]]:
    pypdf.overwrite_configuration(jbig2dec_binary=None, zlib_maximum_output_length=30_000_000)
    reader = pypdf.PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except (FileNotDecryptedError, PdfReadError, NotImplementedError):
            opened = 0
        if not opened:
            raise UnreadableDocument(Reason.ENCRYPTED, "The PDF is encrypted with a password.")
    count = len(reader.pages)
    _check_pages(count, limits)
    if count == 0:
        raise UnreadableDocument(Reason.CORRUPT, "The PDF has no pages.")
    parts: list[PagePart] = []
    notes: list[str] = []
    for number, page in enumerate(reader.pages, start=1):
        try:
            text = page.extract_text() or ""
        except MemoryError:
            raise
        except Exception:
            text = ""
            notes.append(f"Page {number} could not be read; its text is missing.")
        parts.append((str(number), clean_text(text).strip("\n"), False))
    visible = sum(len("".join(text.split())) for _, text, _ in parts)
    if len(notes) == count:
        raise UnreadableDocument(Reason.CORRUPT, "No page of the PDF could be read.")
    if visible < MIN_CHARS_PER_PDF_PAGE * count:
        raise UnreadableDocument(Reason.NO_TEXT_LAYER, f"The PDF's {count} page(s) hold only {visible} characters of text.")
    return parts, notes


def read_docx(data: bytes, limits: ReadLimits) -> tuple[list[PagePart], list[str]]:
    """Paragraphs and tables in body order; hard and last-rendered page breaks start a new page."""
    document = docx.Document(io.BytesIO(data))
    pages: list[list[str]] = [[]]
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells = _dedupe_merged([cell.text.strip() for cell in row.cells])
                if any(cells):
                    pages[-1].append(CELL_SEPARATOR.join(cells))
            continue
        if pages[-1] and (block.contains_page_break or block._p.xpath('./w:r/w:br[@w:type="page"]')):
            pages.append([])
            _check_pages(len(pages), limits)
        pages[-1].append(block.text)
    parts = [(str(n), clean_text("\n".join(lines)).strip("\n"), False) for n, lines in enumerate(pages, start=1)]
    return parts, []


def _dedupe_merged(cells: list[str]) -> list[str]:
    """python-docx repeats a merged cell's text in every grid column it spans."""
    return [cell for index, cell in enumerate(cells) if index == 0 or cell != cells[index - 1]]


def read_xlsx(data: bytes, limits: ReadLimits) -> tuple[list[PagePart], list[str]]:
    """Every sheet is a page labelled with its name; hidden sheets are read and marked."""
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    _check_pages(len(workbook.worksheets), limits)
    parts: list[PagePart] = []
    notes: list[str] = []
    for sheet in workbook.worksheets:
        rows = []
        for row in sheet.iter_rows(values_only=True):
            cells = ["" if value is None else str(value).strip() for value in row]
            while cells and not cells[-1]:
                cells.pop()
            if any(cells):
                rows.append(CELL_SEPARATOR.join(cells))
        hidden = sheet.sheet_state != "visible"
        if hidden:
            notes.append(f"Sheet '{sheet.title}' is hidden in the workbook; it was read and marked hidden.")
        parts.append((sheet.title, clean_text("\n".join(rows)), hidden))
    workbook.close()
    return parts, notes


def read_csv(data: bytes, limits: ReadLimits) -> tuple[list[PagePart], list[str]]:
    text = decode_text(data)
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [CELL_SEPARATOR.join(cell.strip() for cell in row) for row in csv.reader(io.StringIO(text), dialect)]
    return [("1", clean_text("\n".join(row for row in rows if row.strip(" |"))), False)], []


def read_html(data: bytes, limits: ReadLimits) -> tuple[list[PagePart], list[str]]:
    return [("1", clean_text(html_to_text(decode_text(data))), False)], []


def read_text(data: bytes, limits: ReadLimits) -> tuple[list[PagePart], list[str]]:
    """Plain text and Markdown as written; form feeds separate pages."""
    chunks = clean_text(decode_text(data)).split("\f")
    _check_pages(len(chunks), limits)
    return [(str(n), chunk.strip("\n"), False) for n, chunk in enumerate(chunks, start=1)], []


READERS: dict[str, Callable[[bytes, ReadLimits], tuple[list[PagePart], list[str]]]] = {
    "pdf": read_pdf,
    "docx": read_docx,
    "xlsx": read_xlsx,
    "csv": read_csv,
    "html": read_html,
    "markdown": read_text,
    "text": read_text,
}
