"""Extraction's output and everybody's input: answers and flags that carry their proof."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .keys import ANSWER_KEYS, is_question_id


class Status(StrEnum):
    ANSWERED = "answered"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    NEEDS_REVIEW = "needs_review"


class Method(StrEnum):
    FORM = "form"
    RULE = "rule"
    LLM = "llm"
    REVIEWER = "reviewer"


class FlagCode(StrEnum):
    """The reader's own flags; clause flags use their CF-xx id as code."""

    PROMPT_INJECTION = "prompt_injection_suspected"
    HIDDEN_TEXT = "hidden_text"
    CROSS_DOCUMENT_CONFLICT = "cross_document_conflict"


def squash(text: str) -> str:
    """Whitespace-normalised text: how a quote is compared with the document."""
    return " ".join(text.split())


@dataclass(frozen=True)
class Evidence:
    """A passage of one document: `quote` is squash(text[start:end]) of the document with that sha256."""

    document_sha256: str
    page: int
    start: int
    end: int
    quote: str
    file: str = ""

    @classmethod
    def from_json(cls, data: dict[str, Any], document_sha256: str = "", file: str = "") -> Evidence:
        """`document_sha256` and `file` are the document's; a merged answer's items name their own file."""
        return cls(
            data.get("sha256", document_sha256),
            data["page"],
            data["start"],
            data["end"],
            data["quote"],
            data.get("file", file),
        )

    def to_json(self, with_file: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {"page": self.page, "start": self.start, "end": self.end, "quote": self.quote}
        if with_file:
            data["file"] = self.file
        return data


def _evidence_from_json(data: dict[str, Any], document_sha256: str, file: str) -> tuple[Evidence, ...]:
    return tuple(Evidence.from_json(item, document_sha256, file) for item in data["evidence"])


@dataclass(frozen=True)
class Answer:
    key: str
    value: Any
    status: Status
    confidence: float
    method: Method = Method.RULE
    evidence: tuple[Evidence, ...] = ()
    note: str = ""
    rule: str = ""  # which rule produced the answer ("subprocessors.table", "training.claims"), for reviewers

    @classmethod
    def not_found(cls, key: str) -> Answer:
        return cls(key, None, Status.NOT_FOUND, 0.0)

    @classmethod
    def from_json(cls, key: str, data: dict[str, Any], document_sha256: str = "", file: str = "") -> Answer:
        """The one reader of an answer's JSON: stored extractions, answer files and scorecard snapshots."""
        return cls(
            key,
            data["value"],
            Status(data["status"]),
            float(data["confidence"]),
            Method(data.get("method", Method.RULE)),
            _evidence_from_json(data, document_sha256, file),
            data.get("note", ""),
            data.get("rule", ""),
        )

    def to_json(self, with_file: bool = False) -> dict[str, Any]:
        data = {
            "value": self.value,
            "status": str(self.status),
            "confidence": round(self.confidence, 2),
            "method": str(self.method),
            "evidence": [item.to_json(with_file) for item in self.evidence],
        }
        if self.note:
            data["note"] = self.note
        if self.rule:
            data["rule"] = self.rule
        return data


@dataclass(frozen=True)
class Flag:
    code: str
    severity: str
    key: str | None
    message: str
    evidence: tuple[Evidence, ...] = ()

    @classmethod
    def from_json(cls, data: dict[str, Any], document_sha256: str, file: str) -> Flag:
        return cls(
            data["code"],
            data["severity"],
            data["key"],
            data["message"],
            _evidence_from_json(data, document_sha256, file),
        )

    def to_json(self, with_file: bool = False) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "key": self.key,
            "message": self.message,
            "evidence": [item.to_json(with_file) for item in self.evidence],
        }


def answer_order(answers: dict[str, Any]) -> list[str]:
    """The keys of an answer set in the contract's order: the registry's keys, then question ids as they came."""
    return [key for key in ANSWER_KEYS if key in answers] + [key for key in answers if is_question_id(key)]


@dataclass(frozen=True)
class DocumentExtraction:
    """Everything extracted from one document."""

    file: str
    sha256: str
    pages: int
    answers: dict[str, Answer]
    flags: tuple[Flag, ...] = ()
    seconds: float = field(default=0.0, compare=False)
    # A returned questionnaire: its answers by question id, its problems, and for a vendor's own sheet the matches.
    form: dict[str, Any] | None = field(default=None, compare=False)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DocumentExtraction:
        """The inverse of to_json, for extractions kept in the database."""
        sha256, file = data["sha256"], data["file"]
        # a key an older engine did not read is not_found until the document is extracted again
        stored = data["answers"]
        answers = {
            key: Answer.from_json(key, stored[key], sha256, file) if key in stored else Answer.not_found(key)
            for key in ANSWER_KEYS
        } | {key: Answer.from_json(key, stored[key], sha256, file) for key in stored if is_question_id(key)}
        flags = tuple(Flag.from_json(item, sha256, file) for item in data["flags"])
        return cls(file, sha256, data["pages"], answers, flags, form=data.get("form"))

    def to_json(self) -> dict[str, Any]:
        data = {
            "file": self.file,
            "sha256": self.sha256,
            "pages": self.pages,
            "answers": {key: self.answers[key].to_json() for key in answer_order(self.answers)},
            "flags": [flag.to_json() for flag in self.flags],
        }
        if self.form is not None:
            data["form"] = self.form
        return data
