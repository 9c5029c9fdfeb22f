"""huey tasks. Each is safe to run twice (a job key is claimed in the same transaction as its work)."""
from __future__ import annotations

import time

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
