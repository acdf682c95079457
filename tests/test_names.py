"""Names from vendors are data: never a path, a sheet-name error, live markup or a terminal command."""

import io
import subprocess
import sys

import openpyxl
import pytest

from aivet.names import file_name_part, sheet_title, terminal_safe
from app_pages.common import plain
from scoring import Intake, load_profile, score
from scoring.compare import compare
from scoring.export import comparison_xlsx


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Corti A/S", "Corti-A-S"),
        ("../outside/x", "outside-x"),
        ("..", "vendor"),
        (".hidden", "hidden"),
        ("Ångström AB", "Ångström-AB"),
        ("a\x1b[2Jb", "a-2Jb"),
    ],
)
def test_a_name_in_a_file_name_is_one_plain_part(name, expected):
    assert file_name_part(name) == expected


def test_vendor_names_that_excel_would_refuse_still_export_side_by_side():
    card = score({}, Intake.default(), load_profile())
    names = ["Corti A/S", "What? [Holdings]: Ltd*", "'Quoted'", "A" * 40]
    workbook = openpyxl.load_workbook(io.BytesIO(comparison_xlsx(compare([(name, card) for name in names]))))
    assert workbook.sheetnames[1:] == [sheet_title(name) for name in names]
    assert all(len(title) <= 31 and not set(title) & set("[]:*?/\\") for title in workbook.sheetnames)


def test_terminal_output_escapes_control_characters_and_json_stays_valid():
    import json

    text = "dpa\x1b[31m.pdf\r\x9b"
    assert terminal_safe(text) == "dpa\\u001b[31m.pdf\\u000d\\u009b"
    assert json.loads(terminal_safe(json.dumps({"file": text}, ensure_ascii=False), keep="\n")) == {"file": text}


def test_aivet_read_never_prints_a_file_names_escape_sequence(tmp_path):
    path = tmp_path / "evil\x1b]0;owned\x07.txt"
    path.write_text("We never train on your data.")
    result = subprocess.run(
        [sys.executable, "-m", "aivet.cli", "read", str(path)], capture_output=True, text=True, timeout=60
    )
    assert "\x1b" not in result.stdout and "\\u001b]0;owned\\u0007.txt" in result.stdout


@pytest.mark.parametrize("text", ["see https://evil.example/x", "www.evil.example", "mail admin@evil.example"])
def test_links_in_vendor_text_are_not_live_in_staff_pages(text):
    import re

    shown = plain(text)  # each character that would start a link is escaped, so Markdown shows it as written
    assert not re.search(r"(?<!\\)(://|\.|@)", shown), shown
