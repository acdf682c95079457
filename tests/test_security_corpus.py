"""Every hostile file in ../shared/security ends as read or rejected with a reason, inside the limits."""

import csv
import time

import pytest

from documents import Reason, UnreadableDocument, read_document
from tests.conftest import SHARED, TEST_LIMITS, shared_path

PDF_DIR = SHARED / "security" / "pdf"
OFFICE_DIR = SHARED / "security" / "office" / "synthetic"
HOSTILE = sorted(
    p
    for folder in (PDF_DIR, OFFICE_DIR)
    if folder.exists()
    for p in folder.rglob("*")
    if p.is_file() and p.suffix != ".tsv"
)


def _expected_pdf_outcomes() -> dict[str, tuple[str, int]]:
    table = PDF_DIR / "expected_outcomes.tsv"
    if not table.exists():
        return {}
    with table.open() as handle:
        return {
            row["file"]: (row["pypdf_7.1.1"], int(row["text_chars_7.1.1"]))
            for row in csv.DictReader(handle, delimiter="\t")
        }


EXPECTED = _expected_pdf_outcomes()


def test_the_corpus_is_here():
    shared_path("security", "pdf")
    assert len(HOSTILE) >= 50


@pytest.mark.parametrize("path", HOSTILE, ids=lambda p: str(p.relative_to(SHARED / "security")))
def test_hostile_file_is_read_or_rejected_with_a_reason_within_limits(path):
    started = time.perf_counter()
    try:
        document = read_document(path.read_bytes(), path.name, TEST_LIMITS)
        outcome = "read"
    except UnreadableDocument as rejected:
        assert isinstance(rejected.reason, Reason) and rejected.message
        assert "Traceback" not in rejected.message and "b'" not in rejected.message
        outcome = rejected.reason.value
    assert time.perf_counter() - started < TEST_LIMITS.timeout_seconds + 5
    relative = str(path.relative_to(PDF_DIR)) if path.is_relative_to(PDF_DIR) else None
    if relative in EXPECTED:
        pypdf_result, text_chars = EXPECTED[relative]
        if pypdf_result != "ok":  # what pypdf cannot open, we must not claim to have read
            assert outcome != "read"
        elif text_chars >= 50 and outcome == "read":
            assert len(document.text) >= 0.9 * text_chars
    if path.name.startswith(("benign_control", "docx_benign", "xlsx_benign")):
        assert outcome == "read"
    if path.name.startswith(("docx_xxe", "docx_billion", "xlsx_billion", "docx_zip_bomb")):
        assert outcome == Reason.UNSAFE_CONTENT
