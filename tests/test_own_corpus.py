"""Our own evaluation corpora (benchmarks/own_corpus, benchmarks/probe_corpus) stay checkable: every label quotes
its document verbatim."""

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.mark.parametrize("corpus", ["own_corpus", "probe_corpus"])
def test_every_quote_and_name_of_our_corpora_is_in_its_document(corpus):
    check = [sys.executable, str(BENCHMARKS / "corpus_check.py"), str(BENCHMARKS / corpus)]
    run = subprocess.run(check, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 failures" in run.stdout
