"""`aivet read`: what it prints, and its exit codes (0 all read, 1 any rejected, 2 usage)."""

import json
import os
import subprocess
import sys

import pytest

from tests.builders import pdf_bytes

AIVET = [sys.executable, "-m", "aivet.cli"]


def aivet(*args, tmp_path):
    env = os.environ | {"AIVET_DATA_DIR": str(tmp_path / "data"), "AIVET_PARSE_TIMEOUT_S": "20"}
    return subprocess.run([*AIVET, *args], capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture
def files(tmp_path):
    good = tmp_path / "dpa.pdf"
    good.write_bytes(pdf_bytes(["Data Processing Agreement", "Retention: 30 days"]))
    notes = tmp_path / "notes.md"
    notes.write_text("# Notes\n\nThe vendor answered in full.\n")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nnot really a pdf")
    return good, notes, broken


def test_read_prints_kind_pages_chars_and_exits_0(files, tmp_path):
    good, notes, _ = files
    result = aivet("read", str(good), str(notes), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["file", "kind", "pages", "chars", "status"]
    assert lines[1].split()[1:3] == ["pdf", "2"] and lines[1].endswith("read")
    assert lines[2].split()[1:3] == ["markdown", "1"]
    assert result.stderr == ""


def test_read_json_has_one_object_with_a_row_per_file(files, tmp_path):
    good, _, broken = files
    result = aivet("read", "--json", str(good), str(broken), tmp_path=tmp_path)
    assert result.returncode == 1
    rows = json.loads(result.stdout)["documents"]
    assert set(rows[0]) == {"file", "sha256", "kind", "pages", "chars", "status", "reason", "message", "warnings"}
    assert (rows[0]["status"], rows[0]["kind"], rows[0]["pages"]) == ("read", "pdf", 2)
    assert (rows[1]["status"], rows[1]["reason"]) == ("rejected", "corrupt")
    assert len(rows[0]["sha256"]) == 64


def test_a_rejected_file_gives_exit_1_and_one_plain_line_on_stderr(files, tmp_path):
    good, _, broken = files
    result = aivet("read", str(good), str(broken), str(tmp_path / "missing.docx"), tmp_path=tmp_path)
    assert result.returncode == 1
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 2 and "Traceback" not in result.stderr
    assert errors[0].startswith(f"{broken}: corrupt: ") and errors[1].startswith(
        f"{tmp_path / 'missing.docx'}: missing_file: "
    )


@pytest.mark.parametrize("args", [[], ["read"], ["frobnicate"], ["read", "--bogus", "x.pdf"]])
def test_usage_errors_exit_2(args, tmp_path):
    result = aivet(*args, tmp_path=tmp_path)
    assert result.returncode == 2 and "usage:" in result.stderr


def test_setup_creates_the_database_and_loads_demo_data_once(tmp_path):
    first = aivet("setup", "--demo", tmp_path=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "9 files loaded; each vendor returned the whole questionnaire through its link" in first.stdout
    assert (tmp_path / "data" / "aivet.db").exists()
    second = aivet("setup", "--demo", tmp_path=tmp_path)
    assert second.returncode == 0 and "nothing loaded" in second.stdout
