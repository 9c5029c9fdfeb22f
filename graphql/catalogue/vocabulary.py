"""The catalogue's closed vocabularies as GraphQL enums, built from the domain's own label tables so the
two never drift (a new value in the domain is a new enum value in the exported SDL)."""
from __future__ import annotations

from enum import Enum

import strawberry

from tongban.configurator.items.elements import AUDIENCES, CASE_TYPES, CHANNELS, KINDS, LEVELS
from tongban.configurator.materials.spec import FORMS
from tongban.platform.approval.guards import STATE_LABELS


def _enum(name: str, labels: dict, description: str):
    return strawberry.enum(Enum(name, {key.upper(): key for key in labels}), description=description)


ItemKind = _enum("ItemKind", KINDS, "事项类型 / kind of government service item")
CaseType = _enum("CaseType", CASE_TYPES, "办件类型 / how a case is handled")
Channel = _enum("Channel", CHANNELS, "办理渠道 / where one can apply")
Audience = _enum("Audience", AUDIENCES, "服务对象 / who can apply")
MaterialForm = _enum("MaterialForm", FORMS, "材料形式 / original, copy, electronic")
CaseState = _enum("CaseState", STATE_LABELS, "办件状态 / state of a case")


@strawberry.type(description="A value with its Chinese and English labels / 取值及其中英文名称")
class Term:
    value: str
    label_zh: str
    label_en: str


def terms(labels: dict) -> list[Term]:
    return [Term(value=key, label_zh=zh, label_en=en) for key, (zh, en) in labels.items()]


@strawberry.type(description="Labels of every enum value, for building forms and filters / 枚举值的中英文名称")
class Vocabulary:
    @strawberry.field
    def item_kinds(self) -> list[Term]:
        return terms(KINDS)

    @strawberry.field
    def case_types(self) -> list[Term]:
        return terms(CASE_TYPES)

    @strawberry.field
    def channels(self) -> list[Term]:
        return terms(CHANNELS)

    @strawberry.field
    def audiences(self) -> list[Term]:
        return terms(AUDIENCES)

    @strawberry.field
    def levels(self) -> list[Term]:
        return terms(LEVELS)

    @strawberry.field
    def material_forms(self) -> list[Term]:
        return terms(FORMS)

    @strawberry.field
    def case_states(self) -> list[Term]:
        return terms(STATE_LABELS)
