"""Candidate passages per answer key: a cue pattern finds them, rapidfuzz ranks them against the phrasings."""

from __future__ import annotations

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
    indexes = [
        index
        for index in passages.containing(entry["triggers"])
        if index not in excluded and cue.search(text, passages.items[index].start, passages.items[index].end)
    ]
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
