"""One reader per format: bytes in, (label, text, hidden, hidden spans) parts out, and for a form file (a PDF
with fields, an XLSX) the fields or cells beside them.

Readers run inside the sandbox (documents.sandbox); they may raise anything,
and the sandbox turns every failure into a typed reason.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Sequence
from typing import NamedTuple

import docx
import openpyxl
import pypdf
from defusedxml.ElementTree import iterparse
from docx.oxml.ns import qn
from docx.table import Table
from openpyxl.formula.tokenizer import TokenizerError
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.exceptions import CellCoordinatesException
from pypdf.errors import FileNotDecryptedError, PdfReadError

from aivet.settings import ReadLimits
from documents.detect import decode_text
from documents.html_text import html_to_text
from documents.model import (
    CELL_SEPARATOR,
    CellValue,
    FormData,
    FormField,
    PagePart,
    Reason,
    Sheet,
    Span,
    UnreadableDocument,
    hidden_text_warning,
    merge_spans,
)
from documents.pdf_hidden import extract_text_with_hidden
from documents.pdf_layout import PageLayout, rank_heading_levels
from documents.structure import Piece, fill_gaps, locate

# C0 and C1 control characters except tab, newline and form feed (our page separator), and the soft hyphen: a
# hint where a word may break, never shown mid-line ("Sub\u00adprocessor" reads "Subprocessor").
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u00ad]")
# Fewer visible characters than this per page on average means a scanned PDF.
MIN_CHARS_PER_PDF_PAGE = 10
# Rows of cell values carried per sheet in FormData: a questionnaire has ~110; more is a hostile or wrong file.
MAX_FORM_ROWS = 5000


class Reading(NamedTuple):
    """What a reader gives: the pages, sentences for the reviewer, and what a form file holds beside its text."""

    parts: list[PagePart]
    notes: list[str]
    form: FormData | None = None


def clean_text(text: str) -> str:
    """NFKC (ligatures, full-width forms), Unix newlines, no NULs, other control characters or soft hyphens."""
    text = unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL_CHARACTERS.sub("", text)


class Marked(NamedTuple):
    """Text with the spans a reader of the file cannot see, and the tricks that hide them."""

    text: str
    spans: tuple[Span, ...] = ()
    tricks: frozenset[str] = frozenset()


def _joined(separator: str, parts: Sequence[Marked]) -> Marked:
    spans: list[Span] = []
    offset = 0
    for part in parts:
        spans += [(offset + start, offset + end) for start, end in part.spans]
        offset += len(part.text) + len(separator)
    return Marked(
        separator.join(part.text for part in parts), tuple(spans), frozenset().union(*(part.tricks for part in parts))
    )


def _stripped(marked: Marked) -> Marked:
    text = marked.text.strip()
    lead = len(marked.text) - len(marked.text.lstrip())
    spans = tuple((max(start - lead, 0), min(end - lead, len(text))) for start, end in marked.spans)
    return marked._replace(text=text, spans=tuple((start, end) for start, end in spans if start < end))


def _cleaned(marked: Marked) -> tuple[str, list[Span]]:
    """clean_text(text).strip("\n"), with the spans moved along (NFKC can change lengths)."""
    cleaned = clean_text(marked.text)
    lead = len(cleaned) - len(cleaned.lstrip("\n"))
    text = cleaned.strip("\n")
    spans: list[Span] = []
    position = clean_position = 0
    for start, end in merge_spans(marked.spans):
        clean_start = clean_position + len(clean_text(marked.text[position:start]))
        clean_position, position = clean_start + len(clean_text(marked.text[start:end])), end
        spans.append((max(clean_start - lead, 0), min(clean_position - lead, len(text))))
    return text, [(start, end) for start, end in spans if start < end]


def _check_pages(count: int, limits: ReadLimits) -> None:
    if count > limits.max_pages:
        raise UnreadableDocument(Reason.TOO_MANY_PAGES, f"The file has {count} pages, more than {limits.max_pages}.")


def read_pdf(data: bytes, limits: ReadLimits) -> Reading:
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
    failed = 0
    for number, page in enumerate(reader.pages, start=1):
        layout = PageLayout()
        try:
            text, chunks = extract_text_with_hidden(page, layout.visit)
        except MemoryError:
            raise
        except Exception:
            text, chunks, layout = "", [], PageLayout()
            failed += 1
            notes.append(f"Page {number} could not be read; its text is missing.")
        text = clean_text(text or "").strip("\n")
        spans, tricks = _find_hidden_chunks(text, chunks)
        if tricks:
            notes.append(hidden_text_warning(f"Page {number}", tricks))
        parts.append((str(number), text, False, spans, layout.blocks(text, clean_text)))
    ranked = rank_heading_levels([part[4] for part in parts])
    parts = [(*part[:4], blocks) for part, blocks in zip(parts, ranked)]
    visible = sum(len("".join(part[1].split())) for part in parts)
    if failed == count:
        raise UnreadableDocument(Reason.CORRUPT, "No page of the PDF could be read.")
    if visible < MIN_CHARS_PER_PDF_PAGE * count:
        raise UnreadableDocument(
            Reason.NO_TEXT_LAYER, f"The PDF's {count} page(s) hold only {visible} characters of text."
        )
    return Reading(parts, notes, _pdf_form(reader))


def _pdf_form(reader: pypdf.PdfReader) -> FormData | None:
    """The PDF's form fields with its /Keywords and encryption; None for a PDF without fields.

    A form that cannot be read leaves the text readable: its FormData says which exception stopped it."""
    try:
        keywords = str((reader.metadata or {}).get("/Keywords") or "")
        values = _field_values(reader)
        pages = _field_pages(reader) if values else {}
    except MemoryError:
        raise
    except Exception as error:
        return FormData(encrypted=reader.is_encrypted, error=type(error).__name__)
    if not values:
        return None
    return FormData(
        keywords,
        reader.is_encrypted,
        tuple(FormField(name, value, pages.get(name, 0)) for name, value in values.items()),
    )


def _field_values(reader: pypdf.PdfReader) -> dict[str, str]:
    """Each field's value as text: a text field's as typed (stripped), a button's or choice's by `_plain`."""
    values = {}
    for name, item in (reader.get_fields() or {}).items():
        value = item.get("/V")
        is_button = item.get("/FT") == "/Btn"
        values[name] = _plain(value) if is_button or not isinstance(value, str) else value.strip()
    return values


def _plain(value: object) -> str:
    """A field's value as text: names lose their slash, lists join by line, "Off" is empty."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(_plain(item) for item in value)
    text = str(value)
    if text.startswith("/"):
        text = text[1:]
    return "" if text == "Off" else text.strip()


def _field_pages(reader: pypdf.PdfReader) -> dict[str, int]:
    """Each field's 1-based page: the first page with one of its widgets."""
    pages: dict[str, int] = {}
    for number, page in enumerate(reader.pages, start=1):
        for annotation in page.get("/Annots") or ():
            widget = annotation.get_object()
            if widget.get("/Subtype") != "/Widget":
                continue
            name = widget.get("/T") or (widget.get("/Parent") or {}).get("/T")
            if name is not None:
                pages.setdefault(str(name), number)
    return pages


def _find_hidden_chunks(text: str, chunks: list[tuple[str, set[str]]]) -> tuple[list[Span], set[str]]:
    """Find pypdf's chunks, in order, in the page's cleaned text: the spans and tricks of the hidden ones."""
    spans: list[Span] = []
    tricks: set[str] = set()
    cursor = 0
    for chunk, chunk_tricks in chunks:
        piece = clean_text(chunk).strip()
        start = text.find(piece, cursor) if piece else -1
        if start < 0:
            continue
        cursor = start + len(piece)
        if chunk_tricks:
            spans.append((start, cursor))
            tricks |= chunk_tricks
    return spans, tricks


def read_docx(data: bytes, limits: ReadLimits) -> Reading:
    """Paragraphs and tables in body order; hard and last-rendered page breaks start a new page. Headings (by
    style and outline level), list items (numbered or list-styled) and table rows become the page's blocks."""
    document = docx.Document(io.BytesIO(data))
    styles = _WordStyles(document)
    pages: list[list[Marked]] = [[]]
    pieces: list[list[Piece]] = [[]]
    table = -1
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            table += 1
            first = True
            for row in block.rows:
                cells = [
                    _stripped(_joined("\n", [_paragraph(paragraph._p, styles) for paragraph in cell.paragraphs]))
                    for cell in _unmerged(row.cells)
                ]
                if any(cell.text for cell in cells):
                    pages[-1].append(_joined(CELL_SEPARATOR, cells))
                    pieces[-1].append(Piece("table_row", tuple(cell.text for cell in cells), 0, first, table))
                    first = False
            continue
        if pages[-1] and (block.contains_page_break or block._p.xpath('./w:r/w:br[@w:type="page"]')):
            pages.append([])
            pieces.append([])
            _check_pages(len(pages), limits)
        paragraph = _paragraph(block._p, styles)
        pages[-1].append(paragraph)
        if paragraph.text.strip():
            pieces[-1].append(_docx_piece(block, paragraph.text))
    parts: list[PagePart] = []
    notes: list[str] = []
    for number, (lines, page_pieces) in enumerate(zip(pages, pieces), start=1):
        page = _joined("\n", lines)
        text, spans = _cleaned(page)
        if spans:
            notes.append(hidden_text_warning(f"Page {number}", page.tricks))
        parts.append((str(number), text, False, spans, fill_gaps(text, locate(text, page_pieces, clean_text))))
    return Reading(parts, notes)


_HEADING_STYLE = re.compile(r"^(?:heading|überschrift|titre|título)\s*(\d)", re.I)


def _docx_piece(paragraph, text: str) -> Piece:
    """A Word paragraph as a heading (style "Heading N", "Title" or an outline level), a list item (numbering
    or a list style) or a plain paragraph."""
    try:
        style = paragraph.style.name or ""
    except (KeyError, ValueError, AttributeError):
        style = ""
    properties = paragraph._p.pPr
    outline = properties.find(qn("w:outlineLvl")) if properties is not None else None
    if heading := _HEADING_STYLE.match(style):
        return Piece("heading", (text,), int(heading.group(1)))
    if style.lower() == "title":
        return Piece("heading", (text,), 1)
    if outline is not None and str(outline.get(qn("w:val"), "")).isdigit() and int(outline.get(qn("w:val"))) < 9:
        return Piece("heading", (text,), int(outline.get(qn("w:val"))) + 1)
    numbering = properties.find(qn("w:numPr")) if properties is not None else None
    if numbering is not None or "list" in style.lower():
        depth = numbering.find(qn("w:ilvl")) if numbering is not None else None
        level = (
            int(depth.get(qn("w:val"), "0")) if depth is not None and str(depth.get(qn("w:val"), "")).isdigit() else 0
        )
        return Piece("list_item", (text,), level)
    return Piece("paragraph", (text,))


def _unmerged(cells: list) -> list:
    """python-docx repeats a merged cell in every grid column it spans (the same w:tc); two cells that merely
    say the same ("United States | United States") both stay."""
    return [cell for index, cell in enumerate(cells) if index == 0 or cell._tc is not cells[index - 1]._tc]


class _WordStyles:
    """The run properties of a document's styles, to see what a run inherits from them."""

    def __init__(self, document):
        self.run_properties: dict[str, tuple[object, str | None]] = {}  # style id: (rPr or None, based-on id)
        self.default_paragraph_style = None
        for style in document.styles.element.iterchildren(qn("w:style")):
            based_on = style.find(qn("w:basedOn"))
            style_id = style.get(qn("w:styleId"))
            self.run_properties[style_id] = (
                style.find(qn("w:rPr")),
                None if based_on is None else based_on.get(qn("w:val")),
            )
            if style.get(qn("w:type")) == "paragraph" and style.get(qn("w:default")) in ("1", "true", "on"):
                self.default_paragraph_style = style_id

    def chain(self, style_id: str | None) -> Iterator[object]:
        """The rPr of a style and of the styles it is based on, nearest first."""
        seen = set()
        while style_id in self.run_properties and style_id not in seen:
            seen.add(style_id)
            run_properties, style_id = self.run_properties[style_id]
            if run_properties is not None:
                yield run_properties


def _paragraph(paragraph, styles: _WordStyles) -> Marked:
    """The paragraph's text as python-docx joins it, with the runs Word does not show marked."""
    paragraph_style = paragraph.style or styles.default_paragraph_style
    pieces = []
    for element in paragraph.xpath("w:r | w:hyperlink"):
        for run in element.xpath("w:r") if element.tag == qn("w:hyperlink") else [element]:
            text = run.text
            tricks = _run_tricks(run, paragraph_style, styles) if text.strip() else set()
            pieces.append(Marked(text, ((0, len(text)),) if tricks else (), frozenset(tricks)))
    return _joined("", pieces)


def _run_tricks(run, paragraph_style: str | None, styles: _WordStyles) -> set[str]:
    """Hidden (w:vanish, w:specVanish), white or at most 2 pt: the run's own formatting, then its styles'."""
    rpr = run.find(qn("w:rPr"))
    chain = [rpr] if rpr is not None else []
    character_style = rpr.find(qn("w:rStyle")) if rpr is not None else None
    chain += styles.chain(None if character_style is None else character_style.get(qn("w:val")))
    chain += styles.chain(paragraph_style)

    def first(tag: str) -> str | None:
        element = next((found for properties in chain if (found := properties.find(qn(tag))) is not None), None)
        return None if element is None else element.get(qn("w:val"), "true").lower()

    tricks = set()
    if any(first(tag) not in (None, "0", "false", "off") for tag in ("w:vanish", "w:specVanish")):
        tricks.add("hidden text")
    if first("w:color") == "ffffff" and not _on_shading(run):
        tricks.add("white text")
    size = first("w:sz")
    if size is not None and size.isdigit() and int(size) <= 4:  # half-points
        tricks.add("tiny text")
    return tricks


def _on_shading(run) -> bool:
    """White text on a shaded or highlighted run, paragraph or table cell shows."""
    backgrounds = run.xpath(
        "w:rPr/w:shd/@w:fill | w:rPr/w:highlight/@w:val"
        " | ancestor::w:p[1]/w:pPr/w:shd/@w:fill | ancestor::w:tc[1]/w:tcPr/w:shd/@w:fill"
    )
    return any(value.lower() not in ("auto", "ffffff", "none", "white") for value in backgrounds)


def read_xlsx(data: bytes, limits: ReadLimits) -> Reading:
    """Every sheet is a page labelled with its name; hidden sheets are read and marked hidden.

    Formulas are read as their text, never as the value another program computed and cached in the file."""
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    _check_pages(len(workbook.worksheets), limits)
    archive = zipfile.ZipFile(io.BytesIO(data))
    parts: list[PagePart] = []
    notes: list[str] = []
    sheets: list[Sheet] = []
    for sheet in workbook.worksheets:
        rows = []
        values: list[tuple[CellValue, ...]] = []
        hidden_rows, hidden_columns = _hidden_rows_and_columns(archive, sheet._worksheet_path)
        for number, row in enumerate(sheet.iter_rows(), start=sheet.min_row or 1):
            row_values = [_cell_value(cell.value) for cell in row]
            cells = [
                _cell(cell, value, number in hidden_rows or column in hidden_columns)
                for column, (cell, value) in enumerate(zip(row, row_values), start=sheet.min_column or 1)
            ]
            while cells and not cells[-1].text:
                cells.pop()
            if any(cell.text for cell in cells):
                rows.append(_joined(CELL_SEPARATOR, cells))
            if len(values) < MAX_FORM_ROWS:
                while row_values and row_values[-1] is None:
                    row_values.pop()
                values.append(tuple(row_values))
        hidden = sheet.sheet_state != "visible"  # hidden or veryHidden: read, and hidden whole
        page = _joined("\n", rows)
        text, spans = _cleaned(page)
        tricks = ({"hidden sheet"} if hidden else set()) | (page.tricks if spans else set())
        if tricks:
            notes.append(hidden_text_warning(f"Sheet '{sheet.title}'", tricks))
        parts.append((sheet.title, text, hidden, spans))
        while values and not values[-1]:
            values.pop()
        sheets.append(Sheet(sheet.title, hidden, tuple(values)))
    names = _cell_names(workbook, sheets)
    workbook.close()
    return Reading(parts, notes, FormData(sheets=tuple(sheets), names=names))


def _cell_value(value: object) -> CellValue:
    """A cell's value as JSON holds it: dates as ISO text (a date-time at midnight as a date), formulas as their
    text (ArrayFormula keeps it in .text), numbers that are not finite as text."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(getattr(value, "text", value))


def _cell_names(workbook, sheets: list[Sheet]) -> tuple[tuple[str, CellValue], ...]:
    """Each workbook-level defined name that names one cell of a sheet, with the value read for that cell."""
    rows = {sheet.title: sheet.rows for sheet in sheets}
    names = []
    for name, defined in workbook.defined_names.items():
        try:
            destinations = list(defined.destinations)
        except (TokenizerError, AttributeError):  # a formula openpyxl cannot split into ranges names no cell
            continue
        for title, coordinate in destinations:
            try:
                row, column = coordinate_to_tuple(coordinate.replace("$", ""))
            except (CellCoordinatesException, ValueError):  # a range, not one cell
                continue
            if title in rows:
                cells = rows[title][row - 1] if row <= len(rows[title]) else ()
                names.append((name, cells[column - 1] if column <= len(cells) else None))
    return tuple(names)


def _hidden_rows_and_columns(archive: zipfile.ZipFile, part: str) -> tuple[set[int], set[int]]:
    """The rows and columns a worksheet hides (Excel shows neither), from its XML: openpyxl's streaming reader
    does not keep them. Parsed with defusedxml; the part was checked before any library opened the file."""
    rows: set[int] = set()
    columns: set[int] = set()
    with archive.open(part.lstrip("/")) as stream:
        for _, element in iterparse(stream, events=("end",), forbid_dtd=True):
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "row":
                if element.get("hidden") in ("1", "true") and element.get("r", "").isdigit():
                    rows.add(int(element.get("r")))
                element.clear()  # rows hold the cells: keep memory flat
            elif tag == "col" and element.get("hidden") in ("1", "true"):
                columns.update(range(int(element.get("min", "1")), int(element.get("max", "0")) + 1))
    return rows, columns


def _cell(cell, value: CellValue, in_hidden_row_or_column: bool = False) -> Marked:
    """A cell's value as text; white text on an unfilled (or white-filled) cell, and any text in a hidden row or
    column, is marked hidden."""
    text = "" if value is None else str(value).strip()
    if text and in_hidden_row_or_column:
        return Marked(text, ((0, len(text)),), frozenset({"hidden row or column"}))
    if (
        text
        and _is_white(cell.font.color)
        and (cell.fill.fill_type is None or _is_white(getattr(cell.fill, "fgColor", None)))
    ):
        return Marked(text, ((0, len(text)),), frozenset({"white text"}))
    return Marked(text)


def _is_white(color) -> bool:
    """An Excel colour that is obviously white: RGB FFFFFF, theme colour 0 (Background 1) untinted, palette white."""
    if color is None:
        return False
    if color.type == "rgb":
        return str(color.rgb).upper()[-6:] == "FFFFFF"
    if color.type == "theme":
        return color.theme == 0 and not color.tint
    return color.type == "indexed" and color.indexed in (1, 9)


def read_csv(data: bytes, limits: ReadLimits) -> Reading:
    text = decode_text(data)
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [CELL_SEPARATOR.join(cell.strip() for cell in row) for row in csv.reader(io.StringIO(text), dialect)]
    return Reading([("1", clean_text("\n".join(row for row in rows if row.strip(" |"))), False)], [])


def read_html(data: bytes, limits: ReadLimits) -> Reading:
    text, pieces = html_to_text(decode_text(data))
    text = clean_text(text)
    return Reading([("1", text, False, (), fill_gaps(text, locate(text, pieces, clean_text)))], [])


def read_text(data: bytes, limits: ReadLimits) -> Reading:
    """Plain text and Markdown as written; form feeds separate pages."""
    chunks = clean_text(decode_text(data)).split("\f")
    _check_pages(len(chunks), limits)
    return Reading([(str(n), chunk.strip("\n"), False) for n, chunk in enumerate(chunks, start=1)], [])


READERS: dict[str, Callable[[bytes, ReadLimits], Reading]] = {
    "pdf": read_pdf,
    "docx": read_docx,
    "xlsx": read_xlsx,
    "csv": read_csv,
    "html": read_html,
    "markdown": read_text,
    "text": read_text,
}
