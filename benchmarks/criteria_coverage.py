"""The assurance keys on the vendor-docs corpus, and the ten criteria of the demo vendors.

1. Corpus: for each new answer key, per part (development and held-back vendors), accuracy where the truth says
   it is stated (the extracted names or stated fields equal the truth's), and values invented where it says
   silent. The dev truth (benchmarks/criteria_truth.yaml) was written by the extractor's developers; the held-back
   truth (benchmarks/criteria_truth_held_back.yaml) by someone who never saw the extractor, and only its
   figures are printed, never a held-back document's text or labels.
2. Demo: each demo vendor as `make run` loads it (documents and its returned questionnaire), scored on a fixed
   day: how many of the ten criteria are scored, and per criterion the explanation of its part in the decision.

    python benchmarks/criteria_coverage.py [--corpus ../shared/corpus/vendor-docs]
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
import tempfile
from pathlib import Path

import yaml
from common import REPO, RESULTS, require, shared_path
from extraction_accuracy import DEV, HELD_BACK, HELD_BACK_VENDORS, PARTS

from extraction import ASSURANCE_KEYS as KEYS

AS_OF = datetime.date(2026, 12, 7)


def _stated(key: str, value) -> frozenset[str]:
    if value is None:
        return frozenset()
    if key == "certifications":
        return frozenset(item["name"] for item in value)
    if key == "ai_act_role":
        return frozenset(value)
    if key == "data_residency":  # EU-only as the scorecard judges it: an EU-only option, or every region in the EEA
        regions = value.get("regions") or []
        eea = yaml.safe_load((REPO / "scoring" / "regions.yaml").read_text())["eea"]
        in_eea = bool(regions) and all(region in eea for region in regions)
        return frozenset({"eu_only_option"}) if value.get("eu_only_option") or in_eea else frozenset()
    return frozenset(field for field, stated in value.items() if stated is True)


def _truth(name: str) -> dict:
    return yaml.safe_load((REPO / "benchmarks" / name).read_text())["documents"]


def corpus_part(corpus: Path) -> dict:
    """Per part (dev, held-back), per key: documents where the truth says it is stated, right among them, silent
    documents and values invented there. Mismatches are printed for dev documents only: the held-back part is
    read by its figures, never by its text."""
    from documents import read_document
    from extraction import extract_document

    truth = {DEV: _truth("criteria_truth.yaml"), HELD_BACK: _truth("criteria_truth_held_back.yaml")}
    entries = yaml.safe_load((corpus / "truth.yaml").read_text(encoding="utf-8"))
    parts = {part: {key: {"stated": 0, "right": 0, "silent": 0, "invented": 0} for key in KEYS} for part in PARTS}
    for entry in entries:
        part = HELD_BACK if entry["vendor"] in HELD_BACK_VENDORS else DEV
        path = corpus / entry["file"]
        extraction = extract_document(read_document(path.read_bytes(), path.name))
        expected = truth[part].get(entry["id"], {})
        for key in KEYS:
            got = _stated(key, extraction.answers[key].value)
            row = parts[part][key]
            if key in expected:
                row["stated"] += 1
                row["right"] += got == frozenset(expected[key])
                if part == DEV and got != frozenset(expected[key]):
                    print(f"  dev mismatch {entry['id']} {key}: got {sorted(got)}, truth {sorted(expected[key])}")
            else:
                row["silent"] += 1
                row["invented"] += bool(got)
                if part == DEV and got:
                    print(f"  dev invented {entry['id']} {key}: {sorted(got)}")
    return parts


def demo_part() -> dict:
    """The demo as `make run` loads it (documents, then each vendor's questionnaire returned through its link),
    on a throwaway SQLite workspace, scored on AS_OF."""
    import scoring
    from aivet.demo import load_demo
    from aivet.settings import ReadLimits, Settings
    from store.vendors import get_vendor
    from store.workspace import Workspace
    from workflows import list_vendors, vendor_answers

    results = {}
    with tempfile.TemporaryDirectory() as data_dir:
        settings = Settings(data_dir=Path(data_dir), limits=ReadLimits(timeout_seconds=20))
        workspace = Workspace.open(settings)
        load_demo(workspace, settings.operator)
        for vendor in list_vendors(workspace):
            answers = vendor_answers(workspace, vendor.id).merged.answers
            intake = scoring.Intake.from_json(get_vendor(workspace, vendor.id).intake)
            card = scoring.score(answers, intake, scoring.load_profile(), AS_OF)
            scored = [criterion for criterion in card.criteria if criterion.applies]
            answered = [criterion for criterion in scored if len(criterion.missing) < len(criterion.keys)]
            results[vendor.name] = {
                "score": round(card.score, 1),
                "decision": card.decision,
                "knockouts": [hit.id for hit in card.knockouts],
                "criteria_scored": len(scored),
                "criteria_with_an_answer": len(answered),
                "missing_questions": len(card.missing),
                "expired": [item["key"] for item in card.expired],
                "explanations": [criterion.explanation() for criterion in card.criteria],
            }
        workspace.engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path)
    args = parser.parse_args()
    corpus = args.corpus or shared_path("corpus", "vendor-docs")
    require(corpus, "the vendor-docs corpus", default=args.corpus is None)
    report = {"corpus": corpus_part(corpus), "demo": demo_part()}
    for part in PARTS:
        print(f"\n{part}: {'key':<20}{'stated':>8}{'right':>7}{'accuracy':>10}{'silent':>8}{'invented':>10}")
        for key in KEYS:
            row = report["corpus"][part][key]
            accuracy = f"{row['right'] / row['stated']:.2f}" if row["stated"] else "—"
            print(
                f"{'':<{len(part) + 2}}{key:<20}{row['stated']:>8}{row['right']:>7}{accuracy:>10}{row['silent']:>8}"
                f"{row['invented']:>10}"
            )
    for vendor, result in report["demo"].items():
        print(
            f"\n{vendor}: score {result['score']} {result['decision']}; criteria scored {result['criteria_scored']}/10, "
            f"with an answer {result['criteria_with_an_answer']}/10; {result['missing_questions']} questions to ask; "
            f"knock-outs {result['knockouts'] or 'none'}; expired {result['expired'] or 'none'}"
        )
        for line in result["explanations"]:
            print(f"  {line}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "criteria_coverage.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    sys.exit(main())
