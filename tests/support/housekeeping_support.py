"""Helpers for the expired-data cleanup tests: a fixed clock and two workers running a purge at once."""
from __future__ import annotations

import threading
from datetime import UTC, datetime

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def run_together(function, workers: int = 2) -> list:
    """Run ``function()`` in ``workers`` threads released at the same instant; their results (errors raised)."""
    barrier, results, errors = threading.Barrier(workers), [], []

    def work():
        barrier.wait()
        try:
            results.append(function())
        except Exception as error:  # re-raised below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    if errors:
        raise errors[0]
    return results
