"""Grounded extraction: answers with the passage that proves each one (DESIGN.md, principles 1 and 4)."""

from extraction.engine import (
    ExtractionRun,
    FileExtraction,
    engine_version,
    extract_document,
    extract_files,
    extract_paths,
)
from extraction.keys import AnswerKey, answer_key
from extraction.merge import MergedExtraction, merge_extractions
from extraction.model import ANSWER_KEYS, Answer, DocumentExtraction, Evidence, Flag, Method, Status

__all__ = [
    "ANSWER_KEYS",
    "Answer",
    "AnswerKey",
    "DocumentExtraction",
    "Evidence",
    "ExtractionRun",
    "FileExtraction",
    "Flag",
    "MergedExtraction",
    "Method",
    "Status",
    "answer_key",
    "engine_version",
    "extract_document",
    "extract_files",
    "extract_paths",
    "merge_extractions",
]
