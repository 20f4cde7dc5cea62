"""Real threads, each on its own database connection, released at the same moment."""

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from django.db import connection

T = TypeVar("T")
R = TypeVar("R")


@dataclass
class Together(Generic[R]):
    results: list[R] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)
    connections: set[int] = field(default_factory=set)  # PostgreSQL backend pids


def run_together(work: Callable[[T], R], items: Sequence[T]) -> Together[R]:
    """Call ``work(item)`` for every item in a thread of its own: each thread opens its own
    connection, waits at a barrier so all start together, and closes the connection.

    Returns what the calls returned, what they raised and the connections that did the work.
    """
    barrier = threading.Barrier(len(items))
    lock = threading.Lock()
    outcome: Together[R] = Together()

    def run(item: T) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
            barrier.wait(timeout=30)
            result = work(item)
            with lock:
                outcome.results.append(result)
                outcome.connections.add(pid)
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            with lock:
                outcome.errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcome
