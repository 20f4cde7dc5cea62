"""Moving the test database between migrations, for the data-migration tests.

A test goes back to the state before the migration it checks, then forward again to the
latest state of every app (``migrate_latest``): going back also unapplies later
migrations of that and other apps, and the tests after it need the whole schema.
"""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def migrate_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
