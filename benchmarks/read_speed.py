"""Reading speed and peak memory: documents.read_document against bare pypdf, same PDFs, same run.

Bare pypdf runs in its own process (so its peak memory is its own); aivet's reader runs as
the app runs it, one sandboxed child per file. Each side is timed three times, alternating,
and the median is reported; the ratio is what to compare across machines.

    python benchmarks/read_speed.py [--files 50] [--corpus ../shared/corpus/cuad-pdf]
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "cuad-pdf"


def bare_pypdf(paths: list[Path]) -> dict:
    """Text extraction with pypdf alone, in this process: the baseline."""
    import pypdf

    started = time.perf_counter()
    pages = chars = 0
    for path in paths:
        reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
        for page in reader.pages:
            chars += len(page.extract_text() or "")
            pages += 1
    return {"seconds": time.perf_counter() - started, "pages": pages, "chars": chars,
            "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


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
    return {"seconds": time.perf_counter() - started, "pages": pages, "chars": chars, "peak_mib": child_peak,
            "parent_peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def run_bare_in_child(paths: list[Path]) -> dict:
    output = subprocess.run([sys.executable, __file__, "--bare", *map(str, paths)], capture_output=True, text=True, check=True)
    return json.loads(output.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not args.corpus.exists():
        sys.exit(f"{args.corpus} is not here; pass --corpus with a folder of PDFs.")
    paths = sorted(args.corpus.glob("*.pdf"))[: args.files]
    bare_runs, aivet_runs = [], []
    for _ in range(args.rounds):
        bare_runs.append(run_bare_in_child(paths))
        aivet_runs.append(aivet_reader(paths))
    bare_seconds = statistics.median(run["seconds"] for run in bare_runs)
    aivet_seconds = statistics.median(run["seconds"] for run in aivet_runs)
    pages = aivet_runs[0]["pages"]
    assert pages == bare_runs[0]["pages"], "both sides must read the same pages"
    result = {
        "files": len(paths), "pages": pages, "rounds": args.rounds,
        "bare_pypdf": {"seconds": round(bare_seconds, 3), "pages_per_second": round(pages / bare_seconds, 1),
                       "peak_mib": round(max(r["peak_mib"] for r in bare_runs), 1)},
        "aivet": {"seconds": round(aivet_seconds, 3), "pages_per_second": round(pages / aivet_seconds, 1),
                  "child_peak_mib": round(max(r["peak_mib"] for r in aivet_runs), 1),
                  "parent_peak_mib": round(max(r["parent_peak_mib"] for r in aivet_runs), 1)},
        "time_ratio_aivet_over_bare": round(aivet_seconds / bare_seconds, 3),
    }
    print(json.dumps(result, indent=2))
    out = REPO / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / "read_speed.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--bare":
        print(json.dumps(bare_pypdf([Path(p) for p in sys.argv[2:]])))
    else:
        main()
