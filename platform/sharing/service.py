"""The sharing center's front door: one unit of work per call, opened in the scope the call needs and says why.

The library and base data are provincial, so reads that must see cases anywhere in the province (the
department API, chain checks from the portal) run in a system scope with a recorded reason; the domain
functions are what limit them.
"""
from __future__ import annotations

from datetime import date, datetime

from tongban.platform.db import utcnow
from tongban.platform.sharing import (
    aids,
    api,
    chains,
    clients,
    dictionary,
    documents,
    importing,
    keys,
    library,
    license_types,
    verification,
    wallet,
)
from tongban.platform.sharing.chains import ChainResult
from tongban.platform.sharing.clients import Reader
from tongban.tenants.isolation import TenantContext


class SharingService:
    def __init__(self, database, *, secret_key: str) -> None:
        self.database = database
        self.secret_key = secret_key

    def _unit(self, reason: str):
        return self.database.unit_of_work(TenantContext.system(f"sharing: {reason}"))

    def seed(self) -> dict:
        with self._unit("seed license types and data elements") as session:
            return {"license_types": license_types.seed_license_types(session),
                    "data_elements": dictionary.seed_data_elements(session)}

    def seed_demo(self) -> int:
        """The demo catalogue's item chains and function groups (after the demo cases, which predate them)."""
        from tongban.platform.sharing.demo import seed_demo_chains

        with self._unit("seed demo item chains") as session:
            return seed_demo_chains(session)

    # --- public verification -------------------------------------------------------------------------
    def verify(self, number: str, *, address: str, now: datetime | None = None,
               on: date | None = None) -> verification.Verification:
        """扫码查验 by anyone at ``address`` (its lookups counted; ``RateLimited`` over the limits): the public view."""
        with self._unit("public verification") as session:
            return verification.public_verification(session, number, address=address, now=now or utcnow(), on=on)

    # --- the holder -------------------------------------------------------------------------------------
    def wallet(self, **who) -> tuple[wallet.HolderKeys, list[wallet.WalletEntry], list]:
        with self._unit("holder's wallet") as session:
            keys_ = wallet.holder_keys(session, **who)
            entries = wallet.entries(session, keys_)
            log = wallet.access_log(session, keys_, tuple(e.license.number for e in entries))
            return keys_, entries, log

    def holder_pdf(self, number: str, *, public_url: str, **who) -> bytes:
        with self._unit("holder's PDF") as session:
            row = wallet.own_license(session, wallet.holder_keys(session, **who), number)
            document = documents.render(session, row, public_url=public_url)
        return document.pdf()

    # --- departments --------------------------------------------------------------------------------------
    def import_licenses(self, principal, records, *, now: datetime | None = None) -> dict:
        with self._unit(f"import by {principal.client_id}") as session:
            client = clients.client_of(session, principal)
            return importing.import_licenses(session, client, records, self.secret_key, now=now)

    def client_reader(self, principal) -> Reader:
        with self._unit("reader lookup") as session:
            return clients.reader_for_client(session, clients.client_of(session, principal))

    def read_license(self, reader: Reader, number: str, *, purpose: str, case_ref: str) -> dict:
        with self._unit(f"{reader.accessor.subject} reads {number} for {case_ref}") as session:
            return api.read_license(session, reader, number, purpose=purpose, case_ref=case_ref)

    def find_licenses(self, reader: Reader, *, type_code: str, purpose: str, case_ref: str) -> list[dict]:
        with self._unit(f"{reader.accessor.subject} finds {type_code} for {case_ref}") as session:
            return api.find_licenses(session, reader, type_code=type_code, purpose=purpose, case_ref=case_ref)

    def read_base_record(self, reader: Reader, kind: str, key: str, *, purpose: str, case_ref: str) -> dict:
        with self._unit(f"{reader.accessor.subject} reads {kind} for {case_ref}") as session:
            return api.read_base_record(session, reader, kind, key, purpose=purpose, case_ref=case_ref)

    # --- administration --------------------------------------------------------------------------------------
    def rotate_key(self, tenant_code: str) -> str:
        with self._unit(f"rotate key of {tenant_code}") as session:
            return keys.rotate(session, tenant_code, self.secret_key).kid

    def change_status(self, number: str, change: str, *, reason: str, actor) -> str:
        with self._unit(f"{change} {number}") as session:
            return library.change_status(session, number, change, reason=reason, actor=actor).status

    # --- the portal --------------------------------------------------------------------------------------------
    def check_chain(self, applicant_subject: str, item_code: str, *, holder_ids: tuple[str, ...] = ()) -> ChainResult:
        with self._unit(f"chain check of {item_code} for {applicant_subject}") as session:
            return chains.check_chain(session, applicant_subject, item_code, holder_ids=holder_ids)

    def application_aids(self, applicant: dict, item_code: str, materials: list[dict], form_schema: dict
                         ) -> aids.ApplicationAids:
        """Everything the apply page offers from the sharing center (licenses, prefill, chain) in one read."""
        with self._unit(f"apply page of {item_code} for {applicant.get('subject')}") as session:
            return aids.for_application(session, applicant, item_code, materials, form_schema)

    def prefill(self, applicant_subject: str, form_schema: dict, *, item_code: str | None = None,
                holder_ids: tuple[str, ...] = ()) -> dict:
        with self._unit(f"prefill {item_code} for {applicant_subject}") as session:
            return dictionary.prefill_for(session, applicant_subject, form_schema, item_code=item_code,
                                          holder_ids=holder_ids)


def sharing_for(app) -> SharingService:
    """The app's sharing service, built on first use (the lead may build it in create_app instead)."""
    service = getattr(app.state, "sharing", None)
    if service is None:
        service = SharingService(app.state.database, secret_key=app.state.settings.secret_key)
        app.state.sharing = service
    return service
