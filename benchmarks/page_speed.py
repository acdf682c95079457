"""Page render time: the pages the three teams open every morning, driven by Streamlit's AppTest, signed in.

A fresh workspace gets the demo vendors (`aivet setup --demo`); with `--vendors N --documents M` it is then
grown to N vendors of M documents each, copies of the demo documents (pages, blocks, extractions) under new
hashes, and every vendor's triage row is computed as the app keeps it. Each page is run in a fresh app
session ("first view") and then rerun `--rounds` times (what every widget change costs). The Audit log page
filtered to the creation of the demo accounts, which reads four rows, is the baseline measured in the same run; ratios against
it are what to compare across machines and commits. `--database-url` runs it all on PostgreSQL.

    python benchmarks/page_speed.py [--rounds 5] [--vendors 1000 --documents 10] [--database-url URL]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import tempfile
import time

from common import REPO, write_result

PAGES = {
    "triage": "app_pages/triage.py",
    "answers": "app_pages/answers.py",
    "scorecard": "app_pages/scorecard.py",
    "review queue": "app_pages/review.py",
    "audit log": "app_pages/audit_log.py",
}
BASELINE = "audit log"
TARGET_S = 1.0


def _grow(vendors: int, documents: int) -> float:
    """Copy the demo documents into `vendors` vendors of `documents` each; returns the seconds it took."""
    from sqlalchemy import insert
    from sqlmodel import select

    from aivet.settings import Settings
    from store.models import DocumentPage, DocumentRecord, ExtractionRecord, Vendor
    from workflows import open_workspace, refresh_status

    started = time.perf_counter()
    settings = Settings.from_env()
    workspace = open_workspace(settings)
    with workspace.transaction() as session:
        demo = session.exec(select(DocumentRecord).where(DocumentRecord.status == "read")).all()
        pages = {
            doc.id: session.exec(select(DocumentPage).where(DocumentPage.document_id == doc.id)).all() for doc in demo
        }
        results = {row.document_id: row for row in session.exec(select(ExtractionRecord))}
        existing = len(session.exec(select(Vendor)).all())
    for number in range(existing, vendors):
        with workspace.transaction() as session:
            vendor = Vendor(name=f"Vendor {number:05d} AI", created_by="benchmark", owner="benchmark")
            session.add(vendor)
            session.flush()
            for index in range(documents):
                source = demo[index % len(demo)]
                sha = hashlib.sha256(f"{vendor.id}-{index}".encode()).hexdigest()
                record = DocumentRecord(
                    vendor_id=vendor.id,
                    sha256=sha,
                    filename=f"{index:02d}-{source.filename}",
                    size_bytes=source.size_bytes,
                    status="read",
                    kind=source.kind,
                    page_count=source.page_count,
                    char_count=source.char_count,
                    warnings=source.warnings,
                    form=source.form,
                    uploaded_by="benchmark",
                    read_at=source.read_at,
                )
                session.add(record)
                session.flush()
                session.execute(
                    insert(DocumentPage),
                    [
                        {
                            "document_id": record.id,
                            "number": page.number,
                            "label": page.label,
                            "hidden": page.hidden,
                            "text": page.text,
                            "hidden_spans": page.hidden_spans,
                            "blocks": page.blocks,
                        }
                        for page in pages[source.id]
                    ],
                )
                extraction = results[source.id]
                session.add(
                    ExtractionRecord(
                        document_id=record.id,
                        engine_version=extraction.engine_version,
                        result=extraction.result | {"sha256": sha, "file": record.filename},
                        extracted_by="benchmark",
                    )
                )
        refresh_status(workspace, vendor.id)
    return time.perf_counter() - started


def _timed_runs(page: str, rounds: int, vendor_id: int) -> dict[str, float]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from aivet.access import Actor, Role
    from app_pages.common import SIGNED_IN

    st.cache_resource.clear()
    at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=300)
    at.session_state[SIGNED_IN] = Actor("benchmark", Role.LEGAL)
    at.session_state["vendor_id"] = vendor_id  # the last vendor added: one with all its documents
    at.run()
    if page == PAGES[BASELINE]:
        at.switch_page(page).run()
        at.selectbox[2].set_value("user.created")  # the four demo accounts' creation
    started = time.perf_counter()
    at.switch_page(page).run()
    first = time.perf_counter() - started
    if at.exception or not at.title:
        raise SystemExit(f"{page} did not render: {at.exception[0].message if at.exception else 'no title'}")
    reruns = []
    for _ in range(rounds):
        started = time.perf_counter()
        at.run()
        reruns.append(time.perf_counter() - started)
    return {"title": at.title[0].value, "first_view_s": round(first, 3), "rerun_s": round(statistics.median(reruns), 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--vendors", type=int, default=0, help="grow the workspace to this many vendors")
    parser.add_argument("--documents", type=int, default=10, help="documents per added vendor")
    parser.add_argument("--database-url", default="", help="an empty PostgreSQL database (default: SQLite)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["AIVET_DATA_DIR"] = folder
        os.environ["DATABASE_URL"] = args.database_url
        from aivet.cli import main as aivet

        aivet(["setup", "--demo"])
        grown = _grow(args.vendors, args.documents) if args.vendors else 0.0
        from aivet.settings import Settings
        from workflows import list_vendors, open_workspace

        last = max(vendor.id for vendor in list_vendors(open_workspace(Settings.from_env())))
        results = {name: _timed_runs(page, args.rounds, last) for name, page in PAGES.items()}
    base = results[BASELINE]
    database = "postgresql" if args.database_url else "sqlite"
    print(f"{database}: {max(args.vendors, 3)} vendors" + (f" × {args.documents} documents" if args.vendors else ""))
    print(f"{'page':<13} {'first view':>11} {'rerun':>8} {'first/base':>11} {'rerun/base':>11}")
    for name, result in results.items():
        result["first_view_ratio"] = round(result["first_view_s"] / base["first_view_s"], 2)
        result["rerun_ratio"] = round(result["rerun_s"] / base["rerun_s"], 2)
        result["under_target"] = result["first_view_s"] < TARGET_S
        print(
            f"{name:<13} {result['first_view_s']:>10.3f}s {result['rerun_s']:>7.3f}s "
            f"{result['first_view_ratio']:>10.2f}x {result['rerun_ratio']:>10.2f}x"
        )
    name = f"page_speed_{database}_{args.vendors}" if args.vendors else "page_speed"
    summary = {"rounds": args.rounds, "vendors": args.vendors, "documents": args.documents, "database": database}
    write_result(name, summary | {"grow_s": round(grown, 1), "baseline": BASELINE, "pages": results}, show=False)


if __name__ == "__main__":
    main()
