"""Grounded extraction: answers with the passage that proves each one (DESIGN.md, principles 1 and 4)."""

from extraction.assurance import ASSURANCE_KEYS, dates_in, declines, value_from_text
from extraction.durations import find_durations, no_number_promise
from extraction.engine import extract_document, rules_version
from extraction.keys import AnswerKey, answer_key, is_question_id, known_key
from extraction.llm import Assisted, ChatReply, Drop, LLMCall, LLMUnavailable, MemoryCache, assist, prompt_version
from extraction.llm_client import FileCache, OpenAIChat, RecordingChat, ReplayChat
from extraction.merge import MergedExtraction, Review, apply_reviews, fingerprint, merge_extractions
from extraction.model import ANSWER_KEYS, Answer, DocumentExtraction, Evidence, Flag, Method, Status, squash
from extraction.normalise import canonical_company, company_at_start, countries_in
from extraction.redaction import Redaction, find_personal_data
from extraction.summary import describe, pages_of

__all__ = [
    "ANSWER_KEYS",
    "ASSURANCE_KEYS",
    "Answer",
    "AnswerKey",
    "DocumentExtraction",
    "Evidence",
    "Flag",
    "MergedExtraction",
    "Method",
    "Status",
    "answer_key",
    "canonical_company",
    "company_at_start",
    "countries_in",
    "dates_in",
    "declines",
    "is_question_id",
    "value_from_text",
    "describe",
    "known_key",
    "extract_document",
    "find_durations",
    "merge_extractions",
    "Review",
    "apply_reviews",
    "fingerprint",
    "no_number_promise",
    "pages_of",
    "rules_version",
    "squash",
    # the LLM, optional (extraction/llm.py, llm_client.py, redaction.py)
    "Assisted",
    "ChatReply",
    "Drop",
    "FileCache",
    "LLMCall",
    "LLMUnavailable",
    "MemoryCache",
    "OpenAIChat",
    "RecordingChat",
    "Redaction",
    "ReplayChat",
    "assist",
    "find_personal_data",
    "prompt_version",
]
