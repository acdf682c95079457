"""Scoring a vendor's stored answers, and recording the scorecard a person looked at for sign-off."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from aivet.access import Actor
from extraction import Answer
from scoring import DEFAULT_PROFILE, Intake, Scorecard, answers_hash, load_profile, score
from scoring.compare import Comparison, compare
from store.models import ScorecardRecord
from store.scorecards import save_scorecard, scorecard_record
from store.vendors import InvalidInput, list_vendors
from store.workspace import Workspace
from workflows.answers import vendor_answers
from workflows.status import scored_now


@dataclass(frozen=True)
class ScoredVendor:
    """A scorecard and the exact answers it was computed from."""

    card: Scorecard
    answers: dict[str, Answer]
    stale: int  # documents waiting to be extracted again: the card does not reflect them yet


def vendor_scorecard(
    workspace: Workspace, vendor_id: int, intake: Intake | None = None, profile_id: str = DEFAULT_PROFILE
) -> ScoredVendor:
    """Score the vendor's reviewed answers as stored, with its own intake unless another is given; nothing is
    extracted or written."""
    answers, card = scored_now(workspace, vendor_id, intake, profile_id)
    return ScoredVendor(card, answers.merged.answers, answers.stale)


def record_scorecard(workspace: Workspace, vendor_id: int, scored: ScoredVendor, actor: Actor) -> ScorecardRecord:
    """Keep the scorecard that was shown, with its answer snapshot; refused when the vendor's answers changed
    since, so nobody signs off a card computed from answers that are no longer the vendor's."""
    actor.require("scorecard.record")
    current = vendor_answers(workspace, vendor_id).merged.answers
    if answers_hash(current) != scored.card.answers_hash:
        raise InvalidInput(
            "The vendor's answers changed since this scorecard was shown. Look at the new scorecard, then record it."
        )
    return save_scorecard(
        workspace,
        vendor_id,
        scored.card.to_json(),
        {key: answer.to_json(with_file=True) for key, answer in scored.answers.items()},
        actor.name,
    )


def compare_vendors(workspace: Workspace, vendor_ids: list[int], intake: Intake, profile_id: str) -> Comparison:
    """2–5 vendors scored with the same intake and profile, lined up."""
    names = {vendor.id: vendor.name for vendor in list_vendors(workspace)}
    return compare(
        [
            (names[vendor_id], vendor_scorecard(workspace, vendor_id, intake, profile_id).card)
            for vendor_id in vendor_ids
        ]
    )


def replay_scorecard(workspace: Workspace, scorecard_id: int) -> str | None:
    """Recompute a recorded scorecard from what it recorded (answer snapshot, intake, profile version): None when
    the result is the recorded card exactly, else a sentence saying why it cannot be, for an auditor."""
    record = scorecard_record(workspace, scorecard_id)
    profile = load_profile(record.profile_id)
    if profile.version != record.profile_version:
        return (
            f"Scorecard {scorecard_id} was computed with profile {record.profile_id} {record.profile_version}; "
            f"this installation has {profile.version}, so it cannot be recomputed here."
        )
    answers = {key: Answer.from_json(key, data) for key, data in record.answers.items()}
    as_of = record.scorecard.get("as_of")
    card = score(answers, Intake.from_json(record.scorecard["intake"]), profile, as_of and date.fromisoformat(as_of))
    if card.to_json() != record.scorecard:
        return f"Scorecard {scorecard_id} does not recompute to what was recorded: its record was changed."
    return None
