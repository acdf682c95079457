"""The tables: vendors, their documents (with status and reason), page texts, extractions, the audit log."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored moment is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Vendor(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True, index=True)
    created_at: datetime = Field(default_factory=utc_now)
    created_by: str = Field(max_length=200)
    # Our intake for this use of the vendor (Intake.to_json), asked when the vendor is created; None: tier T2 assumed.
    intake: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    owner: str = Field(default="", max_length=200)  # the user who answers for this vendor's review
    next_review_on: date | None = None


class UserAccount(SQLModel, table=True):
    """A person who signs in: a local account has an argon2 hash; an OIDC account is matched by e-mail."""

    __tablename__ = "app_user"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=200, unique=True, index=True)
    display_name: str = Field(default="", max_length=200)
    email: str | None = Field(default=None, max_length=320, unique=True)
    role: str = Field(max_length=16)
    password_hash: str | None = Field(default=None, max_length=200)
    disabled: bool = False
    created_at: datetime = Field(default_factory=utc_now)
    created_by: str = Field(max_length=200)


class ReviewDecision(SQLModel, table=True):
    """A reviewer's decision on one queue item of a vendor (an answer, a flag or a knock-out).

    Append-only: the newest decision per item counts. `contested` fingerprints what the reviewer saw, so an
    acceptance lapses when new evidence changes the answer; an override stands until a reviewer changes it."""

    __tablename__ = "review_decision"

    id: int | None = Field(default=None, primary_key=True)
    vendor_id: int = Field(foreign_key="vendor.id", index=True)
    item: str = Field(max_length=200)  # answer:<key> · flag:<code>:<fingerprint> · knockout:<id>
    action: str = Field(max_length=16)  # accept · override · ask
    value: Any = Field(default=None, sa_column=Column(JSON))
    reason: str = Field(default="", sa_column=Column(Text, nullable=False))
    contested: str = Field(default="", max_length=64)
    decided_at: datetime = Field(default_factory=utc_now)
    decided_by: str = Field(max_length=200)


class SignOff(SQLModel, table=True):
    """Security's decision on one recorded scorecard, by a named approver; a signed scorecard never changes."""

    __tablename__ = "sign_off"
    __table_args__ = (UniqueConstraint("scorecard_id", name="uq_sign_off_scorecard"),)

    id: int | None = Field(default=None, primary_key=True)
    scorecard_id: int = Field(foreign_key="scorecard.id")
    vendor_id: int = Field(foreign_key="vendor.id", index=True)
    decision: str = Field(max_length=32)  # approve · approve_with_conditions · reject
    conditions: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    risk_acceptance: str = Field(default="", sa_column=Column(Text, nullable=False))
    signed_at: datetime = Field(default_factory=utc_now)
    signed_by: str = Field(max_length=200)


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


class VendorStatus(SQLModel, table=True):
    """A vendor's triage row as last scored: recomputed by the workflows whenever its answers, reviews or
    intake change, so the list of a thousand vendors is one query, never a thousand scorings."""

    __tablename__ = "vendor_status"

    vendor_id: int = Field(foreign_key="vendor.id", primary_key=True)
    answers_hash: str = Field(max_length=64)
    profile: str = Field(max_length=100)
    tier: str = Field(max_length=2)
    score: float
    decision: str = Field(max_length=32)
    knockouts: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    pending_knockouts: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    open_reviews: int = 0
    missing: int = 0
    documents: int = 0
    computed_at: datetime = Field(default_factory=utc_now)
    # the answers whose certificate or report is older than the profile allows (migration 0009)
    expired: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]"))
