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

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
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

    @property
    def applies(self) -> bool:
        return self.score is not None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "weight": round(self.weight, 2),
            "score": None if self.score is None else round(self.score, 1),
            "applies": self.applies,
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
    missing: tuple[dict[str, str], ...]  # {key, ask}: the questions to send the vendor
    reviews: tuple[dict[str, str], ...]  # {key, reason}: answers a person must look at before sign-off
    answers_hash: str
    notes: tuple[str, ...] = ()

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
        }
