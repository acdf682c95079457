"""The app's pages, driven by Streamlit's AppTest: vendors and documents, and the audit log."""

import json
import re
import tomllib

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.builders import pdf_bytes
from tests.conftest import REPO

PASSWORD = "correct horse battery"


def accounts(tmp_path, *roles):
    """One account per role in the app's workspace, named after its role, as `aivet user add` makes them."""
    from aivet.settings import Settings
    from store.workspace import Workspace
    from workflows import add_account

    settings = Settings(data_dir=tmp_path)
    workspace = Workspace.open(settings)
    for role in roles:
        add_account(workspace, settings.operator, f"{role}-tester", role, PASSWORD)
    return workspace


def sign_in(at, username, password=PASSWORD):
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    at.button[0].click()
    at.run()


def button(at, label):
    return next(item for item in at.button if item.label == label)


@pytest.fixture
def app(tmp_path, monkeypatch):
    """The staff app, signed in as procurement, on the Vendors page."""
    monkeypatch.setenv("AIVET_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("AIVET_PARSE_TIMEOUT_S", "20")
    st.cache_resource.clear()
    accounts(tmp_path, "procurement", "legal", "security")
    at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=60)
    at.run()
    sign_in(at, "procurement-tester")
    at.switch_page("app_pages/vendors.py")
    at.run()
    yield at
    st.cache_resource.clear()


def rendered(markdown: str) -> str:
    """What Markdown shows for escaped text: each backslash escape becomes the character it escapes."""
    return re.sub(r"\\(.)", r"\1", markdown)


def create_vendor(at, name):
    at.text_input[0].input(name)
    button(at, "Create vendor").click()
    at.run()


def test_an_empty_workspace_invites_adding_a_vendor(app):
    assert not app.exception
    assert "No vendors yet" in app.info[0].value
    assert app.file_uploader.len == 0


def test_creating_a_vendor_selects_it_and_a_duplicate_name_is_refused(app):
    create_vendor(app, "Example AI Ltd")
    picker = app.selectbox(key="vendor_choice")
    assert picker.format_func(picker.value) == "Example AI Ltd"
    create_vendor(app, "example ai ltd")
    assert "already exists" in app.error[0].value
    assert not app.exception


def test_uploading_several_files_shows_each_read_or_rejected_with_its_reason(app):
    create_vendor(app, "Example AI Ltd")
    app.file_uploader[0].set_value(
        [
            (
                "dpa.pdf",
                pdf_bytes(["Data Processing Agreement", "Retention: thirty (30) days", "Annex"]),
                "application/pdf",
            ),
            ("fake.pdf", b"<html><body>not a pdf</body></html>", "application/pdf"),
            ("notes.md", b"# Notes\n\nWe never train on your data.\n", "text/markdown"),
        ]
    )
    app.run()
    assert not app.exception
    labels = [rendered(status.label) for status in app.status]
    assert labels == [
        "dpa.pdf: read, 3 page(s); answers extracted.",
        "fake.pdf: rejected — type_mismatch.",
        "notes.md: read, 1 page(s); answers extracted.",
    ]
    assert [s.state for s in app.status] == ["complete", "error", "complete"]
    documents = [rendered(e.label) for e in app.expander][1:]
    assert documents == [
        "dpa.pdf — read, 3 page(s), pdf",
        "fake.pdf — rejected: type_mismatch",
        "notes.md — read, 1 page(s), markdown",
    ]
    assert any("name does not match its content" in error.value for error in app.error)
    assert "Data Processing Agreement" in app.text[0].value


def test_page_preview_turns_to_the_chosen_page(app):
    create_vendor(app, "Example AI Ltd")
    app.file_uploader[0].set_value(
        ("dpa.pdf", pdf_bytes(["Cover page", "Clause 7 Retention: 30 days"]), "application/pdf")
    )
    app.run()
    app.number_input[0].set_value(2)
    app.run()
    assert "Clause 7 Retention" in app.text[0].value
    assert any("Page 2 of 2" in caption.value for caption in app.caption)


def test_the_same_upload_is_not_read_twice_across_reruns(app):
    create_vendor(app, "Example AI Ltd")
    app.file_uploader[0].set_value(("notes.md", b"# Notes\n\nAnswers follow.\n", "text/markdown"))
    app.run()
    app.run()
    assert len(app.status) == 0  # the second run only lists documents
    assert [rendered(e.label) for e in app.expander][1:] == ["notes.md — read, 1 page(s), markdown"]


def test_audit_log_page_lists_who_did_what_for_which_vendor_and_filters_it(app):
    create_vendor(app, "Example AI Ltd")
    app.file_uploader[0].set_value(("faq.md", b"# FAQ\n\nBreaches are notified within 24 hours.\n", "text/markdown"))
    app.run()
    app.switch_page("app_pages/audit_log.py")
    app.run()
    assert not app.exception
    table = app.dataframe[0].value
    assert {"user.signed_in", "vendor.created", "document.stored"} <= set(table["action"])
    created = table.set_index("action").loc["vendor.created"]
    assert created["who"] == "procurement-tester" and created["vendor"] == "Example AI Ltd"
    assert "name: Example AI Ltd" in created["change"] and "{" not in created["change"]
    uploaded = table.set_index("action").loc["document.stored"]
    assert uploaded["vendor"] == "Example AI Ltd" and uploaded["what"] == "document faq.md"
    app.selectbox[0].set_value(1)  # the vendor (id 1)
    app.run()
    assert "user.signed_in" not in set(app.dataframe[0].value["action"])
    app.selectbox[2].set_value("document.stored")
    app.run()
    assert list(app.dataframe[0].value["action"]) == ["document.stored"]
    assert app.get("download_button")[0].label == "Export CSV"


def test_audit_log_page_says_when_no_event_matches(app):
    app.switch_page("app_pages/audit_log.py")
    app.run()
    app.selectbox[1].set_value("procurement-tester")  # signed in, so it is in the log
    app.selectbox[2].set_value("user.created")  # done by the administrator, not by procurement
    app.run()
    assert "No event matches these filters" in app.info[0].value


def test_the_app_never_shows_tracebacks_and_caps_uploads_like_the_reader():
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"
    assert config["server"]["maxUploadSize"] == 50
    assert config["server"]["address"] == "127.0.0.1"


def test_a_file_name_is_shown_as_written_not_as_markdown(app):
    create_vendor(app, "Example AI Ltd")
    app.file_uploader[0].set_value(("**urgent**[click](evil).md", b"# Notes\n\nAnswers follow.\n", "text/markdown"))
    app.run()
    assert app.status[0].label.startswith(r"\*\*urgent\*\*\[click\](evil)\.md: read")
    assert rendered(app.status[0].label).startswith("**urgent**[click](evil).md: read")


def test_answers_page_shows_each_answer_and_its_quote_highlighted_on_its_page(app):
    create_vendor(app, "Example AI Ltd")
    app.file_uploader[0].set_value(
        [
            (
                "dpa.pdf",
                pdf_bytes(["Cover page", "We will notify Customer of a Personal Data Breach within 72 hours."]),
                "application/pdf",
            ),
            ("faq.md", b"# FAQ\n\nWe may use your inputs and outputs to train our models.\n", "text/markdown"),
        ]
    )
    app.run()
    app.switch_page("app_pages/answers.py")
    app.run()
    assert not app.exception
    table = app.dataframe[0].value.set_index("question")
    assert table.loc["breach_notification_hours", "answer"] == "72 hours"
    assert table.loc["breach_notification_hours", "pages"] == "p. 2"
    assert table.loc["training_use", "answer"] == "yes"
    assert table.loc["audit_rights", "status"] == "not_found"
    assert table.loc["breach_notification_hours", "rule"] == "breach.hours_to_notify"  # which rule answered
    app.selectbox[2].set_value("breach_notification_hours")
    app.run()
    quotes = [rendered(item.value) for item in app.markdown]
    assert any("dpa.pdf, page 2" in text for text in quotes)
    assert any(
        ":orange-background[We will notify Customer of a Personal Data Breach within 72 hours.]" in text
        for text in quotes
    )


def test_answers_page_per_document_view_and_a_vendor_without_documents(app):
    create_vendor(app, "Example AI Ltd")
    app.switch_page("app_pages/answers.py")
    app.run()
    assert "no read documents or submitted questionnaires yet" in app.info[0].value
    assert not app.exception


def upload_demo_vendor(app, name, folder, returned=False):
    """Create a vendor and upload one demo vendor's three files through the Vendors page; with `returned`, the
    vendor then submits the demo's whole questionnaire through its link, as `make run` loads it."""
    create_vendor(app, name)
    files = sorted((REPO / "data" / "demo" / folder).iterdir())
    app.file_uploader[0].set_value([(path.name, path.read_bytes(), "application/octet-stream") for path in files])
    app.run()
    assert not app.exception
    if returned:
        from aivet.demo import return_demo_questionnaire
        from aivet.settings import Settings
        from workflows import find_vendor, open_workspace

        settings = Settings.from_env()  # the app's own workspace (AIVET_DATA_DIR)
        workspace = open_workspace(settings)
        return_demo_questionnaire(workspace, find_vendor(workspace, name).id, folder, settings.operator)
        app.run()


def test_scorecard_page_shows_decision_knockouts_first_and_each_point_with_its_quote(app):
    upload_demo_vendor(app, "Norvik Analytics Oy", "norvik-analytics")
    app.switch_page("app_pages/scorecard.py")
    app.run()
    assert not app.exception
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Decision"] == "reject" and metrics["Tier"] == "T2"
    knockouts = [error.value for error in app.error]
    assert any("Knock-out K4" in text for text in knockouts) and any("Knock-out K8" in text for text in knockouts)
    assert not any("assumed" in info.value for info in app.info)  # the vendor was created with its intake
    expanders = [expander.label for expander in app.expander]
    assert any(label.startswith("C2 Training and secondary use of our data — 0") for label in expanders)
    shown = [rendered(item.value) for item in app.markdown]
    assert any("training_use" in text and "'yes'" in text for text in shown)
    assert any("perpetual" in text and "dpa.txt, page" in text for text in shown)
    (chart,) = app.get("vega_lite_chart")
    assert json.loads(chart.proto.spec)["layer"][0]["encoding"]["y"]["axis"]["labelLimit"] == 0  # whole names
    assert [button.label for button in app.get("download_button")] == ["Download XLSX", "Download PDF"]
    button(app, "Record this scorecard for sign-off").click()
    app.run()
    assert app.success[0].value.startswith("Recorded scorecard 1:") and "(reject)" in app.success[0].value
    assert list(app.dataframe[0].value["decision"]) == ["reject"]


def test_an_intake_for_a_critical_function_moves_the_scorecard_to_tier_1(app):
    upload_demo_vendor(app, "Lumora AI GmbH", "lumora-ai", returned=True)
    app.switch_page("app_pages/scorecard.py")
    app.run()
    assert {metric.label: metric.value for metric in app.metric}["Decision"] == "approve with conditions"
    app.toggle(key="intake_given").set_value(True)
    app.run()
    app.selectbox(key="intake_critical_function").set_value("yes")
    app.run()
    assert not app.exception
    assert {metric.label: metric.value for metric in app.metric}["Tier"] == "T1"


def test_compare_page_lines_up_a_shortlist_with_the_deciding_criteria_first(app):
    upload_demo_vendor(app, "Lumora AI GmbH", "lumora-ai", returned=True)
    upload_demo_vendor(app, "Quillstack Inc.", "quillstack", returned=True)
    app.switch_page("app_pages/compare.py")
    app.run()
    assert not app.exception
    summary = app.dataframe[0].value.set_index("vendor")
    assert summary.loc["Lumora AI GmbH", "decision"] == "approve with conditions"
    assert (
        summary.loc["Quillstack Inc.", "knock-outs"]
        == "K3 Our content may train models serving others without our opt-in"
    )
    assert summary.loc["Lumora AI GmbH", "knock-outs"] == "none"
    # Quillstack's SOC 2 report period ended 2025-09-30: expired, with the next step named
    assert any(
        rendered(item.value).startswith("Quillstack Inc.: C6 · GOV-04 is expired") and "current" in item.value
        for item in app.warning
    )
    deciding = [item.value for item in app.markdown if item.value.startswith("- **C")]
    assert deciding[0].startswith("- **C2 Training and secondary use of our data**")
    (chart,) = app.get("vega_lite_chart")
    assert json.loads(chart.proto.spec)["layer"][0]["encoding"]["yOffset"]["field"] == "vendor"  # grouped bars


def test_compare_page_asks_for_two_vendors(app):
    create_vendor(app, "Example AI Ltd")
    app.switch_page("app_pages/compare.py")
    app.run()
    assert any("at least two vendors" in info.value for info in app.info)


def vendor_link(tmp_path, due_in_days=14):
    """A questionnaire link issued in the app's workspace, as procurement would."""
    from datetime import date, timedelta

    from aivet.settings import Settings
    from store.questionnaires import issue_questionnaire
    from store.vendors import create_vendor
    from store.workspace import Workspace

    workspace = Workspace.open(Settings(data_dir=tmp_path))
    vendor = create_vendor(workspace, "Lumora AI GmbH", "procurement")
    issued = issue_questionnaire(
        workspace,
        vendor.id,
        "ai-vendor-due-diligence",
        "1.0.0",
        ["TRN-01", "RET-01", "GOV-01"],
        "link",
        date.today() + timedelta(days=due_in_days),
        "procurement",
    )
    return workspace, issued


def test_a_vendor_answers_through_the_link_saves_a_draft_and_submits(app, tmp_path):
    workspace, issued = vendor_link(tmp_path)
    at = AppTest.from_file(str(REPO / "vendor_app.py"), default_timeout=60)
    at.query_params["token"] = issued.token
    at.run()
    assert not at.exception
    assert at.title[0].value == "Due-diligence questionnaire"
    assert [item.label.split(" — ")[0] for item in at.selectbox] == ["TRN-01"]  # only its own questions
    at.selectbox(key="answer-TRN-01").set_value("never")
    at.text_input(key="answer-RET-01").input("30 days")
    at.button[0].click()  # Save draft
    at.run()
    from store.questionnaires import open_link

    assert open_link(workspace, issued.token).answers == {"TRN-01": {"value": "never"}, "RET-01": {"value": "30 days"}}
    at.button[1].click()  # Submit
    at.run()
    assert any("submitted and are locked" in item.value for item in at.success)
    assert all(widget.disabled for widget in at.text_input)


def test_an_expired_link_shows_a_plain_message_and_nothing_else(app, tmp_path):
    _, issued = vendor_link(tmp_path, due_in_days=-60)
    at = AppTest.from_file(str(REPO / "vendor_app.py"), default_timeout=60)
    at.query_params["token"] = issued.token
    at.run()
    assert not at.exception
    assert [error.value for error in at.error] == [
        "This questionnaire link is not valid any more. Ask your contact for a new link."
    ]
    assert len(at.text_input) == 0 and len(at.selectbox) == 0 and "Lumora" not in str(at.main)


def test_questionnaires_page_issues_a_link_and_tracks_it(app):
    create_vendor(app, "Quillstack Inc.")
    app.switch_page("app_pages/questionnaires.py")
    app.run()
    app.radio[0].set_value("link")
    app.button[0].click()
    app.run()
    assert not app.exception
    assert app.success[0].value.startswith("Questionnaire 1 issued")
    assert app.code[0].value.startswith("http://127.0.0.1:8502/?token=")
    table = app.dataframe[0].value
    assert list(table["status"]) == ["sent"] and list(table["sent as"]) == ["link"]


def test_the_staff_app_never_opens_a_vendor_link(app, tmp_path):
    _, issued = vendor_link(tmp_path)
    at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=60)
    at.query_params["token"] = issued.token
    at.run()
    assert at.title[0].value == "Sign in to aivet"  # the staff app ignores tokens; vendors use vendor_app.py
    assert not [item for item in at.selectbox if item.label.startswith("TRN-01")]


def test_answers_from_an_older_engine_are_shown_as_they_are_until_someone_extracts_again(app):
    from sqlmodel import select

    from app_pages.common import workspace
    from store.models import ExtractionRecord

    create_vendor(app, "Example AI Ltd")
    faq = b"# FAQ\n\nPersonal data breaches are notified to customers within 24 hours.\n"
    app.file_uploader[0].set_value(("faq.md", faq, "text/markdown"))
    app.run()
    ws = workspace()
    with ws.transaction() as session:
        stored = session.exec(select(ExtractionRecord)).one()
        stored.engine_version = "rules-0+old"
        session.add(stored)
    app.switch_page("app_pages/answers.py")
    app.run()
    assert "read by an older version of the extractor" in app.info[0].value
    assert app.dataframe[0].value.set_index("question").loc["breach_notification_hours", "answer"] == "24 hours"
    app.button(key="refresh-extractions").click()
    app.run()
    assert not app.exception
    assert not any("older version" in info.value for info in app.info)
    with ws.transaction() as session:
        assert session.exec(select(ExtractionRecord)).one().extracted_by == "procurement-tester"


def test_the_vendor_box_keeps_every_change_from_page_to_page(app):
    ids = {}
    for name in ("Alpha AI", "Bravo AI", "Charlie AI"):
        create_vendor(app, name)
        ids[name] = app.session_state["vendor_id"]
    for name in ("Alpha AI", "Bravo AI", "Alpha AI", "Charlie AI"):  # each change, not every second one
        app.selectbox(key="vendor_choice").set_value(ids[name]).run()
        picker = app.selectbox(key="vendor_choice")
        assert picker.format_func(picker.value) == name
    app.switch_page("app_pages/answers.py").run()
    picker = app.selectbox(key="vendor_choice")
    assert picker.format_func(picker.value) == "Charlie AI"


def signed_in_as(role):
    """A fresh session of the staff app for another team's account (the `app` fixture made it)."""
    at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=60)
    at.run()
    sign_in(at, f"{role}-tester")
    return at


def conflicting_documents(app):
    create_vendor(app, "Acme AI")
    app.file_uploader[0].set_value(
        [
            (
                "faq.md",
                b"# FAQ\n\nPersonal data breaches are notified to customers within 24 hours.\n",
                "text/markdown",
            ),
            (
                "dpa.md",
                b"# DPA\n\nWe will notify Customer of a Personal Data Breach within 72 hours.\n",
                "text/markdown",
            ),
        ]
    )
    app.run()


def test_nobody_sees_a_page_before_signing_in_and_a_wrong_password_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("AIVET_DATA_DIR", str(tmp_path))
    st.cache_resource.clear()
    accounts(tmp_path, "legal")
    at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=60)
    at.run()
    assert [title.value for title in at.title] == ["Sign in to aivet"] and not at.sidebar.button
    sign_in(at, "legal-tester", "not the password")
    assert "user name or password is wrong" in at.error[0].value
    sign_in(at, "legal-tester")
    assert at.title[0].value == "Review queue"  # legal lands on its own page
    button(at, "Sign out").click()
    at.run()
    assert at.title[0].value == "Sign in to aivet"


def test_triage_lists_each_vendor_with_its_next_step_and_filters_to_my_vendors(app):
    conflicting_documents(app)
    create_vendor(app, "Bare AI")
    app.switch_page("app_pages/triage.py").run()
    assert not app.exception
    table = app.dataframe[0].value.set_index("vendor")
    assert table.loc["Acme AI", "next step"].startswith("Send to legal")
    assert table.loc["Acme AI", "open reviews"] >= 1 and table.loc["Acme AI", "tier"] == "T2"
    assert table.loc["Bare AI", "next step"].startswith("Ask for the DPA")
    app.text_input[0].input("acme").run()
    assert list(app.dataframe[0].value["vendor"]) == ["Acme AI"]
    app.text_input[0].input("").run()
    app.toggle[0].set_value(True).run()
    assert set(app.dataframe[0].value["owner"]) == {"procurement-tester"}


def test_legal_overrides_an_answer_in_the_queue_and_the_score_changes_at_once(app):
    conflicting_documents(app)
    app.switch_page("app_pages/review.py").run()
    assert "Only legal reviewers decide here." in [caption.value for caption in app.caption]  # procurement looks
    legal = signed_in_as("legal")
    assert legal.title[0].value == "Review queue" and not legal.exception
    before = legal.caption[0].value
    assert before.startswith("1 open of 1")
    assert any("Why it is here:" in item.value and "disagree" in item.value for item in legal.markdown)
    legal.radio[0].set_value("override")
    legal.text_input[0].input("24")
    legal.text_area[0].input("The security addendum takes precedence: 24 hours.")
    button(legal, "Record decision").click()
    legal.run()
    assert not legal.error and legal.caption[0].value.startswith("0 open of 1")
    assert legal.caption[0].value != before  # the score moved with the decision


def test_an_override_without_a_reason_is_refused_on_the_page(app):
    conflicting_documents(app)
    legal = signed_in_as("legal")
    legal.radio[0].set_value("override")
    button(legal, "Record decision").click()
    legal.run()
    assert "needs a reason" in legal.error[0].value and legal.caption[0].value.startswith("1 open of 1")


def test_security_records_and_signs_off_a_scorecard_by_name(app):
    upload_demo_vendor(app, "Lumora AI GmbH", "lumora-ai", returned=True)
    security = signed_in_as("security")
    assert security.title[0].value == "Scorecard"
    button(security, "Record this scorecard for sign-off").click()
    security.run()
    button(security, "Sign off").click()
    security.run()
    assert not security.exception and not security.error
    assert any("signed off by **security-tester**" in item.value for item in security.success)
    assert not [item for item in security.button if item.label == "Sign off"]  # locked: nothing left to sign


def test_llm_page_says_when_no_llm_is_configured(app):
    app.switch_page("app_pages/llm.py")
    app.run()
    assert not app.exception
    assert "No LLM is configured" in app.info[0].value
    assert "No LLM call has been made yet." in [caption.value for caption in app.caption]
    assert app.dataframe.len == 0, "the settings are for administrators"


def test_llm_page_shows_tokens_and_cost_per_vendor_and_settings_to_admins_only(tmp_path, monkeypatch):
    from tests.llm_server import Reply, ScriptedLLM, answers
    from tests.test_llm import DPA, TRUTH

    server = ScriptedLLM(lambda asked: Reply(content=answers(asked, TRUTH)))
    key = "placeholder-key-app-never-shows-this"
    for name, value in {
        "AIVET_DATA_DIR": str(tmp_path),
        "AIVET_PARSE_TIMEOUT_S": "20",
        "AIVET_LLM_MODEL": "gpt-4o-mini",
        "OPENAI_BASE_URL": server.base_url,
        "OPENAI_API_KEY": key,
        "AIVET_LLM_MAX_RETRIES": "0",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AZURE_OPENAI_ENDPOINT", raising=False)
    st.cache_resource.clear()
    accounts(tmp_path, "procurement", "admin")
    try:
        at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=60)
        at.run()
        sign_in(at, "procurement-tester")
        at.switch_page("app_pages/vendors.py")
        at.run()
        create_vendor(at, "Kestrel GmbH")
        at.file_uploader[0].set_value(("dpa.md", DPA.encode(), "text/markdown"))
        at.run()
        assert len(server.requests) == 1
        at.switch_page("app_pages/llm.py")
        at.run()
        assert not at.exception and at.dataframe.len == 1, "procurement sees usage, not the settings"
        usage = at.dataframe[0].value.iloc[0]
        assert usage["vendor"] == "Kestrel GmbH" and usage["calls"] == 1 and usage["prompt tokens"] > 0
        assert usage["estimated cost (USD)"] > 0 and usage["last call"] == "answered"
        admin = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=60)
        admin.run()
        sign_in(admin, "admin-tester")
        admin.switch_page("app_pages/llm.py")
        admin.run()
        assert not admin.exception and admin.dataframe.len == 2
        shown = dict(admin.dataframe[0].value[["setting", "value"]].values)
        assert shown["api_key"] == "set" and shown["model"] == "gpt-4o-mini"
        page = json.dumps([str(item.value) for item in admin.dataframe] + [item.value for item in admin.markdown])
        assert key not in page
    finally:
        server.close()
        st.cache_resource.clear()


def test_an_admin_sets_tests_and_switches_off_the_llm_on_its_page_and_others_cannot(tmp_path, monkeypatch):
    from tests.llm_server import Reply, ScriptedLLM

    server = ScriptedLLM(lambda asked: Reply(content="{}"))
    key = "placeholder-key-typed-into-the-page"
    monkeypatch.setenv("AIVET_DATA_DIR", str(tmp_path))
    for name in ("AIVET_LLM_MODEL", "OPENAI_API_KEY", "OPENAI_BASE_URL", "AZURE_OPENAI_ENDPOINT", "AIVET_LLM_REPLAY"):
        monkeypatch.delenv(name, raising=False)
    st.cache_resource.clear()
    accounts(tmp_path, "procurement", "admin")
    try:
        admin = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=60)
        admin.run()
        sign_in(admin, "admin-tester")
        admin.switch_page("app_pages/llm.py")
        admin.run()
        assert not admin.exception and "No LLM is configured" in admin.info[0].value
        admin.text_input(key="llm_base_url").input(server.base_url)
        admin.text_input(key="llm_model").input("scripted-model")
        admin.text_input(key="llm_api_key").input(key)
        button(admin, "Save").click()
        admin.run()
        assert not admin.exception and not admin.error
        assert "Saved in this server's memory until it restarts." in rendered(admin.success[0].value)
        shown = dict(admin.dataframe[0].value[["setting", "value"]].values)
        assert shown["api_key"] == "set" and shown["model"] == "scripted-model" and "memory" in shown["set_in"]
        assert not admin.info, "the LLM is on"
        assert admin.text_input(key="llm_api_key").value == "", "the key typed in is not kept in the form"
        page = json.dumps(
            [str(item.value) for item in admin.dataframe]
            + [item.value for item in admin.markdown]
            + [item.value for item in admin.text_input]
            + [str(admin.session_state.to_dict())]
        )
        assert key not in page and "scripted-model" in page
        button(admin, "Test the connection").click()  # empty fields: the settings in use
        admin.run()
        assert not admin.exception and "The endpoint answered with the model scripted-model." in rendered(
            admin.success[0].value
        )
        assert server.requests[-1]["max_tokens"] == 1
        server.behaviour = lambda asked: Reply(status=500)
        button(admin, "Test the connection").click()
        admin.run()
        assert (
            not admin.exception
            and rendered(admin.error[0].value) == "The connection test failed: The LLM endpoint failed (HTTP 500)."
        )
        # Procurement sees that it is on, but no form to change it.
        other = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=60)
        other.run()
        sign_in(other, "procurement-tester")
        other.switch_page("app_pages/llm.py")
        other.run()
        assert not other.exception and not other.info and not [item for item in other.button if item.label == "Save"]
        assert not [item for item in other.text_input if item.key == "llm_api_key"]
        button(admin, "Switch off").click()
        admin.run()
        assert not admin.exception and "The LLM is off" in rendered(admin.success[0].value)
        assert "No LLM is configured" in admin.info[0].value
    finally:
        server.close()
        st.cache_resource.clear()
