"""Blank templates (空白表格) and filled samples (示例样表) of an item's materials, as small Word documents.

A material may name a template file (``template``); until departments upload their own files, the
portal writes a plain .docx from the item's data: the material's name, the item, and for the
application form the form's fields (blank, or with example values in the sample).
"""
from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'wordprocessingml.document.main+xml"/>'
    '</Types>')
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>')
BOLD = '<w:rPr><w:b/><w:sz w:val="32"/></w:rPr>'
EXAMPLES = {"text": "王小明", "textarea": "（示例）请如实填写", "number": "1", "money": "100000.00",
            "date": "2026-01-05", "date_range": "2026-01-05 至 2026-12-31", "phone": "13800000001",
            "email": "example@example.cn", "resident_id": "460100199003070015", "uscc": "91460100MA5T0YF0PN",
            "division": "460105 海口市秀英区", "checkbox": "☑", "select": "（从选项中选择）",
            "radio": "（从选项中选择）", "multi_select": "（可多选）", "file": "（另附文件）", "group": "（可填写多行）"}


def material_document(*, item_name: str, material: dict, fields: list[dict], sample: bool) -> tuple[str, bytes]:
    """(file name, .docx bytes) of a material's blank template or filled sample."""
    title = material.get("name", "")
    heading = f"{title}（示例样表）" if sample else title
    lines = [(heading, True), (f"事项：{item_name}", False), ("", False)]
    for f in fields:
        label = (f.get("label") or {}).get("zh") if isinstance(f.get("label"), dict) else str(f.get("label") or f.get("name"))
        value = EXAMPLES.get(f.get("type", "text"), "") if sample else "______________________"
        lines.append((f"{label}：{value}", False))
    lines += [("", False), ("申请人（签字或盖章）：______________    日期：____年__月__日", False)]
    if sample:
        lines.append(("本样表仅为填写示例，内容为虚构。", False))
    stem = (material.get("template") or f"{title}.docx").rsplit(".", 1)[0]
    return f"{stem}{'（示例）' if sample else ''}.docx", _docx(lines)


def _docx(lines: list[tuple[str, bool]]) -> bytes:
    paragraphs = "".join(f'<w:p><w:r>{BOLD if bold else ""}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'
                         for text, bold in lines)
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                f'<w:body>{paragraphs}</w:body></w:document>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()
