"""The ways extraction_accuracy.py renders a Markdown document of the vendor-docs corpus, as vendors send it.

Every renderer has the signature of `Renderer`: (Markdown source, destination file, fonts, title, vendor) ->
RenderStats, and writes one file; RENDERINGS maps the rendering's name to it, SUFFIXES to its file name ending.

- `pdf`: one column; a table row is one line of text, its cells joined by CELL_SEPARATOR (" | ").
- `pdf-2col`: the same blocks in two columns side by side on A4, table rows as in `pdf`.
- `pdf-borderless`: as `pdf`, but a table is a platypus Table with no grid and no separators: cells are
  paragraphs placed by position (a long cell wraps inside its column), header row in bold.
- `docx`: a Word file: Heading 1..6, List Bullet / List Number, real tables, Normal paragraphs, monospace code.

The text a reader of the page sees is kept; Markdown markup is not printed.
"""

from __future__ import annotations

import html
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from documents.model import CELL_SEPARATOR

# ---------------------------------------------------------------------------------------------
# Fonts: a TrueType font with wide Unicode coverage when this machine has one, else Helvetica.

FONT_CANDIDATES = (  # (regular, bold) file names, best coverage first
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    ("FreeSans.ttf", "FreeSansBold.ttf"),
    ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    ("Arial Unicode.ttf", None),
    ("ARIALUNI.TTF", None),
    ("Arial.ttf", "Arial Bold.ttf"),
    ("arial.ttf", "arialbd.ttf"),
)
MONO_CANDIDATES = (
    "DejaVuSansMono.ttf",
    "NotoSansMono-Regular.ttf",
    "FreeMono.ttf",
    "LiberationMono-Regular.ttf",
    "cour.ttf",
)


def font_dirs() -> list[Path]:
    """reportlab's own TrueType search path, then the usual per-OS font folders."""
    from reportlab import rl_config

    dirs = [Path(d) for d in rl_config.TTFSearchPath]
    home = Path.home()
    dirs += [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / ".fonts",
        home / ".local/share/fonts",
        Path("/Library/Fonts"),
        Path("/System/Library/Fonts"),
        home / "Library/Fonts",
    ]
    if os.environ.get("WINDIR"):
        dirs.append(Path(os.environ["WINDIR"]) / "Fonts")
    unique: list[Path] = []
    for folder in dirs:
        if folder.is_dir() and folder not in unique:
            unique.append(folder)
    return unique


def find_font_file(name: str, dirs: list[Path]) -> Path | None:
    for folder in dirs:
        if (folder / name).is_file():
            return folder / name
    for folder in dirs:
        for hit in folder.rglob(name):
            return hit
    return None


@dataclass
class Fonts:
    regular: str
    bold: str
    mono: str
    description: str
    covers: object  # Callable[[str], bool]: can the regular font draw this character?
    mono_covers: object
    replaced: int = 0

    def clean(self, text: str, *, mono: bool = False) -> str:
        """Drop control/format characters; replace what the font cannot draw with '?'."""
        covers = self.mono_covers if mono else self.covers
        out = []
        for char in text:
            if char == "\t":
                out.append(" ")
            elif char == "\n" or covers(char):
                out.append(char)
            elif unicodedata.category(char) in ("Cc", "Cf", "Mn", "Me"):
                continue  # zero-width, variation selectors, combining marks: nothing to draw
            elif char.isspace():
                out.append(" ")
            else:
                out.append("?")
                self.replaced += 1
        return "".join(out)


def choose_fonts(override: str | None) -> Fonts:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    dirs = font_dirs()

    def register(name: str, path: Path) -> set[int] | None:
        try:
            font = TTFont(name, str(path))
        except Exception:
            return None
        pdfmetrics.registerFont(font)
        return set(font.face.charToGlyph)

    candidates: list[tuple[Path, Path | None]] = []
    if override:
        candidates.append((Path(override), None))
    for regular, bold in FONT_CANDIDATES:
        found = find_font_file(regular, dirs)
        if found:
            candidates.append((found, find_font_file(bold, dirs) if bold else None))
    for regular_path, bold_path in candidates:
        glyphs = register("BenchSans", regular_path)
        if glyphs is None:
            continue
        bold = "BenchSans-Bold" if bold_path and register("BenchSans-Bold", bold_path) is not None else "BenchSans"
        mono, mono_glyphs = "BenchSans", glyphs
        for name in MONO_CANDIDATES:
            path = find_font_file(name, dirs)
            if path and (found_glyphs := register("BenchMono", path)) is not None:
                mono, mono_glyphs = "BenchMono", found_glyphs
                break
        return Fonts(
            "BenchSans",
            bold,
            mono,
            f"TrueType {regular_path}",
            lambda c, g=glyphs: ord(c) in g,
            lambda c, g=mono_glyphs: ord(c) in g,
        )

    def winansi(char: str) -> bool:
        try:
            char.encode("cp1252")
            return True
        except UnicodeEncodeError:
            return False

    return Fonts(
        "Helvetica",
        "Helvetica-Bold",
        "Courier",
        "Helvetica (no TrueType font found; characters outside WinAnsi replaced by '?')",
        winansi,
        winansi,
    )


# ---------------------------------------------------------------------------------------------
# Markdown -> blocks, as a vendor would export the page: no markup characters, text kept.

ESCAPABLE = "\\`*_{}[]()#+-.!|&<>~\"'"
FENCE = re.compile(r"^\s*(```|~~~)")
HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
LIST_ITEM = re.compile(r"^(\s*)([-*+•●○]|\d+[.)]|[a-zA-Z][.)])\s+(.*)$")
RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
TAG = re.compile(r"</?[A-Za-z][\w.:-]*(?:\s[^<>]*)?/?>")
TITLE_ATTRIBUTE = re.compile(r"\btitle\s*=\s*(\"[^\"]*\"|'[^']*')")


def _protect(text: str) -> str:
    """Markdown backslash escapes become private-use placeholders until the markup is gone."""
    return re.sub(r"\\([" + re.escape(ESCAPABLE) + r"])", lambda m: chr(0xE000 + ord(m.group(1))), text)


def _restore(text: str) -> str:
    return re.sub("[\ue000-\ue07f]", lambda m: chr(ord(m.group(0)) - 0xE000), text)


def inline_text(raw: str) -> str:
    """One block of Markdown/HTML source as the text a reader of the rendered page sees."""
    text = _protect(raw)
    text = re.sub(r"<(https?://[^>\s]+)>", r"\1", text)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"\[([^\]]+)\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\[[^\]]*\]", r"\1", text)
    text = re.sub(r"<br\s*/?>", " ", text, flags=re.IGNORECASE)
    text = TAG.sub("", text)
    text = html.unescape(text)
    text = re.sub(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", r"\1", text)
    text = re.sub(r"(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)", r"\1", text)
    text = re.sub(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])", r"\1", text)
    text = re.sub(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)", r"\1", text)
    text = re.sub(r"~~(.+?)~~", r"\1", text)
    text = re.sub(r"(`+)(.+?)\1", r"\2", text)
    return " ".join(_restore(text).split())


def table_cells(line: str) -> list[str]:
    cells = [inline_text(cell) for cell in _protect(line.strip()).split("|")]
    if cells and not cells[0]:
        cells = cells[1:]
    if cells and not cells[-1]:
        cells = cells[:-1]
    return cells


@dataclass(frozen=True)
class Block:
    """One block of the page: h1..h6, p, li (text without its marker), code, rule, or table (rows of cells)."""

    kind: str
    text: str = ""
    marker: str = ""  # li: "•" for an unordered item, else the item's own marker ("1.", "a)")
    rows: tuple[tuple[str, ...], ...] = ()  # table: the first row is the header

    @property
    def line(self) -> str:
        """li: the item as one line of text with its marker."""
        return f"{self.marker} {self.text}"


HTML_TABLE_MARK = "\x00html-table:"


def html_table_rows(markup: str) -> tuple[tuple[str, ...], ...]:
    """The rows of an HTML table as the cells' visible text (line breaks inside a cell become spaces)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "lxml")
    rows = []
    for row in soup.find_all("tr"):
        cells = tuple(" ".join(cell.get_text(" ").split()) for cell in row.find_all(["td", "th"]))
        if any(cells):
            rows.append(cells)
    width = max((len(row) for row in rows), default=0)
    return tuple(row + ("",) * (width - len(row)) for row in rows)


def markdown_blocks(source: str) -> list[Block]:
    """The page's blocks in order; consecutive table lines (up to a line that is not one) make one table."""
    text = source.replace("\r\n", "\n").replace("\r", "\n")
    front_matter = re.match(r"---\n(?:.*\n){0,80}?---[ \t]*(?:\n|$)", text)
    if front_matter:  # YAML front matter is page metadata, not printed
        text = text[front_matter.end() :]
    text = re.sub(r"<(script|style)\b.*?</\1\s*>", "", text, flags=re.IGNORECASE | re.DOTALL)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)
    html_tables: list[tuple[tuple[str, ...], ...]] = []

    def hold_table(match: re.Match) -> str:  # an HTML table in the page is printed as a table, as a browser would
        html_tables.append(html_table_rows(match.group(0)))
        return f"\n{HTML_TABLE_MARK}{len(html_tables) - 1}\n"

    text = re.sub(r"<table\b.*?</table\s*>", hold_table, text, flags=re.IGNORECASE | re.DOTALL)

    blocks: list[Block] = []
    paragraph: list[str] = []
    item: list[str] | None = None
    item_marker = ""
    code: list[str] | None = None
    table: list[tuple[str, ...]] | None = None

    def flush() -> None:
        nonlocal paragraph, item
        if item is not None:
            body = inline_text(" ".join(item))
            if body:
                blocks.append(Block("li", body, item_marker))
            item = None
        if paragraph:
            body = inline_text(" ".join(paragraph))
            if body:
                blocks.append(Block("p", body))
            paragraph = []

    def close_table() -> None:
        nonlocal table
        if table:
            blocks.append(Block("table", rows=tuple(table)))
        table = None

    for line in text.split("\n"):
        if code is not None:
            if FENCE.match(line):
                blocks.append(Block("code", "\n".join(code)))
                code = None
            else:
                code.append(line.rstrip())
            continue
        if FENCE.match(line):
            close_table()
            flush()
            code = []
            continue
        if line.startswith(HTML_TABLE_MARK):
            close_table()
            flush()
            rows = html_tables[int(line[len(HTML_TABLE_MARK) :])]
            if rows:
                blocks.append(Block("table", rows=rows))
            continue
        line = re.sub(r"^\s*(>\s?)+", "", line)  # blockquotes and callouts: their text, unmarked
        line = re.sub(r"^\s*\[!(\w+)\]", lambda m: m.group(1).capitalize() + ":", line)  # > [!NOTE] -> Note:
        stripped = line.strip()
        if not stripped.startswith("|"):
            close_table()
        if not stripped:
            flush()
            continue
        if not TAG.sub("", stripped).strip():  # a line of tags only (JSX wrappers): keep visible titles
            flush()
            for title in TITLE_ATTRIBUTE.findall(stripped):
                blocks.append(Block("h5", inline_text(title[1:-1])))
            continue
        if heading := HEADING.match(line):
            flush()
            blocks.append(Block(f"h{len(heading.group(1))}", inline_text(heading.group(2))))
            continue
        if stripped.startswith("|"):  # a table row; the |---| line is not printed
            flush()
            cells = table_cells(stripped)
            if not TABLE_SEPARATOR.match(stripped) and any(cells):
                table = (table or []) + [tuple(cells)]
            continue
        if RULE.match(line):
            flush()
            blocks.append(Block("rule"))
            continue
        if listed := LIST_ITEM.match(line):
            flush()
            marker = listed.group(2)
            item_marker = "•" if marker in "-*+" else marker
            item = [listed.group(3)]
            continue
        if item is not None:
            item.append(stripped)
        else:
            paragraph.append(stripped)
    close_table()
    if code is not None:
        blocks.append(Block("code", "\n".join(code)))
    flush()
    return blocks


# ---------------------------------------------------------------------------------------------
# The renderers.


@dataclass
class RenderStats:
    table_rows: int = 0
    wrapped_rows: int | None = None  # rows that do not fit on one line (None: the format does not say)


Renderer = Callable[[str, Path, Fonts, str, str], RenderStats]

PAGE_MARGIN_CM = 2
GUTTER_CM = 0.6
CELL_PADDING = 3  # points, each side of a borderless table cell


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def pdf_styles(fonts: Fonts) -> dict:
    from reportlab.lib.enums import TA_LEFT
    from reportlab.lib.styles import ParagraphStyle

    def style(
        name: str,
        size: float,
        *,
        bold: bool = False,
        mono: bool = False,
        before: float = 0,
        after: float = 4,
        indent: float = 0,
    ) -> ParagraphStyle:
        return ParagraphStyle(
            name,
            fontName=fonts.mono if mono else fonts.bold if bold else fonts.regular,
            fontSize=size,
            leading=size * 1.3,
            spaceBefore=before,
            spaceAfter=after,
            leftIndent=indent,
            alignment=TA_LEFT,
        )

    return {
        "h1": style("h1", 18, bold=True, before=8, after=8),
        "h2": style("h2", 15, bold=True, before=8, after=6),
        "h3": style("h3", 13, bold=True, before=6, after=4),
        "h4": style("h4", 11.5, bold=True, before=4),
        "h5": style("h5", 10.5, bold=True, before=4),
        "h6": style("h6", 10, bold=True, before=4),
        "p": style("p", 10),
        "li": style("li", 10, indent=14, after=2),
        "row": style("row", 9, after=2),
        "code": style("code", 8.5, mono=True, after=6, indent=8),
        "cell": style("cell", 9, after=0),
        "head": style("head", 9, bold=True, after=0),
    }


def _pdf_story(
    blocks: list[Block], fonts: Fonts, styles: dict, width: float, *, code_line: int = 100, tables: bool = False
) -> tuple[list, RenderStats]:
    """Flowables for a frame `width` points wide; tables as lines of cells, or (tables=True) as borderless Tables."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph, Preformatted, Spacer

    story: list = []
    stats = RenderStats(wrapped_rows=0)
    for block in blocks:
        if block.kind == "rule":
            story.append(Spacer(1, 8))
        elif block.kind == "code":
            story.append(Preformatted(fonts.clean(block.text, mono=True), styles["code"], maxLineLength=code_line))
        elif block.kind == "table" and tables:
            story.append(_borderless_table(block.rows, fonts, styles, width, stats))
        elif block.kind == "table":
            for cells in block.rows:
                line = fonts.clean(CELL_SEPARATOR.join(cells))
                story.append(Paragraph(escape(line), styles["row"]))
                stats.table_rows += 1
                stats.wrapped_rows += stringWidth(line, fonts.regular, styles["row"].fontSize) > width
        else:
            story.append(
                Paragraph(escape(fonts.clean(block.line if block.kind == "li" else block.text)), styles[block.kind])
            )
    return story, stats


def column_widths(natural: list[float], longest_word: list[float], available: float) -> list[float]:
    """Widths proportional to the content, capped so that they add up to at most `available`.

    Columns no wider than an equal share of what is left keep their natural width; the others share the
    rest in proportion to their content, each at least its longest word (or the equal share, if less)."""
    if sum(natural) <= available:
        return list(natural)
    widths = [0.0] * len(natural)
    rest, remaining = list(range(len(natural))), available
    while rest:
        share = remaining / len(rest)
        narrow = [i for i in rest if natural[i] <= share]
        if not narrow:
            break
        for i in narrow:
            widths[i] = natural[i]
            remaining -= natural[i]
        rest = [i for i in rest if i not in narrow]
    if rest:
        share = remaining / len(rest)
        floors = {i: min(longest_word[i], share) for i in rest}
        spare = remaining - sum(floors.values())
        extra = sum(natural[i] - floors[i] for i in rest) or 1.0
        for i in rest:
            widths[i] = floors[i] + spare * (natural[i] - floors[i]) / extra
    return widths


def _borderless_table(rows: tuple[tuple[str, ...], ...], fonts: Fonts, styles: dict, width: float, stats: RenderStats):
    """A platypus Table without grid or lines: cells are paragraphs, the header row bold."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph, Table, TableStyle

    columns = max(len(row) for row in rows)
    cleaned = [[fonts.clean(cell) for cell in row] + [""] * (columns - len(row)) for row in rows]
    size = styles["cell"].fontSize

    def measure(text: str, header: bool) -> float:
        return stringWidth(text, fonts.bold if header else fonts.regular, size) + 2 * CELL_PADDING

    natural = [max(measure(row[c], r == 0) for r, row in enumerate(cleaned)) for c in range(columns)]
    longest_word = [
        max(
            (measure(word, r == 0) for r, row in enumerate(cleaned) for word in row[c].split()),
            default=2 * CELL_PADDING,
        )
        for c in range(columns)
    ]
    widths = column_widths(natural, longest_word, width)
    data = [
        [Paragraph(escape(cell), styles["head" if r == 0 else "cell"]) for cell in row] for r, row in enumerate(cleaned)
    ]
    stats.table_rows += len(cleaned)
    stats.wrapped_rows += sum(
        any(measure(cell, r == 0) > widths[c] + 0.01 for c, cell in enumerate(row)) for r, row in enumerate(cleaned)
    )
    return Table(
        data,
        colWidths=widths,
        hAlign="LEFT",
        splitInRow=1,
        spaceBefore=4,
        spaceAfter=6,
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        ),
    )


def _footer(fonts: Fonts, title: str, vendor: str):
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm

    def footer(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(fonts.regular, 8)
        canvas.drawString(PAGE_MARGIN_CM * cm, 1.2 * cm, fonts.clean(f"{vendor} · {title}"))
        canvas.drawRightString(A4[0] - PAGE_MARGIN_CM * cm, 1.2 * cm, f"Page {document.page}")
        canvas.restoreState()

    return footer


def _one_column_pdf(
    source: str, destination: Path, fonts: Fonts, title: str, vendor: str, *, tables: bool
) -> RenderStats:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate

    margin = PAGE_MARGIN_CM * cm
    story, stats = _pdf_story(markdown_blocks(source), fonts, pdf_styles(fonts), A4[0] - 2 * margin, tables=tables)
    pdf = SimpleDocTemplate(
        str(destination),
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=fonts.clean(title),
        author=fonts.clean(vendor),
    )
    footer = _footer(fonts, title, vendor)
    pdf.build(story, onFirstPage=footer, onLaterPages=footer)
    return stats


def render_pdf(source: str, destination: Path, fonts: Fonts, title: str, vendor: str) -> RenderStats:
    """One column; table rows as lines of text with their cells; wrapped rows: wider than the page's text width."""
    return _one_column_pdf(source, destination, fonts, title, vendor, tables=False)


def render_pdf_borderless(source: str, destination: Path, fonts: Fonts, title: str, vendor: str) -> RenderStats:
    """One column; tables without lines or separators; wrapped rows: a cell wider than its column."""
    return _one_column_pdf(source, destination, fonts, title, vendor, tables=True)


def render_pdf_2col(source: str, destination: Path, fonts: Fonts, title: str, vendor: str) -> RenderStats:
    """Two frames side by side on A4; table rows as in `pdf`; wrapped rows: wider than a column."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    margin, gutter = PAGE_MARGIN_CM * cm, GUTTER_CM * cm
    column = (A4[0] - 2 * margin - gutter) / 2
    height = A4[1] - 2 * margin
    frames = [
        Frame(margin, margin, column, height, id="left"),
        Frame(margin + column + gutter, margin, column, height, id="right"),
    ]
    styles = pdf_styles(fonts)
    text_width = column - frames[0].leftPadding - frames[0].rightPadding
    code_style = styles["code"]
    code_line = int((text_width - code_style.leftIndent) / stringWidth("M", code_style.fontName, code_style.fontSize))
    story, stats = _pdf_story(markdown_blocks(source), fonts, styles, text_width, code_line=code_line)
    pdf = BaseDocTemplate(
        str(destination),
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=fonts.clean(title),
        author=fonts.clean(vendor),
    )
    pdf.addPageTemplates([PageTemplate(id="two-columns", frames=frames, onPage=_footer(fonts, title, vendor))])
    pdf.build(story)
    return stats


# Characters XML 1.0 cannot hold (C0 controls but tab/newline/CR, surrogates, U+FFFE/U+FFFF), and DEL/C1 controls.
XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    return XML_UNSAFE.sub("", text)


def render_docx(source: str, destination: Path, fonts: Fonts, title: str, vendor: str) -> RenderStats:
    """A Word file with the built-in styles; rules (no text) are left out. `fonts` is unused: Word draws any text."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = docx.Document()
    document.core_properties.title = xml_text(title)
    document.core_properties.author = xml_text(vendor)
    document.sections[0].footer.paragraphs[0].text = xml_text(f"{vendor} · {title}")
    stats = RenderStats()
    for block in markdown_blocks(source):
        if block.kind.startswith("h"):
            document.add_paragraph(xml_text(block.text), style=f"Heading {block.kind[1]}")
        elif block.kind == "p":
            document.add_paragraph(xml_text(block.text), style="Normal")
        elif block.kind == "li":
            style = "List Bullet" if block.marker == "•" else "List Number"
            document.add_paragraph(xml_text(block.text), style=style)
        elif block.kind == "code":
            run = document.add_paragraph(style="Normal").add_run(xml_text(block.text))
            run.font.name = "Courier New"
            run.font.size = Pt(9)
        elif block.kind == "table":
            columns = max(len(row) for row in block.rows)
            table = document.add_table(rows=len(block.rows), cols=columns)
            table.style = "Table Grid"
            for r, (cells, row) in enumerate(zip(block.rows, table.rows)):
                if r == 0:  # the header row, repeated on each page as Word does for a marked header
                    properties = row._tr.get_or_add_trPr()
                    properties.append(OxmlElement("w:tblHeader"))
                    properties[-1].set(qn("w:val"), "true")
                for text, cell in zip(cells, row.cells):
                    cell.paragraphs[0].add_run(xml_text(text)).bold = r == 0 or None
            stats.table_rows += len(block.rows)
    document.save(str(destination))
    return stats


RENDERINGS: dict[str, Renderer] = {
    "pdf": render_pdf,
    "pdf-2col": render_pdf_2col,
    "pdf-borderless": render_pdf_borderless,
    "docx": render_docx,
}
SUFFIXES = {"pdf": ".pdf", "pdf-2col": ".pdf", "pdf-borderless": ".pdf", "docx": ".docx"}
