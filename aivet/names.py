"""Names that come from vendors (company names, file names) as data, never as paths, sheet syntax or
terminal control: shared by every stage that writes a file or a line, so it lives beside the settings."""

from __future__ import annotations

import re
import unicodedata

MAX_FILE_NAME_PART = 100
SHEET_TITLE_LENGTH = 31  # Excel's limit
_NOT_IN_FILE_NAMES = re.compile(r"[^\w.-]+")
_NOT_IN_SHEET_TITLES = re.compile(r"[\[\]:*?/\\]+")


def _visible(text: str) -> str:
    return "".join(ch for ch in str(text) if unicodedata.category(ch)[0] != "C")


def file_name_part(text: str, fallback: str = "vendor") -> str:
    """A piece of a file name: 'Corti A/S' -> 'Corti-A-S'; never a folder, never hidden, never empty."""
    return _NOT_IN_FILE_NAMES.sub("-", _visible(text)).strip(".-")[:MAX_FILE_NAME_PART] or fallback


def sheet_title(text: str, fallback: str = "vendor") -> str:
    """A worksheet title Excel accepts: no []:*?/\\, no leading or trailing quote, at most 31 characters."""
    return _NOT_IN_SHEET_TITLES.sub("-", _visible(text)).strip("' ")[:SHEET_TITLE_LENGTH].strip("' ") or fallback


def terminal_safe(text: str, keep: str = "") -> str:
    """Text for a terminal: control characters (escape sequences, carriage returns, C1 codes) written as \\uXXXX,
    which is also how JSON writes them, so JSON output stays valid; `keep` names controls left as they are."""
    return "".join(
        ch if ch in keep or unicodedata.category(ch) not in ("Cc", "Cf") else f"\\u{ord(ch):04x}" for ch in str(text)
    )
