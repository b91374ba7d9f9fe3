"""Partner keys: made by an admin (in the app or with `flask greenhouse key create`),
shown once, kept only as their SHA-256, revocable.

Greenhouse sends the key as the user name of HTTP Basic with an empty password. The
key is found by its digest (an index lookup whose timing depends only on the digest,
which tells nothing about the key) and then compared in constant time. A plain
SHA-256 is enough: a key is 256 random bits, beyond any guessing, so a slow password
hash would only slow every request.

coachkit also authenticates to Greenhouse with the key (the completion PATCH), so it
must be able to make the key again without storing it: a key is an HMAC of a random
seed under SECRET_KEY. The database alone (seed and digest) does not give the key;
changing SECRET_KEY leaves incoming requests working but makes the PATCH fail until
an admin makes a new key.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from coachkit.auth.models import User
from coachkit.auth.sessions import token_digest
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.hiring.greenhouse.models import PartnerKey

PREFIX = "coachkit_gh_"  # lets secret scanners and people recognise a leaked key
MAX_KEY = 170  # Greenhouse takes keys of fewer than 171 characters; ours have 55
# A key's last use is written at most this often, not on every request.
USE_RECORDED_EVERY = timedelta(minutes=5)
SEED_CONTEXT = b"coachkit greenhouse partner key\x00"


def create(name: str, *, by: User | None = None) -> tuple[str, PartnerKey]:
    """A new key named `name`; returns the key (never stored) and its record."""
    seed = secrets.token_hex(32)
    plain = key_from(seed)
    key = PartnerKey(
        name=name.strip()[:120],
        seed=seed,
        key_hash=token_digest(plain),
        created_by_id=by.id if by is not None else None,
    )
    db.session.add(key)
    db.session.flush()
    return plain, key


def key_from(seed: str) -> str:
    """The key made from `seed` under this app's SECRET_KEY."""
    secret = current_app.config["SECRET_KEY"].encode()
    mac = hmac.digest(secret, SEED_CONTEXT + seed.encode(), "sha256")
    return PREFIX + base64.urlsafe_b64encode(mac).decode().rstrip("=")


def credentials(key: PartnerKey) -> str | None:
    """The key itself, for coachkit's own calls to Greenhouse; None when it was made
    under another SECRET_KEY."""
    plain = key_from(key.seed)
    return plain if hmac.compare_digest(token_digest(plain), key.key_hash) else None


def revoke(key: PartnerKey) -> bool:
    """Revoke `key` now; False when it already was."""
    if key.revoked_at is not None:
        return False
    key.revoked_at = utcnow()
    return True


def basic_user(header: str | None) -> str | None:
    """The user name of an `Authorization: Basic ...` header, or None."""
    scheme, _, value = (header or "").partition(" ")
    if scheme.lower() != "basic" or not value.strip() or len(value) > 4 * MAX_KEY:
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, _, _password = decoded.partition(":")
    return user or None


def authenticate(header: str | None) -> PartnerKey | None:
    """The live key an `Authorization: Basic <key>:` header carries, or None."""
    plain = basic_user(header)
    if plain is None or len(plain) > MAX_KEY:
        return None
    digest = token_digest(plain)
    key = db.session.scalar(
        select(PartnerKey).where(PartnerKey.key_hash == digest, PartnerKey.revoked_at.is_(None))
    )
    if key is None or not hmac.compare_digest(key.key_hash, digest):
        return None
    if key.last_used_at is None or key.last_used_at < utcnow() - USE_RECORDED_EVERY:
        key.last_used_at = utcnow()
    return key


def listed() -> list[PartnerKey]:
    return list(db.session.scalars(select(PartnerKey).order_by(PartnerKey.id.desc())))
