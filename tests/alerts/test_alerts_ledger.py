"""The nightly reconciliation recomputes every balance from the stock card (issue 10 item 7)."""

import pytest
from django.core.management import call_command

from alerts.models import Alert
from alerts.tasks import ledger_reconcile
from pharmacy.models import StockBalance, StockCardLine
from tests.pharmacy.conftest import receive
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


def test_a_tampered_running_balance_is_found(world, stocked) -> None:
    store, lot = stocked
    first = StockCardLine.objects.filter(store=store, lot=lot).order_by("date", "id").first()
    StockCardLine.objects.filter(pk=first.pk).update(balance_after=99)
    result = ledger_reconcile.apply().get()
    assert result["differences"] == 1
    assert "1" in _mismatches().get().body


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
