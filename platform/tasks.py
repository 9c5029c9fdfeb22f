"""huey tasks. Each is safe to run twice (a job key is claimed in the same transaction as its work)."""
from __future__ import annotations

import time
from functools import lru_cache

from huey import crontab

from tongban.platform.jobs import claim, huey, worker_database
from tongban.tenants.isolation import TenantContext


@huey.task(retries=3, retry_delay=2)
def record_probe(key: str, hold_seconds: float = 0.0) -> bool:
    """A probe job for operators and the scale-out test: proves that some consumer took it, once."""
    with worker_database().unit_of_work(TenantContext.system("probe job")) as session:
        claimed = claim(session, key)
        if hold_seconds:
            time.sleep(min(hold_seconds, 5.0))
        return claimed


@huey.task(retries=2, retry_delay=5)
def relay_outbox(ids: list[int]) -> int:
    """Send outbox messages after their transaction committed (safe to run twice: each is claimed once)."""
    from tongban.platform.notify.outbox import relay

    return relay(worker_database(), ids, worker_channels())


@huey.periodic_task(crontab(minute="*"))
def sweep_outbox() -> int:
    """Send what no relay confirmed (a crash between commit and hand-off, or a channel that failed)."""
    from tongban.platform.notify.outbox import due_for_sweep, relay

    return relay(worker_database(), due_for_sweep(worker_database()), worker_channels())


@huey.task(retries=2, retry_delay=5)
def deliver_logout_tokens(ids: list[int]) -> int:
    """Back-channel logout: POST the Logout Tokens a committed sign-out owes (each delivery claimed once)."""
    from tongban.platform.identity.logout_delivery import deliver

    return deliver(worker_database(), ids)


@huey.periodic_task(crontab(minute="*"))
def sweep_logout_tokens() -> int:
    """Retry, with backoff, the Logout Tokens a client refused or no relay confirmed."""
    from tongban.platform.identity.logout_delivery import huey_sweep

    return huey_sweep()


@lru_cache(maxsize=1)
def worker_channels():
    from tongban.platform.notify.channels import build_channels
    from tongban.platform.settings import load_settings

    return build_channels(load_settings())


@huey.periodic_task(crontab(minute="*"))
def supervision_tick() -> None:
    """电子监察: raise what came due since the last tick (exactly once, whichever consumer runs it)."""
    from tongban.platform.supervision.tick import huey_tick

    huey_tick()


@huey.periodic_task(crontab(minute="*"))
def deliver_vertical_webhooks() -> None:
    """Push alerts back to vertical department systems (signed, retried with backoff)."""
    from tongban.platform.supervision.vertical.webhooks import huey_deliver

    huey_deliver()


@huey.periodic_task(crontab(minute="17"))
def purge_expired_sign_ins() -> None:
    """Sign-in sessions, authorisation codes and token records past expiry (each row removed once)."""
    from tongban.platform.identity.expiry import huey_purge

    huey_purge()


@huey.periodic_task(crontab(hour="3", minute="7"))
def purge_abandoned_drafts() -> int:
    """Application drafts untouched for TONGBAN_DRAFT_RETENTION_DAYS (default 90)."""
    from tongban.platform.portal.housekeeping import huey_purge_drafts

    return huey_purge_drafts()


@huey.periodic_task(crontab(hour="3", minute="27"))
def purge_orphan_uploads() -> int:
    """Uploads older than 7 days that no draft and no case refers to, with their stored files."""
    from tongban.platform.portal.housekeeping import huey_purge_uploads

    return huey_purge_uploads()


@huey.periodic_task(crontab(hour="3", minute="47"))
def purge_sent_outbox() -> int:
    """Outbox messages sent more than 30 days ago."""
    from tongban.platform.notify.retention import huey_purge_sent

    return huey_purge_sent()
@huey.periodic_task(crontab(minute="*/10"))
def construction_rongque_sweep() -> int:
    """容缺: suspend the items whose gap material passed its supply deadline and tell the investor."""
    from tongban.platform.construction.service import ConstructionService

    return ConstructionService(worker_database()).sweep_rongque()


@huey.periodic_task(crontab(minute="37"))
def open_appointment_slots() -> int:
    """Each window's slots opened on its next working days as days go by (idempotent: hourly, so a missed night or
    a newly loaded calendar year is caught up within the hour)."""
    from tongban.platform.calendar.store import build_calendar
    from tongban.platform.db import utcnow
    from tongban.platform.jobs import worker_database
    from tongban.platform.portal.appointment_windows import open_ahead

    with worker_database().unit_of_work(TenantContext.system("portal: open appointment slots")) as session:
        return open_ahead(session, build_calendar(session), utcnow()).created


@huey.periodic_task(crontab(minute="7"))
def remind_appointments() -> int:
    """Tomorrow's bookings texted once, in the daytime (hourly: a missed hour is caught up by the next)."""
    from tongban.platform.db import utcnow
    from tongban.platform.jobs import worker_database
    from tongban.platform.portal.appointment_reminders import remind

    with worker_database().unit_of_work(TenantContext.system("portal: appointment reminders")) as session:
        return remind(session, utcnow())
