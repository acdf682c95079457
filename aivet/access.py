"""Who is acting, and what their role lets them do (`access.yaml`).

Every write in workflows/ names its action and calls `Actor.require` first, so the check lives in the core
functions, not in the pages: a page that forgets a check still cannot write. A leaf beside the settings: the
store records the actor's name, the doors make the actor, the workflows check it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from importlib.resources import files

from pydantic import model_validator

from aivet import typed_yaml
from aivet.typed_yaml import Frozen, Invalid

ACCESS_FILE = "access.yaml"


class Role(StrEnum):
    PROCUREMENT = "procurement"
    LEGAL = "legal"
    SECURITY = "security"
    ADMIN = "admin"
    VENDOR = "vendor"


STAFF_ROLES = (Role.PROCUREMENT, Role.LEGAL, Role.SECURITY, Role.ADMIN)


class AccessError(ValueError):
    """access.yaml is wrong; the message names the line and field."""


class Forbidden(PermissionError):
    """The actor's role does not allow the action; the message says who may do it."""


class AccessRules(Frozen):
    roles: dict[Role, str]
    actions: dict[str, tuple[Role, ...]]

    @model_validator(mode="after")
    def _every_role_described(self) -> AccessRules:
        for role in Role:
            if role not in self.roles:
                raise Invalid(f"has no description of the role '{role}'", at=("roles",))
        return self


RULES = typed_yaml.read(
    (files("aivet") / ACCESS_FILE).read_text(encoding="utf-8"), AccessRules, ACCESS_FILE, AccessError
)
ACTIONS: tuple[str, ...] = tuple(RULES.actions)


@dataclass(frozen=True)
class Actor:
    """A signed-in person (or a vendor's link): the name the audit log records, and the role checked."""

    name: str
    role: Role

    def can(self, action: str) -> bool:
        if action not in RULES.actions:
            raise KeyError(f"'{action}' is not an action of {ACCESS_FILE}")
        return self.role in RULES.actions[action]

    def require(self, action: str) -> None:
        if not self.can(action):
            allowed = " or ".join(str(role) for role in RULES.actions[action])
            raise Forbidden(
                f"{self.name} signed in as {self.role} may not {action.replace('.', ' ').replace('_', ' ')}; "
                f"ask someone with the {allowed} role."
            )


def role_description(role: Role) -> str:
    return RULES.roles[role]
