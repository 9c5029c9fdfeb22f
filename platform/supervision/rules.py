"""The supervision rules: defaults, versioned edits by province admins (audited), and the rules in force.

Every time rule is counted in working days on the platform calendar with pauses excluded. Thresholds are
offsets from a limit: the warning fires ``threshold`` working days *before* the promised limit, the yellow
card once the promised limit is exceeded by ``threshold`` working days, and so on (see ``timing``).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tongban.platform import audit
from tongban.platform.db import utcnow
from tongban.platform.supervision.errors import SupervisionError
from tongban.platform.supervision.models import SEVERITIES, SupervisionRule


@dataclass(frozen=True)
class Rule:
    code: str
    name_zh: str
    name_en: str
    severity: str
    threshold_days: int
    auto_issue: bool
    enabled: bool = True
    params: dict = field(default_factory=dict)
    version: int = 1


DEFAULTS: tuple[Rule, ...] = (
    Rule("case_warning", "承诺时限预警", "Case due soon (promised limit)", "warning", 2, True),
    Rule("case_yellow", "超承诺时限黄牌", "Past the promised limit", "yellow", 1, True),
    Rule("case_red", "超法定时限红牌", "Past the legal limit", "red", 1, False),
    Rule("node_overdue", "环节超时", "A step over its own limit", "warning", 0, True),
    Rule("special_overrun", "特别程序超期", "Special procedure over its approved days", "yellow", 0, False,
         params={"kinds": ["hearing", "testing", "expert_review"]}),
    Rule("report_up_late", "初审上报超时", "First review sent up late", "yellow", 20, True),
    Rule("supplement_repeated", "多次要求补正（未一次性告知）", "Supplements requested more than once", "yellow", 0,
         False),
    Rule("refusal_without_reason", "不予受理未说明理由", "Refused without a reason", "red", 0, False),
    Rule("fee_differs", "收费与标准不符", "Fee differs from the standard", "yellow", 0, False),
    Rule("offline_for_online_item", "必须网办事项线下办理", "Online-only item handled offline", "yellow", 0, False),
    Rule("license_late", "电子证照未按时出具", "E-license not issued in time", "yellow", 10, True),
    Rule("rating_rectification_overdue", "差评整改超期", "Bad-rating rectification overdue", "yellow", 5, True),
    Rule("petition_warning", "咨询投诉答复预警", "Petition answer due soon", "warning", 2, True,
         params={"limit_days": {"consultation": 5, "complaint": 15}}),
    Rule("petition_yellow", "咨询投诉答复超时黄牌", "Petition answer late", "yellow", 1, True),
    Rule("petition_red", "咨询投诉答复严重超时红牌", "Petition answer seriously late", "red", 2, False),
    Rule("supervision_unanswered", "督办逾期未反馈", "督办 unanswered past its deadline", "red", 0, True),
)
EDITABLE = ("name_zh", "name_en", "severity", "threshold_days", "auto_issue", "enabled", "params")
PROVINCE_PATH = "/46/"


def ensure_default_rules(session: Session, *, actor: str = "system:seed") -> int:
    """Add every default rule not yet present (safe to run twice, and by two workers at once)."""
    from sqlalchemy.dialects import postgresql, sqlite

    present = set(session.scalars(select(SupervisionRule.code)))
    rows = [_values(rule, version=1, actor=actor) for rule in DEFAULTS if rule.code not in present]
    if rows:
        insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
        session.execute(insert(SupervisionRule).values(rows).on_conflict_do_nothing(index_elements=["code", "version"]))
    return len(rows)


def current_rules(session: Session) -> dict[str, Rule]:
    """The rules in force (defaults seeded first if the table is empty)."""
    rows = list(session.scalars(select(SupervisionRule).where(SupervisionRule.current.is_(True))))
    if not rows:
        ensure_default_rules(session)
        rows = list(session.scalars(select(SupervisionRule).where(SupervisionRule.current.is_(True))))
    return {r.code: _rule(r) for r in rows}


def update_rule(session: Session, code: str, changes: dict, *, actor) -> Rule:
    """A new version of ``code`` with ``changes``; the old version stays on file. Province admins only."""
    require_province_admin(actor)
    rules = current_rules(session)
    if code not in rules:
        raise SupervisionError("rule_not_found", f"没有监察规则 {code}", f"no rule {code!r}", field="code")
    _check(changes)
    before = rules[code]
    after = replace(before, **{k: v for k, v in changes.items() if k in EDITABLE}, version=before.version + 1)
    session.execute(update(SupervisionRule).where(SupervisionRule.code == code, SupervisionRule.current.is_(True))
                    .values(current=False))
    session.add(_row(after, version=after.version, actor=actor.subject))
    audit.record(session, tenant_id="46", actor=actor.subject, action="update_rule", entity="supervision_rule",
                 entity_key=code, before=_public(before), after=_public(after))
    session.flush()
    return after


def require_province_admin(actor) -> None:
    if actor.kind != "system" and not actor.has_role("province_admin", PROVINCE_PATH):
        raise SupervisionError("forbidden", "只有省级管理员可以修改监察配置", "only province admins change supervision settings")


def rule_history(session: Session, code: str) -> list[Rule]:
    rows = session.scalars(select(SupervisionRule).where(SupervisionRule.code == code).order_by(SupervisionRule.version))
    return [_rule(r) for r in rows]


def _check(changes: dict) -> None:
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise SupervisionError("not_editable", f"不能修改字段 {unknown[0]}", f"{unknown[0]} cannot be edited",
                               field=unknown[0])
    if "severity" in changes and changes["severity"] not in SEVERITIES:
        raise SupervisionError("bad_severity", "级别应为预警、黄牌或红牌", "severity is warning, yellow or red",
                               field="severity")
    days = changes.get("threshold_days", 0)
    if not isinstance(days, int) or isinstance(days, bool) or days < 0 or days > 365:
        raise SupervisionError("bad_threshold", "阈值应为 0 至 365 的整数工作日", "threshold is 0 to 365 working days",
                               field="threshold_days")
    for flag in ("auto_issue", "enabled"):
        if flag in changes and not isinstance(changes[flag], bool):
            raise SupervisionError("bad_flag", f"{flag} 应为是或否", f"{flag} is true or false", field=flag)


def _values(rule: Rule, *, version: int, actor: str) -> dict:
    return {"code": rule.code, "version": version, "current": True, "name_zh": rule.name_zh, "name_en": rule.name_en,
            "severity": rule.severity, "threshold_days": rule.threshold_days, "auto_issue": rule.auto_issue,
            "enabled": rule.enabled, "params": dict(rule.params), "changed_by": actor, "changed_at": utcnow()}


def _row(rule: Rule, *, version: int, actor: str) -> SupervisionRule:
    return SupervisionRule(**_values(rule, version=version, actor=actor))


def _rule(row: SupervisionRule) -> Rule:
    return Rule(row.code, row.name_zh, row.name_en, row.severity, row.threshold_days, row.auto_issue, row.enabled,
                dict(row.params or {}), row.version)


def _public(rule: Rule) -> dict:
    return {k: getattr(rule, k) for k in EDITABLE}
