"""The audit log: who did what, when, with the state before and after. Append-only: nothing here edits or
deletes an event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, literal
from sqlmodel import Session, col, select

from store.models import AuditEvent, DocumentRecord, QuestionnaireRecord, Vendor
from store.workspace import Workspace


def record_event(
    session: Session,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Add an event to the caller's transaction, so the change and its record commit together."""
    session.add(AuditEvent(actor=actor, action=action, entity=entity, entity_id=entity_id, before=before, after=after))


def recent_events(workspace: Workspace, limit: int = 200) -> list[AuditEvent]:
    with workspace.transaction() as session:
        return list(session.exec(select(AuditEvent).order_by(col(AuditEvent.id).desc()).limit(limit)))


@dataclass(frozen=True)
class LoggedEvent:
    event: AuditEvent
    vendor_id: int | None  # the vendor the event concerns, through its document or questionnaire if need be
    vendor: str
    subject: str  # what was acted on, in words: "document dpa.pdf", "questionnaire 3", "vendor"


def logged_events(
    workspace: Workspace,
    vendor_id: int | None = None,
    actor: str | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 5000,
) -> list[LoggedEvent]:
    """Events newest first, each with its vendor and subject resolved, filtered in the query."""
    vendor_of = case(
        (col(AuditEvent.entity) == "vendor", col(AuditEvent.entity_id)),
        (col(AuditEvent.entity) == "document", col(DocumentRecord.vendor_id)),
        (col(AuditEvent.entity) == "questionnaire", col(QuestionnaireRecord.vendor_id)),
        else_=literal(None),
    ).label("vendor_of")
    query = (
        select(AuditEvent, vendor_of, DocumentRecord.filename)
        .outerjoin(
            DocumentRecord,
            (col(AuditEvent.entity) == "document") & (col(DocumentRecord.id) == col(AuditEvent.entity_id)),
        )
        .outerjoin(
            QuestionnaireRecord,
            (col(AuditEvent.entity) == "questionnaire") & (col(QuestionnaireRecord.id) == col(AuditEvent.entity_id)),
        )
        .order_by(col(AuditEvent.id).desc())
        .limit(limit)
    )
    if vendor_id is not None:
        query = query.where(vendor_of == vendor_id)
    if actor:
        query = query.where(col(AuditEvent.actor) == actor)
    if action:
        query = query.where(col(AuditEvent.action) == action)
    if since is not None:
        query = query.where(col(AuditEvent.at) >= since)
    if until is not None:
        query = query.where(col(AuditEvent.at) < until)
    with workspace.transaction() as session:
        rows = session.exec(query).all()
        names = dict(session.exec(select(Vendor.id, Vendor.name)).all())
    logged = []
    for event, vendor, filename in rows:
        subject = {"document": f"document {filename}", "vendor": "vendor"}.get(event.entity, event.entity)
        if event.entity in ("questionnaire", "user") and event.entity_id is not None:
            subject = f"{event.entity} {event.entity_id}"
        logged.append(LoggedEvent(event, vendor, names.get(vendor, ""), subject))
    return logged


def event_facets(workspace: Workspace) -> tuple[list[str], list[str]]:
    """The users and actions that occur in the log, for the audit page's filters."""
    with workspace.transaction() as session:
        actors = session.exec(select(AuditEvent.actor).distinct().order_by(AuditEvent.actor)).all()
        actions = session.exec(select(AuditEvent.action).distinct().order_by(AuditEvent.action)).all()
    return list(actors), list(actions)
