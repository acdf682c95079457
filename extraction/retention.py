"""Retention: every period the document states, and the longest one for customer content."""

from __future__ import annotations

from dataclasses import dataclass

from .answers import answered
from .durations import find_durations
from .lexicon import any_of, lexicon, pattern
from .matching import candidates, question_of
from .model import Answer, Evidence
from .passages import Passages
from .tables import Table


@dataclass(frozen=True)
class Period:
    data_category: str
    period_days: int | None
    condition: str
    content: bool  # customer content, not telemetry, logs or derived data
    counts: bool  # a default retention, not a deadline after termination or request
    evidence: Evidence
    backup_window: bool = False  # backups kept for this long after termination or a request

    def to_value(self) -> dict:
        return {"data_category": self.data_category, "period_days": self.period_days, "condition": self.condition}


_UNSPECIFIED = {"name": "unspecified data", "content": True}


def _first(entries: list[dict], text: str) -> dict:
    """The first entry whose pattern matches (entries are ordered from specific to general)."""
    return next((entry for entry in entries if pattern(entry["pattern"]).search(text)), _UNSPECIFIED)


def _period(passages: Passages, start: int, end: int, context: str, days: int | None, extra: str = "") -> Period:
    rules = lexicon()["retention"]
    category = _first(rules["categories"], context)
    condition = _first(rules["conditions"], context)
    name = f"{condition['name']}, {extra}" if extra else condition["name"]
    backup_window = condition.get("backups_count", False) and category["name"] == "backups" and not extra
    return Period(
        category["name"],
        days,
        name,
        category["content"],
        condition["counts"] and not extra,
        passages.evidence(start, end),
        backup_window,
    )


def _sentence_periods(passages: Passages, excluded: frozenset[int]) -> list[Period]:
    """Periods in sentences and in table rows (a questionnaire's "How long …? | 30 days" row)."""
    rules = lexicon()["retention"]
    zero = any_of(rules["zero_retention"])
    indefinite = any_of(rules["indefinite"])
    unless_a_setting = pattern(rules["unless_a_setting"])
    purpose_limitation = pattern(rules["purpose_limitation"])
    skip = pattern(r"\b(?:notice|notif\w*|object\w*|audit\w*|breach|incident)\b")
    text = passages.document.text
    periods: list[Period] = []
    for candidate in candidates(passages, "retention", excluded):
        passage = candidate.passage
        context = passages.lowered[passage.index]
        if (question := question_of(passages, passage.index)) is not None:
            context = f"{passages.lowered[question.index]} {context}"  # "How long is chat kept?" · "45 days."
        durations = [
            item
            for item in find_durations(text, passage.start, passage.end)
            if not item.business and not skip.search(text[item.end : item.end + 24])
        ]
        optional = unless_a_setting.search(text, passage.start, passage.end)
        for duration in durations:
            extra = "at least" if duration.minimum else ""
            if optional and duration.start > optional.start():
                extra = "when a setting is chosen"
            periods.append(_period(passages, passage.start, passage.end, context, duration.calendar_days, extra))
        if not durations and zero.search(context) and not purpose_limitation.search(context):
            periods.append(_period(passages, passage.start, passage.end, context, 0))
        elif not durations and indefinite.search(context):
            periods.append(_period(passages, passage.start, passage.end, context, None))
    return periods


def _table_periods(passages: Passages, tables: list[Table]) -> list[Period]:
    """Retention columns of tables (sub-processor lists often carry one)."""
    headers = lexicon()["subprocessor_tables"]["retention_headers"]
    periods = []
    for table in tables:
        column = table.column(headers)
        if column is None:
            continue
        for row in table.rows:
            cell = row.cell(column)
            for duration in find_durations(cell):
                row_text = row.text.lower()
                periods.append(_period(passages, row.start, row.end, row_text, duration.calendar_days))
    return periods


def _outlasts_deletion(period: Period, periods: list[Period]) -> bool:
    """A backup window longer than the deletion deadline stated beside it ("deleted from active systems within 30
    days and from backups within 180 days") is how long content is still kept; one deadline for all copies is not."""
    return period.backup_window and any(
        other.evidence.start == period.evidence.start
        and other.period_days is not None
        and period.period_days is not None
        and other.period_days < period.period_days
        for other in periods
    )


def extract_retention(passages: Passages, tables: list[Table], excluded: frozenset[int]) -> tuple[Answer, Answer]:
    """(retention, retention_days)."""
    in_columns = _table_periods(passages, tables)
    read = {item.evidence.start for item in in_columns}
    periods = [item for item in _sentence_periods(passages, excluded) if item.evidence.start not in read] + in_columns
    if not periods:
        return Answer.not_found("retention"), Answer.not_found("retention_days")
    periods.sort(key=lambda item: item.evidence.start)
    retention = answered(
        "retention",
        [item.to_value() for item in periods],
        [item.evidence for item in periods],
        0.8,
        rule="retention.stated_periods",
    )
    default_content = [item for item in periods if item.content and (item.counts or _outlasts_deletion(item, periods))]
    finite = [item for item in default_content if item.period_days]
    if finite:
        longest = max(item.period_days for item in finite)
        proof = [item.evidence for item in finite if item.period_days == longest]
        return retention, answered(
            "retention_days", longest, proof, 0.8, rule="retention.longest_default_content_period"
        )
    zeros = [item for item in default_content if item.period_days == 0]
    if zeros:
        return retention, answered(
            "retention_days", 0, [item.evidence for item in zeros], 0.75, rule="retention.zero_retention"
        )
    open_ended = [item for item in default_content if item.period_days is None]
    if open_ended:
        note = "No finite period is stated for customer content."
        return retention, answered(
            "retention_days", None, [item.evidence for item in open_ended], 0.6, note, rule="retention.open_ended"
        )
    return retention, Answer.not_found("retention_days")
