"""Small builders shared by the extractors, so every answer is made the same way."""

from __future__ import annotations

from typing import Any

from .model import Answer, Evidence, Method, Status


def unique(evidence: list[Evidence]) -> tuple[Evidence, ...]:
    """Evidence in document order, each span once."""
    seen: dict[tuple[str, int, int], Evidence] = {}
    for item in evidence:
        seen.setdefault((item.document_sha256, item.start, item.end), item)
    return tuple(sorted(seen.values(), key=lambda item: (item.document_sha256, item.start)))


def answered(key: str, value: Any, evidence: list[Evidence], confidence: float, note: str = "", *, rule: str) -> Answer:
    return Answer(key, value, Status.ANSWERED, min(1.0, confidence), Method.RULE, unique(evidence), note, rule)


def conflicting(key: str, value: Any, evidence: list[Evidence], confidence: float, note: str, *, rule: str) -> Answer:
    """Two passages disagree: keep the primary value, lower the confidence, quote both."""
    return Answer(key, value, Status.CONFLICT, min(0.5, confidence), Method.RULE, unique(evidence), note, rule)
