"""Item content for tests: complete, valid elements + form + materials + flow."""
import copy

from tongban.configurator.flows.examples import business_registration_flow, promised_flow


def elements(code: str, name: str, **extra) -> dict:
    base = {
        "code": code, "name": name, "kind": "administrative_license", "department": "市场监督管理局",
        "legal_basis": "《中华人民共和国行政许可法》", "conditions": "申请人具有完全民事行为能力",
        "case_type": "promised", "levels": ["province", "city_county", "district", "township"],
        "channels": ["online", "window"], "audience": ["individual"],
        "legal_limit_days": 20, "promised_limit_days": 10,
        "location": "海南省政务服务中心", "hours": "工作日 9:00-17:00", "phone": "0898-12345",
        "fees": [{"id": "f1", "name": "工本费", "amount": "10.00", "basis": "琼价费〔2020〕1号", "local_rate_allowed": True},
                 {"id": "f2", "name": "登记费", "amount": "0.00", "basis": "国家规定"}],
        "life_events": ["开办企业"], "themes": ["165"],
        "power": {"power_type": "administrative_license", "responsibilities": ["受理责任"], "accountability": ["不予受理不说明理由"]},
    }
    base.update(extra)
    return base


FORM = {"fields": [
    {"name": "applicant_name", "type": "text", "label": {"zh": "申请人姓名", "en": "Applicant name"}, "required": True},
    {"name": "id_number", "type": "resident_id", "label": {"zh": "身份证号码", "en": "ID number"}, "required": True},
    {"name": "capital", "type": "money", "label": {"zh": "注册资本", "en": "Registered capital"}},
]}

MATERIALS = [
    {"id": "m1", "name": "申请书", "form": "original", "count": 1, "formats": ["pdf"], "max_size_mb": 10, "required": True},
    {"id": "m2", "name": "营业执照", "form": "copy", "count": 1, "formats": ["pdf", "jpg"], "max_size_mb": 5,
     "required": True, "satisfied_by_license_type": "business_license"},
    {"id": "m3", "name": "验资报告", "form": "copy", "count": 1, "formats": ["pdf"], "max_size_mb": 10,
     "required": False, "required_if": "form.capital > 1000000.0", "rongque_allowed": True, "rongque_supply_days": 5},
]


def content(code: str = "T-0001", name: str = "个体工商户设立登记", *, parallel: bool = False, **extra) -> dict:
    flow = business_registration_flow() if parallel else promised_flow()
    extra.setdefault("promised_limit_days", 20 if parallel else 10)
    if parallel:
        extra.setdefault("case_type", "joint")
    return {"elements": elements(code, name, **extra), "form": copy.deepcopy(FORM),
            "materials": copy.deepcopy(MATERIALS), "flow": flow}
