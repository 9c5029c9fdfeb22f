"""Required materials (申请材料) of an item: conditions, form, formats, 容缺 and 免收证照 linkage."""
from __future__ import annotations

from tongban.configurator.forms.expressions import ExpressionInvalid, compile_expression
from tongban.configurator.items.problems import Checker, Problem

FORMS = {"original": ("原件", "Original"), "copy": ("复印件", "Copy"), "electronic": ("电子件", "Electronic"),
         "original_and_copy": ("原件和复印件", "Original and copy")}
FORMATS = {"pdf", "jpg", "jpeg", "png", "ofd", "doc", "docx", "xls", "xlsx", "zip"}
MAX_SIZE_MB = 50


def check_materials(materials, *, form_fields: set[str] | None = None, prefix: str = "materials") -> list[Problem]:
    """Check the list; ``form_fields`` are the form's top-level field names that conditions may use."""
    c = Checker(prefix)
    if materials in (None, []):
        return []
    if not isinstance(materials, list):
        c.add("", "type", "申请材料应为列表", "materials must be a list")
        return c.problems
    ids, names = set(), set()
    for i, material in enumerate(materials):
        if not isinstance(material, dict):
            c.add(f"[{i}]", "type", "申请材料应为对象", "a material must be an object")
            continue
        item = Checker(f"{prefix}[{i}]")
        _check_one(item, material, form_fields)
        if material.get("id") in ids:
            item.add("id", "duplicate_id", "材料编号重复", "duplicate material id")
        if material.get("name") in names:
            item.add("name", "duplicate_name", "材料名称重复", "duplicate material name")
        ids.add(material.get("id"))
        names.add(material.get("name"))
        c.problems.extend(item.problems)
    return c.problems


def _check_one(c: Checker, m: dict, form_fields: set[str] | None) -> None:
    c.text(m, "id", "材料编号", "material id", max_len=60)
    c.text(m, "name", "材料名称", "material name", max_len=200)
    c.choice(m, "form", FORMS, "材料形式", "material form")
    count = m.get("count", 1)
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 99:
        c.add("count", "invalid_count", "份数应为 1 到 99", "count must be 1 to 99")
    formats = m.get("formats", ["pdf", "jpg", "png"])
    if not isinstance(formats, list) or not formats or any(str(f).lower() not in FORMATS for f in formats):
        c.add("formats", "invalid_formats", f"格式只能是 {', '.join(sorted(FORMATS))}",
              f"formats must be among {', '.join(sorted(FORMATS))}")
    size = m.get("max_size_mb", 10)
    if isinstance(size, bool) or not isinstance(size, (int, float)) or not 0 < size <= MAX_SIZE_MB:
        c.add("max_size_mb", "invalid_size", f"大小上限应在 0 到 {MAX_SIZE_MB} MB 之间",
              f"the size limit must be above 0 and at most {MAX_SIZE_MB} MB")
    _check_condition(c, m, form_fields)
    _check_rongque(c, m)
    license_type = m.get("satisfied_by_license_type")
    if license_type is not None and (not isinstance(license_type, str) or not license_type.strip()):
        c.add("satisfied_by_license_type", "invalid", "电子证照类型应为证照类型编码",
              "satisfied_by_license_type must be a license type code")


def _check_condition(c: Checker, m: dict, form_fields: set[str] | None) -> None:
    source = m.get("required_if")
    if source in (None, ""):
        return
    if m.get("required", True) is True:
        c.add("required_if", "conflict", "“必须提交”的材料不应再设置条件", "a material that is always required has no condition")
    try:
        expression = compile_expression(source)
    except ExpressionInvalid as error:
        c.add("required_if", "expression_invalid", f"条件表达式无法解析（{error.code}）",
              f"the condition does not compile ({error.code})")
        return
    unknown = [name for name in expression.form_refs if form_fields is not None and name not in form_fields]
    if unknown:
        c.add("required_if", "unknown_field", f"条件引用了表单中不存在的字段：{', '.join(unknown)}",
              f"the condition refers to fields not in the form: {', '.join(unknown)}")


def _check_rongque(c: Checker, m: dict) -> None:
    if not m.get("rongque_allowed"):
        return
    days = m.get("rongque_supply_days")
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 180:
        c.add("rongque_supply_days", "required", "容缺材料须设置 1 到 180 个工作日的补交期限",
              "a material accepted with a gap (容缺) needs a supply deadline of 1 to 180 working days")
