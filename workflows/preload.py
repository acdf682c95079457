"""Imported once by the reader forkserver (documents.sandbox.preload): the extraction work is loaded and run
once on a line of text there, so the question bank, the knowledge files and their compiled patterns are ready
in every reader child, which then extracts without loading them again."""

import gc

from documents import Document
from workflows.extract import engine_version, extract_any

engine_version()
extract_any(Document.from_pages("0" * 64, "text", "warm-up.txt", [("1", "We keep prompts for 30 days.", False)]))
gc.freeze()
