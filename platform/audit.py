"""The configuration audit log: who changed what, when, with the difference (configurator, identity, themes)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from tongban.platform.db import Base, utcnow
from tongban.tenants.isolation import TenantOwned


class ConfigChange(TenantOwned, Base):
    __tablename__ = "config_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(60))
    entity_key: Mapped[str] = mapped_column(String(120))
    diff: Mapped[dict] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_config_changes_entity", "tenant_id", "entity", "entity_key"),)


def record(session: Session, *, tenant_id: str, actor: str, action: str, entity: str, entity_key: str,
           before=None, after=None, extra: dict | None = None) -> ConfigChange:
    change = ConfigChange(tenant_id=tenant_id, actor=actor, action=action, entity=entity,
                          entity_key=str(entity_key), diff={**diff(before, after), **(extra or {})})
    session.add(change)
    return change


def diff(before, after, path: str = "") -> dict:
    """A flat {path: [before, after]} of what changed between two JSON values."""
    if isinstance(before, dict) and isinstance(after, dict):
        out = {}
        for key in sorted(set(before) | set(after), key=str):
            out.update(diff(before.get(key), after.get(key), f"{path}.{key}" if path else str(key)))
        return out
    if before == after:
        return {}
    return {path or "value": [before, after]}


def history(session: Session, entity: str, entity_key: str) -> list[ConfigChange]:
    stmt = (select(ConfigChange).where(ConfigChange.entity == entity, ConfigChange.entity_key == str(entity_key))
            .order_by(ConfigChange.id))
    return list(session.scalars(stmt))
