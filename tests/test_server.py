"""What the running server refuses: a foreign Host header or origin gets no session (DNS rebinding, cross-site
WebSocket hijacking), so no page can reach vendor data through it."""

import base64
import os
import socket

import pytest

from tests.servers import serve


@pytest.fixture(scope="module")
def port(tmp_path_factory):
    process, url = serve("streamlit_app.py", tmp_path_factory.mktemp("data"))
    yield int(url.rsplit(":", 1)[1])
    process.terminate()
    process.wait(10)


def session_status(port: int, host: str, origin: str | None = None) -> str:
    """The status line the server answers a WebSocket upgrade to the app's session stream with."""
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        f"GET /_stcore/stream HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        + (f"Origin: {origin}\r\n" if origin else "")
        + "\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request.encode())
        return connection.recv(200).decode(errors="replace").split("\r\n")[0]


def test_the_app_opens_a_session_for_its_own_host_names(port):
    assert session_status(port, f"127.0.0.1:{port}").endswith("101 Switching Protocols")
    assert session_status(port, f"localhost:{port}", f"http://localhost:{port}").endswith("101 Switching Protocols")


@pytest.mark.parametrize("host, origin", [("evil.example", None), ("127.0.0.1", "http://evil.example")])
def test_a_foreign_host_or_origin_gets_no_session(port, host, origin):
    assert session_status(port, host.replace("127.0.0.1", f"127.0.0.1:{port}"), origin).endswith("403 Forbidden")
