"""Several uvicorn workers and huey consumers against one PostgreSQL and Redis (real processes)."""
import os
import socket
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, text

from tests_support import ON_POSTGRES
from tongban.platform.jobs import JobRun

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not ON_POSTGRES, reason="scale-out runs against PostgreSQL and Redis")]

TONGBAN = str(Path(sys.executable).parent / "tongban")
REDIS_URL = os.environ.get("TONGBAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def cluster_env(db):
    env = dict(os.environ, TONGBAN_REDIS_URL=REDIS_URL, TONGBAN_QUEUE_NAME=f"scale-{uuid.uuid4().hex[:8]}",
               TONGBAN_HUEY_IMMEDIATE="0", TONGBAN_LOG_FORMAT="text")
    return env


def _start(args, env):
    return subprocess.Popen([TONGBAN, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _stop(processes):
    for p in processes:
        p.terminate()
    for p in processes:
        try:
            p.wait(timeout=15)
        except subprocess.TimeoutExpired:
            p.kill()


def _wait_ready(base: str, server) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(server.stderr.read().decode())
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError("server did not become ready")


def test_two_web_workers_and_two_consumers_share_one_database_and_queue(cluster_env, admin_engine):
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _start(["serve", "--port", str(port), "--workers", "2"], cluster_env)
    consumers = [_start(["worker", "--workers", "2"], cluster_env) for _ in range(2)]
    try:
        _wait_ready(base, server)
        pages = {"4601": "海口市", "4602": "三亚市", "460105100": "长流镇", "469002": "琼海市"}

        def fetch(i):
            code = list(pages)[i % len(pages)]
            with httpx.Client(timeout=10) as c:
                page = c.get(f"{base}/t/{code}/")
                ready = c.get(f"{base}/readyz").json()
            return page.status_code, pages[code] in page.text, ready["worker"]

        results, deadline = [], time.monotonic() + 120  # a loaded machine starts the second worker late
        with ThreadPoolExecutor(8) as pool:
            while time.monotonic() < deadline:  # bursts until both workers have answered (the kernel picks)
                results += pool.map(fetch, range(len(results), len(results) + 80))
                if len({pid for *_, pid in results}) == 2 and len(results) >= 160:
                    break
        assert all(status == 200 and ok for status, ok, _ in results)
        assert len({pid for *_, pid in results}) == 2

        keys = [f"scale-{i}" for i in range(40)]
        enqueue = ("from tongban.platform.tasks import record_probe\n"
                   f"for k in {keys!r}: record_probe(k, 0.05)\n"
                   f"for k in {keys[:10]!r}: record_probe(k)\n")  # ten keys delivered twice
        subprocess.run([sys.executable, "-c", enqueue], env=cluster_env, check=True, timeout=60)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            with admin_engine.connect() as conn:
                rows = conn.execute(select(JobRun.key, JobRun.worker)).all()
            if len(rows) >= len(keys):
                break
            time.sleep(0.5)
        time.sleep(1)  # let duplicate deliveries finish
        with admin_engine.connect() as conn:
            rows = conn.execute(select(JobRun.key, JobRun.worker)).all()
            dupes = conn.execute(text("SELECT count(*) - count(DISTINCT key) FROM job_runs")).scalar()
        assert sorted(k for k, _ in rows) == sorted(keys)
        assert dupes == 0
        assert len({w for _, w in rows}) >= 2, "both consumer processes took jobs"

        # an application's messages (an SMS and an email each) leave through the relay the consumers run: the
        # process that committed them hands their ids over in a batch (notify/handoff.py), here at its exit
        submit = ("import sys; sys.path.insert(0, 'tests/support')\n"
                  "from approval_fixtures import application, citizen, publish_all\n"
                  "from tongban.platform.approval.service import ApprovalService\n"
                  "from tongban.platform.db import Database\n"
                  "from tongban.platform.settings import load_settings\n"
                  "settings = load_settings()\n"
                  "db = Database(settings.database_url, pool_size=2)\n"
                  "publish_all(db)\n"
                  "engine = ApprovalService(db, secret_key=settings.secret_key)\n"
                  "for _ in range(3): engine.submit('4601', '4601', citizen(), application())\n")
        subprocess.run([sys.executable, "-c", submit], env=cluster_env, check=True, timeout=120,
                       cwd=Path(__file__).resolve().parents[2])
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            with admin_engine.connect() as conn:
                unsent, sent = conn.execute(text(
                    "SELECT count(*) FILTER (WHERE sent_at IS NULL), count(sent_at) FROM outbox")).one()
            if sent == 6 or unsent == 0:
                break
            time.sleep(0.5)
        assert (unsent, sent) == (0, 6), "the consumers sent every message of the three applications"
    finally:
        _stop([server, *consumers])
