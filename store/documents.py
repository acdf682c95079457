"""A vendor's files: the bytes stored first, then what reading them gave.

A crash at any point leaves the file and a record that says how far it got;
a read outcome (pages, or the reason) is written in one transaction.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, delete, select

from store.audit import record_event
from store.models import DocumentPage, DocumentRecord, DocumentStatus, Vendor, utc_now
from store.workspace import InvalidInput, Workspace

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


def store_file(workspace: Workspace, vendor_id: int, filename: str, data: bytes, actor: str) -> IngestOutcome:
    """Keep the bytes (unless over the size limit) and a `stored` record; the same bytes twice give one record.

    The bytes are hashed here, once; the record's sha256 is what every later step uses."""
    filename = safe_filename(filename)
    sha256 = hashlib.sha256(data).hexdigest()
    with workspace.transaction() as session:
        if session.get(Vendor, vendor_id) is None:
            raise InvalidInput("That vendor does not exist any more. Pick a vendor from the list.")
        existing = _find(session, vendor_id, sha256)
        if existing is not None:
            return IngestOutcome(existing, duplicate=True)
    fits = len(data) <= workspace.limits.max_file_bytes
    if fits:
        workspace.blobs.put(data, sha256)
    try:
        with workspace.transaction() as session:
            record = DocumentRecord(
                vendor_id=vendor_id,
                sha256=sha256,
                filename=filename,
                size_bytes=len(data),
                file_stored=fits,
                uploaded_by=actor,
            )
            session.add(record)
            session.flush()
            record_event(
                session,
                actor,
                "document.stored",
                "document",
                record.id,
                after={"vendor_id": vendor_id, "filename": filename, "sha256": sha256, "bytes": len(data)},
            )
    except IntegrityError:  # the same file, uploaded at the same moment by someone else
        with workspace.transaction() as session:
            return IngestOutcome(_find(session, vendor_id, sha256), duplicate=True)
    return IngestOutcome(record)


def stored_bytes(workspace: Workspace, document_id: int) -> tuple[DocumentRecord, bytes]:
    """A document's record and its stored bytes, for reading it again."""
    with workspace.transaction() as session:
        record = session.get(DocumentRecord, document_id)
    if record is None:
        raise InvalidInput("That document does not exist. Refresh the page.")
    if not record.file_stored:
        raise InvalidInput("The file was never stored because it was over the size limit. Upload it again.")
    return record, workspace.blobs.get(record.sha256)


def record_reading(
    workspace: Workspace, document_id: int, outcome: dict[str, Any], pages: list[DocumentPage], actor: str
) -> DocumentRecord:
    """Replace a document's read outcome (status, reason, counts) and its pages whole, in one transaction."""
    with workspace.transaction() as session:
        record = session.get(DocumentRecord, document_id)
        before = {"status": record.status, "reason": record.reason, "page_count": record.page_count}
        session.exec(delete(DocumentPage).where(col(DocumentPage.document_id) == document_id))
        for key, value in outcome.items():
            setattr(record, key, value)
        record.read_at = utc_now()
        for page in pages:
            page.document_id = document_id
        session.add_all(pages)
        action = "document.read" if record.status == DocumentStatus.READ else "document.rejected"
        record_event(
            session,
            actor,
            action,
            "document",
            document_id,
            before=before,
            after={key: outcome[key] for key in ("status", "kind", "reason", "page_count")},
        )
        session.add(record)
    return record


def _find(session, vendor_id: int, sha256: str) -> DocumentRecord | None:
    return session.exec(
        select(DocumentRecord).where(DocumentRecord.vendor_id == vendor_id, DocumentRecord.sha256 == sha256)
    ).first()


def vendor_documents(workspace: Workspace, vendor_id: int) -> list[DocumentRecord]:
    with workspace.transaction() as session:
        return list(
            session.exec(
                select(DocumentRecord).where(DocumentRecord.vendor_id == vendor_id).order_by(col(DocumentRecord.id))
            )
        )


def read_pages(workspace: Workspace, document_id: int) -> tuple[DocumentRecord, list[DocumentPage]]:
    """A read document's record and its stored pages, in order."""
    with workspace.transaction() as session:
        record = session.get(DocumentRecord, document_id)
        if record is None or record.status != DocumentStatus.READ:
            raise InvalidInput("That document has not been read. Its status says why.")
        pages = session.exec(
            select(DocumentPage).where(DocumentPage.document_id == document_id).order_by(col(DocumentPage.number))
        ).all()
        return record, list(pages)
