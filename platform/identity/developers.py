"""Third-party developers' applications: register, list, rotate the secret (shown once), set where the app
is told that a user signed out (back-channel logout)."""

from __future__ import annotations

from dataclasses import dataclass

from tongban.platform.identity import sessions
from tongban.platform.identity.clients import (
    RESTRICTED_SCOPES,
    SCOPES,
    clients_of,
    register_client,
    rotate_secret,
    set_backchannel_logout,
)
from tongban.platform.identity.common import NotFound
from tongban.platform.identity.models import Account, Client
from tongban.platform.identity.service import IdentityService, SessionRequired

DEVELOPER_SCOPES = tuple(s for s in SCOPES if s not in RESTRICTED_SCOPES)


@dataclass(frozen=True)
class AppView:
    client_id: str
    name: str
    client_type: str
    redirect_uris: tuple[str, ...]
    scopes: tuple[str, ...]
    grant_types: tuple[str, ...]
    secret_rotated_at: object = None
    backchannel_logout_uri: str | None = None
    backchannel_logout_session_required: bool = False


def _view(client: Client) -> AppView:
    return AppView(
        client.client_id,
        client.name,
        client.client_type,
        tuple(client.redirect_uris),
        tuple(client.scope.split()),
        tuple(client.grant_types),
        client.secret_rotated_at,
        client.backchannel_logout_uri,
        client.backchannel_logout_session_required,
    )


def _owner(service: IdentityService, session, session_id: str | None) -> Account:
    row = sessions.load(session, session_id, service.now())
    if row is None:
        raise SessionRequired()
    return session.get(Account, row.account_id)


def _owned(session, owner: Account, client_id: str) -> Client:
    client = session.get(Client, client_id)
    if client is None or client.owner_account_id != owner.id:
        raise NotFound("应用不存在", "No such application")  # the same for "not yours"
    return client


def my_apps(service: IdentityService, session_id: str | None) -> list[AppView]:
    with service.unit() as session:
        return [_view(c) for c in clients_of(session, _owner(service, session, session_id))]


def app_detail(service: IdentityService, session_id: str | None, client_id: str) -> AppView:
    with service.unit() as session:
        return _view(_owned(session, _owner(service, session, session_id), client_id))


def register_app(
    service: IdentityService,
    session_id: str | None,
    *,
    name: str,
    redirect_uris: str,
    scopes: list[str],
    client_type: str,
    backchannel_logout_uri: str = "",
    backchannel_logout_session_required: bool = False,
) -> tuple[AppView, str | None]:
    with service.unit() as session:
        owner = _owner(service, session, session_id)
        client, secret = register_client(
            session,
            name=name,
            client_type=client_type,
            redirect_uris=redirect_uris.splitlines(),
            scope=" ".join(scopes),
            owner=owner,
            actor=owner.subject,
            backchannel_logout_uri=backchannel_logout_uri,
            backchannel_logout_session_required=backchannel_logout_session_required,
        )
        return _view(client), secret


def set_app_backchannel_logout(
    service: IdentityService, session_id: str | None, client_id: str, *, uri: str, session_required: bool
) -> AppView:
    with service.unit() as session:
        owner = _owner(service, session, session_id)
        client = _owned(session, owner, client_id)
        set_backchannel_logout(session, client, uri, session_required=session_required, actor=owner.subject)
        return _view(client)


def rotate_app_secret(service: IdentityService, session_id: str | None, client_id: str) -> str:
    with service.unit() as session:
        owner = _owner(service, session, session_id)
        return rotate_secret(
            session, _owned(session, owner, client_id), actor=owner.subject, now=service.now()
        )
