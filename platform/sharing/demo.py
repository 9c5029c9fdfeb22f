"""The demo catalogue's item chains and function groups: opening a business (开办企业) starts with the
多证合一 registration, whose business license the licensing items that follow need (and share its data)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tongban.configurator.publishing.models import Item
from tongban.platform.approval.actors import Actor
from tongban.platform.sharing.chains import define_group, relate
from tongban.platform.sharing.data_models import ItemRelation

REGISTRATION = "HN-SCJG-001"  # 企业设立登记（“多证合一”）: issues the business license
NEEDS_BUSINESS_LICENSE = ("HN-SCJG-003", "HN-SCJG-004")  # 食品经营许可, 药品经营许可证核发（零售）
SHARED_ELEMENTS = ["enterprise.name", "enterprise.uscc", "enterprise.legal_representative", "enterprise.address",
                   "enterprise.business_scope"]
SEEDER = Actor("system:seed", "演示数据", "system")


def seed_demo_chains(session: Session) -> int:
    """Relate the demo items that exist (once; a second run changes nothing); the relations created."""
    codes = {REGISTRATION, *NEEDS_BUSINESS_LICENSE}
    present = set(session.scalars(select(Item.code).where(Item.code.in_(codes))))
    if REGISTRATION not in present:
        return 0
    created = 0
    for after in NEEDS_BUSINESS_LICENSE:
        if after in present and session.scalar(select(ItemRelation.id).where(
                ItemRelation.before_item == REGISTRATION, ItemRelation.after_item == after)) is None:
            relate(session, REGISTRATION, after, requirement="license", license_type="business_license",
                   actor=SEEDER, note="开办企业：先取得营业执照")
            created += 1
    define_group(session, "open_business", name_zh="开办企业", name_en="Opening a business",
                 item_codes=sorted(present), element_codes=SHARED_ELEMENTS, actor=SEEDER)
    return created
