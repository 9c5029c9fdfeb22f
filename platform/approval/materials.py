"""Which materials an application needs, and whether what was handed in satisfies them."""
from __future__ import annotations

from tongban.configurator.forms.expressions import ExpressionFailed, compile_expression

BYTES_PER_MB = 1024 * 1024


def required_now(material: dict, values: dict) -> bool:
    if material.get("required", True) is True and not material.get("required_if"):
        return True
    source = material.get("required_if")
    if not source:
        return bool(material.get("required"))
    try:
        return bool(compile_expression(source).evaluate(values))
    except ExpressionFailed:
        return False


def check_files(material: dict, files: list[dict]) -> list[tuple[str, str, str]]:
    """Problems (code, zh, en) of the files handed in for one material: count, format, size."""
    problems = []
    formats = {f.lower() for f in material.get("formats", ["pdf", "jpg", "png"])}
    limit = float(material.get("max_size_mb", 10)) * BYTES_PER_MB
    for f in files:
        name = str(f.get("name", ""))
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if extension not in formats and not (extension == "jpeg" and "jpg" in formats):
            problems.append(("format", f"“{name}”格式不符，应为 {', '.join(sorted(formats))}",
                             f"{name!r} is not one of {', '.join(sorted(formats))}"))
        if int(f.get("size", 0)) > limit:
            problems.append(("too_large", f"“{name}”超过 {material.get('max_size_mb', 10)} MB",
                             f"{name!r} is larger than {material.get('max_size_mb', 10)} MB"))
    return problems


def assess(materials: list[dict], values: dict, provided: dict[str, list[dict]], licenses: dict[str, str]):
    """Per material: (status, files, license ref) and the field-level errors of the whole set.

    status: provided | license | rongque (missing, may be supplied later) | missing (not required now).
    """
    statuses, errors = {}, []
    for m in materials:
        files = provided.get(m["id"]) or []
        path = f"materials.{m['id']}"
        for code, zh, en in check_files(m, files):
            errors.append({"path": path, "code": code, "zh": zh, "en": en})
        if m["id"] in licenses:
            statuses[m["id"]] = ("license", [], licenses[m["id"]])
        elif files:
            statuses[m["id"]] = ("provided", files, None)
        elif required_now(m, values):
            if m.get("rongque_allowed"):
                statuses[m["id"]] = ("rongque", [], None)
            else:
                errors.append({"path": path, "code": "required", "zh": f"请提交“{m['name']}”",
                               "en": f"{m['name']} is required"})
        else:
            statuses[m["id"]] = ("missing", [], None)
    return statuses, errors
