"""The team's workflows: who may do what, signing in, the review queue, sign-off, triage and the audit trail,
on real SQLite and PostgreSQL."""

from datetime import date, timedelta

import pytest
import yaml
from sqlmodel import select

from aivet.access import ACTIONS, Actor, Forbidden, Role
from aivet.settings import REPO_ROOT
from extraction import Method, Status
from store.models import UserAccount
from tests.conftest import staff
from workflows import (
    InvalidInput,
    add_account,
    audit_csv,
    audit_trail,
    create_vendor,
    decide,
    get_vendor,
    ingest_file,
    issue_to_vendor,
    open_questions,
    record_scorecard,
    refresh_extractions,
    reread_document,
    review_queue,
    revoke_link,
    save_answers,
    sign_in,
    sign_off,
    triage,
    update_vendor,
    vendor_answers,
    vendor_scorecard,
)
from workflows.audit import readable_change
from workflows.llm import llm_settings, llm_usage
from workflows.reviews import Condition

PROCUREMENT, LEGAL, SECURITY, ADMIN = (
    staff(role, Role(role)) for role in ("procurement", "legal", "security", "admin")
)
VENDOR_LINK = Actor("vendor link #1", Role.VENDOR)
ROLES = {role: Actor(f"{role}-user", role) for role in Role}
FAQ_24 = b"# Security FAQ\n\nPersonal data breaches are notified to customers within 24 hours.\n"
DPA_72 = b"# Data Processing Agreement\n\nWe will notify Customer of a Personal Data Breach within 72 hours.\n"
TERMS_48 = b"# Terms\n\nPersonal data breaches are notified to customers within 48 hours.\n"
TRAINS = b"# AI terms\n\nWe use Customer Content to train and improve our models.\n"
BREACH = "answer:breach_notification_hours"
QUESTIONNAIRE_BANK = ("ai-vendor-due-diligence", "1.1.0")


def conflicted_vendor(workspace, name="Acme AI"):
    """A vendor whose two documents disagree on breach notice (24 h against 72 h)."""
    vendor = create_vendor(workspace, name, PROCUREMENT)
    ingest_file(workspace, vendor.id, "faq.md", FAQ_24, PROCUREMENT)
    ingest_file(workspace, vendor.id, "dpa.md", DPA_72, PROCUREMENT)
    return vendor


def breach_item(workspace, vendor_id):
    return next(item for item in review_queue(workspace, vendor_id).items if item.item == BREACH)


# --- who may do what -------------------------------------------------------------------------------------------


def test_the_access_file_gives_each_decision_to_its_own_team():
    rules = yaml.safe_load((REPO_ROOT / "aivet" / "access.yaml").read_text())["actions"]
    assert rules["answer.review"] == ["legal"]
    assert rules["scorecard.sign_off"] == ["security"]
    assert rules["user.manage"] == ["admin"]
    assert all("vendor" not in roles for action, roles in rules.items() if action != "document.upload")


def test_every_action_is_checked_in_its_workflow_for_every_role(workspace):
    """The whole role × action matrix: each workflow refuses exactly the roles access.yaml leaves out, before it
    writes anything, and lets the others through."""
    vendor = conflicted_vendor(workspace)
    document = vendor_answers(workspace, vendor.id).documents[0][0]
    counter = iter(range(1000))

    def fresh_link():
        return issue_to_vendor(workspace, vendor.id, "link", date.today() + timedelta(days=9), None, ADMIN)

    def recorded():
        return record_scorecard(workspace, vendor.id, vendor_scorecard(workspace, vendor.id), PROCUREMENT)

    calls = {
        "vendor.read": lambda actor: triage(workspace, actor),
        "vendor.create": lambda actor: create_vendor(workspace, f"Vendor {next(counter)}", actor),
        "vendor.update": lambda actor: update_vendor(workspace, vendor.id, actor, owner=actor.name),
        "document.upload": lambda actor: ingest_file(
            workspace, vendor.id, f"n{next(counter)}.md", f"# Note {next(counter)}\n".encode(), actor
        ),
        "document.reread": lambda actor: reread_document(workspace, document.id, actor),
        "extraction.refresh": lambda actor: refresh_extractions(workspace, vendor.id, actor),
        "questionnaire.issue": lambda actor: issue_to_vendor(
            workspace, vendor.id, "link", date.today() + timedelta(days=9), None, actor
        ),
        "questionnaire.revoke": lambda actor: revoke_link(workspace, fresh_link().issued.record.id, actor),
        "answer.review": lambda actor: decide(
            workspace, actor, vendor.id, BREACH, "ask", breach_item(workspace, vendor.id).seen, "Which applies?"
        ),
        "scorecard.record": lambda actor: record_scorecard(
            workspace, vendor.id, vendor_scorecard(workspace, vendor.id), actor
        ),
        "scorecard.sign_off": lambda actor: sign_off(workspace, actor, recorded().id, "reject"),
        "audit.read": lambda actor: audit_trail(workspace, actor),
        "user.manage": lambda actor: add_account(
            workspace, actor, f"user{next(counter)}", "legal", "a long enough password"
        ),
        "llm.settings": lambda actor: llm_settings(workspace, actor),
        "llm.usage": lambda actor: llm_usage(workspace, actor),
    }
    assert set(calls) == set(ACTIONS), "every action of access.yaml is walked"
    rules = yaml.safe_load((REPO_ROOT / "aivet" / "access.yaml").read_text())["actions"]
    for action, call in calls.items():
        for role, actor in ROLES.items():
            if role in rules[action]:
                call(actor)
            else:
                with pytest.raises(Forbidden, match=f"may not {action.split('.')[0]}"):
                    call(actor)


def test_a_refused_write_leaves_nothing_behind(workspace):
    with pytest.raises(Forbidden, match="ask someone with the procurement or admin role"):
        create_vendor(workspace, "Sneaky AI", LEGAL)
    assert triage(workspace, LEGAL) == []
    assert not [line for line in audit_trail(workspace, ADMIN) if line.action == "vendor.created"]


# --- signing in ---------------------------------------------------------------------------------------------------


def test_a_local_account_signs_in_with_its_password_and_nothing_else(workspace):
    add_account(workspace, ADMIN, "Ana.Legal", "legal", "correct horse battery", "Ana")
    assert sign_in(workspace, "ana.legal", "correct horse battery") == Actor("ana.legal", Role.LEGAL)
    for username, password in [("ana.legal", "wrong horse battery"), ("nobody", "correct horse battery")]:
        with pytest.raises(Forbidden, match="The user name or password is wrong"):
            sign_in(workspace, username, password)
    with workspace.transaction() as session:
        stored = session.exec(select(UserAccount)).one().password_hash
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    actions = [line.action for line in audit_trail(workspace, ADMIN)]
    assert actions.count("user.sign_in_refused") == 2 and "user.signed_in" in actions


@pytest.mark.parametrize(
    "username, role, password, problem",
    [
        ("x", "legal", "a long enough password", "cannot be a user name"),
        ("ana", "legal", "short", "too short"),
        ("ana", "vendor", "a long enough password", "is not a role"),
        ("ana", "legal", None, "password, or the e-mail"),
    ],
)
def test_an_account_that_cannot_work_is_refused_with_what_to_do(workspace, username, role, password, problem):
    with pytest.raises(InvalidInput, match=problem):
        add_account(workspace, ADMIN, username, role, password)


# --- legal's review queue -----------------------------------------------------------------------------------------


def test_documents_that_disagree_land_in_the_queue_with_quotes_and_what_they_change(workspace):
    vendor = conflicted_vendor(workspace)
    item = breach_item(workspace, vendor.id)
    assert item.open and item.kind == "answer"
    assert "disagree" in item.why and "72" in item.why
    assert {quote.file for quote in item.evidence} == {"faq.md", "dpa.md"}
    assert "points now" in item.effect
    assert triage(workspace, PROCUREMENT)[0].next_step.startswith("Send to legal")


def test_an_override_needs_a_reason_and_a_valid_value_then_outranks_extraction_and_rescores(workspace):
    vendor = conflicted_vendor(workspace)
    before = vendor_scorecard(workspace, vendor.id).card
    seen = breach_item(workspace, vendor.id).seen
    with pytest.raises(InvalidInput, match="needs a reason"):
        decide(workspace, LEGAL, vendor.id, BREACH, "override", seen, "", "24")
    with pytest.raises(InvalidInput, match="not valid"):
        decide(workspace, LEGAL, vendor.id, BREACH, "override", seen, "The DPA governs", "soon")
    reason = "The security addendum takes precedence over the DPA: 24 hours."
    queue = decide(workspace, LEGAL, vendor.id, BREACH, "override", seen, reason, "24")
    answer = vendor_answers(workspace, vendor.id).merged.answers["breach_notification_hours"]
    assert (answer.value, answer.status, answer.method) == (24, Status.ANSWERED, Method.REVIEWER)
    assert "legal" in answer.note and "takes precedence" in answer.note
    assert {quote.file for quote in answer.evidence} == {"faq.md", "dpa.md"}  # what the documents say stays shown
    after = vendor_scorecard(workspace, vendor.id).card
    assert not [item for item in after.reviews if item["key"] == "breach_notification_hours"]
    assert before.reviews != after.reviews and not next(i for i in queue.items if i.item == BREACH).open
    event = next(line for line in audit_trail(workspace, ADMIN) if line.action == "review.override")
    assert event.who == "legal" and event.vendor == "Acme AI" and "value: 72 → 24" in event.change


def test_a_decision_on_an_item_that_changed_since_it_was_shown_is_refused(workspace):
    vendor = conflicted_vendor(workspace)
    seen = breach_item(workspace, vendor.id).seen
    ingest_file(workspace, vendor.id, "terms.md", TERMS_48, LEGAL)
    with pytest.raises(InvalidInput, match="changed since you opened it"):
        decide(workspace, LEGAL, vendor.id, BREACH, "accept", seen)


def test_an_acceptance_lapses_when_new_evidence_changes_the_answer(workspace):
    vendor = conflicted_vendor(workspace)
    decide(workspace, LEGAL, vendor.id, BREACH, "accept", breach_item(workspace, vendor.id).seen)
    accepted = vendor_answers(workspace, vendor.id).merged.answers["breach_notification_hours"]
    assert accepted.status == Status.ANSWERED and accepted.note.startswith("Accepted by legal")
    assert not breach_item(workspace, vendor.id).open
    ingest_file(workspace, vendor.id, "terms.md", TERMS_48, LEGAL)
    assert breach_item(workspace, vendor.id).open
    assert vendor_answers(workspace, vendor.id).merged.answers["breach_notification_hours"].status == Status.CONFLICT


def test_a_question_for_the_vendor_joins_the_gap_questionnaire(workspace):
    from questionnaires.bank import load_bank

    vendor = conflicted_vendor(workspace)
    question = "Your FAQ says 24 hours and your DPA 72 hours: which applies to us?"
    decide(workspace, LEGAL, vendor.id, BREACH, "ask", breach_item(workspace, vendor.id).seen, question)
    gaps = open_questions(workspace, vendor.id, load_bank().questions)
    assert gaps["INC-01"] == f"Our reviewer asks: {question}"


def test_a_questionnaire_answer_that_contradicts_a_document_is_reviewed_not_outvoted(workspace):
    """The vendor answers 'never' in its questionnaire, its terms say it trains: the knock-out waits for legal
    instead of being final, and a reviewer's override settles it."""
    vendor = create_vendor(workspace, "Trainy AI", PROCUREMENT)
    ingest_file(workspace, vendor.id, "terms.md", TRAINS, PROCUREMENT)
    assert [hit.id for hit in vendor_scorecard(workspace, vendor.id).card.knockouts if not hit.pending] == ["K3"]
    issued = issue_to_vendor(workspace, vendor.id, "link", date.today() + timedelta(days=9), None, PROCUREMENT)
    save_answers(workspace, issued.issued.token, {"TRN-01": {"value": "never"}}, submit=True)
    card = vendor_scorecard(workspace, vendor.id).card
    k3 = next(hit for hit in card.knockouts if hit.id == "K3")
    assert k3.pending and card.decision == "escalate"
    assert any("rests on an answer in review" in note for note in card.notes)
    item = next(item for item in review_queue(workspace, vendor.id).items if item.item == "answer:training_use")
    assert "knock-out K3" in item.effect
    assert triage(workspace, PROCUREMENT)[0].row.status.pending_knockouts == ["K3"]
    decide(workspace, LEGAL, vendor.id, item.item, "override", item.seen, "Confirmed in writing.", '{"label": "never"}')
    assert "K3" not in [hit.id for hit in vendor_scorecard(workspace, vendor.id).card.knockouts]


# --- security's sign-off -------------------------------------------------------------------------------------------


def test_a_policy_knockout_is_approved_only_with_a_written_risk_acceptance_and_a_signed_card_is_locked(workspace):
    vendor = create_vendor(workspace, "Trainy AI", PROCUREMENT)
    ingest_file(workspace, vendor.id, "terms.md", TRAINS, PROCUREMENT)
    record = record_scorecard(workspace, vendor.id, vendor_scorecard(workspace, vendor.id), PROCUREMENT)
    with pytest.raises(InvalidInput, match="write the risk acceptance"):
        sign_off(workspace, SECURITY, record.id, "approve")
    with pytest.raises(InvalidInput, match="at least one condition"):
        sign_off(workspace, SECURITY, record.id, "approve_with_conditions", [], "We accept it.")
    nobody = Condition("Contract addendum excluding training", " ", date(2027, 3, 1))
    with pytest.raises(InvalidInput, match="has no owner"):
        sign_off(workspace, SECURITY, record.id, "approve_with_conditions", [nobody], "We accept it.")
    condition = Condition("Contract addendum excluding training", "legal", date(2027, 3, 1))
    signed = sign_off(
        workspace, SECURITY, record.id, "approve_with_conditions", [condition], "Risk accepted by the CISO."
    )
    assert signed.signed_by == "security" and signed.conditions == [condition.to_json()]
    with pytest.raises(InvalidInput, match="already signed off and is locked"):
        sign_off(workspace, SECURITY, record.id, "reject")
    assert triage(workspace, PROCUREMENT, date(2027, 3, 1))[0].next_step == "Signed off (approve with conditions)"
    assert triage(workspace, PROCUREMENT, date(2027, 3, 2))[0].next_step == (
        "Condition overdue since 2027-03-01: Contract addendum excluding training (legal)"
    )
    ingest_file(workspace, vendor.id, "dpa.md", DPA_72, PROCUREMENT)
    assert triage(workspace, PROCUREMENT)[0].next_step.startswith("New evidence since sign-off")
    event = next(line for line in audit_trail(workspace, ADMIN) if line.action == "scorecard.signed_off")
    assert event.who == "security" and "Risk accepted by the CISO." in event.change


def test_approving_a_scorecard_whose_own_decision_is_reject_needs_a_risk_acceptance(workspace):
    vendor = create_vendor(workspace, "Thin AI", PROCUREMENT)
    ingest_file(workspace, vendor.id, "faq.md", FAQ_24, PROCUREMENT)
    record = record_scorecard(workspace, vendor.id, vendor_scorecard(workspace, vendor.id), PROCUREMENT)
    assert record.decision == "reject"
    with pytest.raises(InvalidInput, match="own decision is reject"):
        sign_off(workspace, SECURITY, record.id, "approve")
    assert (
        sign_off(workspace, SECURITY, record.id, "approve", [], "Pilot only, no customer data.").decision == "approve"
    )


def test_a_scorecard_recorded_before_new_evidence_cannot_be_signed(workspace):
    vendor = conflicted_vendor(workspace)
    record = record_scorecard(workspace, vendor.id, vendor_scorecard(workspace, vendor.id), PROCUREMENT)
    ingest_file(workspace, vendor.id, "terms.md", b"# Terms\n\nData is deleted after 30 days.\n", PROCUREMENT)
    with pytest.raises(InvalidInput, match="New evidence arrived after this scorecard was recorded"):
        sign_off(workspace, SECURITY, record.id, "reject")


# --- procurement's triage ------------------------------------------------------------------------------------------


def test_triage_says_what_to_do_next_for_each_vendor(workspace):
    empty = create_vendor(workspace, "Empty AI", PROCUREMENT, owner="pia", next_review_on=date(2027, 6, 1))
    conflicted_vendor(workspace, "Conflicted AI")
    chased = create_vendor(workspace, "Chased AI", PROCUREMENT)
    ingest_file(workspace, chased.id, "dpa.md", DPA_72, PROCUREMENT)
    issue_to_vendor(workspace, chased.id, "link", date.today() + timedelta(days=5), None, PROCUREMENT)
    rows = {item.row.vendor.name: item for item in triage(workspace, PROCUREMENT, date.today() + timedelta(days=6))}
    assert rows["Empty AI"].next_step.startswith("Ask for the DPA")
    assert rows["Empty AI"].row.vendor.owner == "pia" and rows["Empty AI"].row.vendor.next_review_on == date(2027, 6, 1)
    assert rows["Conflicted AI"].next_step.startswith("Send to legal")
    assert rows["Chased AI"].questionnaire == "overdue" and rows["Chased AI"].next_step == "Chase the questionnaire"
    assert rows["Chased AI"].row.status.documents == 1 and rows["Chased AI"].row.status.tier == "T2"
    assert get_vendor(workspace, empty.id).intake is None


def test_an_intake_given_later_rescores_the_triage_row(workspace):
    from scoring import Intake

    vendor = conflicted_vendor(workspace)
    critical = Intake.from_mapping({"critical_function": "yes"})
    update_vendor(workspace, vendor.id, PROCUREMENT, intake=critical)
    assert triage(workspace, PROCUREMENT)[0].row.status.tier == "T1"
    change = next(line for line in audit_trail(workspace, ADMIN) if line.action == "vendor.updated").change
    assert "tier: T2 (assumed) → T1" in change


# --- the audit trail -----------------------------------------------------------------------------------------------


def test_the_audit_trail_filters_by_vendor_user_action_and_day(workspace):
    first = conflicted_vendor(workspace, "First AI")
    create_vendor(workspace, "Second AI", staff("pia"))
    by_vendor = audit_trail(workspace, ADMIN, vendor_id=first.id)
    assert by_vendor and {line.vendor for line in by_vendor} == {"First AI"}
    assert {"document.stored", "document.read", "document.extracted"} <= {line.action for line in by_vendor}
    assert [line.vendor for line in audit_trail(workspace, ADMIN, user="pia")] == ["Second AI"]
    assert {line.action for line in audit_trail(workspace, ADMIN, action="vendor.created")} == {"vendor.created"}
    today = date.today()
    assert len(audit_trail(workspace, ADMIN, since=today, until=today)) == len(audit_trail(workspace, ADMIN))
    assert audit_trail(workspace, ADMIN, until=today - timedelta(days=1)) == []


def test_the_audit_csv_shows_changes_as_fields_and_never_runs_vendor_text(workspace):
    create_vendor(workspace, '=HYPERLINK("http://evil")', PROCUREMENT)
    data = audit_csv(audit_trail(workspace, ADMIN)).decode("utf-8-sig")
    assert data.splitlines()[0] == "when (UTC),who,action,vendor,what,change"
    assert "'=HYPERLINK" in data and ",=HYPERLINK" not in data and '"=HYPERLINK' not in data


def test_a_change_reads_as_before_and_after_per_field():
    assert readable_change({"owner": "pia", "tier": "T2"}, {"owner": "ola", "tier": "T2", "note": None}) == (
        "owner: pia → ola\nnote: —"
    )
    assert readable_change(None, {"conditions": [{"text": "x"}]}) == 'conditions: [{"text": "x"}]'


def test_a_knockout_can_be_lifted_by_correcting_the_answer_it_rests_on(workspace):
    vendor = create_vendor(workspace, "Trainy AI", PROCUREMENT)
    ingest_file(workspace, vendor.id, "terms.md", TRAINS, PROCUREMENT)
    item = next(item for item in review_queue(workspace, vendor.id).items if item.item == "knockout:K3")
    assert item.key == "training_use" and item.value["label"] == "yes" and "may correct" in item.effect
    with pytest.raises(InvalidInput, match="needs a reason"):
        decide(workspace, LEGAL, vendor.id, item.item, "override", item.seen, "", '{"label": "never"}')
    queue = decide(
        workspace,
        LEGAL,
        vendor.id,
        item.item,
        "override",
        item.seen,
        "Addendum 3 excludes training.",
        '{"label": "never"}',
    )
    assert "knockout:K3" not in [entry.item for entry in queue.items]
    assert vendor_answers(workspace, vendor.id).merged.answers["training_use"].method == Method.REVIEWER
    assert triage(workspace, PROCUREMENT)[0].row.status.knockouts == []


def test_a_recorded_scorecard_replays_exactly_and_a_tampered_one_does_not(workspace):
    from sqlalchemy import update

    from store.models import ScorecardRecord
    from workflows import replay_scorecard

    vendor = conflicted_vendor(workspace)
    decide(workspace, LEGAL, vendor.id, BREACH, "override", breach_item(workspace, vendor.id).seen, "DPA rules.", "72")
    record = record_scorecard(workspace, vendor.id, vendor_scorecard(workspace, vendor.id), PROCUREMENT)
    assert replay_scorecard(workspace, record.id) is None
    tampered = record.answers | {
        "audit_rights": record.answers["audit_rights"] | {"value": "yes", "status": "answered"}
    }
    with workspace.transaction() as session:
        session.execute(update(ScorecardRecord).where(ScorecardRecord.id == record.id).values(answers=tampered))
    assert "does not recompute" in replay_scorecard(workspace, record.id)


def test_five_wrong_passwords_lock_the_account_for_a_while_even_for_the_right_one(workspace):
    add_account(workspace, ADMIN, "ana", "legal", "correct horse battery")
    for _ in range(5):
        with pytest.raises(Forbidden, match="password is wrong"):
            sign_in(workspace, "ana", "guess")
    with pytest.raises(Forbidden, match="Too many failed sign-ins"):
        sign_in(workspace, "ana", "correct horse battery")


def test_a_global_refresh_gives_a_triage_row_to_a_vendor_from_before_rows_existed(workspace):
    from store.vendors import create_vendor as store_create_vendor

    store_create_vendor(workspace, "Old AI", "an older aivet")  # no triage row, as before migration 0008
    assert triage(workspace, PROCUREMENT)[0].row.status is None
    refresh_extractions(workspace, None, ADMIN)
    assert triage(workspace, PROCUREMENT)[0].row.status.documents == 0
