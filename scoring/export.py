"""Scorecards and comparisons as XLSX and PDF files for a risk committee.

Vendor text goes into these files, so spreadsheet cells that a spreadsheet would run as a formula
are written as text (OWASP CSV injection), and PDF text is escaped before reportlab lays it out."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.styles import Font

from aivet.cells import safe_cell
from aivet.names import sheet_title
from extraction import Evidence

from .compare import Comparison
from .scorecard import Scorecard

# A committee reads the PDF; a quote longer than this is cut there, the whole of it stays in the XLSX export.
PDF_QUOTE_LIMIT = 1500


def _passage(item: Evidence, limit: int | None = None) -> str:
    """A quote after its file and page, so that a quote cut at `limit` characters still says where the rest is."""
    reference = f"{item.file} p. {item.page}"
    if limit is None or len(item.quote) <= limit:
        return f"{reference}: “{item.quote}”"
    return (
        f"{reference}: “{item.quote[:limit].rstrip()}…” (quote continues, {len(item.quote):,} characters; "
        "full text in the XLSX export)"
    )


def _quotes(evidence) -> str:
    return "\n".join(_passage(item) for item in evidence)


def scorecard_rows(card: Scorecard) -> list[list[Any]]:
    """One row per scored key: criterion, key, points, max, status, reason, evidence."""
    rows = [["criterion", "criterion score", "weight", "key", "points", "max", "status", "reason", "evidence"]]
    for criterion in card.criteria:
        for key in criterion.keys:
            rows.append(
                [
                    f"{criterion.id} {criterion.name}",
                    None if criterion.score is None else round(criterion.score, 1),
                    round(criterion.weight, 1),
                    key.key,
                    round(key.points, 2),
                    round(key.max, 2),
                    key.status,
                    key.reason,
                    _quotes(key.evidence),
                ]
            )
    return rows


def _sheet(workbook: Workbook, title: str, rows: list[list[Any]], first: bool = False) -> None:
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)


def scorecard_xlsx(card: Scorecard, vendor: str) -> bytes:
    workbook = Workbook()
    summary = [
        ["vendor", vendor],
        ["profile", f"{card.profile_id} {card.profile_version}"],
        ["tier", card.tier],
        ["score", round(card.score, 1)],
        ["decision", card.decision],
        ["answers hash", card.answers_hash],
    ]
    summary += [
        ["knock-out", f"{hit.id} ({hit.type}): {hit.title} — {hit.message} [{hit.basis}]"] for hit in card.knockouts
    ]
    summary += [["note", note] for note in card.notes]
    summary += [["ask the vendor", item["ask"]] for item in card.missing]
    _sheet(workbook, "Summary", summary, first=True)
    _sheet(workbook, "Points", scorecard_rows(card))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def comparison_rows(comparison: Comparison) -> list[list[Any]]:
    rows = [["criterion", "weight", *comparison.vendors]]
    rows.append(["score", None, *[round(card.score, 1) for card in comparison.scorecards]])
    rows.append(["decision", None, *[card.decision for card in comparison.scorecards]])
    rows.append(["knock-outs", None, *comparison.knockouts])
    for row in comparison.rows:
        rows.append(
            [
                f"{row.id} {row.name}",
                round(row.weight, 1),
                *[None if value is None else round(value, 1) for value in row.scores],
            ]
        )
    return rows


def comparison_xlsx(comparison: Comparison) -> bytes:
    workbook = Workbook()
    _sheet(workbook, "Comparison", comparison_rows(comparison), first=True)
    for name, card in zip(comparison.vendors, comparison.scorecards):
        _sheet(workbook, sheet_title(name), scorecard_rows(card))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


PdfCell = str | float | list[str] | None  # a list is one paragraph per item: a cell's passages


def _pdf(title: str, blocks: list[tuple[str, Any]]) -> bytes:
    """A plain landscape A4 report: ("h", text) headings, ("p", text) paragraphs, ("t", (rows, shares)) tables whose
    columns take those shares of the page width. Rows split across pages, so no cell is ever too tall to print."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=7.5, leading=9)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=landscape(A4), title=title, leftMargin=36, rightMargin=36)

    def paragraphs(value: PdfCell) -> list[Paragraph]:
        items = value if isinstance(value, list) else ["" if value is None else str(value)]
        return [Paragraph(escape(item), small) for item in items]

    story = [Paragraph(escape(title), styles["Title"])]
    for kind, content in blocks:
        if kind == "h":
            story.append(Paragraph(escape(content), styles["Heading2"]))
        elif kind == "p":
            story.append(Paragraph(escape(content), styles["BodyText"]))
        else:
            rows, shares = content
            table = Table(
                [[paragraphs(value) for value in row] for row in rows],
                colWidths=[share * document.width for share in shares],
                repeatRows=1,
                splitInRow=1,
            )
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            story.append(table)
        story.append(Spacer(1, 6))
    document.build(story)
    return buffer.getvalue()


# key, points, max, status, reason, evidence: the reason and the passages get most of the width.
POINTS_COLUMN_SHARES = (0.18, 0.05, 0.05, 0.08, 0.24, 0.40)


def _points_table(card: Scorecard) -> list[list[PdfCell]]:
    rows: list[list[PdfCell]] = [["key", "points", "max", "status", "reason", "evidence"]]
    for criterion in card.criteria:
        rows += [
            [
                key.key,
                round(key.points, 2),
                round(key.max, 2),
                key.status,
                key.reason,
                [_passage(item, PDF_QUOTE_LIMIT) for item in key.evidence],
            ]
            for key in criterion.keys
        ]
    return rows


def scorecard_pdf(card: Scorecard, vendor: str) -> bytes:
    blocks: list[tuple[str, Any]] = [
        (
            "p",
            f"Profile {card.profile_id} {card.profile_version} · tier {card.tier} · score {card.score:.1f} · "
            f"decision: {card.decision}",
        ),
        ("p", f"Answers hash {card.answers_hash}"),
    ]
    if card.knockouts:
        blocks.append(("h", "Knock-outs"))
        blocks += [
            ("p", f"{hit.id} ({hit.type}): {hit.title}. {hit.message} Basis: {hit.basis}.") for hit in card.knockouts
        ]
    blocks += [("p", note) for note in card.notes]
    blocks += [("h", "Points and the passages behind them"), ("t", (_points_table(card), POINTS_COLUMN_SHARES))]
    if card.missing:
        blocks.append(("h", "Questions to ask the vendor"))
        blocks += [("p", item["ask"]) for item in card.missing]
    return _pdf(f"Scorecard: {vendor}", blocks)


def comparison_pdf(comparison: Comparison) -> bytes:
    profile = comparison.scorecards[0]
    vendor_share = 0.6 / len(comparison.vendors)  # criterion and weight take the rest
    blocks = [
        ("p", f"Profile {profile.profile_id} {profile.profile_version} · tier {profile.tier}"),
        ("t", (comparison_rows(comparison), (0.32, 0.08, *[vendor_share] * len(comparison.vendors)))),
    ]
    return _pdf("Vendor comparison: " + ", ".join(comparison.vendors), blocks)
