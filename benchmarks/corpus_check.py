"""Check one of our own corpora (benchmarks/own_corpus, benchmarks/probe_corpus): truth.yaml against its documents.

Checks, for every entry: the file exists and its name matches the id; `chars` is the document's length and lies
between 2,000 and 12,000; every `quote` (at any depth) and every sub-processor name is an exact substring of the
document; value types and vocabularies follow the vendor-docs conventions; and the vendors named as held back in
split.yaml exist in truth.yaml and are between a quarter and a half of its vendors.

    .venv/bin/python benchmarks/corpus_check.py [CORPUS_DIR] [--write-chars]   (default: benchmarks/own_corpus)

--write-chars rewrites the `chars:` line of each entry with the document's length (keeps comments).
Standard library + PyYAML only. Exit status 1 when there is any failure.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent / "own_corpus"  # the corpus checked; main() sets it from the command line
TRAINING = {"never", "opt_in", "opt_out", "yes", "unclear", None}
AUDIT = {"yes", "limited", "no", None}
MECHANISMS = {"SCC", "UK_IDTA", "Swiss_addendum", "DPF", "BCR", "adequacy", "Privacy_Shield"}
DOC_TYPES = {"subprocessor_list", "ai_data_faq", "dpa", "privacy_policy", "terms_of_service", "ai_product_terms"}
NUMERIC_CLAUSES = ("subprocessor_change_notice_days", "breach_notification_hours", "deletion_on_termination_days")
REQUIRED = (
    "id",
    "file",
    "chars",
    "vendor",
    "doc_type",
    "retention_days",
    "retention_notes",
    "training_use",
    "subprocessors",
    "subprocessor_change_notice_days",
    "breach_notification_hours",
    "audit_rights",
    "deletion_on_termination_days",
    "transfer_mechanism",
)


def quotes(node, where=""):
    """Yield (path, quote) for every non-null `quote` key at any depth."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "quote" and value is not None:
                yield where or "quote", value
            else:
                yield from quotes(value, f"{where}.{key}" if where else key)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from quotes(value, f"{where}[{i}]")


def is_int_or_none(value) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 0)


def check_entry(entry: dict, failures: list[str]) -> None:
    doc_id = entry.get("id", "?")

    def fail(message: str) -> None:
        failures.append(f"{doc_id}: {message}")

    for key in REQUIRED:
        if key not in entry:
            fail(f"missing key {key}")
    path = HERE / entry.get("file", "")
    if not path.is_file():
        fail(f"file not found: {entry.get('file')}")
        return
    if path.stem != doc_id:
        fail(f"file name {path.name} does not match id")
    text = path.read_text(encoding="utf-8")
    if entry.get("chars") != len(text):
        fail(f"chars is {entry.get('chars')}, document has {len(text)}")
    if not 2000 <= len(text) <= 12000:
        fail(f"length {len(text)} outside 2,000-12,000")
    if entry.get("doc_type") not in DOC_TYPES:
        fail(f"doc_type {entry.get('doc_type')!r}")

    for where, quote in quotes(entry):
        if not isinstance(quote, str) or quote not in text:
            fail(f"{where} not in document: {quote!r}")

    if not is_int_or_none(entry.get("retention_days")):
        fail("retention_days must be a non-negative integer or null")
    for i, note in enumerate(entry.get("retention_notes") or []):
        if not is_int_or_none(note.get("period_days")):
            fail(f"retention_notes[{i}].period_days invalid")
        if "quote" not in note or note["quote"] is None:
            fail(f"retention_notes[{i}] has no quote")
    if entry.get("retention_days") is not None:
        periods = {n.get("period_days") for n in entry.get("retention_notes") or []}
        if entry["retention_days"] not in periods:
            fail("retention_days is not one of the retention_notes periods")

    training = entry.get("training_use") or {}
    if training.get("value") not in TRAINING:
        fail(f"training_use {training.get('value')!r}")
    if training.get("value") is not None and not training.get("quote"):
        fail("training_use has a value but no quote")

    rows = entry.get("subprocessors")
    if rows is not None:
        if not isinstance(rows, list) or not rows:
            fail("subprocessors must be a non-empty list or null")
        for row in rows or []:
            name = row.get("name")
            if not isinstance(name, str) or name not in text:
                fail(f"sub-processor name not in document: {name!r}")
            if not {"name", "country", "purpose"} <= set(row):
                fail(f"sub-processor row lacks name/country/purpose: {row}")

    for key in NUMERIC_CLAUSES:
        clause = entry.get(key) or {}
        if not is_int_or_none(clause.get("value")):
            fail(f"{key} value invalid: {clause.get('value')!r}")
        if clause.get("unit") not in (None, "business_days"):
            fail(f"{key} unit invalid: {clause.get('unit')!r}")
        if clause.get("value") is not None and not clause.get("quote"):
            fail(f"{key} has a value but no quote")
    audit = entry.get("audit_rights") or {}
    if audit.get("value") not in AUDIT:
        fail(f"audit_rights {audit.get('value')!r}")
    if audit.get("value") is not None and not audit.get("quote"):
        fail("audit_rights has a value but no quote")
    mechanisms = (entry.get("transfer_mechanism") or {}).get("value")
    if mechanisms is not None:
        if not isinstance(mechanisms, list) or not set(mechanisms) <= MECHANISMS:
            fail(f"transfer_mechanism {mechanisms!r}")
        if not entry["transfer_mechanism"].get("quote"):
            fail("transfer_mechanism has a value but no quote")


def held_back_vendors() -> list[str]:
    """The held-back vendors of split.yaml, the file the accuracy benchmark reads."""
    return list(yaml.safe_load((HERE / "split.yaml").read_text(encoding="utf-8"))["held_back_vendors"])


def write_chars(entries: list[dict]) -> None:
    truth = HERE / "truth.yaml"
    lines = truth.read_text(encoding="utf-8").splitlines(keepends=True)
    lengths = {e["file"]: len((HERE / e["file"]).read_text(encoding="utf-8")) for e in entries}
    current = None
    for i, line in enumerate(lines):
        if m := re.match(r"\s+file: (\S+)", line):
            current = m.group(1)
        elif current and re.match(r"\s+chars: ", line):
            lines[i] = re.sub(r"chars: .*", f"chars: {lengths[current]}", line)
            current = None
    truth.write_text("".join(lines), encoding="utf-8")


def main() -> int:
    global HERE
    folders = [argument for argument in sys.argv[1:] if not argument.startswith("--")]
    if folders:
        HERE = Path(folders[0]).resolve()
    entries = yaml.safe_load((HERE / "truth.yaml").read_text(encoding="utf-8"))
    if "--write-chars" in sys.argv:
        write_chars(entries)
        entries = yaml.safe_load((HERE / "truth.yaml").read_text(encoding="utf-8"))
    failures: list[str] = []
    ids = [e.get("id") for e in entries]
    for doc_id in {i for i in ids if ids.count(i) > 1}:
        failures.append(f"duplicate id {doc_id}")
    for entry in entries:
        check_entry(entry, failures)
    documents = {p.name for p in (HERE / "docs").glob("*.md")}
    for name in sorted(documents - {Path(e["file"]).name for e in entries}):
        failures.append(f"document without a truth entry: {name}")
    vendors = {e.get("vendor") for e in entries}
    held = held_back_vendors()
    if not len(vendors) / 4 <= len(held) <= len(vendors) / 2:
        failures.append(
            f"split.yaml names {len(held)} held-back vendors of {len(vendors)}: hold back a quarter to a half"
        )
    for vendor in held:
        if vendor not in vendors:
            failures.append(f"held-back vendor {vendor!r} not in truth.yaml")

    n_quotes = sum(len(list(quotes(e))) for e in entries)
    n_names = sum(len(e.get("subprocessors") or []) for e in entries)
    print(
        f"{len(entries)} entries, {len(vendors)} vendors, {len(documents)} documents, "
        f"{n_quotes} quotes, {n_names} sub-processor names checked; held back: {', '.join(held)}"
    )
    for failure in failures:
        print(f"FAIL {failure}")
    print(f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
