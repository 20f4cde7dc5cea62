"""Time `seed_demo` on a fresh database: the demo district of the first run (issue 15).

Run:  .venv/bin/python benchmarks/bench_seed_demo.py [--keep]

Creates a DEDICATED database ``prb_bench_seed`` on the server of DATABASE_URL (or the
embedded server when DATABASE_URL is unset), migrates it, then times ``seed_demo`` twice:
the first build and the idempotent re-run. Goal: the first build in under 20 seconds.
Prints one JSON line per figure: the wall-clock seconds and, because a shared machine's
load stretches the wall clock, the CPU seconds of the command's own process (the database
server's work is not in them). The database is dropped afterwards unless --keep.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "prb_bench_seed"
GOAL_SECONDS = 20.0


def _server_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    sys.path.insert(0, str(ROOT))
    from prb.embedded_db import data_folder, embedded_database_settings

    db = embedded_database_settings(data_folder())
    return f"postgresql://postgres@/{db['NAME']}?host={db['HOST']}&port={db['PORT']}"


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _psql_admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(_with_database(url, "postgres"), autocommit=True) as db:
        db.execute(sql)


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds of the command's process)."""
    started, cpu = time.perf_counter(), _cpu_of_children()
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=sys.stderr
    )
    return time.perf_counter() - started, _cpu_of_children() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    options = parser.parse_args()
    server = _server_url()
    _psql_admin(server, f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
    _psql_admin(server, f'CREATE DATABASE "{BENCH_DB}"')
    env = {**os.environ, "DATABASE_URL": _with_database(server, BENCH_DB), "DEBUG": "true"}
    try:
        migrate, migrate_cpu = _timed(["migrate", "--noinput", "-v", "0"], env)
        print(
            json.dumps(
                {
                    "step": "migrate (fresh database)",
                    "seconds": round(migrate, 1),
                    "cpu_seconds": round(migrate_cpu, 1),
                }
            )
        )
        first, first_cpu = _timed(["seed_demo"], env)
        print(
            json.dumps(
                {
                    "step": "seed_demo (first build)",
                    "seconds": round(first, 1),
                    "cpu_seconds": round(first_cpu, 1),
                    "goal_seconds": GOAL_SECONDS,
                    "met": first < GOAL_SECONDS,
                    "load_average": round(os.getloadavg()[0], 1),
                }
            )
        )
        again, again_cpu = _timed(["seed_demo"], env)
        print(
            json.dumps(
                {
                    "step": "seed_demo (idempotent re-run)",
                    "seconds": round(again, 1),
                    "cpu_seconds": round(again_cpu, 1),
                }
            )
        )
    finally:
        if not options.keep:
            _psql_admin(server, f'DROP DATABASE IF EXISTS "{BENCH_DB}"')


if __name__ == "__main__":
    main()
