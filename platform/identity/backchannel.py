"""OpenID Connect Back-Channel Logout 1.0 for registered clients (portals outside this database).

First-party rooms share the database and end their sessions in place (``rp_store.end_bound_to``). A client
that registered a ``backchannel_logout_uri`` is told instead: when a provider session ends, every such client
that received tokens under it (``IssuedToken.session_id``) is owed one Logout Token. The debt is written in the
same transaction as the sign-out (``LogoutDelivery``, the outbox pattern) and paid after commit by
``logout_delivery``; a sign-out that rolls back owes nothing.

The token (§2.4): ``iss``, ``aud`` (the client), ``iat``, a short ``exp``, ``jti``, ``sub`` and ``sid`` (the same
values as in the client's id tokens), the back-channel logout event, never a ``nonce``; typed ``logout+jwt``
and signed with the provider's active key, whose public half is in the JWKS.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tongban.platform.identity.common import epoch, new_token
from tongban.platform.identity.keys import active_key
from tongban.platform.identity.models import Account, Client, IssuedToken, LogoutDelivery
from tongban.platform.identity.tokens import sign

EVENT = "http://schemas.openid.net/event/backchannel-logout"
TOKEN_TYPE = "logout+jwt"
TOKEN_TTL = timedelta(minutes=2)
PENDING_KEY = "logout_deliveries_pending"


def owe_logouts(session: Session, ended: Iterable[str], *, sid_of) -> int:
    """Record a Logout Token owed to each client with a back-channel URI that got tokens under these sessions
    (provider session ids). ``sid_of`` maps a session id to its ``sid`` claim. Returns how many are owed."""
    by_id = set(ended)
    if not by_id:
        return 0
    rows = session.execute(
        select(IssuedToken.session_id, IssuedToken.client_id, IssuedToken.issuer,
               Client.backchannel_logout_uri, Account.subject)
        .join(Client, Client.client_id == IssuedToken.client_id)
        .join(Account, Account.id == IssuedToken.account_id)
        .where(IssuedToken.session_id.in_(by_id), Client.backchannel_logout_uri.is_not(None),
               Client.status == "active")
        .order_by(IssuedToken.issued_at)
    ).all()
    owed: dict[tuple[str, str], LogoutDelivery] = {}
    for session_id, client_id, issuer, uri, subject in rows:  # one per (session, client): the latest issuer
        owed[(session_id, client_id)] = LogoutDelivery(
            client_id=client_id, uri=uri, issuer=issuer, subject=subject,
            sid=sid_of(session_id),
        )
    session.add_all(owed.values())
    session.info.setdefault(PENDING_KEY, []).extend(owed.values())
    return len(owed)


def logout_token(session: Session, delivery: LogoutDelivery, now: datetime, *, issuer: str) -> str:
    """The signed Logout Token for one delivery (a fresh ``jti``, ``iat`` and ``exp`` at each attempt)."""
    claims = {
        "iss": issuer,
        "aud": delivery.client_id,
        "iat": epoch(now),
        "exp": epoch(now + TOKEN_TTL),
        "jti": new_token(16),
        "events": {EVENT: {}},
    }
    if delivery.subject:
        claims["sub"] = delivery.subject
    if delivery.sid:
        claims["sid"] = delivery.sid
    return sign(claims, active_key(session, now), typ=TOKEN_TYPE)
