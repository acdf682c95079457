"""Sign-in through an identity provider (`st.login`, OpenID Connect) in a real browser, offline.

A small OpenID Connect provider runs on loopback (standard library HTTP server, RS256 id_token signed with a
key made for the test), the staff app runs with an `[auth]` section in a secrets file kept in tmp_path
(passed as `--secrets.files`), and Debian's Chromium walks the whole redirect dance: app -> provider ->
app's /oauth2callback -> app, and on sign-out app -> provider's end_session_endpoint -> app.
"""

import base64
import hashlib
import json
import os
import secrets
import shutil
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import pytest

from tests.servers import screenshots, serve

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed (.ci/run installs it)"
)

CLIENT_ID = "aivet-test"
CLIENT_SECRET = "not-a-real-secret"


class Provider:
    """One client, one RSA key, and whoever `email` says is the person at the provider's sign-in screen.

    It checks what a real provider checks (client secret, redirect URI, single-use code, PKCE S256) and
    answers 400 otherwise, so a flow that gets through really is a standard authorization-code flow."""

    def __init__(self):
        from joserfc.jwk import RSAKey

        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig", "alg": "RS256"})
        self.email = ""
        self.redirect_uri = ""  # set once the app's port is known
        self.codes: dict[str, dict] = {}
        self.hits: list[str] = []  # the paths asked for, in order
        self.issued: list[dict] = []  # the claims of every id_token handed out
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"

    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "end_session_endpoint": f"{self.issuer}/logout",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["sub", "email", "email_verified", "name"],
        }

    def authorize(self, query: dict) -> tuple[int, dict, bytes]:
        """The person is already signed in at the provider: redirect straight back with a code."""
        if (
            query.get("response_type") != "code"
            or query.get("client_id") != CLIENT_ID
            or query.get("redirect_uri") != self.redirect_uri
            or "openid" not in query.get("scope", "").split()
            or query.get("code_challenge_method") != "S256"
            or not query.get("state")
            or not query.get("nonce")
        ):
            return 400, {}, b"bad authorization request"
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"nonce": query["nonce"], "challenge": query["code_challenge"], "email": self.email}
        location = f"{self.redirect_uri}?{urlencode({'code': code, 'state': query['state']})}"
        return 302, {"Location": location}, b""

    def token(self, form: dict, authorization: str) -> tuple[int, dict, bytes]:
        from joserfc import jwt

        expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        grant = self.codes.pop(form.get("code", ""), None)  # a code is good once
        if authorization != expected or grant is None or form.get("grant_type") != "authorization_code":
            return 400, {}, json.dumps({"error": "invalid_grant"}).encode()
        verifier = form.get("code_verifier", "").encode()
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=").decode()
        if form.get("redirect_uri") != self.redirect_uri or challenge != grant["challenge"]:
            return 400, {}, json.dumps({"error": "invalid_grant"}).encode()
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": hashlib.sha256(grant["email"].encode()).hexdigest()[:16],
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": grant["nonce"],
            "email": grant["email"],
            "email_verified": True,
            "name": grant["email"].split("@")[0].title(),
        }
        self.issued.append(claims)
        id_token = jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, self.key)
        body = {"access_token": secrets.token_urlsafe(16), "token_type": "Bearer", "expires_in": 300}
        return 200, {"Content-Type": "application/json"}, json.dumps(body | {"id_token": id_token}).encode()

    def logout(self, query: dict) -> tuple[int, dict, bytes]:
        """RP-initiated logout: back to the app, to the address it registered."""
        if query.get("client_id") != CLIENT_ID or query.get("post_logout_redirect_uri") != self.redirect_uri:
            return 400, {}, b"bad logout request"
        return 302, {"Location": self.redirect_uri}, b""

    def handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self, status: int, headers: dict, body: bytes) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                url = urlparse(self.path)
                query = {name: values[0] for name, values in parse_qs(url.query).items()}
                provider.hits.append(url.path)
                json_headers = {"Content-Type": "application/json"}
                if url.path == "/.well-known/openid-configuration":
                    self.answer(200, json_headers, json.dumps(provider.discovery()).encode())
                elif url.path == "/jwks":
                    self.answer(200, json_headers, json.dumps({"keys": [provider.key.as_dict(private=False)]}).encode())
                elif url.path == "/authorize":
                    self.answer(*provider.authorize(query))
                elif url.path == "/logout":
                    self.answer(*provider.logout(query))
                else:
                    self.answer(404, {}, b"not found")

            def do_POST(self):
                url = urlparse(self.path)
                provider.hits.append(url.path)
                length = int(self.headers.get("Content-Length") or 0)
                form = {name: values[0] for name, values in parse_qs(self.rfile.read(length).decode()).items()}
                if url.path == "/token":
                    self.answer(*provider.token(form, self.headers.get("Authorization", "")))
                else:
                    self.answer(404, {}, b"not found")

        return Handler


@pytest.fixture
def provider():
    running = Provider()
    thread = threading.Thread(target=running.server.serve_forever, daemon=True)
    thread.start()
    yield running
    running.server.shutdown()
    running.server.server_close()


@pytest.fixture
def oidc_app(tmp_path, provider):
    """The staff app signing people in through `provider`, with one legal account known by its e-mail."""
    from aivet.settings import Settings
    from store.workspace import Workspace
    from workflows import add_account, create_vendor

    settings = Settings(data_dir=tmp_path / "data")
    workspace = Workspace.open(settings)
    add_account(workspace, settings.operator, "lena", "legal", None, email="Lena.Legal@example.com")
    create_vendor(workspace, "Lumora AI GmbH", settings.operator)
    workspace.engine.dispose()
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        f'client_id = "{CLIENT_ID}"\n'
        f'client_secret = "{CLIENT_SECRET}"\n'
        f'server_metadata_url = "{provider.issuer}/.well-known/openid-configuration"\n'
    )
    process, url = serve("streamlit_app.py", tmp_path / "data", ("--secrets.files", str(secrets_file)))
    provider.redirect_uri = f"{url}/oauth2callback"
    yield url
    process.terminate()
    process.wait(10)


IDENTITY_COOKIE = "_streamlit_user"  # where Streamlit keeps who the provider said signed in


def cookie_names(page) -> set[str]:
    return {cookie["name"] for cookie in page.context.cookies()}


def sign_out(page, provider):
    """Click "Sign out" and follow the browser through the provider's end_session_endpoint back to the app."""
    with page.expect_response(lambda response: response.url.startswith(f"{provider.issuer}/logout")) as ended:
        page.get_by_role("button", name="Sign out").click()
    assert ended.value.status == 302  # the provider accepted the client and post_logout_redirect_uri
    page.wait_for_load_state()


def test_a_colleague_with_an_account_signs_in_with_the_company_account_and_out_again(oidc_app, provider):
    from playwright.sync_api import expect, sync_playwright

    shots = screenshots()
    provider.email = "lena.legal@EXAMPLE.com"  # the provider's spelling need not be the account's
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(oidc_app)
        button = page.get_by_role("button", name="Sign in with your company account")
        expect(button).to_be_visible(timeout=20_000)
        expect(page.get_by_label("Password")).to_have_count(0)  # no local password form beside the provider
        page.screenshot(path=str(shots / "oidc-01-sign-in.png"), full_page=True)
        button.click()
        expect(page.get_by_role("heading", name="Review queue")).to_be_visible(timeout=20_000)
        expect(page.get_by_text("Signed in as lena (legal)")).to_be_visible()
        expect(page.get_by_text("Nothing to review for this vendor.")).to_be_visible(timeout=20_000)
        assert "Lumora AI GmbH" in page.content()  # vendor data, once signed in (the picker shows the vendor)
        assert "Traceback" not in page.content()
        page.screenshot(path=str(shots / "oidc-02-legal-review-queue.png"), full_page=True)
        # The app read the discovery document, sent the browser to /authorize, swapped the code at /token and
        # checked the id_token's RS256 signature against /jwks.
        assert provider.hits[0] == "/.well-known/openid-configuration"
        assert [hit for hit in provider.hits if not hit.startswith("/.well-known")] == ["/authorize", "/token", "/jwks"]
        assert provider.issued[-1]["email"] == "lena.legal@EXAMPLE.com"

        assert IDENTITY_COOKIE in cookie_names(page)

        sign_out(page, provider)
        expect(page.get_by_role("button", name="Sign in with your company account")).to_be_visible(timeout=20_000)
        expect(page.get_by_text("Signed in as")).to_have_count(0)
        page.screenshot(path=str(shots / "oidc-03-signed-out.png"), full_page=True)
        # Signed out for real: the identity cookie is gone, so a fresh load is not signed in again.
        assert IDENTITY_COOKIE not in cookie_names(page)
        page.reload()
        expect(page.get_by_role("button", name="Sign in with your company account")).to_be_visible(timeout=20_000)
        expect(page.get_by_text("Signed in as")).to_have_count(0)
        browser.close()


def test_a_colleague_without_an_account_is_told_to_ask_an_administrator_and_sees_no_vendor(oidc_app, provider):
    from playwright.sync_api import expect, sync_playwright

    shots = screenshots()
    provider.email = "newcomer@example.com"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(oidc_app)
        page.get_by_role("button", name="Sign in with your company account").click()
        expect(page.get_by_text("newcomer@example.com signed in, but has no aivet account.")).to_be_visible(
            timeout=20_000
        )
        expect(page.get_by_text("Ask an administrator")).to_be_visible()
        expect(page.get_by_text("Signed in as")).to_have_count(0)
        content = page.content()
        assert "Lumora" not in content and "Review queue" not in content and "Traceback" not in content
        page.screenshot(path=str(shots / "oidc-04-no-account.png"), full_page=True)
        assert provider.issued[-1]["email"] == "newcomer@example.com"

        # They can leave the provider's session to try another account, and are signed out for real.
        assert IDENTITY_COOKIE in cookie_names(page)
        sign_out(page, provider)
        expect(page.get_by_role("button", name="Sign in with your company account")).to_be_visible(timeout=20_000)
        expect(page.get_by_text("has no aivet account")).to_have_count(0)
        assert IDENTITY_COOKIE not in cookie_names(page)
        page.reload()
        expect(page.get_by_role("button", name="Sign in with your company account")).to_be_visible(timeout=20_000)
        expect(page.get_by_text("has no aivet account")).to_have_count(0)
        page.screenshot(path=str(shots / "oidc-05-no-account-signed-out.png"), full_page=True)
        browser.close()
