"""Extraction accuracy on the vendor-docs corpus, read the way vendors send it: as PDFs.

Each document of ../shared/corpus/vendor-docs (docs/<id>.md, labels in truth.yaml) is
rendered to a PDF with reportlab (wrapped paragraphs, bigger headings, table rows as text
lines with their cells, as many pages as it takes), then `extract_paths` reads each PDF
(one call per document, timed) and its answers are scored against the labels:

- retention: recall and precision of the stated periods (sets of non-null period_days);
  retention_days accuracy;
- training_use label accuracy; subprocessor name F1 and country accuracy;
- accuracy of the clause values (notice days, breach hours, audit rights, deletion days,
  transfer mechanisms);
- invented values (a value where the label has none), evidence validity (the quote is the
  Document text at [start, end) and the page is the page of `start`).

Targets (from the issue): >= 0.90 on each metric, 0 invented values, 100 % valid evidence.
The script prints PASS/FAIL per metric and a table of mismatches per document, writes
benchmarks/results/extraction_accuracy.json and exits 0 (--strict: exit 1 on any FAIL).

    python benchmarks/extraction_accuracy.py [--corpus ../shared/corpus/vendor-docs]
        [--only ID ...] [--keep-pdfs DIR] [--engine extraction:extract_paths]
"""

from __future__ import annotations

import argparse
import html
import os
import re
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from common import ENGINE, load_engine, require, shared_path, write_result
from documents.model import CELL_SEPARATOR

DEFAULT_CORPUS = shared_path("corpus", "vendor-docs")
TARGET = 0.90
KEYS = (
    "retention", "retention_days", "training_use", "subprocessors", "subprocessor_change_notice_days",
    "transfer_mechanism", "breach_notification_hours", "audit_rights", "deletion_on_termination_days",
)
STATUSES = {"answered", "not_found", "conflict", "needs_review"}
MECHANISMS = {"SCC", "UK Addendum", "Swiss Addendum", "DPF", "BCR", "adequacy"}
# truth.yaml's vocabulary -> the contract's; Privacy_Shield is not in the contract (None: dropped).
TRUTH_MECHANISM = {"SCC": "SCC", "UK_IDTA": "UK Addendum", "Swiss_addendum": "Swiss Addendum", "DPF": "DPF",
                   "BCR": "BCR", "adequacy": "adequacy", "Privacy_Shield": None}
TRAINING_LABELS = {"never", "opt_in", "opt_out", "yes", "unclear"}
AUDIT_VALUES = {"yes", "limited", "no"}


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
MONO_CANDIDATES = ("DejaVuSansMono.ttf", "NotoSansMono-Regular.ttf", "FreeMono.ttf", "LiberationMono-Regular.ttf",
                   "cour.ttf")


def font_dirs() -> list[Path]:
    """reportlab's own TrueType search path, then the usual per-OS font folders."""
    from reportlab import rl_config

    dirs = [Path(d) for d in rl_config.TTFSearchPath]
    home = Path.home()
    dirs += [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), home / ".fonts", home / ".local/share/fonts",
             Path("/Library/Fonts"), Path("/System/Library/Fonts"), home / "Library/Fonts"]
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
        except Exception:  # noqa: BLE001 - an unreadable font file is simply not a candidate
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
        return Fonts("BenchSans", bold, mono, f"TrueType {regular_path}",
                     lambda c, g=glyphs: ord(c) in g, lambda c, g=mono_glyphs: ord(c) in g)

    def winansi(char: str) -> bool:
        try:
            char.encode("cp1252")
            return True
        except UnicodeEncodeError:
            return False

    return Fonts("Helvetica", "Helvetica-Bold", "Courier",
                 "Helvetica (no TrueType font found; characters outside WinAnsi replaced by '?')", winansi, winansi)


# ---------------------------------------------------------------------------------------------
# Markdown -> PDF, as a vendor would export the page: no markup characters, text kept.

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


def markdown_blocks(source: str) -> list[tuple[str, str]]:
    """(kind, text) blocks: h1..h6, p, li, row, code, rule."""
    text = source.replace("\r\n", "\n").replace("\r", "\n")
    front_matter = re.match(r"---\n(?:.*\n){0,80}?---[ \t]*(?:\n|$)", text)
    if front_matter:  # YAML front matter is page metadata, not printed
        text = text[front_matter.end():]
    text = re.sub(r"<(script|style)\b.*?</\1\s*>", "", text, flags=re.IGNORECASE | re.DOTALL)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)

    blocks: list[tuple[str, str]] = []
    paragraph: list[str] = []
    item: list[str] | None = None
    item_marker = ""
    code: list[str] | None = None

    def flush() -> None:
        nonlocal paragraph, item
        if item is not None:
            body = inline_text(" ".join(item))
            if body:
                blocks.append(("li", f"{item_marker} {body}"))
            item = None
        if paragraph:
            body = inline_text(" ".join(paragraph))
            if body:
                blocks.append(("p", body))
            paragraph = []

    for line in text.split("\n"):
        if code is not None:
            if FENCE.match(line):
                blocks.append(("code", "\n".join(code)))
                code = None
            else:
                code.append(line.rstrip())
            continue
        if FENCE.match(line):
            flush()
            code = []
            continue
        line = re.sub(r"^\s*(>\s?)+", "", line)  # blockquotes and callouts: their text, unmarked
        line = re.sub(r"^\s*\[!(\w+)\]", lambda m: m.group(1).capitalize() + ":", line)  # > [!NOTE] -> Note:
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        if not TAG.sub("", stripped).strip():  # a line of tags only (JSX wrappers): keep visible titles
            flush()
            for title in TITLE_ATTRIBUTE.findall(stripped):
                blocks.append(("h5", inline_text(title[1:-1])))
            continue
        if heading := HEADING.match(line):
            flush()
            blocks.append((f"h{len(heading.group(1))}", inline_text(heading.group(2))))
            continue
        if stripped.startswith("|"):  # a table row: one line of text with its cells; the |---| line is not printed
            flush()
            cells = table_cells(stripped)
            if not TABLE_SEPARATOR.match(stripped) and any(cells):
                blocks.append(("row", CELL_SEPARATOR.join(cells)))
            continue
        if RULE.match(line):
            flush()
            blocks.append(("rule", ""))
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
    if code is not None:
        blocks.append(("code", "\n".join(code)))
    flush()
    return blocks


def render_pdf(source: str, destination: Path, fonts: Fonts, title: str, vendor: str) -> tuple[int, int]:
    """Write the PDF; return (table rows, rows too wide for the page that wrap onto further lines)."""
    from reportlab.lib.enums import TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph, Preformatted, SimpleDocTemplate, Spacer

    def style(name: str, size: float, *, bold: bool = False, mono: bool = False, before: float = 0, after: float = 4,
              indent: float = 0) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=fonts.mono if mono else fonts.bold if bold else fonts.regular,
                              fontSize=size, leading=size * 1.3, spaceBefore=before, spaceAfter=after,
                              leftIndent=indent, alignment=TA_LEFT)

    styles = {
        "h1": style("h1", 18, bold=True, before=8, after=8), "h2": style("h2", 15, bold=True, before=8, after=6),
        "h3": style("h3", 13, bold=True, before=6, after=4), "h4": style("h4", 11.5, bold=True, before=4),
        "h5": style("h5", 10.5, bold=True, before=4), "h6": style("h6", 10, bold=True, before=4),
        "p": style("p", 10), "li": style("li", 10, indent=14, after=2), "row": style("row", 9, after=2),
        "code": style("code", 8.5, mono=True, after=6, indent=8),
    }

    def escape(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    story = []
    rows = wrapped = 0
    for kind, text in markdown_blocks(source):
        if kind == "rule":
            story.append(Spacer(1, 8))
        elif kind == "code":
            story.append(Preformatted(fonts.clean(text, mono=True), styles["code"], maxLineLength=100))
        else:
            story.append(Paragraph(escape(fonts.clean(text)), styles[kind]))
            if kind == "row":
                rows += 1
                wrapped += stringWidth(fonts.clean(text), fonts.regular, styles["row"].fontSize) > A4[0] - 4 * cm

    def footer(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(fonts.regular, 8)
        canvas.drawString(2 * cm, 1.2 * cm, fonts.clean(f"{vendor} · {title}"))
        canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, f"Page {document.page}")
        canvas.restoreState()

    pdf = SimpleDocTemplate(str(destination), pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2 * cm,
                            bottomMargin=2 * cm, title=fonts.clean(title), author=fonts.clean(vendor))
    pdf.build(story, onFirstPage=footer, onLaterPages=footer)
    return rows, wrapped


# ---------------------------------------------------------------------------------------------
# Normalising values for comparison.

LEGAL_SUFFIXES = {
    "inc", "incorporated", "llc", "ltd", "limited", "gmbh", "bv", "nv", "pty", "ulc", "corp", "corporation", "co",
    "company", "plc", "sa", "sas", "sarl", "ag", "ab", "oy", "srl", "spa", "pbc", "pte", "kk", "lp", "llp", "aps",
}
REGIONS = {
    "eu": "European Union", "european union": "European Union", "eea": "European Economic Area",
    "european economic area": "European Economic Area", "uk": "GB", "great britain": "GB", "england": "GB",
    "global": "Global", "global edge": "Global", "worldwide": "Global",
}


def normalise_whitespace(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def normalise_name(name: str) -> str:
    text = unicodedata.normalize("NFKC", str(name)).casefold().replace(".", "").replace("'", "").replace("’", "")
    tokens = re.sub(r"[^\w]+", " ", text).split()
    kept = [token for token in tokens if token not in LEGAL_SUFFIXES]
    return " ".join(kept or tokens)


def names_match(truth: str, predicted: str) -> float:
    """0 when the names differ, else a score (higher is better): exact 200, contained 150, fuzzy its ratio."""
    from rapidfuzz import fuzz

    if truth == predicted:
        return 200.0
    if f" {truth} " in f" {predicted} " or f" {predicted} " in f" {truth} ":
        return 150.0
    score = fuzz.token_set_ratio(truth, predicted)
    return score if score >= 90 else 0.0


def normalise_countries(value) -> frozenset[str]:
    """'United States, Belgium' / 'US' / 'EU' / ['USA'] -> {'US', 'BE'} / {'US'} / {'European Union'}."""
    import pycountry

    if value is None:
        return frozenset()
    parts = value if isinstance(value, (list, tuple, set)) else re.split(r"[,;/()&]|\band\b", str(value))
    out = set()
    for part in parts:
        part = str(part).strip().strip(".")
        if not part:
            continue
        key = part.casefold()
        if key in REGIONS:
            out.add(REGIONS[key])
            continue
        try:
            out.add(pycountry.countries.lookup(part).alpha_2)
        except LookupError:
            out.add(key)
    return frozenset(out)


def truth_mechanisms(values) -> frozenset[str]:
    return frozenset(m for m in (TRUTH_MECHANISM.get(v, v) for v in values or []) if m)


def as_int(value):
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# ---------------------------------------------------------------------------------------------
# Reading the prediction (the DESIGN.md contract).

def predicted_value(answers: dict, key: str):
    answer = answers.get(key)
    if not isinstance(answer, dict) or answer.get("status") == "not_found":
        return None
    return answer.get("value")


def inner(value, field_name: str):
    """The scored field of a dict-valued answer ({value, ...} / {label, ...}); a bare scalar is taken as is."""
    if isinstance(value, dict):
        return value.get(field_name)
    return value


def contract_problems(document: dict) -> list[str]:
    problems = []
    if document.get("status") == "rejected":
        return problems
    answers = document.get("answers")
    if not isinstance(answers, dict):
        return ["no 'answers' object"]
    for key in KEYS:
        if key not in answers:
            problems.append(f"{key}: missing")
            continue
        answer = answers[key]
        if not isinstance(answer, dict):
            problems.append(f"{key}: answer is not an object")
            continue
        for part in ("value", "status", "confidence", "method", "evidence"):
            if part not in answer:
                problems.append(f"{key}: no '{part}'")
        if answer.get("status") not in STATUSES:
            problems.append(f"{key}: status {answer.get('status')!r}")
        value = answer.get("value")
        if value is None:
            continue
        ok = True
        if key == "retention":
            ok = isinstance(value, list) and all(isinstance(i, dict) and {"data_category", "period_days", "condition"} <= set(i)
                                                 for i in value)
        elif key == "subprocessors":
            ok = isinstance(value, list) and all(isinstance(i, dict) and {"name", "country", "purpose"} <= set(i) for i in value)
        elif key in ("retention_days", "breach_notification_hours"):
            ok = isinstance(as_int(value), int)
        elif key == "training_use":
            ok = isinstance(value, dict) and value.get("label") in TRAINING_LABELS and "scope" in value
        elif key == "subprocessor_change_notice_days":
            ok = isinstance(value, dict) and {"value", "objection_window_days"} <= set(value)
        elif key == "deletion_on_termination_days":
            ok = isinstance(value, dict) and {"value", "obligation"} <= set(value)
        elif key == "transfer_mechanism":
            ok = isinstance(value, list) and set(value) <= MECHANISMS
        elif key == "audit_rights":
            ok = value in AUDIT_VALUES
        if not ok:
            problems.append(f"{key}: value {short(value)} does not follow the contract")
    return problems


# ---------------------------------------------------------------------------------------------
# Scoring.

def short(value, width: int = 110) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass
class Tally:
    right: int = 0
    total: int = 0
    stated_right: int = 0
    stated_total: int = 0

    def add(self, truth, predicted) -> bool:
        ok = truth == predicted
        self.total += 1
        self.right += ok
        if truth not in (None, frozenset()):
            self.stated_total += 1
            self.stated_right += ok
        return ok


@dataclass
class Scores:
    periods_true: int = 0
    periods_predicted: int = 0
    periods_hit: int = 0
    singles: dict[str, Tally] = field(default_factory=dict)
    names_true: int = 0
    names_predicted: int = 0
    names_hit: int = 0
    countries_right: int = 0
    countries_total: int = 0
    invented: list[dict] = field(default_factory=list)
    evidence_total: int = 0
    evidence_valid: int = 0
    evidence_failures: list[dict] = field(default_factory=list)
    unsupported_answers: list[dict] = field(default_factory=list)
    contract: list[dict] = field(default_factory=list)

    def single(self, key: str) -> Tally:
        return self.singles.setdefault(key, Tally())


def match_names(truth_names: list[str], predicted_names: list[str]) -> list[tuple[str, str]]:
    """One-to-one pairs, best first: exact, then one containing the other, then token_set_ratio >= 90."""
    candidates = [(names_match(t, p), t, p) for t in truth_names for p in predicted_names]
    pairs, used_t, used_p = [], set(), set()
    for score, t, p in sorted(candidates, key=lambda c: -c[0]):
        if score and t not in used_t and p not in used_p:
            pairs.append((t, p))
            used_t.add(t)
            used_p.add(p)
    return pairs


def score_document(entry: dict, answers: dict, scores: Scores) -> list[tuple[str, str, str]]:
    """Add one document to the scores; return its mismatches as (key, truth, predicted)."""
    doc_id = entry["id"]
    mismatches: list[tuple[str, str, str]] = []

    def invented(key: str, value) -> None:
        scores.invented.append({"document": doc_id, "key": key, "predicted": value})
        mismatches.append((key, "none (label is null)", f"INVENTED {short(value)}"))

    # retention: periods
    truth_periods = {as_int(n["period_days"]) for n in entry.get("retention_notes") or [] if n.get("period_days") is not None}
    retention = predicted_value(answers, "retention")
    items = retention if isinstance(retention, list) else []
    predicted_periods = {as_int(i.get("period_days")) for i in items if isinstance(i, dict) and i.get("period_days") is not None}
    hits = truth_periods & predicted_periods
    scores.periods_true += len(truth_periods)
    scores.periods_predicted += len(predicted_periods)
    scores.periods_hit += len(hits)
    if not entry.get("retention_notes") and items:
        invented("retention", retention)
    elif truth_periods != predicted_periods:
        mismatches.append(("retention periods", str(sorted(truth_periods)),
                           f"{sorted(predicted_periods)} (missing {sorted(truth_periods - predicted_periods)}, "
                           f"extra {sorted(predicted_periods - truth_periods)})"))

    # single values: (key, truth, predicted)
    truth_training = (entry.get("training_use") or {}).get("value")
    singles = [
        ("retention_days", as_int(entry.get("retention_days")), as_int(predicted_value(answers, "retention_days"))),
        ("training_use", truth_training, inner(predicted_value(answers, "training_use"), "label")),
    ]
    for key in ("subprocessor_change_notice_days", "deletion_on_termination_days"):
        singles.append((key, as_int((entry.get(key) or {}).get("value")), as_int(inner(predicted_value(answers, key), "value"))))
    singles.append(("breach_notification_hours", as_int((entry.get("breach_notification_hours") or {}).get("value")),
                    as_int(predicted_value(answers, "breach_notification_hours"))))
    singles.append(("audit_rights", (entry.get("audit_rights") or {}).get("value"), predicted_value(answers, "audit_rights")))
    predicted_mechanisms = predicted_value(answers, "transfer_mechanism")
    singles.append(("transfer_mechanism", truth_mechanisms((entry.get("transfer_mechanism") or {}).get("value")),
                    frozenset(predicted_mechanisms) if isinstance(predicted_mechanisms, list) else
                    (frozenset([predicted_mechanisms]) if predicted_mechanisms else frozenset())))
    for key, truth, predicted in singles:
        if scores.single(key).add(truth, predicted):
            continue
        if truth in (None, frozenset()):
            invented(key, sorted(predicted) if isinstance(predicted, frozenset) else predicted)
        else:
            show = (lambda v: sorted(v) if isinstance(v, frozenset) else v)
            mismatches.append((key, short(show(truth)), short(show(predicted))))

    # subprocessors: names (deduplicated per document) and, over matched names, countries
    truth_rows = entry.get("subprocessors") or []
    predicted_rows = predicted_value(answers, "subprocessors")
    predicted_rows = [r for r in predicted_rows if isinstance(r, dict)] if isinstance(predicted_rows, list) else []
    truth_countries: dict[str, set] = {}
    for row in truth_rows:
        countries = truth_countries.setdefault(normalise_name(row["name"]), set())
        countries |= normalise_countries(row.get("country"))
    predicted_countries: dict[str, set] = {}
    for row in predicted_rows:
        # The label keeps names as the document writes them; the engine gives that as `listed_as` next to
        # its normalised `name` ("Amazon Web Services, Inc." and "AWS"), so compare like with like.
        written = row.get("listed_as") or row.get("name")
        if written:
            countries = predicted_countries.setdefault(normalise_name(written), set())
            countries |= normalise_countries(row.get("country"))
    pairs = match_names(list(truth_countries), list(predicted_countries))
    scores.names_true += len(truth_countries)
    scores.names_predicted += len(predicted_countries)
    scores.names_hit += len(pairs)
    if not truth_rows and predicted_rows:
        invented("subprocessors", [r.get("name") for r in predicted_rows])
    else:
        missing = sorted(set(truth_countries) - {t for t, _ in pairs})
        extra = sorted(set(predicted_countries) - {p for _, p in pairs})
        if missing or extra:
            mismatches.append(("subprocessor names", f"{len(truth_countries)} names", f"missing {missing}, extra {extra}"))
    for truth_name, predicted_name in pairs:
        if not truth_countries[truth_name]:
            continue  # the label has no country for this name: nothing to compare
        scores.countries_total += 1
        if truth_countries[truth_name] == predicted_countries[predicted_name]:
            scores.countries_right += 1
        else:
            mismatches.append((f"country of {truth_name!r}", str(sorted(truth_countries[truth_name])),
                               str(sorted(predicted_countries[predicted_name]))))
    return mismatches


def check_evidence(doc_id: str, result_document: dict, document, scores: Scores) -> None:
    """Every evidence item must quote the Document text at [start, end) on the page of `start`."""
    text = document.text
    sources = [(f"answers.{key}", answer) for key, answer in (result_document.get("answers") or {}).items()]
    sources += [(f"flags.{flag.get('code', '?')}", flag) for flag in result_document.get("flags") or [] if isinstance(flag, dict)]
    for where, holder in sources:
        if not isinstance(holder, dict):
            continue
        evidence = holder.get("evidence") or []
        if where.startswith("answers.") and holder.get("value") not in (None, [], {}) and holder.get("status") != "not_found" \
                and not evidence:
            scores.unsupported_answers.append({"document": doc_id, "key": where[8:], "value": short(holder.get("value"))})
        for item in evidence:
            scores.evidence_total += 1
            problem = None
            try:
                start, end, page, quote = int(item["start"]), int(item["end"]), int(item["page"]), str(item["quote"])
            except (KeyError, TypeError, ValueError):
                problem, start, end, quote = "malformed item", 0, 0, ""
            if problem is None:
                if not 0 <= start < end <= len(text):
                    problem = f"span [{start}, {end}) outside the text (0..{len(text)})"
                elif normalise_whitespace(text[start:end]) != normalise_whitespace(quote):
                    problem = f"quote differs from text: {short(normalise_whitespace(text[start:end]), 80)}"
                elif not normalise_whitespace(quote):
                    problem = "empty quote"
                elif page != document.page_at(start):
                    problem = f"page {page}, but start is on page {document.page_at(start)}"
            if problem is None:
                scores.evidence_valid += 1
            else:
                scores.evidence_failures.append({"document": doc_id, "where": where, "problem": problem,
                                                 "quote": short(item.get("quote") if isinstance(item, dict) else item, 80)})


# ---------------------------------------------------------------------------------------------

def ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def verdicts(scores: Scores) -> list[dict]:
    rows = []

    def metric(name: str, value: float | None, detail: str, target: str = f">= {TARGET:.2f}", ok: bool | None = None) -> None:
        if ok is None:
            ok = value is not None and value >= TARGET
        rows.append({"metric": name, "value": None if value is None else round(value, 4), "detail": detail,
                     "target": target, "pass": ok})

    recall = ratio(scores.periods_hit, scores.periods_true)
    precision = ratio(scores.periods_hit, scores.periods_predicted)
    metric("retention periods recall", recall, f"{scores.periods_hit}/{scores.periods_true}")
    metric("retention periods precision", precision, f"{scores.periods_hit}/{scores.periods_predicted}")
    name_p = ratio(scores.names_hit, scores.names_predicted)
    name_r = ratio(scores.names_hit, scores.names_true)
    f1 = 2 * name_p * name_r / (name_p + name_r) if name_p and name_r else (0.0 if name_r is not None else None)
    metric("subprocessor name F1", f1,
           f"P {scores.names_hit}/{scores.names_predicted}, R {scores.names_hit}/{scores.names_true}")
    metric("subprocessor country accuracy", ratio(scores.countries_right, scores.countries_total),
           f"{scores.countries_right}/{scores.countries_total} matched names with a labelled country")
    for key, tally in scores.singles.items():
        label = "training_use label" if key == "training_use" else key
        metric(f"{label} accuracy", ratio(tally.right, tally.total), f"{tally.right}/{tally.total} documents")
        metric(f"{label} accuracy where stated", ratio(tally.stated_right, tally.stated_total),
               f"{tally.stated_right}/{tally.stated_total} documents with a labelled value")
    metric("invented values", len(scores.invented), "(document, key) with a value where the label has none",
           "= 0", len(scores.invented) == 0)
    valid = ratio(scores.evidence_valid, scores.evidence_total)
    metric("valid evidence", valid, f"{scores.evidence_valid}/{scores.evidence_total} items", "= 100 %",
           valid == 1.0)
    metric("answers without evidence", len(scores.unsupported_answers), "non-null answers with no evidence item",
           "= 0", not scores.unsupported_answers)
    metric("contract problems", len(scores.contract), "shapes/statuses not as in DESIGN.md", "= 0", not scores.contract)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--only", nargs="*", help="document ids to run (default: all)")
    parser.add_argument("--keep-pdfs", type=Path, help="write the PDFs here (kept) instead of a temporary folder")
    parser.add_argument("--engine", default=ENGINE, help="module:function to score (default: %(default)s)")
    parser.add_argument("--font", help="a .ttf file to render with (default: searched)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when any metric fails")
    args = parser.parse_args()
    require(args.corpus, "vendor-docs corpus", default=args.corpus == DEFAULT_CORPUS)
    import yaml

    from documents import UnreadableDocument, read_document

    entries = yaml.safe_load((args.corpus / "truth.yaml").read_text(encoding="utf-8"))
    if args.only:
        entries = [e for e in entries if e["id"] in set(args.only)]
    extract_paths = load_engine(args.engine)
    fonts = choose_fonts(args.font)
    print(f"Font: {fonts.description}")
    if os.environ.get("OPENAI_API_KEY"):
        print("Note: OPENAI_API_KEY is set, so the engine may call an LLM.")

    with tempfile.TemporaryDirectory(prefix="aivet-accuracy-") as temporary:
        folder = args.keep_pdfs or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        pdfs = {}
        rows = wrapped = 0
        for entry in entries:
            pdfs[entry["id"]] = folder / f"{entry['id']}.pdf"
            entry_rows, entry_wrapped = render_pdf((args.corpus / entry["file"]).read_text(encoding="utf-8"), pdfs[entry["id"]], fonts,
                       entry["id"].split("__", 1)[-1].replace("-", " ").capitalize(), entry.get("vendor", ""))
            rows += entry_rows
            wrapped += entry_wrapped
        print(f"Rendered {len(pdfs)} PDFs into {folder}; {fonts.replaced} characters the font cannot draw became '?'; "
              f"{wrapped} of {rows} table rows are wider than the page and wrap onto a second line.")

        smallest = min(pdfs.values(), key=lambda p: p.stat().st_size)
        extract_paths([smallest])  # warm-up: reader forkserver, engine imports, knowledge files
        scores = Scores()
        per_document = []
        for entry in entries:
            path = pdfs[entry["id"]]
            started = time.perf_counter()
            try:
                result = extract_paths([path])
            except Exception as error:  # noqa: BLE001 - one failing document must not hide the others' scores
                result = {"documents": [{"status": "rejected", "reason": "engine_raised",
                                         "message": f"{type(error).__name__}: {error}"}]}
            seconds = time.perf_counter() - started
            documents = result.get("documents") or [{}]
            result_document = documents[0]
            try:
                document = read_document(path.read_bytes(), path.name)
            except UnreadableDocument as error:
                document, reader_note = None, f"the benchmark's own read was rejected: {error.reason}"
            else:
                reader_note = ""
            rejected = result_document.get("status") == "rejected"
            answers = {} if rejected else (result_document.get("answers") or {})
            mismatches = score_document(entry, answers, scores)
            problems = contract_problems(result_document)
            if document is not None and not rejected and result_document.get("sha256") != document.sha256:
                problems.append(f"sha256 {short(result_document.get('sha256'), 20)} is not the file's")
            scores.contract += [{"document": entry["id"], "problem": p} for p in problems]
            if document is not None and not rejected:
                check_evidence(entry["id"], result_document, document, scores)
            per_document.append({
                "id": entry["id"], "seconds": round(seconds, 3), "pages": len(document.pages) if document else None,
                "chars": len(document.text) if document else None,
                "rejected": f"{result_document.get('reason')}: {result_document.get('message')}" if rejected else None,
                "reader_note": reader_note or None, "mismatches": [list(m) for m in mismatches],
            })

    print("\nMismatches per document (label vs prediction):")
    for row in per_document:
        head = f"\n{row['id']}  ({row['pages']} pages, {row['chars']} chars, {row['seconds']:.2f} s)"
        print(head)
        if row["rejected"]:
            print(f"  REJECTED by the engine: {row['rejected']}")
        if row["reader_note"]:
            print(f"  {row['reader_note']}")
        if not row["mismatches"]:
            print("  all scored keys match")
        width = max((len(m[0]) for m in row["mismatches"]), default=0)
        for key, truth, predicted in row["mismatches"]:
            print(f"  {key:<{width}}  label: {truth}\n  {'':<{width}}  got:   {predicted}")

    if scores.invented:
        print("\nInvented values:")
        for item in scores.invented:
            print(f"  {item['document']} · {item['key']}: {short(item['predicted'])}")
    if scores.evidence_failures:
        print(f"\nInvalid evidence ({len(scores.evidence_failures)}; first 30):")
        for item in scores.evidence_failures[:30]:
            print(f"  {item['document']} · {item['where']}: {item['problem']} — quote {item['quote']}")
    if scores.unsupported_answers:
        print("\nNon-null answers without evidence:")
        for item in scores.unsupported_answers:
            print(f"  {item['document']} · {item['key']}: {item['value']}")
    if scores.contract:
        print(f"\nContract problems ({len(scores.contract)}; first 30):")
        for item in scores.contract[:30]:
            print(f"  {item['document']} · {item['problem']}")

    rows = verdicts(scores)
    seconds = [row["seconds"] for row in per_document]
    print(f"\nExtraction time: {sum(seconds):.2f} s for {len(seconds)} documents "
          f"(slowest {max(seconds):.2f} s, {max(per_document, key=lambda r: r['seconds'])['id']}).")
    print("\nMetric" + " " * 59 + "value  detail")
    for row in rows:
        value = "n/a" if row["value"] is None else (f"{row['value']:.3f}" if isinstance(row["value"], float) else str(row["value"]))
        print(f"  {'PASS' if row['pass'] else 'FAIL'}  {row['metric']:<56} {value:>8}  {row['detail']} (target {row['target']})")
    failed = sum(not row["pass"] for row in rows)
    print(f"\n{len(rows) - failed} of {len(rows)} metrics pass.")
    path = write_result("extraction_accuracy", {
        "engine": args.engine, "font": fonts.description, "replaced_characters": fonts.replaced,
        "table_rows": rows, "table_rows_wrapped": wrapped,
        "documents": len(per_document), "seconds_total": round(sum(seconds), 3), "metrics": rows,
        "invented": scores.invented, "evidence_failures": scores.evidence_failures,
        "answers_without_evidence": scores.unsupported_answers, "contract_problems": scores.contract,
        "per_document": per_document,
    }, show=False)
    print(f"Results: {path}")
    if args.strict and failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
