"""Scorecards recorded for sign-off, with the profile version and the answer snapshot they were computed from."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from store.audit import record_event
from store.models import ScorecardRecord
from store.workspace import Workspace


def save_scorecard(
    workspace: Workspace, vendor_id: int, scorecard: dict[str, Any], answers: dict[str, Any], actor: str
) -> ScorecardRecord:
    """Keep a scorecard (its JSON) with the answers it was computed from, in one transaction with its audit
    event, or nothing (principle 6)."""
    with workspace.transaction() as session:
        record = ScorecardRecord(
            vendor_id=vendor_id,
            profile_id=scorecard["profile"]["id"],
            profile_version=scorecard["profile"]["version"],
            tier=scorecard["tier"],
            score=round(scorecard["score"], 1),
            decision=scorecard["decision"],
            answers_hash=scorecard["answers_hash"],
            scorecard=scorecard,
            answers=answers,
            recorded_by=actor,
        )
        session.add(record)
        session.flush()
        record_event(
            session,
            actor,
            "scorecard.recorded",
            "vendor",
            vendor_id,
            after={
                "scorecard_id": record.id,
                "profile": f"{record.profile_id} {record.profile_version}",
                "tier": record.tier,
                "score": record.score,
                "decision": record.decision,
                "answers_hash": record.answers_hash,
            },
        )
    return record


def recorded_scorecards(workspace: Workspace, vendor_id: int) -> list[ScorecardRecord]:
    with workspace.transaction() as session:
        return list(
            session.exec(
                select(ScorecardRecord)
                .where(ScorecardRecord.vendor_id == vendor_id)
                .order_by(col(ScorecardRecord.id).desc())
            )
        )


NO_SUCH_SCORECARD = "That scorecard does not exist. Record the scorecard first, then sign it off."


def scorecard_record(workspace: Workspace, scorecard_id: int) -> ScorecardRecord:
    return workspace.get(ScorecardRecord, scorecard_id, NO_SUCH_SCORECARD)
