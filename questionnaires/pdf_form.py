"""The questionnaire as a fillable PDF form: issue it, and read a filled one back exactly.

Field names carry the question id: the answer field is named by the id itself (`TRN-01`), the
optional comment beside it `TRN-01_comment` (PDF field names may not contain a period, which
viewers read as a parent.child separator). The bank id and version, the question ids and the
page count are in the PDF's /Keywords, so the reader can tell which form it is holding.

Answer values read back, by answer type:
- yes_no: "yes" or "no"
- enum: one of the question's listed values (the export value of the radio or combo box)
- duration: {"text": as typed, "days": int | None, "hours": int | None, "business": bool}, from the
  first duration typed ("72 hours" -> days None, hours 72); "indefinite", "as long as necessary",
  "not specified" and "without undue delay"-like phrases read with days and hours None
- list_of_entities: list of the non-empty lines typed, each stripped
- date: ISO string, "YYYY-MM-DD" (or "YYYY-MM", which the bank allows)
- free_text, url: the text as typed, stripped
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

from documents.model import Document
from extraction import Answer, Evidence, Method, Status, squash
from questionnaires.bank import Bank, Question
from questionnaires.values import form_answer

COMMENT_SUFFIX = "_comment"
MARKER = "aivet-form"
MAX_RADIOS = 6  # an enum with more values gets a combo box
MAX_GAP_QUOTE = 600  # characters of a gap passage quoted under its question

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 50
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
FONT, BOLD, ITALIC = "Helvetica", "Helvetica-Bold", "Helvetica-Oblique"
LEADING = 12.5

HOW_TO_FILL = (
    "Answer each question in the field under it; the field's label says what kind of answer we need. "
    'Choose one option where options are given. Write durations with a number and a unit ("30 days", '
    '"72 hours"), dates as YYYY-MM-DD, and lists one entry per line (name, country, role). Use the comment '
    'field under a question for qualifications such as "on the Enterprise plan only". Leave a field empty '
    "rather than guess. Do not rename, add or delete fields. Save the filled PDF and send it back to us, "
    "with any document your answers refer to."
)
HOW_USED = (
    "{company} uses your answers to assess {vendor} as an AI vendor under the GDPR, DORA and the EU AI Act. "
    "The answers and the documents you attach are kept with {vendor}'s vendor record, read by our "
    "procurement, legal and security teams, and may be compared with your contract, DPA and other documents."
)


@dataclass(frozen=True)
class FormReading:
    """What a returned form says: one answer per issued question, and one sentence per problem found.

    `document` lists each PDF page's fields as "FIELD: value" lines; the answers' evidence points into it
    (its sha256 is the PDF file's). It is None when the file is not a form aivet can read."""

    answers: dict[str, Answer]
    problems: list[str] = field(default_factory=list)
    document: Document | None = None


# ---------------------------------------------------------------- issuing


def comment_field(question_id: str) -> str:
    return question_id + COMMENT_SUFFIX


def issue_pdf(
    questions: list[Question],
    bank: Bank,
    our_company: str,
    vendor: str,
    due: datetime.date,
    gaps: dict[str, str] | None = None,
) -> bytes:
    """A fillable PDF questionnaire: a cover page, then the questions by section, each with its fields.

    `gaps` maps a question id to the passage that left it open; the passage is quoted under the question."""
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    sheet.setTitle(f"{bank.title}: questionnaire for {vendor}")
    sheet.setAuthor(our_company)
    sheet.setSubject(
        f"Due-diligence questionnaire for {vendor}, due {due.isoformat()} (question bank {bank.id} {bank.version})"
    )
    sheet.setCreator("aivet")
    _cover(sheet, questions, bank, our_company, vendor, due, bool(gaps))
    layout = _Layout(
        sheet, f"{vendor}: questionnaire from {our_company}, due {due.isoformat()} · {bank.id} {bank.version}"
    )
    section = None
    for question in questions:
        gap = (gaps or {}).get(question.id)
        if question.section != section:
            section = question.section
            layout.section(question.section_title, _question_height(question, gap))
        _question(layout, question, gap)
    pages = sheet.getPageNumber()
    sheet.setKeywords(
        f"{MARKER} bank={bank.id} version={bank.version} pages={pages} "
        f"questions={','.join(question.id for question in questions)}"
    )
    sheet.save()
    return buffer.getvalue()


def _lines(text: str, font: str, size: float, width: float = TEXT_WIDTH) -> list[str]:
    return [line for paragraph in text.split("\n") for line in (simpleSplit(paragraph, font, size, width) or [""])]


def _cover(
    sheet: canvas.Canvas,
    questions: list[Question],
    bank: Bank,
    our_company: str,
    vendor: str,
    due: datetime.date,
    gap: bool,
) -> None:
    y = PAGE_HEIGHT - MARGIN - 10

    def write(text: str, font: str = FONT, size: float = 10, after: float = 4) -> None:
        nonlocal y
        sheet.setFont(font, size)
        for line in _lines(text, font, size):
            sheet.drawString(MARGIN, y, line)
            y -= size * 1.3
        y -= after

    write(("Follow-up questions" if gap else "AI vendor due-diligence questionnaire"), BOLD, 18, 10)
    write(f"Vendor: {vendor}", BOLD, 12)
    write(f"Issued by: {our_company}", FONT, 12)
    write(f"Please return by: {due.isoformat()} ({due.strftime('%d %B %Y')})", BOLD, 12, 14)
    if gap:
        write(
            "These questions were left open by the documents you sent us; the passage we read is quoted "
            "under each question. Please answer them directly.",
            FONT,
            10,
            10,
        )
    write("How to fill it in", BOLD, 12)
    write(HOW_TO_FILL, after=10)
    write("How your answers will be used", BOLD, 12)
    write(HOW_USED.format(company=our_company, vendor=vendor), after=10)
    sections = len({question.section for question in questions})
    write(f"{len(questions)} questions in {sections} sections.", after=10)
    write(f"Form: {bank.title}, question bank {bank.id} version {bank.version}.", ITALIC, 8)
    sheet.showPage()


class _Layout:
    """A cursor down the question pages: starts a new page when a block does not fit."""

    def __init__(self, sheet: canvas.Canvas, footer: str):
        self.sheet, self.footer = sheet, footer
        self.y = 0.0

    def need(self, height: float) -> None:
        if self.y and self.y - height >= MARGIN + 10:
            return
        if self.y:
            self.sheet.showPage()
        self.sheet.setFont(FONT, 7)
        self.sheet.setFillColor(colors.grey)
        self.sheet.drawString(MARGIN, MARGIN - 20, f"{self.footer} · page {self.sheet.getPageNumber()}")
        self.sheet.setFillColor(colors.black)
        self.y = PAGE_HEIGHT - MARGIN

    def text(
        self, text: str, font: str = FONT, size: float = 9.5, indent: float = 0, color: Any = colors.black
    ) -> None:
        self.sheet.setFont(font, size)
        self.sheet.setFillColor(color)
        for line in _lines(text, font, size, TEXT_WIDTH - indent):
            self.sheet.drawString(MARGIN + indent, self.y - size, line)
            self.y -= LEADING
        self.sheet.setFillColor(colors.black)

    def section(self, title: str, first_question_height: float) -> None:
        self.need(30 + first_question_height)
        self.y -= 6
        self.text(title, BOLD, 13)
        self.y -= 6


def _field_height(question: Question) -> float:
    if question.answer_type in ("free_text", "list_of_entities"):
        return 64
    if question.answer_type == "enum" and len(question.values) <= MAX_RADIOS:
        return 16 * len(question.values)
    return 20


def _quote(gap: str) -> str:
    gap = squash(gap)
    return f"\u201c{gap if len(gap) <= MAX_GAP_QUOTE else gap[:MAX_GAP_QUOTE].rstrip() + ' …'}\u201d"


def _question_height(question: Question, gap: str | None) -> float:
    lines = len(_lines(f"{question.id}  {question.text}", FONT, 9.5))
    if gap:
        lines += 1 + len(_lines(_quote(gap), ITALIC, 8.5, TEXT_WIDTH - 14))
    return lines * LEADING + 12 + _field_height(question) + 12 + 26 + 14


HINTS = {
    "yes_no": "Choose one:",
    "enum": "Choose one:",
    "duration": "A number and a unit, e.g. 30 days, 72 hours (or: indefinite, not specified):",
    "date": "Date (YYYY-MM-DD):",
    "url": "Link (https://...):",
    "list_of_entities": "One per line: name, country, role:",
    "free_text": "Your answer:",
}


def _question(layout: _Layout, question: Question, gap: str | None) -> None:
    layout.need(_question_height(question, gap))
    sheet, name = layout.sheet, question.id
    layout.text(f"{question.id}  {question.text}")
    if gap:
        layout.text("What your documents say (this did not answer it):", BOLD, 8, 14, colors.darkgrey)
        layout.text(_quote(gap), ITALIC, 8.5, 14, colors.darkgrey)
    layout.y -= 2
    layout.text(HINTS[question.answer_type], FONT, 8, 0, colors.darkgrey)
    height = _field_height(question)
    top = layout.y - 2
    tooltip = f"{question.id}: {question.text}"[:250]
    form = sheet.acroForm
    if question.answer_type in ("free_text", "list_of_entities"):
        form.textfield(
            name=name,
            tooltip=tooltip,
            x=MARGIN,
            y=top - height,
            width=TEXT_WIDTH,
            height=height,
            fieldFlags="multiline",
            maxlen=None,
            fontSize=9,
            borderWidth=0.5,
        )
    elif question.answer_type == "yes_no":
        for index, value in enumerate(("yes", "no")):
            x = MARGIN + index * 70
            form.radio(
                name=name,
                value=value,
                tooltip=tooltip,
                x=x,
                y=top - 14,
                size=12,
                fieldFlags="noToggleToOff radio",
                borderWidth=0.5,
            )
            sheet.setFont(FONT, 9.5)
            sheet.drawString(x + 17, top - 11, value.capitalize())
    elif question.answer_type == "enum" and len(question.values) <= MAX_RADIOS:
        for index, value in enumerate(question.values):
            y = top - 14 - 16 * index
            form.radio(
                name=name,
                value=value,
                tooltip=tooltip,
                x=MARGIN,
                y=y,
                size=12,
                fieldFlags="noToggleToOff radio",
                borderWidth=0.5,
            )
            sheet.setFont(FONT, 9.5)
            sheet.drawString(MARGIN + 17, y + 3, f"{value.replace('_', ' ')}   ({value})")
    elif question.answer_type == "enum":
        # A blank first option is the empty answer (and reportlab's choice() needs a value to select).
        options = [("", "")] + [(value.replace("_", " "), value) for value in question.values]
        form.choice(
            name=name,
            tooltip=tooltip,
            x=MARGIN,
            y=top - 18,
            width=TEXT_WIDTH / 1.5,
            height=18,
            options=options,
            value=[""],
            fontSize=9,
            borderWidth=0.5,
        )
    else:  # duration, url, date: one line
        width = 140 if question.answer_type == "date" else TEXT_WIDTH
        form.textfield(
            name=name,
            tooltip=tooltip,
            x=MARGIN,
            y=top - 18,
            width=width,
            height=18,
            maxlen=None,
            fontSize=9,
            borderWidth=0.5,
        )
    layout.y = top - height - 10
    layout.text("Comment (optional):", FONT, 8, 0, colors.darkgrey)
    form.textfield(
        name=comment_field(name),
        tooltip=f"{question.id}: comment",
        x=MARGIN,
        y=layout.y - 24,
        width=TEXT_WIDTH,
        height=22,
        fieldFlags="multiline",
        maxlen=None,
        fontSize=8,
        borderWidth=0.5,
    )
    layout.y -= 24 + 14


# ---------------------------------------------------------------- reading


@dataclass(frozen=True)
class _Issued:
    """What the form's /Keywords say it was issued as."""

    bank: str
    version: str
    pages: int
    questions: tuple[str, ...]


def _issued(keywords: str) -> _Issued | None:
    if MARKER not in keywords.split():
        return None
    items = dict(part.split("=", 1) for part in keywords.split() if "=" in part)
    pages = items.get("pages", "")
    return _Issued(
        items.get("bank", ""),
        items.get("version", ""),
        int(pages) if pages.isdigit() else 0,
        tuple(id for id in items.get("questions", "").split(",") if id),
    )


def _document(
    page_count: int, sha256: str, filename: str, values: dict[str, str], pages: dict[str, int]
) -> tuple[Document, dict[str, tuple[int, int]]]:
    """A Document of "FIELD: value" lines, one page per PDF page, and each field's span in its text."""
    page_lines: list[list[str]] = [[] for _ in range(max(1, page_count))]
    for name in values:
        page_lines[pages.get(name, 1) - 1].append(name)
    texts: list[str] = []
    local: dict[str, tuple[int, int]] = {}  # name -> span within its page's text
    for names in page_lines:
        text = ""
        for name in names:
            line = f"{name}: {values[name]}".rstrip() if values[name] else f"{name}:"
            text += "\n" if text else ""
            local[name] = (len(text), len(text) + len(line))
            text += line
        texts.append(text)
    document = Document.from_pages(
        sha256, "pdf-form", filename, [(f"page {number}", text, False) for number, text in enumerate(texts, 1)]
    )
    spans = {
        name: (document.pages[pages.get(name, 1) - 1].start + start, document.pages[pages.get(name, 1) - 1].start + end)
        for name, (start, end) in local.items()
    }
    return document, spans


def read_pdf_form(document: Document, bank: Bank) -> FormReading:
    """The answers in a filled form issued by issue_pdf, checked field by field against `bank`.

    `document` is the PDF as the sandboxed reader read it; its `form` holds the fields, so the bytes are never
    opened here.

    Never raises on a modified or foreign file: each missing, unknown or wrongly typed field, a form of
    another bank or version, and extra pages are one sentence each in `problems`. An answer is
    `answered` when its field holds a valid value, `needs_review` (raw text as value) when it holds an
    invalid one, `not_found` when it is empty or missing. The comment goes in `Answer.note`."""
    form = document.form
    if form is not None and form.encrypted:
        return FormReading({}, ["The PDF is password-protected; ask the vendor for an unprotected copy."])
    if form is not None and form.error:
        return FormReading({}, [f"The file could not be read as a PDF form ({form.error})."])
    issued = _issued(form.keywords) if form is not None else None
    values = {item.name: item.value for item in form.fields} if issued is not None else {}
    if issued is None or not values:
        return FormReading(
            {},
            [
                "This PDF is not an aivet questionnaire form: it has no aivet form marker "
                "or no form fields; read it as a document instead."
            ],
        )
    page_count = len(document.pages)
    pages = {item.name: item.page or 1 for item in form.fields}
    problems: list[str] = []
    if issued.bank != bank.id or issued.version != bank.version:
        problems.append(
            f"The form was issued from question bank {issued.bank} {issued.version}, not "
            f"{bank.id} {bank.version}; its answers were read against {bank.version}."
        )
    if issued.pages and page_count != issued.pages:
        problems.append(
            f"The form has {page_count} pages where {issued.pages} were issued; pages without fields were not read."
        )
    known = {question.id: question for question in bank.questions}
    questions = []
    for id in issued.questions:
        if id in known:
            questions.append(known[id])
        else:
            problems.append(
                f"Question {id} in the form is not in question bank {bank.id} {bank.version}; it was not read."
            )
    sha256, filename = document.sha256, document.filename
    answers_text, spans = _document(page_count, sha256, filename, values, pages)

    def evidence(name: str) -> Evidence:
        start, end = spans[name]
        return Evidence(sha256, answers_text.page_at(start), start, end, squash(answers_text.text[start:end]), filename)

    answers: dict[str, Answer] = {}
    for question in questions:
        id, comment = question.id, comment_field(question.id)
        note = values.get(comment, "")
        proof = (evidence(comment),) if note else ()
        if id not in values:
            problems.append(f"Field {id} is missing from the form (deleted or renamed); question {id} is unanswered.")
            answers[id] = Answer(id, None, Status.NOT_FOUND, 1.0, Method.FORM, proof, note)
            continue
        if comment not in values:
            problems.append(f"Field {comment} is missing from the form (deleted or renamed).")
        text = values[id]
        if not text:
            answers[id] = Answer(id, None, Status.NOT_FOUND, 1.0, Method.FORM, proof, note)
            continue
        answers[id], wrong = form_answer(question, text, 1.0, (evidence(id),) + proof, (note,))
        if wrong:
            problems.append(f"Field {id} ({question.answer_type}) holds {text!r}, which {wrong}.")
    issued_names = {name for question in questions for name in (question.id, comment_field(question.id))}
    for name in values:
        if name not in issued_names:
            problems.append(f"Field {name} was not issued with this form; it was ignored.")
    return FormReading(answers, problems, answers_text)
