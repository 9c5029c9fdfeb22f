"""The effective item a tenant serves: summary fields from the catalogue (no query), content fields
(guide, fees, materials, form, flow) from the request's ``effective_item`` loader (one batch per page)."""
from __future__ import annotations

import threading
from collections import OrderedDict

import strawberry
from strawberry.scalars import JSON

from tongban.configurator.flows import Flow, render_svg
from tongban.configurator.forms import FormSchema, render_spec
from tongban.configurator.publishing.effective import CatalogueEntry, EffectiveItem
from tongban.graphql.catalogue.vocabulary import Audience, CaseType, Channel, ItemKind, MaterialForm


@strawberry.type(description="A fee and its legal basis / 收费项目")
class Fee:
    id: str
    name: str
    amount: str = strawberry.field(description="Yuan, two decimals, as text (e.g. \"10.00\")")
    basis: str | None
    local_rate_allowed: bool


@strawberry.type(description="A material the applicant hands in / 申请材料")
class Material:
    id: str
    name: str
    form: MaterialForm | None
    count: int
    formats: list[str]
    max_size_mb: float
    required: bool = strawberry.field(description="Always required; see requiredIf for conditional ones")
    required_if: str | None = strawberry.field(description="CEL condition over the form, e.g. `form.capital > 1000000.0`")
    rongque_allowed: bool = strawberry.field(description="容缺受理: may be handed in after acceptance")
    rongque_supply_days: int | None
    satisfied_by_license_type: str | None = strawberry.field(description="An e-license type that replaces it (免提交)")
    template: str | None
    source: str | None
    local: bool = strawberry.field(description="Added by a local tenant (本地补充材料)")
    source_tenant: str | None


def material_of(m: dict) -> Material:
    return Material(id=m["id"], name=m["name"], form=m.get("form"), count=m.get("count", 1),
                    formats=list(m.get("formats") or ("pdf", "jpg", "png")), max_size_mb=m.get("max_size_mb", 10),
                    required=m.get("required", True) is True and not m.get("required_if"),
                    required_if=m.get("required_if"), rongque_allowed=bool(m.get("rongque_allowed")),
                    rongque_supply_days=m.get("rongque_supply_days"),
                    satisfied_by_license_type=m.get("satisfied_by_license_type"), template=m.get("template"),
                    source=m.get("source"), local=bool(m.get("local")), source_tenant=m.get("source_tenant"))


def fee_of(f: dict) -> Fee:
    return Fee(id=str(f.get("id")), name=str(f.get("name")), amount=str(f.get("amount")), basis=f.get("basis"),
               local_rate_allowed=bool(f.get("local_rate_allowed")))


_SPECS: OrderedDict[int, list] = OrderedDict()  # version id → the form's render spec (forms are never local)
_SPECS_LOCK = threading.Lock()


@strawberry.type(description="The application form / 申请表单")
class ItemForm:
    schema: JSON = strawberry.field(description="The form schema as configured (fields, rules, CEL expressions)")
    version_id: strawberry.Private[int]

    @strawberry.field(description="Each field ready to render: label zh/en, type, required, options, constraints, "
                                  "prefilled value")
    def fields(self) -> JSON:
        with _SPECS_LOCK:
            spec = _SPECS.get(self.version_id)
        if spec is None:
            spec = render_spec(FormSchema.parse(self.schema or {"fields": []}))
            with _SPECS_LOCK:
                _SPECS[self.version_id] = spec
                while len(_SPECS) > 2048:
                    _SPECS.popitem(last=False)
        return spec


@strawberry.type(description="The approval flow / 办理流程")
class ItemFlow:
    definition: strawberry.Private[dict]
    promised_limit_days: strawberry.Private[int | None]

    def _flow(self) -> Flow:
        return Flow.parse(self.definition, promised_limit_days=self.promised_limit_days)

    @strawberry.field(description="Nodes with coordinates and routed edges (Flow.diagram_data) for drawing it yourself")
    def diagram(self) -> JSON:
        return self._flow().diagram_data()

    @strawberry.field(description="The flow drawn as an SVG document")
    def svg(self, lang: str = "zh") -> str:
        return render_svg(self._flow(), lang="en" if lang == "en" else "zh")


@strawberry.type(name="Item", description="A government service item as one tenant serves it / 事项（本地生效版本）")
class ItemNode:
    code: str
    name: str
    version_no: int = strawberry.field(description="The published version this tenant serves")
    kind: ItemKind
    department: str
    case_type: CaseType
    audience: list[Audience]
    channels: list[Channel]
    legal_limit_days: int | None = strawberry.field(description="法定办结时限 (working days)")
    promised_limit_days: int | None = strawberry.field(description="承诺办结时限 (working days)")
    tenant_code: str = strawberry.field(description="The tenant this view of the item belongs to")

    def _item(self, info: strawberry.Info) -> EffectiveItem:
        return info.context.loaders.effective_item.load((self.tenant_code, self.code))

    def _elements(self, info: strawberry.Info) -> dict:
        return self._item(info).content.get("elements") or {}

    @strawberry.field(description="设定依据")
    def legal_basis(self, info: strawberry.Info) -> str | None:
        return self._elements(info).get("legal_basis")

    @strawberry.field(description="受理条件")
    def conditions(self, info: strawberry.Info) -> str | None:
        return self._elements(info).get("conditions")

    @strawberry.field(description="办理地点 (local)")
    def location(self, info: strawberry.Info) -> str | None:
        return self._elements(info).get("location")

    @strawberry.field(description="办理时间 (local)")
    def hours(self, info: strawberry.Info) -> str | None:
        return self._elements(info).get("hours")

    @strawberry.field(description="咨询电话 (local)")
    def phone(self, info: strawberry.Info) -> str | None:
        return self._elements(info).get("phone")

    @strawberry.field(description="本地说明 (local notes)")
    def notes(self, info: strawberry.Info) -> str | None:
        return self._elements(info).get("notes")

    @strawberry.field(description="Levels of government that handle it")
    def levels(self, info: strawberry.Info) -> list[str]:
        return list(self._elements(info).get("levels") or [])

    @strawberry.field(description="Life events and theme codes it is listed under")
    def themes(self, info: strawberry.Info) -> list[str]:
        return list(self._elements(info).get("themes") or [])

    @strawberry.field
    def life_events(self, info: strawberry.Info) -> list[str]:
        return list(self._elements(info).get("life_events") or [])

    @strawberry.field(description="收费项目 (local rates applied)")
    def fees(self, info: strawberry.Info) -> list[Fee]:
        return [fee_of(f) for f in self._elements(info).get("fees") or []]

    @strawberry.field(description="申请材料, standard first, then local additions")
    def materials(self, info: strawberry.Info) -> list[Material]:
        return [material_of(m) for m in self._item(info).content.get("materials") or []]

    @strawberry.field
    def form(self, info: strawberry.Info) -> ItemForm:
        item = self._item(info)
        return ItemForm(schema=item.content.get("form") or {"fields": []}, version_id=item.version_id)

    @strawberry.field
    def flow(self, info: strawberry.Info) -> ItemFlow | None:
        content = self._item(info).content
        if not content.get("flow"):
            return None
        return ItemFlow(definition=content["flow"],
                        promised_limit_days=(content.get("elements") or {}).get("promised_limit_days"))

    @strawberry.field(description="Which tenant set each locally varied field (e.g. {\"elements.phone\": \"4601\"})")
    def local_sources(self, info: strawberry.Info) -> JSON:
        return self._item(info).sources


def item_node(entry: CatalogueEntry, tenant_code: str) -> ItemNode:
    return ItemNode(code=entry.code, name=entry.name, version_no=entry.version_no, kind=entry.kind,
                    department=entry.department, case_type=entry.case_type, audience=list(entry.audience),
                    channels=list(entry.channels), legal_limit_days=entry.legal_limit_days,
                    promised_limit_days=entry.promised_limit_days, tenant_code=tenant_code)
