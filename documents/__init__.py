"""Turning a vendor file into a Document: typed from its bytes, read in a sandbox, within limits."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aivet.settings import ReadLimits
from documents.model import ADVICE, CELL_SEPARATOR, Document, FormData, Page, Reason, UnreadableDocument
from documents.sandbox import read_in_sandbox

__all__ = [
    "ADVICE",
    "CELL_SEPARATOR",
    "Document",
    "FormData",
    "Page",
    "Reason",
    "UnreadableDocument",
    "FileOutcome",
    "read_and_apply",
    "read_document",
    "read_path",
    "sha256_of",
]


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_document(
    data: bytes, filename: str = "", limits: ReadLimits | None = None, sha256: str | None = None
) -> Document:
    """Read any supported vendor file; raise UnreadableDocument with a typed reason otherwise (`sha256`: the
    bytes' digest when the caller has it already)."""
    return read_and_apply(data, filename, None, limits, sha256)[0]


def read_and_apply(
    data: bytes,
    filename: str,
    then: Callable[[Document], Any] | None,
    limits: ReadLimits | None = None,
    sha256: str | None = None,
) -> tuple[Document, Any]:
    """Read a vendor file and hand its Document to `then` in the same sandboxed child, under the same time and
    memory limits: (the Document, what `then` returned, or None when it failed). `then` must pickle."""
    limits = limits or ReadLimits.from_env()
    if len(data) > limits.max_file_bytes:
        raise UnreadableDocument(
            Reason.TOO_LARGE,
            f"The file is {len(data) / 2**20:.1f} MiB, more than {limits.max_file_bytes / 2**20:g} MiB.",
        )
    if not data.strip():
        raise UnreadableDocument(Reason.EMPTY, "The file is empty.")
    sha256 = sha256 or sha256_of(data)
    result = read_in_sandbox(data, filename, sha256, limits, then)
    document = Document.from_pages(
        sha256,
        result.kind,
        filename,
        result.parts,
        result.warnings,
        result.form,
        read_seconds=result.seconds,
        peak_memory_mib=result.peak_memory_mib,
    )
    if not document.text.strip():
        raise UnreadableDocument(Reason.EMPTY, "The file holds no readable text.")
    return document, result.outcome


@dataclass(frozen=True)
class FileOutcome:
    """What reading one file on disk gave: a Document, or the reason it was rejected (never both)."""

    path: Path
    sha256: str | None
    document: Document | None = None
    rejection: UnreadableDocument | None = None
    outcome: Any = None  # what `then` made of the document, when read_path was given one


def read_path(
    path: Path, limits: ReadLimits | None = None, then: Callable[[Document], Any] | None = None
) -> FileOutcome:
    """Read a file on disk (and apply `then`, as read_and_apply does); a missing or unreadable file is a rejection
    like any other, not an exception."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        problem = f"'{path}' could not be opened ({error.strerror or 'error'})."
        return FileOutcome(Path(path), None, rejection=UnreadableDocument(Reason.MISSING_FILE, problem))
    try:
        document, outcome = read_and_apply(data, Path(path).name, then, limits)
        return FileOutcome(Path(path), document.sha256, document, outcome=outcome)
    except UnreadableDocument as rejected:
        return FileOutcome(Path(path), sha256_of(data), rejection=rejected)
