"""The real app in a real browser: `streamlit run` served on loopback, driven by Debian's Chromium.

This is the path AppTest cannot cover: the server process, its upload endpoint, and the
sandboxed reader forked beside a running Streamlit server.
"""

import os
import shutil
from pathlib import Path

import pytest

from tests.builders import pdf_bytes
from tests.conftest import REPO
from tests.servers import screenshots, serve

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed (.ci/run installs it)"
)


PASSWORD = "correct horse battery"


@pytest.fixture
def server(tmp_path):
    """The staff app, with one account per role (procurement-tester, legal-tester, …)."""
    from aivet.settings import Settings
    from store.workspace import Workspace
    from workflows import add_account

    settings = Settings(data_dir=tmp_path / "data")
    workspace = Workspace.open(settings)
    for role in ("procurement", "legal", "security"):
        add_account(workspace, settings.operator, f"{role}-tester", role, PASSWORD)
    workspace.engine.dispose()
    process, url = serve("streamlit_app.py", tmp_path / "data")
    yield url
    process.terminate()
    process.wait(10)


@pytest.fixture
def vendor_server(tmp_path):
    process, url = serve("vendor_app.py", tmp_path / "data")
    yield url
    process.terminate()
    process.wait(10)


def sign_in(page, username):
    from playwright.sync_api import expect

    expect(page.get_by_text("Sign in to aivet")).to_be_visible(timeout=20_000)
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(f"Signed in as {username}")).to_be_visible(timeout=20_000)


def test_a_user_adds_a_vendor_uploads_files_and_sees_them_read_or_rejected(server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    good = tmp_path / "dpa.pdf"
    good.write_bytes(pdf_bytes(["Data Processing Agreement", "Clause 4: Customer Content is deleted after 30 days."]))
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.4\nnot a real pdf")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--disable-gpu"])
        page = browser.new_page()
        page.goto(server)
        sign_in(page, "procurement-tester")
        page.get_by_role("link", name="Vendors and documents").click()
        expect(page.get_by_text("No vendors yet")).to_be_visible(timeout=20_000)
        page.get_by_label("Vendor name").fill("Example AI Ltd")
        page.get_by_role("button", name="Create vendor").click()
        expect(page.get_by_text("Upload the vendor's documents")).to_be_visible(timeout=20_000)
        page.locator("input[type=file]").set_input_files([str(good), str(bad)])
        expect(page.get_by_text("dpa.pdf: read, 2 page(s); answers extracted.")).to_be_visible(timeout=30_000)
        expect(page.get_by_text("scan.pdf: rejected — corrupt.")).to_be_visible(timeout=30_000)
        page.get_by_text("dpa.pdf — read, 2 page(s), pdf").click()
        expect(page.get_by_text("Data Processing Agreement").first).to_be_visible()
        assert "Traceback" not in page.content()
        page.screenshot(path=str(tmp_path / "vendors.png"), full_page=True)
        page.get_by_role("link", name="Answers").click()
        expect(page.get_by_text("dpa.pdf, page 2").first).to_be_visible(timeout=30_000)
        expect(page.get_by_text("Customer Content is deleted after 30 days.").first).to_be_visible()
        assert "Traceback" not in page.content()
        browser.close()


def test_a_vendor_answers_and_submits_through_the_link_in_a_real_browser(vendor_server, tmp_path):
    from datetime import date, timedelta

    from playwright.sync_api import expect, sync_playwright

    from aivet.settings import Settings
    from store.questionnaires import issue_questionnaire, open_link
    from store.vendors import create_vendor
    from store.workspace import Workspace

    workspace = Workspace.open(Settings(data_dir=tmp_path / "data"))
    vendor = create_vendor(workspace, "Lumora AI GmbH", "procurement")
    issued = issue_questionnaire(
        workspace,
        vendor.id,
        "ai-vendor-due-diligence",
        "1.0.0",
        ["RET-01", "GOV-01"],
        "link",
        date.today() + timedelta(days=14),
        "procurement",
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--disable-gpu"])
        page = browser.new_page()
        page.goto(f"{vendor_server}/?token={issued.token}")
        expect(page.get_by_text("Due-diligence questionnaire")).to_be_visible(timeout=30_000)
        page.get_by_label("RET-01", exact=False).fill("30 days")
        page.get_by_role("button", name="Submit answers").click()
        expect(page.get_by_text("your answers were submitted and are locked")).to_be_visible(timeout=30_000)
        page.goto(f"{vendor_server}/?token=not-a-valid-token")
        expect(page.get_by_text("This questionnaire link is not valid any more.")).to_be_visible(timeout=30_000)
        assert "Lumora" not in page.content() and "Traceback" not in page.content()
        browser.close()
    record = open_link(workspace, issued.token)
    assert record.status == "submitted" and record.answers == {"RET-01": {"value": "30 days"}}


def test_three_teams_take_a_vendor_from_triage_to_sign_off_in_a_real_browser(server, tmp_path):
    """Procurement adds a vendor and its terms, legal corrects the answer a knock-out rests on and sees the
    score change, security records, signs off, compares and exports; every step is screenshotted."""
    from playwright.sync_api import expect, sync_playwright

    from aivet.settings import Settings
    from store.workspace import Workspace
    from workflows import create_vendor, ingest_file

    settings = Settings(data_dir=tmp_path / "data")
    workspace = Workspace.open(settings)
    other = create_vendor(workspace, "Lumora AI GmbH", settings.operator)
    for path in sorted((REPO / "data" / "demo" / "lumora-ai").iterdir()):
        ingest_file(workspace, other.id, path.name, path.read_bytes(), settings.operator)
    terms = tmp_path / "terms.md"
    terms.write_text("# AI terms\n\nWe use Customer Content to train and improve our models.\n")
    shots = screenshots()

    def step(page, name):
        assert "Traceback" not in page.content()
        page.screenshot(path=str(shots / f"{name}.png"), full_page=True)

    def switch_user(page, username):
        page.get_by_role("button", name="Sign out").click()
        sign_in(page, username)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        page.goto(server)
        step(page, "01-sign-in")
        sign_in(page, "procurement-tester")
        expect(page.get_by_role("heading", name="Triage")).to_be_visible(timeout=20_000)
        step(page, "02-procurement-triage")
        page.get_by_role("link", name="Vendors and documents").click()
        page.get_by_text("Add a vendor").click()
        page.get_by_label("Vendor name").fill("Trainy AI")
        page.get_by_role("button", name="Create vendor").click()
        expect(page.get_by_text("No documents for this vendor yet.")).to_be_visible(timeout=20_000)  # the new one
        expect(page.locator("input[type=file]")).to_have_count(1, timeout=20_000)  # the rerun has settled
        page.locator("input[type=file]").set_input_files([str(terms)])
        expect(page.get_by_text("terms.md: read, 1 page(s); answers extracted.")).to_be_visible(timeout=30_000)
        step(page, "03-procurement-upload")

        switch_user(page, "legal-tester")
        expect(page.get_by_role("heading", name="Review queue")).to_be_visible(timeout=20_000)
        page.get_by_label("Vendor").first.click()
        page.get_by_role("option", name="Trainy AI").click()
        expect(page.get_by_text("Knock-out K3 — ").first).to_be_visible(timeout=20_000)
        before = page.get_by_text("score now").first.inner_text()
        step(page, "04-legal-queue")
        page.get_by_text("Override the value").first.click()
        page.get_by_label("New value (JSON, or a plain word or number)").first.fill('{"label": "never", "scope": null}')
        page.get_by_label("Reason (needed to override) or the question for the vendor").first.fill(
            "Addendum 3, signed 2026-11-30, excludes training on our data."
        )
        page.get_by_role("button", name="Record decision").first.click()
        expect(page.get_by_text("0 open of 1")).to_be_visible(timeout=20_000)
        expect(page.get_by_text("override by legal-tester")).to_be_visible()
        after = page.get_by_text("score now").first.inner_text()
        assert after != before and "escalate" not in after
        step(page, "05-legal-override")

        switch_user(page, "security-tester")
        expect(page.get_by_role("heading", name="Scorecard")).to_be_visible(timeout=20_000)
        page.get_by_label("Vendor").first.click()
        page.get_by_role("option", name="Trainy AI").click()
        expect(page.get_by_text("Knock-out K3")).to_have_count(0, timeout=20_000)
        page.get_by_role("button", name="Record this scorecard for sign-off").click()
        expect(page.get_by_text("Recorded scorecard")).to_be_visible(timeout=20_000)
        page.get_by_label("Risk acceptance (needed to approve despite a policy knock-out)").fill(
            "Pilot with synthetic data only until the questionnaire is back."
        )
        page.get_by_role("button", name="Sign off").click()
        expect(page.get_by_text("signed off by security-tester")).to_be_visible(timeout=20_000)
        step(page, "06-security-sign-off")
        page.get_by_role("link", name="Compare").click()
        expect(page.get_by_role("heading", name="Compare vendors")).to_be_visible(timeout=20_000)
        with page.expect_download() as download:
            page.get_by_role("button", name="Download XLSX").click()
        assert download.value.suggested_filename.endswith(".xlsx")
        step(page, "07-security-compare-export")
        page.get_by_role("link", name="Audit log").click()
        expect(page.get_by_text("Export CSV")).to_be_visible(timeout=20_000)
        with page.expect_download() as download:
            page.get_by_role("button", name="Export CSV").click()
        exported = Path(download.value.path()).read_text(encoding="utf-8-sig")
        assert "review.override" in exported and "scorecard.signed_off" in exported
        step(page, "08-audit-log")
        browser.close()
    assert sorted(path.name for path in shots.glob("0*.png"))[-1] == "08-audit-log.png"
