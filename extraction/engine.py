"""Extract the nine answers and the reader's flags from Documents, and from files on disk."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aivet.settings import ReadLimits
from documents import Document, UnreadableDocument, read_path

from .clauses import (
    extract_audit_rights,
    extract_breach_notification,
    extract_change_notice,
    extract_deletion_on_termination,
    extract_transfer_mechanisms,
)
from .lexicon import knowledge_version
from .merge import MergedExtraction, merge_extractions
from .model import DocumentExtraction
from .passages import Passages
from .retention import extract_retention
from .safety import unsafe_passages
from .subprocessors import extract_subprocessors
from .tables import find_tables
from .training import extract_training_use


def extract_document(document: Document) -> DocumentExtraction:
    """All answer keys for one document; hidden and instruction-like passages are never evidence."""
    started = time.perf_counter()
    passages = Passages(document)
    excluded, flags = unsafe_passages(passages)
    tables = find_tables(passages)
    retention, retention_days = extract_retention(passages, tables, excluded)
    answers = [
        retention,
        retention_days,
        extract_training_use(passages, excluded),
        extract_subprocessors(passages, tables, excluded),
        extract_change_notice(passages, excluded),
        extract_transfer_mechanisms(passages, excluded),
        extract_breach_notification(passages, excluded),
        extract_audit_rights(passages, excluded),
        extract_deletion_on_termination(passages, excluded),
    ]
    return DocumentExtraction(
        document.filename,
        document.sha256,
        len(document.pages),
        {answer.key: answer for answer in answers},
        tuple(flags),
        time.perf_counter() - started,
    )


def extract_returned_form(document: Document) -> DocumentExtraction | None:
    """A returned questionnaire (our PDF form or spreadsheet, or a vendor's question/answer sheet) gives its
    answers exactly, under the same keys as documents (method `form`); None for any other file."""
    from questionnaires.bank import load_bank
    from questionnaires.returned import read_returned_form

    bank = load_bank()
    returned = read_returned_form(document, bank)
    return returned.to_extraction(document.filename, document.sha256, len(document.pages), bank) if returned else None


@dataclass(frozen=True)
class FileExtraction:
    """One file of a run: its extraction, or the reason it could not be read."""

    path: Path
    sha256: str | None
    extraction: DocumentExtraction | None
    rejection: UnreadableDocument | None

    def to_json(self) -> dict[str, Any]:
        if self.extraction:
            return {**self.extraction.to_json(), "file": str(self.path), "status": "read"}
        return {
            "file": str(self.path), "sha256": self.sha256, "pages": 0, "status": "rejected",
            "reason": self.rejection.reason.value, "message": self.rejection.message, "answers": {}, "flags": [],
        }


@dataclass(frozen=True)
class ExtractionRun:
    documents: list[FileExtraction]
    merged: MergedExtraction

    @property
    def read(self) -> list[DocumentExtraction]:
        return [item.extraction for item in self.documents if item.extraction]

    def to_json(self) -> dict[str, Any]:
        """The JSON object of `aivet extract --json` (DESIGN.md, "The answer keys")."""
        return {"documents": [item.to_json() for item in self.documents], "merged": self.merged.to_json()}


def extract_files(paths: list[Path], limits: ReadLimits | None = None) -> ExtractionRun:
    """Read and extract every file (one vendor's documents), then merge what was read."""
    items = []
    for path in paths:
        outcome = read_path(Path(path), limits)
        extraction = None
        if outcome.document:
            extraction = extract_returned_form(outcome.document) or extract_document(outcome.document)
        items.append(FileExtraction(Path(path), outcome.sha256, extraction, outcome.rejection))
    return ExtractionRun(items, merge_extractions([item.extraction for item in items if item.extraction]))


def extract_paths(paths: list[Path], limits: ReadLimits | None = None) -> dict[str, Any]:
    """extract_files as the JSON object of the CLI contract."""
    return extract_files(paths, limits).to_json()


# Raise when the extraction code changes what it answers; knowledge files are fingerprinted on their own.
RULES_REVISION = 3


def engine_version() -> str:
    """Which engine, knowledge and question bank made an extraction: stored ones from another version are redone
    (returned forms are read against the bank)."""
    from questionnaires.bank import load_bank

    bank = load_bank()
    return f"rules-{RULES_REVISION}+{knowledge_version()}+{bank.id}-{bank.version}"
