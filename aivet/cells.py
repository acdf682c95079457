"""Spreadsheet cells that show vendor text and never run it (OWASP CSV injection): shared by every stage
that writes XLSX, so it lives beside the settings, to the left of them all."""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A value a spreadsheet will show, never run: text that starts like a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
