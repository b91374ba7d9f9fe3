"""Invite links: 256-bit tokens from `secrets`, stored only as their SHA-256.

A link is usable until it expires, is revoked, or the candidate submits. Resending
issues a fresh token with a later expiry, so a copy of the old link stops working; the
old token's hash is kept (`ReplacedLink`) so it answers "a newer link was sent".
Recruiters issue them (one by one, or "Invite all"); candidates open them.

The e-mail that carries a link goes to the outbox in the transaction that issues it,
and the worker sends it: a request never talks to the mail server, and the outbox
forgets the link once it is sent.
"""

from __future__ import annotations

import enum
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from coachkit.auth.sessions import token_digest
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.hiring.models import Candidate, CandidateStatus, Invitation, Opening, ReplacedLink
from coachkit.notifications import links, outbox
from coachkit.notifications.kinds import Kind
from coachkit.notifications.outbox import SECRET_LINK, About

TOKEN_BYTES = 32  # 256 bits, well over the 128 the quality bar asks for
# Invitations issued by one "Invite all": enough for a busy day, few enough to show on
# one page when they are not e-mailed.
INVITE_BATCH = 100
BATCH_ID = re.compile(r"[0-9a-f]{32}")


class LinkState(enum.StrEnum):
    USABLE = "usable"
    EXPIRED = "expired"
    REVOKED = "revoked"
    SUBMITTED = "submitted"


def candidate_url(token: str) -> str:
    """The absolute link a candidate opens: from EXTERNAL_URL, never the Host header
    (in a request or in the worker)."""
    return links.external(links.path_for("hiring.screening.welcome", token=token))


def issue(candidate: Candidate, *, days: int | None = None) -> str:
    """Give `candidate` a new link (replacing any earlier one); return its URL.

    The new link expires `days` (default: the opening's invite_days) from now. A
    candidate who has not answered yet is marked invited.
    """
    return candidate_url(new_token(candidate, days=days))


def new_token(candidate: Candidate, *, days: int | None = None) -> str:
    """`issue` without building the URL (for commands, which have no request)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    days = days if days is not None else candidate.opening.invite_days
    expires = utcnow() + timedelta(days=days)
    invitation = candidate.invitation
    if invitation is None:
        invitation = Invitation(candidate=candidate, token_hash=token_digest(token))
        db.session.add(invitation)
        invitation.times_sent = 1
    else:
        db.session.add(ReplacedLink(token_hash=invitation.token_hash, invitation=invitation))
        invitation.token_hash = token_digest(token)
        invitation.times_sent = (invitation.times_sent or 0) + 1
    invitation.expires_at, invitation.revoked_at, invitation.issued_at = expires, None, utcnow()
    invitation.emailed, invitation.sealed_link = False, None
    if candidate.status == CandidateStatus.NEW:
        candidate.status = CandidateStatus.INVITED
    candidate.last_activity_at = utcnow()
    db.session.flush()
    return token


@dataclass(frozen=True)
class Invited:
    """Links issued by `invite_new`, and how many new candidates still wait for one."""

    issued: list[tuple[Candidate, str]]
    remaining: int


def invite_new(opening: Opening, limit: int = INVITE_BATCH) -> Invited:
    """Issue links for up to `limit` candidates of `opening` still waiting for one,
    oldest first; return each candidate with their link (the token is not stored, so
    this is the only copy) and how many are left for the next batch."""
    waiting = select(Candidate).where(
        Candidate.opening_id == opening.id, Candidate.status == CandidateStatus.NEW
    )
    batch = db.session.scalars(
        waiting.options(selectinload(Candidate.invitation))
        .order_by(Candidate.created_at, Candidate.id)
        .limit(limit)
    ).all()
    issued = [(candidate, issue(candidate)) for candidate in batch]
    remaining = db.session.scalar(select(func.count()).select_from(waiting.subquery()))
    return Invited(issued, remaining or 0)


def revoke(candidate: Candidate) -> bool:
    """Stop the candidate's link working; False when there was no live link."""
    invitation = candidate.invitation
    if invitation is None or invitation.revoked_at is not None:
        return False
    invitation.revoked_at, invitation.sealed_link = utcnow(), None
    candidate.last_activity_at = utcnow()
    withdraw(candidate)
    db.session.flush()
    return True


def reload(candidate_ids: Sequence[int]) -> None:
    """Load candidates a commit expired again, with their invitations, in one query
    rather than one each."""
    db.session.scalars(
        select(Candidate)
        .where(Candidate.id.in_(candidate_ids))
        .options(selectinload(Candidate.invitation))
    ).all()


def queue(issued: Sequence[tuple[Candidate, str]], batch: str | None = None) -> set[int]:
    """Put the e-mails of new links in the outbox (under `batch`, for its progress);
    the ids of the candidates whose e-mail will go out (not those who unsubscribed)."""
    return {candidate.id for candidate, url in issued if email(candidate, url, batch=batch)}


def batch_progress(batch: str) -> outbox.Progress | None:
    """How far the e-mails of an "Invite all" have got ("37 of 100 sent"); None for
    anything but a batch id (32 hex digits, from `outbox.new_batch`)."""
    if not BATCH_ID.fullmatch(batch):
        return None
    found = outbox.progress(batch)
    return found if found.total else None


def withdraw(candidate: Candidate) -> int:
    """Withdraw the candidate's invitation e-mails not sent yet (their link no longer
    works); return how many."""
    about = About("candidate", candidate.id)
    return sum(
        outbox.cancel_waiting(kind, about)
        for kind in (Kind.CANDIDATE_INVITE, Kind.CANDIDATE_INVITE_RESENT, Kind.CANDIDATE_REMINDER)
    )


def remind(invitation: Invitation) -> bool:
    """Put the one reminder before the link expires in the outbox, with a fresh link
    that replaces the old one (only its hash is stored, so the old link cannot be sent
    again) and works until the same moment; False when the candidate was reminded of
    this expiry already or turned these e-mails off (the old link then stays)."""
    candidate: Candidate = invitation.candidate
    opening: Opening = candidate.opening
    old_hash, token = invitation.token_hash, secrets.token_urlsafe(TOKEN_BYTES)
    invitation.token_hash = token_digest(token)
    until = invitation.expires_at.strftime("%d %B %Y, %H:%M")
    message = outbox.email(
        candidate.email,
        Kind.CANDIDATE_REMINDER,
        f"Reminder: your exercise for {opening.title}",
        f"Hello {candidate.name},\n\n"
        f"Your exercise for {opening.title} is still waiting for you. Your link works "
        f"until {until} UTC:\n{SECRET_LINK}\n\n"
        "This link replaces the one in our first e-mail, which no longer works.\n"
        "Please do not share it: it is yours alone.\n\n"
        f"Questions? Write to {opening.contact_name} at {opening.contact_email}.\n",
        about=About("candidate", candidate.id),
        secret_link=candidate_url(token),
        expires_at=invitation.expires_at,
        once=f"invitation:{invitation.id}:{invitation.expires_at:%Y%m%dT%H%M}",
    )
    if message is None:
        invitation.token_hash = old_hash
        return False
    db.session.add(ReplacedLink(token_hash=old_hash, invitation=invitation))
    for kind in (Kind.CANDIDATE_INVITE, Kind.CANDIDATE_INVITE_RESENT):  # the old link's
        outbox.cancel_waiting(kind, About("candidate", candidate.id))
    db.session.flush()
    return True


def find(token: str) -> Invitation | None:
    """The invitation behind `token` (with its candidate and opening), or None."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        select(Invitation)
        .where(Invitation.token_hash == token_digest(token))
        .options(joinedload(Invitation.candidate).joinedload(Candidate.opening))
    )


def replaced(token: str) -> Invitation | None:
    """The invitation whose earlier link `token` was (a newer one replaced it), or None."""
    if not token or len(token) > 100:
        return None
    link = db.session.scalar(
        select(ReplacedLink)
        .where(ReplacedLink.token_hash == token_digest(token))
        .options(
            joinedload(ReplacedLink.invitation)
            .joinedload(Invitation.candidate)
            .joinedload(Candidate.opening)
        )
    )
    return link.invitation if link is not None else None


def state(invitation: Invitation, now: datetime | None = None) -> LinkState:
    """Whether the link may still be used, and if not, why."""
    now = now or utcnow()
    if invitation.candidate.submitted_at is not None:
        return LinkState.SUBMITTED
    if invitation.revoked_at is not None:
        return LinkState.REVOKED
    if invitation.expires_at <= now:
        return LinkState.EXPIRED
    return LinkState.USABLE


def email(candidate: Candidate, url: str, *, batch: str | None = None) -> bool:
    """Put the e-mail with the candidate's new link in the outbox, in place of one not
    sent yet; True unless the candidate turned these e-mails off."""
    opening: Opening = candidate.opening
    invitation = candidate.invitation
    if invitation is None:
        raise ValueError("issue a link before e-mailing it")
    withdraw(candidate)
    resent = invitation.times_sent > 1
    message = outbox.email(
        candidate.email,
        Kind.CANDIDATE_INVITE_RESENT if resent else Kind.CANDIDATE_INVITE,
        f"{'A new link to' if resent else 'Your'} exercise for {opening.title}",
        invite_body(candidate, resent=resent),
        about=About("candidate", candidate.id),
        secret_link=url,
        expires_at=invitation.expires_at,
        batch=batch,
    )
    invitation.emailed = message is not None
    return invitation.emailed


def invite_body(candidate: Candidate, *, resent: bool = False) -> str:
    """The invitation's text, with SECRET_LINK where the link goes."""
    opening: Opening = candidate.opening
    invitation = candidate.invitation
    assert invitation is not None  # noqa: S101 - callers issued a link
    limit = (
        f"Once you start, you have {opening.time_limit_minutes} minutes.\n"
        if opening.time_limit_minutes
        else "There is no time limit once you start.\n"
    )
    again = (
        "Here is a new link to your exercise; the earlier one no longer works.\n\n"
        if resent
        else ""
    )
    return (
        f"Hello {candidate.name},\n\n{again}"
        f"Thank you for applying for {opening.title}. Before we meet, we would like you "
        "to try a short exercise: a few realistic situations with customers, and how you "
        "would handle them. There are no trick questions.\n\n"
        f"Your personal link:\n{SECRET_LINK}\n\n"
        f"{limit}"
        f"The link works until {invitation.expires_at.strftime('%d %B %Y, %H:%M')} UTC. "
        "Your answers are saved as you go, so you can stop and come back on the same link.\n"
        "Please do not share this link: it is yours alone.\n\n"
        f"Questions? Write to {opening.contact_name} at {opening.contact_email}.\n"
    )
