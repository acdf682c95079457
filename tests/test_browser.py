"""The real app in a real browser: `streamlit run` served on loopback, driven by Debian's Chromium.

This is the path AppTest cannot cover: the server process, its upload endpoint, and the
sandboxed reader forked beside a running Streamlit server.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.builders import pdf_bytes
from tests.conftest import REPO

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed (.ci/run installs it)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    port = free_port()
    env = os.environ | {"AIVET_DATA_DIR": str(tmp_path / "data"), "AIVET_USER": "browser-tester"}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(REPO / "streamlit_app.py"), "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("streamlit did not answer its health check within 30 s")
    yield url
    process.terminate()
    process.wait(10)


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
