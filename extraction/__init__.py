"""Grounded extraction: answers with the passage that proves each one (DESIGN.md, principles 1 and 4)."""

from extraction.engine import (
    ExtractionRun,
    FileExtraction,
    engine_version,
    extract_document,
    extract_files,
    extract_paths,
)
from extraction.merge import MergedExtraction, merge_extractions
from extraction.model import ANSWER_KEYS, Answer, DocumentExtraction, Evidence, Flag, Method, Status

__all__ = [
    "ANSWER_KEYS",
    "Answer",
    "DocumentExtraction",
    "Evidence",
    "ExtractionRun",
    "FileExtraction",
    "Flag",
    "MergedExtraction",
    "Method",
    "Status",
    "engine_version",
    "extract_document",
    "extract_files",
    "extract_paths",
    "merge_extractions",
]
