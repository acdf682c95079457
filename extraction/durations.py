"""Durations in vendor text ("thirty (30) days", "up to 30 days", "72 hours", "10 business days", "3 months")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .lexicon import any_of, lexicon


@dataclass(frozen=True)
class Duration:
    start: int
    end: int
    amount: int
    unit: str  # hour · day · week · month · year
    business: bool  # "business days" / "working days": not calendar days
    minimum: bool  # "at least …": a floor, not a ceiling

    @property
    def days(self) -> int | None:
        """Calendar days: month = 30, year = 365, and whole years of months count as years (24 months = 730)."""
        if self.unit == "month" and self.amount % 12 == 0:
            return self.amount // 12 * 365
        per_unit = lexicon()["durations"]["units"][self.unit][0]
        return None if per_unit is None else self.amount * per_unit

    @property
    def calendar_days(self) -> int:
        """Days, with a period given in hours rounded up to whole days (72 hours → 3)."""
        return self.days if self.days is not None else -(-self.hours // 24)

    @property
    def hours(self) -> int:
        return self.amount * lexicon()["durations"]["units"][self.unit][1]


@cache
def _duration_pattern() -> re.Pattern[str]:
    table = lexicon()["durations"]
    words = sorted(table["number_words"], key=len, reverse=True)
    word = "|".join(re.escape(item).replace(r"\ ", r"[\s-]+") for item in words)
    business = "|".join(table["business_words"])
    units = "|".join(table["units"])
    return re.compile(
        rf"\b(?:(?P<word>{word})\s*\(\s*(?P<paren>\d{{1,4}})\s*\)|(?P<digits>\d{{1,4}})|(?P<spelled>{word}))"
        rf"(?:\*\*)?[\s-]*(?:(?P<business>{business}|calendar)[\s-]+)?(?P<unit>{units})s?\b",
        re.IGNORECASE,
    )


@cache
def _number_words() -> dict[str, int]:
    return {re.sub(r"[\s-]+", " ", key): value for key, value in lexicon()["durations"]["number_words"].items()}


def find_durations(text: str, start: int = 0, end: int | None = None) -> list[Duration]:
    """Every duration in text[start:end], with offsets into `text`."""
    end = len(text) if end is None else end
    table = lexicon()["durations"]
    numbers = _number_words()
    minimum = any_of(table["minimum_words"])
    found = []
    for match in _duration_pattern().finditer(text, start, end):
        raw = match["paren"] or match["digits"]
        amount = int(raw) if raw else numbers[re.sub(r"[\s-]+", " ", match["spelled"].lower())]
        before = text[max(start, match.start() - 24) : match.start()]
        found.append(
            Duration(
                match.start(),
                match.end(),
                amount,
                match["unit"].lower(),
                bool(match["business"]) and match["business"].lower() != "calendar",
                bool(minimum.search(before)),
            )
        )
    return found


def no_number_promise(text: str) -> re.Match[str] | None:
    """'without undue delay', 'promptly' …: a promise of speed with no number."""
    return any_of(lexicon()["durations"]["no_number_phrases"]).search(text)
