"""Each vendor's triage row, kept current: rescored with its own intake whenever its answers, reviews or intake
change, so procurement's list of every vendor is read, never computed, when it opens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from aivet.access import Actor
from scoring import DEFAULT_PROFILE, Intake, Scorecard, load_profile, score
from store.models import QuestionnaireStatus, VendorStatus, utc_now
from store.vendors import TriageRow, get_vendor, save_status, triage_rows
from store.workspace import Workspace
from workflows.answers import VendorAnswers, vendor_answers


def scored_now(workspace: Workspace, vendor_id: int, intake: Intake | None = None, profile_id: str = DEFAULT_PROFILE):
    """The vendor's reviewed answers and their scorecard, with the vendor's own intake unless one is given; the age
    of certificates and reports is judged on today's (UTC) date."""
    answers = vendor_answers(workspace, vendor_id)
    intake = intake or Intake.from_json(get_vendor(workspace, vendor_id).intake)
    return answers, score(answers.merged.answers, intake, load_profile(profile_id), utc_now().date())


def refresh_status(workspace: Workspace, vendor_id: int) -> tuple[VendorAnswers, Scorecard]:
    """Rescore one vendor under the default profile and keep its triage row; returns what it scored."""
    answers, card = scored_now(workspace, vendor_id)
    save_status(
        workspace,
        VendorStatus(
            vendor_id=vendor_id,
            answers_hash=card.answers_hash,
            profile=f"{card.profile_id} {card.profile_version}",
            tier=card.tier,
            score=round(card.score, 1),
            decision=card.decision,
            knockouts=[hit.id for hit in card.knockouts if not hit.pending],
            pending_knockouts=[hit.id for hit in card.knockouts if hit.pending],
            open_reviews=len(card.reviews),
            missing=len(card.missing),
            documents=len(answers.documents),
            expired=[item["key"] for item in card.expired],
        ),
    )
    return answers, card


@dataclass(frozen=True)
class TriageItem:
    """One line of procurement's list: the row as stored and what to do next."""

    row: TriageRow
    questionnaire: str  # not issued · sent · opened · in progress · submitted · overdue
    next_step: str


def _questionnaire(row: TriageRow, today: date) -> str:
    record = row.questionnaire
    if record is None:
        return "not issued"
    if record.submitted_at is None and record.due_date < today:
        return QuestionnaireStatus.OVERDUE
    return record.status.replace("_", " ")


def _next_step(row: TriageRow, questionnaire: str, today: date) -> str:
    status = row.status
    if status is None or status.documents == 0:
        return "Ask for the DPA, the terms and the sub-processor list"
    if row.sign_off is not None:
        if row.signed_answers != status.answers_hash:
            return "New evidence since sign-off: record a new scorecard for security"
        overdue = [item for item in row.sign_off.conditions if date.fromisoformat(item["due"]) < today]
        if overdue:
            return f"Condition overdue since {overdue[0]['due']}: {overdue[0]['text']} ({overdue[0]['owner']})"
        return f"Signed off ({row.sign_off.decision.replace('_', ' ')})"
    if questionnaire == QuestionnaireStatus.OVERDUE:
        return "Chase the questionnaire"
    if status.open_reviews or status.pending_knockouts:
        return "Send to legal: answers wait in the review queue"
    if status.expired:  # a SOC 2 period or a certificate older than the profile allows
        return f"Ask for the current report ({', '.join(status.expired)} expired)"
    if status.missing and questionnaire == "not issued":
        return f"Issue the questionnaire ({status.missing} answers missing)"
    if status.missing and questionnaire != "submitted":
        return "Wait for the questionnaire"
    return "Ready for sign-off"


def triage(workspace: Workspace, actor: Actor, today: date | None = None) -> list[TriageItem]:
    """Every vendor with its status and next step, as procurement's morning list."""
    actor.require("vendor.read")
    today = today or utc_now().date()
    items = []
    for row in triage_rows(workspace):
        questionnaire = _questionnaire(row, today)
        items.append(TriageItem(row, questionnaire, _next_step(row, questionnaire, today)))
    return items
