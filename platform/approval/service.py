"""The approval engine's front door: one unit of work per call, in the right tenant, with notices to the outbox.

Routes, GraphQL mutations, the CLI and tests all call these methods. A case is acted on in its handling
tenant's context; two operations write across tenants and say so: intake received at another tenant's
window (全省通办) and reporting up (上报) — they run in an explicit system scope after the domain checks.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from tongban.platform.approval import actions, events, listeners, notices, oversight, specials, submission_keys
from tongban.platform.approval.actors import Actor
from tongban.platform.approval.errors import CaseNotFound, Conflict
from tongban.platform.approval.intake import Application, earlier_submission, submit
from tongban.platform.approval.models import Case
from tongban.platform.approval.reporting import report_up
from tongban.platform.approval.routing import Env
from tongban.platform.approval.unit import CaseUnit
from tongban.platform.calendar.store import CalendarProvider
from tongban.platform.db import utcnow
from tongban.tenants.isolation import TenantContext
from tongban.tenants.models import Tenant

ACTIONS = {
    "accept": actions.accept, "refuse": actions.refuse, "request_supplement": actions.request_supplement,
    "supply": actions.supply, "forward": actions.forward, "approve": actions.approve, "reject": actions.reject,
    "roll_back": actions.roll_back, "withdraw": actions.withdraw, "charge": actions.charge, "pay": actions.pay,
    "deliver": actions.deliver, "report_up": report_up,
    "special_start": specials.start_special, "special_end": specials.end_special,
}
CROSS_TENANT = {"report_up"}
TENANT_TTL = 60.0  # seconds a worker trusts its copy of a tenant row
CASE_ACTIONS = {"supply", "withdraw", "pay", "deliver"}  # on the case as a whole; the others act on a task


class ApprovalService:
    def __init__(self, database, *, secret_key: str, calendars: CalendarProvider | None = None) -> None:
        self.database = database
        self.secret_key = secret_key
        self.calendars = calendars or CalendarProvider(database)
        self._homes: OrderedDict[int, tuple[TenantContext, bool]] = OrderedDict()  # case id → (context, reported)
        self._lock = threading.Lock()
        self._tenant_rows: dict[str, tuple[float, Tenant]] = {}

    def submit(self, handling_code: str, received_code: str, actor: Actor, application: Application,
               *, now: datetime | None = None) -> dict:
        handling, received = self._tenants(handling_code, received_code)
        context = (TenantContext.of(handling) if handling.code == received.code
                   else TenantContext.system(f"全省通办: received at {received.code} for {handling.code}"))
        try:
            with self.database.unit_of_work(context) as session:
                env = Env(session, self.calendars.calendar(session), now or utcnow(), self.secret_key)
                earlier = earlier_submission(env, handling, received, actor, application)
                if earlier is not None:  # submitted before with this key: that case, nothing new
                    return submission_keys.repeated(earlier)
                events.set_call_time(session, env.now)
                case, query_code = submit(env, handling, received, actor, application)
                _finish(env)
                result = {"id": case.id, "number": case.number, "query_code": query_code, "state": case.state,
                          "opened": _tasks(env), "repeated": False}
        except IntegrityError:
            first = self._submitted_concurrently(context, handling, received, actor, application, now)
            if first is None:
                raise
            return first
        self._remember(case.id, TenantContext.of(handling), False)
        return result

    def _submitted_concurrently(self, context: TenantContext, handling, received, actor: Actor,
                                application: Application, now: datetime | None) -> dict | None:
        """Another submission with the same key committed its case first (ours rolled back whole): that case."""
        if not application.submission_key:
            return None
        with self.database.unit_of_work(context) as session:
            env = Env(session, self.calendars.calendar(session), now or utcnow(), self.secret_key)
            earlier = earlier_submission(env, handling, received, actor, application)
            return submission_keys.repeated(earlier) if earlier is not None else None

    def act(self, case_id: int, action: str, actor: Actor, *, now: datetime | None = None, **arguments) -> dict:
        """Run ``action`` on the case; a concurrent change surfaces as Conflict and nothing is written."""
        handler = ACTIONS[action]
        context = self._context_for(case_id, action)
        try:
            with self.database.unit_of_work(context) as session:
                env = Env(session, self.calendars.calendar(session), now or utcnow(), self.secret_key)
                events.set_call_time(session, env.now)
                if action in CASE_ACTIONS:
                    result = handler(env, case_id, actor, **arguments)
                else:
                    result = handler(env, case_id, arguments.pop("task_id"), actor, **arguments)
                listeners.fire(env, actor)  # rooms following cases (construction items and their stages)
                _finish(env)
                return {"id": getattr(result, "case_id", result.id), "state": getattr(result, "state", None),
                        "number": getattr(result, "number", None), "opened": _tasks(env)}
        except StaleDataError as error:
            raise Conflict("concurrent_change", "办件已被他人处理，请刷新后重试",
                           "someone else changed this case first; reload it") from error

    def _context_for(self, case_id: int, action: str) -> TenantContext:
        """The handling tenant's context (cached per worker: a case never changes tenant)."""
        with self._lock:
            known = self._homes.get(case_id)
        if known is None:
            with self.database.unit_of_work(TenantContext.system("case routing")) as session:
                row = session.execute(select(Case.tenant_id, Case.parent_case_id).where(Case.id == case_id)).first()
                if row is None:
                    raise CaseNotFound(str(case_id))
                known = (TenantContext.of(session.get(Tenant, row.tenant_id)), row.parent_case_id is not None)
            self._remember(case_id, *known)
        context, reported = known
        if action in CROSS_TENANT or reported:
            return TenantContext.system(f"上报 case {case_id}: {action}")
        return context

    def _remember(self, case_id: int, context: TenantContext, reported: bool) -> None:
        with self._lock:
            self._homes[case_id] = (context, reported)
            while len(self._homes) > 100_000:
                self._homes.popitem(last=False)

    def _tenants(self, *codes: str) -> list[Tenant]:
        """The tenants by code, read once a minute per worker (a division's code, level and path do not change
        under a running case; the cache only saves a transaction per intake)."""
        clock = time.monotonic()
        with self._lock:
            known = {c: hit[1] for c in codes if (hit := self._tenant_rows.get(c)) and clock - hit[0] < TENANT_TTL}
        if len(known) < len(set(codes)):
            with self.database.unit_of_work(TenantContext.system("tenant lookup")) as session:
                found = {t.code: t for t in session.scalars(select(Tenant).where(Tenant.code.in_(codes)))}
            with self._lock:
                self._tenant_rows.update({c: (clock, t) for c, t in found.items()})
            known = found
        missing = [c for c in codes if c not in known]
        if missing:
            raise CaseNotFound(missing[0])
        return [known[c] for c in codes]


def _finish(env: Env) -> None:
    """After the action, in its unit of work: notices to the outbox, supervision's timers and figures (exact at
    commit), then the case unit's batch — the changed rows, the call's events, the hook's statements — with the
    transaction's COMMIT on PostgreSQL (the session's own commit then only runs its after-commit work)."""
    notices.write(env.session, env.notices)
    unit = CaseUnit.of(env.session)
    oversight.after_action(env, list(unit.appended))
    env.session.flush()  # the ORM's rows first (outbox, pauses, materials); they never wait on the unit's
    unit.write(commit=True)


def _tasks(env: Env) -> list[dict]:
    return [{"id": t.id, "case_id": t.case_id, "node_id": t.node_id, "role": t.role, "department": t.department,
             "due_at": t.due_at, "revision": t.revision} for t in env.opened]
