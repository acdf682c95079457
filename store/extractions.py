"""Extractions kept per document, redone when the engine or its knowledge changes; a vendor's answers merged.

A document's extraction is replaced whole in one transaction and audited, so a reviewer never sees
half of one run and half of another."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from extraction import DocumentExtraction, MergedExtraction, engine_version, extract_document, merge_extractions
from extraction.engine import extract_returned_form
from extraction.model import squash
from questionnaires.bank import load_bank
from questionnaires.returned import read_link_answers
from store.audit import record_event
from store.documents import load_document
from store.models import DocumentRecord, DocumentStatus, ExtractionRecord, QuestionnaireRecord, utc_now
from store.workspace import Workspace


@dataclass(frozen=True)
class VendorAnswers:
    """Every read document's extraction for one vendor, and the merged answers."""

    documents: list[tuple[DocumentRecord, DocumentExtraction]]
    merged: MergedExtraction
    links: list[DocumentExtraction] = field(default_factory=list)  # answers submitted through questionnaire links


def extract_and_record(workspace: Workspace, document_id: int, actor: str) -> DocumentExtraction:
    """Extract one read document and keep the result, replacing an earlier one."""
    document = load_document(workspace, document_id)
    extraction = extract_returned_form(document) or extract_document(document)
    try:
        _record(workspace, document_id, extraction, actor)
    except IntegrityError:  # another session stored the same extraction a moment earlier
        pass
    return extraction


def _record(workspace: Workspace, document_id: int, extraction: DocumentExtraction, actor: str) -> None:
    with workspace.transaction() as session:
        record = session.exec(select(ExtractionRecord).where(ExtractionRecord.document_id == document_id)).first()
        before = {"engine_version": record.engine_version} if record else None
        record = record or ExtractionRecord(document_id=document_id)
        record.engine_version = engine_version()
        record.result = extraction.to_json()
        record.extracted_at = utc_now()
        record.extracted_by = actor
        session.add(record)
        summary = {key: str(answer.status) for key, answer in extraction.answers.items()}
        record_event(session, actor, "document.extracted", "document", document_id, before=before,
                     after={"engine_version": record.engine_version, "answers": summary, "flags": len(extraction.flags)})


def refresh_vendor(workspace: Workspace, vendor_id: int, actor: str) -> int:
    """Extract every read document of a vendor whose extraction is missing, from another engine, or older than
    its last reading; returns how many were extracted."""
    with workspace.transaction() as session:
        stale = session.exec(
            select(DocumentRecord.id)
            .outerjoin(ExtractionRecord, col(ExtractionRecord.document_id) == col(DocumentRecord.id))
            .where(DocumentRecord.vendor_id == vendor_id, DocumentRecord.status == DocumentStatus.READ)
            .where(
                col(ExtractionRecord.id).is_(None)
                | (col(ExtractionRecord.engine_version) != engine_version())
                | (col(ExtractionRecord.extracted_at) < col(DocumentRecord.read_at))
            )
        ).all()
    for document_id in stale:
        extract_and_record(workspace, document_id, actor)
    return len(stale)


def vendor_answers(workspace: Workspace, vendor_id: int, actor: str) -> VendorAnswers:
    """The vendor's answers, per document and merged; documents added since the last look are extracted first."""
    refresh_vendor(workspace, vendor_id, actor)
    with workspace.transaction() as session:
        rows = session.exec(
            select(DocumentRecord, ExtractionRecord)
            .join(ExtractionRecord, col(ExtractionRecord.document_id) == col(DocumentRecord.id))
            .where(DocumentRecord.vendor_id == vendor_id, DocumentRecord.status == DocumentStatus.READ)
            .order_by(col(DocumentRecord.id))
        ).all()
        documents = [(record, DocumentExtraction.from_json(extracted.result)) for record, extracted in rows]
        submitted = session.exec(select(QuestionnaireRecord).where(
            QuestionnaireRecord.vendor_id == vendor_id, col(QuestionnaireRecord.submitted_at).is_not(None),
            QuestionnaireRecord.channel == "link").order_by(col(QuestionnaireRecord.id))).all()
    links = [_link_extraction(record) for record in submitted]
    return VendorAnswers(documents, merge_extractions([extraction for _, extraction in documents] + links), links)


def _link_extraction(record: QuestionnaireRecord) -> DocumentExtraction:
    """A submitted link questionnaire, read like a returned form so its answers merge with the documents'."""
    bank = load_bank()
    returned = read_link_answers(record.answers, bank, f"questionnaire link #{record.id}")
    return returned.to_extraction(returned.document.filename, returned.document.sha256, 1, bank)


@dataclass(frozen=True)
class QuoteInPage:
    """Where a quote sits: its page's text and the quote's span inside that page."""

    filename: str
    page: int
    page_text: str
    start: int
    end: int


def locate_quote(workspace: Workspace, answers: VendorAnswers, evidence) -> QuoteInPage:
    """The page text around one piece of evidence, for showing the quote highlighted in place."""
    record = next((record for record, extraction in answers.documents if extraction.sha256 == evidence.document_sha256), None)
    if record is not None:
        document = load_document(workspace, record.id)
        page = document.pages[evidence.page - 1]
        text = document.page_text(page.number)
        start, end = evidence.start - page.start, evidence.end - page.start
        if 0 <= start < end <= len(text) and squash(text[start:end]) == evidence.quote:
            return QuoteInPage(record.filename, page.number, text, start, end)
    # A form field or a link answer: the evidence names the field; there is no page text to highlight it in.
    return QuoteInPage(evidence.file, evidence.page, evidence.quote, 0, len(evidence.quote))
