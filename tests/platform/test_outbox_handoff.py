"""Committed outbox messages reach huey's relay in batches: the commits of one moment share one job, a batch never
grows past its size, a failing hand-off loses nothing the sweeper cannot send, and the rest goes at exit.
Through the approval engine and huey's queue: ``tests/approval/test_audit_and_outbox.py``."""
import time

from tongban.platform.notify.handoff import Handoff


def _until(condition, seconds=10.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_ids_committed_within_the_linger_go_in_one_job():
    jobs = []
    gathered = Handoff(jobs.append, linger=0.3)
    gathered.add([1, 2])
    gathered.add([3])
    _until(lambda: jobs)
    time.sleep(0.1)
    assert jobs == [[1, 2, 3]]
    gathered.add([4])  # a later moment: a job of its own
    _until(lambda: len(jobs) == 2)
    assert jobs[1] == [4]


def test_a_job_carries_at_most_one_batch():
    jobs = []
    gathered = Handoff(jobs.append, linger=0.05, batch=3)
    gathered.add(list(range(7)))
    _until(lambda: sum(map(len, jobs)) == 7)
    assert jobs == [[0, 1, 2], [3, 4, 5], [6]]


def test_a_failed_hand_off_is_logged_and_the_next_ids_still_go(caplog):
    jobs = []

    def send(ids):
        if not jobs:
            jobs.append("failed")
            raise ConnectionError("redis is down")
        jobs.append(ids)

    gathered = Handoff(send, linger=0.01)
    gathered.add([1])
    _until(lambda: jobs)
    gathered.add([2])
    _until(lambda: len(jobs) == 2)
    assert jobs == ["failed", [2]]
    assert "the sweeper will send them" in caplog.text


def test_flush_sends_what_is_gathered_without_waiting():
    jobs = []
    gathered = Handoff(jobs.append, linger=60)
    gathered.add([5, 6])
    gathered.flush()  # as at exit
    assert jobs == [[5, 6]]
