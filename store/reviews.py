"""Reviewer decisions and security sign-offs: appended, never edited, each with its audit event."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from store.audit import record_event
from store.models import ReviewDecision, ScorecardRecord, SignOff
from store.scorecards import NO_SUCH_SCORECARD
from store.workspace import InvalidInput, Workspace


def save_decision(
    workspace: Workspace,
    vendor_id: int,
    item: str,
    action: str,
    value: Any,
    reason: str,
    contested: str,
    actor: str,
    before: dict[str, Any],
) -> ReviewDecision:
    """One decision on a queue item; `before` is the item as the reviewer saw it, for the audit trail."""
    with workspace.transaction() as session:
        decision = ReviewDecision(
            vendor_id=vendor_id,
            item=item,
            action=action,
            value=value,
            reason=reason,
            contested=contested,
            decided_by=actor,
        )
        session.add(decision)
        session.flush()
        after = (
            {"action": action}
            | ({"value": value} if action == "override" else {})
            | ({"reason": reason} if reason else {})
        )
        record_event(session, actor, f"review.{action}", "vendor", vendor_id, {"item": item} | before, after)
    return decision


def standing_decisions(workspace: Workspace, vendor_id: int) -> dict[str, ReviewDecision]:
    """The newest decision on each item of the vendor's queue."""
    with workspace.transaction() as session:
        rows = session.exec(
            select(ReviewDecision).where(ReviewDecision.vendor_id == vendor_id).order_by(col(ReviewDecision.id))
        )
        return {row.item: row for row in rows}


def save_sign_off(
    workspace: Workspace,
    scorecard_id: int,
    decision: str,
    conditions: list[dict[str, Any]],
    risk_acceptance: str,
    actor: str,
) -> SignOff:
    """Sign one recorded scorecard; a scorecard is signed once, and never changes after."""
    with workspace.transaction() as session:
        card = session.get(ScorecardRecord, scorecard_id)
        if card is None:
            raise InvalidInput(NO_SUCH_SCORECARD)
        if session.exec(select(SignOff).where(SignOff.scorecard_id == scorecard_id)).first() is not None:
            raise InvalidInput(
                "This scorecard is already signed off and is locked. Record a new scorecard to decide again."
            )
        signed = SignOff(
            scorecard_id=scorecard_id,
            vendor_id=card.vendor_id,
            decision=decision,
            conditions=conditions,
            risk_acceptance=risk_acceptance,
            signed_by=actor,
        )
        session.add(signed)
        session.flush()
        record_event(
            session,
            actor,
            "scorecard.signed_off",
            "vendor",
            card.vendor_id,
            {"scorecard_id": scorecard_id, "computed decision": card.decision, "score": card.score},
            {"decision": decision, "conditions": conditions, "risk_acceptance": risk_acceptance},
        )
    return signed


def sign_offs(workspace: Workspace, vendor_id: int) -> list[SignOff]:
    with workspace.transaction() as session:
        return list(
            session.exec(select(SignOff).where(SignOff.vendor_id == vendor_id).order_by(col(SignOff.id).desc()))
        )
