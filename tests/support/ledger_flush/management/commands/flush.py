"""``flush`` for the test run: Django's, with the append-only TRUNCATE guards lifted.

Transactional tests (live server, Celery worker, concurrency) are cleaned up with TRUNCATE,
which the ledger and the history tables refuse (issue 10 item 7). Here only, the flush runs
with ``session_replication_role = replica``, under which ordinary triggers do not fire
(the test database role is a superuser; the application's role is not).
"""

from typing import Any

from django.core.management.commands import flush
from django.db import connections


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
        try:
            super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")
