"""Page render time: the Scorecard and Answers pages on the demo workspace, driven by Streamlit's AppTest.

A fresh workspace in a temporary folder gets the demo vendors (`aivet setup --demo`). Each page is then
run `--rounds` times: the first run of a fresh app session ("first view") and reruns of the same session
(what every widget change costs). The Audit log page, which only lists rows, is the baseline measured in
the same run; ratios against it are what to compare across machines and commits.

    python benchmarks/page_speed.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

from common import REPO, write_result

PAGES = {
    "scorecard": "app_pages/scorecard.py",
    "answers": "app_pages/answers.py",
    "audit log": "app_pages/audit_log.py",
}
BASELINE = "audit log"


def _timed_runs(page: str, rounds: int) -> dict[str, float]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_resource.clear()
    at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=120)
    at.run()
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
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["AIVET_DATA_DIR"] = folder
        os.environ.pop("DATABASE_URL", None)
        from aivet.cli import main as aivet

        aivet(["setup", "--demo"])
        results = {name: _timed_runs(page, args.rounds) for name, page in PAGES.items()}
    base = results[BASELINE]
    print(f"{'page':<12} {'first view':>11} {'rerun':>8} {'first/base':>11} {'rerun/base':>11}")
    for name, result in results.items():
        result["first_view_ratio"] = round(result["first_view_s"] / base["first_view_s"], 2)
        result["rerun_ratio"] = round(result["rerun_s"] / base["rerun_s"], 2)
        print(
            f"{name:<12} {result['first_view_s']:>10.3f}s {result['rerun_s']:>7.3f}s "
            f"{result['first_view_ratio']:>10.2f}x {result['rerun_ratio']:>10.2f}x"
        )
    write_result("page_speed", {"rounds": args.rounds, "baseline": BASELINE, "pages": results}, show=False)


if __name__ == "__main__":
    main()
