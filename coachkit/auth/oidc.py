"""Single sign-on with OpenID Connect: the authorization code flow with PKCE, `state`
and `nonce`, and the ID token checked (signature against the provider's published keys,
issuer, audience, expiry, nonce) with Authlib's JOSE library, joserfc.

`begin` makes the provider's sign-in address and remembers, on the server, what the
callback must see again; `complete` checks the callback and returns the account to sign
in (`oidc_accounts` says which).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import requests
from authlib.common.urls import add_params_to_uri
from authlib.integrations.base_client import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from flask import current_app, session
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlalchemy import delete

from coachkit.auth import oidc_accounts
from coachkit.auth.models import OidcRequest, User
from coachkit.auth.oidc_accounts import SignInRefused
from coachkit.auth.password_links import external_url
from coachkit.auth.sessions import token_digest
from coachkit.database import utcnow
from coachkit.extensions import db

TIMEOUT = 10  # seconds for each call to the provider
DISCOVERY_SECONDS = 3600  # how long the provider's metadata and keys are kept
REQUEST_LIFETIME = timedelta(minutes=10)  # from the sign-in button to the callback
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"]
STATE_KEY = "oidc_state"  # in the cookie: the state of the sign-in this browser began
SIGNED_IN_WITH = "signed_in_with"  # in the cookie: "oidc" after a single sign-on


START_AGAIN = "That sign-in did not start in this browser, has been used, or took too long."
NOT_CONFIRMED = "Your identity provider did not confirm the sign-in. Try again."
UNREACHABLE = "The identity provider cannot be reached just now. Try again in a minute."


@dataclass(frozen=True)
class Provider:
    """What the provider publishes at /.well-known/openid-configuration."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str | None
    end_session_endpoint: str | None


_providers: dict[str, tuple[float, Provider]] = {}
_key_sets: dict[str, tuple[float, KeySet]] = {}


def configured() -> bool:
    return bool(current_app.config["OIDC_ISSUER"])


def _get_json(url: str) -> Any:
    try:
        response = requests.get(url, timeout=TIMEOUT)
        response.raise_for_status()
        return response.json()
    except (requests.RequestException, ValueError) as error:
        raise SignInRefused(UNREACHABLE, f"{url}: {error}") from None


def provider() -> Provider:
    """The configured provider's metadata, fetched once an hour per process."""
    issuer = current_app.config["OIDC_ISSUER"]
    cached = _providers.get(issuer)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    meta = _get_json(issuer + "/.well-known/openid-configuration")
    if meta.get("issuer", "").rstrip("/") != issuer:
        raise SignInRefused(UNREACHABLE, f"discovery names another issuer: {meta.get('issuer')}")
    found = Provider(
        issuer=meta["issuer"],
        authorization_endpoint=meta["authorization_endpoint"],
        token_endpoint=meta["token_endpoint"],
        jwks_uri=meta["jwks_uri"],
        userinfo_endpoint=meta.get("userinfo_endpoint"),
        end_session_endpoint=meta.get("end_session_endpoint"),
    )
    _providers[issuer] = (time.monotonic() + DISCOVERY_SECONDS, found)
    return found


def _key_set(jwks_uri: str, *, fresh: bool = False) -> KeySet:
    cached = _key_sets.get(jwks_uri)
    if cached and cached[0] > time.monotonic() and not fresh:
        return cached[1]
    keys = KeySet.import_key_set(_get_json(jwks_uri))
    _key_sets[jwks_uri] = (time.monotonic() + DISCOVERY_SECONDS, keys)
    return keys


def sign_in_origins() -> str:
    """The scheme and host of the provider's sign-in page, for the sign-in page's
    form-action: the issuer's, and the authorization endpoint's once its metadata has
    been read (never fetched here: a provider that is down must not slow the page)."""
    issuer = current_app.config["OIDC_ISSUER"]
    addresses = [issuer]
    cached = _providers.get(issuer)
    if cached is not None:
        addresses.append(cached[1].authorization_endpoint)
    origins = {f"{urlsplit(a).scheme}://{urlsplit(a).netloc}" for a in addresses}
    return " ".join(sorted(origins))


def redirect_uri() -> str:
    return external_url("oidc.callback")


def begin(next_path: str | None) -> str:
    """The provider's sign-in address for this browser; remembers state, nonce and the
    PKCE verifier on the server (the caller commits) and state in the cookie."""
    found = provider()
    state, nonce, verifier = (secrets.token_urlsafe(32) for _ in range(3))
    verifier += secrets.token_urlsafe(16)  # 64 characters: RFC 7636 asks for 43 to 128
    db.session.add(
        OidcRequest(
            id=token_digest(state),
            nonce=nonce,
            code_verifier=verifier,
            next_path=next_path,
            expires_at=utcnow() + REQUEST_LIFETIME,
        )
    )
    session[STATE_KEY] = state
    config = current_app.config
    return add_params_to_uri(
        found.authorization_endpoint,
        {
            "response_type": "code",
            "client_id": config["OIDC_CLIENT_ID"],
            "redirect_uri": redirect_uri(),
            "scope": "openid email profile",
            "state": state,
            "nonce": nonce,
            "code_challenge": create_s256_code_challenge(verifier),
            "code_challenge_method": "S256",
        },
    )


def complete(args: Mapping[str, str]) -> tuple[User, str | None]:
    """Check the provider's callback and return the account to sign in and where to go."""
    found = provider()
    if "error" in args:
        raise SignInRefused(NOT_CONFIRMED, f"the provider answered {args['error']!r}")
    pending = _take_pending(args.get("state", ""))
    if "iss" in args and args["iss"].rstrip("/") != found.issuer.rstrip("/"):
        raise SignInRefused(NOT_CONFIRMED, "the callback names another issuer")
    client = OAuth2Session(
        current_app.config["OIDC_CLIENT_ID"],
        current_app.config["OIDC_CLIENT_SECRET"],
        redirect_uri=redirect_uri(),
    )
    try:
        token = client.fetch_token(
            found.token_endpoint,
            code=args.get("code", ""),
            code_verifier=pending.code_verifier,
            timeout=TIMEOUT,
        )
    except (OAuthError, requests.RequestException, ValueError) as error:
        raise SignInRefused(NOT_CONFIRMED, f"the token endpoint refused: {error}") from None
    claims = id_token_claims(token.get("id_token") or "", found, nonce=pending.nonce)
    if not {"email", "email_verified"} <= claims.keys() and found.userinfo_endpoint:
        claims = {**_userinfo(client, found.userinfo_endpoint, claims["sub"]), **claims}
    return oidc_accounts.account_for(claims), pending.next_path


def _take_pending(state: str) -> OidcRequest:
    """The sign-in this browser began with `state`, used up: a second callback with the
    same state (a replay), another browser's state or an expired one is refused."""
    expected = session.pop(STATE_KEY, None)
    if not state or not expected or not secrets.compare_digest(state, expected):
        raise SignInRefused(START_AGAIN, "state does not match this browser's")
    pending = db.session.get(OidcRequest, token_digest(state))
    used = db.session.execute(delete(OidcRequest).where(OidcRequest.id == token_digest(state)))
    if pending is None or used.rowcount != 1 or pending.expires_at <= utcnow():  # type: ignore[attr-defined]
        raise SignInRefused(START_AGAIN, "state already used or expired")
    return pending


def id_token_claims(id_token: str, found: Provider, *, nonce: str) -> dict[str, Any]:
    """The ID token's claims once its signature, issuer, audience, expiry, issue time
    and nonce are checked; refuses anything else."""
    client_id = current_app.config["OIDC_CLIENT_ID"]
    try:
        try:
            token = jwt.decode(id_token, _key_set(found.jwks_uri), algorithms=ALGORITHMS)
        except ValueError:  # no key with the token's id: the provider rotated its keys
            token = jwt.decode(
                id_token, _key_set(found.jwks_uri, fresh=True), algorithms=ALGORITHMS
            )
        jwt.JWTClaimsRegistry(
            leeway=current_app.config["OIDC_CLOCK_SKEW_SECONDS"],
            iss={"essential": True, "value": found.issuer},
            aud={"essential": True, "value": client_id},
            exp={"essential": True},
            iat={"essential": True},
            sub={"essential": True},
            nonce={"essential": True, "value": nonce},
        ).validate(token.claims)
    except (JoseError, ValueError) as error:
        raise SignInRefused(NOT_CONFIRMED, f"ID token refused: {error!r}") from None
    audience = token.claims["aud"]
    if isinstance(audience, list) and len(audience) > 1 and token.claims.get("azp") != client_id:
        raise SignInRefused(NOT_CONFIRMED, "ID token for several audiences without our azp")
    return dict(token.claims)


def _userinfo(client: OAuth2Session, endpoint: str, subject: str) -> dict[str, Any]:
    """Claims the ID token left out, from the userinfo endpoint, for the same subject."""
    try:
        response = client.get(endpoint, timeout=TIMEOUT)
        response.raise_for_status()
        info = response.json()
    except (requests.RequestException, ValueError) as error:
        raise SignInRefused(NOT_CONFIRMED, f"userinfo failed: {error}") from None
    if info.get("sub") != subject:
        raise SignInRefused(NOT_CONFIRMED, "userinfo is about another subject")
    return dict(info)


def end_session_url() -> str | None:
    """Where a person signs out of the provider too, when it publishes such a place."""
    try:
        found = provider()
    except SignInRefused:
        return None
    if not found.end_session_endpoint:
        return None
    return add_params_to_uri(
        found.end_session_endpoint, {"client_id": current_app.config["OIDC_CLIENT_ID"]}
    )
