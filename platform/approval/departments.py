"""Department codes used by flows (assignment.department) and staff accounts, with their names.

A code names the kind of department; each tenant has its own (海口市市场监督管理局 and 三亚市市场监督管理局
are both ``market_regulation`` in their tenants).
"""
from __future__ import annotations

DEPARTMENTS: dict[str, tuple[str, str]] = {
    "market_regulation": ("市场监督管理局", "Market regulation"),
    "public_security": ("公安局", "Public security"),
    "taxation": ("税务局", "Taxation"),
    "human_resources_social_security": ("人力资源和社会保障局", "Human resources and social security"),
    "civil_affairs": ("民政局", "Civil affairs"),
    "health": ("卫生健康委员会", "Health"),
    "medical_security": ("医疗保障局", "Medical security"),
    "education": ("教育局", "Education"),
    "natural_resources": ("自然资源和规划局", "Natural resources and planning"),
    "housing_construction": ("住房和城乡建设局", "Housing and construction"),
    "ecology_environment": ("生态环境局", "Ecology and environment"),
    "transport": ("交通运输局", "Transport"),
    "drug_administration": ("药品监督管理局", "Drug administration"),
    "development_reform": ("发展和改革委员会", "Development and reform"),
    "water_affairs": ("水务局", "Water affairs"),
    "emergency_management": ("应急管理局", "Emergency management"),
    "government_services": ("政务服务中心", "Government service centre"),  # its windows (综合窗口), rated by visit
}


def department_name(code: str | None, lang: str = "zh") -> str:
    if not code:
        return ""
    zh, en = DEPARTMENTS.get(code, (code, code))
    return en if lang == "en" else zh


def code_of(value: str | None) -> str | None:
    """The department code a flow, a staff account or an item's elements name: the code itself, or a department's
    name as items write it (市场监督管理局, 海口市市场监督管理局: the longest listed name it ends with). None when
    it names no listed department (a township's own office keeps its own text)."""
    text = "".join(str(value or "").split())
    if not text:
        return None
    if text in DEPARTMENTS:
        return text
    matches = [(len(zh), code) for code, (zh, _en) in DEPARTMENTS.items() if text.endswith(zh)]
    return max(matches)[1] if matches else None


def normalised(value: str | None) -> str:
    """``value`` as the department code when it names a listed department, else as given (trimmed)."""
    return code_of(value) or str(value or "").strip()
