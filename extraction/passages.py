"""Split a Document into passages (sentences, list items, table rows, headings) that keep their character span.

Passages are the unit that is ranked, quoted and flagged. They come from the document's blocks (the structure
its reader found, or failing that the shapes of its lines): paragraphs and list items are cut into sentences,
a table row or a heading is one passage, and every passage knows the headings it sits under.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property

from documents import Document
from documents.model import Block
from documents.structure import text_blocks

from .model import Evidence, squash

# A sentence ends at . ! ? (and closing quotes/brackets/emphasis) followed by space and a capital, digit or marker.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)\]*_]*\s+(?=[A-Z0-9\"“(*\[•●○-])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:inc|ltd|co|corp|no|nos|e\.g|i\.e|etc|vs|cf|art|arts|sec|para|mr|ms|dr|st|llc|plc|b\.v|s\.a|u\.s|u\.k|approx|incl|fig|p|pp)\.|\b[A-Z]\.)$",
    re.I,
)
MAX_PASSAGE_CHARS = 1200
_KINDS = {"paragraph": "sentence", "list_item": "list_item", "table_row": "table_row", "heading": "heading"}


@dataclass(frozen=True)
class Passage:
    index: int
    start: int
    end: int
    kind: str  # sentence · list_item · table_row · heading
    block: int = -1  # index of its block in Passages.blocks


class Passages:
    """The passages of one document, with lookups by offset and the heading path of each."""

    def __init__(self, document: Document):
        self.document = document
        self.blocks: list[Block] = list(document.blocks) or text_blocks(
            document.text, wrapped_rows=document.kind == "pdf"
        )
        self.items: list[Passage] = list(_split(document.text, self.blocks))
        self._starts = [passage.start for passage in self.items]
        self._headings = _heading_paths(self.blocks)
        self._heading_texts: dict[tuple[Block, ...], tuple[str, ...]] = {}

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self):
        return iter(self.items)

    def text(self, passage: Passage) -> str:
        return self.document.text[passage.start : passage.end]

    @cached_property
    def lowered(self) -> _Lowered:
        """Squashed lower-case text of a passage by index, for matching; made on first use."""
        return _Lowered(self)

    @cached_property
    def _lowered_text(self) -> str | None:
        """The whole text lower-cased, when lower-casing keeps every offset (it nearly always does)."""
        lowered = self.document.text.lower()
        return lowered if len(lowered) == len(self.document.text) else None

    def containing(self, stems: list[str]) -> list[int]:
        """Indexes of passages whose text contains any of the lower-case `stems`.

        Plain substring search runs at C speed, so callers use it to skip passages before running
        slower regular expressions on the few that remain."""
        lowered = self._lowered_text
        if lowered is None:
            return [
                passage.index for passage in self.items if any(stem in self.lowered[passage.index] for stem in stems)
            ]
        found: set[int] = set()
        for stem in stems:
            position = lowered.find(stem)
            while position != -1:
                passage = self.at(position)
                if passage.start <= position < passage.end:  # text between blocks belongs to no passage
                    found.add(passage.index)
                position = lowered.find(stem, max(passage.end, position + 1))
        return sorted(found)

    def at(self, offset: int) -> Passage:
        return self.items[max(0, bisect_right(self._starts, offset) - 1)]

    def heading_path(self, passage: Passage) -> tuple[str, ...]:
        """The headings a passage sits under, outermost first ("Schedule 4", "Sub-processors")."""
        if passage.block < 0:
            return ()
        headings = self._headings[passage.block]
        if headings not in self._heading_texts:
            self._heading_texts[headings] = tuple(
                squash(self.document.text[block.start : block.end]).strip("#*_ ") for block in headings
            )
        return self._heading_texts[headings]

    def cells(self, passage: Passage) -> tuple[str, ...] | None:
        """A table row's cell texts, from the cell spans its reader placed; None for other passages."""
        if passage.kind != "table_row" or passage.block < 0:
            return None
        return tuple(self.document.text[start:end] for start, end in self.blocks[passage.block].cells)

    def evidence(self, start: int, end: int) -> Evidence:
        """Evidence for document text [start, end), trimmed of surrounding whitespace and markup."""
        text = self.document.text
        while start < end and (text[start].isspace() or text[start] in "*|#>_"):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in "*|#>_"):
            end -= 1
        return Evidence(
            self.document.sha256,
            self.document.page_at(start),
            start,
            end,
            squash(text[start:end]),
            self.document.filename,
        )

    def passage_evidence(self, passage: Passage) -> Evidence:
        return self.evidence(passage.start, passage.end)


class _Lowered(dict):
    def __init__(self, passages: Passages):
        super().__init__()
        self.passages = passages

    def __missing__(self, index: int) -> str:
        self[index] = squash(self.passages.text(self.passages.items[index])).lower()
        return self[index]


_ANSWER_LABEL = re.compile(r"^[\s*_|]*(?:answer|response|reply|vendor answer)\s*[:\-–]?[\s*_]*", re.I)


def answer_part(text: str) -> str:
    """The answer in a questionnaire passage: what follows the question ("Do you …? | No, never" → "No, never"),
    without an "Answer:" label. A passage with no question is all answer."""
    question_end = text.rfind("?")
    if 0 <= question_end < len(text.rstrip(" *_|")) - 1:
        text = text[question_end + 1 :]
    return _ANSWER_LABEL.sub("", text.lstrip(" *_|")).strip()


def _sentences(text: str, start: int, end: int):
    """Sentence spans inside one block."""
    piece_start = start
    for match in _SENTENCE_END.finditer(text, start, end):
        before = text[max(piece_start, match.start() - 12) : match.start()]
        if _ABBREVIATION.search(before.rstrip('"”’)]*_')):
            continue
        yield piece_start, match.start()
        piece_start = match.end()
    if piece_start < end:
        yield piece_start, end


def _split(text: str, blocks: list[Block]):
    index = 0
    for number, block in enumerate(blocks):
        whole = block.kind in ("table_row", "heading")
        spans = [(block.start, block.end)] if whole else list(_sentences(text, block.start, block.end))
        for sentence_start, sentence_end in spans:
            for piece_start, piece_end in _cap(text, sentence_start, sentence_end):
                if text[piece_start:piece_end].strip():
                    yield Passage(index, piece_start, piece_end, _KINDS.get(block.kind, "sentence"), number)
                    index += 1


def _heading_paths(blocks: list[Block]) -> list[tuple[Block, ...]]:
    """For each block, the heading blocks above it that are still open (a heading closes those at its level
    or deeper)."""
    paths: list[tuple[Block, ...]] = []
    open_headings: list[Block] = []
    for block in blocks:
        if block.kind == "heading":
            level = block.level or 1
            open_headings = [heading for heading in open_headings if (heading.level or 1) < level]
            paths.append(tuple(open_headings))
            open_headings.append(block)
        else:
            paths.append(tuple(open_headings))
    return paths


def _cap(text: str, start: int, end: int):
    """Very long sentences (flattened tables, run-on clauses) are cut at semicolons or line ends."""
    while end - start > MAX_PASSAGE_CHARS:
        window = text[start : start + MAX_PASSAGE_CHARS]
        cut = max(window.rfind("; "), window.rfind("\n"))
        cut = cut + 1 if cut > MAX_PASSAGE_CHARS // 4 else MAX_PASSAGE_CHARS
        yield start, start + cut
        start += cut
    yield start, end
