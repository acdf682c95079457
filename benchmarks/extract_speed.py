"""Extraction speed and peak memory: end-to-end `extract_paths` against bare pypdf, same PDFs, same run.

Bare pypdf (PdfReader + extract_text on every page) runs in its own process; `extract_paths`
runs in this process as the app runs it, once per file ("per_file") and once for all files
in one call ("one_call"). Sides alternate round by round; the median of the rounds is
reported, and the ratio against bare pypdf is what to compare across machines (target <= 1.3x).
Peak memory is measured on the largest file alone, each side in a fresh process: pypdf's
peak, and for aivet the peak of the process calling `extract_paths` and of the sandboxed
reader child that parses the file.

    python benchmarks/extract_speed.py [--corpus ../shared/corpus/cuad-pdf] [--rounds 3] [--no-one-call]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from common import (
    ENGINE,
    alternating_rounds,
    largest,
    load_engine,
    median,
    peak_rss_mib,
    require,
    run_bare_in_child,
    run_json_child,
    shared_path,
    write_result,
)

DEFAULT_CORPUS = shared_path("corpus", "cuad-pdf")
TARGET_RATIO = 1.3


def summarise(result: dict) -> tuple[int, int]:
    """(pages, rejected documents) of one extract_paths result."""
    pages = rejected = 0
    for document in result.get("documents") or []:
        if document.get("status") == "rejected":
            rejected += 1
        else:
            pages += int(document.get("pages") or 0)
    return pages, rejected


def extract_per_file(extract_paths, paths: list[Path]) -> dict:
    started = time.perf_counter()
    pages = rejected = 0
    for path in paths:
        file_pages, file_rejected = summarise(extract_paths([path]))
        pages += file_pages
        rejected += file_rejected
    return {"seconds": time.perf_counter() - started, "pages": pages, "rejected": rejected}


def extract_one_call(extract_paths, paths: list[Path]) -> dict:
    started = time.perf_counter()
    pages, rejected = summarise(extract_paths(paths))
    return {"seconds": time.perf_counter() - started, "pages": pages, "rejected": rejected}


def memory_of_extraction(engine: str, path: Path) -> dict:
    """In a fresh process: peak memory after the imports, after extract_paths([path]), and the reader child's."""
    extract_paths = load_engine(engine)
    from documents import read_document

    after_imports = peak_rss_mib()
    pages, rejected = summarise(extract_paths([path]))
    after_extract = peak_rss_mib()
    # The reader child is a separate process: read the same file again to learn its peak.
    child_peak = read_document(path.read_bytes(), path.name).peak_memory_mib
    return {
        "pages": pages,
        "rejected": rejected,
        "after_imports_mib": after_imports,
        "parent_peak_mib": after_extract,
        "reader_child_peak_mib": child_peak,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--files", type=int, default=0, help="only the first N PDFs (default: all)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-one-call", action="store_true", help="skip timing all files in one extract_paths call")
    parser.add_argument("--engine", default=ENGINE, help="module:function to measure (default: %(default)s)")
    args = parser.parse_args()
    require(args.corpus, "folder of PDFs", default=args.corpus == DEFAULT_CORPUS)
    paths = sorted(args.corpus.glob("*.pdf"))
    paths = paths[: args.files] if args.files else paths
    if not paths:
        sys.exit(f"No PDFs in {args.corpus}.")
    extract_paths = load_engine(args.engine)
    if os.environ.get("OPENAI_API_KEY"):
        print("Note: OPENAI_API_KEY is set, so the engine may call an LLM.")

    # Warm-up, off the clock: the reader's forkserver, the engine's imports and knowledge files.
    extract_paths([min(paths, key=lambda p: p.stat().st_size)])
    sides = {"bare_pypdf": lambda: run_bare_in_child(paths), "per_file": lambda: extract_per_file(extract_paths, paths)}
    if not args.no_one_call:
        sides["one_call"] = lambda: extract_one_call(extract_paths, paths)
    print(f"Timing {len(paths)} PDFs, {args.rounds} alternating rounds of {', '.join(sides)} …", flush=True)
    runs = alternating_rounds(args.rounds, sides)

    bare_seconds = median(runs["bare_pypdf"])
    pages = runs["bare_pypdf"][0]["pages"]
    result: dict = {
        "files": len(paths),
        "pages": pages,
        "rounds": args.rounds,
        "engine": args.engine,
        "bare_pypdf": {
            "seconds": round(bare_seconds, 3),
            "pages_per_second": round(pages / bare_seconds, 1),
            "seconds_per_round": [round(r["seconds"], 3) for r in runs["bare_pypdf"]],
        },
    }
    verdicts = []
    for side in ("per_file", "one_call"):
        if side not in runs:
            continue
        seconds = median(runs[side])
        ratio = seconds / bare_seconds
        side_pages, rejected = runs[side][0]["pages"], runs[side][0]["rejected"]
        result[f"extract_{side}"] = {
            "seconds": round(seconds, 3),
            "pages_per_second": round(side_pages / seconds, 1),
            "seconds_per_round": [round(r["seconds"], 3) for r in runs[side]],
            "pages": side_pages,
            "rejected_files": rejected,
        }
        result[f"time_ratio_{side}_over_bare"] = round(ratio, 3)
        verdicts.append((f"time ratio extract_paths {side.replace('_', ' ')} / bare pypdf", ratio))
        if side_pages != pages or rejected:
            print(
                f"Warning: extract_paths ({side}) read {side_pages} pages and rejected {rejected} files; "
                f"bare pypdf read {pages} pages."
            )

    biggest = max(paths, key=lambda p: p.stat().st_size)
    bare_memory = run_bare_in_child([biggest])
    aivet_memory = run_json_child(Path(__file__), "--memory", args.engine, str(biggest))
    result["largest_file"] = {
        "file": biggest.name,
        "bytes": biggest.stat().st_size,
        "pages": bare_memory["pages"],
        "bare_pypdf_peak_mib": round(bare_memory["peak_mib"], 1),
        "extract_parent_after_imports_mib": round(aivet_memory["after_imports_mib"], 1),
        "extract_parent_peak_mib": round(aivet_memory["parent_peak_mib"], 1),
        "extract_reader_child_peak_mib": round(aivet_memory["reader_child_peak_mib"], 1),
        # The two aivet processes hold their peaks at different moments; the larger is the one to compare.
        "memory_ratio_extract_over_bare": round(
            max(aivet_memory["parent_peak_mib"], aivet_memory["reader_child_peak_mib"]) / bare_memory["peak_mib"], 3
        ),
    }
    result["targets"] = [
        {"metric": name, "value": round(value, 3), "target": f"<= {TARGET_RATIO}", "pass": value <= TARGET_RATIO}
        for name, value in verdicts
    ]
    result["peak_mib_all_runs"] = {
        "bare_pypdf": round(largest(runs["bare_pypdf"], "peak_mib"), 1),
        "this_process": round(peak_rss_mib(), 1),
    }
    write_result("extract_speed", result)
    for row in result["targets"]:
        print(f"{'PASS' if row['pass'] else 'FAIL'}  {row['metric']}: {row['value']:.3f} (target {row['target']})")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--memory":
        print(json.dumps(memory_of_extraction(sys.argv[2], Path(sys.argv[3]))))
    else:
        main()
