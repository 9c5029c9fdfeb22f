"""What the sharing center gives an applicant on an item's apply page, in one read: the e-licenses that can
stand in for materials (免收证照, or why the one held cannot), the form values known from base data and
earlier applications (with their source), and the item chain (what to apply for first)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from tongban.platform.sharing.chains import ChainResult, check_chain
from tongban.platform.sharing.dictionary import prefill_for
from tongban.platform.sharing.exemption import applicant_keys, offers
from tongban.platform.sharing.license_types import get_type


@dataclass(frozen=True)
class ApplicationAids:
    offers: dict[str, dict] = field(default_factory=dict)  # material id → offer (see exemption.offers)
    prefill: dict[str, dict] = field(default_factory=dict)  # form field → {value, source, ref, source_zh, source_en}
    chain: ChainResult | None = None

    @property
    def chain_missing(self) -> bool:
        return self.chain is not None and not self.chain.ok


def for_application(session: Session, applicant: Mapping, item_code: str, materials: list[dict],
                    form_schema: Mapping, *, on: date | None = None) -> ApplicationAids:
    """``materials``: the item's material specs (``id``, ``name``, ``satisfied_by_license_type``)."""
    subject = str(applicant.get("subject") or "")
    _subjects, ids = applicant_keys(dict(applicant))
    offered = offers(session, dict(applicant), materials, on=on)
    for offer in offered.values():
        ltype = get_type(session, offer["type"])
        offer["type_name"] = (ltype.name_zh, ltype.name_en) if ltype else None
    return ApplicationAids(offered, prefill_for(session, subject, form_schema, item_code=item_code, holder_ids=ids),
                           check_chain(session, subject, item_code, holder_ids=ids, on=on))
