"""Self-registration of a natural person (个人用户注册): the province's one account for every portal.

Every field is checked and every problem told at once (one round, not one per submit), each on its field in
Chinese and English; nothing is written unless all pass. The account starts at the self-asserted level
(自行注册): what a case needs beyond that (实名核验, 当面核验) is raised where it is verified, and until then
the ID it typed opens no licenses or data (``sharing.exemption.applicant_keys``). Registrations — and tries
that learn a username or an ID number is taken — are counted per client address, like failed sign-ins, so the
page cannot be used to mass-create accounts or to sweep ID numbers.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from tongban.platform.identity import throttle
from tongban.platform.identity.accounts import (TAKEN, AssuranceLevel, Contact, checked_contact, normalise_username,
                                                register_person, require_free_username, require_unregistered_id)
from tongban.platform.identity.common import IdentityError, InvalidInput, audit
from tongban.platform.identity.models import Account
from tongban.platform.identity.passwords import Passwords, check_policy

POLICY = throttle.ThrottlePolicy(address_failures=10, window=timedelta(hours=1), lockout=timedelta(hours=1))


class RegistrationInvalid(IdentityError):
    """Several fields wrong: ``problems`` holds each (field, zh, en)."""

    code = "registration_invalid"

    def __init__(self, problems: list[InvalidInput]) -> None:
        super().__init__("请按提示修改", "Please correct the highlighted fields")
        self.problems = problems


class RegistrationThrottled(IdentityError):
    code = "too_many_registrations"


@dataclass(frozen=True)
class Registration:
    username: str
    password: str
    confirm: str
    name: str
    id_number: str
    phone: str
    email: str = ""
    agreed: bool = False


@dataclass(frozen=True)
class Outcome:
    """The new account, or the refusal the caller raises once the transaction (with its count) has committed."""
    account: Account | None = None
    refusal: IdentityError | None = None


def register(session: Session, passwords: Passwords, form: Registration, *, address: str, now: datetime) -> Outcome:
    key = "r:" + (address or "unknown")[:60]
    if throttle.locked_until(session, [key], now) is not None:
        return Outcome(refusal=_throttled())
    problems = problems_of(session, form)
    if problems:
        if any(p.code == TAKEN for p in problems):  # it told whether an account exists: counted like a registration
            if throttle.record_failure(session, key, POLICY.address_failures, POLICY, now):
                audit(session, actor=address or "unknown", action="registration_locked", at=now, address=address)
        return Outcome(refusal=RegistrationInvalid(problems))
    account = register_person(session, passwords, username=form.username, password=form.password, name=form.name,
                              id_number=form.id_number, contact=Contact(form.email or None, form.phone),
                              assurance=AssuranceLevel.SELF_ASSERTED)
    throttle.record_failure(session, key, POLICY.address_failures, POLICY, now)  # counts registrations here
    audit(session, actor=account.subject, action="registered", target=account.subject, at=now,
          username=account.username)
    return Outcome(account=account)


def _throttled() -> RegistrationThrottled:
    return RegistrationThrottled("注册过于频繁，请一小时后再试", "Too many registrations from here; try again in an hour")


def problems_of(session: Session, form: Registration) -> list[InvalidInput]:
    """Every field's problem (the same rules ``register_person`` enforces, each checked on its own)."""
    problems: list[InvalidInput] = []

    def check(rule) -> None:
        try:
            rule()
        except InvalidInput as problem:
            problems.append(problem)

    username = normalise_username(form.username)
    check(lambda: require_free_username(session, username))
    check(lambda: _name(form.name))
    if not form.id_number.strip():
        problems.append(InvalidInput("请填写居民身份证号码", "Enter your resident ID number", field="id_number"))
    else:
        check(lambda: require_unregistered_id(session, form.id_number.strip()))
    if not form.phone.strip():
        problems.append(InvalidInput("请填写 11 位手机号码", "Enter an 11-digit mobile number", field="phone"))
    else:
        check(lambda: checked_contact(Contact(None, form.phone)))
    check(lambda: checked_contact(Contact(form.email or None, None)))
    check(lambda: check_policy(form.password, username=username))
    if form.password != form.confirm:
        problems.append(InvalidInput("两次输入的密码不一致", "The passwords do not match", field="confirm"))
    if not form.agreed:
        problems.append(InvalidInput("请阅读并同意用户服务协议和隐私政策", "Read and accept the terms and the privacy policy",
                                     field="agreed"))
    return problems


def _name(name: str) -> None:
    if not name.strip():
        raise InvalidInput("请填写姓名", "Enter your name", field="name")
    if len(name.strip()) > 50:
        raise InvalidInput("姓名不能超过 50 个字", "A name has at most 50 characters", field="name")
