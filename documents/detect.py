"""Decide what a file is from its bytes; the file name only refines plain-text kinds."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import PurePath

import filetype
from charset_normalizer import from_bytes
from defusedxml import DefusedXmlException, DTDForbidden
from defusedxml.ElementTree import ParseError, iterparse

from aivet.settings import ReadLimits
from documents.model import Reason, UnreadableDocument

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
HTML_MARKERS = ("<!doctype html", "<html", "<head", "<body")
# Extensions that promise a specific binary format: the bytes must agree.
BINARY_EXTENSIONS = {".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx", ".xlsm": "xlsx"}
TEXT_EXTENSIONS = {".md": "markdown", ".markdown": "markdown", ".csv": "csv", ".tsv": "csv"}


def detect_kind(data: bytes, filename: str, limits: ReadLimits) -> str:
    """Return one of pdf, docx, xlsx, csv, html, markdown, text — or raise UnreadableDocument.

    read_document has already refused empty files before forking a reader.
    """
    kind = _kind_from_bytes(data, limits)
    extension = PurePath(filename).suffix.lower()
    claimed = BINARY_EXTENSIONS.get(extension)
    if claimed and claimed != kind:
        raise UnreadableDocument(
            Reason.TYPE_MISMATCH, f"The file is named '{extension}' but its content is {_describe(kind)}."
        )
    if kind == "text":
        return TEXT_EXTENSIONS.get(extension) or ("csv" if _looks_like_csv(decode_text(data)) else "text")
    return kind


def _describe(kind: str) -> str:
    return {"text": "plain text", "html": "an HTML page", "zip": "a ZIP archive"}.get(kind, f"a {kind.upper()} file")


def _kind_from_bytes(data: bytes, limits: ReadLimits) -> str:
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _ooxml_kind(data, limits)
    if data.startswith(OLE2_MAGIC):
        if ENCRYPTED_PACKAGE in data:
            raise UnreadableDocument(Reason.ENCRYPTED, "The Office file is encrypted with a password.")
        raise UnreadableDocument(
            Reason.UNSUPPORTED_TYPE, "The file is a legacy Office document (DOC/XLS); save it as DOCX or XLSX."
        )
    guessed = filetype.guess(data[:8192])
    if guessed is not None:
        raise UnreadableDocument(Reason.UNSUPPORTED_TYPE, f"The file is {guessed.mime}, not a text document.")
    text = decode_text(data)
    head = text[:2048].lstrip().lower()
    if any(marker in head for marker in HTML_MARKERS):
        return "html"
    if head.startswith(("<?xml", "<!doctype")):
        raise UnreadableDocument(Reason.UNSUPPORTED_TYPE, "The file is XML, not a document aivet reads.")
    return "text"


def _ooxml_kind(data: bytes, limits: ReadLimits) -> str:
    """Check a zip's members before any library opens it: size, count, ratio, no DOCTYPE."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnreadableDocument(
            Reason.CORRUPT, "The file starts like a ZIP archive but its directory is damaged."
        ) from None
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names:
        raise UnreadableDocument(Reason.UNSUPPORTED_TYPE, "The file is a ZIP archive, not a Word or Excel document.")
    if len(members) > limits.max_zip_members:
        raise UnreadableDocument(
            Reason.UNSAFE_CONTENT, f"The document holds {len(members)} parts, more than {limits.max_zip_members}."
        )
    total = sum(member.file_size for member in members)
    if total > limits.max_unzipped_bytes:
        raise UnreadableDocument(
            Reason.UNSAFE_CONTENT,
            f"The document unpacks to {total / 2**20:.1f} MiB, more than {limits.max_unzipped_bytes / 2**20:g} MiB.",
        )
    for member in members:
        if member.file_size > 2**20 and member.file_size > limits.max_zip_ratio * max(member.compress_size, 1):
            raise UnreadableDocument(
                Reason.UNSAFE_CONTENT, f"The part '{member.filename}' is compressed suspiciously tightly (a zip bomb)."
            )
    for member in members:
        if member.filename.endswith((".xml", ".rels")):
            _refuse_doctype(archive, member)
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    raise UnreadableDocument(Reason.UNSUPPORTED_TYPE, "The file is an Office document other than Word or Excel.")


def _refuse_doctype(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """Parse a part's prolog with a real XML parser that refuses DTDs (defusedxml), up to its first element: a
    DOCTYPE behind a long comment or in UTF-16 is found as surely as a plain one."""
    try:
        with archive.open(member) as stream:
            for _event, _element in iterparse(stream, events=("start",), forbid_dtd=True):
                return  # the root element has begun: a DOCTYPE can only come before it
    except DTDForbidden:
        raise UnreadableDocument(
            Reason.UNSAFE_CONTENT, f"The part '{member.filename}' declares a DOCTYPE (used in XML entity attacks)."
        ) from None
    except (ParseError, DefusedXmlException, zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
        raise UnreadableDocument(Reason.CORRUPT, f"The part '{member.filename}' is damaged.") from None


def decode_text(data: bytes) -> str:
    """Decode text bytes: UTF-8 (with or without BOM) first, then the best detected charset."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableDocument(Reason.UNSUPPORTED_TYPE, "The file is binary data, not a text document.")
    best = from_bytes(data[: 2**20]).best()
    if best is None:
        raise UnreadableDocument(Reason.UNSUPPORTED_TYPE, "The file is binary data, not a text document.")
    return data.decode(best.encoding, errors="replace")


def _looks_like_csv(text: str) -> bool:
    """Only call text a table when every one of its first rows has the same number of fields (>= 2)."""
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    if len(lines) < 3:
        return False
    try:
        dialect = csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t")
    except csv.Error:
        return False
    widths = {len(row) for row in csv.reader(lines, dialect)}
    return len(widths) == 1 and widths.pop() >= 2
