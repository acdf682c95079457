"""Extraction accuracy on the vendor-docs corpus, read the way vendors send it: as PDF and Word files.

Each document of ../shared/corpus/vendor-docs (docs/<id>.md, labels in truth.yaml) is rendered in
several ways (benchmarks/renderings.py: `pdf` one column with table rows as lines of cells,
`pdf-2col` two columns, `pdf-borderless` tables without lines or separators, `docx` a Word file),
then `extract_paths` reads each file (one call per document, timed) and its answers are scored
against the labels, per rendering:

- retention: recall and precision of the stated periods (sets of non-null period_days);
  retention_days accuracy;
- training_use label accuracy; subprocessor name F1 and country accuracy;
- accuracy of the clause values (notice days, breach hours, audit rights, deletion days,
  transfer mechanisms);
- invented values (a value where the label has none), evidence validity (the quote is the
  Document text at [start, end) and the page is the page of `start`).

The documents are split by vendor into a development part and a held-back part (HELD_BACK_VENDORS).
Every metric is reported for both parts side by side; PASS/FAIL is judged on the held-back value.
Mismatches, invented values and evidence problems are printed (and written) for development documents
only; of the held-back part only aggregate metrics are shown.

Targets (from the issue): >= 0.90 on each metric, 0 invented values, 100 % valid evidence.
The script writes benchmarks/results/extraction_accuracy.json and exits 0 (--strict: exit 1 on any FAIL).

    python benchmarks/extraction_accuracy.py [--corpus ../shared/corpus/vendor-docs] [--part dev|held-back|all]
        [--renderings pdf,pdf-2col,pdf-borderless,docx] [--only ID ...] [--keep-rendered DIR]
        [--engine workflows:extract_paths]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from common import ENGINE, load_engine, require, shared_path, write_result
from renderings import RENDERINGS, SUFFIXES, RenderStats, choose_fonts

DEFAULT_CORPUS = shared_path("corpus", "vendor-docs")
TARGET = 0.90
KEYS = (
    "retention",
    "retention_days",
    "training_use",
    "subprocessors",
    "subprocessor_change_notice_days",
    "transfer_mechanism",
    "breach_notification_hours",
    "audit_rights",
    "deletion_on_termination_days",
)
STATUSES = {"answered", "not_found", "conflict", "needs_review"}
MECHANISMS = {"SCC", "UK Addendum", "Swiss Addendum", "DPF", "BCR", "adequacy"}
# truth.yaml's vocabulary -> the contract's; Privacy_Shield is not in the contract (None: dropped).
TRUTH_MECHANISM = {
    "SCC": "SCC",
    "UK_IDTA": "UK Addendum",
    "Swiss_addendum": "Swiss Addendum",
    "DPF": "DPF",
    "BCR": "BCR",
    "adequacy": "adequacy",
    "Privacy_Shield": None,
}
TRAINING_LABELS = {"never", "opt_in", "opt_out", "yes", "unclear"}
AUDIT_VALUES = {"yes", "limited", "no"}

# Held back before tuning: develop only against the rest; read only held-back scores, never their text or
# mismatches. Matched on the `vendor` field of truth.yaml; every other vendor is the development part.
HELD_BACK_VENDORS = frozenset(
    {
        "Bento",
        "Walla",
        "Zulip (Kandra Labs)",
        "fortrabbit",
        "Mailjet (Sinch Email)",
        "OVHcloud",
        "Keboola",
        "SimpleLocalize",
        "Fireworks AI",
        "Murf",
        "Replit",
    }
)
DEV, HELD_BACK = "dev", "held-back"
PARTS = (DEV, HELD_BACK)


def _listed(value):
    """A set of values in a stable order, for printing."""
    return sorted(value) if isinstance(value, frozenset) else value


def held_back_vendors(corpus: Path) -> frozenset[str]:
    """The corpus's own split (`split.yaml`: held_back_vendors), else the vendor-docs split above."""
    split = corpus / "split.yaml"
    if not split.exists():
        return HELD_BACK_VENDORS
    import yaml

    return frozenset(yaml.safe_load(split.read_text(encoding="utf-8"))["held_back_vendors"])


held_back = HELD_BACK_VENDORS  # the split of the corpus being run


def part_of(entry: dict) -> str:
    return HELD_BACK if entry.get("vendor") in held_back else DEV


# ---------------------------------------------------------------------------------------------
# Normalising values for comparison.

LEGAL_SUFFIXES = {
    "inc",
    "incorporated",
    "llc",
    "ltd",
    "limited",
    "gmbh",
    "bv",
    "nv",
    "pty",
    "ulc",
    "corp",
    "corporation",
    "co",
    "company",
    "plc",
    "sa",
    "sas",
    "sarl",
    "ag",
    "ab",
    "oy",
    "srl",
    "spa",
    "pbc",
    "pte",
    "kk",
    "lp",
    "llp",
    "aps",
}
REGIONS = {
    "eu": "European Union",
    "european union": "European Union",
    "eea": "European Economic Area",
    "european economic area": "European Economic Area",
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "global": "Global",
    "global edge": "Global",
    "worldwide": "Global",
}


def normalise_whitespace(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def normalise_name(name: str) -> str:
    """Names compared as the corpus README says: soft hyphens (U+00AD) stripped, case, dots, apostrophes and
    legal suffixes ignored."""
    text = unicodedata.normalize("NFKC", str(name).replace("\u00ad", "")).casefold()
    text = text.replace(".", "").replace("'", "").replace("’", "")
    tokens = re.sub(r"[^\w]+", " ", text).split()
    kept = [token for token in tokens if token not in LEGAL_SUFFIXES]
    return " ".join(kept or tokens)


def names_match(truth: str, predicted: str) -> float:
    """0 when the names differ, else a score (higher is better): exact 200, contained 150, fuzzy its ratio."""
    from rapidfuzz import fuzz

    if truth == predicted:
        return 200.0
    if f" {truth} " in f" {predicted} " or f" {predicted} " in f" {truth} ":
        return 150.0
    score = fuzz.token_set_ratio(truth, predicted)
    return score if score >= 90 else 0.0


def normalise_countries(value) -> frozenset[str]:
    """'United States, Belgium' / 'US' / 'EU' / ['USA'] -> {'US', 'BE'} / {'US'} / {'European Union'}."""
    import pycountry

    if value is None:
        return frozenset()
    parts = value if isinstance(value, (list, tuple, set)) else re.split(r"[,;/()&]|\band\b", str(value))
    out = set()
    for part in parts:
        part = str(part).strip().strip(".")
        if not part:
            continue
        key = part.casefold()
        if key in REGIONS:
            out.add(REGIONS[key])
            continue
        try:
            out.add(pycountry.countries.lookup(part).alpha_2)
        except LookupError:
            out.add(key)
    return frozenset(out)


def truth_mechanisms(values) -> frozenset[str]:
    return frozenset(m for m in (TRUTH_MECHANISM.get(v, v) for v in values or []) if m)


def as_int(value):
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# ---------------------------------------------------------------------------------------------
# Reading the prediction (the DESIGN.md contract).


def predicted_value(answers: dict, key: str):
    answer = answers.get(key)
    if not isinstance(answer, dict) or answer.get("status") == "not_found":
        return None
    return answer.get("value")


def inner(value, field_name: str):
    """The scored field of a dict-valued answer ({value, ...} / {label, ...}); a bare scalar is taken as is."""
    if isinstance(value, dict):
        return value.get(field_name)
    return value


def contract_problems(document: dict) -> list[str]:
    problems = []
    if document.get("status") == "rejected":
        return problems
    answers = document.get("answers")
    if not isinstance(answers, dict):
        return ["no 'answers' object"]
    for key in KEYS:
        if key not in answers:
            problems.append(f"{key}: missing")
            continue
        answer = answers[key]
        if not isinstance(answer, dict):
            problems.append(f"{key}: answer is not an object")
            continue
        for part in ("value", "status", "confidence", "method", "evidence"):
            if part not in answer:
                problems.append(f"{key}: no '{part}'")
        if answer.get("status") not in STATUSES:
            problems.append(f"{key}: status {answer.get('status')!r}")
        value = answer.get("value")
        if value is None:
            continue
        ok = True
        if key == "retention":
            ok = isinstance(value, list) and all(
                isinstance(i, dict) and {"data_category", "period_days", "condition"} <= set(i) for i in value
            )
        elif key == "subprocessors":
            ok = isinstance(value, list) and all(
                isinstance(i, dict) and {"name", "country", "purpose"} <= set(i) for i in value
            )
        elif key in ("retention_days", "breach_notification_hours"):
            ok = isinstance(as_int(value), int)
        elif key == "training_use":
            ok = isinstance(value, dict) and value.get("label") in TRAINING_LABELS and "scope" in value
        elif key == "subprocessor_change_notice_days":
            ok = isinstance(value, dict) and {"value", "objection_window_days"} <= set(value)
        elif key == "deletion_on_termination_days":
            ok = isinstance(value, dict) and {"value", "obligation"} <= set(value)
        elif key == "transfer_mechanism":
            ok = isinstance(value, list) and set(value) <= MECHANISMS
        elif key == "audit_rights":
            ok = value in AUDIT_VALUES
        if not ok:
            problems.append(f"{key}: value {short(value)} does not follow the contract")
    return problems


# ---------------------------------------------------------------------------------------------
# Scoring.


def short(value, width: int = 110) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass
class Tally:
    right: int = 0
    total: int = 0
    stated_right: int = 0
    stated_total: int = 0

    def add(self, truth, predicted) -> bool:
        ok = truth == predicted
        self.total += 1
        self.right += ok
        if truth not in (None, frozenset()):
            self.stated_total += 1
            self.stated_right += ok
        return ok


@dataclass
class Scores:
    periods_true: int = 0
    periods_predicted: int = 0
    periods_hit: int = 0
    singles: dict[str, Tally] = field(default_factory=dict)
    names_true: int = 0
    names_predicted: int = 0
    names_hit: int = 0
    countries_right: int = 0
    countries_total: int = 0
    invented: list[dict] = field(default_factory=list)
    evidence_total: int = 0
    evidence_valid: int = 0
    evidence_failures: list[dict] = field(default_factory=list)
    unsupported_answers: list[dict] = field(default_factory=list)
    contract: list[dict] = field(default_factory=list)

    def single(self, key: str) -> Tally:
        return self.singles.setdefault(key, Tally())


def match_names(truth_names: list[str], predicted_names: list[str]) -> list[tuple[str, str]]:
    """One-to-one pairs, best first: exact, then one containing the other, then token_set_ratio >= 90."""
    candidates = [(names_match(t, p), t, p) for t in truth_names for p in predicted_names]
    pairs, used_t, used_p = [], set(), set()
    for score, t, p in sorted(candidates, key=lambda c: -c[0]):
        if score and t not in used_t and p not in used_p:
            pairs.append((t, p))
            used_t.add(t)
            used_p.add(p)
    return pairs


def score_document(entry: dict, answers: dict, scores: Scores) -> list[tuple[str, str, str]]:
    """Add one document to the scores; return its mismatches as (key, truth, predicted)."""
    doc_id = entry["id"]
    mismatches: list[tuple[str, str, str]] = []

    def invented(key: str, value) -> None:
        scores.invented.append({"document": doc_id, "key": key, "predicted": value})
        mismatches.append((key, "none (label is null)", f"INVENTED {short(value)}"))

    # retention: periods
    truth_periods = {
        as_int(n["period_days"]) for n in entry.get("retention_notes") or [] if n.get("period_days") is not None
    }
    retention = predicted_value(answers, "retention")
    items = retention if isinstance(retention, list) else []
    predicted_periods = {
        as_int(i.get("period_days")) for i in items if isinstance(i, dict) and i.get("period_days") is not None
    }
    hits = truth_periods & predicted_periods
    scores.periods_true += len(truth_periods)
    scores.periods_predicted += len(predicted_periods)
    scores.periods_hit += len(hits)
    if not entry.get("retention_notes") and items:
        invented("retention", retention)
    elif truth_periods != predicted_periods:
        mismatches.append(
            (
                "retention periods",
                str(sorted(truth_periods)),
                f"{sorted(predicted_periods)} (missing {sorted(truth_periods - predicted_periods)}, "
                f"extra {sorted(predicted_periods - truth_periods)})",
            )
        )

    # single values: (key, truth, predicted)
    truth_training = (entry.get("training_use") or {}).get("value")
    singles = [
        ("retention_days", as_int(entry.get("retention_days")), as_int(predicted_value(answers, "retention_days"))),
        ("training_use", truth_training, inner(predicted_value(answers, "training_use"), "label")),
    ]
    for key in ("subprocessor_change_notice_days", "deletion_on_termination_days"):
        singles.append(
            (key, as_int((entry.get(key) or {}).get("value")), as_int(inner(predicted_value(answers, key), "value")))
        )
    singles.append(
        (
            "breach_notification_hours",
            as_int((entry.get("breach_notification_hours") or {}).get("value")),
            as_int(predicted_value(answers, "breach_notification_hours")),
        )
    )
    singles.append(
        ("audit_rights", (entry.get("audit_rights") or {}).get("value"), predicted_value(answers, "audit_rights"))
    )
    predicted_mechanisms = predicted_value(answers, "transfer_mechanism")
    singles.append(
        (
            "transfer_mechanism",
            truth_mechanisms((entry.get("transfer_mechanism") or {}).get("value")),
            frozenset(predicted_mechanisms)
            if isinstance(predicted_mechanisms, list)
            else (frozenset([predicted_mechanisms]) if predicted_mechanisms else frozenset()),
        )
    )
    for key, truth, predicted in singles:
        if scores.single(key).add(truth, predicted):
            continue
        if truth in (None, frozenset()):
            invented(key, sorted(predicted) if isinstance(predicted, frozenset) else predicted)
        else:
            mismatches.append((key, short(_listed(truth)), short(_listed(predicted))))

    # subprocessors: names (deduplicated per document) and, over matched names, countries
    truth_rows = entry.get("subprocessors") or []
    predicted_rows = predicted_value(answers, "subprocessors")
    predicted_rows = [r for r in predicted_rows if isinstance(r, dict)] if isinstance(predicted_rows, list) else []
    truth_countries: dict[str, set] = {}
    for row in truth_rows:
        countries = truth_countries.setdefault(normalise_name(row["name"]), set())
        countries |= normalise_countries(row.get("country"))
    predicted_countries: dict[str, set] = {}
    for row in predicted_rows:
        # The label keeps names as the document writes them; the engine gives that as `listed_as` next to
        # its normalised `name` ("Amazon Web Services, Inc." and "AWS"), so compare like with like.
        written = row.get("listed_as") or row.get("name")
        if written:
            countries = predicted_countries.setdefault(normalise_name(written), set())
            countries |= normalise_countries(row.get("country"))
    pairs = match_names(list(truth_countries), list(predicted_countries))
    scores.names_true += len(truth_countries)
    scores.names_predicted += len(predicted_countries)
    scores.names_hit += len(pairs)
    if not truth_rows and predicted_rows:
        invented("subprocessors", [r.get("name") for r in predicted_rows])
    else:
        missing = sorted(set(truth_countries) - {t for t, _ in pairs})
        extra = sorted(set(predicted_countries) - {p for _, p in pairs})
        if missing or extra:
            mismatches.append(
                ("subprocessor names", f"{len(truth_countries)} names", f"missing {missing}, extra {extra}")
            )
    for truth_name, predicted_name in pairs:
        if not truth_countries[truth_name]:
            continue  # the label has no country for this name: nothing to compare
        scores.countries_total += 1
        if truth_countries[truth_name] == predicted_countries[predicted_name]:
            scores.countries_right += 1
        else:
            mismatches.append(
                (
                    f"country of {truth_name!r}",
                    str(sorted(truth_countries[truth_name])),
                    str(sorted(predicted_countries[predicted_name])),
                )
            )
    return mismatches


def check_evidence(doc_id: str, result_document: dict, document, scores: Scores) -> None:
    """Every evidence item must quote the Document text at [start, end) on the page of `start`."""
    text = document.text
    sources = [(f"answers.{key}", answer) for key, answer in (result_document.get("answers") or {}).items()]
    sources += [
        (f"flags.{flag.get('code', '?')}", flag)
        for flag in result_document.get("flags") or []
        if isinstance(flag, dict)
    ]
    for where, holder in sources:
        if not isinstance(holder, dict):
            continue
        evidence = holder.get("evidence") or []
        if (
            where.startswith("answers.")
            and holder.get("value") not in (None, [], {})
            and holder.get("status") != "not_found"
            and not evidence
        ):
            scores.unsupported_answers.append(
                {"document": doc_id, "key": where[8:], "value": short(holder.get("value"))}
            )
        for item in evidence:
            scores.evidence_total += 1
            problem = None
            try:
                start, end, page, quote = int(item["start"]), int(item["end"]), int(item["page"]), str(item["quote"])
            except (KeyError, TypeError, ValueError):
                problem, start, end, quote = "malformed item", 0, 0, ""
            if problem is None:
                if not 0 <= start < end <= len(text):
                    problem = f"span [{start}, {end}) outside the text (0..{len(text)})"
                elif normalise_whitespace(text[start:end]) != normalise_whitespace(quote):
                    problem = f"quote differs from text: {short(normalise_whitespace(text[start:end]), 80)}"
                elif not normalise_whitespace(quote):
                    problem = "empty quote"
                elif page != document.page_at(start):
                    problem = f"page {page}, but start is on page {document.page_at(start)}"
            if problem is None:
                scores.evidence_valid += 1
            else:
                quoted = item.get("quote") if isinstance(item, dict) else item
                scores.evidence_failures.append(
                    {"document": doc_id, "where": where, "problem": problem, "quote": short(quoted, 80)}
                )


# ---------------------------------------------------------------------------------------------


def ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def verdicts(scores: Scores) -> list[dict]:
    """One row per metric: its value, the counts behind it (`detail`), what it counts (`about`), target, pass."""
    rows = []

    def metric(
        name: str,
        value: float | None,
        detail: str,
        about: str = "",
        target: str = f">= {TARGET:.2f}",
        ok: bool | None = None,
    ) -> None:
        if ok is None:
            ok = value is not None and value >= TARGET
        rows.append(
            {
                "metric": name,
                "value": None if value is None else round(value, 4),
                "detail": detail,
                "about": about,
                "target": target,
                "pass": ok,
            }
        )

    recall = ratio(scores.periods_hit, scores.periods_true)
    precision = ratio(scores.periods_hit, scores.periods_predicted)
    metric("retention periods recall", recall, f"{scores.periods_hit}/{scores.periods_true}", "labelled periods found")
    metric(
        "retention periods precision",
        precision,
        f"{scores.periods_hit}/{scores.periods_predicted}",
        "predicted periods that are labelled",
    )
    name_p = ratio(scores.names_hit, scores.names_predicted)
    name_r = ratio(scores.names_hit, scores.names_true)
    f1 = 2 * name_p * name_r / (name_p + name_r) if name_p and name_r else (0.0 if name_r is not None else None)
    metric(
        "subprocessor name F1",
        f1,
        f"P {scores.names_hit}/{scores.names_predicted}, R {scores.names_hit}/{scores.names_true}",
    )
    metric(
        "subprocessor country accuracy",
        ratio(scores.countries_right, scores.countries_total),
        f"{scores.countries_right}/{scores.countries_total}",
        "matched names with a labelled country",
    )
    for key, tally in scores.singles.items():
        label = "training_use label" if key == "training_use" else key
        metric(f"{label} accuracy", ratio(tally.right, tally.total), f"{tally.right}/{tally.total}", "documents")
        metric(
            f"{label} accuracy where stated",
            ratio(tally.stated_right, tally.stated_total),
            f"{tally.stated_right}/{tally.stated_total}",
            "documents with a labelled value",
        )
    metric(
        "invented values",
        len(scores.invented),
        "",
        "(document, key) with a value where the label has none",
        "= 0",
        len(scores.invented) == 0,
    )
    valid = ratio(scores.evidence_valid, scores.evidence_total)
    metric(
        "valid evidence",
        valid,
        f"{scores.evidence_valid}/{scores.evidence_total}",
        "evidence items",
        "= 100 %",
        valid == 1.0,
    )
    metric(
        "answers without evidence",
        len(scores.unsupported_answers),
        "",
        "non-null answers with no evidence item",
        "= 0",
        not scores.unsupported_answers,
    )
    metric(
        "contract problems", len(scores.contract), "", "shapes/statuses not as in DESIGN.md", "= 0", not scores.contract
    )
    return rows


# ---------------------------------------------------------------------------------------------
# Running one rendering over the documents.


@dataclass
class PartRun:
    """One part (development or held back) of one rendering: aggregates; per-document rows for development only."""

    documents: int = 0
    rejected: int = 0
    render_failures: int = 0
    seconds: list[float] = field(default_factory=list)
    scores: Scores = field(default_factory=Scores)
    per_document: list[dict] = field(default_factory=list)

    def metrics(self) -> list[dict] | None:
        return verdicts(self.scores) if self.documents else None


@dataclass
class RenderingRun:
    name: str
    folder: Path
    stats: RenderStats
    replaced: int
    render_seconds: float
    parts: dict[str, PartRun]


def title_of(entry: dict) -> str:
    return entry["id"].split("__", 1)[-1].replace("-", " ").capitalize()


def run_rendering(name: str, entries: list[dict], corpus: Path, folder: Path, fonts, extract_paths) -> RenderingRun:
    from documents import UnreadableDocument, read_document

    renderer, suffix = RENDERINGS[name], SUFFIXES[name]
    folder.mkdir(parents=True, exist_ok=True)
    fonts.replaced = 0
    files: dict[str, Path] = {}
    render_errors: dict[str, str] = {}
    total = RenderStats(wrapped_rows=None)
    started = time.perf_counter()
    for entry in entries:
        path = folder / f"{entry['id']}{suffix}"
        try:
            stats = renderer(
                (corpus / entry["file"]).read_text(encoding="utf-8"),
                path,
                fonts,
                title_of(entry),
                entry.get("vendor", ""),
            )
        except Exception as error:
            render_errors[entry["id"]] = f"{type(error).__name__}: {error}"
            continue
        files[entry["id"]] = path
        total.table_rows += stats.table_rows
        if stats.wrapped_rows is not None:
            total.wrapped_rows = (total.wrapped_rows or 0) + stats.wrapped_rows
    render_seconds = time.perf_counter() - started
    run = RenderingRun(name, folder, total, fonts.replaced, render_seconds, {part: PartRun() for part in PARTS})

    if files:
        extract_paths([min(files.values(), key=lambda p: p.stat().st_size)])  # warm-up: forkserver, imports, knowledge
    for entry in entries:
        part = run.parts[part_of(entry)]
        part.documents += 1
        path, document, reader_note, seconds = files.get(entry["id"]), None, "", 0.0
        if path is None:
            part.render_failures += 1
            result_document = {"status": "rejected", "reason": "render_failed", "message": render_errors[entry["id"]]}
        else:
            started = time.perf_counter()
            try:
                result = extract_paths([path])
            except Exception as error:
                result = {
                    "documents": [
                        {"status": "rejected", "reason": "engine_raised", "message": f"{type(error).__name__}: {error}"}
                    ]
                }
            seconds = time.perf_counter() - started
            part.seconds.append(seconds)
            result_document = (result.get("documents") or [{}])[0]
            try:
                document = read_document(path.read_bytes(), path.name)
            except UnreadableDocument as error:
                reader_note = f"the benchmark's own read was rejected: {error.reason}"
        rejected = result_document.get("status") == "rejected"
        part.rejected += rejected
        answers = {} if rejected else (result_document.get("answers") or {})
        mismatches = score_document(entry, answers, part.scores)
        problems = contract_problems(result_document)
        if document is not None and not rejected and result_document.get("sha256") != document.sha256:
            problems.append(f"sha256 {short(result_document.get('sha256'), 20)} is not the file's")
        part.scores.contract += [{"document": entry["id"], "problem": p} for p in problems]
        if document is not None and not rejected:
            check_evidence(entry["id"], result_document, document, part.scores)
        if part_of(entry) == DEV:  # held-back documents: aggregates only, nothing per document is kept
            part.per_document.append(
                {
                    "id": entry["id"],
                    "seconds": round(seconds, 3),
                    "pages": len(document.pages) if document else None,
                    "chars": len(document.text) if document else None,
                    "rejected": f"{result_document.get('reason')}: {result_document.get('message')}"
                    if rejected
                    else None,
                    "reader_note": reader_note or None,
                    "mismatches": [list(m) for m in mismatches],
                }
            )
    return run


# ---------------------------------------------------------------------------------------------
# Printing.


def print_development_details(run: RenderingRun) -> None:
    """Mismatches, invented values, evidence and contract problems of the development documents only."""
    part = run.parts[DEV]
    if not part.documents:
        return
    scores = part.scores
    print(f"\n===== {run.name}: mismatches per development document (label vs prediction) =====")
    for row in part.per_document:
        print(f"\n{row['id']}  [{run.name}]  ({row['pages']} pages, {row['chars']} chars, {row['seconds']:.2f} s)")
        if row["rejected"]:
            print(f"  REJECTED: {row['rejected']}")
        if row["reader_note"]:
            print(f"  {row['reader_note']}")
        if not row["mismatches"]:
            print("  all scored keys match")
        width = max((len(m[0]) for m in row["mismatches"]), default=0)
        for key, truth, predicted in row["mismatches"]:
            print(f"  {key:<{width}}  label: {truth}\n  {'':<{width}}  got:   {predicted}")
    if scores.invented:
        print(f"\n[{run.name}] Invented values (development):")
        for item in scores.invented:
            print(f"  {item['document']} · {item['key']}: {short(item['predicted'])}")
    if scores.evidence_failures:
        print(f"\n[{run.name}] Invalid evidence (development; {len(scores.evidence_failures)}; first 30):")
        for item in scores.evidence_failures[:30]:
            print(f"  {item['document']} · {item['where']}: {item['problem']} — quote {item['quote']}")
    if scores.unsupported_answers:
        print(f"\n[{run.name}] Non-null answers without evidence (development):")
        for item in scores.unsupported_answers:
            print(f"  {item['document']} · {item['key']}: {item['value']}")
    if scores.contract:
        print(f"\n[{run.name}] Contract problems (development; {len(scores.contract)}; first 30):")
        for item in scores.contract[:30]:
            print(f"  {item['document']} · {item['problem']}")


def format_value(row: dict | None) -> str:
    if row is None:
        return "—"
    value = row["value"]
    shown = "n/a" if value is None else (f"{value:.3f}" if isinstance(value, float) else str(value))
    return f"{shown:>6}  {row['detail']}".rstrip()


def verdict(dev: dict | None, held_back: dict | None) -> tuple[bool | None, str]:
    """Judged on the held-back value; without a held-back run, the development value, marked as such."""
    if held_back is not None:
        return held_back["pass"], "PASS" if held_back["pass"] else "FAIL"
    if dev is not None:
        return dev["pass"], f"{'PASS' if dev['pass'] else 'FAIL'} (dev only; held-back not run)"
    return None, "n/a"


def metric_table(runs: list[RenderingRun]) -> list[dict]:
    """Per metric, per rendering: development and held-back rows side by side, and the verdict."""
    by_run = {run.name: {part: run.parts[part].metrics() for part in PARTS} for run in runs}
    names: list[str] = []
    for parts in by_run.values():
        for rows in parts.values():
            names += [row["metric"] for row in rows or [] if row["metric"] not in names]
    table = []
    for name in names:
        entry = {"metric": name, "about": "", "target": "", "by_rendering": {}}
        for run in runs:
            cells = {
                part: next((r for r in by_run[run.name][part] or [] if r["metric"] == name), None) for part in PARTS
            }
            for row in cells.values():
                if row:
                    entry["about"], entry["target"] = row["about"], row["target"]
            ok, shown = verdict(cells[DEV], cells[HELD_BACK])
            entry["by_rendering"][run.name] = {
                **{
                    part: None if row is None else {k: row[k] for k in ("value", "detail", "pass")}
                    for part, row in cells.items()
                },
                "pass": ok,
                "verdict": shown,
            }
        table.append(entry)
    return table


def print_summary(runs: list[RenderingRun], table: list[dict]) -> None:
    counts = {part: runs[0].parts[part].documents for part in PARTS}
    print("\n" + "=" * 100)
    print(
        f"Documents: {counts[DEV]} development, {counts[HELD_BACK]} held back "
        f"(vendors held back before tuning: {len(held_back)})."
    )
    print(
        "Renderings (benchmarks/renderings.py): "
        + ", ".join(f"{run.name} = {RENDERINGS[run.name].__name__}" for run in runs)
    )
    print(
        f"\n  {'rendering':<16} {'render':>8}  {'extraction dev':<26} {'extraction held-back':<26} "
        f"{'table rows (wrapped)':<20} {'chars as ?':>10}"
    )
    for run in runs:
        times = {}
        for part in PARTS:
            seconds = run.parts[part].seconds
            times[part] = f"{sum(seconds):.2f} s / {len(seconds)} docs" if seconds else "—"
            if run.parts[part].render_failures:
                times[part] += f", {run.parts[part].render_failures} not rendered"
        wrapped = "n/a" if run.stats.wrapped_rows is None else str(run.stats.wrapped_rows)
        print(
            f"  {run.name:<16} {run.render_seconds:>6.2f} s  {times[DEV]:<26} {times[HELD_BACK]:<26} "
            f"{f'{run.stats.table_rows} ({wrapped})':<20} {run.replaced:>10}"
        )
    rejected = {run.name: {part: run.parts[part].rejected for part in PARTS} for run in runs}
    if any(any(r.values()) for r in rejected.values()):
        print(
            "  rejected documents (dev / held-back): "
            + ", ".join(f"{name} {r[DEV]} / {r[HELD_BACK]}" for name, r in rejected.items())
        )

    print("\nMetrics per rendering: development value | held-back value | target | verdict (judged on held-back)")
    for entry in table:
        print(f"\n{entry['metric']}" + (f"  ({entry['about']})" if entry["about"] else ""))
        print(f"  {'rendering':<16} {'dev':<26} {'held-back':<26} {'target':<9} verdict")
        for name, cell in entry["by_rendering"].items():
            print(
                f"  {name:<16} {format_value(cell[DEV]):<26} {format_value(cell[HELD_BACK]):<26} "
                f"{entry['target']:<9} {cell['verdict']}"
            )

    judged_on = "held-back" if counts[HELD_BACK] else "development (held-back not run)"
    print(f"\nSummary, verdicts judged on {judged_on}:")
    for run in runs:
        verdicts_ = [entry["by_rendering"][run.name]["pass"] for entry in table]
        print(f"  {run.name:<16} {sum(v is True for v in verdicts_)} of {len(verdicts_)} metrics pass")


# ---------------------------------------------------------------------------------------------


def with_llm(extract_paths, recording: str):
    """The engine with the LLM switched on: replaying a recording offline, or the configured endpoint. Each run
    has its own answer cache, so a replay measures the recording, not a cache."""
    import dataclasses
    import functools

    from aivet.settings import LLMSettings

    settings = LLMSettings.from_env()
    if recording:
        if not Path(recording).exists():
            sys.exit(f"{recording} is not here: record one first with AIVET_LLM_RECORD={recording} and --llm.")
        settings = dataclasses.replace(settings, replay_path=recording)
    if not settings.enabled:
        sys.exit("--llm needs AIVET_LLM_MODEL and an endpoint (OPENAI_API_KEY / OPENAI_BASE_URL), or a recording.")
    cache = Path(tempfile.mkdtemp(prefix="aivet-llm-cache-"))
    print(f"LLM: {settings.public()['provider']} model {settings.model or '(from the recording)'}")
    return functools.partial(extract_paths, llm=settings, data_dir=cache)


def renderings_option(value: str) -> list[str]:
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in RENDERINGS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown rendering(s) {unknown or value!r}; choose from {', '.join(RENDERINGS)}"
        )
    return list(dict.fromkeys(names))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--only", nargs="*", help="document ids to run (default: all)")
    parser.add_argument(
        "--part",
        choices=(DEV, HELD_BACK, "all"),
        default="all",
        help="which documents to run: development, held back, or all (default: %(default)s)",
    )
    parser.add_argument(
        "--renderings",
        type=renderings_option,
        default=list(RENDERINGS),
        help=f"comma list of renderings to score (default: {','.join(RENDERINGS)})",
    )
    parser.add_argument(
        "--keep-rendered",
        "--keep-pdfs",
        dest="keep",
        type=Path,
        help="keep the rendered files here (one folder per rendering) instead of a temporary folder",
    )
    parser.add_argument("--engine", default=ENGINE, help="module:function to score (default: %(default)s)")
    parser.add_argument("--font", help="a .ttf file to render the PDFs with (default: searched)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when any metric fails")
    parser.add_argument(
        "--llm",
        nargs="?",
        const="",
        metavar="RECORDING",
        help="with the LLM: replay RECORDING (a file of AIVET_LLM_RECORD) offline, or without a file use the "
        "endpoint of AIVET_LLM_MODEL / OPENAI_* (and AIVET_LLM_RECORD to record it for later replays)",
    )
    args = parser.parse_args()
    require(args.corpus, "vendor-docs corpus", default=args.corpus == DEFAULT_CORPUS)
    import yaml

    entries = yaml.safe_load((args.corpus / "truth.yaml").read_text(encoding="utf-8"))
    global held_back
    held_back = held_back_vendors(args.corpus)
    unknown_vendors = held_back - {entry.get("vendor") for entry in entries}
    if unknown_vendors:
        print(f"Warning: held-back vendors not in truth.yaml: {sorted(unknown_vendors)}")
    if args.only:
        entries = [e for e in entries if e["id"] in set(args.only)]
    if args.part != "all":
        entries = [e for e in entries if part_of(e) == args.part]
    if not entries:
        sys.exit("No documents to run (check --only and --part).")
    extract_paths = load_engine(args.engine)
    if args.llm is not None:
        extract_paths = with_llm(extract_paths, args.llm)
    fonts = choose_fonts(args.font)
    print(f"Font: {fonts.description}")
    if os.environ.get("OPENAI_API_KEY"):
        print("Note: OPENAI_API_KEY is set, so the engine may call an LLM.")

    runs: list[RenderingRun] = []
    with tempfile.TemporaryDirectory(prefix="aivet-accuracy-") as temporary:
        folder = args.keep or Path(temporary)
        for name in args.renderings:
            run = run_rendering(name, entries, args.corpus, folder / name, fonts, extract_paths)
            wrapped = "n/a" if run.stats.wrapped_rows is None else run.stats.wrapped_rows
            print(
                f"\n[{name}] rendered {sum(p.documents - p.render_failures for p in run.parts.values())} files into "
                f"{run.folder} in {run.render_seconds:.2f} s; {run.replaced} characters the font cannot draw "
                f"became '?'; table rows {run.stats.table_rows}, of which wrap onto another line: {wrapped}."
            )
            print_development_details(run)
            runs.append(run)

    table = metric_table(runs)
    print_summary(runs, table)
    result = {
        "engine": args.engine,
        "font": fonts.description,
        "part": args.part,
        "renderings": args.renderings,
        "corpus": args.corpus.name,
        "held_back_vendors": sorted(held_back),
        "documents": {part: runs[0].parts[part].documents for part in PARTS},
        "metrics": table,
        "by_rendering": {},
    }
    for run in runs:
        dev, held_back = run.parts[DEV], run.parts[HELD_BACK]
        result["by_rendering"][run.name] = {
            "suffix": SUFFIXES[run.name],
            "replaced_characters": run.replaced,
            "table_rows": run.stats.table_rows,
            "table_rows_wrapped": run.stats.wrapped_rows,
            "render_seconds": round(run.render_seconds, 3),
            HELD_BACK: {
                "documents": held_back.documents,
                "rejected": held_back.rejected,
                "not_rendered": held_back.render_failures,
                "seconds_total": round(sum(held_back.seconds), 3),
                "metrics": held_back.metrics(),
            },
            DEV: {
                "documents": dev.documents,
                "rejected": dev.rejected,
                "not_rendered": dev.render_failures,
                "seconds_total": round(sum(dev.seconds), 3),
                "metrics": dev.metrics(),
                "invented": dev.scores.invented,
                "evidence_failures": dev.scores.evidence_failures,
                "answers_without_evidence": dev.scores.unsupported_answers,
                "contract_problems": dev.scores.contract,
                "per_document": dev.per_document,
            },
        }
    own = "" if args.corpus == DEFAULT_CORPUS else f"_{args.corpus.name}"
    path = write_result(f"extraction_accuracy{own}", result, show=False)
    print(f"Results: {path}")
    if args.strict and any(cell["pass"] is False for entry in table for cell in entry["by_rendering"].values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
