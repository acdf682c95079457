"""The hidden-text byte scan on real contracts: how many pages it sends to the slow pass, and what is hidden.

documents.pdf_hidden.might_hide_text picks the pages extracted with the operator hooks (the slow pass);
on ordinary contracts it should pick few, and the readers should find no hidden text on them at all.
Reported: pages, pages sent to the slow pass (with their file and page number), the scan's own time,
and the characters the readers mark hidden (the target is 0).

    python benchmarks/hidden_scan.py [--corpus ../shared/corpus/cuad-pdf] [--files N]
"""

from __future__ import annotations

import argparse
import io
import time
from pathlib import Path

from common import require, shared_path, write_result

DEFAULT_CORPUS = shared_path("corpus", "cuad-pdf")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--files", type=int, default=0, help="the first N files (default: all)")
    args = parser.parse_args()
    require(args.corpus, "folder of PDFs", default=args.corpus == DEFAULT_CORPUS)
    import pypdf

    from aivet.settings import ReadLimits
    from documents import read_document
    from documents.pdf_hidden import might_hide_text

    paths = sorted(args.corpus.glob("*.pdf"))
    paths = paths[: args.files] if args.files else paths
    limits = ReadLimits()
    pages, slow, hidden_chars, scan_seconds = 0, [], {}, 0.0
    for path in paths:
        data = path.read_bytes()
        for number, page in enumerate(pypdf.PdfReader(io.BytesIO(data)).pages, start=1):
            started = time.perf_counter()
            picked = might_hide_text(page)
            scan_seconds += time.perf_counter() - started
            pages += 1
            if picked:
                slow.append(f"{path.name}:{number}")
        document = read_document(data, path.name, limits)
        if chars := sum(high - low for low, high in document.hidden_spans):
            hidden_chars[path.name] = chars
    print(f"{len(paths)} files, {pages} pages: {len(slow)} sent to the slow pass, scan {scan_seconds:.2f} s")
    print(f"hidden characters: {sum(hidden_chars.values())} (target 0) {hidden_chars or ''}")
    write_result(
        "hidden_scan",
        {
            "files": len(paths),
            "pages": pages,
            "slow_pass_pages": len(slow),
            "slow": slow,
            "scan_seconds": round(scan_seconds, 3),
            "hidden_chars": hidden_chars,
        },
        show=False,
    )


if __name__ == "__main__":
    main()
