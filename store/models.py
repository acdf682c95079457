"""The tables: vendors, their documents (with status and reason), page texts, extractions, the audit log."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utc_now() -> datetime:
    return datetime.now(UTC)


class Vendor(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True, index=True)
    created_at: datetime = Field(default_factory=utc_now)
    created_by: str = Field(max_length=200)


class DocumentStatus:
    """`stored`: bytes kept, not read yet; `read`: pages available; `rejected`: reason says why."""

    STORED = "stored"
    READ = "read"
    REJECTED = "rejected"


class DocumentRecord(SQLModel, table=True):
    __tablename__ = "document"
    __table_args__ = (UniqueConstraint("vendor_id", "sha256", name="uq_document_vendor_sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    vendor_id: int = Field(foreign_key="vendor.id", index=True)
    sha256: str = Field(max_length=64, index=True)
    filename: str = Field(max_length=255)
    size_bytes: int
    file_stored: bool = True
    status: str = Field(default=DocumentStatus.STORED, max_length=16)
    kind: str | None = Field(default=None, max_length=16)
    reason: str | None = Field(default=None, max_length=32)
    message: str | None = Field(default=None, sa_column=Column(Text))
    page_count: int = 0
    char_count: int = 0
    warnings: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # What a form file holds beside its pages (FormData.to_json), so a returned form is read again without its bytes.
    form: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    uploaded_at: datetime = Field(default_factory=utc_now)
    uploaded_by: str = Field(max_length=200)
    read_at: datetime | None = None


class DocumentPage(SQLModel, table=True):
    __tablename__ = "document_page"
    __table_args__ = (UniqueConstraint("document_id", "number", name="uq_document_page_number"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    number: int
    label: str = Field(default="", max_length=255)
    hidden: bool = False
    text: str = Field(sa_column=Column(Text, nullable=False))
    # [start, end) spans of `text` a reader of the file cannot see (Document.hidden_spans, page-relative).
    hidden_spans: list[list[int]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # The page's blocks (Block.to_json, page-relative): the structure the reader found.
    blocks: list[list] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utc_now, index=True)
    actor: str = Field(max_length=200)
    action: str = Field(max_length=64, index=True)
    entity: str = Field(max_length=32)
    entity_id: int | None = None
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))


class ExtractionRecord(SQLModel, table=True):
    """The current extraction of one read document, and which engine made it (stale ones are redone)."""

    __tablename__ = "extraction"
    __table_args__ = (UniqueConstraint("document_id", name="uq_extraction_document"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id")
    engine_version: str = Field(default="", max_length=64)
    result: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    extracted_at: datetime = Field(default_factory=utc_now)
    extracted_by: str = Field(default="", max_length=200)


class ScorecardRecord(SQLModel, table=True):
    """A scorecard as recorded for sign-off: the profile version and the answers it was computed from."""

    __tablename__ = "scorecard"

    id: int | None = Field(default=None, primary_key=True)
    vendor_id: int = Field(foreign_key="vendor.id", index=True)
    profile_id: str = Field(max_length=64)
    profile_version: str = Field(max_length=32)
    tier: str = Field(max_length=2)
    score: float
    decision: str = Field(max_length=32)
    answers_hash: str = Field(max_length=64)
    scorecard: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    answers: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    recorded_at: datetime = Field(default_factory=utc_now)
    recorded_by: str = Field(max_length=200)


class QuestionnaireStatus:
    """Where an issued questionnaire stands; `overdue` is worked out from the due date, never stored."""

    SENT = "sent"
    OPENED = "opened"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    OVERDUE = "overdue"


class QuestionnaireRecord(SQLModel, table=True):
    """A questionnaire issued to a vendor (PDF, spreadsheet or link), the questions it asks and its answers.

    A link's token is never stored, only its sha256; answers are locked once submitted."""

    __tablename__ = "questionnaire"

    id: int | None = Field(default=None, primary_key=True)
    vendor_id: int = Field(foreign_key="vendor.id", index=True)
    bank_id: str = Field(max_length=64)
    bank_version: str = Field(max_length=32)
    channel: str = Field(max_length=8)  # pdf · xlsx · link
    question_ids: list[str] = Field(sa_column=Column(JSON, nullable=False))
    gaps: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    due_date: date
    status: str = Field(default=QuestionnaireStatus.SENT, max_length=16)
    token_sha256: str | None = Field(default=None, max_length=64, unique=True)
    link_expires_at: datetime | None = None
    revoked_at: datetime | None = None
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    issued_at: datetime = Field(default_factory=utc_now)
    issued_by: str = Field(max_length=200)
    opened_at: datetime | None = None
    submitted_at: datetime | None = None
