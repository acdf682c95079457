"""Extract the answer keys (the nine of DESIGN.md and the assurance keys) and the reader's flags from a Document."""

from __future__ import annotations

import time

from documents import Document

from .assurance import extract_assurance
from .clauses import (
    extract_audit_rights,
    extract_breach_notification,
    extract_change_notice,
    extract_deletion_on_termination,
    extract_transfer_mechanisms,
)
from .lexicon import knowledge_version
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
        *extract_assurance(passages, excluded),
    ]
    return DocumentExtraction(
        document.filename,
        document.sha256,
        len(document.pages),
        {answer.key: answer for answer in answers},
        tuple(flags),
        time.perf_counter() - started,
    )


# Raise when the extraction code changes what it answers; knowledge files are fingerprinted on their own.
RULES_REVISION = 14


def rules_version() -> str:
    """Which rules and knowledge made an extraction; stored extractions made by others are redone."""
    return f"rules-{RULES_REVISION}+{knowledge_version()}"
