"""Vendors: created once by name, listed for everyone."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from store.audit import record_event
from store.models import Vendor
from store.workspace import Workspace

MAX_NAME_LENGTH = 200


class InvalidInput(ValueError):
    """Input a person can correct; the message says what is wrong and what to do."""


def create_vendor(workspace: Workspace, name: str, actor: str) -> Vendor:
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
            vendor = Vendor(name=name, created_by=actor)
            session.add(vendor)
            session.flush()
            record_event(session, actor, "vendor.created", "vendor", vendor.id, after={"name": name})
    except IntegrityError:
        raise InvalidInput(f"A vendor named '{name}' already exists. Pick it from the list instead.") from None
    return vendor


def list_vendors(workspace: Workspace) -> list[Vendor]:
    with workspace.transaction() as session:
        return list(session.exec(select(Vendor).order_by(func.lower(Vendor.name), col(Vendor.id))))


def find_vendor(workspace: Workspace, name: str) -> Vendor | None:
    with workspace.transaction() as session:
        return session.exec(select(Vendor).where(func.lower(Vendor.name) == " ".join(name.split()).lower())).first()
