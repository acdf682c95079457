"""Returned forms are read inside the sandbox: the fields of a PDF form and the cells of a workbook come back in
Document.form, are stored with the document, and the questionnaire readers never open the bytes themselves."""

import dataclasses
import datetime
import io

import openpyxl
import pypdf
import pytest
from sqlmodel import select

import questionnaires.returned
from documents import Reason, read_document
from documents.model import FormData, FormField
from questionnaires.bank import load_bank
from questionnaires.pdf_form import issue_pdf, read_pdf_form
from questionnaires.returned import read_returned_form
from questionnaires.spreadsheet import BANK_ID_NAME, BANK_VERSION_NAME, QUESTIONNAIRE, issue_xlsx
from store.models import DocumentRecord, ExtractionRecord
from store.vendors import create_vendor
from tests.builders import pdf_bytes, xlsx_bytes
from tests.conftest import staff
from tests.test_pdf_form import fill
from workflows import (
    extract_any,
    extract_files,
    ingest_file,
    load_document,
    refresh_extractions,
    reread_document,
    vendor_answers,
)

DUE = datetime.date(2027, 1, 15)
ANSWERS = {"TRN-01": "yes_without_opt_out", "INC-01": "12 hours"}


@pytest.fixture(scope="module")
def bank():
    return load_bank()


@pytest.fixture(scope="module")
def filled_pdf(bank) -> bytes:
    form = issue_pdf([bank.question(id) for id in ANSWERS], bank, "Northwind", "Lumora AI GmbH", DUE)
    return fill(form, {"TRN-01": "/" + ANSWERS["TRN-01"], "INC-01": ANSWERS["INC-01"]})


@pytest.fixture(scope="module")
def filled_xlsx(bank) -> bytes:
    workbook = openpyxl.load_workbook(
        io.BytesIO(issue_xlsx([bank.question(id) for id in ANSWERS], bank, "Northwind", "Lumora AI GmbH", DUE))
    )
    sheet = workbook[QUESTIONNAIRE]
    headers = {cell.value: cell.column for cell in sheet[1]}
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, headers["Answer"], ANSWERS[sheet.cell(row, headers["ID"]).value])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_pdf_forms_fields_come_back_from_the_sandbox(filled_pdf, bank, limits):
    form = read_document(filled_pdf, "returned.pdf", limits).form
    assert form is not None and not form.encrypted and not form.error and not form.sheets
    assert "aivet-form" in form.keywords.split() and f"bank={bank.id}" in form.keywords.split()
    fields = {field.name: field for field in form.fields}
    assert fields["TRN-01"].value == ANSWERS["TRN-01"]  # a radio's export value, without its slash
    assert fields["INC-01"] == FormField("INC-01", "12 hours", 2)  # page 1 is the cover
    assert fields["INC-01_comment"].value == ""


def test_an_xlsx_cells_and_defined_names_come_back_from_the_sandbox(filled_xlsx, bank, limits):
    form = read_document(filled_xlsx, "returned.xlsx", limits).form
    assert form is not None and not form.fields
    assert [(sheet.title, sheet.hidden) for sheet in form.sheets] == [
        ("Instructions", False),
        ("Questionnaire", False),
        ("Lists", True),
    ]
    rows = form.sheets[1].rows
    assert rows[0][:5] == ("ID", "Section", "Question", "Answer type", "Answer")
    assert {row[0]: row[4] for row in rows[1:]} == ANSWERS
    assert dict(form.names) == {BANK_ID_NAME: bank.id, BANK_VERSION_NAME: bank.version}


def test_cells_come_back_as_json_values_with_formulas_as_their_text(limits):
    data = xlsx_bytes(
        {
            "Answers": [
                ["when", datetime.datetime(2026, 3, 1), datetime.datetime(2026, 3, 1, 9, 30)],
                ["count", 3, 2.5, True, None, "=SUM(B2:C2)"],
            ]
        }
    )
    document = read_document(data, "answers.xlsx", limits)
    assert "| =SUM(B2:C2)" in document.text  # the page text shows the formula too, not a value cached in the file
    [sheet] = document.form.sheets
    assert sheet.rows == (("when", "2026-03-01", "2026-03-01T09:30:00"), ("count", 3, 2.5, True, None, "=SUM(B2:C2)"))


@pytest.mark.parametrize(
    "name, data",
    [
        ("dpa.pdf", pdf_bytes(["Data Processing Agreement", "Retention: 30 days"])),
        ("subprocessors.csv", b"Name,Country\nExample Cloud,Ireland\n"),
    ],
)
def test_a_file_without_form_fields_has_no_form(name, data, bank, limits):
    document = read_document(data, name, limits)
    assert document.form is None
    assert read_returned_form(document, bank) is None


def test_an_encrypted_or_damaged_form_is_still_a_problem_sentence(filled_pdf, bank, limits):
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(filled_pdf)))
    writer.encrypt("", "owner")  # opens without a password, so the sandbox reads it
    buffer = io.BytesIO()
    writer.write(buffer)
    encrypted = read_document(buffer.getvalue(), "returned.pdf", limits)
    assert encrypted.form is not None and encrypted.form.encrypted
    assert read_pdf_form(encrypted, bank).problems == [
        "The PDF is password-protected; ask the vendor for an unprotected copy."
    ]
    readable = read_document(filled_pdf, "returned.pdf", limits)
    damaged = dataclasses.replace(readable, form=FormData(error="PdfReadError"))
    assert read_pdf_form(damaged, bank).problems == ["The file could not be read as a PDF form (PdfReadError)."]


def test_a_hostile_form_is_rejected_by_the_sandbox_before_any_questionnaire_code(bank, limits, tmp_path, monkeypatch):
    def never(*args):
        raise AssertionError("questionnaire code saw a file the sandbox should have rejected")

    monkeypatch.setattr(questionnaires.returned, "read_returned_form", never)
    long_form = issue_pdf(list(bank.questions), bank, "Northwind", "Lumora AI GmbH", DUE)
    big_sheet = xlsx_bytes({"Answers": [["ID", "Answer"]] + [[f"row {n}", "x" * 200] for n in range(40_000)]})
    (tmp_path / "long.pdf").write_bytes(long_form)
    (tmp_path / "big.xlsx").write_bytes(big_sheet)
    tight = dataclasses.replace(limits, max_pages=3, max_memory_bytes=8 * 2**20)
    run = extract_files([tmp_path / "long.pdf", tmp_path / "big.xlsx"], tight)
    assert [item.rejection.reason for item in run.documents] == [Reason.TOO_MANY_PAGES, Reason.MEMORY_LIMIT]
    assert run.read == []


def test_a_returned_form_is_read_without_opening_its_bytes_in_the_app(filled_pdf, filled_xlsx, limits, monkeypatch):
    documents = [read_document(filled_pdf, "returned.pdf", limits), read_document(filled_xlsx, "returned.xlsx", limits)]

    def opened(*args, **kwargs):
        raise AssertionError("the app process opened a vendor file")

    monkeypatch.setattr(pypdf.PdfReader, "__init__", opened)
    monkeypatch.setattr(openpyxl, "load_workbook", opened)
    monkeypatch.setattr(openpyxl.reader.excel, "load_workbook", opened)
    for document in documents:
        extraction = extract_any(document)
        assert extraction.form is not None and extraction.form["problems"] == []
        assert extraction.answers["breach_notification_hours"].value == 12


def test_form_data_survives_the_store_and_a_returned_form_is_read_again_without_its_bytes(
    workspace, filled_pdf, filled_xlsx, monkeypatch
):
    vendor = create_vendor(workspace, "Lumora AI GmbH", "alice")
    records = [
        ingest_file(workspace, vendor.id, name, data, staff("alice")).record
        for name, data in (("returned.pdf", filled_pdf), ("returned.xlsx", filled_xlsx))
    ]
    for record, (name, data) in zip(records, (("returned.pdf", filled_pdf), ("returned.xlsx", filled_xlsx))):
        loaded = load_document(workspace, record.id)
        assert loaded.form is not None and loaded == read_document(data, name, workspace.limits)

    def opened(sha256):
        raise AssertionError("re-extracting a stored form read its bytes")

    monkeypatch.setattr(workspace.blobs, "get", opened)
    with workspace.transaction() as session:
        for stored in session.exec(select(ExtractionRecord)).all():
            stored.engine_version = "rules-0+old"
            session.add(stored)
    assert refresh_extractions(workspace, vendor.id, staff("alice")) == 2
    for _, extraction in vendor_answers(workspace, vendor.id).documents:
        assert extraction.form is not None and extraction.answers["breach_notification_hours"].value == 12


def test_a_rejected_reread_clears_the_stored_form(workspace, filled_pdf, monkeypatch):
    vendor = create_vendor(workspace, "Lumora AI GmbH", "alice")
    record = ingest_file(workspace, vendor.id, "returned.pdf", filled_pdf, staff("alice")).record
    workspace.limits = dataclasses.replace(workspace.limits, max_pages=1)
    reread_document(workspace, record.id, staff("alice"))
    with workspace.transaction() as session:
        assert session.exec(select(DocumentRecord.form).where(DocumentRecord.id == record.id)).one() is None


def test_form_data_is_plain_json():
    form = FormData(keywords="aivet-form", fields=(FormField("TRN-01", "yes", 2),))
    assert FormData.from_json(form.to_json()) == form
