"""Identity providers on loopback for the single sign-on tests.

`OpenIdProvider` runs the npm package `oidc-provider` (tests/auth/oidc_provider.mjs)
in Node.js: a certified OpenID provider with discovery, keys, token and userinfo
endpoints and a login form; `sign_in_at` fills that form as a browser would.

`ForgedIssuer` is a small provider written here, for what a real provider never sends:
it serves discovery and its keys (JWKS) for real and answers the token endpoint, after
checking the code and the PKCE verifier, with an ID token the test writes (expired, for
another audience, with another nonce...), signed with the key it publishes, or not.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import secrets
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import RSAKey

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tests" / "auth" / "oidc_provider.mjs"
PACKAGE = ROOT / "node_modules" / "oidc-provider"
# The people the provider knows, by login name.
ACCOUNTS = {
    "sam": {"email": "sam.patel@example.com", "email_verified": True, "name": "Sam Patel"},
    "una": {"email": "una.verified@example.com", "email_verified": False, "name": "Una"},
    "olive": {"email": "olive@elsewhere.org", "email_verified": True, "name": "Olive Out"},
    "dee": {"email": "dee.active@example.com", "email_verified": True, "name": "Dee Active"},
    "nell": {"email": "nell.new@example.com", "email_verified": True, "name": "Nell New"},
}
FORM_ACTION = re.compile(r'<form[^>]*action="([^"]+)"[^>]*method="post"', re.I)


class OpenIdProvider:
    """`oidc-provider` in a Node.js process on a free loopback port."""

    def __init__(self) -> None:
        node = shutil.which("node")
        if node is None or not PACKAGE.exists():
            if os.environ.get("COACHKIT_REQUIRE_BROWSER") == "1":
                pytest.fail("the OpenID provider needs Node.js and `make node_modules/.installed`")
            pytest.skip("the OpenID provider needs Node.js and node_modules (make test)")
        environment = {**os.environ, "OIDC_TEST_ACCOUNTS": json.dumps(ACCOUNTS)}
        self.process = subprocess.Popen(
            [node, str(SCRIPT)],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line.startswith("issuer "):
            self.stop()
            raise RuntimeError(f"oidc-provider did not start: {line!r}")
        self.issuer = line.split()[1]

    def register(self, redirect_uri: str) -> tuple[str, str]:
        """A new client (dynamic registration) that comes back to `redirect_uri`."""
        response = requests.post(
            self.issuer + "/reg",
            json={
                "redirect_uris": [redirect_uri],
                "grant_types": ["authorization_code"],
                "response_types": ["code"],
                "token_endpoint_auth_method": "client_secret_basic",
            },
            timeout=10,
        )
        response.raise_for_status()
        client = response.json()
        return client["client_id"], client["client_secret"]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()


def sign_in_at(authorization_url: str, login: str, redirect_uri: str) -> str:
    """Go through the provider's pages as a browser would, signing in as `login`; the
    callback URL it sends the browser to (not followed)."""
    browser = requests.Session()
    url = authorization_url
    for _ in range(10):
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.status_code in (302, 303):
            url = urljoin(url, response.headers["Location"])
        elif (form := FORM_ACTION.search(response.text)) is not None:
            data = {"prompt": "login", "login": login, "password": "any"}
            posted = browser.post(
                urljoin(url, form.group(1)), data=data, allow_redirects=False, timeout=10
            )
            url = urljoin(url, posted.headers["Location"])
        else:
            raise AssertionError(f"the provider answered {response.status_code}: {response.text}")
        if url.startswith(redirect_uri):
            return url
    raise AssertionError("the provider never sent the browser back")


class ForgedIssuer:
    """A provider on loopback whose ID tokens the test writes: `claims(nonce, client_id)`
    returns them, `key` signs them (None: unsigned, alg "none")."""

    client_id = "forged-client"
    client_secret = "forged-secret"

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "forged-key"})
        self.signing_key: RSAKey | None = self.key
        self.claims: Callable[[str, str], dict[str, Any]] = self.good_claims
        self.codes: dict[str, dict[str, str]] = {}
        self.userinfo: dict[str, Any] | None = None
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def good_claims(self, nonce: str, client_id: str) -> dict[str, Any]:
        now = int(time.time())
        return {
            "iss": self.issuer,
            "aud": client_id,
            "sub": "forged-sam",
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            "email": "sam.patel@example.com",
            "email_verified": True,
            "name": "Sam Patel",
        }

    def id_token(self, nonce: str) -> str:
        claims = self.claims(nonce, self.client_id)
        if self.signing_key is None:
            header = base64.urlsafe_b64encode(b'{"alg":"none"}').rstrip(b"=").decode()
            body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
            return f"{header}.{body}."
        return jwt.encode({"alg": "RS256", "kid": "forged-key"}, claims, self.signing_key)

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join()
        self.server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _json(self, status: int, value: Any) -> None:
                body = json.dumps(value).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802
                parts = urlsplit(self.path)
                if parts.path == "/.well-known/openid-configuration":
                    base = issuer.issuer
                    self._json(
                        200,
                        {
                            "issuer": base,
                            "authorization_endpoint": base + "/authorize",
                            "token_endpoint": base + "/token",
                            "jwks_uri": base + "/jwks",
                            "userinfo_endpoint": base + "/userinfo",
                        },
                    )
                elif parts.path == "/jwks":
                    self._json(200, {"keys": [issuer.key.as_dict(private=False)]})
                elif parts.path == "/authorize":
                    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                    code = secrets.token_urlsafe(16)
                    issuer.codes[code] = query
                    target = (
                        query["redirect_uri"]
                        + "?"
                        + urlencode({"code": code, "state": query["state"]})
                    )
                    self.send_response(302)
                    self.send_header("Location", target)
                    self.end_headers()
                elif parts.path == "/userinfo" and issuer.userinfo is not None:
                    self._json(200, issuer.userinfo)
                else:
                    self._json(404, {"error": "not_found"})

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                asked = issuer.codes.pop(form.get("code", ""), None)
                verifier = form.get("code_verifier", "")
                challenge = (
                    base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
                    .rstrip(b"=")
                    .decode()
                )
                if asked is None or asked.get("code_challenge") != challenge:
                    self._json(400, {"error": "invalid_grant"})
                    return
                self._json(
                    200,
                    {
                        "access_token": secrets.token_urlsafe(16),
                        "token_type": "Bearer",
                        "expires_in": 300,
                        "id_token": issuer.id_token(asked["nonce"]),
                    },
                )

        return Handler
