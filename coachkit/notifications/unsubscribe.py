"""One-click unsubscribe links (RFC 8058), signed with the app's secret key.

A link names a kind and a person (by account id) or an address without an account
(by its digest): whoever holds it may turn that kind of e-mail off for them, which is
all it can do. It needs no sign-in and does not expire.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer

from coachkit.notifications import preferences
from coachkit.notifications.kinds import Kind

SALT = "coachkit.unsubscribe"


@dataclass(frozen=True)
class Subscription:
    """A kind of e-mail to one person (`user_id`) or one address (`address_hash`)."""

    kind: Kind
    user_id: int | None = None
    address_hash: str | None = None


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token(subscription: Subscription) -> str:
    payload: dict[str, str | int] = {"k": subscription.kind.value}
    if subscription.user_id is not None:
        payload["u"] = subscription.user_id
    elif subscription.address_hash is not None:
        payload["a"] = subscription.address_hash
    return _serializer().dumps(payload)


def read(text: str) -> Subscription | None:
    """The subscription behind a token; None when it is malformed or forged."""
    try:
        payload = _serializer().loads(text)
    except BadData:
        return None
    if not isinstance(payload, dict):
        return None
    try:
        kind = Kind(str(payload.get("k")))
    except ValueError:
        return None
    user_id, digest = payload.get("u"), payload.get("a")
    if isinstance(user_id, int) and digest is None:
        return Subscription(kind, user_id=user_id)
    if isinstance(digest, str) and len(digest) == 64 and user_id is None:
        return Subscription(kind, address_hash=digest)
    return None


def apply(subscription: Subscription) -> None:
    """Turn the kind of e-mail off (the caller commits); doing it twice is harmless."""
    if subscription.user_id is not None:
        preferences.turn_off(subscription.user_id, subscription.kind)
    elif subscription.address_hash is not None:
        preferences.suppress_hash(subscription.address_hash, subscription.kind)
