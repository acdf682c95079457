"""One line per answer for people: the CLI table and the app's answer table use the same words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .keys import answer_key
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
}


def describe_value(key: str, value: Any) -> str:
    """A short reading of an answer value, e.g. '30 days', 'never (enterprise)', '12: AWS, OpenAI, …'."""
    return "—" if value is None else READINGS[answer_key(key).summary](value)


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
