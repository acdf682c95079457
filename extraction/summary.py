"""One line per answer for people: the CLI table and the app's answer table use the same words."""

from __future__ import annotations

from typing import Any

from .model import Answer, Status


def _days(days: int | None) -> str:
    return "no number stated" if days is None else f"{days} days"


def describe_value(key: str, value: Any) -> str:
    """A short reading of an answer value, e.g. '30 days', 'never (enterprise)', '12: AWS, OpenAI, …'."""
    if value is None:
        return "—"
    if key == "retention":
        periods = sorted({item["period_days"] for item in value if item["period_days"] is not None})
        finite = ", ".join(str(days) for days in periods) or "none finite"
        return f"{len(value)} statements; periods in days: {finite}"
    if key in ("retention_days",):
        return _days(value)
    if key == "training_use":
        return value["label"] + (f" ({value['scope']})" if value.get("scope") else "")
    if key == "subprocessors":
        names = list(dict.fromkeys(item["name"] for item in value))
        shown = ", ".join(names[:6]) + (", …" if len(names) > 6 else "")
        return f"{len(names)}: {shown}"
    if key == "subprocessor_change_notice_days":
        objection = value.get("objection_window_days")
        return _days(value.get("value")) + (f"; objection window {objection} days" if objection is not None else "")
    if key == "transfer_mechanism":
        return ", ".join(value)
    if key == "breach_notification_hours":
        return f"{value} hours"
    if key == "deletion_on_termination_days":
        return _days(value.get("value")) + (f" ({value['obligation']})" if value.get("obligation") else "")
    return str(value)


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
