"""Invite links shown to a recruiter to send themselves, sealed so the page can show
them again (after a reload, or on the candidate's page) until they are replaced.

Tokens are stored as their SHA-256, which checks a link but cannot give it back. A
link that is not e-mailed is also kept sealed (Fernet: AES with an HMAC) under a key
derived from SECRET_KEY, which lives outside the database: a copy of the database
alone holds no usable link. A new link, a revoke or a changed SECRET_KEY leaves the
old seal unreadable or gone, and the page says to resend. Links are never logged.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app

from coachkit.hiring.models import Invitation

PURPOSE = b"coachkit hiring invite links v1\x00"


def _fernet() -> Fernet:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    key = hashlib.sha256(PURPOSE + secret).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(invitation: Invitation, url: str) -> None:
    """Keep `url`, the invitation's current link, sealed with it."""
    invitation.sealed_link = _fernet().encrypt(url.encode()).decode()


def unseal(invitation: Invitation) -> str | None:
    """The invitation's link as shown to the recruiter, or None when it was e-mailed,
    replaced, revoked, or sealed under another SECRET_KEY."""
    if not invitation.sealed_link or invitation.revoked_at is not None:
        return None
    try:
        return _fernet().decrypt(invitation.sealed_link.encode()).decode()
    except InvalidToken:
        return None
