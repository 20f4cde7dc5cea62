"""A real Celery worker on a queue the test chooses, so a second worker can take over.

Built on tests/support/celery_worker.py; the worker's output is read in a thread
so a test can wait for a log line (e.g. the parent noticing a killed child).
"""

import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from celery import Celery

from tests.support.celery_worker import ROOT, WorkerHandle, redis_url, test_database_url


def new_queue() -> str:
    return f"test-{uuid.uuid4().hex[:10]}"


class LoggedWorker(WorkerHandle):
    def wait_until_ready(self, timeout: float = 60) -> None:
        super().wait_until_ready(timeout)
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.log.append(line)

    def wait_for_log(self, text: str, timeout: float = 30) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(text in line for line in list(self.log)):
                return True
            time.sleep(0.1)
        return False

    def child_pids(self) -> list[int]:
        path = f"/proc/{self.process.pid}/task/{self.process.pid}/children"
        with open(path) as handle:
            return [int(pid) for pid in handle.read().split()]


@contextmanager
def worker_on(queue: str, *, concurrency: int = 1) -> Iterator[LoggedWorker]:
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
    handle = LoggedWorker(app=app, queue=queue, process=process)
    try:
        handle.wait_until_ready()
        yield handle
    finally:
        handle.stop()
        app.close()
