"""Accounts: local ones with salted argon2 hashes, OIDC ones matched by e-mail; sign-ins are audited."""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func
from sqlmodel import col, select

from store.audit import record_event
from store.models import AuditEvent, UserAccount
from store.workspace import InvalidInput, Workspace

MIN_PASSWORD_LENGTH = 12
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,62}$")
_hasher = PasswordHasher()


@cache
def _unknown_user_hash() -> str:
    """Verified when the name is unknown, so a wrong name takes as long as a wrong password. Made on first use:
    hashing runs threads, which must not happen in the reader processes' forkserver at import."""
    return _hasher.hash("no such user: constant-time refusal")


def add_user(
    workspace: Workspace,
    username: str,
    role: str,
    password: str | None,
    actor: str,
    display_name: str = "",
    email: str | None = None,
) -> UserAccount:
    """A new account; a local one needs a password of 12 characters or more, an OIDC one an e-mail."""
    username = (username or "").strip().lower()
    if not _USERNAME.match(username):
        raise InvalidInput(
            f"'{username}' cannot be a user name: use 2 to 63 lower-case letters, digits, '.', '_', '-' or '@'."
        )
    if password is None and not email:
        raise InvalidInput("Give the account a password, or the e-mail its OIDC sign-in carries.")
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"The password is too short: use {MIN_PASSWORD_LENGTH} characters or more.")
    email = email.strip().lower() if email else None
    with workspace.transaction() as session:
        same_email = func.lower(UserAccount.email) == email if email else False
        clash = session.exec(select(UserAccount).where((UserAccount.username == username) | same_email)).first()
        if clash is not None:
            raise InvalidInput(f"An account '{clash.username}' already has that name or e-mail. Pick another.")
        user = UserAccount(
            username=username,
            display_name=display_name.strip() or username,
            email=email,
            role=role,
            password_hash=_hasher.hash(password) if password is not None else None,
            created_by=actor,
        )
        session.add(user)
        session.flush()
        record_event(
            session, actor, "user.created", "user", user.id, after={"username": username, "role": role, "email": email}
        )
    return user


def check_password(workspace: Workspace, username: str, password: str) -> UserAccount | None:
    """The account whose password this is, or None; every attempt is audited, a refusal without saying why."""
    username = (username or "").strip().lower()
    with workspace.transaction() as session:
        user = session.exec(select(UserAccount).where(UserAccount.username == username)).first()
        stored = user.password_hash if user is not None and not user.disabled else None
        try:
            _hasher.verify(stored or _unknown_user_hash(), password or "")
            accepted = stored is not None
        except (VerificationError, InvalidHashError):
            accepted = False
        if accepted and _hasher.check_needs_rehash(stored):
            user.password_hash = _hasher.hash(password)
            session.add(user)
        action = "user.signed_in" if accepted else "user.sign_in_refused"
        record_event(session, username[:200] or "(no name)", action, "user", user.id if user else None)
    return user if accepted else None


def account_by_email(workspace: Workspace, email: str) -> UserAccount | None:
    """The enabled account an OIDC identity belongs to."""
    with workspace.transaction() as session:
        return session.exec(
            select(UserAccount).where(
                func.lower(UserAccount.email) == (email or "").strip().lower(), col(UserAccount.disabled).is_(False)
            )
        ).first()


def list_users(workspace: Workspace) -> list[UserAccount]:
    with workspace.transaction() as session:
        return list(session.exec(select(UserAccount).order_by(UserAccount.username)))


def refused_sign_ins(workspace: Workspace, username: str, since: datetime) -> int:
    """How often sign-in was refused for this name since a moment (the audit log is the record)."""
    with workspace.transaction() as session:
        return session.exec(
            select(func.count())
            .select_from(AuditEvent)
            .where(
                AuditEvent.action == "user.sign_in_refused",
                AuditEvent.actor == (username or "").strip().lower()[:200],
                col(AuditEvent.at) >= since,
            )
        ).one()
