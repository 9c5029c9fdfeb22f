"""What the investor is told (zh first, en second), written to the notify outbox in the same transaction."""
from __future__ import annotations

from tongban.platform.construction.models import Project, ProjectStage, StageMaterial
from tongban.platform.notify import outbox

RESULT_ZH = {"approved": "准予", "rejected": "不予许可"}


def _send(session, project: Project, topic: str, zh: str, en: str, reference: dict) -> int:
    contact = project.investor_contact or {}
    sent = 0
    reference = {"project": project.code, "kind": topic, **reference}
    if contact.get("phone"):
        outbox.add(session, tenant_id=project.tenant_id, channel="sms", recipient=contact["phone"], body=zh,
                   topic=topic, reference=reference)
        sent += 1
    if contact.get("email"):
        outbox.add(session, tenant_id=project.tenant_id, channel="email", recipient=contact["email"],
                   subject=f"【工程建设项目】{project.name}", body=f"{zh}\n{en}", topic=topic, reference=reference)
        sent += 1
    return sent


def stage_concluded(session, project: Project, stage: ProjectStage) -> int:
    return _send(session, project, "construction_stage_concluded",
                 f"您的项目“{project.name}”{stage.name_zh}阶段已办结（{RESULT_ZH.get(stage.result, stage.result)}），"
                 f"阶段结果通知书 {stage.notice_number}。",
                 f"The {stage.stage} stage of {project.code} is concluded ({stage.result}); notice {stage.notice_number}.",
                 {"stage": stage.stage, "notice": stage.notice_number})


def rongque_overdue(session, project: Project, stage: ProjectStage, material: StageMaterial, items: list[str]) -> int:
    names = "、".join(items) or "无"
    return _send(session, project, "construction_rongque_overdue",
                 f"您的项目“{project.name}”容缺材料“{material.name}”已超过补交期限，相关事项（{names}）已暂停办理，"
                 "请尽快补交。",
                 f"{project.code}: the gap material {material.material_id} is overdue; {len(items)} item(s) are "
                 "suspended until it is supplied.",
                 {"stage": stage.stage, "material": material.material_id})


def joint_acceptance(session, project: Project, stage: ProjectStage) -> int:
    at = stage.appointment_at.strftime("%Y-%m-%d %H:%M") if stage.appointment_at else ""
    return _send(session, project, "construction_joint_acceptance",
                 f"您的项目“{project.name}”联合验收定于 {at}（UTC）进行，各部门将同时到场。",
                 f"Joint completion acceptance of {project.code} is scheduled at {at} UTC.",
                 {"stage": stage.stage})
