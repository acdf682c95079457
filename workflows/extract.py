"""The one place that decides "returned form or document", and the work a sandboxed child does with it.

Pure: it imports the core only, so a reader child can run it under the reading limits."""

from __future__ import annotations

from documents import Document
from extraction import DocumentExtraction, extract_document, rules_version
from questionnaires.bank import load_bank
from questionnaires.layouts import layouts_version
from questionnaires.returned import read_returned_form


def engine_version() -> str:
    """Which engine, knowledge and question bank made an extraction (returned forms are read against the bank)."""
    bank = load_bank()
    return f"{rules_version()}+{bank.id}-{bank.version}+{layouts_version()}"


def extract_any(document: Document) -> DocumentExtraction:
    """The one place that decides: a returned questionnaire gives its answers exactly (method `form`),
    any other document is read by the rules."""
    bank = load_bank()
    returned = read_returned_form(document, bank)
    if returned is not None:
        return returned.to_extraction(document.filename, document.sha256, len(document.pages), bank)
    return extract_document(document)
