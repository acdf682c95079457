"""The real app in a real browser: `streamlit run` served on loopback, driven by Debian's Chromium.

This is the path AppTest cannot cover: the server process, its upload endpoint, and the
sandboxed reader forked beside a running Streamlit server.
"""

import os
import shutil

import pytest

from tests.builders import pdf_bytes
from tests.servers import serve

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
    page.get_by_label("Password").fill(PASSWORD)
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
