"""The app as a real server process on loopback, for the browser tests and the tests of what the server
refuses."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import REPO


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(app: str, data_dir, extra_args: tuple[str, ...] = ()):
    """`streamlit run APP` on a free loopback port, once its health check answers; `extra_args` are more
    `--section.option value` pairs (e.g. `--secrets.files` for secrets kept outside the checkout)."""
    port = free_port()
    env = os.environ | {"AIVET_DATA_DIR": str(data_dir)}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(REPO / app),
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            *extra_args,
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
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
    return process, url


def screenshots() -> Path:
    """Where the browser walk leaves one screenshot per step: AIVET_TEST_OUTPUT, or test-output/ in the checkout."""
    folder = Path(os.environ.get("AIVET_TEST_OUTPUT") or REPO / "test-output") / "browser"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
