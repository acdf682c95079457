"""One line per answer for people: the CLI table and the app's answer table use the same words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .keys import answer_key, is_question_id
from .model import Answer, Status


def _days(days: int | None) -> str:
    return "no number stated" if days is None else f"{days} days"


def _periods(value: list[dict[str, Any]]) -> str:
    periods = sorted({item["period_days"] for item in value if item["period_days"] is not None})
    return f"{len(value)} statements; periods in days: {', '.join(str(days) for days in periods) or 'none finite'}"


def _entities(value: list[dict[str, Any]]) -> str:
    names = list(dict.fromkeys(item["name"] for item in value))
    return f"{len(names)}: {', '.join(names[:6])}" + (", …" if len(names) > 6 else "")


def _with(field: str, wording: str) -> Callable[[dict[str, Any]], str]:
    """The days of `value` and, when stated, another field in `wording`."""
    return lambda value: (
        _days(value.get("value")) + (wording.format(value[field]) if value.get(field) not in (None, "") else "")
    )


def _certificates(value: list[dict[str, Any]]) -> str:
    return ", ".join(
        item["name"] + (f" ({item['date_kind'].replace('_', ' ')} {item['date']})" if item.get("date") else "")
        for item in value
    )


def _fields(value: dict[str, Any]) -> str:
    """'at rest, in transit; not: customer managed keys; regions: Germany, France'."""
    said, absent, rest = [], [], []
    for field, stated in value.items():
        name = field.replace("_", " ")
        if stated is True:
            said.append(name)
        elif stated is False:
            absent.append(name)
        elif isinstance(stated, list) and stated:
            rest.append(f"{name}: {', '.join(stated)}")
        elif isinstance(stated, str):
            rest.append(f"{name}: {stated.replace('_', ' ')}")
    parts = [", ".join(said)] if said else []
    parts += [f"not: {', '.join(absent)}"] if absent else []
    return "; ".join(parts + rest) or "nothing stated"


def _form(value: Any) -> str:
    """A questionnaire answer as typed: a duration's words, a list's lines, the text."""
    if isinstance(value, dict):
        return str(value.get("text", value))
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return str(value)


# The readings an answer key's `summary` names in knowledge/answer_keys.yaml.
READINGS: dict[str, Callable[[Any], str]] = {
    "periods": _periods,
    "days": _days,
    "hours": lambda hours: f"{hours} hours",
    "label_and_scope": lambda value: value["label"] + (f" ({value['scope']})" if value.get("scope") else ""),
    "entities": _entities,
    "listed": ", ".join,
    "days_and_objection_window": _with("objection_window_days", "; objection window {} days"),
    "days_and_obligation": _with("obligation", " ({})"),
    "as_written": str,
    "certificates": _certificates,
    "fields": _fields,
    "roles": lambda roles: ", ".join(role.replace("_", " ") for role in roles),
}


def describe_value(key: str, value: Any) -> str:
    """A short reading of an answer value, e.g. '30 days', 'never (enterprise)', '12: AWS, OpenAI, …'."""
    if value is None:
        return "—"
    return _form(value) if is_question_id(key) else READINGS[answer_key(key).summary](value)


def describe(answer: Answer) -> str:
    if answer.status == Status.NOT_FOUND:
        return "not found"
    if answer.value is None:
        return answer.note or "stated without a value"
    return describe_value(answer.key, answer.value)


def pages_of(answer: Answer) -> str:
    """'p. 3, 7': the pages the evidence sits on."""
    pages = sorted({item.page for item in answer.evidence})
    return ("p. " + ", ".join(str(page) for page in pages)) if pages else ""
