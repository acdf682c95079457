"""Legal's review queue and security's sign-off.

Every conflicting or uncertain answer, every clause flag and every knock-out of a vendor is a queue item with
its quote, why it is there and what it changes in the score. A reviewer accepts it, overrides the value (with a
reason) or asks the vendor; a decision is bound to what the reviewer saw, so a reviewer working on an item that
changed meanwhile is told to look again, and nobody overwrites another's decision unseen."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from aivet.access import Actor
from extraction import Answer, Evidence, Flag, Status, answer_key, fingerprint
from scoring import Decision, Scorecard, answers_hash
from store.models import ReviewDecision, ScorecardRecord, SignOff
from store.reviews import save_decision, save_sign_off
from store.scorecards import scorecard_record
from store.vendors import InvalidInput
from store.workspace import Workspace
from workflows.answers import ANSWER_ITEM, VendorAnswers, vendor_answers
from workflows.status import refresh_status, scored_now

ACTIONS = ("accept", "override", "ask")
CROSS_DOCUMENT = "cross_document_conflict"  # its answer is the queue item; the flag would say it twice


@dataclass(frozen=True)
class QueueItem:
    item: str  # answer:<key> · flag:<code>:<fingerprint> · knockout:<id>
    kind: str  # answer · flag · knockout
    title: str
    why: str
    effect: str  # what it changes in the score
    evidence: tuple[Evidence, ...]
    seen: str  # fingerprint of the item as shown: a decision must name it
    key: str | None = None  # the answer an override corrects (an answer, or the one a knock-out rests on)
    value: Any = None  # that answer's current value
    decision: ReviewDecision | None = None  # the standing decision, when it still holds
    answer_seen: str = ""  # fingerprint of that answer as extracted: an override or question is bound to it

    @property
    def open(self) -> bool:
        return self.decision is None


@dataclass(frozen=True)
class ReviewQueue:
    vendor_id: int
    card: Scorecard
    items: list[QueueItem]

    @property
    def open(self) -> list[QueueItem]:
        return [item for item in self.items if item.open]


def _holds(decision: ReviewDecision | None, seen: str) -> ReviewDecision | None:
    """An override stands until changed; an acceptance or a question lapses when the item changes."""
    if decision is None:
        return None
    return decision if decision.action == "override" or decision.contested == seen else None


def _answer_effect(card: Scorecard, key: str, answer: Answer) -> str:
    scored = next((item for criterion in card.criteria for item in criterion.keys if item.key == key), None)
    parts = [f"{scored.points:g} of {scored.max:g} points now ({scored.reason})"] if scored else []
    quotes = set(answer.evidence)
    parts += [
        f"knock-out {hit.id} ({hit.title}) waits on it"
        for hit in card.knockouts
        if hit.pending and quotes.intersection(hit.evidence)
    ]
    return "; ".join(parts) or "not scored by this profile"


def build_queue(vendor_id: int, answers: VendorAnswers, card: Scorecard) -> ReviewQueue:
    items = []
    for key, answer in answers.merged.answers.items():
        extracted = answers.extracted.get(key, answer)
        item, seen = f"{ANSWER_ITEM}{key}", fingerprint(extracted)
        decision = _holds(answers.decisions.get(item), seen)
        if extracted.status not in (Status.CONFLICT, Status.NEEDS_REVIEW) and decision is None:
            continue
        why = extracted.note or f"The answer is marked {extracted.status.replace('_', ' ')}."
        title = f"{key.replace('_', ' ')} — {extracted.status.replace('_', ' ')}"
        effect = _answer_effect(card, key, answer)
        items.append(
            QueueItem(
                item,
                "answer",
                title,
                why,
                effect,
                extracted.evidence,
                seen,
                key,
                answer.value,
                decision,
                seen,
            )
        )
    for flag in answers.merged.flags:
        if flag.code == CROSS_DOCUMENT:
            continue
        seen = fingerprint(flag)
        item = f"flag:{flag.code}:{seen[:16]}"
        effect = "a clause to check; it changes no points, but sign-off should name it as a condition"
        items.append(
            QueueItem(
                item,
                "flag",
                f"{flag.code} ({flag.severity})",
                flag.message,
                effect,
                flag.evidence,
                seen,
                decision=_holds(answers.decisions.get(item), seen),
            )
        )
    for hit in card.knockouts:
        if hit.pending:
            continue
        item, seen = f"knockout:{hit.id}", _knockout_seen(hit)
        rests_on = answers.merged.answers.get(hit.key) if hit.key else None
        blocks = (
            "rejects the vendor" if hit.type == "statutory" else "blocks approval without a written risk acceptance"
        )
        items.append(
            QueueItem(
                item,
                "knockout",
                f"Knock-out {hit.id} — {hit.title}",
                hit.message,
                f"It {blocks}."
                + (f" A reviewer may correct the {hit.key.replace('_', ' ')} it rests on." if rests_on else ""),
                hit.evidence,
                seen,
                hit.key if rests_on else None,
                rests_on.value if rests_on else None,
                _holds(answers.decisions.get(item), seen),
                fingerprint(answers.extracted[hit.key]) if rests_on else "",
            )
        )
    return ReviewQueue(vendor_id, card, items)


def _knockout_seen(hit) -> str:
    return fingerprint(Flag(hit.id, hit.type, None, hit.message, hit.evidence))


def review_queue(workspace: Workspace, vendor_id: int) -> ReviewQueue:
    """The vendor's queue, open items first in the order the answers, flags and knock-outs come."""
    answers, card = scored_now(workspace, vendor_id)
    return build_queue(vendor_id, answers, card)


def parse_override(key: str, text: str) -> Any:
    """A reviewer's new value, typed as JSON or as a bare word or number, checked against the answer key."""
    text = (text or "").strip()
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        value = text
    if problem := answer_key(key).problem(value):
        raise InvalidInput(f"The new value for {key.replace('_', ' ')} is not valid: {problem}. Correct it.")
    return value


def decide(
    workspace: Workspace,
    actor: Actor,
    vendor_id: int,
    item: str,
    action: str,
    seen: str,
    reason: str = "",
    value_text: str = "",
) -> ReviewQueue:
    """Record a reviewer's decision on one queue item and rescore the vendor at once."""
    actor.require("answer.review")
    queue = review_queue(workspace, vendor_id)
    current = next((entry for entry in queue.items if entry.item == item), None)
    if current is None or current.seen != seen:
        raise InvalidInput("This item changed since you opened it (new evidence or another reviewer). Look again.")
    if action not in ACTIONS:
        raise InvalidInput(f"'{action}' is not a review action; use one of {', '.join(ACTIONS)}.")
    reason = " ".join((reason or "").split())
    value = None
    if action == "override":
        if current.key is None:
            raise InvalidInput("Only an answer can be overridden; accept this item, or ask the vendor.")
        if not reason:
            raise InvalidInput("An override needs a reason: say why the value read from the documents is wrong.")
        value = parse_override(current.key, value_text)
    if action == "ask" and not reason:
        raise InvalidInput("Write the question to ask the vendor; it joins the next gap questionnaire.")
    before = {"title": current.title, "value": current.value, "why": current.why}
    if action in ("override", "ask") and current.key is not None:  # decided on the answer, wherever it is shown
        item, seen = f"{ANSWER_ITEM}{current.key}", current.answer_seen
    save_decision(workspace, vendor_id, item, action, value, reason, seen, actor.name, before)
    return build_queue(vendor_id, *refresh_status(workspace, vendor_id))


SIGN_OFF_DECISIONS = (Decision.APPROVE, Decision.APPROVE_WITH_CONDITIONS, Decision.REJECT)


@dataclass(frozen=True)
class Condition:
    """A condition of an approval: what must happen, who sees to it, by when."""

    text: str
    owner: str
    due: date

    def to_json(self) -> dict[str, str]:
        return {"text": self.text, "owner": self.owner, "due": self.due.isoformat()}


def sign_off(
    workspace: Workspace,
    actor: Actor,
    scorecard_id: int,
    decision: str,
    conditions: list[Condition] = (),
    risk_acceptance: str = "",
) -> SignOff:
    """Security's decision on a recorded scorecard, by a named approver. A policy knock-out needs a written risk
    acceptance to approve; a statutory one cannot be approved; the signed scorecard is locked."""
    actor.require("scorecard.sign_off")
    if decision not in SIGN_OFF_DECISIONS:
        raise InvalidInput(f"'{decision}' is not a sign-off decision; use one of {', '.join(SIGN_OFF_DECISIONS)}.")
    record = _recorded(workspace, scorecard_id)
    knockouts = record.scorecard.get("knockouts", [])
    risk_acceptance = (risk_acceptance or "").strip()
    conditions = [condition for condition in conditions if condition.text.strip()]
    if decision != Decision.REJECT:
        if any(hit["type"] == "statutory" and not hit.get("pending") for hit in knockouts):
            raise InvalidInput("A statutory knock-out cannot be approved. Reject, or record a fixed contract first.")
        if any(hit.get("pending") for hit in knockouts) or record.scorecard.get("reviews"):
            raise InvalidInput("Answers of this scorecard wait for legal review. Settle the queue, then record again.")
        if knockouts and not risk_acceptance:
            raise InvalidInput("A policy knock-out stands: write the risk acceptance that lets you approve anyway.")
        if record.decision == Decision.REJECT and not risk_acceptance:
            raise InvalidInput(
                "The scorecard's own decision is reject: write the risk acceptance that lets you approve anyway."
            )
    if decision == Decision.APPROVE_WITH_CONDITIONS and not conditions:
        raise InvalidInput("Approving with conditions needs at least one condition, with its owner and date.")
    for condition in conditions:
        if not condition.owner.strip():
            raise InvalidInput(f"The condition '{condition.text}' has no owner. Name who sees to it.")
    return save_sign_off(
        workspace,
        scorecard_id,
        decision,
        [condition.to_json() for condition in conditions],
        risk_acceptance,
        actor.name,
    )


def _recorded(workspace: Workspace, scorecard_id: int) -> ScorecardRecord:
    """The recorded scorecard, refused when the vendor's answers changed since it was recorded."""
    record = scorecard_record(workspace, scorecard_id)
    if answers_hash(vendor_answers(workspace, record.vendor_id).merged.answers) != record.answers_hash:
        raise InvalidInput(
            "New evidence arrived after this scorecard was recorded. Record the current scorecard, then sign it."
        )
    return record
