"""Fixture files made by code, so the suite covers every behaviour without ../shared."""

from __future__ import annotations

import io
import zipfile

import docx
import openpyxl
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from openpyxl.styles import Color, Font, PatternFill
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def pdf_bytes(pages: list[str]) -> bytes:
    """A text PDF with one page per string; lines split on newlines."""
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=A4)
    for text in pages:
        y = 800
        for line in text.split("\n"):
            sheet.drawString(50, y, line)
            y -= 14
        sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def _white(sheet, text):
    sheet.setFillColorRGB(1, 1, 1)
    sheet.drawString(50, 700, text)


def _white_cmyk(sheet, text):
    sheet.setFillColorCMYK(0, 0, 0, 0)
    sheet.drawString(50, 700, text)


def _tiny(sheet, text):
    sheet.setFont("Helvetica", 0.5)
    sheet.drawString(50, 700, text)


def _tiny_by_scale(sheet, text):
    sheet.scale(0.1, 0.1)  # 12 pt drawn at a tenth: 1.2 pt on paper
    sheet.drawString(500, 7000, text)


def _render_mode(mode):
    def draw(sheet, text):
        line = sheet.beginText(50, 700)
        line.setTextRenderMode(mode)
        line.textLine(text)
        sheet.drawText(line)

    return draw


def _off_page(sheet, text):
    sheet.drawString(2000, -500, text)


def _under_white_box(sheet, text):
    sheet.drawString(50, 700, text)
    sheet.setFillColorRGB(1, 1, 1)
    sheet.rect(40, 690, 520, 25, stroke=0, fill=1)


def _white_in_form(sheet, text):
    sheet.beginForm("note")
    _white(sheet, text)
    sheet.endForm()
    sheet.doForm("note")


def _white_on_dark_box(sheet, text):
    """A table header: white on a dark box, which people see."""
    sheet.setFillColorRGB(0.1, 0.2, 0.5)
    sheet.rect(40, 690, 520, 25, stroke=0, fill=1)
    _white(sheet, text)


def _light_grey(sheet, text):
    sheet.setFillGray(0.95)  # 95 % grey on white paper
    sheet.drawString(50, 700, text)


def _small(sheet, text):
    sheet.setFont("Helvetica", 2.2)
    sheet.drawString(50, 700, text)


def _under_image(sheet, text):
    from reportlab.lib.utils import ImageReader

    sheet.drawString(50, 700, text)
    sheet.drawImage(ImageReader(_white_png()), 40, 690, width=520, height=25)


def _white_png() -> io.BytesIO:
    """A small opaque white PNG, made with zlib: no imaging library needed."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\xff\xff" * 8 for _ in range(8))
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
    return io.BytesIO(png + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _clipped(sheet, text):
    sheet.saveState()
    path = sheet.beginPath()
    path.rect(300, 300, 1, 1)  # a clipping path one point square, far from the text
    sheet.clipPath(path, stroke=0, fill=0)
    sheet.drawString(50, 700, text)
    sheet.restoreState()


def _clipped_by_a_large_rectangle(sheet, text):
    sheet.saveState()
    path = sheet.beginPath()
    path.rect(50, 50, 200, 200)  # a clipping path of normal size, the text well outside it
    sheet.clipPath(path, stroke=0, fill=0)
    sheet.drawString(400, 600, text)
    sheet.restoreState()


def _clipped_under_a_scale(sheet, text):
    sheet.saveState()
    sheet.scale(0.5, 0.5)
    path = sheet.beginPath()
    path.rect(100, 100, 400, 400)  # on the page: 50 to 250
    sheet.clipPath(path, stroke=0, fill=0)
    sheet.drawString(800, 1200, text)  # on the page: 400, 600
    sheet.restoreState()


def _clipped_form(sheet, text):
    sheet.beginForm("clause")
    sheet.drawString(400, 600, text)
    sheet.endForm()
    sheet.saveState()
    path = sheet.beginPath()
    path.rect(50, 50, 200, 200)  # the page clips; the form it draws places its text outside
    sheet.clipPath(path, stroke=0, fill=0)
    sheet.doForm("clause")
    sheet.restoreState()


def _through_a_window(sheet, text, y):
    """A page drawn through a window (40..560 × 500..800), as HTML converters draw every page, the text at `y`."""
    sheet.saveState()
    path = sheet.beginPath()
    path.rect(40, 500, 520, 300)
    sheet.clipPath(path, stroke=0, fill=0)
    sheet.drawString(50, y, text)
    sheet.restoreState()


def _inside_a_large_clip(sheet, text):
    """Inside the window: people see the text."""
    _through_a_window(sheet, text, 700)


def _blue_on_blue(sheet, text):
    sheet.setFillColorRGB(0.1, 0.3, 0.8)
    sheet.rect(40, 690, 520, 25, stroke=0, fill=1)
    sheet.setFillColorRGB(0.12, 0.32, 0.82)
    sheet.drawString(50, 700, text)


PDF_HIDING_TRICKS = {
    "white": _white,
    "light_grey": _light_grey,
    "small": _small,
    "under_image": _under_image,
    "clipped": _clipped,
    "clipped_large": _clipped_by_a_large_rectangle,
    "clipped_scaled": _clipped_under_a_scale,
    "clipped_form": _clipped_form,
    "blue_on_blue": _blue_on_blue,
    "white_cmyk": _white_cmyk,
    "tiny": _tiny,
    "tiny_by_scale": _tiny_by_scale,
    "render_mode_3": _render_mode(3),
    "render_mode_7": _render_mode(7),
    "off_page": _off_page,
    "under_white_box": _under_white_box,
    "white_in_form": _white_in_form,
}


def _just_past_a_window(sheet, text):
    """A line an HTML converter places just below the page's window: it shows on the next page."""
    _through_a_window(sheet, text, 490)


PDF_VISIBLE_LOOKALIKES = {
    "white_on_dark_box": _white_on_dark_box,
    "inside_large_clip": _inside_a_large_clip,
    "just_past_a_window": _just_past_a_window,
}


def pdf_with_hidden_bytes(visible: str, hidden: str, trick: str) -> bytes:
    """One page on a white background: `visible` in black, then `hidden` drawn with a trick from PDF_HIDING_TRICKS
    (or one from PDF_VISIBLE_LOOKALIKES, which hide nothing)."""
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=A4)
    sheet.setFillColorRGB(1, 1, 1)
    sheet.rect(0, 0, *A4, stroke=0, fill=1)
    sheet.setFillColorRGB(0, 0, 0)
    sheet.drawString(50, 800, visible)
    (PDF_HIDING_TRICKS.get(trick) or PDF_VISIBLE_LOOKALIKES[trick])(sheet, hidden)
    sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def pdf_with_operators_bytes(visible: str, operators: str) -> bytes:
    """One page: `visible` in black (in font /F1, Helvetica), then raw content-stream operators."""
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=A4)
    sheet.drawString(50, 800, visible)
    sheet.addLiteral(operators)
    sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def scanned_pdf_bytes(pages: int = 2) -> bytes:
    """Pages with only drawn shapes: what a scan without OCR looks like to a text reader."""
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=A4)
    for _ in range(pages):
        sheet.rect(50, 50, 400, 700, fill=1)
        sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def encrypted_pdf_bytes(text: str, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes([text]))))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def docx_bytes(paragraphs_per_page: list[list[str]], table: list[list[str]] | None = None) -> bytes:
    document = docx.Document()
    for index, paragraphs in enumerate(paragraphs_per_page):
        if index:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        for text in paragraphs:
            document.add_paragraph(text)
    if table:
        _add_table(document, table)
    return _saved(document)


def _add_table(document, table: list[list[str]]) -> None:
    grid = document.add_table(rows=len(table), cols=len(table[0]))
    for row, values in zip(grid.rows, table):
        for cell, value in zip(row.cells, values):
            cell.text = value


def _saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _vanish(document, run):
    run.font.hidden = True


def _spec_vanish(document, run):
    run._r.get_or_add_rPr().append(OxmlElement("w:specVanish"))


def _white_run(document, run):
    run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)


def _one_point(document, run):
    run.font.size = Pt(1)


def _hidden_style(document, run):
    style = document.styles.add_style("Aside", WD_STYLE_TYPE.CHARACTER)
    style.font.hidden = True
    run.style = style


DOCX_HIDING_TRICKS = {
    "vanish": _vanish,
    "spec_vanish": _spec_vanish,
    "white": _white_run,
    "one_point": _one_point,
    "hidden_style": _hidden_style,
}


def docx_with_hidden_bytes(visible: str, hidden: str, trick: str, in_table: bool = False) -> bytes:
    """`visible` in one paragraph; `hidden` as the middle run of another (or of a table cell), hidden with a trick."""
    document = docx.Document()
    document.add_paragraph(visible)
    paragraph = document.add_table(rows=1, cols=2).cell(0, 1).paragraphs[0] if in_table else document.add_paragraph()
    paragraph.add_run("Note: ")
    DOCX_HIDING_TRICKS[trick](document, paragraph.add_run(hidden))
    paragraph.add_run(" End of note.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_white_on_shading_bytes(visible: str, header: str) -> bytes:
    """A table whose header cell is dark blue with white text, which people see."""
    document = docx.Document()
    document.add_paragraph(visible)
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), "1F3864")
    cell._tc.get_or_add_tcPr().append(shading)
    _white_run(document, cell.paragraphs[0].add_run(header))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


XLSX_FONT_COLOURS = {"rgb_white": Color(rgb="FFFFFFFF"), "theme_white": Color(theme=0)}


def xlsx_with_hidden_bytes(visible: str, hidden: str, colour: str, dark_fill: bool = False) -> bytes:
    """`visible` in B1; `hidden` in B2 in a white font (XLSX_FONT_COLOURS), on a dark fill if asked."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Answers"
    sheet.append(["RET-01", visible])
    sheet.append(["Note", hidden])
    sheet["B2"].font = Font(color=XLSX_FONT_COLOURS[colour])
    if dark_fill:
        sheet["B2"].fill = PatternFill("solid", fgColor="FF1F3864")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(sheets: dict[str, list[list[object]]], hidden: tuple[str, ...] = ()) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if title in hidden:
            sheet.sheet_state = "hidden"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewrite_zip(data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    """Copy an OOXML zip, replacing or adding members (to plant a DOCTYPE or a bomb)."""
    replace, add = replace or {}, add or {}
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(member.filename, replace.get(member.filename, source.read(member.filename)))
        for name, content in add.items():
            target.writestr(name, content)
    return buffer.getvalue()


PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _flowables_pdf(story, *, columns: int = 1) -> bytes:
    """A PDF laid out by reportlab's platypus, in one column or several."""
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    buffer = io.BytesIO()
    width, height = A4
    margin, gutter = 50, 20
    frame_width = (width - 2 * margin - gutter * (columns - 1)) / columns
    frames = [
        Frame(margin + number * (frame_width + gutter), margin, frame_width, height - 2 * margin, id=f"c{number}")
        for number in range(columns)
    ]
    document = BaseDocTemplate(buffer, pagesize=A4)
    document.addPageTemplates([PageTemplate(id="page", frames=frames)])
    document.build(story)
    return buffer.getvalue()


def structured_pdf_bytes(
    heading: str,
    intro: str,
    table: list[list[str]],
    *,
    columns: int = 1,
    paragraphs: list[str] = (),
    left_padding: float = 6,
) -> bytes:
    """A heading, a paragraph and a table drawn with no lines or separators: its cells are Paragraphs placed
    by position (long cells wrap inside their column), the header row in bold; then more paragraphs. With no
    left padding the first column starts where the paragraphs do."""
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, Table

    styles = getSampleStyleSheet()
    header_style = styles["BodyText"].clone("header", fontName="Helvetica-Bold")
    rows = [
        [Paragraph(cell, header_style if number == 0 else styles["BodyText"]) for cell in row]
        for number, row in enumerate(table)
    ]
    grid = Table(rows, style=[("LEFTPADDING", (0, 0), (0, -1), left_padding)])  # 0: cells start at the margin
    story = [Paragraph(heading, styles["Heading1"]), Paragraph(intro, styles["BodyText"]), grid]
    story += [Paragraph(text, styles["BodyText"]) for text in paragraphs]
    return _flowables_pdf(story, columns=columns)


def listed_pdf_bytes(sections: list[tuple[str, list[str], list[str]]], *, columns: int = 1) -> bytes:
    """Sections of (heading, paragraphs, bullet items), headings larger than the body text."""
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph

    styles = getSampleStyleSheet()
    story = []
    for heading, paragraphs, items in sections:
        story.append(Paragraph(heading, styles["Heading2"]))
        story += [Paragraph(text, styles["BodyText"]) for text in paragraphs]
        story += [Paragraph(item, styles["BodyText"], bulletText="•") for item in items]
    return _flowables_pdf(story, columns=columns)


def outlined_pdf_bytes(outline: list[tuple[str, str]], *, columns: int = 1) -> bytes:
    """A page from (kind, text) pairs: "h1" and "h2" headings in two sizes, "p" paragraphs, "li" bullet items."""
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph

    styles = getSampleStyleSheet()
    kinds = {"h1": styles["Heading1"], "h2": styles["Heading2"], "p": styles["BodyText"], "li": styles["BodyText"]}
    story = [Paragraph(text, kinds[kind], bulletText="•" if kind == "li" else None) for kind, text in outline]
    return _flowables_pdf(story, columns=columns)


def outlined_docx_bytes(outline: list[tuple[str, str]]) -> bytes:
    """The same outline as a Word file: Heading 1 and 2, Normal paragraphs, List Bullet items."""
    document = docx.Document()
    for kind, text in outline:
        if kind in ("h1", "h2"):
            document.add_heading(text, int(kind[1]))
        else:
            document.add_paragraph(text, style="List Bullet" if kind == "li" else None)
    return _saved(document)


def structured_docx_bytes(heading: str, intro: str, items: list[str], table: list[list[str]]) -> bytes:
    """A Word file with a Heading 1 and a Heading 2, a List Bullet list and a table with a header row."""
    document = docx.Document()
    document.add_heading("Data Processing Addendum", 1)
    document.add_heading(heading, 2)
    document.add_paragraph(intro)
    for item in items:
        document.add_paragraph(item, style="List Bullet")
    _add_table(document, table)
    return _saved(document)


def piped_table_pdf_bytes(heading: str, intro: str, table: list[list[str]], *, columns: int = 1) -> bytes:
    """A table printed as lines of text, cells joined by " | ", each row a paragraph that wraps when long."""
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph

    styles = getSampleStyleSheet()
    row_style = styles["BodyText"].clone("row", fontSize=9, leading=11, spaceBefore=0, spaceAfter=3)
    story = [Paragraph(heading, styles["Heading1"]), Paragraph(intro, styles["BodyText"])]
    story += [Paragraph(" | ".join(row), row_style) for row in table]
    return _flowables_pdf(story, columns=columns)
