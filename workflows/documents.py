"""Taking in a vendor's file, and keeping its answers current: store the bytes, read and extract them in the
sandbox (one child, one set of limits), record each step; re-extraction is an explicit step when the engine
changed, and runs in the sandbox too."""

from __future__ import annotations

from typing import Any

from aivet.access import Actor
from documents import Document, UnreadableDocument, read_and_apply
from documents.sandbox import run_in_sandbox
from extraction import DocumentExtraction, Status
from store.documents import IngestOutcome, record_reading, store_file, stored_bytes
from store.extractions import save_extraction, stale_documents
from store.models import DocumentPage, DocumentRecord, DocumentStatus
from store.questionnaires import record_returned_file
from store.vendors import vendors_to_rescore
from store.workspace import Workspace
from workflows.answers import load_document
from workflows.extract import engine_version, extract_any
from workflows.llm import assist_document
from workflows.status import refresh_status


def ingest_file(workspace: Workspace, vendor_id: int, filename: str, data: bytes, actor: Actor) -> IngestOutcome:
    """Store, read and extract one uploaded file for a vendor; the same bytes twice give one record."""
    actor.require("document.upload")
    stored = store_file(workspace, vendor_id, filename, data, actor.name)
    if stored.duplicate:
        return stored
    outcome = IngestOutcome(_read_and_record(workspace, stored.record, data, actor.name))
    refresh_status(workspace, vendor_id)
    return outcome


def reread_document(workspace: Workspace, document_id: int, actor: Actor) -> DocumentRecord:
    """Read a stored file again (after a crash, or with new limits); the old outcome is replaced whole."""
    actor.require("document.reread")
    record, data = stored_bytes(workspace, document_id)
    read = _read_and_record(workspace, record, data, actor.name)
    refresh_status(workspace, record.vendor_id)
    return read


def _read_and_record(workspace: Workspace, record: DocumentRecord, data: bytes, actor: str) -> DocumentRecord:
    try:
        document, extraction = read_and_apply(data, record.filename, extract_any, workspace.limits, record.sha256)
    except UnreadableDocument as rejected:
        outcome = {
            "status": DocumentStatus.REJECTED,
            "kind": None,
            "reason": rejected.reason.value,
            "message": rejected.message,
            "page_count": 0,
            "char_count": 0,
            "warnings": [],
            "form": None,
        }
        return record_reading(workspace, record.id, outcome, [], actor)
    outcome = {
        "status": DocumentStatus.READ,
        "kind": document.kind,
        "reason": None,
        "message": None,
        "page_count": len(document.pages),
        "char_count": len(document.text),
        "warnings": list(document.warnings),
        "form": document.form and document.form.to_json(),
    }
    read = record_reading(workspace, record.id, outcome, _pages(document), actor)
    if extraction is not None:  # otherwise the document waits, stale, for refresh_extractions
        extraction, _ = assist_document(workspace, record.vendor_id, record.id, document, extraction, actor)
        _record_extraction(workspace, record.id, extraction, actor)
        if extraction.form is not None:
            _record_returned(workspace, read, extraction.form, actor)
    return read


def _record_returned(workspace: Workspace, record: DocumentRecord, form: dict[str, Any], actor: str) -> None:
    """A returned PDF or spreadsheet questionnaire answers its issued questionnaire, so tracking shows it back."""
    questions = form["questions"]
    answered = {
        key: {"value": answer["value"]} for key, answer in questions.items() if answer["status"] != Status.NOT_FOUND
    }
    record_returned_file(workspace, record.vendor_id, record.kind, list(questions), answered, record.filename, actor)


def _pages(document: Document) -> list[DocumentPage]:
    return [
        DocumentPage(
            number=page.number,
            label=page.label,
            hidden=page.hidden,
            text=document.page_text(page.number),
            hidden_spans=[list(span) for span in document.page_hidden_spans(page.number)],
            blocks=[block.to_json() for block in document.page_blocks(page.number)],
        )
        for page in document.pages
    ]


def _record_extraction(workspace: Workspace, document_id: int, extraction: DocumentExtraction, actor: str) -> None:
    summary: dict[str, Any] = {
        "answers": {key: str(answer.status) for key, answer in extraction.answers.items()},
        "flags": len(extraction.flags),
    }
    save_extraction(workspace, document_id, extraction.to_json(), engine_version(), summary, actor)


def _assisted(workspace: Workspace, document_id: int, extraction: DocumentExtraction, actor: str) -> DocumentExtraction:
    if not workspace.llm.enabled:
        return extraction
    record = workspace.get(DocumentRecord, document_id, "The document is gone.")
    document = load_document(workspace, document_id)
    return assist_document(workspace, record.vendor_id, document_id, document, extraction, actor)[0]


def refresh_extractions(workspace: Workspace, vendor_id: int | None, actor: Actor) -> int:
    """Extract again every read document (of a vendor, or all) whose extraction is missing, from another engine
    or older than its reading: the explicit step after an upgrade, never a side effect of looking. Returns how
    many were extracted."""
    actor.require("extraction.refresh")
    extracted = []
    for document_id in stale_documents(workspace, vendor_id, engine_version()):
        try:
            extraction, _, _ = run_in_sandbox(extract_any, (load_document(workspace, document_id),), workspace.limits)
        except UnreadableDocument:  # over the limits: it stays stale, and says so on the page
            continue
        extraction = _assisted(workspace, document_id, extraction, actor.name)
        _record_extraction(workspace, document_id, extraction, actor.name)
        extracted.append(document_id)
    for vendor in [vendor_id] if vendor_id is not None else vendors_to_rescore(workspace, extracted):
        refresh_status(workspace, vendor)
    return len(extracted)
