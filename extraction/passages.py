"""Split a Document into passages (sentences, list items, table rows) that keep their character span.

Passages are the unit that is ranked, quoted and flagged. Splitting works on line shapes and sentence
ends rather than blank lines, because text taken out of a PDF keeps line breaks but loses paragraph
spacing; a sentence that runs over a page break stays one passage.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property

from documents import Document

from .model import Evidence, squash

_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_LIST_ITEM = re.compile(
    r"^\s*(?:>\s*)?(?:[-*•●○▪◦‣·]\s+|\d{1,3}(?:\.\d{1,3})*[.)]?\s+(?=[A-Za-z(“\"*])|\([a-zA-Z0-9ivx]{1,4}\)\s+|[a-z][.)]\s+|#{1,6}\s+)"
)
_HEADING_LIKE = re.compile(r"^\s*(?:#{1,6}\s+|(?:section|clause|article|annex|schedule|appendix)\s+\d)", re.I)
# A sentence ends at . ! ? (and closing quotes/brackets/emphasis) followed by space and a capital, digit or marker.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)\]*_]*\s+(?=[A-Z0-9\"“(*\[•●○-])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:inc|ltd|co|corp|no|nos|e\.g|i\.e|etc|vs|cf|art|arts|sec|para|mr|ms|dr|st|llc|plc|b\.v|s\.a|u\.s|u\.k|approx|incl|fig|p|pp)\.|\b[A-Z]\.)$",
    re.I,
)
_TERMINAL = re.compile(r"[.!?:;][\"”’)\]*_]*\s*$")
MAX_PASSAGE_CHARS = 1200


@dataclass(frozen=True)
class Passage:
    index: int
    start: int
    end: int
    kind: str  # sentence · list_item · table_row · heading


class Passages:
    """The passages of one document, with lookups by offset."""

    def __init__(self, document: Document):
        self.document = document
        self.items: list[Passage] = list(_split(document.text, wrapped_rows=document.kind == "pdf"))
        self._starts = [passage.start for passage in self.items]

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self):
        return iter(self.items)

    def text(self, passage: Passage) -> str:
        return self.document.text[passage.start : passage.end]

    @cached_property
    def lowered(self) -> "_Lowered":
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
            return [passage.index for passage in self.items if any(stem in self.lowered[passage.index] for stem in stems)]
        found: set[int] = set()
        for stem in stems:
            position = lowered.find(stem)
            while position != -1:
                passage = self.at(position)
                found.add(passage.index)
                position = lowered.find(stem, passage.end)
        return sorted(found)

    def at(self, offset: int) -> Passage:
        return self.items[max(0, bisect_right(self._starts, offset) - 1)]

    def evidence(self, start: int, end: int) -> Evidence:
        """Evidence for document text [start, end), trimmed of surrounding whitespace and markup."""
        text = self.document.text
        while start < end and (text[start].isspace() or text[start] in "*|#>_"):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in "*|#>_"):
            end -= 1
        return Evidence(
            self.document.sha256, self.document.page_at(start), start, end, squash(text[start:end]), self.document.filename
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


def _lines(text: str):
    """(start, end) of every line, without its newline."""
    start = 0
    for match in re.finditer(r"\n", text):
        yield start, match.start()
        start = match.end()
    yield start, len(text)


def cell_count(row: str) -> int:
    """How many cells a table row has: '| a | b |' and 'a | b' both have two."""
    return len(row.strip().strip("|").split("|"))


def _is_row(stripped: str) -> bool:
    return stripped.startswith("|") or " | " in stripped


def _blocks(text: str, wrapped_rows: bool):
    """(start, end, kind) of paragraphs, list items, headings and table rows.

    With `wrapped_rows` (text taken out of a PDF), a table row was wrapped when it has fewer cells than
    its table's first row, ends in a cell separator, or is followed by a line that is no row and then
    by a row that does not repeat the header: the row takes such lines into it. Other readers give
    one row a line."""
    lines = [(start, end) for start, end in _lines(text) if text[start:end].strip()]
    blank_before = _blank_before(text, lines)
    block_start: int | None = None
    block_end = 0
    block_kind = "sentence"
    table_cells, table_header = 0, ""  # the first row of the table being read, and its number of cells
    for number, (start, end) in enumerate(lines):
        line = text[start:end]
        stripped = line.strip()
        if _TABLE_RULE.match(line):
            continue
        is_row = _is_row(stripped)
        is_item = bool(_LIST_ITEM.match(line)) and not _spelled_number_repeated(text, lines, number)
        if block_kind == "table_row":
            row = text[block_start:block_end].strip()
            following = squash(text[slice(*lines[number + 1])]) if number + 1 < len(lines) else ""
            continues = wrapped_rows and not blank_before[number] and (
                (row.endswith("|") and not row.startswith("|"))
                or not is_item and cell_count(row) < table_cells
                or not is_item and not is_row and _is_row(following) and following.lower() != table_header)
        else:
            continues = (
                block_start is not None
                and not is_row
                and not is_item
                and (not blank_before[number]
                     or (not _TERMINAL.search(text[block_start:block_end]) and stripped[0].islower()))
            )
        if continues:
            block_end = end
            continue
        if block_start is not None:
            yield block_start, block_end, block_kind
        if is_row and block_kind != "table_row":
            table_cells, table_header = cell_count(stripped), squash(stripped).lower()
        block_start, block_end = start, end
        block_kind = "table_row" if is_row else "heading" if _HEADING_LIKE.match(line) else "list_item" if is_item else "sentence"
    if block_start is not None:
        yield block_start, block_end, block_kind


_NUMBER_IN_BRACKETS = re.compile(r"^\s*\(\d+\)")
_OPEN_ENDING = re.compile(r"[A-Za-z]\s*$")


def _spelled_number_repeated(text: str, lines: list[tuple[int, int]], number: int) -> bool:
    """"… retained for ninety⏎(90) days": a bracketed number that repeats the word before it is no list marker."""
    if number == 0 or not _NUMBER_IN_BRACKETS.match(text[slice(*lines[number])]):
        return False
    previous = text[slice(*lines[number - 1])]
    return bool(_OPEN_ENDING.search(previous)) and not previous.rstrip().endswith((" and", " or"))


def _blank_before(text: str, lines: list[tuple[int, int]]) -> list[bool]:
    """For each non-empty line: is there a blank line between it and the previous one?"""
    return [number > 0 and "\n" in text[lines[number - 1][1] + 1 : start] for number, (start, _) in enumerate(lines)]


def _sentences(text: str, start: int, end: int):
    """Sentence spans inside one block."""
    piece_start = start
    for match in _SENTENCE_END.finditer(text, start, end):
        before = text[max(piece_start, match.start() - 12) : match.start()]
        if _ABBREVIATION.search(before.rstrip("\"”’)]*_")):
            continue
        yield piece_start, match.start()
        piece_start = match.end()
    if piece_start < end:
        yield piece_start, end


def _split(text: str, wrapped_rows: bool):
    index = 0
    for start, end, kind in _blocks(text, wrapped_rows):
        spans = [(start, end)] if kind == "table_row" else list(_sentences(text, start, end))
        for sentence_start, sentence_end in spans:
            for piece_start, piece_end in _cap(text, sentence_start, sentence_end):
                yield Passage(index, piece_start, piece_end, kind)
                index += 1


def _cap(text: str, start: int, end: int):
    """Very long sentences (flattened tables, run-on clauses) are cut at semicolons or line ends."""
    while end - start > MAX_PASSAGE_CHARS:
        window = text[start : start + MAX_PASSAGE_CHARS]
        cut = max(window.rfind("; "), window.rfind("\n"))
        cut = cut + 1 if cut > MAX_PASSAGE_CHARS // 4 else MAX_PASSAGE_CHARS
        yield start, start + cut
        start += cut
    yield start, end
