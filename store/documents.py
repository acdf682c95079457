"""Taking in a vendor's file: store the bytes first, then read them, then record the outcome.

A crash at any point leaves the file and a record that says how far it got;
a read outcome (pages, or the reason) is written in one transaction.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, delete, select

from documents import Document, UnreadableDocument, read_document, sha256_of
from documents.model import Block, FormData
from store.audit import record_event
from store.models import DocumentPage, DocumentRecord, DocumentStatus, Vendor, utc_now
from store.vendors import InvalidInput
from store.workspace import Workspace

MAX_FILENAME_LENGTH = 255


@dataclass(frozen=True)
class IngestOutcome:
    record: DocumentRecord
    duplicate: bool = False


def safe_filename(filename: str) -> str:
    """The name a person sees: no folders, no control characters, bounded length."""
    name = PureWindowsPath(PurePosixPath(filename or "").name).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return (name or "unnamed")[-MAX_FILENAME_LENGTH:]


def ingest_file(workspace: Workspace, vendor_id: int, filename: str, data: bytes, actor: str) -> IngestOutcome:
    """Store, read and record one uploaded file for a vendor; the same bytes twice give one record."""
    filename = safe_filename(filename)
    sha256 = sha256_of(data)
    with workspace.transaction() as session:
        if session.get(Vendor, vendor_id) is None:
            raise InvalidInput("That vendor does not exist any more. Pick a vendor from the list.")
        existing = _find(session, vendor_id, sha256)
        if existing is not None:
            return IngestOutcome(existing, duplicate=True)
    fits = len(data) <= workspace.limits.max_file_bytes
    if fits:
        workspace.blobs.put(data)
    try:
        with workspace.transaction() as session:
            record = DocumentRecord(
                vendor_id=vendor_id, sha256=sha256, filename=filename, size_bytes=len(data),
                file_stored=fits, uploaded_by=actor,
            )
            session.add(record)
            session.flush()
            record_event(session, actor, "document.stored", "document", record.id,
                         after={"vendor_id": vendor_id, "filename": filename, "sha256": sha256, "bytes": len(data)})
    except IntegrityError:  # the same file, uploaded at the same moment by someone else
        with workspace.transaction() as session:
            return IngestOutcome(_find(session, vendor_id, sha256), duplicate=True)
    return IngestOutcome(_read_and_record(workspace, record.id, filename, data, actor))


def reread_document(workspace: Workspace, document_id: int, actor: str) -> DocumentRecord:
    """Read a stored file again (after a crash, or with new limits); the old outcome is replaced whole."""
    with workspace.transaction() as session:
        record = session.get(DocumentRecord, document_id)
        if record is None:
            raise InvalidInput("That document does not exist. Refresh the page.")
        if not record.file_stored:
            raise InvalidInput("The file was never stored because it was over the size limit. Upload it again.")
    return _read_and_record(workspace, document_id, record.filename, workspace.blobs.get(record.sha256), actor)


def _read_and_record(workspace: Workspace, document_id: int, filename: str, data: bytes, actor: str) -> DocumentRecord:
    try:
        document: Document | None = read_document(data, filename, workspace.limits)
        outcome = {"status": DocumentStatus.READ, "kind": document.kind, "reason": None, "message": None,
                   "page_count": len(document.pages), "char_count": len(document.text),
                   "warnings": list(document.warnings), "form": document.form and document.form.to_json()}
    except UnreadableDocument as rejected:
        document = None
        outcome = {"status": DocumentStatus.REJECTED, "kind": None, "reason": rejected.reason.value,
                   "message": rejected.message, "page_count": 0, "char_count": 0, "warnings": [], "form": None}
    with workspace.transaction() as session:
        record = session.get(DocumentRecord, document_id)
        before = {"status": record.status, "reason": record.reason, "page_count": record.page_count}
        session.exec(delete(DocumentPage).where(col(DocumentPage.document_id) == document_id))
        for key, value in outcome.items():
            setattr(record, key, value)
        record.read_at = utc_now()
        if document is not None:
            session.add_all(
                DocumentPage(document_id=document_id, number=page.number, label=page.label, hidden=page.hidden,
                             text=document.page_text(page.number),
                             hidden_spans=[list(span) for span in document.page_hidden_spans(page.number)],
                             blocks=[block.to_json() for block in document.page_blocks(page.number)])
                for page in document.pages
            )
        action = "document.read" if document is not None else "document.rejected"
        record_event(session, actor, action, "document", document_id, before=before,
                     after={key: outcome[key] for key in ("status", "kind", "reason", "page_count")})
        session.add(record)
    return record


def _find(session, vendor_id: int, sha256: str) -> DocumentRecord | None:
    return session.exec(
        select(DocumentRecord).where(DocumentRecord.vendor_id == vendor_id, DocumentRecord.sha256 == sha256)
    ).first()


def vendor_documents(workspace: Workspace, vendor_id: int) -> list[DocumentRecord]:
    with workspace.transaction() as session:
        return list(session.exec(
            select(DocumentRecord).where(DocumentRecord.vendor_id == vendor_id).order_by(col(DocumentRecord.id))
        ))


def load_document(workspace: Workspace, document_id: int) -> Document:
    """Rebuild the Document that was read, from its stored pages, spans, blocks and form data."""
    with workspace.transaction() as session:
        record = session.get(DocumentRecord, document_id)
        if record is None or record.status != DocumentStatus.READ:
            raise InvalidInput("That document has not been read. Its status says why.")
        pages = session.exec(
            select(DocumentPage).where(DocumentPage.document_id == document_id).order_by(col(DocumentPage.number))
        ).all()
        return Document.from_pages(record.sha256, record.kind, record.filename,
                                   [(page.label, page.text, page.hidden, page.hidden_spans,
                                     [Block.from_json(item) for item in page.blocks]) for page in pages],
                                   record.warnings, record.form and FormData.from_json(record.form))
