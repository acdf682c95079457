"""The use cases the doors call (the app's pages and the `aivet` command): the only place that combines the
store with the core. Reads change nothing; recomputation is an explicit step."""

from documents.sandbox import preload
from store.documents import IngestOutcome, vendor_documents
from store.models import DocumentStatus
from store.questionnaires import LinkRefused, current_link, tracking
from store.reviews import sign_offs
from store.scorecards import recorded_scorecards
from store.users import list_users
from store.vendors import InvalidInput, find_vendor, get_vendor, list_vendors
from store.workspace import Workspace
from workflows.accounts import add_account, oidc_actor, sign_in
from workflows.answers import QuoteInPage, VendorAnswers, load_document, locate_quote, vendor_answers
from workflows.audit import AuditLine, audit_csv, audit_filters, audit_trail
from workflows.documents import ingest_file, refresh_extractions, reread_document
from workflows.extract import engine_version, extract_any
from workflows.files import ExtractionRun, FileExtraction, extract_files, extract_paths
from workflows.llm import LLMChange, LLMChanged, LLMOverview, VendorUsage, change_llm_settings, llm_overview
from workflows.questionnaires import (
    IssuedQuestionnaire,
    attach_file,
    issue_to_vendor,
    open_link,
    open_questions,
    revoke_link,
    save_answers,
)
from workflows.reviews import SIGN_OFF_DECISIONS, Condition, QueueItem, ReviewQueue, decide, review_queue, sign_off
from workflows.scorecards import ScoredVendor, compare_vendors, record_scorecard, replay_scorecard, vendor_scorecard
from workflows.status import TriageItem, refresh_status, triage
from workflows.vendors import create_vendor, update_vendor, vendor_list

open_workspace = Workspace.open
preload("workflows.preload")  # reader children extract too: give them the extraction work ready-loaded

__all__ = [
    "AuditLine",
    "LLMOverview",
    "VendorUsage",
    "llm_overview",
    "change_llm_settings",
    "LLMChange",
    "LLMChanged",
    "audit_csv",
    "audit_filters",
    "audit_trail",
    "SIGN_OFF_DECISIONS",
    "Condition",
    "DocumentStatus",
    "QueueItem",
    "ReviewQueue",
    "TriageItem",
    "add_account",
    "decide",
    "get_vendor",
    "list_users",
    "oidc_actor",
    "refresh_status",
    "replay_scorecard",
    "review_queue",
    "sign_in",
    "sign_off",
    "sign_offs",
    "triage",
    "update_vendor",
    "vendor_list",
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
