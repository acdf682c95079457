"""A vendor's answers as stored: per document, from submitted links, and merged. Looking changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

from extraction import DocumentExtraction, Evidence, MergedExtraction, merge_extractions, squash
from questionnaires.bank import load_bank
from questionnaires.returned import read_link_answers
from store.extractions import stale_documents, submitted_links, vendor_extractions
from store.models import DocumentRecord, QuestionnaireRecord
from store.workspace import Workspace
from workflows.documents import engine_version, load_document


@dataclass(frozen=True)
class VendorAnswers:
    """Every read document's extraction for one vendor, the submitted links, and the merged answers."""

    documents: list[tuple[DocumentRecord, DocumentExtraction]]
    merged: MergedExtraction
    links: list[DocumentExtraction] = field(default_factory=list)  # answers submitted through questionnaire links
    stale: int = 0  # read documents whose extraction is missing or from another engine: refresh_extractions redoes them


def vendor_answers(workspace: Workspace, vendor_id: int) -> VendorAnswers:
    """The vendor's answers as they were extracted, and how many documents wait to be extracted again."""
    documents = [
        (record, DocumentExtraction.from_json(result)) for record, result in vendor_extractions(workspace, vendor_id)
    ]
    links = [_link_extraction(record) for record in submitted_links(workspace, vendor_id)]
    merged = merge_extractions([extraction for _, extraction in documents] + links)
    return VendorAnswers(documents, merged, links, len(stale_documents(workspace, vendor_id, engine_version())))


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
