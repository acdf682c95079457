"""Questionnaires in the vendor's own layout: our form only by evidence, their questions matched by meaning,
answers typed with their cells as evidence, and the file's text answering the keys like any document."""

import json
import os
import subprocess
import sys

import pytest

from documents import read_document
from extraction import Status
from questionnaires.bank import load_bank
from questionnaires.returned import combine_keys
from tests.conftest import assert_evidence_is_in_the_document
from tests.vendor_layouts import BUILDERS, ITEMS, expected_key, layouts
from workflows.extract import extract_any

AIVET = [sys.executable, "-m", "aivet.cli"]
ALL = layouts((0,))


def _read(layout):
    document = read_document(layout.data, layout.filename)
    return document, extract_any(document)


def test_the_issues_sheet_with_look_alike_ids_is_the_vendors_layout_and_answers_every_key():
    layout = next(item for item in ALL if item.name.startswith("security-review"))
    document, result = _read(layout)
    assert result.form["layout"] == "vendor"
    questions = result.form["questions"]
    # their SEC-07 asks about breaches and their INC-02 about retention: matched by words, not ids
    assert "SEC-07" not in questions and "INC-02" not in questions
    pairs = {pair["their_id"]: pair["question"] for pair in result.form["pairs"]}
    assert pairs["SEC-07"] == "INC-01" and pairs["INC-02"] == "RET-01" and pairs["GEN-1"] is None
    breach = questions["INC-01"]
    assert breach["value"]["hours"] == 36 and breach["method"] == "form" and breach["status"] == "answered"
    assert breach["evidence"][0]["quote"] == "Within 36 hours of discovery"
    for key, value in layout.keys.items():
        assert expected_key(key, value, result.answers[key].value), key
    assert result.answers["breach_notification_hours"].value == 36
    assert_evidence_is_in_the_document(document, result)  # form answers quote the sheet's own cells too
    assert any("matches no question of the bank" in problem for problem in result.form["problems"])


@pytest.mark.parametrize("layout", ALL, ids=[layout.name for layout in ALL])
def test_each_layout_gives_its_keys_with_evidence_in_the_file(layout):
    document, result = _read(layout)
    assert result.form is not None and result.form["layout"] == "vendor"
    for key, value in layout.keys.items():
        assert expected_key(key, value, result.answers[key].value), (key, result.answers[key].value)
    assert_evidence_is_in_the_document(document, result)
    found = {pair["theirs"]: pair["question"] for pair in result.form["pairs"]}
    unrelated = [question for question, ours in layout.questions if ours is None]
    assert all(found.get(question) is None for question in unrelated)  # never forced onto ours


def test_title_rows_merged_sections_and_answers_given_only_in_comments():
    data, picked = BUILDERS["cover-and-answers.xlsx"](0)
    document = read_document(data, "answers.xlsx")
    result = extract_any(document)
    matched = {pair["theirs"]: pair["question"] for pair in result.form["pairs"]}
    assert "Data protection" not in matched and "AI and models" not in matched  # section rows are no questions
    breach_question = next(question for question, item in picked if item is ITEMS["breach"])
    assert matched[breach_question] == "INC-01"  # answered in the Comments column
    assert result.form["questions"]["INC-01"]["value"]["hours"] == 36
    assert result.form["questions"]["INC-04"]["value"] == "yes"  # "Yes" in Comments, the Response cell empty


def test_a_standard_questionnaire_is_read_by_its_ids():
    data, _ = BUILDERS["caiq.xlsx"](0)
    result = extract_any(read_document(data, "caiq.xlsx"))
    via = {pair["their_id"]: (pair["question"], pair["via"]) for pair in result.form["pairs"]}
    assert via["SEF-07.1"] == ("INC-01", "caiq-v4") and via["DSP-16.1"] == ("RET-01", "caiq-v4")
    # the short "Yes" does not type as a duration; the detail column does
    assert result.form["questions"]["INC-01"]["value"]["hours"] == 36
    assert result.answers["breach_notification_hours"].value == 36


def test_our_issued_workbook_is_still_ours():
    import datetime

    from questionnaires.spreadsheet import issue_xlsx

    bank = load_bank()
    data = issue_xlsx(bank.questions[:3], bank, "Acme", "Modelworks", datetime.date(2027, 1, 1))
    result = extract_any(read_document(data, "ours.xlsx"))
    assert result.form is not None and "layout" not in result.form


def test_a_form_answer_the_text_contradicts_is_a_conflict():
    from extraction import Answer, Evidence, Method

    evidence = Evidence("x", 1, 0, 4, "72 h")
    form = Answer("breach_notification_hours", 72, Status.ANSWERED, 1.0, Method.FORM, (evidence,))
    text = Answer("breach_notification_hours", 24, Status.ANSWERED, 0.8, Method.RULE, (Evidence("x", 1, 5, 9, "24 h"),))
    combined = combine_keys("breach_notification_hours", form, text)
    assert combined.status == Status.CONFLICT and combined.value == 72 and len(combined.evidence) == 2
    assert combine_keys("breach_notification_hours", form, Answer.not_found("breach_notification_hours")) == form


def test_a_dpa_without_questions_is_not_a_questionnaire():
    text = b"# Data Processing Agreement\n\nWe notify Customer of a Personal Data Breach within 48 hours.\n"
    result = extract_any(read_document(text, "dpa.md"))
    assert result.form is None and result.answers["breach_notification_hours"].value == 48


def test_aivet_extract_reads_a_vendor_sheet_end_to_end(tmp_path):
    layout = next(item for item in ALL if item.name.startswith("security-review"))
    path = tmp_path / layout.filename
    path.write_bytes(layout.data)
    env = os.environ | {"AIVET_DATA_DIR": str(tmp_path / "data"), "AIVET_PARSE_TIMEOUT_S": "20"}
    run = subprocess.run([*AIVET, "extract", str(path), "--json"], capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    merged = json.loads(run.stdout)["merged"]["answers"]
    for key, value in layout.keys.items():
        assert expected_key(key, value, merged[key]["value"]), key


def test_an_answer_cell_that_points_to_the_comment_is_answered_by_the_comment():
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Question", "Answer", "Comment"])
    sheet.append(["How quickly do you notify us of a personal data breach?", "See comment", "Within 36 hours."])
    sheet.append(["Do you encrypt customer data at rest?", "Yes", "AES-256."])
    sheet.append(["Which third-party AI providers receive customer data?", "See comments", "None."])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = extract_any(read_document(buffer.getvalue(), "vendor-answers.xlsx"))
    assert result.form["questions"]["INC-01"]["value"]["hours"] == 36
    assert "See comment" not in str(result.answers["subprocessors"].value)
