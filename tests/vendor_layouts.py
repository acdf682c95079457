"""Questionnaires in vendors' own layouts, made by code with openpyxl, python-docx and reportlab, with what each
should give: per question the bank question it asks (None: none of ours) and the answer keys.

The wording is the vendors', written apart from the phrasings of questionnaires/layouts.yaml (two wordings per
question, used alternately), so the matcher is measured on words it was not given. Used by
tests/test_vendor_layouts.py and benchmarks/vendor_layouts.py."""

from __future__ import annotations

import io
from dataclasses import dataclass

import docx
import openpyxl
from openpyxl.styles import Font

from tests.builders import _flowables_pdf


@dataclass(frozen=True)
class Item:
    """One question of a vendor's questionnaire: two wordings, an answer (and a comment), what it asks of ours."""

    wordings: tuple[str, str]
    answer: str
    ours: str | None
    keys: dict  # answer key -> expected value (compared as in expected_key)
    comment: str = ""


ITEMS = {
    "breach": Item(
        (
            "Within what timeframe are customers informed after a confirmed personal data breach?",
            "Time to notify the client once you become aware of a breach of personal data",
        ),
        "Within 36 hours of discovery",
        "INC-01",
        {"breach_notification_hours": 36},
    ),
    "retention": Item(
        (
            "What is the default retention of API inputs and generated outputs?",
            "For how long are customer prompts and model outputs stored by default?",
        ),
        "Inputs and outputs are retained for 30 days and then deleted.",
        "RET-01",
        {"retention_days": 30},
    ),
    "training": Item(
        (
            "Is customer content used to train or fine-tune your foundation models?",
            "Are our inputs used to improve or train your AI models?",
        ),
        "No. Customer content is never used to train our models.",
        "TRN-01",
        {"training_use": "never"},
    ),
    "transfers": Item(
        (
            "Which safeguard legitimises transfers of personal data to third countries?",
            "What mechanism covers international transfers of personal data outside the EEA?",
        ),
        "We rely on the EU Standard Contractual Clauses.",
        "SUB-06",
        {"transfer_mechanism": ["SCC"]},
    ),
    "audit": Item(
        (
            "May the customer or its regulator audit the supplier, including on-site inspections?",
            "Does the customer have a contractual right to audit and inspect?",
        ),
        "Yes. Customers, their auditors and competent authorities have full audit and inspection rights, "
        "including on-site audits.",
        "DORA-04",
        {"audit_rights": "yes"},
    ),
    "notice": Item(
        (
            "How many days of advance notice precede the onboarding of a new subprocessor?",
            "Advance notice given before a new sub-processor is engaged",
        ),
        "We notify customers by email at least 30 days before a new subprocessor is engaged.",
        "SUB-03",
        {"subprocessor_change_notice_days": 30},
    ),
    "deletion": Item(
        (
            "How quickly after termination is customer data erased?",
            "After the end of the contract, when is all customer data deleted?",
        ),
        "All customer data is deleted within 60 days after termination of the agreement.",
        "RET-04",
        {"deletion_on_termination_days": 60},
    ),
    "encryption": Item(
        (
            "Is data encrypted when stored and when sent over networks?",
            "Describe encryption of customer data at rest and in transit",
        ),
        "Yes, AES-256 at rest and TLS 1.2 or higher in transit.",
        "SEC-01",
        {},
    ),
    "pentest": Item(
        (
            "Are third-party penetration tests carried out on the platform?",
            "How often does an external firm pen-test the service?",
        ),
        "Yes, annually by an independent firm.",
        "SEC-04",
        {},
    ),
    "irplan": Item(
        (
            "Is there a documented incident response plan, tested at least annually?",
            "Do you maintain and exercise an incident response plan?",
        ),
        "Yes",
        "INC-04",
        {},
        comment="Tabletop exercise every year.",
    ),
    "colour": Item(
        ("What is the favourite colour of your founders?", "Which colour is your company logo?"),
        "Blue",
        None,
        {},
    ),
    "football": Item(
        ("Do you sponsor any local football clubs?", "How many football teams does your staff field?"),
        "Two",
        None,
        {},
    ),
}


@dataclass(frozen=True)
class Layout:
    name: str
    filename: str
    data: bytes
    questions: list[tuple[str, str | None]]  # (their question, our id or None)
    keys: dict


def _pick(names: list[str], variant: int) -> list[tuple[str, Item]]:
    return [(ITEMS[name].wordings[(variant + number) % 2], ITEMS[name]) for number, name in enumerate(names)]


def _truth(picked: list[tuple[str, Item]]) -> tuple[list[tuple[str, str | None]], dict]:
    keys: dict = {}
    for _, item in picked:
        keys.update(item.keys)
    return [(question, item.ours) for question, item in picked], keys


def _save_workbook(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def security_review_xlsx(variant: int = 0) -> tuple[bytes, list[tuple[str, Item]]]:
    """The issue's sheet: its own sheet name, a title row, "Control ID | Question | Vendor Response | Notes" and
    ids that look like ours but ask something else (SEC-07 is about breaches, INC-02 about retention)."""
    picked = _pick(["breach", "retention", "training", "transfers", "audit", "notice", "deletion", "colour"], variant)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Acme Security Review"
    sheet.append(["Acme Corp – Vendor Security Review 2026"])
    sheet.merge_cells("A1:D1")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append(["Control ID", "Question", "Vendor Response", "Notes"])
    ids = ["SEC-07", "INC-02", "TRN-09", "SUB-01", "AUD-1", "SEC-12", "RET-04", "GEN-1"]
    for id, (question, item) in zip(ids, picked):
        sheet.append([id, question, item.answer, item.comment])
    return _save_workbook(workbook), picked


def cover_and_answers_xlsx(variant: int = 0) -> tuple[bytes, list[tuple[str, Item]]]:
    """A cover sheet, then a sheet with no ids, a header on row 6, section rows merged across, and some answers
    given only in the Comments column."""
    picked = _pick(["retention", "breach", "encryption", "training", "irplan", "football", "deletion"], variant)
    workbook = openpyxl.Workbook()
    cover = workbook.active
    cover.title = "Cover"
    cover.append(["Supplier assurance questionnaire"])
    cover.append(["Supplier", "Modelworks Ltd"])
    cover.append(["Completed by", "J. Smith, CISO"])
    sheet = workbook.create_sheet("Answers")
    sheet.append(["Modelworks Ltd"])
    sheet.append(["Security and privacy questionnaire"])
    sheet.merge_cells("A2:C2")
    sheet.append([])
    sheet.append(["Please answer every question."])
    sheet.append([])
    sheet.append(["Question", "Response", "Comments"])
    for number, (question, item) in enumerate(picked):
        if number in (0, 3):
            sheet.append(["Data protection" if number == 0 else "AI and models"])
            sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=3)
        if number % 3 == 1:  # answered in Comments only
            sheet.append([question, None, item.answer])
        else:
            sheet.append([question, item.answer, item.comment or None])
    return _save_workbook(workbook), picked


def headerless_xlsx(variant: int = 0) -> tuple[bytes, list[tuple[str, Item]]]:
    """No header at all: numbers, questions ending in '?', the answer in the column after the question."""
    names = ["notice", "pentest", "transfers", "audit", "colour"]
    picked = [
        (question if question.endswith("?") else question + "?", item) for question, item in _pick(names, variant)
    ]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Q&A"
    for number, (question, item) in enumerate(picked, start=1):
        sheet.append([number, question, item.answer])
    return _save_workbook(workbook), picked


def merged_question_cells_xlsx(variant: int = 0) -> tuple[bytes, list[tuple[str, Item]]]:
    """Question cells merged over two columns (B:C), the answer in D, the header merged the same way."""
    picked = _pick(["deletion", "breach", "retention", "encryption", "football"], variant)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "DD"
    sheet.append(["Ref", "Requirement", None, "Supplier response"])
    sheet.merge_cells("B1:C1")
    for number, (question, item) in enumerate(picked, start=2):
        sheet.append([f"{number - 1}.0", question, None, item.answer])
        sheet.merge_cells(start_row=number, start_column=2, end_row=number, end_column=3)
    return _save_workbook(workbook), picked


def docx_table(variant: int = 0) -> tuple[bytes, list[tuple[str, Item]]]:
    """A Word table "No. | Question | Answer" under a heading."""
    picked = _pick(["training", "retention", "notice", "breach", "transfers", "colour"], variant)
    document = docx.Document()
    document.add_heading("Vendor due-diligence answers", 1)
    document.add_paragraph("Answers provided by Modelworks Ltd.")
    table = document.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ("No.", "Question", "Answer")):
        cell.text = text
    for number, (question, item) in enumerate(picked, start=1):
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = str(number), question, item.answer
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue(), picked


def docx_prose(variant: int = 0) -> tuple[bytes, list[tuple[str, Item]]]:
    """Numbered Q&A in prose: "1. Question?" then an "Answer:" paragraph, under section headings."""
    picked = _pick(["breach", "deletion", "training", "audit", "football"], variant)
    document = docx.Document()
    document.add_heading("Security questionnaire – responses", 1)
    for number, (question, item) in enumerate(picked, start=1):
        if number in (1, 3):
            document.add_heading("Privacy" if number == 1 else "Artificial intelligence", 2)
        text = question if question.endswith("?") else question + "?"
        document.add_paragraph(f"{number}. {text}")
        document.add_paragraph(f"Answer: {item.answer}")
    buffer = io.BytesIO()
    document.save(buffer)
    picked = [(question if question.endswith("?") else question + "?", item) for question, item in picked]
    return buffer.getvalue(), picked


def pdf_table(variant: int = 0) -> tuple[bytes, list[tuple[str, Item]]]:
    """A PDF with a Question | Answer table drawn by reportlab."""
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, Table

    picked = _pick(["retention", "transfers", "breach", "pentest", "colour"], variant)
    styles = getSampleStyleSheet()
    rows = [[Paragraph("<b>Question</b>", styles["BodyText"]), Paragraph("<b>Answer</b>", styles["BodyText"])]]
    rows += [
        [Paragraph(question, styles["BodyText"]), Paragraph(item.answer, styles["BodyText"])]
        for question, item in picked
    ]
    story = [
        Paragraph("Modelworks – security questionnaire", styles["Heading1"]),
        Paragraph("Our answers to the customer's questions.", styles["BodyText"]),
        Table(rows, colWidths=[250, 230]),
    ]
    return _flowables_pdf(story), picked


def pdf_prose(variant: int = 0) -> tuple[bytes, list[tuple[str, Item]]]:
    """A PDF of "Q3: …?" / "A: …" paragraphs."""
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph

    picked = _pick(["notice", "retention", "audit", "training", "football"], variant)
    picked = [(question if question.endswith("?") else question + "?", item) for question, item in picked]
    styles = getSampleStyleSheet()
    story = [Paragraph("Frequently asked due-diligence questions", styles["Heading1"])]
    for number, (question, item) in enumerate(picked, start=1):
        story.append(Paragraph(f"Q{number}: {question}", styles["BodyText"]))
        story.append(Paragraph(f"A: {item.answer}", styles["BodyText"]))
    return _flowables_pdf(story), picked


def html_table(variant: int = 0) -> tuple[bytes, list[tuple[str, Item]]]:
    picked = _pick(["deletion", "training", "breach", "encryption", "colour"], variant)
    rows = "".join(f"<tr><td>{question}</td><td>{item.answer}</td></tr>" for question, item in picked)
    page = (
        "<html><body><h1>Trust centre: customer questionnaire</h1><table>"
        f"<tr><th>Question</th><th>Our answer</th></tr>{rows}</table></body></html>"
    )
    return page.encode(), picked


def markdown_prose(variant: int = 0) -> tuple[bytes, list[tuple[str, Item]]]:
    picked = _pick(["transfers", "notice", "retention", "irplan", "football"], variant)
    picked = [(question if question.endswith("?") else question + "?", item) for question, item in picked]
    lines = ["# Due-diligence responses", ""]
    for number, (question, item) in enumerate(picked, start=1):
        lines += [f"{number}. {question}", "", item.answer + (f" {item.comment}" if item.comment else ""), ""]
    return "\n".join(lines).encode(), picked


def caiq_xlsx(variant: int = 0) -> tuple[bytes, list[tuple[str, Item]]]:
    """A completed CAIQ-style sheet: question ids of the standard, short answers and the detail in a
    "CSP Implementation Description" column."""
    items = [
        ("DSP-16.1", "Data retention per documented requirements?", "Yes", "retention"),
        ("SEF-07.1", "Breach notification to affected customers?", "Yes", "breach"),
        ("DSP-14.1", "Disclosure of sub-processors to the customer?", "Yes", None),
        ("CEK-03.1", "Encryption of data?", "Yes", "encryption"),
        ("DSP-15.1", "Production data use limited?", "Yes", "training"),
    ]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "CAIQv4.0.3"
    sheet.append(["Consensus Assessments Initiative Questionnaire v4.0.3"])
    sheet.append(
        ["Question ID", "Question", "CSP CAIQ Answer", "CSP Implementation Description (Optional/Recommended)"]
    )
    picked = []
    for id, question, answer, name in items:
        detail = ITEMS[name].answer if name else "Our sub-processor list is published on our trust centre."
        sheet.append([id, question, answer, detail])
        target = {
            "DSP-16.1": "RET-01",
            "SEF-07.1": "INC-01",
            "DSP-14.1": "SUB-01",
            "CEK-03.1": "SEC-01",
            "DSP-15.1": "TRN-01",
        }[id]
        item = ITEMS[name] if name else Item((question, question), answer, target, {})
        picked.append((question, Item(item.wordings, answer, target, item.keys, detail)))
    return _save_workbook(workbook), picked


BUILDERS = {
    "security-review.xlsx": security_review_xlsx,
    "cover-and-answers.xlsx": cover_and_answers_xlsx,
    "headerless.xlsx": headerless_xlsx,
    "merged-question-cells.xlsx": merged_question_cells_xlsx,
    "caiq.xlsx": caiq_xlsx,
    "table.docx": docx_table,
    "prose.docx": docx_prose,
    "table.pdf": pdf_table,
    "prose.pdf": pdf_prose,
    "table.html": html_table,
    "prose.md": markdown_prose,
}


def layouts(variants: tuple[int, ...] = (0, 1)) -> list[Layout]:
    """Every layout in each wording variant."""
    made = []
    for variant in variants:
        for filename, build in BUILDERS.items():
            data, picked = build(variant)
            questions, keys = _truth(picked)
            made.append(Layout(f"{filename} v{variant}", f"v{variant}-{filename}", data, questions, keys))
    return made


def expected_key(key: str, value, answer_value) -> bool:
    """Whether an extracted key value is the expected one (lists as sets, objects by their main field)."""
    if answer_value is None:
        return False
    if key == "training_use" or key == "audit_rights":
        got = answer_value.get("label") if isinstance(answer_value, dict) else answer_value
        return got == value
    if key in ("subprocessor_change_notice_days", "deletion_on_termination_days"):
        return isinstance(answer_value, dict) and answer_value.get("value") == value
    if key == "transfer_mechanism":
        return set(answer_value) == set(value)
    return answer_value == value
