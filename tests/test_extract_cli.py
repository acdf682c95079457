"""`aivet extract`: the JSON contract of DESIGN.md, the readable table, and the exit codes of `aivet read`."""

import json

import pytest

from documents import read_document
from extraction import ANSWER_KEYS
from extraction.model import squash
from tests.builders import pdf_bytes
from tests.conftest import TEST_LIMITS
from tests.test_cli import aivet

DPA_PAGES = [
    "Data Processing Agreement. 1. Retention. Customer Data is retained for thirty (30) days after deletion "
    "in backups. We do not use Customer Data to train our models.",
    "2. Breach. We will notify Customer of a Personal Data Breach within 48 hours. 3. Sub-processors. "
    "We give 30 days' notice before adding a new sub-processor.",
]
QUESTIONNAIRE = (
    "Question | Answer\n"
    "Do you use customer data to train models? | Yes. We may use your inputs and outputs to train our models.\n"
    "How fast do you notify a personal data breach? | Within 48 hours.\n"
)


@pytest.fixture
def vendor_files(tmp_path):
    dpa = tmp_path / "dpa.pdf"
    dpa.write_bytes(pdf_bytes(DPA_PAGES))
    questionnaire = tmp_path / "questionnaire.csv"
    questionnaire.write_text(QUESTIONNAIRE)
    return dpa, questionnaire


def test_json_has_the_contract_shape_with_pages_and_quotes_from_the_document(vendor_files, tmp_path):
    dpa, questionnaire = vendor_files
    result = aivet("extract", str(dpa), str(questionnaire), "--json", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"documents", "merged"}
    assert [entry["file"] for entry in data["documents"]] == [str(dpa), str(questionnaire)]
    for entry, path in zip(data["documents"], (dpa, questionnaire)):
        assert {"file", "sha256", "pages", "answers", "flags"} <= set(entry)
        assert list(entry["answers"]) == list(ANSWER_KEYS)
        document = read_document(path.read_bytes(), path.name, TEST_LIMITS)
        assert entry["sha256"] == document.sha256 and entry["pages"] == len(document.pages)
        for answer in entry["answers"].values():
            assert set(answer) >= {"value", "status", "confidence", "method", "evidence"}
            assert answer["status"] in {"answered", "not_found", "conflict", "needs_review"}
            for evidence in answer["evidence"]:
                assert evidence["quote"] == squash(document.text[evidence["start"] : evidence["end"]])
                assert evidence["page"] == document.page_at(evidence["start"])
    dpa_answers = data["documents"][0]["answers"]
    assert dpa_answers["breach_notification_hours"]["value"] == 48
    assert dpa_answers["breach_notification_hours"]["evidence"][0]["page"] == 2
    assert dpa_answers["retention_days"]["value"] == 30
    assert dpa_answers["training_use"]["value"]["label"] == "never"
    assert set(data["merged"]) == {"answers", "flags"}
    assert list(data["merged"]["answers"]) == list(ANSWER_KEYS)


def test_merged_answers_flag_the_documents_that_disagree(vendor_files, tmp_path):
    result = aivet("extract", *map(str, vendor_files), "--json", tmp_path=tmp_path)
    merged = json.loads(result.stdout)["merged"]
    training = merged["answers"]["training_use"]
    assert training["status"] == "conflict" and training["value"]["label"] == "yes"
    assert {item["file"] for item in training["evidence"]} == {"dpa.pdf", "questionnaire.csv"}
    conflicts = [flag for flag in merged["flags"] if flag["code"] == "cross_document_conflict"]
    assert [flag["key"] for flag in conflicts] == ["training_use"]
    breach = merged["answers"]["breach_notification_hours"]
    assert breach["status"] == "answered" and breach["value"] == 48
    assert {item["file"] for item in breach["evidence"]} == {"dpa.pdf", "questionnaire.csv"}


def test_the_readable_table_names_status_and_pages(vendor_files, tmp_path):
    result = aivet("extract", str(vendor_files[0]), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if "breach_notification_hours" in line)
    assert line.split()[1:5] == ["answered", line.split()[2], "p.", "2"]
    assert line.rstrip().endswith("48 hours")
    assert any("audit_rights" in line and "not_found" in line for line in result.stdout.splitlines())


def test_a_rejected_file_is_reported_and_the_others_still_extracted(vendor_files, tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nnot really a pdf")
    result = aivet("extract", str(vendor_files[0]), str(broken), "--json", tmp_path=tmp_path)
    assert result.returncode == 1
    data = json.loads(result.stdout)
    rejected = data["documents"][1]
    assert rejected["status"] == "rejected" and rejected["reason"] == "corrupt" and rejected["answers"] == {}
    assert data["merged"]["answers"]["breach_notification_hours"]["value"] == 48
    assert result.stderr.strip().startswith(f"{broken}: corrupt: ")
    assert "Traceback" not in result.stderr


def test_a_file_with_nothing_relevant_gives_nine_not_found_and_exit_0(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("Our company makes project-management software. Our office is in Lisbon.")
    result = aivet("extract", str(notes), "--json", tmp_path=tmp_path)
    assert result.returncode == 0
    answers = json.loads(result.stdout)["documents"][0]["answers"]
    assert {answer["status"] for answer in answers.values()} == {"not_found"}


def test_usage_errors_exit_2(tmp_path):
    assert aivet("extract", tmp_path=tmp_path).returncode == 2


def test_a_file_read_but_not_extracted_is_a_sentence_not_a_traceback(tmp_path):
    """The reader child notes an extraction that raised and keeps the text; the run reports it as one problem."""
    from dataclasses import replace

    from documents import FileOutcome
    from workflows.files import FileExtraction

    path = tmp_path / "terms.pdf"
    document = read_document(
        pdf_bytes(["These are the terms of service of our product, in force from 1 March 2026."] * 1),
        "terms.pdf",
        TEST_LIMITS,
    )
    noted = replace(
        document, warnings=(*document.warnings, "The answers could not be extracted (KeyError); the text was read.")
    )
    item = FileExtraction.of(path, FileOutcome(path, document.sha256, noted, outcome=None))
    shown = item.to_json()
    assert shown["status"] == "not_extracted" and shown["reason"] == "extraction_failed"
    assert "could not be extracted (KeyError)" in shown["message"] and shown["answers"] == {}
    assert json.dumps(shown)  # the JSON contract still prints
