"""Every criterion through the workflows: the gap questionnaire asks exactly what the scorecard could not score,
and the demo vendors' returned questionnaires fill all ten criteria."""

from __future__ import annotations

import datetime

from aivet.access import Role
from aivet.demo import DEMO_DIR
from questionnaires.bank import load_bank
from scoring import Decision, Intake
from tests.conftest import staff
from workflows import create_vendor, ingest_file, issue_to_vendor
from workflows.status import scored_now


def _question_of(key: str) -> str:
    return next(question.id for question in load_bank().questions if key in (question.id, question.answer_key))


def test_the_gap_questionnaire_asks_the_scorecards_missing_questions_and_those_under_review(workspace):
    procurement = staff("pia")
    vendor = create_vendor(workspace, "Norvik Analytics Oy", procurement, Intake.default())
    for path in sorted((DEMO_DIR / "norvik-analytics").iterdir()):
        ingest_file(workspace, vendor.id, path.name, path.read_bytes(), procurement)
    _, card = scored_now(workspace, vendor.id)
    missing = {item["question"] for item in card.missing}
    under_review = {_question_of(item["key"]) for item in card.reviews}
    issued = issue_to_vendor(
        workspace, vendor.id, "xlsx", datetime.date(2027, 1, 15), None, procurement, only_gaps=True
    )
    asked = set(issued.issued.record.question_ids)
    assert missing and missing <= asked, f"not asked: {sorted(missing - asked)}"
    assert asked - missing <= under_review, f"asked though scored: {sorted(asked - missing - under_review)}"
    by_criterion = card.missing_by_criterion()
    empty = [
        criterion for criterion in card.criteria if criterion.applies and len(criterion.missing) == len(criterion.keys)
    ]
    for criterion in empty:  # an empty criterion is asked whole
        assert {item["question"] for item in by_criterion[criterion.id]} <= asked


def test_the_demo_vendors_returned_questionnaires_fill_all_ten_criteria_and_explain_each(workspace):
    from aivet.demo import DEMO_VENDORS, load_demo
    from workflows import list_vendors

    operator = staff("operator", Role.ADMIN)
    load_demo(workspace, operator)
    cards = {vendor.name: scored_now(workspace, vendor.id)[1] for vendor in list_vendors(workspace)}
    assert sorted(cards) == sorted(DEMO_VENDORS.values())
    for name, card in cards.items():
        applying = [criterion for criterion in card.criteria if criterion.applies]
        assert len(applying) == 10, name
        assert all(len(criterion.missing) < len(criterion.keys) for criterion in applying), name
        assert all(criterion.explanation().startswith(f"{criterion.id} {criterion.name}: ") for criterion in applying)
    # Lumora answers everything and contradicts nothing, but its answers are its own word: conditions remain
    assert cards["Lumora AI GmbH"].decision == Decision.APPROVE_WITH_CONDITIONS and not cards["Lumora AI GmbH"].missing
    # Quillstack's SOC 2 report period ended 2025-09-30: more than twelve months ago
    assert "GOV-04" in [item["key"] for item in cards["Quillstack Inc."].expired]
    # Norvik left questions open and contradicts its DPA where its questionnaire does
    norvik = cards["Norvik Analytics Oy"]
    assert norvik.decision == Decision.REJECT and norvik.missing
    assert {"training_use", "retention_days"} <= {
        item["key"] for item in norvik.reviews if item["reason"] == "conflict"
    }


def test_a_returned_spreadsheet_alone_fills_all_ten_criteria(workspace):
    import io

    import openpyxl
    import yaml

    from tests.test_spreadsheet import _fill

    procurement = staff("pia")
    vendor = create_vendor(workspace, "Lumora AI GmbH", procurement, Intake.default())
    issued = issue_to_vendor(workspace, vendor.id, "xlsx", datetime.date(2027, 1, 15), None, procurement)
    returned = yaml.safe_load((DEMO_DIR / "returned" / "lumora-ai.yaml").read_text(encoding="utf-8"))["answers"]
    workbook = openpyxl.load_workbook(io.BytesIO(issued.data))
    _fill(workbook, {key: value for key, value in returned.items() if value is not None})
    buffer = io.BytesIO()
    workbook.save(buffer)
    outcome = ingest_file(workspace, vendor.id, "lumora-returned.xlsx", buffer.getvalue(), procurement)
    assert outcome.record.status == "read", outcome.record.reason
    _, card = scored_now(workspace, vendor.id)
    applying = [criterion for criterion in card.criteria if criterion.applies]
    assert len(applying) == 10 and all(len(criterion.missing) < len(criterion.keys) for criterion in applying)
    assert not card.missing and card.knockouts == ()
