"""E-license queries, each one call to the sharing service:

* ``verifyLicense`` — public (扫码查验): anyone may check a number, within the per-address lookup limits
  (``platform.sharing.lookups``: each alias is one lookup), personal data masked;
* ``myLicenses`` — the holder's wallet (a person, or an agent acting for an enterprise) with its access log;
* ``sharedLicense`` / ``sharedLicenses`` / ``sharedBaseRecord`` — registered department systems
  (client credentials, ``licenses:read``): a purpose and a case of their tenant whose applicant is the
  holder; limited by the license types they may read and by a rate; every read logged for the holder.

"Not found" and "not yours" (another tenant's case, a holder who is not the case's applicant) are both null.
"""
from __future__ import annotations

import strawberry

from tongban.graphql.core.auth import LICENSES_READ, requires
from tongban.graphql.core.errors import ApiError, bad_input
from tongban.graphql.sharing.types import (
    BaseRecord,
    BaseRecordKind,
    LicenseVerification,
    SharedLicense,
    Wallet,
    shared_license_node,
    verification_node,
    wallet_node,
)
from tongban.platform.sharing.errors import Forbidden, NotFound, RateLimited, SharingError
from tongban.platform.sharing.service import sharing_for

FIELDS = {"purpose": "purpose", "case_ref": "caseRef"}
MAX_NUMBER = 80


def holder_of(principal) -> dict:
    """The wallet's owner as the sharing service names it: the acting enterprise, else the person."""
    if principal.acting is not None:
        return {"subject": principal.subject, "user_type": "enterprise", "uscc": principal.acting.uscc,
                "enterprise_sub": principal.acting.subject}
    return {"subject": principal.subject, "user_type": principal.user_type or "person"}


def refusal(error: SharingError) -> ApiError:
    """A sharing refusal as the caller must see it (NotFound is answered with null before this)."""
    if isinstance(error, RateLimited):
        return ApiError("RATE_LIMITED", error.zh, error.en, retryAfter=error.retry_after)
    if isinstance(error, Forbidden):
        return ApiError("FORBIDDEN", error.zh, error.en)
    return bad_input(error.zh, error.en, field=FIELDS.get(error.field or "", error.field))


def _department_read(info: strawberry.Info, read):
    service = sharing_for(info.context.app)
    try:
        return read(service, service.client_reader(info.context.principal))
    except NotFound:
        return None
    except SharingError as error:
        raise refusal(error) from None


@strawberry.type
class SharingQueries:
    @strawberry.field(extensions=requires(LICENSES_READ, anonymous=True),
                      description="扫码查验: a license's validity, status and signature, by number (public)")
    def verify_license(self, info: strawberry.Info, number: str) -> LicenseVerification:
        if not number.strip() or len(number) > MAX_NUMBER:
            raise bad_input("请填写证照编号", "give the license number", field="number")
        try:
            return verification_node(sharing_for(info.context.app).verify(number, address=info.context.address))
        except RateLimited as error:
            raise refusal(error) from None

    @strawberry.field(extensions=requires(LICENSES_READ, account=True),
                      description="我的证照: the signed-in holder's licenses and who read them, when and why")
    def my_licenses(self, info: strawberry.Info) -> Wallet:
        principal = info.context.principal
        _keys, entries, log = sharing_for(info.context.app).wallet(**holder_of(principal))
        return wallet_node(entries, log)

    @strawberry.field(extensions=requires(LICENSES_READ, client=True),
                      description="A department reads one license for a case of its tenant (logged; null when not "
                                  "found or the case's applicant does not hold it)")
    def shared_license(self, info: strawberry.Info, number: str, purpose: str, case_ref: str) -> SharedLicense | None:
        view = _department_read(info, lambda service, reader: service.read_license(
            reader, number, purpose=purpose, case_ref=case_ref))
        return shared_license_node(view) if view is not None else None

    @strawberry.field(extensions=requires(LICENSES_READ, client=True),
                      description="A department finds the case applicant's licenses of one type (each read logged)")
    def shared_licenses(self, info: strawberry.Info, type_code: str, purpose: str,
                        case_ref: str) -> list[SharedLicense]:
        views = _department_read(info, lambda service, reader: service.find_licenses(
            reader, type_code=type_code, purpose=purpose, case_ref=case_ref))
        return [shared_license_node(v) for v in views or []]

    @strawberry.field(extensions=requires(LICENSES_READ, client=True),
                      description="A department reads a base record of the case's applicant (logged; null otherwise)")
    def shared_base_record(self, info: strawberry.Info, kind: BaseRecordKind, key: str, purpose: str,
                           case_ref: str) -> BaseRecord | None:
        data = _department_read(info, lambda service, reader: service.read_base_record(
            reader, kind.value, key, purpose=purpose, case_ref=case_ref))
        return BaseRecord(kind=kind, key=key, data=data) if data is not None else None
