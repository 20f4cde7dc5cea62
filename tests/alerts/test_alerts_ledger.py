"""The nightly reconciliation recomputes every balance from the stock card (issue 10 item 7)."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from alerts.models import Alert
from alerts.tasks import ledger_reconcile
from pharmacy.models import StockBalance, StockCardLine
from tests.pharmacy.conftest import TODAY, receive
from tests.pharmacy.factories import MedicineFactory, StoreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stocked(world):  # type: ignore[no-untyped-def]
    store = StoreFactory(facility=world.pkm1, name="Gudang PRB Satu")
    medicine = MedicineFactory(name="Amlodipin Uji", strength="5 mg")
    first = receive(store, medicine, 100, user=world.farmasi1, batch="AM-1")
    receive(store, medicine, 20, user=world.farmasi1, batch="AM-1")
    other = StoreFactory(facility=world.pkm2, name="Gudang PRB Dua")
    receive(other, medicine, 50, user=world.farmasi2, batch="AM-2")
    return store, first.lot


def _mismatches():  # type: ignore[no-untyped-def]
    return Alert.objects.filter(kind=Alert.Kind.LEDGER_MISMATCH)


def test_a_ledger_that_agrees_raises_nothing(stocked) -> None:
    assert ledger_reconcile.apply().get() == {"differences": 0, "raised": 0, "resolved": 0}
    assert not _mismatches().exists()


def test_a_tampered_balance_raises_one_alert_for_the_pharmacy(world, stocked) -> None:
    store, lot = stocked
    StockBalance.objects.filter(store=store, lot=lot).update(quantity=90)
    result = ledger_reconcile.apply().get()
    assert result["differences"] == 1 and result["raised"] == 1
    alert = _mismatches().get()
    assert alert.facility == world.pkm1 and alert.roles == ["farmasi", "admin"]
    assert alert.severity == Alert.Severity.URGENT
    assert "90" in alert.body and "120" in alert.body
    assert alert.link == f"/farmasi/gudang/{store.pk}/kartu/{lot.medicine_id}/"
    assert Alert.objects.visible_to(world.farmasi1).filter(pk=alert.pk).exists()
    assert not Alert.objects.visible_to(world.farmasi2).filter(pk=alert.pk).exists()
    # Idempotent: the next night adds nothing while the difference is the same.
    assert ledger_reconcile.apply().get()["raised"] == 0
    assert _mismatches().count() == 1


def _tamper(sql: str, params: list) -> None:  # type: ignore[type-arg]
    """Rewrite the card as someone with DDL rights would: the no-update trigger off."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred check left pending
        cursor.execute("ALTER TABLE pharmacy_stockcardline DISABLE TRIGGER USER")
        try:
            cursor.execute(sql, params)
        finally:
            cursor.execute("ALTER TABLE pharmacy_stockcardline ENABLE TRIGGER USER")


def test_a_running_balance_cannot_be_tampered_with_through_the_app(stocked) -> None:
    store, lot = stocked
    with pytest.raises(DatabaseError), transaction.atomic():
        StockCardLine.objects.filter(store=store, lot=lot).update(balance_after=99)


def test_a_tampered_running_balance_is_found(world, stocked) -> None:
    store, lot = stocked
    first, second = StockCardLine.objects.filter(store=store, lot=lot).order_by("id")
    assert (first.balance_after, second.balance_after) == (100, 120)
    _tamper("UPDATE pharmacy_stockcardline SET balance_after = 99 WHERE id = %s", [first.pk])
    result = ledger_reconcile.apply().get()
    assert result["differences"] == 1
    alert = _mismatches().get()
    assert "120" in alert.body and "1 baris" in alert.body


def test_lines_written_out_of_date_order_are_not_a_difference(world, stocked) -> None:
    """A backdated receipt sits where it was written; the card agrees in card order."""
    store, lot = stocked
    receive(
        store,
        lot.medicine,
        7,
        user=world.farmasi1,
        on=TODAY - dt.timedelta(days=30),
        batch=lot.batch,
        expiry=lot.expiry_date,
    )
    assert ledger_reconcile.apply().get()["differences"] == 0


def test_the_alert_resolves_once_the_figures_agree_again(world, stocked) -> None:
    store, lot = stocked
    StockBalance.objects.filter(store=store, lot=lot).update(quantity=90)
    ledger_reconcile.apply().get()
    StockBalance.objects.filter(store=store, lot=lot).update(quantity=120)
    assert ledger_reconcile.apply().get()["resolved"] == 1
    assert _mismatches().get().resolved_at is not None


def test_the_reconciliation_is_a_daily_job(world, stocked, capsys) -> None:
    store, lot = stocked
    StockBalance.objects.filter(store=store, lot=lot).update(quantity=1)
    call_command("run_daily_jobs")
    assert "pharmacy-ledger-reconcile: " in capsys.readouterr().out
    assert _mismatches().filter(facility=world.pkm1).exists()
