"""Candidate passages per answer key: a cue pattern finds them, rapidfuzz ranks them against the phrasings."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .lexicon import any_of, lexicon
from .passages import Passage, Passages


@dataclass(frozen=True)
class Candidate:
    passage: Passage
    relevance: float  # 0..1: best partial match against the key's phrasings


def candidates(passages: Passages, key: str, excluded: frozenset[int] = frozenset()) -> list[Candidate]:
    """Passages that mention the key's topic, most relevant first (ties in document order).

    The key's trigger words pick passages cheaply; its cue patterns confirm them; rapidfuzz ranks them."""
    entry = lexicon()["keys"][key]
    cue = any_of(entry["cues"])
    text = passages.document.text
    found = {
        index
        for index in passages.containing(entry["triggers"])
        if cue.search(text, passages.items[index].start, passages.items[index].end)
    }
    found |= {index + 1 for index in found if question_of(passages, index + 1) is not None}
    if entry.get("heading_cues"):
        found |= _under_headings(passages, any_of(entry["heading_cues"]))
    indexes = sorted(found - excluded)
    if not indexes:
        return []
    scores = process.cdist(
        [passages.lowered[index] for index in indexes],
        [phrase.lower() for phrase in entry["phrasings"]],
        scorer=fuzz.partial_ratio,
        workers=1,
    ).max(axis=1)
    ranked = sorted(zip(indexes, scores), key=lambda pair: (-pair[1], pair[0]))
    return [Candidate(passages.items[index], float(score) / 100) for index, score in ranked]


def question_of(passages: Passages, index: int) -> Passage | None:
    """The question a passage answers: the passage before it, when that one ends with a question mark ("Q: How long
    is chat history kept?" · "A: 45 days after the last message.")."""
    if not 0 < index < len(passages):
        return None
    before = passages.items[index - 1]
    return before if passages.text(before).rstrip(" *_|").endswith("?") else None


def _under_headings(passages: Passages, heading: re.Pattern[str]) -> set[int]:
    """Passages whose nearest heading matches: "How long we keep it" › "Billing records: 7 years"."""
    matches: dict[tuple[str, ...], bool] = {}
    found = set()
    for passage in passages:
        if passage.kind == "heading":
            continue
        path = passages.heading_path(passage)
        if path not in matches:
            matches[path] = bool(path and heading.search(path[-1]))
        if matches[path]:
            found.add(passage.index)
    return found
