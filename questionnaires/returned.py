"""Reading a returned questionnaire (our fillable PDF, our spreadsheet, or a vendor's own question/answer sheet)
and turning its answers into the answer keys that documents give, so both are merged and scored alike."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from typing import Any

from documents import Document
from extraction import (
    ANSWER_KEYS,
    Answer,
    DocumentExtraction,
    Method,
    Status,
    answer_key,
    canonical_company,
    company_at_start,
    countries_in,
    extract_document,
    squash,
    value_from_text,
)

from .bank import Bank, Question
from .layouts import find_pairs, read_layout
from .pdf_form import read_pdf_form
from .spreadsheet import read_xlsx
from .values import AnswerText, form_answer


@dataclass(frozen=True)
class ReturnedForm:
    """The answers of a returned questionnaire, by question id and by answer key, and what was wrong with it."""

    by_question: dict[str, Answer]
    by_key: dict[str, Answer]
    problems: list[str] = field(default_factory=list)
    matches: list[tuple[str, str, float]] = field(default_factory=list)  # foreign sheets: their question, our id, score
    document: Document | None = None  # the form's answers as text; evidence spans point into it
    # A vendor's own layout: the file read as any document too, and every pair of theirs with its match.
    extracted: DocumentExtraction | None = None
    layout: str = "ours"  # ours · vendor
    pairs: list[dict[str, Any]] = field(default_factory=list)

    def to_extraction(self, file: str, sha256: str, pages: int, bank: Bank) -> DocumentExtraction:
        """The form as one more document of the vendor: the answer keys (not_found where unanswered), the answers
        of the questions that fill no key under their question id (so a profile scores every question), and
        under `form` the answers per question, the problems and, for a vendor's own sheet, the matches.

        A vendor's layout gives the keys its matched answers fill and the keys its text gives when read as a
        document (combine_keys): an answer the text contradicts is a conflict for review."""
        answers = {key: self.by_key.get(key) or Answer.not_found(key) for key in ANSWER_KEYS}
        flags: tuple = ()
        if self.extracted is not None:
            answers = {key: combine_keys(key, self.by_key.get(key), self.extracted.answers[key]) for key in ANSWER_KEYS}
            flags = self.extracted.flags
        answers |= {
            question_id: answer
            for question_id, answer in self.by_question.items()
            if _in_bank(bank, question_id) and not bank.question(question_id).answer_key
        }
        form = {
            "bank": {"id": bank.id, "version": bank.version},
            "questions": {question_id: answer.to_json() for question_id, answer in self.by_question.items()},
            "problems": list(self.problems),
            "matches": [
                {"theirs": theirs, "question": ours, "score": round(score, 1)} for theirs, ours, score in self.matches
            ],
        }
        if self.layout != "ours":
            form["layout"] = self.layout
            form["pairs"] = list(self.pairs)
        return DocumentExtraction(file, sha256, pages, answers, flags, form=form)


def combine_keys(key: str, form: Answer | None, extracted: Answer) -> Answer:
    """One key from a vendor layout's answer (method form) and from its text read as a document (rule).

    Agreeing, the form answer keeps both quotes; lists add up; disagreeing, the worse value is kept as a conflict
    quoting both, as when two documents disagree (extraction.merge)."""
    if form is None or form.status == Status.NOT_FOUND:
        return extracted
    if extracted.status == Status.NOT_FOUND or extracted.value is None:
        return form
    rule = answer_key(key)
    evidence = tuple(dict.fromkeys(form.evidence + extracted.evidence))
    if rule.merge.kind != "worst":
        items = list(extracted.value or [])
        names = {squash(str(item.get("name", ""))).lower() for item in items if isinstance(item, dict)}
        for item in form.value or []:
            name = squash(str(item.get("name", ""))).lower() if isinstance(item, dict) else ""
            if item not in items and not (name and name in names):
                items.append(item)
        return replace(form, value=items, evidence=evidence, rule=extracted.rule)
    ours, theirs = rule.comparable(form.value), rule.comparable(extracted.value)
    if ours is None or ours == theirs:
        return replace(form, value=form.value if ours is not None else extracted.value, evidence=evidence)
    worst = max((form, extracted), key=lambda answer: rule.risk(rule.comparable(answer.value)))
    note = (
        f"The questionnaire answer ({ours}) and the file's text ({theirs}) disagree on {key.replace('_', ' ')}; "
        "the worse value is kept for review."
    )
    return Answer(
        key,
        worst.value,
        Status.CONFLICT,
        min(form.confidence, extracted.confidence),
        worst.method,
        evidence,
        note,
        extracted.rule,
    )


def read_returned_form(document: Document, bank: Bank) -> ReturnedForm | None:
    """The answers of a questionnaire file, or None when the file is not a questionnaire aivet can read.

    `document` is the file as the sandboxed reader read it, with the fields or cells it found in `document.form`:
    a file only reaches the form readers after it passed the same limits as any vendor file, and its bytes are
    never opened outside the sandbox."""
    if document.kind == "pdf" and document.form is not None:
        reading = read_pdf_form(document, bank)
        if reading.document is not None:  # our marker is on it
            return ReturnedForm(
                reading.answers, answer_keys(reading.answers, bank), reading.problems, [], reading.document
            )
    if document.kind == "xlsx" and document.form is not None:
        reading = read_xlsx(document, bank)
        if reading.layout == "ours":  # our marker, or our ids asking our questions
            form = Document.from_pages(document.sha256, "xlsx", document.filename, [("1", reading.text, False)])
            return ReturnedForm(
                reading.answers, answer_keys(reading.answers, bank), reading.problems, reading.matches, form
            )
    return read_vendor_layout(document, bank)


def read_vendor_layout(document: Document, bank: Bank) -> ReturnedForm | None:
    """A questionnaire in the vendor's own layout (questionnaires/layouts.py), or None when the file holds no
    question/answer pairs: its answers by our question id, typed, with their cells as evidence, and the file
    read as a document too, so its text answers the keys like any document's."""
    pairs = find_pairs(document)
    if len(pairs) < 2:
        return None
    reading = read_layout(document, pairs, bank)
    matched = [(item.pair.question, item.question_id, item.score) for item in reading.matches if item.question_id]
    return ReturnedForm(
        reading.answers,
        answer_keys(reading.answers, bank),
        reading.problems,
        matched,
        document,
        extract_document(document),
        "vendor",
        [item.to_json() for item in reading.matches],
    )


def _in_bank(bank: Bank, question_id: str) -> bool:
    try:
        bank.question(question_id)
    except KeyError:
        return False
    return True


def _subprocessor(line: str) -> dict[str, Any]:
    """'Anthropic (United States) – model inference' → {name, country, purpose}."""
    span = company_at_start(line)
    name = line[span[0] : span[1]] if span else line.split(" – ")[0].split(" - ")[0].split(",")[0]
    rest = line[span[1] :] if span else line[len(name) :]
    purpose = rest.split("–")[-1].split(" - ")[-1].split(":")[-1].strip(" ,;()") or None
    return {
        "name": canonical_company(name),
        "listed_as": name.strip(),
        "country": ", ".join(countries_in(rest)) or None,
        "purpose": None if purpose and countries_in(purpose) and len(purpose) < 30 else purpose,
    }


def _key_value(question: Question, value: Any) -> Any:
    """A question's answer in the shape of its answer key, as the registry's form shape says."""
    shape = answer_key(question.answer_key).form
    if shape.source == "enum":
        return shape.fill(question.answer_key_values[value])
    if shape.source == "entities":
        return [_subprocessor(line) for line in value]
    if shape.source == "read":  # the answer's words, read as the key's document reader reads a claim
        text = "\n".join(value) if isinstance(value, list) else str(value)
        return value_from_text(question.answer_key, text, shape.asks)
    return shape.fill(value.get(shape.take) if isinstance(value, dict) else None)


def answer_keys(by_question: dict[str, Answer], bank: Bank) -> dict[str, Answer]:
    """The answer keys the questionnaire's questions fill, and the keys filled from those (a returned RET-01
    gives a retention period too); a key whose question went unanswered is not_found."""
    keys = {}
    for question_id, answer in by_question.items():
        question = bank.question(question_id)
        if not question.answer_key or answer.status not in (Status.ANSWERED, Status.CONFLICT):
            continue
        value = _key_value(question, answer.value)
        status, note = answer.status, answer.note
        if value is None and answer_key(question.answer_key).form.source == "read":
            status = Status.NEEDS_REVIEW
            note = "; ".join(
                part for part in (note, "The answer names nothing the reader recognises; read it.") if part
            )
        keys[question.answer_key] = Answer(
            question.answer_key, value, status, answer.confidence, Method.FORM, answer.evidence, note
        )
    for key in ANSWER_KEYS:
        shape = answer_key(key).form
        if shape is not None and shape.source == "key" and shape.key in keys:
            source = keys[shape.key]
            keys[key] = Answer(
                key, shape.fill(source.value), source.status, source.confidence, Method.FORM, source.evidence
            )
    return keys


def read_link_answers(answers: dict[str, dict[str, Any]], bank: Bank, name: str) -> ReturnedForm:
    """The answers a vendor submitted through a link, typed like a returned form; the evidence points into a
    text of "ID: answer" lines, one per answered question."""
    builder = AnswerText(hashlib.sha256(json.dumps(answers, sort_keys=True, default=str).encode()).hexdigest(), name)
    by_question, problems = {}, []
    for question_id, answer in answers.items():
        raw = answer.get("value")
        evidence = (builder.add(1, squash(f"{question_id}: {raw}")),)
        try:
            question = bank.question(question_id)
        except KeyError:
            problems.append(
                f"{question_id}: this question is not in bank {bank.id} {bank.version}; its answer was kept aside."
            )
            continue
        text_answer = "\n".join(raw) if isinstance(raw, list) else str(raw)
        by_question[question_id], why = form_answer(question, text_answer, 1.0, evidence)
        if why:
            problems.append(f"{question_id}: answer {text_answer[:60]!r} {why}.")
    document = Document.from_pages(builder.sha256, "text", name, [("1", builder.text(), False)])
    return ReturnedForm(by_question, answer_keys(by_question, bank), problems, [], document)
