"""Who a token speaks for and what it says about them: one set of claims for id_token, userinfo, access.

The subject ``sub`` is always the signed-in account (a person's or staff member's stable id). When an
agent acts for an enterprise, ``user_type`` is ``enterprise``, ``name`` is the enterprise's name, and the
token carries its ``uscc``, its id (``enterprise_sub``) and the agent (``agent_name``); the acting subject
is fixed when the code is issued and carried unchanged through every refresh.

A person's resident ID (公民身份号码) is released as ``resident_id`` only with the ``identity:resident_id``
scope, which first-party clients hold and a third-party application only by an operator's grant; never
while the person acts for an enterprise (the token then speaks for the enterprise).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from tongban.platform.identity.accounts import AccountKind, UserType, id_verified
from tongban.platform.identity.common import epoch
from tongban.platform.identity.grants import grants_of
from tongban.platform.identity.models import Account, Enterprise, Person

RESIDENT_ID_SCOPE = "identity:resident_id"


@dataclass(frozen=True)
class AuthorizedSubject:
    """The resource owner as authlib's grants carry it (``request.user``)."""

    account_id: int
    subject: str
    acting_enterprise_id: int | None
    session_id: str | None
    auth_time: datetime
    amr: tuple[str, ...] = ()
    family: str | None = None  # the token family it will join (a code's hash, or a refresh chain's)
    extra: dict = field(default_factory=dict, compare=False)

    def get_user_id(self) -> str:
        return self.subject


def acting_enterprise(session: Session, subject: AuthorizedSubject) -> Enterprise | None:
    if subject.acting_enterprise_id is None:
        return None
    return session.get(Enterprise, subject.acting_enterprise_id)


def identity_claims(session: Session, subject: AuthorizedSubject, scope: str) -> dict:
    """Claims about the subject allowed by ``scope`` (profile, email, phone)."""
    account = session.get(Account, subject.account_id)
    scopes = set(scope.split())
    claims: dict = {"sub": account.subject}
    enterprise = acting_enterprise(session, subject)
    if "profile" in scopes:
        claims.update(_profile(session, account, enterprise))
    if "email" in scopes and account.email:
        claims.update(email=account.email, email_verified=False)
    if "phone" in scopes and account.phone:
        claims.update(phone_number=account.phone, phone_number_verified=False)
    if RESIDENT_ID_SCOPE in scopes and enterprise is None:
        claims.update(_resident_id(session, account))
    return claims


def _resident_id(session: Session, account: Account) -> dict:
    person = session.get(Person, account.id) if account.kind != AccountKind.STAFF.value else None
    if person is None or not person.id_number:
        return {}
    return {"resident_id": person.id_number, "resident_id_verified": id_verified(person)}


def _profile(session: Session, account: Account, enterprise: Enterprise | None) -> dict:
    if enterprise is not None:
        return {
            "user_type": UserType.ENTERPRISE.value,
            "name": enterprise.name,
            "uscc": enterprise.uscc,
            "enterprise_sub": enterprise.subject,
            "legal_representative": enterprise.legal_representative,
            "agent_name": account.display_name,
            "preferred_username": account.username,
        }
    profile = {"name": account.display_name, "preferred_username": account.username}
    if account.kind == AccountKind.STAFF.value:
        staff = account.staff
        profile.update(
            user_type=UserType.STAFF.value,
            home_tenant=staff.home_tenant_code,
            department=staff.department,
            tenant_roles=[g.as_claim() for g in grants_of(session, account.id)],
        )
    else:
        person = session.get(Person, account.id)
        profile.update(
            user_type=UserType.PERSON.value, assurance_level=person.assurance_level if person else 1
        )
    return profile


def access_claims(session: Session, subject: AuthorizedSubject) -> dict:
    """What an API needs to decide without a lookup: user type, acting enterprise, tenant roles."""
    account = session.get(Account, subject.account_id)
    enterprise = acting_enterprise(session, subject)
    claims: dict = {"auth_time": epoch(subject.auth_time)}
    if enterprise is not None:
        claims.update(
            user_type=UserType.ENTERPRISE.value, uscc=enterprise.uscc, enterprise_sub=enterprise.subject
        )
    elif account.kind == AccountKind.STAFF.value:
        claims.update(
            user_type=UserType.STAFF.value, roles=[g.as_claim() for g in grants_of(session, account.id)]
        )
    else:
        claims.update(user_type=UserType.PERSON.value)
    return claims
