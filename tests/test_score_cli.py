"""`aivet score` and `aivet compare`: the JSON shape, the intake, and usage errors (exit 2, one line, no traceback)."""

import json

import pytest

import scoring
from tests.builders import docx_bytes, pdf_bytes
from tests.conftest import REPO, TEST_LIMITS
from tests.test_cli import aivet
from workflows import extract_files

VENDORS = ("lumora-ai", "quillstack", "norvik-analytics")


@pytest.fixture(scope="module")
def answers(tmp_path_factory) -> dict:
    """Each demo vendor's answers as `aivet extract --json` prints them, in <vendor>.json."""
    folder = tmp_path_factory.mktemp("answers")
    paths = {}
    for vendor in VENDORS:
        run = extract_files(sorted((REPO / "data" / "demo" / vendor).iterdir()), TEST_LIMITS)
        paths[vendor] = folder / f"{vendor}.json"
        paths[vendor].write_text(json.dumps(run.to_json(), indent=2, ensure_ascii=False))
    return paths


def score_json(path, *options, tmp_path) -> dict:
    result = aivet("score", str(path), "--json", *options, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)


def assert_usage_error(result, *words):
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    for word in words:
        assert word in lines[0]


def test_score_json_has_the_scorecard_shape(answers, tmp_path):
    data = score_json(answers["lumora-ai"], tmp_path=tmp_path)
    assert set(data) == {
        "profile",
        "tier",
        "intake",
        "score",
        "decision",
        "knockouts",
        "criteria",
        "missing",
        "reviews",
        "answers_hash",
        "notes",
        "as_of",
        "expired",
    }
    profile = scoring.load_profile()
    assert data["profile"] == {"id": "eu-fintech-standard", "version": profile.version}
    # Documents alone leave the bank questions open and unanswered questions score 0 (scoring-criteria 3.1):
    # no knock-out, but the score is below the T2 threshold until the questionnaire comes back.
    assert (data["tier"], data["decision"], data["knockouts"]) == ("T2", "reject", [])
    assert isinstance(data["score"], float) and 0 <= data["score"] < profile.decisions["T2"]["conditional"]
    assert any(note.startswith(f"Score {data['score']:.1f} is below") for note in data["notes"])
    assert [criterion["id"] for criterion in data["criteria"]] == [criterion.id for criterion in profile.criteria]
    scored = [key for criterion in data["criteria"] for key in criterion["keys"]]
    # every bank question scores, except those whose applies_when the assumed T2 intake does not meet
    flags = {"always", *(flag for flag, on in scoring.Intake.default().flags.items() if on)}
    applicable = [
        rule.key for criterion in profile.criteria for rule in criterion.keys if flags & set(rule.applies_when)
    ]
    assert [key["key"] for key in scored] == applicable and len(applicable) > 90
    assert {item["criterion"] for item in data["missing"]} >= {"C1", "C5", "C7", "C8"}
    for criterion in data["criteria"]:
        assert {"id", "name", "weight", "score", "applies", "keys"} <= set(criterion)
        for key in criterion["keys"]:
            assert {"key", "points", "max", "raw", "status", "reason", "evidence"} <= set(key)
            assert 0 <= key["points"] <= key["max"]
            for item in key["evidence"]:
                assert set(item) == {"page", "start", "end", "quote", "file"}
                assert (REPO / "data" / "demo" / "lumora-ai" / item["file"]).is_file()
    assert len(data["answers_hash"]) == 64


def test_without_an_intake_the_notes_say_tier_2_is_assumed(answers, tmp_path):
    data = score_json(answers["quillstack"], tmp_path=tmp_path)
    assert data["tier"] == "T2" and data["intake"]["assumed"] is True
    assert any("tier T2" in note and "assumed" in note for note in data["notes"])


def test_knockouts_in_json_carry_type_basis_and_evidence(answers, tmp_path):
    data = score_json(answers["norvik-analytics"], tmp_path=tmp_path)
    assert data["decision"] == "reject"
    assert {hit["id"]: hit["type"] for hit in data["knockouts"]} == {
        "K3": "policy",
        "K4": "statutory",
        "K5": "statutory",
        "K8": "statutory",
    }
    for hit in data["knockouts"]:
        assert hit["basis"] and hit["message"] and hit["evidence"]
        assert all(item["file"] and item["quote"] for item in hit["evidence"])
    missing = {item["key"]: item for item in data["missing"]}
    assert (missing["transfer_mechanism"]["criterion"], missing["transfer_mechanism"]["question"]) == ("C4", "SUB-06")
    assert all(item["criterion"] and item["question"] and item["ask"] for item in data["missing"])


@pytest.mark.parametrize(
    "intake, tier",
    [
        ("critical_function: yes\n", "T1"),
        ("ai_act_use: high_risk\n", "T1"),
        ("personal_data: employees\ndata_class: internal\n", "T3"),
        ("personal_data: none\ndata_class: public\ncustomer_facing: false\n", "T4"),
    ],
)
def test_an_intake_file_sets_the_tier(answers, tmp_path, intake, tier):
    path = tmp_path / "intake.yaml"
    path.write_text(intake)
    data = score_json(answers["quillstack"], "--intake", str(path), tmp_path=tmp_path)
    assert data["tier"] == tier and data["intake"]["assumed"] is False
    assert not any("assumed" in note for note in data["notes"])


def test_the_intake_changes_knockouts_and_weights(answers, tmp_path):
    path = tmp_path / "intake.yaml"
    path.write_text("personal_data: none\ndata_class: public\n")
    low = score_json(answers["norvik-analytics"], "--intake", str(path), tmp_path=tmp_path)
    assumed = score_json(answers["norvik-analytics"], tmp_path=tmp_path)
    assert [hit["id"] for hit in low["knockouts"]] == []  # K3 is for T1-T3; K4, K5, K8 need personal data
    weights = {criterion["id"]: criterion["weight"] for criterion in low["criteria"]}
    assert weights["C3"] < {criterion["id"]: criterion["weight"] for criterion in assumed["criteria"]}["C3"]


def test_the_readable_scorecard_names_the_knockouts_and_what_to_ask(answers, tmp_path):
    result = aivet("score", str(answers["norvik-analytics"]), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("profile eu-fintech-standard") and lines[0].endswith("reject")
    assert any(line.startswith("KNOCK-OUT K4 (statutory)") for line in lines)
    assert any(line.startswith("ask (C4, SUB-06): For each transfer") for line in lines)


def test_an_unknown_profile_exits_2_with_one_line(answers, tmp_path):
    result = aivet("score", str(answers["lumora-ai"]), "--profile", "eu-nowhere", tmp_path=tmp_path)
    assert_usage_error(result, "aivet score:", "eu-nowhere", "eu-fintech-standard")


@pytest.mark.parametrize(
    "content, named",
    [
        ("{not json", "could not be read as JSON"),
        ("[]", "must be a mapping"),
        ('{"merged": []}', "merged is a list"),
        (
            '{"merged": {"answers": {"audit_rights": {"value": "yes", "status": "sure", "confidence": 0.9, "evidence": []}}}}',
            "answers.audit_rights.status is 'sure'",
        ),
        (
            '{"merged": {"answers": {"retention_days": {"value": "30 days", "status": "answered", "confidence": 0.9, "evidence": []}}}}',
            "answers.retention_days.value",
        ),
        (
            '{"merged": {"answers": {"audit_rights": {"value": "yes", "status": ["answered"], "confidence": 0.9, "evidence": []}}}}',
            "answers.audit_rights.status",
        ),
    ],
)
def test_a_malformed_answers_file_exits_2_with_one_line(tmp_path, content, named):
    path = tmp_path / "answers.json"
    path.write_text(content)
    assert_usage_error(aivet("score", str(path), "--json", tmp_path=tmp_path), str(path), named)


@pytest.mark.parametrize(
    "name, content, kind",
    [
        ("report.pdf", pdf_bytes(["Data Processing Agreement"]), "a PDF document"),
        ("report.docx", docx_bytes([["Data Processing Agreement"]]), "a Word document"),
        ("answers.json", bytes(range(256)) * 4, "binary data"),
        ("dpa.md", b"# Data Processing Agreement\n\nRetention: 30 days.\n", "a text document"),
    ],
    ids=["pdf", "docx", "binary", "text"],
)
def test_a_file_that_is_not_answers_json_says_to_extract_it_first(tmp_path, name, content, kind):
    path = tmp_path / name
    path.write_bytes(content)
    answers = tmp_path / f"{path.stem}-answers.json"
    assert_usage_error(
        aivet("score", str(path), tmp_path=tmp_path),
        f"aivet score: {path} is {kind}, not the answers JSON that aivet scores; "
        f"run `aivet extract --json {path} > {answers}` first, then give {answers} instead.",
    )


def test_a_malformed_intake_file_exits_2_with_one_line(answers, tmp_path):
    path = tmp_path / "intake.yaml"
    path.write_text("autonomy: total\n")
    assert_usage_error(
        aivet("score", str(answers["lumora-ai"]), "--intake", str(path), tmp_path=tmp_path),
        f"{path}, line 1: autonomy is 'total'",
    )


def test_compare_lines_up_vendors_with_the_deciding_differences_first(answers, tmp_path):
    cards = {vendor: score_json(answers[vendor], tmp_path=tmp_path) for vendor in ("norvik-analytics", "lumora-ai")}
    result = aivet("compare", str(answers["norvik-analytics"]), str(answers["lumora-ai"]), "--json", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [vendor["name"] for vendor in data["vendors"]] == ["norvik-analytics", "lumora-ai"]
    assert [vendor["score"] for vendor in data["vendors"]] == [cards[name]["score"] for name in cards]
    assert data["vendors"][0]["knockouts"] == [hit["id"] for hit in cards["norvik-analytics"]["knockouts"]]
    # the weighted gap of every criterion, computed from the two scorecards
    gaps = {}
    for norvik, lumora in zip(*(card["criteria"] for card in cards.values())):
        gaps[norvik["id"]] = abs(lumora["score"] - norvik["score"]) * norvik["weight"] / 100 if norvik["applies"] else 0
    rows = data["criteria"]
    assert sorted(row["id"] for row in rows) == sorted(gaps)
    assert [row["spread"] for row in rows] == sorted((row["spread"] for row in rows), reverse=True)
    for row in rows:
        assert row["spread"] == pytest.approx(gaps[row["id"]], abs=0.05)
    # with every bank question scored, security assurance (Lumora's SOC 2 and ISO 27001) now separates them most
    assert rows[0]["id"] == max(gaps, key=gaps.get) == "C6"
    c6 = [next(c["score"] for c in card["criteria"] if c["id"] == "C6") for card in cards.values()]
    assert rows[0]["scores"] == pytest.approx(c6, abs=0.05) and c6[0] < c6[1]
    # what each vendor is still to be asked, per criterion, as its own scorecard lists it
    for vendor, card in zip(data["vendors"], cards.values()):
        asked = [item for items in vendor["missing"].values() for item in items]
        assert asked == card["missing"] and vendor["expired"] == card["expired"]
        assert all(item["criterion"] == criterion for criterion, items in vendor["missing"].items() for item in items)


def test_compare_prints_the_same_order_as_a_table(answers, tmp_path):
    paths = [str(answers[vendor]) for vendor in VENDORS]
    table = aivet("compare", *paths, tmp_path=tmp_path)
    data = json.loads(aivet("compare", *paths, "--json", tmp_path=tmp_path).stdout)
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split() == list(VENDORS)
    # Lumora: no knock-out but below the threshold before its questionnaire; Quillstack: a policy knock-out
    assert (
        lines[2].split()[1:] == ["reject", "escalate", "reject"] == [data["vendors"][i]["decision"] for i in range(3)]
    )
    assert lines[3] == "knock-outs" and [line.split()[0] for line in lines[4:7]] == list(VENDORS)
    assert [line.split()[0] for line in lines[7:]] == [row["id"] for row in data["criteria"]]


def test_compare_shows_the_names_given_and_each_vendors_knockouts_with_their_titles(answers, tmp_path):
    cards = [score_json(answers[vendor], tmp_path=tmp_path) for vendor in VENDORS]
    named = ["Lumora AI GmbH=" + str(answers["lumora-ai"]), str(answers["quillstack"])]
    named.append("Norvik Analytics=" + str(answers["norvik-analytics"]))
    names = ["Lumora AI GmbH", "quillstack", "Norvik Analytics"]
    data = json.loads(aivet("compare", *named, "--json", tmp_path=tmp_path).stdout)
    assert [vendor["name"] for vendor in data["vendors"]] == names
    table = aivet("compare", *named, tmp_path=tmp_path)
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert [name in lines[0] for name in names] == [True] * 3 and "=" not in lines[0]
    assert lines[3] == "knock-outs" and lines[4].split() == ["Lumora", "AI", "GmbH", "none"]
    assert [hit["id"] for hit in cards[2]["knockouts"]] == ["K3", "K4", "K5", "K8"]
    for line, name, card in zip(lines[5:7], names[1:], cards[1:]):
        cell = "; ".join(
            f"{hit['id']} {hit['title']}" + (" (pending review)" if hit["pending"] else "") for hit in card["knockouts"]
        )
        assert line.split() == [*name.split(), *cell.split()]


@pytest.mark.parametrize("count", [1, 6])
def test_compare_refuses_fewer_than_2_or_more_than_5_vendors(answers, tmp_path, count):
    result = aivet("compare", *[str(answers["lumora-ai"])] * count, tmp_path=tmp_path)
    assert_usage_error(result, "aivet compare:", "2 to 5", f"{count} were given")
