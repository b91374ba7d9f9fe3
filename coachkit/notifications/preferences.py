"""Who wants which e-mails: each person's choice per kind, the organisation defaults
(set by admins; without one a kind is e-mailed singly), and the kinds an address
without an account unsubscribed from. In-app notifications are always on."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping

from sqlalchemy import Integer, delete, literal, null, select, union_all

from coachkit.auth.models import User
from coachkit.database import upsert
from coachkit.extensions import db
from coachkit.notifications.kinds import Delivery, Kind
from coachkit.notifications.models import OrganisationDefault, Preference, Suppression

DEFAULT = Delivery.EMAIL


def address_hash(address: str) -> str:
    """How an address without an account is known here: never in clear."""
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()


def allowed(kind: Kind, delivery: Delivery) -> Delivery:
    """`delivery`, except that a kind which may not wait is e-mailed instead."""
    return Delivery.EMAIL if delivery is Delivery.DIGEST and not kind.digestible else delivery


def deliveries(user_ids: Collection[int], kind: Kind) -> dict[int, Delivery]:
    """How `kind` reaches each of these people, in one query."""
    chosen = select(Preference.user_id, Preference.delivery).where(
        Preference.kind == kind, Preference.user_id.in_(list(user_ids))
    )
    default = select(null().cast(Integer), OrganisationDefault.delivery).where(
        OrganisationDefault.kind == kind
    )
    rows = db.session.execute(union_all(chosen, default)).all()
    fallback = next((Delivery(d) for user_id, d in rows if user_id is None), DEFAULT)
    found = {user_id: Delivery(d) for user_id, d in rows if user_id is not None}
    return {user_id: allowed(kind, found.get(user_id, fallback)) for user_id in user_ids}


def defaults() -> dict[Kind, Delivery]:
    """The organisation default of every kind that reaches people with an account."""
    stored: dict[Kind, Delivery] = dict(
        db.session.execute(select(OrganisationDefault.kind, OrganisationDefault.delivery))
        .tuples()
        .all()
    )
    return {kind: allowed(kind, stored.get(kind, DEFAULT)) for kind in Kind.for_people()}


def choices(user: User) -> dict[Kind, Delivery]:
    """The delivery of each kind offered to `user`: their choice, else the default."""
    base = defaults()
    mine: dict[Kind, Delivery] = dict(
        db.session.execute(
            select(Preference.kind, Preference.delivery).where(Preference.user_id == user.id)
        )
        .tuples()
        .all()
    )
    return {kind: allowed(kind, mine.get(kind, base[kind])) for kind in Kind.offered_to(user.role)}


def save(user: User, chosen: Mapping[Kind, Delivery]) -> None:
    """Keep `user`'s choices: a row only where one differs from the default, so a
    later change of the default reaches every kind they left alone."""
    base = defaults()
    kinds = list(chosen)
    if Delivery.DIGEST in chosen.values():
        kinds.append(Kind.DIGEST)  # choosing the digest again ends an unsubscribe from it
    db.session.execute(
        delete(Preference).where(Preference.user_id == user.id, Preference.kind.in_(kinds))
    )
    db.session.add_all(
        Preference(user_id=user.id, kind=kind, delivery=delivery)
        for kind, delivery in chosen.items()
        if delivery is not base[kind]
    )
    db.session.flush()


def save_defaults(chosen: Mapping[Kind, Delivery]) -> None:
    db.session.execute(
        delete(OrganisationDefault).where(OrganisationDefault.kind.in_(list(chosen)))
    )
    db.session.add_all(
        OrganisationDefault(kind=kind, delivery=delivery)
        for kind, delivery in chosen.items()
        if delivery is not DEFAULT
    )
    db.session.flush()


def turn_off(user_id: int, kind: Kind) -> None:
    """Stop e-mails of `kind` to this person. The digest: no more digests at all, and
    every kind it gathered stays in the app only."""
    if kind is Kind.DIGEST:
        user = db.session.get(User, user_id)
        kinds = [k for k, d in choices(user).items() if d is Delivery.DIGEST] if user else []
        kinds.append(Kind.DIGEST)
    else:
        kinds = [kind]
    for each in kinds:
        statement = upsert(Preference).values(user_id=user_id, kind=each, delivery=Delivery.OFF)
        db.session.execute(
            statement.on_conflict_do_update(
                index_elements=["user_id", "kind"], set_={"delivery": Delivery.OFF.value}
            )
        )


def suppress(address: str, kind: Kind) -> None:
    """Stop e-mails of `kind` to an address without an account."""
    suppress_hash(address_hash(address), kind)


def suppress_hash(digest: str, kind: Kind) -> None:
    statement = upsert(Suppression).values(address_hash=digest, kind=kind)
    db.session.execute(statement.on_conflict_do_nothing())


def suppressed(address: str, kind: Kind) -> bool:
    found = db.session.scalar(
        select(literal(1)).where(
            Suppression.address_hash == address_hash(address), Suppression.kind == kind
        )
    )
    return found is not None
