"""Issuing a questionnaire to a vendor — the questions our intake calls for, or only those its documents left
open, as a fillable PDF, a spreadsheet or a link — and what the vendor sends back through a link."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import date
from typing import Any

from aivet.access import Actor, Role
from aivet.names import file_name_part
from extraction import Status
from questionnaires.bank import Bank, Question, intake_flags, load_bank
from questionnaires.pdf_form import issue_pdf
from questionnaires.spreadsheet import issue_xlsx
from questionnaires.values import LinkAnswersError, checked_link_answers
from scoring import Intake
from store.documents import IngestOutcome
from store.models import QuestionnaireRecord
from store.questionnaires import Issued, LinkRefused, current_link, issue_questionnaire, link_open_for_files
from store.questionnaires import open_link as store_open_link
from store.questionnaires import revoke_link as store_revoke_link
from store.questionnaires import save_answers as store_answers
from store.vendors import InvalidInput, get_vendor, list_vendors
from store.workspace import Workspace
from workflows.answers import ANSWER_ITEM, vendor_answers
from workflows.documents import ingest_file
from workflows.status import refresh_status

LOW_CONFIDENCE = 0.5  # below this an extracted answer is asked again


@dataclass(frozen=True)
class IssuedQuestionnaire:
    issued: Issued
    filename: str | None  # the file to send (PDF or XLSX); None for a link
    data: bytes | None


def open_questions(workspace: Workspace, vendor_id: int, questions: list[Question]) -> dict[str, str]:
    """The questions the vendor's documents, returned forms and link answers leave open: {question id: the
    passage that left it open, or "" where nothing was found}. Not found, conflicting and uncertain answers
    stay open; a question answered in a returned form or a submitted link is closed, unless a reviewer asked
    the vendor about its answer since (the reviewer's question is then the passage)."""
    vendor = vendor_answers(workspace, vendor_id)
    forms = [extraction.form for _, extraction in vendor.documents if extraction.form] + [
        link.form for link in vendor.links
    ]
    answered_before = {
        question_id
        for form in forms
        for question_id, answer in form["questions"].items()
        if answer["status"] == Status.ANSWERED
    }
    asked = {
        item.removeprefix(ANSWER_ITEM): decision.reason
        for item, decision in vendor.decisions.items()
        if decision.action == "ask" and item.startswith(ANSWER_ITEM)
    }
    gaps = {}
    for question in questions:
        if question.answer_key in asked:
            gaps[question.id] = f"Our reviewer asks: {asked[question.answer_key]}"
            continue
        if question.id in answered_before:
            continue
        answer = vendor.merged.answers.get(question.answer_key) if question.answer_key else None
        if answer is not None and answer.status == Status.ANSWERED and answer.confidence >= LOW_CONFIDENCE:
            continue
        gaps[question.id] = answer.evidence[0].quote if answer is not None and answer.evidence else ""
    return gaps


def issue_to_vendor(
    workspace: Workspace,
    vendor_id: int,
    channel: str,
    due: date,
    intake: Intake | None,
    actor: Actor,
    only_gaps: bool = False,
    our_company: str = "our company",
) -> IssuedQuestionnaire:
    """Select (for the vendor's own intake unless another is given) and render one questionnaire, then record
    it: nothing is tracked as sent that could not be made."""
    actor.require("questionnaire.issue")
    vendors = {vendor.id: vendor.name for vendor in list_vendors(workspace)}
    if vendor_id not in vendors:
        raise InvalidInput("That vendor does not exist. Pick a vendor from the list.")
    bank: Bank = load_bank()
    intake = intake or Intake.from_json(get_vendor(workspace, vendor_id).intake)
    questions = bank.select(intake_flags(intake))
    gaps = open_questions(workspace, vendor_id, questions) if only_gaps else None
    if gaps is not None:
        questions = [question for question in questions if question.id in gaps]
    if not questions:
        raise InvalidInput("There are no questions to ask: the vendor's answers already cover every question.")
    passages = {key: passage for key, passage in gaps.items() if passage} if gaps is not None else None
    render = {"pdf": issue_pdf, "xlsx": issue_xlsx}.get(channel)
    data = render(questions, bank, our_company, vendors[vendor_id], due, passages) if render else None
    issued = issue_questionnaire(
        workspace,
        vendor_id,
        bank.id,
        bank.version,
        [question.id for question in questions],
        channel,
        due,
        actor.name,
        gaps,
    )
    filename = f"{file_name_part(vendors[vendor_id])}-questionnaire-{issued.record.id}.{channel}" if render else None
    return IssuedQuestionnaire(issued, filename, data)


def revoke_link(workspace: Workspace, questionnaire_id: int, actor: Actor) -> None:
    actor.require("questionnaire.revoke")
    store_revoke_link(workspace, questionnaire_id, actor.name)


def attach_file(workspace: Workspace, token: str, filename: str, data: bytes) -> IngestOutcome:
    """A file the vendor uploads through its link, taken in with the vendor's other documents."""
    record = link_open_for_files(workspace, token)
    return ingest_file(workspace, record.vendor_id, filename, data, Actor(f"vendor link #{record.id}", Role.VENDOR))


def save_answers(workspace: Workspace, token: str, answers: Any, submit: bool = False) -> QuestionnaireRecord:
    """A vendor's answers through its link, checked (shape, questions asked, length) before they are kept as a
    draft or submitted."""
    asked = current_link(workspace, token).question_ids
    try:
        checked = checked_link_answers(answers, asked, workspace.limits.max_answer_chars)
    except LinkAnswersError as problem:
        raise InvalidInput(str(problem)) from None
    record = store_answers(workspace, token, checked, submit)
    if submit:
        refresh_status(workspace, record.vendor_id)
    return record


REFUSALS_AUDITED_PER_MINUTE = 5  # per source; beyond it, guessing tokens costs the audit log nothing
_refusals: dict[str, deque[float]] = defaultdict(deque)
_refusals_lock = threading.Lock()


def _audit_refusal(source: str) -> bool:
    """Whether one more refused link from `source` is written to the audit log (a sliding minute)."""
    now = time.monotonic()
    with _refusals_lock:
        recent = _refusals[source]
        while recent and now - recent[0] > 60:
            recent.popleft()
        recent.append(now)
        return len(recent) <= REFUSALS_AUDITED_PER_MINUTE


def open_link(workspace: Workspace, token: str, source: str = "unknown") -> QuestionnaireRecord:
    """The questionnaire behind a vendor's link; refusals are audited, at most a few a minute per source."""
    try:
        return store_open_link(workspace, token, source, audit_refusal=False)
    except LinkRefused:
        if _audit_refusal(source):
            store_open_link(workspace, token, source, audit_refusal=True)
        raise
