"""The assurance keys on the vendor-docs corpus, and the ten criteria of the demo vendors.

1. Corpus: for each new answer key, accuracy where the dev truth (benchmarks/criteria_truth.yaml) says it is stated
   (the extracted names or stated fields equal the truth's), and values invented where it says silent. Held-back
   vendors have no truth for these keys: only the number of keys they answered is printed, never their text.
2. Demo: each demo vendor scored on a fixed day; how many of the ten criteria are scored, and per criterion the
   explanation of its part in the decision.

    python benchmarks/criteria_coverage.py [--corpus ../shared/corpus/vendor-docs]
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from pathlib import Path

import yaml
from common import REPO, RESULTS, require, shared_path
from extraction_accuracy import HELD_BACK_VENDORS

KEYS = (
    "certifications",
    "encryption",
    "sso_mfa",
    "penetration_testing",
    "data_residency",
    "ai_act_role",
    "model_evaluation",
    "llm_security",
)
AS_OF = datetime.date(2026, 12, 7)


def _stated(key: str, value) -> frozenset[str]:
    if value is None:
        return frozenset()
    if key == "certifications":
        return frozenset(item["name"] for item in value)
    if key == "ai_act_role":
        return frozenset(value)
    return frozenset(field for field, stated in value.items() if stated is True)


def corpus_part(corpus: Path) -> dict:
    from documents import read_document
    from extraction import extract_document

    truth = yaml.safe_load((REPO / "benchmarks" / "criteria_truth.yaml").read_text())["documents"]
    entries = yaml.safe_load((corpus / "truth.yaml").read_text(encoding="utf-8"))
    per_key = {key: {"stated": 0, "right": 0, "silent": 0, "invented": 0} for key in KEYS}
    held_back_answered = dict.fromkeys(KEYS, 0)
    held_back_documents = 0
    for entry in entries:
        path = corpus / entry["file"]
        document = read_document(path.read_bytes(), path.name)
        extraction = extract_document(document)
        if entry["vendor"] in HELD_BACK_VENDORS:
            held_back_documents += 1
            for key in KEYS:
                held_back_answered[key] += extraction.answers[key].status != "not_found"
            continue
        expected = truth.get(entry["id"], {})
        for key in KEYS:
            got = _stated(key, extraction.answers[key].value)
            if key in expected:
                per_key[key]["stated"] += 1
                right = got == frozenset(expected[key])
                per_key[key]["right"] += right
                if not right:
                    print(f"  dev mismatch {entry['id']} {key}: got {sorted(got)}, truth {sorted(expected[key])}")
            else:
                per_key[key]["silent"] += 1
                if got:
                    per_key[key]["invented"] += 1
                    print(f"  dev invented {entry['id']} {key}: {sorted(got)}")
    return {"dev": per_key, "held_back": {"documents": held_back_documents, "answered": held_back_answered}}


def demo_part() -> dict:
    import scoring
    from aivet.settings import ReadLimits
    from workflows import extract_files

    results = {}
    for vendor in ("lumora-ai", "quillstack", "norvik-analytics"):
        files = sorted((REPO / "data" / "demo" / vendor).iterdir())
        run = extract_files(files, ReadLimits(timeout_seconds=20))
        answers = scoring.answers_from_json(run.to_json(), vendor)
        card = scoring.score(answers, scoring.Intake.default(), scoring.load_profile(), AS_OF)
        scored = [criterion for criterion in card.criteria if criterion.applies]
        answered = [criterion for criterion in scored if len(criterion.missing) < len(criterion.keys)]
        results[vendor] = {
            "score": round(card.score, 1),
            "decision": card.decision,
            "criteria_scored": len(scored),
            "criteria_with_an_answer": len(answered),
            "missing_questions": len(card.missing),
            "explanations": [criterion.explanation() for criterion in card.criteria],
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path)
    args = parser.parse_args()
    corpus = args.corpus or shared_path("corpus", "vendor-docs")
    require(corpus, "the vendor-docs corpus", default=args.corpus is None)
    report = {"corpus": corpus_part(corpus), "demo": demo_part()}
    print(f"{'key':<22}{'dev stated':>11}{'accuracy':>10}{'dev silent':>11}{'invented':>10}{'held-back answered':>20}")
    for key in KEYS:
        row = report["corpus"]["dev"][key]
        accuracy = f"{row['right'] / row['stated']:.2f}" if row["stated"] else "—"
        held = report["corpus"]["held_back"]["answered"][key]
        print(f"{key:<22}{row['stated']:>11}{accuracy:>10}{row['silent']:>11}{row['invented']:>10}{held:>20}")
    for vendor, result in report["demo"].items():
        print(
            f"\n{vendor}: score {result['score']} {result['decision']}; criteria scored {result['criteria_scored']}/10, "
            f"with an answer {result['criteria_with_an_answer']}/10; {result['missing_questions']} questions to ask"
        )
        for line in result["explanations"]:
            print(f"  {line}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "criteria_coverage.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    sys.exit(main())
