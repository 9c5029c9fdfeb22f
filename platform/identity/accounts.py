"""Accounts: natural persons, enterprises (legal persons) with their agents, and staff."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError

from tongban.configurator.forms import resident_id
from tongban.platform.identity.common import InvalidInput, NotFound, audit, new_subject
from tongban.platform.identity.models import Account, Agent, Enterprise, Person, Staff
from tongban.platform.identity.passwords import Passwords, check_policy
from tongban.tenants.models import Tenant

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{2,79}$")
PHONE = re.compile(r"^1[3-9]\d{9}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AccountKind(str, enum.Enum):
    PERSON = "person"
    STAFF = "staff"


class UserType(str, enum.Enum):
    """Who a token speaks for: the ``user_type`` claim."""

    PERSON = "person"
    ENTERPRISE = "enterprise"
    STAFF = "staff"


class AssuranceLevel(enum.IntEnum):
    """Real-name assurance (实名等级)."""

    SELF_ASSERTED = 1  # 自行注册
    ID_VERIFIED = 2  # 身份证号与姓名核验一致
    IN_PERSON = 3  # 窗口当面核验或人脸识别

    @property
    def label(self) -> tuple[str, str]:
        return {
            1: ("自行注册", "self-asserted"),
            2: ("实名核验", "ID verified"),
            3: ("当面核验", "verified in person"),
        }[self.value]


def id_verified(person) -> bool:
    """Whether a person's resident ID is proved (实名核验 or in person), not merely typed at registration: only a
    proved ID may open the e-license library and the government's data held under it."""
    return person is not None and person.assurance_level >= AssuranceLevel.ID_VERIFIED


@dataclass(frozen=True)
class Contact:
    email: str | None = None
    phone: str | None = None


def normalise_username(username: str) -> str:
    return (username or "").strip().lower()


def validate_resident_id(number: str) -> str:
    try:
        return resident_id.validate(number)
    except ValidationError:
        raise InvalidInput("居民身份证号码无效", "Invalid resident ID number", field="id_number") from None


def validate_uscc(code: str) -> str:
    try:
        return uscc.validate(code)
    except ValidationError:
        raise InvalidInput(
            "统一社会信用代码无效", "Invalid unified social credit code", field="uscc"
        ) from None


TAKEN = "already_registered"  # the code of a refusal that tells an account exists (registration counts them)


def require_free_username(session: Session, username: str) -> str:
    """The normalised username, well formed and not taken (else InvalidInput on ``username``)."""
    username = normalise_username(username)
    if not USERNAME.match(username):
        raise InvalidInput(
            "用户名须为 3–80 位小写字母、数字或 . _ @ -",
            "A username has 3–80 lower-case letters, digits or . _ @ -",
            field="username",
        )
    if session.scalar(select(func.count()).select_from(Account).where(Account.username == username)):
        raise InvalidInput("该用户名已被使用", "This username is taken", field="username", code=TAKEN)
    return username


def require_unregistered_id(session: Session, id_number: str) -> str:
    """The compact resident ID, valid and not yet held by an account (else InvalidInput on ``id_number``)."""
    id_number = validate_resident_id(id_number)
    if session.scalar(select(func.count()).select_from(Person).where(Person.id_number == id_number)):
        raise InvalidInput("该身份证号码已注册，请直接登录或找回密码",
                           "This resident ID is already registered: sign in, or reset the password", field="id_number",
                           code=TAKEN)
    return id_number


def checked_contact(contact: Contact) -> Contact:
    """The contact normalised, or InvalidInput on ``email`` / ``phone``."""
    email = (contact.email or "").strip().lower() or None
    phone = (contact.phone or "").strip().replace(" ", "") or None
    if email and not EMAIL.match(email):
        raise InvalidInput("电子邮箱格式不正确", "Invalid email address", field="email")
    if phone and not PHONE.match(phone):
        raise InvalidInput("手机号码格式不正确，请填写 11 位手机号码", "Invalid mobile phone number: enter its 11 digits",
                           field="phone")
    return Contact(email, phone)


def _new_account(
    session: Session,
    passwords: Passwords,
    *,
    kind: AccountKind,
    username: str,
    password: str,
    display_name: str,
    contact: Contact,
) -> Account:
    username = require_free_username(session, username)
    check_policy(password, username=username)
    contact = checked_contact(contact)
    account = Account(
        subject=new_subject(),
        kind=kind.value,
        username=username,
        display_name=display_name,
        email=contact.email,
        phone=contact.phone,
        password_hash=passwords.hash(password),
    )
    session.add(account)
    session.flush()
    return account


def register_person(
    session: Session,
    passwords: Passwords,
    *,
    username: str,
    password: str,
    name: str,
    id_number: str,
    contact: Contact = Contact(),
    assurance: AssuranceLevel = AssuranceLevel.SELF_ASSERTED,
) -> Account:
    name = (name or "").strip()
    if not name:
        raise InvalidInput("请填写姓名", "Enter a name", field="name")
    id_number = require_unregistered_id(session, id_number)
    account = _new_account(
        session,
        passwords,
        kind=AccountKind.PERSON,
        username=username,
        password=password,
        display_name=name,
        contact=contact,
    )
    session.add(Person(account_id=account.id, name=name, id_number=id_number, assurance_level=int(assurance)))
    session.flush()
    return account


def register_staff(
    session: Session,
    passwords: Passwords,
    *,
    username: str,
    password: str,
    name: str,
    home_tenant_code: str,
    department: str = "",
    contact: Contact = Contact(),
) -> Account:
    if session.get(Tenant, home_tenant_code) is None:
        raise InvalidInput("所属区划不存在", "Unknown home tenant", field="home_tenant_code")
    account = _new_account(
        session,
        passwords,
        kind=AccountKind.STAFF,
        username=username,
        password=password,
        display_name=name,
        contact=contact,
    )
    session.add(
        Staff(account_id=account.id, name=name, home_tenant_code=home_tenant_code, department=department)
    )
    session.flush()
    return account


def register_enterprise(
    session: Session, *, name: str, uscc_code: str, legal_representative: str
) -> Enterprise:
    code = validate_uscc(uscc_code)
    if session.scalar(select(func.count()).select_from(Enterprise).where(Enterprise.uscc == code)):
        raise InvalidInput("该统一社会信用代码已登记", "This credit code is already registered", field="uscc")
    if not (name or "").strip() or not (legal_representative or "").strip():
        raise InvalidInput(
            "请填写企业名称和法定代表人", "Enter the name and the legal representative", field="name"
        )
    enterprise = Enterprise(
        subject=new_subject(), name=name.strip(), uscc=code, legal_representative=legal_representative.strip()
    )
    session.add(enterprise)
    session.flush()
    return enterprise


def add_agent(
    session: Session, enterprise: Enterprise, person: Account, *, actor: str, capacity: str = "agent"
) -> Agent:
    if person.kind != AccountKind.PERSON.value:
        raise InvalidInput("只有自然人可以作为企业经办人", "Only natural persons can act for an enterprise")
    agent = Agent(enterprise_id=enterprise.id, account_id=person.id, capacity=capacity)
    session.add(agent)
    audit(
        session,
        actor=actor,
        action="agent_added",
        target=person.subject,
        enterprise=enterprise.uscc,
        capacity=capacity,
    )
    session.flush()
    return agent


def by_username(session: Session, username: str) -> Account | None:
    return session.scalar(select(Account).where(Account.username == normalise_username(username)))


def by_subject(session: Session, subject: str) -> Account:
    account = session.scalar(select(Account).where(Account.subject == subject))
    if account is None:
        raise NotFound("账号不存在", "No such account")
    return account


def enterprises_of(session: Session, account_id: int) -> list[Enterprise]:
    """The enterprises a person may act for."""
    stmt = (
        select(Enterprise)
        .join(Agent, Agent.enterprise_id == Enterprise.id)
        .where(Agent.account_id == account_id)
        .order_by(Enterprise.name)
    )
    return list(session.scalars(stmt))


def may_act_for(session: Session, account_id: int, enterprise_id: int) -> bool:
    return session.get(Agent, (enterprise_id, account_id)) is not None


def requires_second_factor(session: Session, account: Account) -> bool:
    """Staff and anyone holding a role (administrators) must use TOTP."""
    from tongban.platform.identity.models import RoleGrant

    if account.kind == AccountKind.STAFF.value:
        return True
    return bool(
        session.scalar(select(func.count()).select_from(RoleGrant).where(RoleGrant.account_id == account.id))
    )
