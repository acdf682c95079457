"""Vendors as procurement keeps them: created with our intake and an owner, changed with an audit trail."""

from __future__ import annotations

from datetime import date

from aivet.access import Actor
from scoring import Intake
from store.models import Vendor
from store.vendors import create_vendor as store_create_vendor
from store.vendors import list_vendors
from store.vendors import update_vendor as store_update_vendor
from store.workspace import Workspace
from workflows.status import refresh_status


def create_vendor(
    workspace: Workspace,
    name: str,
    actor: Actor,
    intake: Intake | None = None,
    owner: str = "",
    next_review_on: date | None = None,
) -> Vendor:
    """A new vendor with the intake for our use of it (None: tier T2 assumed until one is given)."""
    actor.require("vendor.create")
    vendor = store_create_vendor(
        workspace, name, actor.name, intake and intake.to_json(), owner or actor.name, next_review_on
    )
    refresh_status(workspace, vendor.id)
    return vendor


def update_vendor(
    workspace: Workspace,
    vendor_id: int,
    actor: Actor,
    intake: Intake | None = None,
    owner: str | None = None,
    next_review_on: date | None = None,
) -> Vendor:
    """Change what is given; the vendor is rescored when its intake changes the tier."""
    actor.require("vendor.update")
    changes = {"intake": intake and intake.to_json(), "owner": owner, "next_review_on": next_review_on}
    vendor = store_update_vendor(
        workspace, vendor_id, actor.name, **{name: value for name, value in changes.items() if value is not None}
    )
    refresh_status(workspace, vendor_id)
    return vendor


def vendor_list(workspace: Workspace) -> list[dict]:
    """Every vendor as the command line lists it: id, name, tier (from our intake, or T2 assumed), owner, next
    review date, when and by whom it was created. Reading changes nothing."""
    return [
        {
            "id": vendor.id,
            "name": vendor.name,
            "tier": (vendor.intake or {}).get("tier", "T2"),
            "tier_assumed": vendor.intake is None,
            "owner": vendor.owner,
            "next_review_on": vendor.next_review_on.isoformat() if vendor.next_review_on else None,
            "created_at": vendor.created_at.isoformat(timespec="seconds"),
            "created_by": vendor.created_by,
        }
        for vendor in list_vendors(workspace)
    ]
