"""Files on disk, read and extracted in one run (the `aivet extract` command and the benchmarks)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aivet.settings import ReadLimits
from documents import FileOutcome, UnreadableDocument, read_path
from extraction import DocumentExtraction, MergedExtraction, merge_extractions
from workflows.extract import extract_any


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

    @property
    def read(self) -> list[DocumentExtraction]:
        return [item.extraction for item in self.documents if item.extraction]

    def to_json(self) -> dict[str, Any]:
        """The JSON object of `aivet extract --json` (DESIGN.md, "The answer keys")."""
        return {"documents": [item.to_json() for item in self.documents], "merged": self.merged.to_json()}


def extract_files(paths: list[Path], limits: ReadLimits | None = None) -> ExtractionRun:
    """Read and extract every file (one vendor's documents), then merge what was read."""
    items = []
    for path in paths:
        outcome = read_path(Path(path), limits, then=extract_any)
        items.append(FileExtraction.of(Path(path), outcome))
    return ExtractionRun(items, merge_extractions([item.extraction for item in items if item.extraction]))


def extract_paths(paths: list[Path], limits: ReadLimits | None = None) -> dict[str, Any]:
    """extract_files as the JSON object of the CLI contract."""
    return extract_files(paths, limits).to_json()
