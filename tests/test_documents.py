"""Reading every supported format into a Document, and rejecting everything else with a reason."""

import dataclasses

import pytest

from documents import Reason, UnreadableDocument, read_document, sha256_of
from tests.builders import (
    PNG_BYTES,
    docx_bytes,
    encrypted_pdf_bytes,
    pdf_bytes,
    rewrite_zip,
    scanned_pdf_bytes,
    xlsx_bytes,
)


def assert_spans_consistent(document):
    """Pages are numbered from 1 and their spans cut exactly their text out of the whole."""
    assert [page.number for page in document.pages] == list(range(1, len(document.pages) + 1))
    for page in document.pages:
        assert document.text[page.start : page.end] == document.page_text(page.number)
        assert document.page_at(page.start) == page.number
    ends = [page.end for page in document.pages]
    assert ends == sorted(ends) and ends[-1] == len(document.text)
    spans = document.hidden_spans
    assert all(0 <= start < end <= len(document.text) for start, end in spans)
    assert all(before[1] < after[0] for before, after in zip(spans, spans[1:]))  # sorted, apart


def rejected(data: bytes, filename: str, limits) -> UnreadableDocument:
    with pytest.raises(UnreadableDocument) as caught:
        read_document(data, filename, limits)
    assert caught.value.message.endswith(".")
    return caught.value


def test_pdf_pages_are_numbered_and_spanned(limits):
    data = pdf_bytes(["Data Processing Agreement\nClause 1 Retention", "Clause 2 Sub-processors", "Annex A"])
    document = read_document(data, "dpa.pdf", limits)
    assert document.kind == "pdf" and document.sha256 == sha256_of(data)
    assert len(document.pages) == 3
    assert "Clause 2 Sub-processors" in document.page_text(2)
    assert document.page_at(document.text.index("Annex A")) == 3
    assert_spans_consistent(document)


def test_pdf_encrypted_with_empty_password_is_read(limits):
    document = read_document(encrypted_pdf_bytes("Retention of customer content: 30 days.", ""), "open.pdf", limits)
    assert "30 days" in document.text


def test_pdf_with_password_is_rejected_as_encrypted(limits):
    assert (
        rejected(encrypted_pdf_bytes("Secret terms of service text.", "s3cret"), "locked.pdf", limits).reason
        is Reason.ENCRYPTED
    )


def test_scanned_pdf_is_rejected_as_having_no_text_layer(limits):
    problem = rejected(scanned_pdf_bytes(3), "scan.pdf", limits)
    assert problem.reason is Reason.NO_TEXT_LAYER and "OCR" in problem.message


def test_docx_page_breaks_start_pages_and_tables_keep_cells(limits):
    data = docx_bytes(
        [["Terms of Service", "We keep prompts for 30 days."], ["Sub-processors"]],
        table=[["Name", "Country"], ["Example Cloud Ltd", "Ireland"]],
    )
    document = read_document(data, "terms.docx", limits)
    assert document.kind == "docx" and len(document.pages) == 2
    assert "30 days" in document.page_text(1)
    assert "Example Cloud Ltd | Ireland" in document.page_text(2)
    assert_spans_consistent(document)


def test_xlsx_every_sheet_is_a_page_named_after_it_and_hidden_sheets_are_marked(limits):
    data = xlsx_bytes(
        {"Questionnaire": [["ID", "Answer"], ["RET-01", "30 days"]], "Notes": [["internal", 1]]}, hidden=("Notes",)
    )
    document = read_document(data, "answers.xlsx", limits)
    assert document.kind == "xlsx"
    assert [(page.label, page.hidden) for page in document.pages] == [("Questionnaire", False), ("Notes", True)]
    assert "RET-01 | 30 days" in document.page_text(1)
    assert any("Notes" in warning for warning in document.warnings)
    assert_spans_consistent(document)


def test_csv_rows_become_lines_of_cells(limits):
    data = b'Name,Country,Purpose\n"Example Cloud, Inc.",United States,Hosting\nMailer Oy,Finland,Email\n'
    document = read_document(data, "subprocessors.csv", limits)
    assert document.kind == "csv"
    assert "Example Cloud, Inc. | United States | Hosting" in document.text


def test_csv_is_recognised_from_its_bytes_without_an_extension(limits):
    data = b"Question;Answer\nRetention;30 days\nTraining;never\nBreach;24 hours\n"
    assert read_document(data, "export", limits).kind == "csv"


def test_html_shows_visible_text_only_with_table_rows(limits):
    data = b"""<!DOCTYPE html><html><head><title>t</title><style>.x{content:'Hidden Corp'}</style>
    <script>var vendors = ['Script Vendor Ltd'];</script></head><body><h1>Sub-processors</h1>
    <!-- Comment Vendor -->
    <table><tr><th>Name</th><th>Country</th></tr><tr><td>Example Cloud</td><td>Germany</td></tr></table>
    <p>We notify customers 30 days in advance.</p></body></html>"""
    document = read_document(data, "list.html", limits)
    assert document.kind == "html"
    assert "Example Cloud | Germany" in document.text and "30 days in advance" in document.text
    for invisible in ("Hidden Corp", "Script Vendor", "Comment Vendor", "DOCTYPE"):
        assert invisible not in document.text


def test_text_form_feeds_separate_pages_and_markdown_keeps_its_kind(limits):
    text = read_document(b"Page one clause\n\x0cPage two clause\n", "terms.txt", limits)
    assert [text.page_text(n) for n in (1, 2)] == ["Page one clause", "Page two clause"]
    assert read_document(b"# Policy\n\nWe never train on your data.\n", "policy.md", limits).kind == "markdown"


def test_text_in_a_legacy_encoding_is_decoded(limits):
    document = read_document("Données conservées 30 jours. Société générale.".encode("cp1252"), "fr.txt", limits)
    assert "Données conservées" in document.text


def test_ligatures_and_windows_newlines_are_normalised(limits):
    document = read_document("Con\ufb01dential\r\nterms\x00".encode(), "t.txt", limits)
    assert document.text == "Confidential\nterms"


def test_type_comes_from_bytes_not_from_the_name(limits):
    assert read_document(pdf_bytes(["A PDF sent with a wrong name"]), "answers.txt", limits).kind == "pdf"
    assert rejected(b"<html><body>not a pdf</body></html>", "contract.pdf", limits).reason is Reason.TYPE_MISMATCH
    assert rejected(PNG_BYTES, "scan.png", limits).reason is Reason.UNSUPPORTED_TYPE


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", Reason.EMPTY),
        (b"   \n\t ", Reason.EMPTY),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF", Reason.CORRUPT),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, Reason.UNSUPPORTED_TYPE),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 600,
            Reason.ENCRYPTED,
        ),
        (b"PK\x03\x04 this is not really a zip", Reason.CORRUPT),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 100, Reason.UNSUPPORTED_TYPE),
    ],
    ids=["empty", "blank", "broken-pdf", "legacy-office", "encrypted-office", "broken-zip", "executable"],
)
def test_unreadable_bytes_get_a_typed_reason(data, reason, limits):
    assert rejected(data, "file.bin", limits).reason is reason


def test_a_plain_zip_is_not_taken_for_an_office_file(limits):
    plain = rewrite_zip(docx_bytes([["x"]]), add={})
    stripped = rewrite_zip(b"PK\x05\x06" + b"\x00" * 18)  # an empty archive
    assert rejected(stripped, "a.zip", limits).reason in (Reason.UNSUPPORTED_TYPE, Reason.CORRUPT)
    assert read_document(plain, "a.docx", limits).kind == "docx"


DOCTYPE_PARTS = {
    "plain": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><w:document/>',
    "behind a long comment": b'<?xml version="1.0"?><!--' + b"x" * 10_000 + b'--><!DOCTYPE x [<!ENTITY a "a">]><d/>',
    "in UTF-16": '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "a">]><d/>'.encode("utf-16"),
}


@pytest.mark.parametrize("how", DOCTYPE_PARTS)
def test_doctype_in_an_office_part_is_refused_before_parsing(limits, how):
    source = docx_bytes([["Harmless"]])
    problem = rejected(rewrite_zip(source, replace={"word/document.xml": DOCTYPE_PARTS[how]}), "evil.docx", limits)
    assert problem.reason is Reason.UNSAFE_CONTENT and "DOCTYPE" in problem.message


def test_zip_bomb_member_is_refused_before_any_library_opens_it(limits):
    bomb = rewrite_zip(docx_bytes([["Harmless"]]), add={"word/media/padding.bin": b"\x00" * (300 * 2**20)})
    assert rejected(bomb, "bomb.docx", limits).reason is Reason.UNSAFE_CONTENT


def test_file_over_the_size_limit_is_rejected_without_reading(limits):
    small = dataclasses.replace(limits, max_file_bytes=1000)
    problem = rejected(b"x" * 1001, "big.txt", small)
    assert problem.reason is Reason.TOO_LARGE and "AIVET_MAX_FILE_MB" in problem.message


def test_page_limit(limits):
    few = dataclasses.replace(limits, max_pages=2)
    assert rejected(pdf_bytes(["one", "two", "three"]), "long.pdf", few).reason is Reason.TOO_MANY_PAGES
    assert rejected(b"a\x0cb\x0cc", "long.txt", few).reason is Reason.TOO_MANY_PAGES


def test_reading_past_the_time_limit_is_killed(limits):
    long_pdf = pdf_bytes([f"Clause {n}: " + "the processor shall retain data " * 6 for n in range(400)])
    read_document(b"warm up the reader process", "warm.txt", limits)
    quick = dataclasses.replace(limits, timeout_seconds=0.2)
    problem = rejected(long_pdf, "long.pdf", quick)
    assert problem.reason is Reason.TIMEOUT and "AIVET_PARSE_TIMEOUT_S" in problem.message


def test_reading_past_the_memory_limit_is_stopped(limits):
    big_sheet = xlsx_bytes({"Answers": [[f"row {n}", "x" * 200, n] for n in range(40_000)]})
    tight = dataclasses.replace(limits, max_memory_bytes=8 * 2**20)
    assert rejected(big_sheet, "big.xlsx", tight).reason is Reason.MEMORY_LIMIT
    roomy = dataclasses.replace(limits, max_text_chars=10_000_000)
    assert read_document(big_sheet, "big.xlsx", roomy).kind == "xlsx"


def test_a_document_with_more_text_than_the_setting_is_refused_with_its_reason(limits):
    text = ("Customer data is deleted within 30 days. " * 30_000).encode()
    problem = rejected(text, "huge.txt", dataclasses.replace(limits, max_text_chars=1_000_000))
    assert problem.reason is Reason.TOO_MUCH_TEXT and "1,230,000 characters" in problem.message
    assert read_document(text, "huge.txt", limits).kind == "text"


def test_a_reader_child_dies_with_its_parent():
    import os
    import subprocess
    import sys
    import time

    script = (
        "import os, sys, time\n"
        "from documents.sandbox import _die_with_parent\n"
        "child = os.fork()\n"
        "if child == 0:\n"
        "    _die_with_parent(); time.sleep(60); os._exit(0)\n"
        "print(child, flush=True); time.sleep(0.5); os._exit(0)\n"
    )
    orphan = int(subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=30).stdout)
    deadline = time.time() + 10
    while time.time() < deadline and os.path.exists(f"/proc/{orphan}") and _state(orphan) != "Z":
        time.sleep(0.1)
    assert not os.path.exists(f"/proc/{orphan}") or _state(orphan) == "Z"


def _state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"
