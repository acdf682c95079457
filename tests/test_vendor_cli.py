"""`aivet vendor add` and `aivet vendor list`: a vendor created from the command line, with our intake, is the
vendor `aivet issue --vendor` issues to; usage errors exit 2 with one sentence."""

import json
import os
import subprocess
import sys

AIVET = [sys.executable, "-m", "aivet.cli"]


def aivet(*args, tmp_path, user="ops-bot"):
    env = os.environ | {"AIVET_DATA_DIR": str(tmp_path / "data"), "AIVET_PARSE_TIMEOUT_S": "20", "AIVET_USER": user}
    return subprocess.run([*AIVET, *args], capture_output=True, text=True, env=env, timeout=120)


def test_add_with_an_intake_list_as_json_and_issue_to_the_new_vendor(tmp_path):
    intake = tmp_path / "intake.yaml"
    intake.write_text("critical_function: yes\n")
    added = aivet("vendor", "add", "Modelworks  Ltd", "--intake", str(intake), tmp_path=tmp_path)
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("Vendor Modelworks Ltd added (id 1, tier T1)")
    plain = aivet("vendor", "add", "Quillstack", tmp_path=tmp_path)
    assert plain.returncode == 0 and "T2 (assumed" in plain.stdout

    listed = aivet("vendor", "list", "--json", tmp_path=tmp_path)
    assert listed.returncode == 0, listed.stderr
    vendors = json.loads(listed.stdout)["vendors"]
    assert [(item["name"], item["tier"], item["tier_assumed"]) for item in vendors] == [
        ("Modelworks Ltd", "T1", False),
        ("Quillstack", "T2", True),
    ]
    assert {item["created_by"] for item in vendors} == {"ops-bot"} and vendors[0]["owner"] == "ops-bot"

    table = aivet("vendor", "list", tmp_path=tmp_path)
    assert table.returncode == 0
    assert "Modelworks Ltd" in table.stdout and "T2*" in table.stdout and "tier assumed" in table.stdout

    out = tmp_path / "q.pdf"
    issued = aivet("issue", "--vendor", "modelworks ltd", "--format", "pdf", "--out", str(out), tmp_path=tmp_path)
    assert issued.returncode == 0, issued.stderr
    assert out.read_bytes().startswith(b"%PDF")


def test_a_duplicate_name_or_a_bad_intake_exits_2_with_a_sentence(tmp_path):
    assert aivet("vendor", "add", "Quillstack", tmp_path=tmp_path).returncode == 0
    again = aivet("vendor", "add", "quillstack", tmp_path=tmp_path)
    assert again.returncode == 2
    assert again.stderr.strip() == (
        "aivet vendor: A vendor named 'Quillstack' already exists. Pick it from the list instead."
    )
    intake = tmp_path / "intake.yaml"
    intake.write_text("critical_function: maybe\n")
    bad = aivet("vendor", "add", "Lumora", "--intake", str(intake), tmp_path=tmp_path)
    assert bad.returncode == 2 and "critical_function" in bad.stderr and "Traceback" not in bad.stderr
    assert json.loads(aivet("vendor", "list", "--json", tmp_path=tmp_path).stdout)["vendors"][0]["name"] == "Quillstack"
    assert len(json.loads(aivet("vendor", "list", "--json", tmp_path=tmp_path).stdout)["vendors"]) == 1


def test_an_empty_workspace_lists_no_vendor(tmp_path):
    listed = aivet("vendor", "list", "--json", tmp_path=tmp_path)
    assert listed.returncode == 0 and json.loads(listed.stdout) == {"vendors": []}
