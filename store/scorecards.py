"""A vendor's scorecard, from its stored, merged answers: the app's door onto scoring."""

from __future__ import annotations

from sqlmodel import col, select

from scoring import Intake, Scorecard, load_profile, score
from scoring.compare import Comparison, compare
from store.audit import record_event
from store.extractions import vendor_answers
from store.models import ScorecardRecord
from store.vendors import list_vendors
from store.workspace import Workspace


def vendor_scorecard(workspace: Workspace, vendor_id: int, intake: Intake, profile_id: str, actor: str) -> Scorecard:
    """Score the vendor's merged answers (extracting documents added since the last look first)."""
    return score(vendor_answers(workspace, vendor_id, actor).merged.answers, intake, load_profile(profile_id))


def record_scorecard(workspace: Workspace, vendor_id: int, intake: Intake, profile_id: str, actor: str) -> ScorecardRecord:
    """Keep a scorecard for sign-off with the exact answers it was computed from (principle 6), written in
    one transaction: the scorecard, its answer snapshot and the audit event, or nothing."""
    answers = vendor_answers(workspace, vendor_id, actor).merged.answers
    card = score(answers, intake, load_profile(profile_id))
    with workspace.transaction() as session:
        record = ScorecardRecord(
            vendor_id=vendor_id, profile_id=card.profile_id, profile_version=card.profile_version, tier=card.tier,
            score=round(card.score, 1), decision=card.decision, answers_hash=card.answers_hash, scorecard=card.to_json(),
            answers={key: answer.to_json(with_file=True) for key, answer in answers.items()}, recorded_by=actor,
        )
        session.add(record)
        session.flush()
        record_event(session, actor, "scorecard.recorded", "vendor", vendor_id, after={
            "scorecard_id": record.id, "profile": f"{card.profile_id} {card.profile_version}", "tier": card.tier,
            "score": record.score, "decision": card.decision, "answers_hash": card.answers_hash})
    return record


def recorded_scorecards(workspace: Workspace, vendor_id: int) -> list[ScorecardRecord]:
    with workspace.transaction() as session:
        return list(session.exec(select(ScorecardRecord).where(ScorecardRecord.vendor_id == vendor_id)
                                 .order_by(col(ScorecardRecord.id).desc())))


def compare_vendors(workspace: Workspace, vendor_ids: list[int], intake: Intake, profile_id: str, actor: str) -> Comparison:
    """2–5 vendors scored with the same intake and profile, lined up."""
    names = {vendor.id: vendor.name for vendor in list_vendors(workspace)}
    return compare([(names[vendor_id], vendor_scorecard(workspace, vendor_id, intake, profile_id, actor))
                    for vendor_id in vendor_ids])
