"""The extractor's knowledge, loaded once from the YAML files in extraction/knowledge/."""

from __future__ import annotations

import hashlib
import re
from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def knowledge(name: str) -> dict[str, Any]:
    """One YAML file of extraction/knowledge/, parsed."""
    return yaml.safe_load(resources.files("extraction.knowledge").joinpath(f"{name}.yaml").read_text("utf-8"))


def lexicon() -> dict[str, Any]:
    return knowledge("lexicon")


@cache
def pattern(source: str, ignore_case: bool = True) -> re.Pattern[str]:
    """A compiled knowledge pattern, cached by its source text.

    A space in a pattern stands for any run of whitespace, line breaks included: text taken out of a
    PDF breaks lines anywhere, and reviewers should not have to write \\s+ between every two words."""
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
    return re.compile(source.replace(" ", r"\s+"), flags)


def any_of(sources: list[str] | tuple[str, ...]) -> re.Pattern[str]:
    """One pattern matching any of several pattern texts."""
    return pattern("|".join(f"(?:{source})" for source in sources))


@cache
def knowledge_version() -> str:
    """A fingerprint of every knowledge file: stored extractions made with other knowledge are redone."""
    digest = hashlib.sha256()
    for item in sorted(resources.files("extraction.knowledge").iterdir(), key=lambda entry: entry.name):
        if item.name.endswith(".yaml"):
            digest.update(item.name.encode() + b"\0" + item.read_bytes())
    return digest.hexdigest()[:12]
