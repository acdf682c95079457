"""Extractions in the database: made when documents arrive, redone when stale, merged per vendor, audited."""

import pytest
from sqlmodel import select

from aivet.access import Role
from store.audit import recent_events
from store.models import ExtractionRecord
from tests.builders import pdf_bytes
from tests.conftest import staff
from workflows import (
    create_vendor,
    engine_version,
    ingest_file,
    locate_quote,
    refresh_extractions,
    reread_document,
    vendor_answers,
)

DPA = pdf_bytes(
    [
        "Data Processing Agreement. We do not use Customer Data to train our models.",
        "We will notify Customer of a Personal Data Breach within 72 hours.",
    ]
)
FAQ = b"Personal data breaches are notified to customers within 24 hours. Prompts are not retained."


def extracted_events(workspace):
    return [event for event in recent_events(workspace) if event.action == "document.extracted"]


def test_documents_are_extracted_once_at_ingest_and_merged_per_vendor(workspace):
    vendor = create_vendor(workspace, "Lumora AI GmbH", staff("procurement"))
    ingest_file(workspace, vendor.id, "dpa.pdf", DPA, staff("procurement"))
    assert len(extracted_events(workspace)) == 1
    assert refresh_extractions(workspace, vendor.id, staff("procurement")) == 0
    ingest_file(workspace, vendor.id, "faq.txt", FAQ, staff("procurement"))
    answers = vendor_answers(workspace, vendor.id)
    assert answers.stale == 0
    assert [record.filename for record, _ in answers.documents] == ["dpa.pdf", "faq.txt"]
    breach = answers.merged.answers["breach_notification_hours"]
    assert breach.status == "conflict" and breach.value == 72
    assert [flag.key for flag in answers.merged.flags if flag.code == "cross_document_conflict"] == [
        "breach_notification_hours"
    ]
    events = extracted_events(workspace)
    assert len(events) == 2 and events[0].after["answers"]["breach_notification_hours"] in {"answered", "conflict"}
    assert {event.actor for event in events} == {"procurement"}


def test_looking_at_answers_writes_nothing(workspace):
    vendor = create_vendor(workspace, "Lumora AI GmbH", staff("procurement"))
    ingest_file(workspace, vendor.id, "dpa.pdf", DPA, staff("procurement"))
    before = len(recent_events(workspace))
    vendor_answers(workspace, vendor.id)
    vendor_answers(workspace, vendor.id)
    assert len(recent_events(workspace)) == before


def test_a_quote_is_located_on_its_page(workspace):
    vendor = create_vendor(workspace, "Quillstack Inc.", staff("procurement"))
    ingest_file(workspace, vendor.id, "dpa.pdf", DPA, staff("procurement"))
    answers = vendor_answers(workspace, vendor.id)
    [evidence] = answers.merged.answers["breach_notification_hours"].evidence
    place = locate_quote(workspace, answers, evidence)
    assert (place.filename, place.page) == ("dpa.pdf", 2)
    assert place.page_text[place.start : place.end] == evidence.quote


def test_reading_a_document_again_replaces_its_extraction(workspace):
    vendor = create_vendor(workspace, "Norvik Analytics Oy", staff("procurement"))
    record = ingest_file(workspace, vendor.id, "dpa.pdf", DPA, staff("procurement")).record
    reread_document(workspace, record.id, staff("procurement"))
    assert len(extracted_events(workspace)) == 2  # reading again extracts again
    assert vendor_answers(workspace, vendor.id).stale == 0
    with workspace.transaction() as session:
        assert len(session.exec(select(ExtractionRecord)).all()) == 1


def test_an_extraction_from_another_engine_version_is_shown_as_stale_and_redone_on_request(workspace):
    vendor = create_vendor(workspace, "Example AI Ltd", staff("procurement"))
    ingest_file(workspace, vendor.id, "faq.txt", FAQ, staff("procurement"))
    with workspace.transaction() as session:
        stored = session.exec(select(ExtractionRecord)).one()
        stored.engine_version = "rules-0+old"
        session.add(stored)
    answers = vendor_answers(workspace, vendor.id)
    assert answers.stale == 1 and answers.merged.answers["breach_notification_hours"].value == 24  # kept until redone
    assert refresh_extractions(workspace, vendor.id, staff("admin", Role.ADMIN)) == 1
    assert vendor_answers(workspace, vendor.id).stale == 0
    assert extracted_events(workspace)[0].actor == "admin"


def test_rejected_documents_are_not_extracted(workspace):
    vendor = create_vendor(workspace, "Broken Files Ltd", staff("procurement"))
    ingest_file(workspace, vendor.id, "broken.pdf", b"%PDF-1.4 not a pdf", staff("procurement"))
    answers = vendor_answers(workspace, vendor.id)
    assert answers.documents == [] and answers.stale == 0
    assert {answer.status for answer in answers.merged.answers.values()} == {"not_found"}


def test_a_recorded_scorecard_keeps_its_profile_version_and_answer_snapshot(workspace):
    from scoring import Intake, answers_from_json, answers_hash
    from workflows import record_scorecard, recorded_scorecards, vendor_scorecard

    vendor = create_vendor(workspace, "Snapshot AI", staff("procurement"))
    ingest_file(workspace, vendor.id, "dpa.pdf", DPA, staff("procurement"))
    shown = vendor_scorecard(workspace, vendor.id, Intake.default(), "eu-fintech-standard")
    record = record_scorecard(workspace, vendor.id, shown, staff("security", Role.SECURITY))
    ingest_file(workspace, vendor.id, "faq.txt", FAQ, staff("procurement"))  # the answers change afterwards
    [kept] = recorded_scorecards(workspace, vendor.id)
    assert (kept.id, kept.profile_id, kept.profile_version, kept.recorded_by) == (
        record.id,
        "eu-fintech-standard",
        "2.0.0",
        "security",
    )
    snapshot = answers_from_json({"answers": kept.answers})
    assert answers_hash(snapshot) == kept.answers_hash == kept.scorecard["answers_hash"]
    assert snapshot["breach_notification_hours"].value == 72  # as scored, before the FAQ's 24 hours arrived
    event = next(event for event in recent_events(workspace) if event.action == "scorecard.recorded")
    assert event.after["answers_hash"] == kept.answers_hash and event.actor == "security"


def test_a_scorecard_whose_answers_changed_since_it_was_shown_is_not_recorded(workspace):
    from scoring import Intake
    from workflows import InvalidInput, record_scorecard, recorded_scorecards, vendor_scorecard

    vendor = create_vendor(workspace, "Moving AI", staff("procurement"))
    ingest_file(workspace, vendor.id, "dpa.pdf", DPA, staff("procurement"))
    shown = vendor_scorecard(workspace, vendor.id, Intake.default(), "eu-fintech-standard")
    ingest_file(workspace, vendor.id, "faq.txt", FAQ, staff("procurement"))
    with pytest.raises(InvalidInput, match="answers changed since this scorecard was shown"):
        record_scorecard(workspace, vendor.id, shown, staff("security", Role.SECURITY))
    assert recorded_scorecards(workspace, vendor.id) == []


def test_extraction_runs_in_the_reader_child_not_in_the_app(workspace, monkeypatch):
    import workflows.extract

    def in_the_app(document):
        raise AssertionError("extraction ran in the app process")

    monkeypatch.setattr(workflows.extract, "extract_document", in_the_app)
    vendor = create_vendor(workspace, "Bounded AI", staff("procurement"))
    ingest_file(workspace, vendor.id, "faq.txt", FAQ, staff("procurement"))
    assert vendor_answers(workspace, vendor.id).merged.answers["breach_notification_hours"].value == 24


def test_a_document_whose_extraction_overruns_the_limits_is_kept_read_and_waits(workspace):
    import dataclasses

    vendor = create_vendor(workspace, "Slow AI", staff("procurement"))
    long_text = FAQ + b" " + b"Our support team answers tickets on weekdays. " * 20_000  # about a second to extract
    ingest_file(workspace, vendor.id, "faq.txt", long_text, staff("procurement"))
    with workspace.transaction() as session:
        stored = session.exec(select(ExtractionRecord)).one()
        stored.engine_version = "rules-0+old"
        session.add(stored)
    workspace.limits = dataclasses.replace(workspace.limits, timeout_seconds=0.2)
    assert refresh_extractions(workspace, vendor.id, staff("procurement")) == 0
    answers = vendor_answers(workspace, vendor.id)
    assert answers.stale == 1 and answers.merged.answers["breach_notification_hours"].value == 24  # the old one stays


def test_the_engine_version_fits_the_column_that_stores_it():
    """PostgreSQL refuses a longer value where SQLite would keep it silently."""
    limit = ExtractionRecord.model_fields["engine_version"].metadata
    max_length = next(item.max_length for item in limit if hasattr(item, "max_length"))
    assert 0 < len(engine_version()) <= max_length
