"""Questionnaires issued to vendors, and the no-account link a vendor answers through.

A link token is random (256 bits), shown once, and stored only as its sha256; it expires, can be
revoked, opens only its own questionnaire, and every use of it is audited. Submitted answers are locked."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import col, select, update

from store.audit import record_event
from store.models import QuestionnaireRecord, QuestionnaireStatus, Vendor, as_utc, utc_now
from store.workspace import InvalidInput, Workspace

LINK_DAYS_AFTER_DUE = 30  # a link stays usable this long after the due date, then expires
REMIND_DAYS_BEFORE_DUE = 3
LOCKED = "These answers were submitted and are locked. Contact us to change them or to add files."


class LinkRefused(Exception):
    """The link cannot be used. Its message is the same whatever the cause, so it reveals nothing."""

    MESSAGE = "This questionnaire link is not valid any more. Ask your contact for a new link."

    def __init__(self) -> None:
        super().__init__(self.MESSAGE)


@dataclass(frozen=True)
class Issued:
    record: QuestionnaireRecord
    token: str | None  # for a link: shown to the issuer once, never stored


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_questionnaire(
    workspace: Workspace,
    vendor_id: int,
    bank_id: str,
    bank_version: str,
    question_ids: list[str],
    channel: str,
    due: date,
    actor: str,
    gaps: dict[str, str] | None = None,
) -> Issued:
    """Record a questionnaire sent as a PDF, a spreadsheet or a link (the link's token is returned once).

    `gaps` is given for a gap questionnaire: every question it asks, with the passage that left it open ("" when
    nothing was found); None for a full questionnaire."""
    if channel not in ("pdf", "xlsx", "link"):
        raise InvalidInput(f"'{channel}' is not a way to send a questionnaire; use pdf, xlsx or link.")
    if not question_ids:
        raise InvalidInput("There are no questions to ask. Every question is already answered.")
    token = secrets.token_urlsafe(32) if channel == "link" else None
    with workspace.transaction() as session:
        if session.get(Vendor, vendor_id) is None:
            raise InvalidInput("That vendor does not exist any more. Pick a vendor from the list.")
        record = QuestionnaireRecord(
            vendor_id=vendor_id,
            bank_id=bank_id,
            bank_version=bank_version,
            channel=channel,
            question_ids=list(question_ids),
            gaps=dict(gaps or {}),
            due_date=due,
            issued_by=actor,
            token_sha256=_digest(token) if token else None,
            link_expires_at=datetime.combine(
                due + timedelta(days=LINK_DAYS_AFTER_DUE), datetime.min.time(), tzinfo=utc_now().tzinfo
            )
            if token
            else None,
        )
        session.add(record)
        session.flush()
        record_event(
            session,
            actor,
            "questionnaire.issued",
            "questionnaire",
            record.id,
            after={
                "vendor_id": vendor_id,
                "channel": channel,
                "questions": len(question_ids),
                "gaps_only": gaps is not None,
                "due": due.isoformat(),
                "bank": f"{bank_id} {bank_version}",
            },
        )
    return Issued(record, token)


def _by_token(session, token: str) -> QuestionnaireRecord:
    record = session.exec(
        select(QuestionnaireRecord).where(QuestionnaireRecord.token_sha256 == _digest(token or ""))
    ).first()
    if record is None or record.revoked_at is not None or as_utc(record.link_expires_at) < utc_now():
        raise LinkRefused()
    return record


def current_link(workspace: Workspace, token: str) -> QuestionnaireRecord:
    """The questionnaire behind a link as it stands now; a revoked or expired link is refused at once."""
    with workspace.transaction() as session:
        return _by_token(session, token)


def open_link(
    workspace: Workspace, token: str, source: str = "unknown", audit_refusal: bool = True
) -> QuestionnaireRecord:
    """The questionnaire behind a link, for the vendor's page; the first opening is recorded, and so is a
    refusal unless the caller says this source has been refused too often to record each one."""
    try:
        with workspace.transaction() as session:
            record = _by_token(session, token)
    except LinkRefused:
        if audit_refusal:
            with workspace.transaction() as session:  # the refusal is audited too, in a transaction of its own
                record_event(
                    session,
                    "vendor link",
                    "questionnaire.link_refused",
                    "questionnaire",
                    None,
                    after={"token_sha256": _digest(token or "")[:12], "source": source},
                )
        raise
    with workspace.transaction() as session:
        record = session.get(QuestionnaireRecord, record.id)
        if record.status == QuestionnaireStatus.SENT:
            record.status, record.opened_at = QuestionnaireStatus.OPENED, utc_now()
            session.add(record)
        record_event(session, f"vendor link #{record.id}", "questionnaire.opened", "questionnaire", record.id)
        return record


def save_answers(
    workspace: Workspace, token: str, answers: dict[str, Any], submit: bool = False
) -> QuestionnaireRecord:
    """Keep the vendor's answers (all of them, replacing the draft) as a draft, or submit them, which locks them.

    The write is one conditional update on "not submitted yet", so a draft saved at the same moment as a submit
    can never overwrite the submitted answers: whichever comes second finds them locked. The answers are checked
    first, in the core (questionnaires.values.checked_link_answers, through workflows.save_answers)."""
    record = current_link(workspace, token)
    if record.submitted_at is not None:
        raise InvalidInput(LOCKED)
    status = QuestionnaireStatus.SUBMITTED if submit else QuestionnaireStatus.IN_PROGRESS
    with workspace.transaction() as session:
        changed = session.exec(
            update(QuestionnaireRecord)
            .where(col(QuestionnaireRecord.id) == record.id, col(QuestionnaireRecord.submitted_at).is_(None))
            .values(answers=dict(answers), status=status, submitted_at=utc_now() if submit else None)
        ).rowcount
        if changed != 1:
            raise InvalidInput(LOCKED)
        record_event(
            session,
            f"vendor link #{record.id}",
            "questionnaire.submitted" if submit else "questionnaire.draft_saved",
            "questionnaire",
            record.id,
            before={"status": record.status, "answered": len(record.answers)},
            after={"status": status, "answered": len(answers)},
        )
        saved = session.get(QuestionnaireRecord, record.id)
        session.refresh(saved)
    return saved


def record_returned_file(
    workspace: Workspace,
    vendor_id: int,
    channel: str,
    question_ids: list[str],
    answers: dict[str, Any],
    filename: str,
    actor: str,
) -> None:
    """A questionnaire file the vendor sent back counts as submitted with its answers. An issued PDF or
    spreadsheet carries no questionnaire id, so it answers the vendor's latest questionnaire sent that way that
    asks exactly its questions; a file that matches none (a vendor's own sheet) changes nothing."""
    with workspace.transaction() as session:
        issued = session.exec(
            select(QuestionnaireRecord)
            .where(QuestionnaireRecord.vendor_id == vendor_id, QuestionnaireRecord.channel == channel)
            .order_by(col(QuestionnaireRecord.id).desc())
        ).all()
        record = next((item for item in issued if sorted(item.question_ids) == sorted(question_ids)), None)
        if record is None:
            return
        before = {"status": record.status, "answered": len(record.answers)}
        record.answers, record.status, record.submitted_at = dict(answers), QuestionnaireStatus.SUBMITTED, utc_now()
        session.add(record)
        record_event(
            session,
            actor,
            "questionnaire.returned",
            "questionnaire",
            record.id,
            before=before,
            after={"status": record.status, "answered": len(answers), "file": filename},
        )


def link_open_for_files(workspace: Workspace, token: str) -> QuestionnaireRecord:
    """The questionnaire a vendor attaches a file through: a valid link whose answers are not locked yet."""
    with workspace.transaction() as session:
        record = _by_token(session, token)
    if record.submitted_at is not None:
        raise InvalidInput(LOCKED)
    return record


def revoke_link(workspace: Workspace, questionnaire_id: int, actor: str) -> None:
    with workspace.transaction() as session:
        record = session.get(QuestionnaireRecord, questionnaire_id)
        if record is None or record.token_sha256 is None:
            raise InvalidInput("That questionnaire has no link to revoke.")
        record.revoked_at = utc_now()
        session.add(record)
        record_event(session, actor, "questionnaire.link_revoked", "questionnaire", questionnaire_id)


@dataclass(frozen=True)
class Tracked:
    record: QuestionnaireRecord
    vendor: str
    status: str  # the stored status, or overdue
    reminder: str | None  # what procurement should do now, if anything


def tracking(workspace: Workspace, today: date | None = None) -> list[Tracked]:
    """Every issued questionnaire with its status and the reminders due, most urgent first."""
    today = today or utc_now().date()
    with workspace.transaction() as session:
        rows = session.exec(
            select(QuestionnaireRecord, Vendor)
            .join(Vendor, col(Vendor.id) == col(QuestionnaireRecord.vendor_id))
            .order_by(col(QuestionnaireRecord.due_date))
        ).all()
    tracked = []
    for record, vendor in rows:
        status, reminder = record.status, None
        if record.submitted_at is None:
            if record.due_date < today:
                status = QuestionnaireStatus.OVERDUE
                reminder = f"Overdue since {record.due_date.isoformat()}: chase {vendor.name}."
            elif (record.due_date - today).days <= REMIND_DAYS_BEFORE_DUE:
                reminder = f"Due {record.due_date.isoformat()}: send {vendor.name} a reminder."
        tracked.append(Tracked(record, vendor.name, status, reminder))
    return tracked
