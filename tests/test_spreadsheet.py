"""The questionnaire workbook: issued, filled in by a 'vendor' with openpyxl, and read back."""

import dataclasses
import datetime
import io
import random

import openpyxl
import pytest

from documents import Reason, UnreadableDocument, read_document
from extraction.model import Method, Status, squash
from questionnaires.bank import load_bank
from questionnaires.spreadsheet import LISTS, MATCH_CUTOFF, QUESTIONNAIRE, issue_xlsx, read_xlsx

DUE = datetime.date(2026, 12, 1)
ALL_FLAGS = {
    "always": True,
    "personal_data": True,
    "genai": True,
    "gpai_based": True,
    "high_risk_use": True,
    "dora_cif": True,
    "customer_facing": True,
    "non_eea": True,
}


@pytest.fixture(scope="module")
def bank():
    return load_bank()


@pytest.fixture(scope="module")
def questions(bank):
    return bank.select(ALL_FLAGS)


def _first(questions, answer_type):
    return next(question for question in questions if question.answer_type == answer_type)


def _open(data):
    return openpyxl.load_workbook(io.BytesIO(data))


def _save(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _read(data, bank, filename="answers.xlsx"):
    """Read a returned workbook as the app does: the sandbox reads the file, the form reader the cells it found."""
    return read_xlsx(read_document(data, filename), bank)


def _headers(sheet):
    return {cell.value: cell.column for cell in sheet[1]}


def _fill(workbook, answers, header="Answer"):
    """Write answers by id, as a vendor would."""
    sheet = workbook[QUESTIONNAIRE]
    columns = _headers(sheet)
    for row in range(2, sheet.max_row + 1):
        id = sheet.cell(row, columns["ID"]).value
        if id in answers:
            sheet.cell(row, columns[header], answers[id])


def test_round_trip_with_every_answer_type_shuffled_rows_and_an_extra_column(bank, questions):
    by_type = {
        kind: _first(questions, kind)
        for kind in ("yes_no", "enum", "duration", "list_of_entities", "date", "free_text", "url")
    }
    enum = by_type["enum"]
    written = {
        by_type["yes_no"].id: "Y",
        enum.id: enum.values[1].upper(),
        by_type["duration"].id: "thirty (30) days",
        by_type["list_of_entities"].id: "Acme Cloud GmbH, Germany\n  \nModelCo Inc., USA",
        by_type["date"].id: datetime.datetime(2026, 3, 31),
        by_type["free_text"].id: "We review the policy yearly.",
        by_type["url"].id: "https://vendor.example/dpa",
    }
    expected = {
        by_type["yes_no"].id: "yes",
        enum.id: enum.values[1],
        by_type["duration"].id: {"text": "thirty (30) days", "days": 30, "hours": 720, "business": False},
        by_type["list_of_entities"].id: ["Acme Cloud GmbH, Germany", "ModelCo Inc., USA"],
        by_type["date"].id: "2026-03-31",
        by_type["free_text"].id: "We review the policy yearly.",
        by_type["url"].id: "https://vendor.example/dpa",
    }
    workbook = _open(issue_xlsx(questions, bank, "Acme Bank AG", "ModelCo", DUE))
    _fill(workbook, written)
    sheet = workbook[QUESTIONNAIRE]
    sheet.cell(2, _headers(sheet)["Comment"], "Enterprise plan only")
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    random.Random(7).shuffle(rows)
    for number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            sheet.cell(number, column).value = value  # cell(..., None) would keep the old value
    sheet.insert_cols(2)
    sheet.cell(1, 2, "Our internal owner")
    data = _save(workbook)

    reading = _read(data, bank, "modelco.xlsx")

    assert reading.layout == "ours" and reading.problems == []
    assert set(reading.answers) == {question.id for question in questions}
    for id, value in expected.items():
        answer = reading.answers[id]
        assert (answer.value, answer.status, answer.method, answer.confidence) == (
            value,
            Status.ANSWERED,
            Method.FORM,
            1.0,
        )
        evidence = answer.evidence[0]
        assert evidence.quote == squash(reading.text[evidence.start : evidence.end]) and evidence.file == "modelco.xlsx"
        assert evidence.quote.startswith(f"{QUESTIONNAIRE}!F") and id in evidence.quote and evidence.page == 2
    first = questions[0].id
    assert "Comment: Enterprise plan only" in reading.answers[first].note
    unanswered = next(id for id in reading.answers if id not in expected and id != first)
    assert reading.answers[unanswered].status == Status.NOT_FOUND and reading.answers[unanswered].value is None


def test_issue_has_instructions_drop_downs_and_protection(bank, questions):
    workbook = _open(issue_xlsx(questions, bank, "Acme Bank AG", "ModelCo", DUE))
    assert workbook.sheetnames == ["Instructions", QUESTIONNAIRE, LISTS] and workbook[LISTS].sheet_state == "hidden"
    instructions = "\n".join(str(cell.value) for row in workbook["Instructions"].iter_rows() for cell in row)
    for text in ("Acme Bank AG", "ModelCo", "2026-12-01", bank.id, bank.version, "How to fill in", "used"):
        assert text in instructions
    sheet = workbook[QUESTIONNAIRE]
    columns = _headers(sheet)
    assert sheet.freeze_panes == "A2" and sheet.protection.sheet
    validations = sheet.data_validations.dataValidation
    for row in range(2, sheet.max_row + 1):
        question = bank.question(sheet.cell(row, columns["ID"]).value)
        answer = sheet.cell(row, columns["Answer"])
        assert (
            sheet.cell(row, columns["ID"]).protection.locked and sheet.cell(row, columns["Question"]).protection.locked
        )
        assert not answer.protection.locked and not sheet.cell(row, columns["Comment"]).protection.locked
        covering = [item for item in validations if answer.coordinate in item.sqref]
        if question.answer_type in ("yes_no", "enum"):
            allowed = ("yes", "no") if question.answer_type == "yes_no" else question.values
            assert len(covering) == 1 and covering[0].type == "list"
            assert covering[0].formula1 == '"' + ",".join(allowed) + '"'
        else:
            assert covering == []


def test_a_long_enum_list_goes_to_the_hidden_lists_sheet(bank, questions):
    enum = _first(questions, "enum")
    long_values = tuple(f"a_rather_long_value_number_{index:02d}" for index in range(12))  # > 255 characters inline
    workbook = _open(issue_xlsx([dataclasses.replace(enum, values=long_values)], bank, "Acme", "ModelCo", DUE))
    validation = workbook[QUESTIONNAIRE].data_validations.dataValidation[0]
    assert validation.formula1 == "'Lists'!$A$1:$A$12"
    assert [row[0].value for row in workbook[LISTS].iter_rows()] == list(long_values)


def test_wrong_types_unknown_and_duplicated_ids_are_reported_per_row(bank, questions):
    enum, duration, yes_no = (_first(questions, kind) for kind in ("enum", "duration", "yes_no"))
    workbook = _open(issue_xlsx(questions, bank, "Acme", "ModelCo", DUE))
    _fill(workbook, {enum.id: "maybe", duration.id: "it depends", yes_no.id: "perhaps"})
    sheet = workbook[QUESTIONNAIRE]
    sheet.append(["XYZ-99", None, None, None, "yes"])
    sheet.append([enum.id, None, None, None, enum.values[0]])
    last = sheet.max_row
    reading = _read(_save(workbook), bank)

    def problem(text):
        return [item for item in reading.problems if text in item]

    assert len(reading.problems) == 5
    assert problem(f"{enum.id} answer 'maybe' is not one of the listed values")
    assert problem(f"{duration.id} answer 'it depends' is not a duration")
    assert problem(f"{yes_no.id} answer 'perhaps' is not yes or no")
    assert problem(f"row {last - 1}: id 'XYZ-99' is not a question")
    assert problem(f"row {last}: {enum.id} appears again")
    answer = reading.answers[enum.id]
    assert (answer.status, answer.value) == (Status.NEEDS_REVIEW, "maybe")  # kept for review, never lost


def test_a_vendors_own_layout_is_matched_to_the_bank(bank):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Security questionnaire"
    sheet.append(["ModelCo vendor assessment v3"])
    sheet.append([])
    sheet.append(["Ref", "Control question", "Internal note", "Vendor Response", "Comments"])
    sheet.append(["Data retention"])  # a heading row: no answer, not a problem
    rows = [
        ("R1", "How long do you retain prompts and outputs by default?", "30 days", "RET-01"),
        ("R2", "Within how many hours will you notify us of a personal data breach?", "72 hours", "INC-01"),
        ("R3", "How much notice do you give before adding a new sub-processor?", "30 days by email", "SUB-03"),
        ("R4", "What is your favourite colour?", "Blue", None),
    ]
    for ref, question, answer, _ in rows:
        sheet.append([ref, question, "x", answer, "see DPA"])

    reading = _read(_save(workbook), bank)

    assert reading.layout == "foreign"
    assert [(theirs, id) for theirs, id, _ in reading.matches] == [(question, id) for _, question, _, id in rows if id]
    for _, id, score in reading.matches:
        assert MATCH_CUTOFF <= score <= 100
        answer = reading.answers[id]
        assert answer.confidence == pytest.approx(score / 100) and answer.method == Method.FORM
    assert reading.answers["INC-01"].value == {
        "text": "72 hours",
        "days": 3,
        "hours": 72,
        "business": False,
    }  # hours round up to whole days
    assert reading.problems == [
        "Sheet 'Security questionnaire' row 8: question 'What is your favourite colour?' "
        "matches no question of the bank."
    ]


def test_strange_workbooks_give_a_problem_not_an_exception(bank):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Name", "Price"])
    workbook.active.append(["Widget", 3])
    reading = _read(_save(workbook), bank)
    assert reading.answers == {} and len(reading.problems) == 1
    assert "expected columns" in reading.problems[0] and "'Answer'" in reading.problems[0]
    csv = read_document(b"Name,Price\nWidget,3\n", "prices.csv")
    assert read_xlsx(csv, bank).problems == ["The file is not a readable XLSX workbook (it was read as csv)."]
    with pytest.raises(UnreadableDocument) as rejected:  # the sandbox stops it before any questionnaire code
        read_document(b"not a workbook", "answers.xlsx")
    assert rejected.value.reason is Reason.TYPE_MISMATCH


def test_another_bank_version_is_reported(bank, questions):
    data = issue_xlsx(questions[:3], bank, "Acme", "ModelCo", DUE)
    reading = _read(data, dataclasses.replace(bank, version="9.9.9"))
    assert any(f"issued from question bank {bank.id} {bank.version}" in item for item in reading.problems)


def test_formulas_are_read_as_text_and_never_written(bank, questions):
    free_text = _first(questions, "free_text")
    formula = '=HYPERLINK("http://evil.example","click")'
    data = issue_xlsx(questions, bank, "Acme", "=cmd|' /C calc'!A0", DUE, gaps={free_text.id: "@SUM(1+1)"})
    workbook = _open(data)
    instructions = [cell for row in workbook["Instructions"].iter_rows() for cell in row if cell.value]
    assert all(cell.data_type != "f" for cell in instructions)
    assert "'=cmd|' /C calc'!A0" in [cell.value for cell in instructions]
    sheet = workbook[QUESTIONNAIRE]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    passages = [cell.value for cell in sheet[get_letter(sheet, "Passage that left this open")] if cell.value]
    assert "'@SUM(1+1)" in passages

    _fill(workbook, {free_text.id: formula})
    assert any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)  # the vendor's cell is a formula
    answer = _read(_save(workbook), bank).answers[free_text.id]
    assert (answer.value, answer.status) == (formula, Status.ANSWERED)


def get_letter(sheet, header):
    return openpyxl.utils.get_column_letter(_headers(sheet)[header])
