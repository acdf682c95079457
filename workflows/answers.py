"""A vendor's answers as stored: per document, from submitted links, and merged. Looking changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

from documents import Document
from documents.model import Block, FormData
from extraction import (
    Answer,
    DocumentExtraction,
    Evidence,
    MergedExtraction,
    Review,
    apply_reviews,
    merge_extractions,
    squash,
)
from questionnaires.bank import load_bank
from questionnaires.returned import read_link_answers
from store.documents import read_pages
from store.extractions import stale_documents, submitted_links, vendor_extractions
from store.models import DocumentRecord, QuestionnaireRecord, ReviewDecision
from store.reviews import standing_decisions
from store.workspace import Workspace
from workflows.extract import engine_version


@dataclass(frozen=True)
class VendorAnswers:
    """Every read document's extraction for one vendor, the submitted links, and the merged answers with the
    reviewers' decisions applied (`extracted` keeps them as the documents and forms gave them)."""

    documents: list[tuple[DocumentRecord, DocumentExtraction]]
    merged: MergedExtraction
    links: list[DocumentExtraction] = field(default_factory=list)  # answers submitted through questionnaire links
    stale: int = 0  # read documents whose extraction is missing or from another engine: refresh_extractions redoes them
    extracted: dict[str, Answer] = field(default_factory=dict)
    decisions: dict[str, ReviewDecision] = field(default_factory=dict)  # the standing decision per queue item


def vendor_answers(workspace: Workspace, vendor_id: int) -> VendorAnswers:
    """The vendor's answers as extracted and reviewed, and how many documents wait to be extracted again."""
    documents = [
        (record, DocumentExtraction.from_json(result)) for record, result in vendor_extractions(workspace, vendor_id)
    ]
    links = [_link_extraction(record) for record in submitted_links(workspace, vendor_id)]
    merged = merge_extractions([extraction for _, extraction in documents] + links)
    decisions = standing_decisions(workspace, vendor_id)
    reviewed = apply_reviews(merged.answers, [review for item in decisions.values() if (review := _review(item))])
    return VendorAnswers(
        documents,
        MergedExtraction(reviewed, merged.flags),
        links,
        len(stale_documents(workspace, vendor_id, engine_version())),
        merged.answers,
        decisions,
    )


ANSWER_ITEM = "answer:"  # queue items about an answer are named answer:<key>


def _review(decision: ReviewDecision) -> Review | None:
    if not decision.item.startswith(ANSWER_ITEM) or decision.action not in ("accept", "override"):
        return None
    key = decision.item.removeprefix(ANSWER_ITEM)
    on = decision.decided_at.date().isoformat()
    return Review(key, decision.action, decision.value, decision.reason, decision.decided_by, on, decision.contested)


def _link_extraction(record: QuestionnaireRecord) -> DocumentExtraction:
    """A submitted link questionnaire, read like a returned form so its answers merge with the documents'."""
    bank = load_bank()
    returned = read_link_answers(record.answers, bank, f"questionnaire link #{record.id}")
    return returned.to_extraction(returned.document.filename, returned.document.sha256, 1, bank)


def load_document(workspace: Workspace, document_id: int) -> Document:
    """Rebuild the Document that was read, from its stored pages, spans and all."""
    record, pages = read_pages(workspace, document_id)
    return Document.from_pages(
        record.sha256,
        record.kind,
        record.filename,
        [
            (page.label, page.text, page.hidden, page.hidden_spans, [Block.from_json(item) for item in page.blocks])
            for page in pages
        ],
        record.warnings,
        record.form and FormData.from_json(record.form),
    )


@dataclass(frozen=True)
class QuoteInPage:
    """Where a quote sits: its page's text and the quote's span inside that page."""

    filename: str
    page: int
    page_text: str
    start: int
    end: int


def locate_quote(workspace: Workspace, answers: VendorAnswers, evidence: Evidence) -> QuoteInPage:
    """The page text around one piece of evidence, for showing the quote highlighted in place."""
    record = next(
        (record for record, extraction in answers.documents if extraction.sha256 == evidence.document_sha256), None
    )
    if record is not None:
        document = load_document(workspace, record.id)
        page = document.pages[evidence.page - 1]
        text = document.page_text(page.number)
        start, end = evidence.start - page.start, evidence.end - page.start
        if 0 <= start < end <= len(text) and squash(text[start:end]) == evidence.quote:
            return QuoteInPage(record.filename, page.number, text, start, end)
    # A form field or a link answer: the evidence names the field; there is no page text to highlight it in.
    return QuoteInPage(evidence.file, evidence.page, evidence.quote, 0, len(evidence.quote))
