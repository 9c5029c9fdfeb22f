"""Item chains (协同串): 前置/后置 relations between items and function groups (职能群), set by province
admins; cycles are refused on save; applying for an item checks its chain first and names the path."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tongban.configurator.publishing.models import Item, ItemVersion
from tongban.platform.approval.models import Case
from tongban.platform.db import utcnow
from tongban.platform.sharing.data_models import FunctionGroup, ItemRelation
from tongban.platform.sharing.errors import Forbidden, Invalid, problem
from tongban.platform.sharing.library import held_by
from tongban.platform.sharing.license_types import get_type, is_province_admin
from tongban.platform.sharing.verification import check_license

REQUIREMENTS = {"case": ("办结", "a concluded case"), "license": ("取得证照", "a license")}


@dataclass(frozen=True)
class ChainStep:
    item_code: str
    item_name: str
    requirement: str  # case | license
    license_type: str | None = None
    license_name: str | None = None
    satisfied_by: str | None = None  # the license or case number that satisfies it

    @property
    def zh(self) -> str:
        if self.requirement == "license":
            return f"请先申请“{self.item_name}”并取得{self.license_name}"
        return f"请先申请“{self.item_name}”并办结"

    @property
    def en(self) -> str:
        what = f"obtain the {self.license_type}" if self.requirement == "license" else "have it concluded"
        return f"first apply for {self.item_code} ({self.item_name}) and {what}"


@dataclass(frozen=True)
class ChainResult:
    item_code: str
    satisfied: list[ChainStep] = field(default_factory=list)
    missing: list[ChainStep] = field(default_factory=list)  # direct prerequisites not met
    path: list[ChainStep] = field(default_factory=list)  # what to apply for, in order (deepest first)

    @property
    def ok(self) -> bool:
        return not self.missing

    def errors(self) -> list[dict]:
        return [problem("item", "chain_missing", s.zh, s.en) for s in self.path]


def relate(session: Session, before_item: str, after_item: str, *, requirement: str, actor,
           license_type: str | None = None, note: str = "") -> ItemRelation:
    """``after_item`` needs ``before_item``'s result. Refused whole (field-level) when it would close a cycle."""
    _require_admin(actor)
    errors = _check_relation(session, before_item, after_item, requirement, license_type)
    if not errors and _reaches(session, after_item, before_item):
        errors.append(problem("before_item", "cycle", f"“{after_item}”已经（间接）是“{before_item}”的前置事项，不能形成循环",
                              f"{after_item} already leads to {before_item}: this would make a cycle"))
    if errors:
        raise Invalid(errors)
    row = session.scalar(select(ItemRelation).where(ItemRelation.before_item == before_item,
                                                   ItemRelation.after_item == after_item))
    row = row or ItemRelation(before_item=before_item, after_item=after_item, created_by=_who(actor))
    row.requirement, row.license_type, row.note = requirement, license_type if requirement == "license" else None, note
    session.add(row)
    session.flush()
    return row


def unrelate(session: Session, before_item: str, after_item: str, *, actor) -> None:
    _require_admin(actor)
    session.execute(delete(ItemRelation).where(ItemRelation.before_item == before_item,
                                               ItemRelation.after_item == after_item))


def _check_relation(session, before_item, after_item, requirement, license_type) -> list[dict]:
    errors = []
    known = set(session.scalars(select(Item.code).where(Item.code.in_([before_item, after_item]))))
    for name, code in (("before_item", before_item), ("after_item", after_item)):
        if code not in known:
            errors.append(problem(name, "unknown_item", f"没有事项“{code}”", f"no item {code}"))
    if before_item == after_item:
        errors.append(problem("before_item", "cycle", "事项不能是自己的前置事项", "an item cannot precede itself"))
    if requirement not in REQUIREMENTS:
        errors.append(problem("requirement", "invalid", "前置条件应为办结（case）或证照（license）",
                              "requirement is case or license"))
    elif requirement == "license" and (not license_type or get_type(session, license_type) is None):
        errors.append(problem("license_type", "unknown_type", "请选择已配置的证照类型", "choose a configured license type"))
    return errors


def _reaches(session: Session, start: str, goal: str) -> bool:
    """Is ``goal`` a (transitive) successor of ``start``?"""
    edges: dict[str, list[str]] = {}
    for before, after in session.execute(select(ItemRelation.before_item, ItemRelation.after_item)):
        edges.setdefault(before, []).append(after)
    seen, todo = set(), [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        if node not in seen:
            seen.add(node)
            todo.extend(edges.get(node, ()))
    return False


def define_group(session: Session, code: str, *, name_zh: str, name_en: str, item_codes: list[str],
                 element_codes: list[str], actor) -> FunctionGroup:
    _require_admin(actor)
    errors = []
    if not code.strip() or not name_zh.strip():
        errors.append(problem("code" if not code.strip() else "name_zh", "required", "请填写编码和名称",
                              "enter the code and the name"))
    known = set(session.scalars(select(Item.code).where(Item.code.in_(item_codes))))
    for i, item in enumerate(item_codes):
        if item not in known:
            errors.append(problem(f"item_codes[{i}]", "unknown_item", f"没有事项“{item}”", f"no item {item}"))
    if errors:
        raise Invalid(errors)
    row = session.get(FunctionGroup, code) or FunctionGroup(code=code)
    row.name_zh, row.name_en, row.item_codes, row.element_codes = name_zh, name_en, list(item_codes), list(element_codes)
    row.updated_by, row.updated_at = _who(actor), utcnow()
    session.add(row)
    session.flush()
    return row


def groups_of(session: Session, item_code: str) -> list[FunctionGroup]:
    return [g for g in session.scalars(select(FunctionGroup).order_by(FunctionGroup.code)) if item_code in g.item_codes]


def prerequisites(session: Session, item_code: str) -> list[ItemRelation]:
    return list(session.scalars(select(ItemRelation).where(ItemRelation.after_item == item_code)
                                .order_by(ItemRelation.id)))


def check_chain(session: Session, applicant_subject: str, item_code: str, *, holder_ids: tuple[str, ...] = (),
                on: date | None = None, has_prerequisites: bool | None = None) -> ChainResult:
    """What ``item_code`` needs first and whether the applicant has it. Concluded cases count as far as the
    session sees them (a province-wide look needs a system-scoped unit of work); licenses count anywhere.
    ``has_prerequisites=False``: the caller read in this transaction that the item has none (nothing to walk)."""
    satisfied, missing, path = [], [], []
    if has_prerequisites is False:
        return ChainResult(item_code, satisfied, missing, path)
    _walk(session, applicant_subject, holder_ids, item_code, on, satisfied, missing, path, set(), top=True)
    return ChainResult(item_code, satisfied, missing, path)


def _walk(session, subject, ids, item_code, on, satisfied, missing, path, seen, *, top: bool) -> None:
    relations = prerequisites(session, item_code)
    names = item_names(session, [r.before_item for r in relations]) if relations else {}
    for relation in relations:
        step = _step(session, relation, names, subject, ids, on)
        if step.satisfied_by:
            if top:
                satisfied.append(step)
            continue
        if top:
            missing.append(step)
        if relation.before_item not in seen:
            seen.add(relation.before_item)
            _walk(session, subject, ids, relation.before_item, on, [], [], path, seen, top=False)
            path.append(step)


def _step(session, relation: ItemRelation, names: dict, subject, ids, on) -> ChainStep:
    ltype = get_type(session, relation.license_type) if relation.license_type else None
    found = (_license_held(session, subject, ids, relation.license_type, on) if relation.requirement == "license"
             else _case_concluded(session, subject, relation.before_item))
    return ChainStep(relation.before_item, names.get(relation.before_item, relation.before_item), relation.requirement,
                     relation.license_type, ltype.name_zh if ltype else relation.license_type, found)


def _license_held(session, subject: str, ids: tuple[str, ...], type_code: str, on) -> str | None:
    for row in held_by(session, subjects=(subject,), ids=ids, type_code=type_code):
        if check_license(session, row, on=on).ok:
            return row.number
    return None


def _case_concluded(session, subject: str, item_code: str) -> str | None:
    return session.scalar(select(Case.number).where(Case.applicant_subject == subject, Case.item_code == item_code,
                                                    Case.state == "concluded", Case.result == "approved")
                          .order_by(Case.concluded_at.desc()).limit(1))


def item_names(session: Session, codes) -> dict[str, str]:
    """Each item's name, from its newest version."""
    codes = sorted(set(codes))
    if not codes:
        return {}
    stmt = (select(Item.code, ItemVersion.name).join(ItemVersion, ItemVersion.item_id == Item.id)
            .where(Item.code.in_(codes)).order_by(ItemVersion.version_no))
    return {code: name for code, name in session.execute(stmt)}


def _require_admin(actor) -> None:
    if not is_province_admin(actor):
        raise Forbidden("forbidden", "只有省级管理员可以配置协同串和职能群", "only province admins configure item chains")


def _who(actor) -> str:
    return getattr(actor, "subject", str(actor))
