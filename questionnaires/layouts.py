"""A questionnaire in the vendor's own layout, read by meaning: question/answer pairs found in its sheets, its
tables (PDF, DOCX, HTML, text) and its numbered Q&A prose, each question matched to the bank by its words.

The vendor's ids are never taken for ours: `SEC-07` in their sheet may ask anything. An id counts only where a
whole table is a known standard questionnaire (questionnaires/standard/*.yaml) and then names that standard's
item, which the mapping sends to our question. What the matcher knows (header words, thresholds, phrasings of
our questions) is questionnaires/layouts.yaml; every answer's evidence is the answer's own cell or passage in the
document's text, so it quotes the file as read."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any

import yaml
from rapidfuzz import fuzz, process, utils

from documents import Document
from documents.model import Block, CellValue, Span
from documents.readers import clean_text
from documents.structure import text_blocks
from extraction import Answer, Evidence, Method, Status, squash

from .bank import Bank, Question
from .standard import Standard, standards
from .values import form_answer

Cell = tuple[str, Span | None]  # a cell's text and its span in the document text (None: not placed, or hidden)


# Raise when the reading of vendor layouts changes what it answers; its YAML is fingerprinted on its own.
LAYOUTS_REVISION = 2


@cache
def layouts_version() -> str:
    """Which layout rules and knowledge (layouts.yaml, standard/*.yaml) read a file: stored extractions redo."""
    import hashlib

    root = files("questionnaires")
    digest = hashlib.sha256((root / "layouts.yaml").read_bytes())
    for path in sorted(root.joinpath("standard").iterdir(), key=lambda path: path.name):
        if path.name.endswith(".yaml"):
            digest.update(path.read_bytes())
    return f"layouts-{LAYOUTS_REVISION}.{digest.hexdigest()[:12]}"


@cache
def knowledge() -> dict[str, Any]:
    return yaml.safe_load((files("questionnaires") / "layouts.yaml").read_text(encoding="utf-8"))


def _defers(answer: str) -> bool:
    """An answer cell that points to the comment beside it ("See comment"): the comment is the answer."""
    return re.fullmatch(knowledge()["defers_to_comment"], answer.strip(), re.I) is not None


@dataclass(frozen=True)
class Pair:
    """One question of the vendor's and what they answered, as found in the file."""

    question: str
    question_span: Span | None
    answer: str  # the answer cell, or the comment where the answer cell is empty; prose: the answer passage
    answer_span: Span | None
    where: str  # "Sheet 'Review' row 4", "Table 2 row 3", "Page 1"
    their_id: str = ""
    comment: str = ""
    comment_span: Span | None = None
    standard: str = ""  # the standard questionnaire the pair's table is, when its ids say so


@dataclass(frozen=True)
class Matched:
    """A pair and the bank question it was matched to (None: unmatched), with the score 0-100 and how."""

    pair: Pair
    question_id: str | None
    score: float
    via: str  # text · <standard id>

    def to_json(self) -> dict[str, Any]:
        return {
            "theirs": self.pair.question,
            "their_id": self.pair.their_id or None,
            "where": self.pair.where,
            "question": self.question_id,
            "score": round(self.score, 1),
            "via": self.via,
        }


@dataclass
class LayoutReading:
    """What a vendor layout gave: answers by our question id, every pair with its match, and problems."""

    answers: dict[str, Answer] = field(default_factory=dict)
    matches: list[Matched] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def unmatched(self) -> list[Matched]:
        return [match for match in self.matches if match.question_id is None]


# --- finding the pairs ------------------------------------------------------------------------------------------------


def find_pairs(document: Document) -> list[Pair]:
    """Every question/answer pair of the document: tables first (sheets, table rows), then numbered prose."""
    pairs: list[Pair] = []
    for where, grid in _grids(document):
        pairs += _table_pairs(where, grid)
    pairs += _prose_pairs(document)
    return pairs


def _grids(document: Document) -> list[tuple[str, list[tuple[str, list[Cell]]]]]:
    """The tables of a document as (name, [(row label, cells)]): each visible sheet of a workbook, each table of
    the blocks of any other file."""
    grids = []
    if document.kind == "xlsx" and document.form is not None and document.form.sheets:
        for number, sheet in enumerate(document.form.sheets, start=1):
            if sheet.hidden or number > len(document.pages):
                continue
            grids.append((f"Sheet '{sheet.title}'", _placed_sheet(document, number, sheet.rows)))
        return grids
    tables: dict[int, list[tuple[str, list[Cell]]]] = {}
    for block in _blocks(document):
        if block.kind != "table_row" or not block.cells:
            continue
        rows = tables.setdefault(block.table, [])
        cells = [_cell(document, span) for span in block.cells]
        rows.append((f"page {document.page_at(block.start)} table {block.table + 1} row {len(rows) + 1}", cells))
    return [(f"Table {number + 1}", rows) for number, rows in sorted(tables.items())]


def _blocks(document: Document) -> list[Block]:
    return list(document.blocks) or text_blocks(document.text, wrapped_rows=document.kind == "pdf")


def _cell(document: Document, span: Span) -> Cell:
    start, end = span
    text = document.text[start:end]
    if not text.strip() or document.is_hidden(start, end):
        return "", None
    return squash(text), span


def _placed_sheet(
    document: Document, number: int, rows: Sequence[tuple[CellValue, ...]]
) -> list[tuple[str, list[Cell]]]:
    """A sheet's rows with each cell's span in its page's text: the reader wrote the cells in order, so each is
    found after the one before it (a merged cell is one value, its other cells empty)."""
    page = document.pages[number - 1]
    text = document.text[page.start : page.end]
    cursor = 0
    placed = []
    for row_number, row in enumerate(rows, start=1):
        cells: list[Cell] = []
        for value in row:
            needle = clean_text("" if value is None else str(value)).strip()
            position = text.find(needle, cursor) if needle else -1
            if position < 0:
                cells.append(("", None))
                continue
            start, end = page.start + position, page.start + position + len(needle)
            cursor = position + len(needle)
            cells.append(("", None) if document.is_hidden(start, end) else (squash(_shown(value)), (start, end)))
        placed.append((f"row {row_number}", cells))
    return placed


def _shown(value: CellValue) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _roles(row: list[Cell]) -> dict[str, int]:
    """role -> column, for a row whose cells are header words: the best (cell, role) likenesses first, each role
    and each column used once ("CSP Implementation Description" is a comment column, though "description" alone
    could name questions)."""
    known = knowledge()
    choices = [(role, str(spelling)) for role, spellings in known["headers"].items() for spelling in spellings]
    cutoff = known["matching"]["header_cutoff"]
    found: list[tuple[float, str, int]] = []
    for column, (text, _) in enumerate(row):
        if not utils.default_process(text) or len(text) > 60:
            continue
        scores = process.cdist(
            [text], [spelling for _, spelling in choices], scorer=fuzz.WRatio, processor=utils.default_process
        )[0]
        best: dict[str, float] = {}
        for (role, _), score in zip(choices, scores):
            if score >= cutoff and score > best.get(role, -1):
                best[role] = float(score)
        found += [(score, role, column) for role, score in best.items()]
    roles: dict[str, int] = {}
    for _, role, column in sorted(found, key=lambda item: (-item[0], item[2])):
        if role not in roles and column not in roles.values():
            roles[role] = column
    return roles


def _header(grid: list[tuple[str, list[Cell]]]) -> tuple[int, dict[str, int]] | None:
    """The first row (index) naming a question column and an answer or comment column."""
    for index, (_, cells) in enumerate(grid[: knowledge()["matching"]["header_search_rows"]]):
        roles = _roles(cells)
        if "question" in roles and ("answer" in roles or "comment" in roles):
            return index, roles
    return None


def _inferred(grid: list[tuple[str, list[Cell]]]) -> dict[str, int] | None:
    """A table with no header: the column whose cells are questions ("…?"), the answer in the column after it."""
    width = max((len(cells) for _, cells in grid), default=0)
    best: tuple[float, int] | None = None
    for column in range(width):
        texts = [cells[column][0] for _, cells in grid if column < len(cells) and cells[column][0]]
        asked = sum(text.rstrip().endswith("?") for text in texts)
        share = asked / len(texts) if texts else 0
        if asked >= 2 and share >= knowledge()["matching"]["question_share"] and (best is None or share > best[0]):
            best = (share, column)
    if best is None:
        return None
    column = best[1]
    roles = {"question": column}
    for after in range(column + 1, width):
        if any(after < len(cells) and cells[after][0] for _, cells in grid):
            roles["answer"] = after
            break
    if column > 0:
        roles["id"] = column - 1
    return roles if "answer" in roles else None


def _table_pairs(where: str, grid: list[tuple[str, list[Cell]]]) -> list[Pair]:
    header = _header(grid)
    if header is not None:
        first, roles = header[0] + 1, header[1]
    elif (roles := _inferred(grid)) is not None:
        first = 0
    else:
        return []

    def get(cells: list[Cell], role: str) -> Cell:
        column = roles.get(role)
        return cells[column] if column is not None and column < len(cells) else ("", None)

    standard = _standard_of([get(cells, "id")[0] for _, cells in grid[first:]])
    pairs = []
    for label, cells in grid[first:]:
        question, question_span = get(cells, "question")
        answer, answer_span = get(cells, "answer")
        comment, comment_span = get(cells, "comment")
        if not question or question_span is None:
            continue
        if not answer or (comment and _defers(answer)):  # answered in Comments ("See comment")
            answer, answer_span, comment, comment_span = comment, comment_span, "", None
        if not answer and not question.rstrip().endswith("?"):
            continue  # a section row ("Data protection"), merged across or not
        pairs.append(
            Pair(
                question,
                question_span,
                answer,
                answer_span,
                f"{where} {label}" if where.startswith("Sheet") else label,
                get(cells, "id")[0],
                comment,
                comment_span,
                standard.id if standard else "",
            )
        )
    return pairs


def _standard_of(ids: list[str]) -> Standard | None:
    """The standard questionnaire a table is, when most of its ids are that standard's items."""
    ids = [squash(id).upper() for id in ids if id]
    if len(ids) < 2:
        return None
    best = max(standards(), key=lambda standard: sum(id in standard.items for id in ids), default=None)
    if best is None or sum(id in best.items for id in ids) < max(2, len(ids) // 2):
        return None
    return best


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    prose = knowledge()["prose"]
    return (
        re.compile(prose["question_number"], re.I),
        re.compile(prose["question_label"], re.I),
        re.compile(prose["answer_label"], re.I),
    )


def _prose_pairs(document: Document) -> list[Pair]:
    """Numbered (or Q:-labelled) questions ending with '?', each answered by the passages after it."""
    numbered, labelled, answer_label = _patterns()
    limit = knowledge()["prose"]["max_question_chars"]
    text = document.text
    blocks = [block for block in _blocks(document) if block.kind != "table_row"]
    found: list[tuple[Span, Span | None, list[Span]]] = []  # question span, same-block answer, answer blocks
    for block in blocks:
        start, end = block.start, block.end
        while start < end and text[start].isspace():
            start += 1
        line = text[start:end]
        if document.is_hidden(start, end):
            continue
        marker = numbered.match(line) or labelled.match(line)
        mark = line.find("?")
        if marker and 0 < mark < limit:
            question = (start + marker.end(), start + mark + 1)
            rest = (start + mark + 1, end)
            inline = rest if text[rest[0] : rest[1]].strip() else None
            found.append((question, inline, []))
        elif found and block.kind != "heading":
            found[-1][2].append((start, end))
        elif found and block.kind == "heading":
            found.append(((0, 0), None, []))  # a heading closes the answer before it
    pairs = []
    for question, inline, answers in found:
        if question == (0, 0):
            continue
        spans = ([inline] if inline else []) + answers
        answer_span = None
        if spans:
            start, end = spans[0][0], spans[-1][1]
            while start < end and text[start].isspace():
                start += 1
            if label := answer_label.match(text, start, end):
                start = label.end()
            answer_span = (start, end) if text[start:end].strip() else None
        answer = squash(text[answer_span[0] : answer_span[1]]) if answer_span else ""
        pairs.append(
            Pair(
                squash(text[question[0] : question[1]]),
                question,
                answer,
                answer_span,
                f"page {document.page_at(question[0])}",
            )
        )
    return pairs if len(pairs) >= knowledge()["prose"]["min_pairs"] else []


# --- matching to the bank -----------------------------------------------------------------------------------------


def question_score(theirs: str, ours: str, *, score_cutoff: float | None = None, **_: Any) -> float:
    """Shared words (token_set_ratio) tempered by overall likeness (token_sort_ratio), as in spreadsheet.py, on
    the words that say what is asked (see `words`)."""
    theirs, ours = words(theirs), words(ours)
    if not theirs or not ours:
        return 0
    score = (fuzz.token_set_ratio(theirs, ours) + fuzz.token_sort_ratio(theirs, ours)) / 2
    return score if score >= (score_cutoff or 0) else 0


_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@cache
def _vocabulary() -> tuple[frozenset[str], dict[str, str], tuple[tuple[str, str], ...]]:
    """(stopwords, one-word synonyms -> canonical, several-word synonyms and their canonical form)."""
    known = knowledge()
    synonyms: dict[str, str] = {}
    phrases: list[tuple[str, str]] = []
    for canonical, spellings in known["synonyms"].items():
        for spelling in map(str, spellings):
            if " " in spelling:
                phrases.append((spelling, canonical))
            else:
                synonyms[spelling] = canonical
    return frozenset(str(word) for word in known["stopwords"]), synonyms, tuple(phrases)


@cache
def words(text: str) -> str:
    """The words of a question that say what it asks: lower-cased, without stopwords, synonyms made one."""
    stopwords, synonyms, phrases = _vocabulary()
    text = text.lower()
    for phrase, canonical in phrases:
        text = text.replace(phrase, canonical)
    kept = []
    for word in _WORD.findall(text):
        word = synonyms.get(word, word)
        if word not in stopwords:
            kept.append(word)
    return " ".join(kept)


@cache
def _texts(bank: Bank) -> tuple[tuple[str, str, float], ...]:
    """(question id, text, weight) for the bank's wording, its aliases and the phrasings of layouts.yaml."""
    phrasings = knowledge()["phrasings"]
    alias_weight = knowledge()["matching"]["alias_weight"]
    known = {question.id for question in bank.questions}
    if unknown := sorted(set(phrasings) - known):
        raise ValueError(f"questionnaires/layouts.yaml has phrasings for {unknown}, which bank {bank.id} lacks.")
    return tuple(
        (question.id, text, weight)
        for question in bank.questions
        for texts, weight in (
            ((question.text,), 1.0),
            (question.aliases, alias_weight),
            (phrasings.get(question.id, ()), 1.0),
        )
        for text in texts
    )


def match_question(question: str, bank: Bank) -> tuple[str | None, float]:
    """Our question id for their question text, with the score; (None, best score) below the cutoff."""
    texts = _texts(bank)
    scores = process.cdist([squash(question)], [text for _, text, _ in texts], scorer=question_score)[0]
    best, score = max(
        ((index, float(value) * texts[index][2]) for index, value in enumerate(scores)), key=lambda item: item[1]
    )
    if score < knowledge()["matching"]["cutoff"]:
        return None, score
    return texts[best][0], score


def _match(pair: Pair, bank: Bank) -> Matched:
    if pair.standard:
        standard = next(standard for standard in standards() if standard.id == pair.standard)
        item = standard.items.get(squash(pair.their_id).upper())
        if item is not None and item.question:
            ours = bank.question(item.question)
            support = max(
                question_score(pair.question, text) for text in (item.title, ours.text, *ours.aliases) if text
            )
            return Matched(pair, item.question, max(support, 75.0 if support >= 40 else 65.0), standard.id)
    question_id, score = match_question(pair.question, bank)
    return Matched(pair, question_id, score, "text")


def read_layout(document: Document, pairs: list[Pair], bank: Bank) -> LayoutReading:
    """Each pair matched and its answer typed like a form answer; a weak match, or an answer that is not of its
    question's type, is needs_review; a question matched twice keeps its better-scoring pair."""
    reading = LayoutReading()
    review_below = knowledge()["matching"]["review_below"]
    kept: dict[str, Matched] = {}
    for pair in pairs:
        matched = _match(pair, bank)
        reading.matches.append(matched)
        if matched.question_id is None:
            if pair.answer:
                reading.problems.append(
                    f"{pair.where}: question '{pair.question[:80]}' matches no question of the bank "
                    f"(best score {matched.score:.0f}); its answer is read as text only."
                )
            continue
        previous = kept.get(matched.question_id)
        if previous is not None and (previous.score >= matched.score or not pair.answer):
            reading.problems.append(
                f"{pair.where}: '{pair.question[:80]}' also matches {matched.question_id} (score "
                f"{matched.score:.0f}); {previous.pair.where} (score {previous.score:.0f}) was kept."
            )
            continue
        if previous is not None:
            reading.problems.append(
                f"{previous.pair.where}: also matches {matched.question_id}; {pair.where} (score "
                f"{matched.score:.0f}) was kept."
            )
        kept[matched.question_id] = matched
        reading.answers[matched.question_id] = _answer(
            document, bank.question(matched.question_id), matched, matched.score < review_below
        )
    return reading


def _evidence(document: Document, span: Span | None) -> tuple[Evidence, ...]:
    if span is None:
        return ()
    start, end = span
    text = document.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return ()
    return (Evidence(document.sha256, document.page_at(start), start, end, squash(text[start:end]), document.filename),)


def _answer(document: Document, question: Question, matched: Matched, weak: bool) -> Answer:
    """The answer typed as its question's type (the answer cell, else the comment, else both), evidence its cells."""
    pair = matched.pair
    confidence = round(matched.score / 100, 2)
    how = f"their question '{pair.question[:120]}' ({pair.where}) matched {question.id}, score {matched.score:.0f}"
    if matched.via != "text":
        how += f", by its {matched.via} id {pair.their_id}"
    if not pair.answer:
        return Answer(question.id, None, Status.NOT_FOUND, 0.0, Method.FORM, (), how)
    tries = [(pair.answer, (pair.answer_span,))]
    if pair.comment:
        tries += [
            (pair.comment, (pair.comment_span,)),
            (f"{pair.answer} {pair.comment}", (pair.answer_span, pair.comment_span)),
        ]
    notes = (f"Comment: {pair.comment}",) if pair.comment else ()
    answer = None
    for text, spans in tries:
        evidence = tuple(item for span in spans for item in _evidence(document, span))
        answer, why = form_answer(question, text, confidence, evidence, notes)
        if why is None:
            break
    answer, _ = (
        form_answer(question, pair.answer, confidence, _evidence(document, pair.answer_span), notes)
        if (answer is None or answer.status != Status.ANSWERED)
        else (answer, None)
    )
    note = "; ".join(part for part in (how, answer.note) if part)
    status = Status.NEEDS_REVIEW if weak and answer.status == Status.ANSWERED else answer.status
    if weak:
        note += "; a weak match: check that their question asks ours"
    return Answer(question.id, answer.value, status, confidence, Method.FORM, answer.evidence, note)
