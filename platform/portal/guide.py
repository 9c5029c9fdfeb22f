"""The item guide (办事指南) a tenant serves: the effective item's content arranged for reading.

Prepared once per tenant, item and catalogue generation (local overrides move the generation), with the
flow diagram drawn by configurator.flows in each language on first use.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

from markupsafe import Markup
from sqlalchemy.orm import Session

from tongban.configurator.flows import Flow, render_svg
from tongban.configurator.items.elements import AUDIENCES, CASE_TYPES, CHANNELS, KINDS, LEVELS
from tongban.configurator.materials.spec import FORMS
from tongban.configurator.publishing.effective import effective_item
from tongban.platform.portal.reads import catalogue_generation

LICENSE_TYPES = {
    "business_license": ("营业执照", "business licence"), "resident_id_card": ("居民身份证", "resident ID card"),
    "household_register": ("居民户口簿", "household register"), "marriage_certificate": ("结婚证", "marriage certificate"),
    "birth_medical_certificate": ("出生医学证明", "birth medical certificate"),
    "real_estate_certificate": ("不动产权证书", "real estate certificate"),
    "disability_certificate": ("残疾人证", "disability certificate"),
    "academic_certificate": ("学历证书", "academic certificate"),
}


def pair(table: dict, key: str) -> tuple[str, str]:
    return table.get(key, (key, key))


@dataclass
class Guide:
    code: str
    version_no: int
    version_id: int
    elements: dict
    materials: list[dict]
    fees: list[dict]
    steps: list[dict]
    faq: list[dict]
    flow: Flow | None
    labels: dict
    _svg: dict = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        return self.elements.get("name", self.code)

    @property
    def online(self) -> bool:
        return "online" in (self.elements.get("channels") or [])

    def svg(self, lang: str) -> Markup:
        """The flow diagram (escaped by its renderer, so safe to embed)."""
        if self.flow is None:
            return Markup("")
        if lang not in self._svg:
            self._svg[lang] = Markup(render_svg(self.flow, lang=lang))
        return self._svg[lang]


def build_guide(content: dict, code: str, version_no: int, version_id: int = 0) -> Guide:
    e = dict(content.get("elements") or {})
    labels = {"kind": pair(KINDS, e.get("kind", "")), "case_type": pair(CASE_TYPES, e.get("case_type", "")),
              "audience": [pair(AUDIENCES, a) for a in e.get("audience") or []],
              "channels": [pair(CHANNELS, c) for c in e.get("channels") or []],
              "levels": [pair(LEVELS, lv) for lv in e.get("levels") or []]}
    if e.get("power"):
        labels["power_type"] = pair(KINDS, e["power"].get("power_type", ""))
    flow = _flow(content.get("flow"), e.get("promised_limit_days"))
    materials = [material_view(m) for m in content.get("materials") or []]
    fees = [{"name": f.get("name", ""), "amount": str(f.get("amount", "0")), "basis": f.get("basis", ""),
             "free": Decimal(str(f.get("amount") or 0)) == 0} for f in e.get("fees") or []]
    steps = [{"id": n.id, "label": (n.label.text("zh"), n.label.text("en")), "days": n.time_limit_days,
              "kind": n.kind.value} for n in flow.nodes] if flow else []
    return Guide(code, version_no, version_id, e, materials, fees, steps, faq_of(e, materials, fees), flow, labels)


def _flow(raw, promised) -> Flow | None:
    if not raw:
        return None
    try:
        return Flow.parse(raw, promised_limit_days=promised if isinstance(promised, int) else None)
    except Exception:  # noqa: BLE001 - a published flow always parses; a guide never fails because of it
        return None


def material_view(m: dict) -> dict:
    conditional = bool(m.get("required_if"))
    required = m.get("required", True) is True and not conditional
    requirement = (("必须提交", "Required") if required else ("视情况提交", "Required in some cases")
                   if conditional else ("选择提交", "Optional"))
    license_type = m.get("satisfied_by_license_type")
    return {
        "id": m.get("id"), "name": m.get("name", ""), "form": pair(FORMS, m.get("form", "original")),
        "count": m.get("count", 1), "formats": list(m.get("formats") or ["pdf", "jpg", "png"]),
        "max_size_mb": m.get("max_size_mb", 10), "requirement": requirement, "required": required,
        "conditional": conditional, "rongque_days": m.get("rongque_supply_days") if m.get("rongque_allowed") else None,
        "license_type": license_type, "license_label": pair(LICENSE_TYPES, license_type) if license_type else None,
        "template": m.get("template"), "source": m.get("source"), "local": bool(m.get("local")),
    }


def faq_of(e: dict, materials: list[dict], fees: list[dict]) -> list[dict]:
    """The item's own questions, then the ones every applicant asks, answered from this item's data."""
    faq = [{"q": (str(x.get("q", "")), str(x.get("q_en") or x.get("q", ""))),
            "a": (str(x.get("a", "")), str(x.get("a_en") or x.get("a", "")))}
           for x in e.get("faq") or [] if isinstance(x, dict)]
    faq.append({"q": ("如何查询办理进度？", "How do I follow my case?"),
                "a": ("提交后会得到办件编号和查询码，在“办件查询”页输入即可查询，无需登录。",
                      ("After submitting you receive a case number and a query code; enter them on the "
                       "progress page, no sign-in needed."))})
    if "online" in (e.get("channels") or []):
        faq.append({"q": ("网上申请可以中途保存吗？", "Can I save an online application and finish it later?"),
                    "a": ("可以。点击“保存草稿”后，用同一账号在任何设备上登录即可继续填写。",
                          "Yes. Choose “Save draft”, then sign in with the same account on any device to carry on.")})
    if any(m["license_type"] for m in materials):
        faq.append({"q": ("哪些材料可以免交？", "Which materials can I skip?"),
                    "a": ("标有“电子证照免交”的材料，申请时选择使用电子证照即可，无需上传。",
                          "Materials marked “e-licence accepted” need no upload when you choose to use your e-licence.")})
    if any(m["rongque_days"] for m in materials):
        faq.append({"q": ("材料不齐可以先受理吗？", "Can my case be accepted before every material is in?"),
                    "a": ("标有“容缺受理”的材料可在受理后规定的工作日内补交。",
                          "Materials marked “may follow later” can be handed in within the stated working days.")})
    free = all(f["free"] for f in fees)
    faq.append({"q": ("办理是否收费？", "Is there a fee?"),
                "a": ("本事项不收费。", "This item is free of charge.") if free else
                     ("按“收费标准”一节所列标准收费。", "The fees are listed under “Fees”.")})
    return faq


class GuideCache:
    def __init__(self, max_entries: int = 4096) -> None:
        self._entries: OrderedDict[tuple[str, str], tuple[int, Guide | None]] = OrderedDict()
        self._max = max_entries
        self._lock = threading.Lock()

    def guide(self, session: Session, tenant, code: str) -> Guide | None:
        """The tenant's guide for ``code``; None when the item is not served there (or is disabled)."""
        generation = catalogue_generation(session)
        key = (tenant.code, code)
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and hit[0] == generation:
                self._entries.move_to_end(key)
                return hit[1]
        served = effective_item(session, tenant, code)
        ok = served is not None and served.enabled and tenant.level in served.content["elements"].get("levels", [])
        guide = build_guide(served.content, served.code, served.version_no, served.version_id) if ok else None
        with self._lock:
            self._entries[key] = (generation, guide)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)
        return guide
