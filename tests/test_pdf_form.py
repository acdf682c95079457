"""The fillable PDF questionnaire: issued with real form fields, filled with pypdf, read back exactly."""

from __future__ import annotations

import dataclasses
import datetime
import io

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, NameObject, TextStringObject

from documents import Reason, UnreadableDocument, read_document
from extraction.model import Method, Status, squash
from questionnaires.bank import load_bank
from questionnaires.pdf_form import comment_field, issue_pdf, read_pdf_form
from tests.builders import pdf_bytes

DUE = datetime.date(2027, 1, 15)
VENDOR = "Acme Models Ltd"


@pytest.fixture(scope="module")
def bank():
    return load_bank()


@pytest.fixture(scope="module")
def questions(bank):
    """One question of every answer type, plus an enum with many values (a combo box)."""
    chosen = {}
    for question in bank.questions:
        chosen.setdefault(question.answer_type, question)
    many = next(question for question in bank.questions if question.answer_type == "enum" and len(question.values) > 6)
    picked = {question.id for question in chosen.values()} | {many.id}
    return [question for question in bank.questions if question.id in picked]


@pytest.fixture(scope="module")
def form(bank, questions) -> bytes:
    return issue_pdf(questions, bank, "Northwind Payments SE", VENDOR, DUE)


def fill(data: bytes, values: dict[str, str], change=None) -> bytes:
    """Fill fields the way a vendor's viewer would; radio groups take their export value as a name."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.update_page_form_field_values(None, values, auto_regenerate=False)
    if change:
        change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def read_form(data: bytes, bank, filename: str = "form.pdf"):
    """Read a returned form as the app does: the sandbox reads the file, the form reader the fields it found."""
    return read_pdf_form(read_document(data, filename), bank)


def typed_and_expected(questions):
    """What a vendor types in each field, and the value the reader must give back."""
    typed, expected = {}, {}
    for question in questions:
        kind, id = question.answer_type, question.id
        if kind == "yes_no":
            typed[id], expected[id] = "/yes", "yes"
        elif kind == "enum" and len(question.values) > 6:
            typed[id], expected[id] = question.values[2], question.values[2]
        elif kind == "enum":
            typed[id], expected[id] = "/" + question.values[1], question.values[1]
        elif kind == "duration":
            typed[id] = "30 days"
            expected[id] = {"text": "30 days", "days": 30, "hours": 720, "business": False}
        elif kind == "list_of_entities":
            typed[id] = "Acme Models Ltd, Ireland, provider\n\nCloudCo GmbH, Germany, hosting "
            expected[id] = ["Acme Models Ltd, Ireland, provider", "CloudCo GmbH, Germany, hosting"]
        elif kind == "date":
            typed[id], expected[id] = "2026-03-01", "2026-03-01"
        elif kind == "url":
            typed[id], expected[id] = "https://acme.example/trust/dpa", "https://acme.example/trust/dpa"
        else:
            typed[id], expected[id] = (
                "We run an AI policy approved by the board.",
                "We run an AI policy approved by the board.",
            )
    return typed, expected


def test_form_has_the_expected_fields_and_cover(form, questions, bank):
    reader = PdfReader(io.BytesIO(form))
    fields = reader.get_fields()
    assert set(fields) == {name for q in questions for name in (q.id, comment_field(q.id))}
    kinds = {q.answer_type: q for q in questions}
    assert fields[kinds["yes_no"].id]["/FT"] == "/Btn"
    assert set(fields[kinds["yes_no"].id]["/_States_"]) >= {"/yes", "/no"}
    small_enum = next(q for q in questions if q.answer_type == "enum" and len(q.values) <= 6)
    assert fields[small_enum.id]["/FT"] == "/Btn"
    assert fields[next(q.id for q in questions if len(q.values) > 6)]["/FT"] == "/Ch"
    assert fields[kinds["free_text"].id]["/Ff"] & 4096  # multiline
    assert fields[kinds["date"].id]["/FT"] == "/Tx"
    cover = reader.pages[0].extract_text()
    assert VENDOR in cover and "2027-01-15" in cover and "Northwind Payments SE" in cover
    assert "GDPR" in cover and "DORA" in cover and "AI Act" in cover and bank.version in cover
    assert "YYYY-MM-DD" in "".join(page.extract_text() for page in reader.pages)
    keywords = reader.metadata["/Keywords"]
    assert f"bank={bank.id}" in keywords and f"version={bank.version}" in keywords
    assert all(q.id in keywords for q in questions)


def test_round_trip_reads_exactly_what_was_filled(form, questions, bank):
    typed, expected = typed_and_expected(questions)
    comment = comment_field(questions[0].id)
    reading = read_form(fill(form, typed | {comment: "Enterprise plan only"}), bank, "filled.pdf")
    assert reading.problems == []
    assert {id: answer.value for id, answer in reading.answers.items()} == expected
    document = reading.document
    for answer in reading.answers.values():
        assert answer.status is Status.ANSWERED and answer.method is Method.FORM and answer.confidence == 1.0
        proof = answer.evidence[0]
        assert proof.quote == squash(document.text[proof.start : proof.end])
        assert proof.quote.startswith(f"{answer.key}: ") and proof.file == "filled.pdf"
        assert document.page_at(proof.start) == proof.page >= 2  # the cover has no fields
    assert reading.answers[questions[0].id].note == "Enterprise plan only"
    assert len(reading.answers[questions[0].id].evidence) == 2


def test_empty_fields_are_not_found(form, questions, bank):
    reading = read_form(form, bank)
    assert reading.problems == []
    assert set(reading.answers) == {q.id for q in questions}
    assert all(
        a.status is Status.NOT_FOUND and a.value is None and a.method is Method.FORM for a in reading.answers.values()
    )


def test_durations_parse_to_days_and_hours(bank):
    question = next(q for q in bank.questions if q.answer_type == "duration")
    data = issue_pdf([question], bank, "Us", VENDOR, DUE)
    for typed, days, hours in (("72 hours", 3, 72), ("3 months", 90, 2160), ("indefinite", None, None)):
        answer = read_form(fill(data, {question.id: typed}), bank).answers[question.id]
        assert answer.status is Status.ANSWERED
        assert (answer.value["text"], answer.value["days"], answer.value["hours"]) == (typed, days, hours)


def test_wrong_type_values_are_problems_not_exceptions(form, questions, bank):
    by_kind = {q.answer_type: q.id for q in questions}
    combo = next(q.id for q in questions if len(q.values) > 6)
    radio_enum = next(q.id for q in questions if q.answer_type == "enum" and len(q.values) <= 6)
    wrong = {
        by_kind["duration"]: "soon",
        by_kind["date"]: "next spring",
        radio_enum: "/maybe",
        combo: "sometimes",
        by_kind["url"]: "see our DPA, section 4",
    }
    reading = read_form(fill(form, wrong), bank)
    assert len(reading.problems) == len(wrong)
    for id, value in wrong.items():
        assert any(id in problem for problem in reading.problems), id
        answer = reading.answers[id]
        assert answer.status is Status.NEEDS_REVIEW and answer.value == value.lstrip("/")


def test_a_field_removed_from_the_form(form, questions, bank):
    typed, expected = typed_and_expected(questions)
    gone = questions[1].id

    def remove(writer):
        fields = writer._root_object["/AcroForm"]["/Fields"]
        kept = [ref for ref in fields if ref.get_object().get("/T") != gone]
        writer._root_object["/AcroForm"][NameObject("/Fields")] = ArrayObject(kept)

    reading = read_form(fill(form, typed, remove), bank)
    assert len(reading.problems) == 1 and gone in reading.problems[0] and "missing" in reading.problems[0]
    assert reading.answers[gone].status is Status.NOT_FOUND
    assert {id: a.value for id, a in reading.answers.items() if id != gone} == {
        id: value for id, value in expected.items() if id != gone
    }


def test_an_extra_page_and_a_renamed_field(form, questions, bank):
    typed, expected = typed_and_expected(questions)
    renamed = comment_field(questions[0].id)

    def change(writer):
        writer.add_blank_page()
        for ref in writer._root_object["/AcroForm"]["/Fields"]:
            if ref.get_object().get("/T") == renamed:
                ref.get_object()[NameObject("/T")] = TextStringObject("NOTES")

    reading = read_form(fill(form, typed, change), bank)
    assert {id: a.value for id, a in reading.answers.items()} == expected
    assert len(reading.problems) == 3
    assert any("pages" in problem for problem in reading.problems)
    assert any(renamed in problem and "missing" in problem for problem in reading.problems)
    assert any("NOTES" in problem and "not issued" in problem for problem in reading.problems)
    assert len(reading.document.pages) == len(PdfReader(io.BytesIO(form)).pages) + 1


def test_a_form_from_another_bank_version(questions, bank):
    old = dataclasses.replace(bank, version="0.9.0")
    typed, expected = typed_and_expected(questions)
    reading = read_form(fill(issue_pdf(questions, old, "Us", VENDOR, DUE), typed), bank)
    assert len(reading.problems) == 1 and "0.9.0" in reading.problems[0]
    assert {id: a.value for id, a in reading.answers.items()} == expected


def test_a_file_that_is_not_our_form_gives_one_problem(bank):
    reading = read_form(pdf_bytes(["Data Processing Agreement\nRetention: 30 days"]), bank)
    assert reading.answers == {} and len(reading.problems) == 1
    assert "not an aivet questionnaire form" in reading.problems[0]


def test_a_file_that_is_no_pdf_is_rejected_by_the_sandbox_before_any_form_reader():
    with pytest.raises(UnreadableDocument) as rejected:
        read_document(b"not a pdf at all", "form.pdf")
    assert rejected.value.reason is Reason.TYPE_MISMATCH


def test_long_gap_questionnaire_flows_and_quotes_the_passage(bank):
    questions = list(bank.questions)
    passage = "Customer Content may be used to improve our services."
    data = issue_pdf(questions, bank, "Us", VENDOR, DUE, gaps={"TRN-01": passage})
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) > 10
    assert len(reader.get_fields()) == 2 * len(questions)
    text = " ".join(page.extract_text() for page in reader.pages)
    assert passage in squash(text)
    reading = read_form(data, bank)
    assert reading.problems == [] and len(reading.answers) == len(questions)
