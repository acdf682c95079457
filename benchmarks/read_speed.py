"""Reading speed and peak memory: documents.read_document against bare pypdf, same PDFs, same run.

Bare pypdf runs in its own process (so its peak memory is its own); aivet's reader runs as
the app runs it, one sandboxed child per file. Each side is timed three times, alternating,
and the median is reported; the ratio is what to compare across machines.

    python benchmarks/read_speed.py [--files 50] [--corpus ../shared/corpus/cuad-pdf]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from common import (
    alternating_rounds,
    largest,
    median,
    peak_rss_mib,
    require,
    run_bare_in_child,
    shared_path,
    write_result,
)

DEFAULT_CORPUS = shared_path("corpus", "cuad-pdf")


def aivet_reader(paths: list[Path]) -> dict:
    from aivet.settings import ReadLimits
    from documents import read_document

    limits = ReadLimits()
    read_document(b"warm-up: start the forkserver before the clock", "warm.txt", limits)
    started = time.perf_counter()
    pages = chars = 0
    child_peak = 0.0
    for path in paths:
        document = read_document(path.read_bytes(), path.name, limits)
        pages += len(document.pages)
        chars += len(document.text)
        child_peak = max(child_peak, document.peak_memory_mib)
    return {
        "seconds": time.perf_counter() - started,
        "pages": pages,
        "chars": chars,
        "peak_mib": child_peak,
        "parent_peak_mib": peak_rss_mib(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    require(args.corpus, "folder of PDFs", default=args.corpus == DEFAULT_CORPUS)
    paths = sorted(args.corpus.glob("*.pdf"))[: args.files]
    runs = alternating_rounds(
        args.rounds, {"bare": lambda: run_bare_in_child(paths), "aivet": lambda: aivet_reader(paths)}
    )
    bare_runs, aivet_runs = runs["bare"], runs["aivet"]
    bare_seconds, aivet_seconds = median(bare_runs), median(aivet_runs)
    pages = aivet_runs[0]["pages"]
    assert pages == bare_runs[0]["pages"], "both sides must read the same pages"
    result = {
        "files": len(paths),
        "pages": pages,
        "rounds": args.rounds,
        "bare_pypdf": {
            "seconds": round(bare_seconds, 3),
            "pages_per_second": round(pages / bare_seconds, 1),
            "peak_mib": round(largest(bare_runs, "peak_mib"), 1),
        },
        "aivet": {
            "seconds": round(aivet_seconds, 3),
            "pages_per_second": round(pages / aivet_seconds, 1),
            "child_peak_mib": round(largest(aivet_runs, "peak_mib"), 1),
            "parent_peak_mib": round(largest(aivet_runs, "parent_peak_mib"), 1),
        },
        "time_ratio_aivet_over_bare": round(aivet_seconds / bare_seconds, 3),
    }
    write_result("read_speed", result)


if __name__ == "__main__":
    main()
