"""Personal data and secrets out of the text before it leaves the machine, and back into the quotes that return.

The kinds, patterns and checksums are in knowledge/pii.yaml. A `Redaction` is made for one request: the same value
keeps the same placeholder ([EMAIL_1]) in every passage of it, so the model can quote consistently, and
`restore` maps the placeholders in a quote back to the document's own text before the quote is aligned."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from .lexicon import knowledge

_PLACEHOLDER = re.compile(r"\[([A-Z]+)_([0-9]+)\]")


@dataclass(frozen=True)
class _Kind:
    kind: str
    pattern: re.Pattern[str]
    group: int
    check: str | None
    min_digits: int


@cache
def _kinds() -> tuple[tuple[_Kind, ...], frozenset[str]]:
    data = knowledge("pii")
    kinds = tuple(
        _Kind(
            entry["kind"],
            re.compile(entry["pattern"], re.MULTILINE),
            int(entry.get("group", 0)),
            entry.get("check"),
            int(entry.get("min_digits", 0)),
        )
        for entry in data["kinds"]
    )
    return kinds, frozenset(data.get("not_names", []))


def luhn_valid(number: str) -> bool:
    digits = [int(char) for char in number if char.isdigit()]
    if not 13 <= len(digits) <= 19:
        return False
    total = 0
    for position, digit in enumerate(reversed(digits)):
        if position % 2:
            digit *= 2
            digit -= 9 if digit > 9 else 0
        total += digit
    return total % 10 == 0


def iban_valid(text: str) -> bool:
    """ISO 13616: move the first four characters to the end, letters to numbers, the remainder mod 97 is 1."""
    iban = text.replace(" ", "").upper()
    if not 15 <= len(iban) <= 34 or not iban.isalnum():
        return False
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


_CHECKS = {"iban": iban_valid, "luhn": luhn_valid}


def find_personal_data(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every personal datum or secret in `text`, without overlaps, in text order."""
    kinds, not_names = _kinds()
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for kind in kinds:
        for match in kind.pattern.finditer(text):
            start, end = match.span(kind.group)
            if start < 0 or start == end:
                continue
            value = text[start:end]
            if kind.check and not _CHECKS[kind.check](value):
                continue
            if kind.min_digits and sum(char.isdigit() for char in value) < kind.min_digits:
                continue
            if kind.kind == "PERSON" and any(word in not_names for word in value.split()):
                continue
            if any(start < taken_end and taken_start < end for taken_start, taken_end in taken):
                continue
            found.append((start, end, kind.kind))
            taken.append((start, end))
    return sorted(found)


@dataclass
class Redaction:
    """Placeholders of one request: value → placeholder and back."""

    originals: dict[str, str] = field(default_factory=dict)  # "[EMAIL_1]" → "jane.doe@example.com"
    _numbers: dict[str, int] = field(default_factory=dict)
    _placeholders: dict[tuple[str, str], str] = field(default_factory=dict)

    def redact(self, text: str) -> str:
        pieces, position = [], 0
        for start, end, kind in find_personal_data(text):
            pieces.append(text[position:start])
            pieces.append(self._placeholder(kind, text[start:end]))
            position = end
        pieces.append(text[position:])
        return "".join(pieces)

    def _placeholder(self, kind: str, value: str) -> str:
        if (kind, value) not in self._placeholders:
            self._numbers[kind] = self._numbers.get(kind, 0) + 1
            placeholder = f"[{kind}_{self._numbers[kind]}]"
            self._placeholders[(kind, value)] = placeholder
            self.originals[placeholder] = value
        return self._placeholders[(kind, value)]

    def restore(self, text: str) -> str:
        """The placeholders in a model's quote back to the document's text (unknown ones stay, and fail to align)."""
        return _PLACEHOLDER.sub(lambda match: self.originals.get(match.group(0), match.group(0)), text)

    @property
    def counts(self) -> dict[str, int]:
        """How many distinct values of each kind were replaced: for the audit log, never the values."""
        return dict(self._numbers)
