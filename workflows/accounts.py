"""Signing in and the accounts behind it: local accounts (argon2) or an OIDC identity matched by e-mail."""

from __future__ import annotations

from datetime import timedelta

from aivet.access import Actor, Forbidden, Role
from store.models import utc_now
from store.users import account_by_email, add_user, check_password, refused_sign_ins
from store.vendors import InvalidInput
from store.workspace import Workspace

SIGN_IN_REFUSED = "The user name or password is wrong. Try again, or ask an administrator to reset the account."
FAILURES_ALLOWED = 5  # refused sign-ins for one name within the window before it is locked for the window
FAILURE_WINDOW = timedelta(minutes=15)


def sign_in(workspace: Workspace, username: str, password: str) -> Actor:
    """A local account's actor; after five refusals in 15 minutes the name is locked for 15 minutes, so a
    password cannot be guessed online (the count is the audit log's, shared by every app process)."""
    if refused_sign_ins(workspace, username, utc_now() - FAILURE_WINDOW) >= FAILURES_ALLOWED:
        raise Forbidden(
            "Too many failed sign-ins for this account. Wait 15 minutes, or ask an administrator to reset it."
        )
    account = check_password(workspace, username, password)
    if account is None:
        raise Forbidden(SIGN_IN_REFUSED)
    return Actor(account.username, Role(account.role))


def oidc_actor(workspace: Workspace, email: str) -> Actor:
    """The actor an identity provider's signed-in user is, by the account registered for their e-mail."""
    account = account_by_email(workspace, email)
    if account is None:
        raise Forbidden(
            f"{email} signed in, but has no aivet account. Ask an administrator to run `aivet user add` for it."
        )
    return Actor(account.username, Role(account.role))


def add_account(
    workspace: Workspace,
    actor: Actor,
    username: str,
    role: str,
    password: str | None,
    display_name: str = "",
    email: str | None = None,
) -> None:
    actor.require("user.manage")
    if role not in {str(role) for role in Role} - {Role.VENDOR}:
        staff = ", ".join(str(role) for role in Role if role != Role.VENDOR)
        raise InvalidInput(f"'{role}' is not a role; use one of {staff}.")
    add_user(workspace, username, role, password, actor.name, display_name, email)
