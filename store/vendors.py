"""Vendors: created once by name with our intake and an owner, listed for everyone, with their triage rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from store.audit import record_event
from store.models import (
    DocumentRecord,
    QuestionnaireRecord,
    ReviewDecision,
    ScorecardRecord,
    SignOff,
    Vendor,
    VendorStatus,
    as_utc,
)
from store.workspace import InvalidInput, Workspace

MAX_NAME_LENGTH = 200


def create_vendor(
    workspace: Workspace,
    name: str,
    actor: str,
    intake: dict[str, Any] | None = None,
    owner: str = "",
    next_review_on: date | None = None,
) -> Vendor:
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput("The vendor name is empty. Type the vendor's company name.")
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidInput(f"The vendor name is {len(name)} characters long; shorten it to {MAX_NAME_LENGTH} or fewer.")
    try:
        with workspace.transaction() as session:
            clash = session.exec(select(Vendor).where(func.lower(Vendor.name) == name.lower())).first()
            if clash is not None:
                raise InvalidInput(f"A vendor named '{clash.name}' already exists. Pick it from the list instead.")
            vendor = Vendor(
                name=name, created_by=actor, intake=intake, owner=owner or actor, next_review_on=next_review_on
            )
            session.add(vendor)
            session.flush()
            record_event(session, actor, "vendor.created", "vendor", vendor.id, after=_described(vendor))
    except IntegrityError:
        raise InvalidInput(f"A vendor named '{name}' already exists. Pick it from the list instead.") from None
    return vendor


def list_vendors(workspace: Workspace) -> list[Vendor]:
    with workspace.transaction() as session:
        return list(session.exec(select(Vendor).order_by(func.lower(Vendor.name), col(Vendor.id))))


def find_vendor(workspace: Workspace, name: str) -> Vendor | None:
    with workspace.transaction() as session:
        return session.exec(select(Vendor).where(func.lower(Vendor.name) == " ".join(name.split()).lower())).first()


def _described(vendor: Vendor) -> dict[str, Any]:
    return {
        "name": vendor.name,
        "owner": vendor.owner,
        "tier": (vendor.intake or {}).get("tier", "T2 (assumed)"),
        "next review": vendor.next_review_on.isoformat() if vendor.next_review_on else None,
    }


NO_SUCH_VENDOR = "That vendor does not exist. Pick a vendor from the list."


def get_vendor(workspace: Workspace, vendor_id: int) -> Vendor:
    return workspace.get(Vendor, vendor_id, NO_SUCH_VENDOR)


def update_vendor(workspace: Workspace, vendor_id: int, actor: str, **changes: Any) -> Vendor:
    """Change a vendor's intake, owner or next review date; the audit event keeps before and after."""
    with workspace.transaction() as session:
        vendor = session.get(Vendor, vendor_id)
        if vendor is None:
            raise InvalidInput(NO_SUCH_VENDOR)
        before = _described(vendor)
        for name, value in changes.items():
            setattr(vendor, name, value)
        session.add(vendor)
        record_event(session, actor, "vendor.updated", "vendor", vendor_id, before, _described(vendor))
    return vendor


def vendors_to_rescore(workspace: Workspace, document_ids: list[int]) -> list[int]:
    """The vendors of these documents, and every vendor without a triage row yet (one made before rows were)."""
    with workspace.transaction() as session:
        touched = session.exec(
            select(DocumentRecord.vendor_id).where(col(DocumentRecord.id).in_(document_ids)).distinct()
        ).all()
        unscored = session.exec(select(Vendor.id).where(col(Vendor.id).not_in(select(VendorStatus.vendor_id)))).all()
    return sorted(set(touched) | set(unscored))


def save_status(workspace: Workspace, status: VendorStatus) -> None:
    """Replace a vendor's triage row (derived data: recomputed from its answers, so not audited)."""
    with workspace.transaction() as session:
        session.merge(status)


@dataclass(frozen=True)
class TriageRow:
    vendor: Vendor
    status: VendorStatus | None  # None: never scored (no documents yet)
    questionnaire: QuestionnaireRecord | None  # the newest one issued
    sign_off: SignOff | None  # the newest one
    signed_answers: str | None  # the answers hash of the scorecard it signed
    asked: int  # questions a reviewer asked the vendor
    last_activity: datetime


def triage_rows(workspace: Workspace) -> list[TriageRow]:
    """Every vendor with its triage row, newest questionnaire and sign-off: a handful of queries in all."""
    with workspace.transaction() as session:
        vendors = session.exec(select(Vendor).order_by(func.lower(Vendor.name), col(Vendor.id))).all()
        statuses = {row.vendor_id: row for row in session.exec(select(VendorStatus))}
        questionnaires = {
            row.vendor_id: row
            for row in session.exec(select(QuestionnaireRecord).order_by(col(QuestionnaireRecord.id)))
        }
        signed = {
            row.vendor_id: (row, answers)
            for row, answers in session.exec(
                select(SignOff, ScorecardRecord.answers_hash)
                .join(ScorecardRecord, col(ScorecardRecord.id) == col(SignOff.scorecard_id))
                .order_by(col(SignOff.id))
            )
        }
        latest_upload = dict(
            session.exec(
                select(DocumentRecord.vendor_id, func.max(DocumentRecord.uploaded_at)).group_by(
                    col(DocumentRecord.vendor_id)
                )
            ).all()
        )
        decisions = session.exec(select(ReviewDecision.vendor_id, ReviewDecision.item, ReviewDecision.action)).all()
    asked: dict[int, dict[str, str]] = {}
    for vendor_id, item, action in decisions:
        asked.setdefault(vendor_id, {})[item] = action
    rows = []
    for vendor in vendors:
        moments = [vendor.created_at, latest_upload.get(vendor.id)]
        moments += [row.computed_at for row in (statuses.get(vendor.id),) if row]
        sign_off, signed_answers = signed.get(vendor.id, (None, None))
        moments += [sign_off.signed_at] if sign_off else []
        rows.append(
            TriageRow(
                vendor,
                statuses.get(vendor.id),
                questionnaires.get(vendor.id),
                sign_off,
                signed_answers,
                sum(action == "ask" for action in asked.get(vendor.id, {}).values()),
                max(as_utc(moment) for moment in moments if moment is not None),
            )
        )
    return rows
