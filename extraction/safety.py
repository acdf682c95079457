"""Passages that must not be evidence: text a reader cannot see, and text that instructs an AI.

Both are data, never instructions: they are kept out of answers and raised as flags with their location,
so a reviewer sees what the vendor file tried."""

from __future__ import annotations

import base64
import binascii
import re
from functools import cache

from .lexicon import any_of, knowledge
from .model import Flag, FlagCode
from .passages import Passage, Passages

HIDDEN_MESSAGE = "Text a reader of the file cannot see (hidden, white, tiny or off-page); it is not used for answers."
INJECTION_MESSAGE = "Text that gives instructions to an AI; it is treated as data and not used for answers."
_INVISIBLE = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff\u00ad\U000e0000-\U000e007f]")
_BASE64 = re.compile(r"[A-Za-z0-9+/]{%d,}={0,2}")
_POINTS_FORWARD = re.compile(r"\b(?:follow(?:s|ing)|below|hereafter|as follows)\b", re.IGNORECASE)


@cache
def _injection():
    rules = knowledge("injection")
    return any_of(rules["patterns"]), re.compile(_BASE64.pattern % rules["base64_min_length"])


def _instructs_ai(text: str) -> bool:
    patterns, blobs = _injection()
    visible = _INVISIBLE.sub("", text)
    if patterns.search(visible):
        return True
    for blob in blobs.findall(visible):
        try:
            decoded = base64.b64decode(blob + "=" * (-len(blob) % 4), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            continue
        if patterns.search(decoded):
            return True
    return False


def _introduced(passages: Passages, instruction: Passage) -> list[Passage]:
    """The claims an instruction introduces, quarantined with it: the rest of its paragraph; and when it is a
    heading, what follows up to the next heading; when it ends in a colon or points forward ("the following",
    "below"), the list or the paragraph after it."""
    blocks, items = passages.blocks, passages.items
    block = blocks[instruction.block] if instruction.block >= 0 else None
    text = passages.text(instruction).rstrip()
    heading = block is not None and block.kind == "heading"
    opens_list = text.endswith(":") or heading or bool(_POINTS_FORWARD.search(text))
    introduced = []
    for passage in items[instruction.index + 1 :]:
        same_block = passage.block == instruction.block and passage.block >= 0
        kind = blocks[passage.block].kind if passage.block >= 0 else ""
        if same_block or (heading and kind != "heading") or (opens_list and not heading and kind == "list_item"):
            introduced.append(passage)
            continue
        if opens_list and not heading and not introduced and kind == "paragraph":
            introduced.append(passage)  # "…the following is our position:" then the position
            opens_list = False
            continue
        break
    return introduced


def unsafe_passages(passages: Passages) -> tuple[frozenset[int], list[Flag]]:
    """(indexes of passages to keep out of answers, the flags that say why)."""
    document = passages.document
    suspects = set(passages.containing(knowledge("injection")["triggers"]))
    # Base64 blobs and invisible characters (which can split a trigger word) make a passage a suspect too.
    for regex in (_injection()[1], _INVISIBLE):
        suspects |= {passages.at(match.start()).index for match in regex.finditer(document.text)}
    excluded: set[int] = set()
    flags: list[Flag] = []
    for passage in passages:
        if passage.index in excluded:
            continue
        if document.is_hidden(passage.start, passage.end):
            excluded.add(passage.index)
            flags.append(
                Flag(FlagCode.HIDDEN_TEXT, "high", None, HIDDEN_MESSAGE, (passages.passage_evidence(passage),))
            )
        elif passage.index in suspects and _instructs_ai(passages.text(passage)):
            introduced = _introduced(passages, passage)
            excluded.update(item.index for item in (passage, *introduced))
            message = INJECTION_MESSAGE + (
                f" The {len(introduced)} passage(s) it introduces are set aside with it." if introduced else ""
            )
            flags.append(Flag(FlagCode.PROMPT_INJECTION, "high", None, message, (passages.passage_evidence(passage),)))
    return frozenset(excluded), flags
