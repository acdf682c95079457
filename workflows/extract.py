"""The one place that decides "returned form or document", and the work a sandboxed child does with it.

Pure: it imports the core only, so a reader child can run it under the reading limits."""

from __future__ import annotations

from documents import Document
from extraction import DocumentExtraction, extract_document, rules_version
from questionnaires.bank import load_bank
from questionnaires.layouts import layouts_version
from questionnaires.returned import read_returned_form


def engine_version() -> str:
    """Which engine, knowledge, question bank and layout rules made an extraction (returned forms and vendor
    layouts are read against the bank). Short enough for the store's column (64 characters)."""
    bank = load_bank()
    return f"{rules_version()}+bank-{bank.version}+{layouts_version()}"


def extract_any(document: Document) -> DocumentExtraction:
    """The one place that decides: a returned questionnaire gives its answers exactly (method `form`),
    any other document is read by the rules."""
    bank = load_bank()
    returned = read_returned_form(document, bank)
    if returned is not None:
        return returned.to_extraction(document.filename, document.sha256, len(document.pages), bank)
    return extract_document(document)
