"""Files on disk, read and extracted in one run (the `aivet extract` command and the benchmarks)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from aivet.settings import LLMSettings, ReadLimits
from documents import FileOutcome, UnreadableDocument, read_path
from extraction import DocumentExtraction, MergedExtraction, merge_extractions
from workflows.extract import extract_any
from workflows.llm import append_audit, assist_with


@dataclass(frozen=True)
class FileExtraction:
    """One file of a run: its extraction, or the reason it could not be read."""

    path: Path
    sha256: str | None
    extraction: DocumentExtraction | None
    rejection: UnreadableDocument | None
    problem: str | None = None  # read, but its answers could not be extracted: why, in a sentence

    @classmethod
    def of(cls, path: Path, outcome: FileOutcome) -> FileExtraction:
        """A file's outcome; a file that was read but not extracted says so, with the reader's note."""
        problem = None
        if outcome.document is not None and outcome.outcome is None:
            notes = [note for note in outcome.document.warnings if "could not be extracted" in note]
            problem = (notes[-1] if notes else "The answers could not be extracted; the text was read.") + (
                " Try again; if it fails again, report the file to the aivet maintainers."
            )
        return cls(Path(path), outcome.sha256, outcome.outcome, outcome.rejection, problem)

    def to_json(self) -> dict[str, Any]:
        if self.extraction:
            return {**self.extraction.to_json(), "file": str(self.path), "status": "read"}
        if self.problem:
            return {
                "file": str(self.path),
                "sha256": self.sha256,
                "pages": 0,
                "status": "not_extracted",
                "reason": "extraction_failed",
                "message": self.problem,
                "answers": {},
                "flags": [],
            }
        return {
            "file": str(self.path),
            "sha256": self.sha256,
            "pages": 0,
            "status": "rejected",
            "reason": self.rejection.reason.value,
            "message": self.rejection.message,
            "answers": {},
            "flags": [],
        }


@dataclass(frozen=True)
class ExtractionRun:
    documents: list[FileExtraction]
    merged: MergedExtraction
    llm_notes: tuple[str, ...] = ()  # what the LLM did or why it could not help, one sentence per file (not JSON)

    @property
    def read(self) -> list[DocumentExtraction]:
        return [item.extraction for item in self.documents if item.extraction]

    def to_json(self) -> dict[str, Any]:
        """The JSON object of `aivet extract --json` (DESIGN.md, "The answer keys")."""
        return {"documents": [item.to_json() for item in self.documents], "merged": self.merged.to_json()}


def extract_files(
    paths: list[Path], limits: ReadLimits | None = None, llm: LLMSettings | None = None, data_dir: Path | None = None
) -> ExtractionRun:
    """Read and extract every file (one vendor's documents), then merge what was read. With `llm` switched on,
    the LLM reads each document's hardest passages within the run's token budget; its calls and drops are
    appended to data_dir/llm-audit.jsonl."""
    items, notes, spent = [], [], 0
    for path in paths:
        outcome = read_path(Path(path), limits, then=extract_any)
        item = FileExtraction.of(Path(path), outcome)
        if llm is not None and llm.enabled and item.extraction is not None and outcome.document is not None:
            assisted = assist_with(llm, outcome.document, item.extraction, data_dir, spent)
            if assisted is not None:
                spent += sum(call.prompt_tokens + call.completion_tokens for call in assisted.calls)
                if data_dir is not None:
                    append_audit(data_dir / "llm-audit.jsonl", assisted, str(path))
                item = replace(item, extraction=assisted.extraction)
                notes.append(f"{path}: {_llm_note(assisted)}")
        items.append(item)
    merged = merge_extractions([item.extraction for item in items if item.extraction])
    return ExtractionRun(items, merged, tuple(notes))


def _llm_note(assisted) -> str:
    if assisted.message:
        return f"LLM: {assisted.message}"
    dropped = (
        f", {len(assisted.drops)} dropped ({', '.join(sorted({d.reason for d in assisted.drops}))})"
        if assisted.drops
        else ""
    )
    tokens = sum(call.prompt_tokens + call.completion_tokens for call in assisted.calls)
    cached = f", {len(assisted.cached)} from the cache" if assisted.cached else ""
    return f"LLM: {len(assisted.kept)} answer(s) grounded{dropped}{cached}; {tokens} tokens."


def extract_paths(
    paths: list[Path], limits: ReadLimits | None = None, llm: LLMSettings | None = None, data_dir: Path | None = None
) -> dict[str, Any]:
    """extract_files as the JSON object of the CLI contract."""
    return extract_files(paths, limits, llm, data_dir).to_json()
