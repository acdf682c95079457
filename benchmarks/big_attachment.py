"""A 45 MB text attachment taken in as a vendor link would send it: time and peak memory of the app process.

The app process stores, reads and extracts the file through `workflows.ingest_file`; reading and extraction
run in the sandboxed reader child, so the app's own peak memory should stay near what holding the bytes costs.
The baseline, measured in the same run and also in a fresh process, imports the same workflows and only reads
and hashes the bytes. Two runs: with the default text limit (the file is refused as too_much_text), and with the
limit raised so that the child has to read and extract it within the reading time and memory limits.

    python benchmarks/big_attachment.py [--megabytes 45]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

from common import REPO, write_result

SENTENCE = (
    "Customer Data is processed on documented instructions and kept for thirty (30) days after the request; "
    "our support staff answer tickets on weekdays and log every access for audit purposes. "
)
SETUP = """
import hashlib, json, sys, time
sys.path[:0] = [{benchmarks!r}, {repo!r}]
from pathlib import Path
from common import peak_rss_mib
from aivet.settings import Settings
import workflows
workspace = workflows.open_workspace(Settings.from_env())
vendor = workflows.create_vendor(workspace, "Big Attachments Ltd", "bench")
started = time.perf_counter()
data = Path({path!r}).read_bytes()
"""
INGEST = 'record = workflows.ingest_file(workspace, vendor.id, "attachment.txt", data, "bench").record\n'
HASH = "hashlib.sha256(data).hexdigest()\nrecord = None\n"
REPORT = """print(json.dumps({"seconds": time.perf_counter() - started, "peak_mib": peak_rss_mib(),
                  "status": record.status if record else "-", "reason": record.reason if record else None}))
"""


def _fresh_process(path: str, work: str, text_limit: int) -> dict:
    script = SETUP.format(benchmarks=str(REPO / "benchmarks"), repo=str(REPO), path=path) + work + REPORT
    with tempfile.TemporaryDirectory() as folder:
        env = os.environ | {
            "AIVET_DATA_DIR": folder,
            "AIVET_MAX_TEXT_CHARS": str(text_limit),
            "AIVET_MAX_FILE_MB": "100",
        }
        output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=900)
    if output.returncode != 0:
        raise SystemExit(output.stderr)
    return json.loads(output.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=45)
    args = parser.parse_args()
    size = int(args.megabytes * 2**20)
    with tempfile.NamedTemporaryFile(suffix=".txt", delete=False) as handle:
        handle.write((SENTENCE * (size // len(SENTENCE) + 1)).encode()[:size])
    try:
        runs = {
            "baseline": _fresh_process(handle.name, HASH, 5_000_000),
            "default limit": _fresh_process(handle.name, INGEST, 5_000_000),
            "limit raised": _fresh_process(handle.name, INGEST, 100_000_000),
        }
    finally:
        os.unlink(handle.name)
    base = runs["baseline"]
    print(f"{args.megabytes:g} MB text attachment, the app process:")
    for name, run in runs.items():
        print(
            f"  {name:<14} {run['status']:<9} {run['reason'] or '':<15} {run['seconds']:6.1f} s  "
            f"peak {run['peak_mib']:5.0f} MiB ({run['peak_mib'] / base['peak_mib']:.2f}x baseline)"
        )
    write_result("big_attachment", {"megabytes": args.megabytes, "runs": runs}, show=False)


if __name__ == "__main__":
    main()
