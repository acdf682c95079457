"""Extractions kept per document, one per document, replaced whole and audited, so a reviewer never sees
half of one run and half of another; and the queries that say which are out of date."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from store.audit import record_event
from store.models import DocumentRecord, DocumentStatus, ExtractionRecord, QuestionnaireRecord, utc_now
from store.workspace import Workspace


def save_extraction(
    workspace: Workspace,
    document_id: int,
    result: dict[str, Any],
    engine_version: str,
    summary: dict[str, Any],
    actor: str,
) -> None:
    """Keep one document's extraction (its JSON), replacing an earlier one; `summary` goes to the audit log."""
    try:
        with workspace.transaction() as session:
            record = session.exec(select(ExtractionRecord).where(ExtractionRecord.document_id == document_id)).first()
            before = {"engine_version": record.engine_version} if record else None
            record = record or ExtractionRecord(document_id=document_id)
            record.engine_version = engine_version
            record.result = result
            record.extracted_at = utc_now()
            record.extracted_by = actor
            session.add(record)
            record_event(
                session,
                actor,
                "document.extracted",
                "document",
                document_id,
                before=before,
                after={"engine_version": engine_version, **summary},
            )
    except IntegrityError:  # another session stored the same extraction a moment earlier
        pass


def stale_documents(workspace: Workspace, vendor_id: int | None, engine_version: str) -> list[int]:
    """Read documents (of one vendor, or all) whose extraction is missing, from another engine, or older than
    their last reading."""
    query = (
        select(DocumentRecord.id)
        .outerjoin(ExtractionRecord, col(ExtractionRecord.document_id) == col(DocumentRecord.id))
        .where(DocumentRecord.status == DocumentStatus.READ)
        .where(
            col(ExtractionRecord.id).is_(None)
            | (col(ExtractionRecord.engine_version) != engine_version)
            | (col(ExtractionRecord.extracted_at) < col(DocumentRecord.read_at))
        )
        .order_by(col(DocumentRecord.id))
    )
    if vendor_id is not None:
        query = query.where(DocumentRecord.vendor_id == vendor_id)
    with workspace.transaction() as session:
        return list(session.exec(query).all())


def vendor_extractions(workspace: Workspace, vendor_id: int) -> list[tuple[DocumentRecord, dict[str, Any]]]:
    """Each read document of the vendor that has an extraction, with the extraction's JSON, in upload order."""
    with workspace.transaction() as session:
        rows = session.exec(
            select(DocumentRecord, ExtractionRecord)
            .join(ExtractionRecord, col(ExtractionRecord.document_id) == col(DocumentRecord.id))
            .where(DocumentRecord.vendor_id == vendor_id, DocumentRecord.status == DocumentStatus.READ)
            .order_by(col(DocumentRecord.id))
        ).all()
        return [(record, extracted.result) for record, extracted in rows]


def submitted_links(workspace: Workspace, vendor_id: int) -> list[QuestionnaireRecord]:
    """The vendor's questionnaires answered and submitted through a link, oldest first."""
    with workspace.transaction() as session:
        return list(
            session.exec(
                select(QuestionnaireRecord)
                .where(
                    QuestionnaireRecord.vendor_id == vendor_id,
                    col(QuestionnaireRecord.submitted_at).is_not(None),
                    QuestionnaireRecord.channel == "link",
                )
                .order_by(col(QuestionnaireRecord.id))
            ).all()
        )
