"""Issuing a questionnaire to a vendor: the questions our intake calls for, or only those its documents left
open, as a fillable PDF, a spreadsheet or a link — recorded for tracking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import col, select

from extraction import Status
from questionnaires.bank import Bank, Question, intake_flags, load_bank
from questionnaires.pdf_form import issue_pdf
from questionnaires.spreadsheet import issue_xlsx
from scoring import Intake
from store.extractions import vendor_answers
from store.models import QuestionnaireRecord
from store.questionnaires import Issued, issue_questionnaire
from store.vendors import InvalidInput, list_vendors
from store.workspace import Workspace

LOW_CONFIDENCE = 0.5  # below this an extracted answer is asked again


@dataclass(frozen=True)
class IssuedQuestionnaire:
    issued: Issued
    filename: str | None  # the file to send (PDF or XLSX); None for a link
    data: bytes | None


def open_questions(workspace: Workspace, vendor_id: int, bank: Bank, questions: list[Question], actor: str) -> dict[str, str]:
    """The questions the vendor's documents and submitted answers leave open: {question id: the passage that
    left it open, or "" where nothing was found}. Not found, conflicting and low-confidence answers stay open."""
    answers = vendor_answers(workspace, vendor_id, actor).merged.answers
    with workspace.transaction() as session:
        submitted = session.exec(select(QuestionnaireRecord).where(
            QuestionnaireRecord.vendor_id == vendor_id, col(QuestionnaireRecord.submitted_at).is_not(None))).all()
    answered_before = {question_id for record in submitted for question_id in record.answers}
    gaps = {}
    for question in questions:
        if question.id in answered_before:
            continue
        answer = answers.get(question.answer_key) if question.answer_key else None
        if answer is not None and answer.status == Status.ANSWERED and answer.confidence >= LOW_CONFIDENCE:
            continue
        gaps[question.id] = answer.evidence[0].quote if answer is not None and answer.evidence else ""
    return gaps


def issue_to_vendor(workspace: Workspace, vendor_id: int, channel: str, due: date, intake: Intake, actor: str,
                    only_gaps: bool = False, our_company: str = "our company") -> IssuedQuestionnaire:
    """Select, render and record one questionnaire for a vendor."""
    vendors = {vendor.id: vendor.name for vendor in list_vendors(workspace)}
    if vendor_id not in vendors:
        raise InvalidInput("That vendor does not exist. Pick a vendor from the list.")
    bank = load_bank()
    questions = bank.select(intake_flags(intake))
    gaps = open_questions(workspace, vendor_id, bank, questions, actor) if only_gaps else {}
    if only_gaps:
        questions = [question for question in questions if question.id in gaps]
    issued = issue_questionnaire(workspace, vendor_id, bank.id, bank.version, [question.id for question in questions],
                                 channel, due, actor, {key: passage for key, passage in gaps.items() if passage})
    passages = issued.record.gaps
    stem = f"{vendors[vendor_id]}-questionnaire-{issued.record.id}".replace(" ", "-")
    if channel == "pdf":
        return IssuedQuestionnaire(issued, f"{stem}.pdf", issue_pdf(questions, bank, our_company, vendors[vendor_id], due, passages))
    if channel == "xlsx":
        return IssuedQuestionnaire(issued, f"{stem}.xlsx", issue_xlsx(questions, bank, our_company, vendors[vendor_id], due, passages))
    return IssuedQuestionnaire(issued, None, None)
