"""Questionnaires in vendors' own layouts: how many of their questions land on the right bank question, and how
many answer keys come out right.

1. Own layouts (tests/vendor_layouts.py, made by code: 11 layouts x 2 wordings): share of questions matched to
   the right bank question (an unrelated question is right when it stays unmatched) and share of expected keys
   with the expected value.
2. The questionnaire-type documents of ../shared/corpus/vendor-docs (doc_type ai_data_faq: Q&A trust pages and
   FAQs): how many are read as a vendor layout, their Q&A pairs and matches, and the share of labelled keys right
   (retention_days, training_use, breach_notification_hours, audit_rights, change notice, deletion). The corpus
   has no per-question labels, so the matches of development documents are printed for reading; of held-back
   vendors (HELD_BACK_VENDORS of extraction_accuracy.py) only aggregate numbers are shown.

    python benchmarks/vendor_layouts.py [--corpus ../shared/corpus/vendor-docs]
Writes benchmarks/results/vendor_layouts.json; asserts nothing."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from common import REPO, require, shared_path, write_result

sys.path.insert(0, str(REPO))

from extraction_accuracy import HELD_BACK_VENDORS

from tests.vendor_layouts import expected_key, layouts

KEYS = {  # truth.yaml field -> how the answer's value is compared
    "retention_days": lambda value: value,
    "training_use": lambda value: value.get("label") if isinstance(value, dict) else value,
    "breach_notification_hours": lambda value: value,
    "audit_rights": lambda value: value,
    "subprocessor_change_notice_days": lambda value: value.get("value") if isinstance(value, dict) else value,
    "deletion_on_termination_days": lambda value: value.get("value") if isinstance(value, dict) else value,
}


def own_layouts(extract_any, read_document) -> dict:
    questions = right_questions = keys = right_keys = 0
    rows = []
    for layout in layouts():
        result = extract_any(read_document(layout.data, layout.filename))
        found = {pair["theirs"]: pair["question"] for pair in (result.form or {}).get("pairs", [])}
        matched = sum(found.get(question, "missing") == ours for question, ours in layout.questions)
        keyed = sum(expected_key(key, value, result.answers[key].value) for key, value in layout.keys.items())
        questions, right_questions = questions + len(layout.questions), right_questions + matched
        keys, right_keys = keys + len(layout.keys), right_keys + keyed
        rows.append((layout.name, matched, len(layout.questions), keyed, len(layout.keys)))
        for question, ours in layout.questions:
            if found.get(question, "missing") != ours:
                print(f"  {layout.name}: '{question[:70]}' -> {found.get(question, 'not found')} (expected {ours})")
    print(f"\n{'layout':<32}{'questions right':>18}{'keys right':>14}")
    for name, matched, asked, keyed, expected in rows:
        print(f"{name:<32}{matched:>12}/{asked:<5}{keyed:>9}/{expected:<4}")
    print(
        f"Own layouts ({len(rows)}): questions matched right {right_questions}/{questions} = "
        f"{right_questions / questions:.3f}; keys right {right_keys}/{keys} = {right_keys / keys:.3f}"
    )
    return {
        "layouts": len(rows),
        "questions": questions,
        "questions_right": right_questions,
        "keys": keys,
        "keys_right": right_keys,
    }


def corpus_documents(corpus: Path, extract_any, read_document) -> dict:
    import yaml

    entries = yaml.safe_load((corpus / "truth.yaml").read_text(encoding="utf-8"))
    entries = [e for e in entries if e.get("doc_type") == "ai_data_faq"]
    parts: dict[str, dict] = {}
    for entry in entries:
        part = "held-back" if entry.get("vendor") in HELD_BACK_VENDORS else "dev"
        totals = parts.setdefault(
            part, {"documents": 0, "vendor_layouts": 0, "pairs": 0, "matched": 0, "keys": 0, "keys_right": 0}
        )
        path = corpus / entry["file"]
        result = extract_any(read_document(path.read_bytes(), path.name))
        pairs = (result.form or {}).get("pairs", [])
        totals["documents"] += 1
        totals["vendor_layouts"] += bool(result.form and result.form.get("layout") == "vendor")
        totals["pairs"] += len(pairs)
        totals["matched"] += sum(pair["question"] is not None for pair in pairs)
        for key, comparable in KEYS.items():
            label = entry.get(key)
            truth = label.get("value") if isinstance(label, dict) else label
            if truth is None:
                continue
            totals["keys"] += 1
            totals["keys_right"] += comparable(result.answers[key].value) == truth
        if part == "dev" and pairs:
            print(f"\n{entry['id']}: {len(pairs)} pairs")
            for pair in pairs:
                print(f"    {pair['question'] or '—':<8} {pair['score']:>5}  {pair['theirs'][:90]}")
    for part, totals in parts.items():
        share = totals["keys_right"] / totals["keys"] if totals["keys"] else float("nan")
        print(
            f"Corpus {part}: {totals['documents']} questionnaire-type documents, {totals['vendor_layouts']} read as "
            f"vendor layouts, {totals['pairs']} Q&A pairs, {totals['matched']} matched to the bank; labelled keys "
            f"right {totals['keys_right']}/{totals['keys']} = {share:.3f}"
        )
    return parts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=shared_path("corpus", "vendor-docs"))
    args = parser.parse_args()
    from documents import read_document
    from workflows import extract_any

    result = {"own": own_layouts(extract_any, read_document)}
    if args.corpus.exists():
        result["corpus"] = corpus_documents(args.corpus, extract_any, read_document)
    else:
        require(args.corpus, "vendor-docs corpus", default=False)
    write_result("vendor_layouts", result, show=False)


if __name__ == "__main__":
    main()
