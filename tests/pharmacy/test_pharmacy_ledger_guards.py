"""The ledger and the history cannot be emptied or rewritten (issue 10 item 7)."""

import pytest
from django.db import DatabaseError, connection, transaction

from patients.models import PatientAccessLog
from pharmacy.models import StockCardLine
from tests.pharmacy.conftest import receive

pytestmark = pytest.mark.django_db


def _truncate(table: str) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        # The test's own inserts still have deferred foreign-key checks pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {table} CASCADE")


def test_truncate_on_the_stock_card_is_refused(world, store1, metformin) -> None:
    line = receive(store1, metformin, 10, user=world.farmasi1)
    with pytest.raises(DatabaseError, match="append-only"):
        _truncate("pharmacy_stockcardline")
    assert StockCardLine.objects.filter(pk=line.pk).exists()


@pytest.mark.parametrize(
    "table",
    [
        "pharmacy_stockcardlineevent",
        "pharmacy_stockbalanceevent",
        "patients_patientevent",
        "referrals_prbcaseevent",
        "alerts_worklistremovalevent",
        "pghistory_context",
        "patients_patientaccesslog",
    ],
)
def test_truncate_on_history_and_access_logs_is_refused(world, store1, metformin, table) -> None:
    receive(store1, metformin, 10, user=world.farmasi1)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        before = cursor.fetchone()[0]
    with pytest.raises(DatabaseError, match="append-only"):
        _truncate(table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        assert cursor.fetchone()[0] == before


def test_an_access_log_row_cannot_be_rewritten(world) -> None:
    log = PatientAccessLog.objects.create(patient=world.patient1, user=world.dokter1)
    with pytest.raises(DatabaseError), transaction.atomic():
        PatientAccessLog.objects.filter(pk=log.pk).update(user=world.dokter2)
    log.refresh_from_db()
    assert log.user == world.dokter1


def _triggers_of(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
            [table],
        )
        return [row[0] for row in cursor.fetchall()]


def test_naming_the_guards_in_pgtrigger_ignore_does_not_lift_them(world, store1, metformin) -> None:
    """Any role may SET pgtrigger.ignore; the guards hold all the same (accounts.audit)."""
    line = receive(store1, metformin, 10, user=world.farmasi1)
    names = _triggers_of("pharmacy_stockcardline")
    assert any("no_update" in name for name in names)
    ignore = "{" + ",".join(names) + "}"
    for statement in (
        "UPDATE pharmacy_stockcardline SET balance_after = 0 WHERE id = %s",
        "DELETE FROM pharmacy_stockcardline WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT set_config('pgtrigger.ignore', %s, true)", [ignore])
            cursor.execute(statement, [line.pk])
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT set_config('pgtrigger.ignore', %s, true)", [ignore])
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE pharmacy_stockcardline CASCADE")
    line.refresh_from_db()
    assert line.balance_after == 10
