"""The questionnaire loop end to end: issue from the CLI, the vendor fills it in, `aivet extract` reads the answers
back under the same keys as documents; and a gap questionnaire asks only what the documents left open."""

import io
import json
import os
import subprocess
import sys
from datetime import date, timedelta
from functools import partial

import openpyxl
import pytest
from sqlmodel import select

from aivet.settings import Settings
from questionnaires.bank import load_bank
from scoring import Intake
from store.workspace import Workspace
from tests.conftest import TEST_LIMITS, staff
from tests.test_pdf_form import fill
from workflows import create_vendor, ingest_file, issue_to_vendor, open_questions

AIVET = [sys.executable, "-m", "aivet.cli"]
DPA = (
    b"Data Processing Agreement. We do not use Customer Data to train our models. "
    b"We will notify Customer of a Personal Data Breach within 48 hours. "
    b"We give thirty (30) days' notice before adding a new sub-processor. "
    b"Personal data breaches are notified within 72 hours."
)


def run(*args, data_dir):
    env = os.environ | {"AIVET_DATA_DIR": str(data_dir), "AIVET_PARSE_TIMEOUT_S": "20", "AIVET_USER": "procurement"}
    return subprocess.run([*AIVET, *args], capture_output=True, text=True, env=env, timeout=120)


def vendor_workspace(tmp_path, name="Lumora AI GmbH"):
    workspace = Workspace.open(Settings(data_dir=tmp_path / "data", limits=TEST_LIMITS))
    return workspace, create_vendor(workspace, name, staff("procurement"))


def test_issue_a_pdf_fill_it_and_extract_the_answers_exactly(tmp_path):
    vendor_workspace(tmp_path)
    out = tmp_path / "lumora.pdf"
    issued = run(
        "issue", "--vendor", "Lumora AI GmbH", "--format", "pdf", "--out", str(out), data_dir=tmp_path / "data"
    )
    assert issued.returncode == 0, issued.stderr
    assert "questions for Lumora AI GmbH" in issued.stdout
    filled = tmp_path / "filled.pdf"
    filled.write_bytes(
        fill(
            out.read_bytes(),
            {
                "TRN-01": "/never",
                "RET-01": "30 days",
                "INC-01": "24 hours",
                "SUB-01": "Hetzner Online GmbH (Germany) – hosting",
            },
        )
    )
    result = run("extract", str(filled), "--json", data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    entry = json.loads(result.stdout)["documents"][0]
    answers = entry["answers"]
    assert answers["training_use"]["value"] == {"label": "never", "scope": None}
    assert answers["training_use"]["method"] == "form" and answers["training_use"]["confidence"] == 1.0
    assert answers["retention_days"]["value"] == 30 and answers["breach_notification_hours"]["value"] == 24
    assert answers["subprocessors"]["value"][0] | {"purpose": None} == {
        "name": "Hetzner",
        "listed_as": "Hetzner Online GmbH",
        "country": "Germany",
        "purpose": None,
    }
    assert answers["audit_rights"]["status"] == "not_found"
    assert "TRN-01: never" in answers["training_use"]["evidence"][0]["quote"]
    assert entry["form"]["problems"] == [] and entry["form"]["questions"]["RET-01"]["value"]["days"] == 30


def test_issue_a_spreadsheet_and_extract_a_filled_one(tmp_path):
    vendor_workspace(tmp_path)
    out = tmp_path / "lumora.xlsx"
    assert (
        run(
            "issue", "--vendor", "Lumora AI GmbH", "--format", "xlsx", "--out", str(out), data_dir=tmp_path / "data"
        ).returncode
        == 0
    )
    workbook = openpyxl.load_workbook(out)
    sheet = next(sheet for sheet in workbook if sheet.sheet_state == "visible" and sheet.max_row > 20)
    headers = {cell.value: cell.column for cell in sheet[1]}
    for row in range(2, sheet.max_row + 1):
        answer = {"TRN-01": "on_by_default_opt_out_available", "INC-01": "72 hours"}.get(
            sheet.cell(row, headers["ID"]).value
        )
        if answer:
            sheet.cell(row, headers["Answer"], answer)
    workbook.save(tmp_path / "filled.xlsx")
    result = run("extract", str(tmp_path / "filled.xlsx"), "--json", data_dir=tmp_path / "data")
    answers = json.loads(result.stdout)["documents"][0]["answers"]
    assert (
        answers["training_use"]["value"]["label"] == "opt_out" and answers["breach_notification_hours"]["value"] == 72
    )


def test_a_gap_questionnaire_asks_only_what_the_documents_left_open_with_the_passage(tmp_path):
    workspace, vendor = vendor_workspace(tmp_path)
    ingest_file(workspace, vendor.id, "dpa.txt", DPA, staff("procurement"))
    bank = load_bank()
    questions = bank.select({"always": True, "personal_data": True, "genai": True})
    gaps = open_questions(workspace, vendor.id, questions)
    assert "TRN-01" not in gaps and "SUB-03" not in gaps  # answered by the DPA
    assert "INC-01" in gaps and "48 hours" in gaps["INC-01"]  # 48 h against 72 h: a conflict stays open
    assert gaps["RET-01"] == ""  # nothing found, nothing to quote
    issued = issue_to_vendor(
        workspace,
        vendor.id,
        "pdf",
        date.today() + timedelta(days=7),
        Intake.default(),
        staff("procurement"),
        only_gaps=True,
        our_company="Northwind Payments SE",
    )
    asked = issued.issued.record.question_ids
    assert "TRN-01" not in asked and "INC-01" in asked and issued.filename.endswith(".pdf")
    assert issued.issued.record.gaps["INC-01"].startswith("We will notify Customer")


def test_a_link_is_printed_once_and_unknown_vendors_are_refused(tmp_path):
    vendor_workspace(tmp_path)
    link = run("issue", "--vendor", "Lumora AI GmbH", "--format", "link", data_dir=tmp_path / "data")
    assert link.returncode == 0 and link.stdout.startswith("http://127.0.0.1:8502/?token=")
    assert "shown only now" in link.stderr
    unknown = run("issue", "--vendor", "Nobody Ltd", "--format", "pdf", data_dir=tmp_path / "data")
    assert (
        unknown.returncode == 2
        and "no vendor named 'Nobody Ltd'" in unknown.stderr
        and "Traceback" not in unknown.stderr
    )


def test_answers_submitted_through_a_link_join_the_vendors_merged_answers(tmp_path):
    from workflows import save_answers, vendor_answers

    workspace, vendor = vendor_workspace(tmp_path)
    ingest_file(workspace, vendor.id, "dpa.txt", DPA, staff("procurement"))
    issued = issue_to_vendor(
        workspace,
        vendor.id,
        "link",
        date.today() + timedelta(days=7),
        Intake.default(),
        staff("procurement"),
        only_gaps=True,
    )
    save_answers(
        workspace, issued.issued.token, {"RET-01": {"value": "30 days"}, "INC-01": {"value": "24 hours"}}, submit=True
    )
    answers = vendor_answers(workspace, vendor.id)
    [link] = answers.links
    assert link.file == f"questionnaire link #{issued.issued.record.id}"
    merged = answers.merged.answers
    assert merged["retention_days"].value == 30 and merged["retention_days"].method == "form"
    assert merged["breach_notification_hours"].status == "conflict"  # the DPA's 48/72 hours against the link's 24
    assert {item.file for item in merged["breach_notification_hours"].evidence} >= {"dpa.txt", link.file}
    assert merged["training_use"].value["label"] == "never"  # from the DPA, not asked again
    assert "RET-01" not in open_questions(workspace, vendor.id, load_bank().select({"always": True}))


def test_a_filled_form_uploaded_with_the_vendors_documents_is_read_as_a_form(tmp_path):
    from questionnaires.pdf_form import issue_pdf
    from workflows import vendor_answers

    workspace, vendor = vendor_workspace(tmp_path)
    bank = load_bank()
    form = issue_pdf(
        [bank.question("TRN-01"), bank.question("INC-01")], bank, "Northwind", "Lumora AI GmbH", date.today()
    )
    ingest_file(
        workspace,
        vendor.id,
        "returned.pdf",
        fill(form, {"TRN-01": "/yes_without_opt_out", "INC-01": "12 hours"}),
        staff("procurement"),
    )
    [(record, extraction)] = vendor_answers(workspace, vendor.id).documents
    assert extraction.form is not None and extraction.form["problems"] == []
    assert extraction.answers["training_use"].value["label"] == "yes"
    assert extraction.answers["breach_notification_hours"].value == 12
    assert extraction.answers["breach_notification_hours"].evidence[0].quote == "INC-01: 12 hours"


def test_a_duration_answered_in_hours_keeps_its_number_in_days():
    from extraction import Answer, Method, Status
    from questionnaires.returned import answer_keys

    bank = load_bank()
    value = {"text": "24 hours", "days": 1, "hours": 24, "business": False}
    keys = answer_keys({"RET-01": Answer("RET-01", value, Status.ANSWERED, 1.0, Method.FORM)}, bank)
    assert keys["retention_days"].value == 1 and keys["retention"].value[0]["period_days"] == 1


def test_questions_answered_in_a_returned_form_are_not_asked_again(tmp_path):
    from questionnaires.pdf_form import issue_pdf

    workspace, vendor = vendor_workspace(tmp_path)
    bank = load_bank()
    form = issue_pdf(
        [bank.question("GOV-01"), bank.question("RET-01")], bank, "Northwind", "Lumora AI GmbH", date.today()
    )
    ingest_file(
        workspace,
        vendor.id,
        "returned.pdf",
        fill(form, {"GOV-01": "Lumora AI GmbH, Berlin, HRB 1"}),
        staff("procurement"),
    )
    questions = [bank.question("GOV-01"), bank.question("RET-01")]
    assert open_questions(workspace, vendor.id, questions) == {"RET-01": ""}
    issued = issue_to_vendor(
        workspace,
        vendor.id,
        "xlsx",
        date.today() + timedelta(days=7),
        Intake.default(),
        staff("procurement"),
        only_gaps=True,
    )
    assert "GOV-01" not in issued.issued.record.question_ids and issued.issued.record.gaps["RET-01"] == ""
    full = issue_to_vendor(
        workspace, vendor.id, "xlsx", date.today() + timedelta(days=7), Intake.default(), staff("procurement")
    )
    assert full.issued.record.gaps == {} and "GOV-01" in full.issued.record.question_ids


def filled_xlsx(data: bytes, answers: dict[str, str]) -> bytes:
    """Answer an issued workbook by question id, as a vendor would in Excel."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook["Questionnaire"]
    headers = {cell.value: cell.column for cell in sheet[1]}
    for row in range(2, sheet.max_row + 1):
        if (id := sheet.cell(row, headers["ID"]).value) in answers:
            sheet.cell(row, headers["Answer"], answers[id])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("channel", ["xlsx", "pdf"])
@pytest.mark.parametrize("door", ["staff upload", "vendor link"])
def test_a_returned_questionnaire_file_is_tracked_as_submitted_with_its_answers(tmp_path, channel, door):
    from workflows import attach_file, tracking

    workspace, vendor = vendor_workspace(tmp_path)
    due = date.today() + timedelta(days=7)
    issue = partial(issue_to_vendor, workspace, vendor.id, due=due, intake=Intake.default(), actor=staff("procurement"))
    link, issued = issue(channel="link"), issue(channel=channel)
    pdf_or_xlsx = issue(channel="xlsx" if channel == "pdf" else "pdf")  # the same questions sent the other way
    if channel == "xlsx":
        returned = filled_xlsx(issued.data, {"TRN-01": "never", "RET-01": "30 days", "INC-01": "72 hours"})
    else:
        returned = fill(issued.data, {"TRN-01": "/never", "RET-01": "30 days", "INC-01": "72 hours"})
    name = f"returned.{channel}"
    if door == "staff upload":
        ingest_file(workspace, vendor.id, name, returned, staff("procurement"))
    else:
        attach_file(workspace, link.issued.token, name, returned)
    rows = {row.record.id: row for row in tracking(workspace)}
    mine = rows[issued.issued.record.id]
    assert (mine.status, len(mine.record.answers), mine.reminder) == ("submitted", 3, None)
    assert mine.record.answers["RET-01"]["value"]["days"] == 30 and mine.record.answers["TRN-01"]["value"] == "never"
    for other in (link, pdf_or_xlsx):
        assert (rows[other.issued.record.id].status, rows[other.issued.record.id].record.answers) == ("sent", {})


@pytest.mark.parametrize("name", ["Corti A/S", "../outside/x"])
def test_a_vendor_name_is_never_a_path_and_only_the_current_folder_or_out_is_written(tmp_path, name):
    workspace, _ = vendor_workspace(tmp_path, name)
    work = tmp_path / "work"
    work.mkdir()
    env = os.environ | {"AIVET_DATA_DIR": str(tmp_path / "data"), "AIVET_USER": "procurement"}
    issued = subprocess.run(
        [*AIVET, "issue", "--vendor", name, "--format", "xlsx"],
        capture_output=True,
        text=True,
        env=env,
        cwd=work,
        timeout=120,
    )
    assert issued.returncode == 0, issued.stderr
    [written] = list(work.iterdir())
    assert (
        written.name.endswith("-questionnaire-1.xlsx") and "/" not in written.name and not written.name.startswith(".")
    )
    assert not (tmp_path / "outside").exists()


def test_a_questionnaire_that_cannot_be_written_is_not_recorded_as_sent(tmp_path):
    from store.models import QuestionnaireRecord

    workspace, _ = vendor_workspace(tmp_path)
    failed = run(
        "issue",
        "--vendor",
        "Lumora AI GmbH",
        "--format",
        "pdf",
        "--out",
        str(tmp_path / "missing" / "q.pdf"),
        data_dir=tmp_path / "data",
    )
    assert failed.returncode == 2 and "Traceback" not in failed.stderr
    with workspace.transaction() as session:
        assert session.exec(select(QuestionnaireRecord)).all() == []
