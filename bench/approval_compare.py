"""CPU per approval case of this checkout against an earlier revision, measured interleaved in one run.

Run: .venv/bin/python bench/approval_compare.py REV [--rounds 8] [--cases 60]
         [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres] [--redis redis://127.0.0.1:6379/15]

A shared host's speed changes from minute to minute (session 7 saw the same code take 130–330 % of its usual time),
so a throughput measured today says little against one measured last week. This bench answers the question that
stays answerable: is this checkout cheaper than REV? Two worker processes — one running this checkout, one running
REV's tree (``git archive``) — each migrate a scratch PostgreSQL database of their own, seed it and warm up; then they
take turns (ABBA…) running ``--cases`` full lifecycles (submit + accept + three approvals, as ``bench/approval.py``)
while the other waits. Each turn's client CPU (the worker's own) and server CPU (every PostgreSQL process, only the
running worker's backends being busy) are read, and the medians and the median of the pairwise ratios are printed.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _tree_of(revision: str, into: Path) -> Path:
    """REV's files in ``into/tree`` and ``into/shim/tongban`` pointing at them (importable as ``tongban``)."""
    tree, shim = into / "tree", into / "shim"
    tree.mkdir()
    shim.mkdir()
    archive = subprocess.run(["git", "archive", "--format=tar", revision], cwd=ROOT, check=True,
                             capture_output=True).stdout
    archive_path = into / "rev.tar"
    archive_path.write_bytes(archive)
    with tarfile.open(archive_path) as files:
        files.extractall(tree, filter="data")
    (shim / "tongban").symlink_to(tree)
    return tree


def _spawn(tree: Path, shim: Path | None, args) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(shim) if shim else "")
    worker = subprocess.Popen(
        [sys.executable, __file__, "--worker", str(tree), "--cases", str(args.cases), "--postgres", args.postgres,
         *(["--redis", args.redis] if args.redis else [])],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=tree)
    line = worker.stdout.readline().strip()
    if line != "ready":
        raise SystemExit(f"the worker for {tree} did not start: {line!r}")
    return worker


def _turn(worker: subprocess.Popen) -> tuple[float, float]:
    worker.stdin.write("go\n")
    worker.stdin.flush()
    client, server = worker.stdout.readline().split()
    return float(client), float(server)


def compare(args) -> None:
    with tempfile.TemporaryDirectory(prefix="tongban-compare-") as scratch:
        base = _tree_of(args.revision, Path(scratch))
        workers = {"this checkout": _spawn(ROOT, None, args), args.revision: _spawn(base, Path(scratch) / "shim", args)}
        turns: dict[str, list[tuple[float, float]]] = {name: [] for name in workers}
        try:
            for round_ in range(args.rounds):
                order = list(workers) if round_ % 2 == 0 else list(reversed(workers))
                for name in order:
                    turns[name].append(_turn(workers[name]))
        finally:
            for worker in workers.values():
                worker.stdin.close()
                worker.wait(timeout=120)
    for name, measured in turns.items():
        print(f"{name}: CPU per case client {statistics.median(c for c, _ in measured):.2f} ms + server "
              f"{statistics.median(s for _, s in measured):.2f} ms (turns, total: "
              + " ".join(f"{c + s:.1f}" for c, s in measured) + ")")
    mine, theirs = turns["this checkout"], turns[args.revision]
    for label, pick in (("client", lambda t: t[0]), ("server", lambda t: t[1]), ("total", lambda t: t[0] + t[1])):
        ratio = statistics.median(pick(a) / pick(b) for a, b in zip(mine, theirs))
        print(f"this checkout ÷ {args.revision}, {label} CPU per case: {ratio:.3f} (median of {args.rounds} pairs)")


def work(args) -> None:
    """One side: a scratch database migrated and seeded by this tree's code, warmed up, then a turn per 'go'."""
    tree = Path(args.worker)
    os.environ["TONGBAN_QUEUE_NAME"] = f"tongban-compare-{os.getpid()}"
    os.environ.setdefault("TONGBAN_VAR_DIR", tempfile.mkdtemp(prefix="tongban-compare-"))
    if args.redis:
        os.environ["TONGBAN_REDIS_URL"] = args.redis
    sys.path[:0] = [str(tree / "tests" / "support"), str(tree / "bench")]
    import approval_fixtures as fx
    from approval import STEPS, _analyze, server_cpu_seconds
    from scratch_db import scratch_postgres

    from tongban.platform import migrate
    from tongban.platform.approval.service import ApprovalService
    from tongban.platform.db import Database
    from tongban.platform.jobs import huey
    from tongban.platform.seed import seed_calendar_data, seed_tenants
    from tongban.platform.settings import load_settings

    with scratch_postgres(args.postgres) as (app_url, admin_url):
        migrate.upgrade(load_settings({"TONGBAN_DATABASE_URL": app_url, "TONGBAN_ADMIN_DATABASE_URL": admin_url,
                                       "TONGBAN_VAR_DIR": os.environ["TONGBAN_VAR_DIR"]}))
        db = Database(app_url, pool_size=2)
        seed_tenants(db)
        seed_calendar_data(db)
        fx.publish_all(db)
        engine = ApprovalService(db, secret_key="compare")
        applicant = fx.citizen()

        def lifecycle():
            result = engine.submit("4601", "4601", applicant, fx.application(applicant=applicant))
            for action, actor in STEPS:
                (task,) = result["opened"]
                result = engine.act(result["id"], action, actor, task_id=task["id"])

        for _ in range(30):
            lifecycle()
        _analyze(admin_url)
        for _ in range(20):
            lifecycle()
        print("ready", flush=True)
        for line in sys.stdin:
            if line.strip() != "go":
                break
            server, client = server_cpu_seconds(), time.process_time()
            for _ in range(args.cases):
                lifecycle()
            print(f"{(time.process_time() - client) * 1000 / args.cases:.4f} "
                  f"{(server_cpu_seconds() - server) * 1000 / args.cases:.4f}", flush=True)
        db.dispose()
        huey.flush()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("revision", nargs="?", help="the revision to compare against (HEAD~1, a tag, a commit)")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--cases", type=int, default=60, help="lifecycles per turn")
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis", help="the job queue in Redis, as deployed (redis://127.0.0.1:6379/15)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        work(args)
    elif args.revision:
        compare(args)
    else:
        parser.error("give a revision to compare against")


if __name__ == "__main__":
    main()
