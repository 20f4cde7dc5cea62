"""A real Celery worker on a queue the test chooses, so a second worker can take over.

Built on tests/support/celery_worker.py; the worker's output is read in a thread
so a test can wait for a log line (e.g. the parent noticing a killed child).
"""

import threading
import time
import uuid
from contextlib import AbstractContextManager

from tests.support.celery_worker import WorkerHandle, celery_worker


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


def worker_on(queue: str, *, concurrency: int = 1) -> AbstractContextManager[LoggedWorker]:
    return celery_worker(queue=queue, concurrency=concurrency, handle_class=LoggedWorker)
