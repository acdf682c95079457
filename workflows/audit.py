"""The audit trail as people read it: who, when (UTC), which vendor, what, and each changed field as
before → after; filtered, and exported as CSV a spreadsheet shows but never runs."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from aivet.access import Actor
from aivet.cells import safe_cell
from store.audit import event_facets, logged_events
from store.models import as_utc
from store.workspace import Workspace


@dataclass(frozen=True)
class AuditLine:
    when: datetime  # UTC
    who: str
    action: str
    vendor: str
    subject: str
    change: str  # "field: before → after" per changed field, one per line


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def readable_change(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    """Each field that an event records, as `field: before → after` (a field only after reads `field: value`)."""
    before, after = before or {}, after or {}
    lines = []
    for field in list(before) + [name for name in after if name not in before]:
        if field in before and field in after:
            if before[field] != after[field]:
                lines.append(f"{field}: {_shown(before[field])} → {_shown(after[field])}")
        elif field in before:
            lines.append(f"{field}: {_shown(before[field])}")
        else:
            lines.append(f"{field}: {_shown(after[field])}")
    return "\n".join(lines)


def audit_trail(
    workspace: Workspace,
    actor: Actor,
    vendor_id: int | None = None,
    user: str | None = None,
    action: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> list[AuditLine]:
    """The filtered log, newest first; `since` and `until` are whole UTC days, both included."""
    actor.require("audit.read")
    start = datetime.combine(since, time.min, UTC) if since else None
    end = datetime.combine(until + timedelta(days=1), time.min, UTC) if until else None
    return [
        AuditLine(
            as_utc(item.event.at),
            item.event.actor,
            item.event.action,
            item.vendor,
            item.subject,
            readable_change(item.event.before, item.event.after),
        )
        for item in logged_events(workspace, vendor_id, user, action, start, end)
    ]


def audit_filters(workspace: Workspace, actor: Actor) -> tuple[list[str], list[str]]:
    actor.require("audit.read")
    return event_facets(workspace)


def audit_csv(lines: list[AuditLine]) -> bytes:
    """The lines as CSV (UTF-8 with BOM, for spreadsheets); a cell that would start a formula is quoted."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["when (UTC)", "who", "action", "vendor", "what", "change"])
    for line in lines:
        row = [line.when.strftime("%Y-%m-%d %H:%M:%S"), line.who, line.action, line.vendor, line.subject, line.change]
        writer.writerow([safe_cell(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
