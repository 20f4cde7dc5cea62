"""A real Celery worker process against Redis, sharing the test database."""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from celery import Celery
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def redis_url() -> str:
    return os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


def test_database_url() -> str:
    params = connection.settings_dict
    host = quote(params["HOST"] or "127.0.0.1", safe="")
    port = f":{params['PORT']}" if params["PORT"] else ""
    password = f":{quote(params['PASSWORD'])}" if params.get("PASSWORD") else ""
    return f"postgres://{params['USER']}{password}@{host}{port}/{params['NAME']}"


@contextmanager
def celery_worker(
    *,
    concurrency: int = 1,
    queue: str | None = None,
    handle_class: type["WorkerHandle"] | None = None,
) -> Iterator[Any]:
    """Start `celery -A prb worker` on a queue (private unless given); yield a handle to it.

    Two workers may share a queue (one taking over from another), so each gets its own name.
    """
    queue = queue or f"test-{uuid.uuid4().hex[:10]}"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": test_database_url(),
        "REDIS_URL": redis_url(),
        "DJANGO_SETTINGS_MODULE": "prb.settings",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "prb",
            "worker",
            "-Q",
            queue,
            "--concurrency",
            str(concurrency),
            "--pool",
            "prefork",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel",
            "INFO",
            "--hostname",
            f"{queue}-{uuid.uuid4().hex[:4]}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    app = Celery("prb-test-client", broker=redis_url())
    handle = (handle_class or WorkerHandle)(app=app, queue=queue, process=process)
    try:
        handle.wait_until_ready()
        yield handle
    finally:
        handle.stop()
        app.close()


class WorkerHandle:
    def __init__(self, *, app: Celery, queue: str, process: subprocess.Popen) -> None:
        self.app, self.queue, self.process = app, queue, process
        self.log: list[str] = []

    def wait_until_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        assert self.process.stdout is not None
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line and self.process.poll() is not None:
                raise RuntimeError("Celery worker exited:\n" + "".join(self.log))
            self.log.append(line)
            if " ready." in line:
                return
        raise TimeoutError("Celery worker did not start:\n" + "".join(self.log))

    def send(self, task_name: str, *args: object, **kwargs: object) -> None:
        self.app.send_task(task_name, args=args, kwargs=kwargs, queue=self.queue)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def wait_for(predicate, timeout: float = 30, interval: float = 0.2) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()
