"""The questionnaire as an XLSX workbook: issued to a vendor, and read back in ours or the vendor's own layout.

Vendor workbooks are hostile input: they are opened only by the sandboxed reader (documents.readers), which gives
every cell as a value (a formula comes back as its text, never run); columns are found by header name, and a
workbook we cannot use gives problems, not an exception.
Anything of the vendor's we write (names, gap passages) goes through `safe_cell`."""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from rapidfuzz import fuzz, process, utils

from aivet.cells import safe_cell
from documents.model import CellValue, Document
from extraction import Answer, Method, Status, squash

from .bank import Bank, Question
from .layouts import knowledge
from .values import AnswerText, form_answer

INSTRUCTIONS, QUESTIONNAIRE, LISTS = "Instructions", "Questionnaire", "Lists"
BANK_ID_NAME, BANK_VERSION_NAME = "aivet_bank_id", "aivet_bank_version"  # defined names on the Instructions cells
INLINE_LIST_LIMIT = 255  # Excel refuses an inline drop-down list longer than this
HEADER_SEARCH_ROWS = 20  # a header row is looked for this far down a sheet
HEADER_CUTOFF = 85  # WRatio: "Vendor response" ~ "response" (90) passes, "Answer type" goes to its exact role (100)
# Their question vs our texts and aliases: mean of token_set_ratio (shared words) and token_sort_ratio (which
# stops one shared word, e.g. an alias "notify", from scoring 100). Reworded bank questions score 64-83,
# unrelated questions 45-50 (tests/test_spreadsheet.py), so 60 keeps the first and drops the second.
MATCH_CUTOFF = 60

# (key, header, width) of the Questionnaire sheet; the reader finds each by header, not position.
COLUMNS = (
    ("id", "ID", 10),
    ("section", "Section", 22),
    ("question", "Question", 70),
    ("type", "Answer type", 24),
    ("answer", "Answer", 40),
    ("comment", "Comment", 40),
    ("evidence", "Evidence reference", 28),
)
GAP_COLUMN = ("passage", "Passage that left this open", 50)
UNLOCKED = {"answer", "comment", "evidence"}

# Header spellings per column role, ours first; vendors' own layouts use the others.
HEADERS = {
    "id": ("id", "question id", "control id", "ref", "ref id", "item id"),
    "section": ("section", "domain", "category"),
    "question": ("question", "question text", "control", "control question", "requirement", "control description"),
    "type": ("answer type", "type", "format"),
    "answer": ("answer", "response", "vendor response", "vendor answer", "your answer", "reply", "yes no"),
    "comment": ("comment", "comments", "notes", "remarks", "additional information", "explanation"),
    "evidence": ("evidence reference", "evidence", "supporting evidence", "attachment"),
    "passage": ("passage that left this open",),
}
HINTS = {
    "yes_no": "yes / no (pick from the list)",
    "enum": "pick one value from the list",
    "duration": "a number and a unit, e.g. 30 days, 72 hours",
    "list_of_entities": "one entry per line (Alt+Enter)",
    "free_text": "text",
    "date": "date, YYYY-MM-DD",
    "url": "a link, https://…",
}
HOW_TO = (
    "Answer every row of the Questionnaire sheet in the Answer column; only Answer, Comment and Evidence reference "
    "can be edited.",
    "Yes/no and multiple-choice questions have a drop-down list: pick one value and put any qualification in Comment.",
    'Durations: a number and a unit ("30 days", "72 hours"). Dates: YYYY-MM-DD. Lists: one entry per line.',
    'Evidence reference: the document and section that proves the answer (e.g. "DPA §7.2"); attach those documents.',
    "Do not add, remove or rename rows or the ID column; you may sort rows and add columns of your own.",
)
HOW_USED = (
    "Your answers are read automatically and checked against the documents you send (contract, DPA, policies); "
    "differences are raised with you.",
    "Answers feed our vendor risk assessment under DORA, GDPR and the EU AI Act and may be reviewed by our "
    "procurement, legal and security teams and by our supervisors.",
)


@dataclass
class SheetReading:
    """Answers read from a workbook, with everything that could not be read as a sentence in `problems`.

    Each answer's evidence spans `text`: one line "Sheet!Cell ID: answer" per answered row."""

    answers: dict[str, Answer] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    matches: list[tuple[str, str, float]] = field(default_factory=list)  # (their question, our id, score 0-100)
    layout: str = "none"  # ours · foreign · none
    text: str = ""


def issue_xlsx(
    questions: list[Question],
    bank: Bank,
    our_company: str,
    vendor: str,
    due: datetime.date,
    gaps: dict[str, str] | None = None,
) -> bytes:
    """The questionnaire workbook: Instructions, Questionnaire (one row per question) and a hidden Lists sheet.

    `gaps` maps a question id to the passage that left it open, for a gap questionnaire."""
    workbook = Workbook()
    _instructions(workbook.active, bank, our_company, vendor, due, len(questions))
    for name, row in ((BANK_ID_NAME, 6), (BANK_VERSION_NAME, 7)):
        workbook.defined_names.add(DefinedName(name, attr_text=f"{quote_sheetname(INSTRUCTIONS)}!$B${row}"))
    sheet = workbook.create_sheet(QUESTIONNAIRE)
    lists = workbook.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    lists.protection.sheet = True
    columns = COLUMNS + ((GAP_COLUMN,) if gaps is not None else ())
    for index, (_, header, width) in enumerate(columns, start=1):
        cell = sheet.cell(1, index, header)
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="1F4E78")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = width
    answer_column = 1 + [key for key, _, _ in columns].index("answer")
    validations: dict[tuple[str, ...], DataValidation] = {}
    for row, question in enumerate(questions, start=2):
        values = {
            "id": question.id,
            "section": question.section_title,
            "question": question.text,
            "type": HINTS[question.answer_type],
            "passage": (gaps or {}).get(question.id, ""),
        }
        for index, (key, _, _) in enumerate(columns, start=1):
            cell = sheet.cell(row, index, safe_cell(values.get(key)))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.protection = Protection(locked=key not in UNLOCKED)
        choices = ("yes", "no") if question.answer_type == "yes_no" else question.values
        if choices:
            if choices not in validations:
                validations[choices] = _validation(choices, lists, len(validations) + 1)
                sheet.add_data_validation(validations[choices])
            validations[choices].add(sheet.cell(row, answer_column))
    sheet.freeze_panes = "A2"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = sheet.protection.formatRows = False  # vendors may resize
    workbook.active = 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _instructions(sheet, bank: Bank, our_company: str, vendor: str, due: datetime.date, count: int) -> None:
    """Who asks whom by when, how to fill in, how answers are used; B6/B7 hold the bank id and version."""
    sheet.title = INSTRUCTIONS
    rows = [
        (bank.title, None),
        ("From", our_company),
        ("To", vendor),
        ("Answers due", due.isoformat()),
        ("Questions", count),
        ("Question bank", bank.id),
        ("Bank version", bank.version),
        (None, None),
        ("How to fill in", None),
        *((None, line) for line in HOW_TO),
        (None, None),
        ("How your answers are used", None),
        *((None, line) for line in HOW_USED),
    ]
    for number, (label, value) in enumerate(rows, start=1):
        sheet.cell(number, 1, safe_cell(label)).font = Font(bold=True)
        sheet.cell(number, 2, safe_cell(value)).alignment = Alignment(wrap_text=True, vertical="top")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 26, 100
    sheet.protection.sheet = True


def _validation(choices: tuple[str, ...], lists, number: int) -> DataValidation:
    """A drop-down of `choices`: inline when Excel allows, else a column of the hidden Lists sheet."""
    inline = ",".join(choices)
    if len(inline) <= INLINE_LIST_LIMIT and '"' not in inline:  # a quote would end the inline list
        formula = f'"{inline}"'
    else:
        letter = get_column_letter(number)
        for row, choice in enumerate(choices, start=1):
            lists.cell(row, number, safe_cell(choice))
        formula = f"{quote_sheetname(LISTS)}!${letter}$1:${letter}${len(choices)}"
    return DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showDropDown=False,
        showErrorMessage=True,
        errorTitle="Not in the list",
        error="Pick a value from the list; explain in the Comment column.",
    )


def read_xlsx(document: Document, bank: Bank) -> SheetReading:
    """The answers in a returned workbook: our layout by question id, a vendor's own by matching its questions.

    `document` is the workbook as the sandboxed reader read it; its `form` holds the cells, so the bytes are never
    opened here."""
    reading = SheetReading()
    form = document.form
    if form is None or not form.sheets:
        reading.problems.append(f"The file is not a readable XLSX workbook (it was read as {document.kind}).")
        return reading
    _check_bank(dict(form.names), bank, reading)
    sheets = []
    for page, sheet in enumerate(form.sheets, start=1):
        if sheet.title == LISTS or sheet.hidden:
            continue
        header_row, roles = _header(sheet.rows)
        if header_row is not None:
            sheets.append((page, sheet.title, sheet.rows, header_row, roles))
    # Ours only by evidence: our marker (the defined names we issue with), or our ids asking our questions; a vendor
    # sheet whose ids merely look like ours ("SEC-07") is the vendor's own layout.
    marked = BANK_ID_NAME in dict(form.names)
    ours = [
        item
        for item in sheets
        if "id" in item[4] and "answer" in item[4] and _has_bank_ids(item, bank) and (marked or _asks_ours(item, bank))
    ]
    foreign = [item for item in sheets if "question" in item[4] and "answer" in item[4]]
    builder = AnswerText(document.sha256, document.filename)
    if ours:
        reading.layout = "ours"
        for item in ours:
            _read_ours(item, bank, reading, builder)
    elif foreign:
        reading.layout = "foreign"
        for item in foreign:
            _read_foreign(item, bank, reading, builder)
    else:
        seen = ", ".join(f"'{sheet.title}'" for sheet in form.sheets) or "none"
        reading.problems.append(
            "No sheet has the expected columns: 'ID' and 'Answer' (our questionnaire), or a question column "
            "('Question', 'Control', 'Requirement') and an answer column ('Answer', 'Response', "
            f"'Vendor response'). Sheets: {seen}."
        )
    reading.text = builder.text()
    return reading


def _check_bank(names: dict[str, CellValue], bank: Bank, reading: SheetReading) -> None:
    """A problem when the workbook's defined names say it was issued from another bank or version than `bank`."""
    stated = {name: _text(names[name]) for name in (BANK_ID_NAME, BANK_VERSION_NAME) if name in names}
    if BANK_ID_NAME in stated and (stated[BANK_ID_NAME], stated.get(BANK_VERSION_NAME)) != (bank.id, bank.version):
        reading.problems.append(
            f"The workbook was issued from question bank {stated[BANK_ID_NAME]} "
            f"{stated.get(BANK_VERSION_NAME, '?')} but is read against {bank.id} {bank.version}."
        )


def _header(rows: Sequence[tuple]) -> tuple[int | None, dict[str, int]]:
    """The first row (0-based) naming an answer column and an id or question column, with role -> column."""
    choices = [(role, spelling) for role, spellings in HEADERS.items() for spelling in spellings]
    for number, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        best: dict[str, tuple[float, int]] = {}
        for column, value in enumerate(row):
            header = _text(value)
            if not utils.default_process(header):
                continue
            found = process.extractOne(
                header,
                [spelling for _, spelling in choices],
                scorer=fuzz.WRatio,
                processor=utils.default_process,
                score_cutoff=HEADER_CUTOFF,
            )
            if found:
                role = choices[found[2]][0]
                if found[1] > best.get(role, (-1, 0))[0]:
                    best[role] = (found[1], column)
        roles = {role: column for role, (_, column) in best.items()}
        if "answer" in roles and ("id" in roles or "question" in roles):
            return number, roles
    return None, {}


def _has_bank_ids(item, bank: Bank) -> bool:
    _, _, rows, header_row, roles = item
    ids = {question.id for question in bank.questions}
    return any(_cell(row, roles["id"]).upper() in ids for row in rows[header_row + 1 :])


def _asks_ours(item, bank: Bank) -> bool:
    """Whether the rows with our ids ask our questions: nearly all of them carry the bank's own text."""
    _, _, rows, header_row, roles = item
    if "question" not in roles:
        return False
    matching = knowledge()["matching"]
    questions = {question.id: question for question in bank.questions}
    asked = [
        fuzz.ratio(_cell(row, roles["question"]), questions[id].text, processor=utils.default_process)
        >= matching["our_text_cutoff"]
        for row in rows[header_row + 1 :]
        if (id := _cell(row, roles["id"]).upper()) in questions
    ]
    return bool(asked) and sum(asked) / len(asked) >= matching["our_text_share"]


def _read_ours(item, bank: Bank, reading: SheetReading, builder: AnswerText) -> None:
    """Rows keyed by the ID column; unknown, duplicated or missing ids are problems."""
    page, title, rows, header_row, roles = item
    questions = {question.id: question for question in bank.questions}
    first_row: dict[str, int] = {}
    for number, row in enumerate(rows[header_row + 1 :], start=header_row + 2):
        id = _cell(row, roles["id"]).upper()
        raw = row[roles["answer"]] if roles["answer"] < len(row) else None
        where = f"Sheet '{title}' row {number}"
        if not id:
            if _text(raw):
                reading.problems.append(f"{where}: an answer with no question id; it was not read.")
            continue
        if id not in questions:
            reading.problems.append(f"{where}: id '{id}' is not a question of bank {bank.id} {bank.version}.")
            continue
        if id in first_row:
            reading.problems.append(
                f"{where}: {id} appears again (first at row {first_row[id]}); row {first_row[id]} was kept."
            )
            continue
        first_row[id] = number
        reading.answers[id] = _answer(questions[id], raw, row, roles, 1.0, where, page, title, number, reading, builder)


def _read_foreign(item, bank: Bank, reading: SheetReading, builder: AnswerText) -> None:
    """Their questions matched to ours by rapidfuzz; the better-scoring row wins a question matched twice."""
    page, title, rows, header_row, roles = item
    texts = [(question, text) for question in bank.questions for text in (question.text, *question.aliases)]
    best_row: dict[str, tuple[float, int]] = {}
    for number, row in enumerate(rows[header_row + 1 :], start=header_row + 2):
        theirs = squash(_cell(row, roles["question"]))
        raw = row[roles["answer"]] if roles["answer"] < len(row) else None
        where = f"Sheet '{title}' row {number}"
        if not theirs:
            if _text(raw):
                reading.problems.append(f"{where}: an answer with no question; it was not read.")
            continue
        found = process.extractOne(
            theirs,
            [text for _, text in texts],
            scorer=_question_score,
            processor=utils.default_process,
            score_cutoff=MATCH_CUTOFF,
        )
        if not found:
            if _text(raw):  # a row with neither match nor answer is a heading, not a lost answer
                reading.problems.append(f"{where}: question '{theirs[:80]}' matches no question of the bank.")
            continue
        question, score = texts[found[2]][0], round(found[1], 1)
        reading.matches.append((theirs, question.id, score))
        if question.id in best_row:
            kept_score, kept_row = best_row[question.id]
            if score <= kept_score:
                reading.problems.append(
                    f"{where}: '{theirs[:80]}' also matches {question.id} (score {score}); "
                    f"row {kept_row} (score {kept_score}) was kept."
                )
                continue
            reading.problems.append(
                f"Sheet '{title}' row {kept_row}: also matches {question.id} (score "
                f"{kept_score}); row {number} (score {score}) was kept."
            )
        best_row[question.id] = (score, number)
        reading.answers[question.id] = _answer(
            question, raw, row, roles, score / 100, where, page, title, number, reading, builder
        )


def _question_score(theirs: str, ours: str, *, score_cutoff: float | None = None, **_: Any) -> float:
    """Shared words (token_set_ratio) tempered by overall likeness (token_sort_ratio); see MATCH_CUTOFF.

    The cutoff applies to the mean, not to each part (process.extractOne passes it to the scorer)."""
    score = (fuzz.token_set_ratio(theirs, ours) + fuzz.token_sort_ratio(theirs, ours)) / 2
    return score if score >= (score_cutoff or 0) else 0


def _answer(
    question: Question,
    raw: CellValue,
    row: tuple,
    roles: dict[str, int],
    confidence: float,
    where: str,
    page: int,
    title: str,
    number: int,
    reading: SheetReading,
    builder: AnswerText,
) -> Answer:
    """One row's answer: typed value, comment and evidence reference in the note, a wrong type as needs_review."""
    notes = [
        f"{label}: {squash(_cell(row, roles[role]))}"
        for role, label in (("comment", "Comment"), ("evidence", "Evidence reference"))
        if role in roles and _cell(row, roles[role])
    ]
    if not _text(raw):
        return Answer(question.id, None, Status.NOT_FOUND, 0.0, Method.FORM, (), "; ".join(notes))
    cell = f"{get_column_letter(roles['answer'] + 1)}{number}"
    evidence = (builder.add(page, squash(f"{title}!{cell} {question.id}: {_text(raw)}")),)
    answer, why = form_answer(question, _text(raw), confidence, evidence, tuple(notes))
    if why:
        reading.problems.append(f"{where}: {question.id} answer '{_text(raw).strip()[:60]}' {why}.")
    return answer


def _text(value: CellValue) -> str:
    """A cell value as text: booleans as yes or no, whole floats without '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _cell(row: tuple, column: int) -> str:
    return _text(row[column]).strip() if column < len(row) else ""
