"""What scoring produces: a scorecard whose every point keeps the evidence that earned it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from extraction import Evidence


class Decision:
    APPROVE = "approve"
    APPROVE_WITH_CONDITIONS = "approve_with_conditions"
    ESCALATE = "escalate"
    REJECT = "reject"


@dataclass(frozen=True)
class KeyScore:
    key: str
    raw: float  # 0..scale, after caps
    points: float  # raw × the key's weight
    max: float  # scale × the key's weight
    status: str  # scored · missing · conflict · needs_review
    reason: str  # why these points, in words a reviewer can check
    evidence: tuple[Evidence, ...] = ()
    question: str | None = None  # the bank question that asks for it

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "question": self.question,
            "points": round(self.points, 2),
            "max": round(self.max, 2),
            "raw": self.raw,
            "status": self.status,
            "reason": self.reason,
            "evidence": [item.to_json(with_file=True) for item in self.evidence],
        }


@dataclass(frozen=True)
class CriterionScore:
    id: str
    name: str
    weight: float  # after multipliers, renormalised to 100 over the criteria that apply
    score: float | None  # 0..100; None when the criterion has nothing to score
    keys: tuple[KeyScore, ...]
    floor: float | None = None  # the least score the decision band asks of it for approval

    @property
    def applies(self) -> bool:
        return self.score is not None

    @property
    def missing(self) -> tuple[KeyScore, ...]:
        return tuple(key for key in self.keys if key.status == "missing")

    @property
    def expired(self) -> tuple[KeyScore, ...]:
        return tuple(key for key in self.keys if key.status == "expired")

    def explanation(self) -> str:
        """The criterion's part in the decision, in one sentence: score against its floor, what is answered, what is
        missing or expired."""
        if self.score is None:
            return f"{self.id} {self.name}: nothing to score for this intake."
        answered = len(self.keys) - len(self.missing)
        parts = [f"{self.id} {self.name}: {self.score:.0f}/100 at weight {self.weight:.1f}"]
        if self.floor is not None:
            parts.append(
                f"meets its floor of {self.floor:g}"
                if self.score >= self.floor
                else f"below its floor of {self.floor:g}"
            )
        parts.append(f"{answered} of {len(self.keys)} items answered")
        if self.expired:
            parts.append(f"{len(self.expired)} expired ({', '.join(key.key for key in self.expired)})")
        if self.missing:
            parts.append(f"{len(self.missing)} to ask for")
        weakest = [key for key in self.keys if key.status != "missing" and key.raw <= 1]
        if weakest:
            parts.append("weakest: " + ", ".join(f"{key.key} ({key.reason})" for key in weakest[:2]))
        return "; ".join(parts) + "."

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "weight": round(self.weight, 2),
            "score": None if self.score is None else round(self.score, 1),
            "applies": self.applies,
            "floor": self.floor,
            "explanation": self.explanation(),
            "keys": [key.to_json() for key in self.keys],
        }


@dataclass(frozen=True)
class KnockoutHit:
    id: str
    title: str
    type: str
    basis: str
    message: str
    evidence: tuple[Evidence, ...] = ()
    pending: bool = False  # its answer is contested or awaits review: not final until a reviewer decides
    key: str | None = None  # the answer it rests on (None: our intake), which a reviewer may correct

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "type": self.type,
            "basis": self.basis,
            "message": self.message,
            "evidence": [item.to_json(with_file=True) for item in self.evidence],
            "pending": self.pending,
            "key": self.key,
        }


@dataclass(frozen=True)
class Scorecard:
    profile_id: str
    profile_version: str
    tier: str
    intake: dict[str, Any]
    score: float
    decision: str
    knockouts: tuple[KnockoutHit, ...]
    criteria: tuple[CriterionScore, ...]
    missing: tuple[dict[str, Any], ...]  # {key, ask, criterion, question}: the questions to send the vendor
    reviews: tuple[dict[str, str], ...]  # {key, reason}: answers a person must look at before sign-off
    answers_hash: str
    notes: tuple[str, ...] = ()
    as_of: str | None = None  # the day the age of evidence was judged on (ISO date)
    expired: tuple[dict[str, str], ...] = ()  # {key, criterion, reason}: reports or certificates too old

    def missing_by_criterion(self) -> dict[str, list[dict[str, Any]]]:
        """The questions to ask, per criterion id, in the profile's order."""
        grouped: dict[str, list[dict[str, Any]]] = {criterion.id: [] for criterion in self.criteria}
        for item in self.missing:
            grouped.setdefault(item.get("criterion", ""), []).append(item)
        return grouped

    def to_json(self) -> dict[str, Any]:
        return {
            "profile": {"id": self.profile_id, "version": self.profile_version},
            "tier": self.tier,
            "intake": self.intake,
            "score": round(self.score, 1),
            "decision": self.decision,
            "knockouts": [hit.to_json() for hit in self.knockouts],
            "criteria": [criterion.to_json() for criterion in self.criteria],
            "missing": list(self.missing),
            "reviews": list(self.reviews),
            "answers_hash": self.answers_hash,
            "notes": list(self.notes),
            "as_of": self.as_of,
            "expired": list(self.expired),
        }
