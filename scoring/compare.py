"""Lining up vendors' scorecards on one profile, the differences that decide first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .scorecard import Scorecard

MIN_VENDORS, MAX_VENDORS = 2, 5


@dataclass(frozen=True)
class CriterionRow:
    id: str
    name: str
    weight: float
    scores: tuple[float | None, ...]  # one per vendor, in the order given
    spread: float  # weighted gap between the best and the worst vendor: how much this criterion decides

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "weight": round(self.weight, 2),
            "scores": [None if value is None else round(value, 1) for value in self.scores],
            "spread": round(self.spread, 2),
        }


@dataclass(frozen=True)
class Comparison:
    vendors: tuple[str, ...]
    scorecards: tuple[Scorecard, ...]
    rows: tuple[CriterionRow, ...]  # criteria, the deciding differences first

    @property
    def knockouts(self) -> tuple[str, ...]:
        """Each vendor's knock-outs as one cell ("K3 title; K4 title", or "none"): a knock-out decides before any
        score does, so every door shows the row, by id and by what it means."""
        return tuple(
            "; ".join(f"{hit.id} {hit.title}" + (" (pending review)" if hit.pending else "") for hit in card.knockouts)
            or "none"
            for card in self.scorecards
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "profile": {"id": self.scorecards[0].profile_id, "version": self.scorecards[0].profile_version},
            "vendors": [
                {
                    "name": name,
                    "score": round(card.score, 1),
                    "decision": card.decision,
                    "knockouts": [hit.id for hit in card.knockouts],
                    "answers_hash": card.answers_hash,
                    "missing": card.missing_by_criterion(),
                    "expired": list(card.expired),
                }
                for name, card in zip(self.vendors, self.scorecards)
            ],
            "criteria": [row.to_json() for row in self.rows],
        }


def compare(named: list[tuple[str, Scorecard]]) -> Comparison:
    """2–5 vendors' scorecards on the same profile and tier, criterion by criterion."""
    if not MIN_VENDORS <= len(named) <= MAX_VENDORS:
        raise ValueError(f"Compare {MIN_VENDORS} to {MAX_VENDORS} vendors; {len(named)} were given.")
    cards = [card for _, card in named]
    if len({(card.profile_id, card.profile_version, card.tier) for card in cards}) > 1:
        raise ValueError(
            "The scorecards use different profiles or tiers; score all vendors with the same profile and intake."
        )
    rows = []
    for index, criterion in enumerate(cards[0].criteria):
        scores = tuple(card.criteria[index].score for card in cards)
        weight = max(card.criteria[index].weight for card in cards)
        present = [value for value in scores if value is not None]
        spread = (max(present) - min(present)) * weight / 100 if present else 0.0
        rows.append(CriterionRow(criterion.id, criterion.name, weight, scores, spread))
    rows.sort(key=lambda row: -row.spread)
    return Comparison(tuple(name for name, _ in named), tuple(cards), tuple(rows))
