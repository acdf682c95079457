"""Our own evaluation corpus (benchmarks/own_corpus) stays checkable: every label quotes its document verbatim."""

import subprocess
import sys
from pathlib import Path

CHECK = Path(__file__).resolve().parent.parent / "benchmarks" / "own_corpus" / "check.py"


def test_every_quote_and_name_of_the_own_corpus_is_in_its_document():
    run = subprocess.run([sys.executable, str(CHECK)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 failures" in run.stdout
