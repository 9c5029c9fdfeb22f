"""Intake (收件): an application from any channel becomes a case on the item version its tenant serves."""
from __future__ import annotations

from dataclasses import dataclass, field

from tongban.configurator.forms import validate_submission
from tongban.configurator.forms.values import to_cel
from tongban.platform.approval import events, materials as material_rules, opening, submission_keys
from tongban.platform.approval.actors import Actor
from tongban.platform.approval.errors import Forbidden, NotAllowed, SubmissionInvalid
from tongban.platform.approval.flowcache import served_item, version_parts
from tongban.platform.approval.guards import tenant_path
from tongban.platform.approval.models import Case, CaseMaterial
from tongban.platform.approval.records import CaseRecord
from tongban.platform.approval.unit import CaseUnit
from tongban.platform.approval.numbers import hash_query_code, new_query_code, next_case_number
from tongban.platform.approval.routing import Env, enter
from tongban.platform.files.store import attach_to_case
from tongban.platform.sharing.access import Accessor
from tongban.platform.sharing.chains import check_chain
from tongban.platform.sharing.exemption import applicant_keys, check_license_materials, record_license_uses

CHANNELS = {"online", "window", "kiosk", "mobile", "api"}
STAFF_CHANNELS = {"window", "kiosk"}


@dataclass
class Application:
    item_code: str
    form_data: dict
    channel: str
    applicant: dict  # subject, kind (person|enterprise), name, id_number, phone, email
    files: dict[str, list[dict]] = field(default_factory=dict)  # material id → file descriptors
    licenses: dict[str, str] = field(default_factory=dict)  # material id → e-license number or "auto" (免收证照)
    license_consent: bool = True  # the applicant agreed that the library's copy stands for the upload
    upload_ids: tuple[str, ...] = ()  # the actor's stored uploads the case now holds (portal and API)
    submission_key: str | None = None  # the rendered form's (or API call's) one-time key: see submission_keys


def earlier_submission(env: Env, handling, received, actor: Actor, application: Application) -> Case | None:
    """The case an earlier submission with the application's key created (after the actor checks: a key is the
    applicant's own); None without a key or when the key is new."""
    key = submission_keys.checked(application.submission_key)
    if key is None:
        return None
    _check_channel_and_actor(env, received, actor, application)
    return submission_keys.earlier_case(env.session, handling.code, application.applicant["subject"], key,
                                        application.item_code)


def submit(env: Env, handling, received, actor: Actor, application: Application) -> tuple[CaseRecord, str]:
    """Validate and create the case; returns it with the query code shown once to the applicant."""
    _check_channel_and_actor(env, received, actor, application)
    first_read = opening.read(env.session, handling.code, application.item_code, env.now)
    served, item_id = served_item(env.session, handling, application.item_code, generation=first_read.generation)
    if served is None or not served.enabled or handling.level not in served.content["elements"].get("levels", []):
        raise NotAllowed("item_not_served", "该事项不在此地办理", "this item is not handled here")
    if application.channel in ("online", "mobile", "api") and "online" not in served.content["elements"].get("channels", []):
        raise NotAllowed("not_online", "该事项不支持网上申请，请到窗口办理", "this item cannot be applied for online")
    flow, schema, _ = version_parts(env.session, served.version_id)
    result = validate_submission(schema, application.form_data, identity=application.applicant)
    values = to_cel(result.cleaned)
    materials = served.content.get("materials") or []
    statuses, material_errors = material_rules.assess(materials, values, application.files, application.licenses)
    license_statuses, license_errors = check_license_materials(
        env.session, application.applicant, materials, application.licenses, consent=application.license_consent)
    statuses.update(license_statuses)
    chain = check_chain(env.session, application.applicant["subject"], application.item_code,
                        holder_ids=applicant_keys(application.applicant)[1],
                        has_prerequisites=first_read.has_prerequisites)
    errors = [{"path": e.path, "code": e.code, "zh": e.message_zh, "en": e.message_en} for e in result.errors]
    errors += material_errors + license_errors + chain.errors()
    if errors:
        raise SubmissionInvalid(errors)
    case = _new_case(env, handling, received, served, application, result.as_json(), item_id, first_read)
    case.gaps_at_intake = sum(1 for status, _files, _ref in statuses.values() if status == "rongque")
    code = new_query_code()
    case.query_code_hash = hash_query_code(env.secret_key, case.number, code)
    # the first event's hash needs the case number, not its id: chained before the case row is written,
    # so the row goes in once with its hash (no update after the insert)
    first = events.append(env.session, case, actor, "submit", from_state="", to_state="submitted",
                          tenant=received.code, details={"channel": application.channel, "received_at": received.code},
                          add=False)
    CaseUnit.of(env.session).add_case(case)
    first.case_id = case.id
    if application.submission_key:
        submission_keys.record(env.session, case, application.submission_key)
    events.keep(env.session, first)
    _add_materials(env, case, materials, statuses)
    if application.upload_ids:
        attach_to_case(env.session, actor.subject, application.upload_ids, case.number)
    record_license_uses(env.session, case, statuses, materials=materials, now=env.now,
                        accessor=Accessor(actor.subject, actor.name, received.code, actor.department))
    enter(env, case, flow, flow.start_node.id, None, actor)
    env.notices.append((case, "submitted", {"query_code": code}))
    return case, code


def _check_channel_and_actor(env: Env, received, actor: Actor, application: Application) -> None:
    if application.channel not in CHANNELS:
        raise NotAllowed("bad_channel", "未知的申请渠道", f"unknown channel {application.channel!r}")
    if application.channel in STAFF_CHANNELS:
        if actor.kind != "staff" or not actor.may("accept_cases", tenant_path(env.session, received.code)):
            raise Forbidden("forbidden", "只有本地窗口工作人员可以代为申请", "only staff of this window may apply for others")
    elif actor.kind != "system" and actor.subject != application.applicant.get("subject"):
        raise Forbidden("not_applicant", "只能以本人（或所代理企业）名义申请", "you can only apply for yourself or your enterprise")


def _new_case(env: Env, handling, received, served, application: Application, form_json: dict,
              item_id: int, first_read: opening.Opening) -> CaseRecord:
    elements = served.content["elements"]
    fees = sum(float(f.get("amount") or 0) for f in elements.get("fees") or [])
    assignments = {n["id"]: n["assignment"] for n in served.content["flow"].get("nodes", []) if n.get("assignment")}
    return CaseRecord(id=first_read.case_id, tenant_id=handling.code, received_tenant_id=received.code,
                      number=next_case_number(env.session, handling.code, env.now, taken=first_read.counter),
                      query_code_hash="", item_id=item_id,
                      item_code=application.item_code, item_name=elements["name"], version_id=served.version_id,
                      case_type=elements.get("case_type", "promised"), channel=application.channel,
                      applicant_subject=application.applicant["subject"], applicant=dict(application.applicant),
                      form_data=form_json, assignments=assignments, state="submitted", submitted_at=env.now,
                      promised_limit_days=elements.get("promised_limit_days"),
                      legal_limit_days=elements.get("legal_limit_days"), fee_due=f"{fees:.2f}" if fees else None,
                      event_count=0, last_event_hash="")


def _add_materials(env: Env, case: Case, specs: list[dict], statuses: dict) -> None:
    """All the case's material rows, written with the case unit's batch (the case row is written already)."""
    rows = []
    for spec in specs:
        status, files, license_ref = statuses.get(spec["id"], ("missing", [], None))
        rows.append({"tenant_id": case.tenant_id, "case_id": case.id, "material_id": spec["id"], "name": spec["name"],
                     "status": status, "files": files, "license_ref": license_ref, "supply_due_at": None})
    CaseUnit.of(env.session).add_rows(CaseMaterial.__table__, rows)
