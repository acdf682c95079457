"""The use cases the doors call (the app's pages and the `aivet` command): the only place that combines the
store with the core. Reads change nothing; recomputation is an explicit step."""

from documents.sandbox import preload
from store.audit import recent_events
from store.documents import IngestOutcome, vendor_documents
from store.models import DocumentStatus
from store.questionnaires import LinkRefused, current_link, revoke_link, tracking
from store.scorecards import recorded_scorecards
from store.vendors import InvalidInput, create_vendor, find_vendor, list_vendors
from store.workspace import Workspace
from workflows.answers import QuoteInPage, VendorAnswers, locate_quote, vendor_answers
from workflows.documents import (
    ingest_file,
    load_document,
    refresh_extractions,
    reread_document,
)
from workflows.extract import engine_version, extract_any
from workflows.files import ExtractionRun, FileExtraction, extract_files, extract_paths
from workflows.questionnaires import (
    IssuedQuestionnaire,
    attach_file,
    issue_to_vendor,
    open_link,
    open_questions,
    save_answers,
)
from workflows.scorecards import ScoredVendor, compare_vendors, record_scorecard, vendor_scorecard

open_workspace = Workspace.open
preload("workflows.preload")  # reader children extract too: give them the extraction work ready-loaded

__all__ = [
    "DocumentStatus",
    "ExtractionRun",
    "FileExtraction",
    "IngestOutcome",
    "InvalidInput",
    "IssuedQuestionnaire",
    "LinkRefused",
    "QuoteInPage",
    "ScoredVendor",
    "VendorAnswers",
    "Workspace",
    "attach_file",
    "compare_vendors",
    "create_vendor",
    "current_link",
    "engine_version",
    "extract_any",
    "extract_files",
    "extract_paths",
    "find_vendor",
    "ingest_file",
    "issue_to_vendor",
    "list_vendors",
    "load_document",
    "locate_quote",
    "open_link",
    "open_questions",
    "open_workspace",
    "recent_events",
    "record_scorecard",
    "recorded_scorecards",
    "refresh_extractions",
    "reread_document",
    "revoke_link",
    "save_answers",
    "tracking",
    "vendor_answers",
    "vendor_documents",
    "vendor_scorecard",
]
