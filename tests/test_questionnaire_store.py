"""Issued questionnaires and the vendor link: tokens stored hashed, expiry, revocation, locking, tracking, audit."""

from datetime import date, timedelta

import pytest
from sqlmodel import select

from store.audit import recent_events
from store.documents import vendor_documents
from store.models import QuestionnaireRecord
from store.questionnaires import LinkRefused, issue_questionnaire, open_link, revoke_link, save_answers, tracking
from store.vendors import InvalidInput, create_vendor
from workflows import attach_file
from workflows import save_answers as save_link_answers

QUESTIONS = ["TRN-01", "RET-01", "INC-01"]


def link(workspace, due=None, vendor=None):
    vendor = vendor or create_vendor(workspace, "Lumora AI GmbH", "procurement")
    issued = issue_questionnaire(
        workspace,
        vendor.id,
        "ai-vendor-due-diligence",
        "1.0.0",
        QUESTIONS,
        "link",
        due or date.today() + timedelta(days=14),
        "procurement",
    )
    return vendor, issued


def test_a_link_token_is_random_shown_once_and_stored_only_hashed(workspace):
    _, issued = link(workspace)
    other = issue_questionnaire(
        workspace,
        issued.record.vendor_id,
        "b",
        "1",
        ["TRN-01"],
        "link",
        date.today() + timedelta(days=1),
        "procurement",
    )
    assert len(issued.token) >= 40 and issued.token != other.token
    with workspace.transaction() as session:
        stored = session.exec(select(QuestionnaireRecord)).all()
    assert all(issued.token not in str(record.model_dump()) for record in stored)
    assert open_link(workspace, issued.token).question_ids == QUESTIONS


def test_drafts_resume_and_submission_locks_the_answers(workspace):
    _, issued = link(workspace)
    assert open_link(workspace, issued.token).status == "opened"
    save_answers(workspace, issued.token, {"TRN-01": {"value": "never"}})
    resumed = open_link(workspace, issued.token)
    assert resumed.status == "in_progress" and resumed.answers == {"TRN-01": {"value": "never"}}
    save_answers(workspace, issued.token, {"TRN-01": {"value": "opt_in"}, "INC-01": {"value": "24 hours"}})
    assert "TRN-01" in open_link(workspace, issued.token).answers
    save_answers(workspace, issued.token, {"RET-01": {"value": "30 days"}})  # the vendor emptied TRN-01 and INC-01
    assert open_link(workspace, issued.token).answers == {"RET-01": {"value": "30 days"}}
    save_answers(workspace, issued.token, {"TRN-01": {"value": "never"}, "RET-01": {"value": "30 days"}}, submit=True)
    with pytest.raises(InvalidInput, match="submitted and are locked"):
        save_answers(workspace, issued.token, {"TRN-01": {"value": "yes"}})
    assert open_link(workspace, issued.token).answers["TRN-01"] == {"value": "never"}


def test_a_link_answers_only_its_own_questions_and_attaches_files_to_the_vendor(workspace):
    vendor, issued = link(workspace)
    with pytest.raises(InvalidInput, match="does not ask"):
        save_link_answers(workspace, issued.token, {"SEC-01": {"value": "yes"}})
    attach_file(workspace, issued.token, "soc2-bridge-letter.txt", b"We hold a SOC 2 Type II report.")
    [document] = vendor_documents(workspace, vendor.id)
    assert document.filename == "soc2-bridge-letter.txt" and document.uploaded_by == f"vendor link #{issued.record.id}"


@pytest.mark.parametrize("spoil", ["revoked", "expired", "unknown"])
def test_a_revoked_expired_or_unknown_link_is_refused_with_one_plain_message(workspace, spoil):
    _, issued = link(workspace, due=date.today() - timedelta(days=60) if spoil == "expired" else None)
    token = issued.token if spoil != "unknown" else issued.token[:-2] + "xx"
    if spoil == "revoked":
        revoke_link(workspace, issued.record.id, "procurement")
    with pytest.raises(LinkRefused) as refused:
        open_link(workspace, token)
    assert str(refused.value) == LinkRefused.MESSAGE
    with pytest.raises(LinkRefused):
        save_answers(workspace, token, {"TRN-01": {"value": "never"}})
    assert "questionnaire.link_refused" in [event.action for event in recent_events(workspace)]


def test_every_use_of_a_link_is_audited(workspace):
    _, issued = link(workspace)
    open_link(workspace, issued.token)
    save_answers(workspace, issued.token, {"TRN-01": {"value": "never"}}, submit=True)
    actions = [event.action for event in reversed(recent_events(workspace))]
    assert actions[-3:] == ["questionnaire.issued", "questionnaire.opened", "questionnaire.submitted"]


def test_tracking_marks_overdue_and_due_soon_questionnaires(workspace):
    vendor = create_vendor(workspace, "Quillstack Inc.", "procurement")
    today = date(2026, 12, 1)
    for due in (date(2026, 11, 20), date(2026, 12, 3), date(2027, 1, 15)):
        issue_questionnaire(workspace, vendor.id, "b", "1", ["TRN-01"], "xlsx", due, "procurement")
    rows = tracking(workspace, today)
    assert [row.status for row in rows] == ["overdue", "sent", "sent"]
    assert rows[0].reminder.startswith("Overdue since 2026-11-20") and rows[1].reminder.startswith("Due 2026-12-03")
    assert rows[2].reminder is None


def test_a_draft_racing_a_submit_never_changes_the_submitted_answers(workspace):
    import threading

    vendor, _ = link(workspace)
    submitted, drafted = {"TRN-01": {"value": "never"}}, {"TRN-01": {"value": "yes_without_opt_out"}}

    def send(token, start, refused, answers, submit):
        start.wait()
        try:
            save_answers(workspace, token, answers, submit=submit)
        except InvalidInput:
            refused.append(submit)

    for _ in range(100):
        _, issued = link(workspace, vendor=vendor)
        start, refused = threading.Barrier(2), []
        threads = [
            threading.Thread(target=send, args=(issued.token, start, refused, answers, submit))
            for answers, submit in ((submitted, True), (drafted, False))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with workspace.transaction() as session:
            record = session.get(QuestionnaireRecord, issued.record.id)
        assert record.submitted_at is not None and record.status == "submitted"
        assert record.answers == submitted  # a draft either came first and was replaced, or was refused
        assert refused in ([], [False])


@pytest.mark.parametrize(
    "answers, named",
    [
        ({"TRN-01": {"value": "x" * 20_001}}, "20,001 characters long; shorten it to 20,000"),
        ({"TRN-01": {"value": {"nested": "mapping"}}}, "The answer to TRN-01 must be text"),
        ({"TRN-01": "never"}, "The answer to TRN-01 must be text"),
        ({"TRN-01": {"value": "never", "extra": 1}}, "The answer to TRN-01 must be text"),
        (["TRN-01"], "must map question ids to answers"),
        ({"SEC-01": {"value": "yes"}}, "does not ask"),
    ],
)
def test_link_answers_are_checked_before_anything_is_kept(workspace, answers, named):
    _, issued = link(workspace)
    with pytest.raises(InvalidInput, match=named):
        save_link_answers(workspace, issued.token, answers)
    with workspace.transaction() as session:
        assert session.get(QuestionnaireRecord, issued.record.id).answers == {}
    saved = save_link_answers(workspace, issued.token, {"RET-01": {"value": ["30 days", "for logs"]}})
    assert saved.answers == {"RET-01": {"value": ["30 days", "for logs"]}}


def test_refused_links_are_audited_only_a_few_times_a_minute_per_source(workspace):
    from workflows import open_link as open_vendor_link
    from workflows.questionnaires import REFUSALS_AUDITED_PER_MINUTE

    for attempt in range(50):
        with pytest.raises(LinkRefused):
            open_vendor_link(workspace, f"guess-{attempt}", source=f"198.51.100.7-{workspace.engine.url.drivername}")
    with pytest.raises(LinkRefused):
        open_vendor_link(workspace, "another-source-guess", source="203.0.113.9")
    refused = [event for event in recent_events(workspace) if event.action == "questionnaire.link_refused"]
    assert len(refused) == REFUSALS_AUDITED_PER_MINUTE + 1
    assert {event.after["source"] for event in refused} == {
        f"198.51.100.7-{workspace.engine.url.drivername}",
        "203.0.113.9",
    }
