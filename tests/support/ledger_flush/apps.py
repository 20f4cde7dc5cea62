from django.apps import AppConfig


class LedgerFlushConfig(AppConfig):
    """Test-only: empties the database between transactional tests (see its flush command)."""

    name = "tests.support.ledger_flush"
    label = "ledger_flush"
