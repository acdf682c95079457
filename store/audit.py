"""The audit log: who did what, when, with the state before and after."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from store.models import AuditEvent
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
