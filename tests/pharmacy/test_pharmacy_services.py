import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction

from pharmacy import services
from pharmacy.models import (
    Destruction,
    Lot,
    Prescription,
    StockBalance,
    StockCardLine,
    Store,
)
from tests.pharmacy.conftest import (
    TODAY,
    destroy,
    prescribe,
    receive,
    receive_expired,
    receive_more,
    ten_in_eight_out,
)
from tests.pharmacy.factories import LotFactory, MedicineFactory, StoreFactory

pytestmark = pytest.mark.django_db


def card(store, lot):  # type: ignore[no-untyped-def]
    """The lot's card in card order: the order its lines were written."""
    return list(
        StockCardLine.objects.filter(store=store, lot=lot)
        .order_by("id")
        .values_list("date", "quantity_in", "quantity_out", "balance_after")
    )


def balance(store, lot) -> int:  # type: ignore[no-untyped-def]
    return StockBalance.objects.get(store=store, lot=lot).quantity


def test_a_receipt_creates_the_lot_its_balance_and_a_card_line(world, store1, metformin) -> None:
    line = receive(store1, metformin, 100, user=world.farmasi1, batch="MF-01")
    assert line.lot.batch == "MF-01"
    assert line.lot.source == "ifk"
    assert balance(store1, line.lot) == 100
    assert card(store1, line.lot) == [(TODAY, 100, 0, 100)]
    assert line.reference == "SBBK/001" and line.user == world.farmasi1


def test_an_expired_lot_cannot_be_received(world, store1, metformin) -> None:
    with pytest.raises(ValidationError) as error:
        receive(store1, metformin, 5, user=world.farmasi1, expiry=TODAY)
    assert "lines" in error.value.message_dict
    assert not StockCardLine.objects.exists()


def test_dispensing_takes_the_first_expiring_lot_first(world, store1, metformin) -> None:
    late = receive(store1, metformin, 50, user=world.farmasi1, expiry=dt.date(2029, 1, 1)).lot
    early = receive(store1, metformin, 20, user=world.farmasi1, expiry=dt.date(2027, 6, 1)).lot
    prescription = prescribe(world, world.patient1, metformin, 30)
    result = services.stock_dispense(actor=world.farmasi1, prescription=prescription)
    assert [(line.lot_id, line.quantity_out) for line in result.card_lines] == [
        (early.pk, 20),
        (late.pk, 10),
    ]
    assert balance(store1, early) == 0 and balance(store1, late) == 40
    prescription.refresh_from_db()
    assert prescription.status == Prescription.Status.DISPENSED
    assert result.owed == {prescription.lines.get().pk: 0}


def test_expired_stock_is_never_dispensed(world, store1, metformin) -> None:
    expired = receive_expired(
        store1, metformin, 50, user=world.farmasi1, expiry=dt.date(2026, 6, 1)
    ).lot
    prescription = prescribe(world, world.patient1, metformin, 30)
    with pytest.raises(ValidationError, match="Tidak ada stok"):
        services.stock_dispense(actor=world.farmasi1, prescription=prescription)
    assert balance(store1, expired) == 50
    assert prescription.lines.get().dispensed_quantity == 0


def test_partial_dispensing_records_what_is_owed(world, store1, metformin) -> None:
    receive(store1, metformin, 25, user=world.farmasi1)
    prescription = prescribe(world, world.patient1, metformin, 60)
    result = services.stock_dispense(actor=world.farmasi1, prescription=prescription)
    line = prescription.lines.get()
    assert line.dispensed_quantity == 25 and line.owed_quantity == 35
    assert result.owed == {line.pk: 35}
    prescription.refresh_from_db()
    assert prescription.status == Prescription.Status.PARTLY

    receive(store1, metformin, 100, user=world.farmasi1)
    services.stock_dispense(actor=world.farmasi1, prescription=prescription)
    line.refresh_from_db()
    prescription.refresh_from_db()
    assert line.dispensed_quantity == 60
    assert prescription.status == Prescription.Status.DISPENSED
    with pytest.raises(ValidationError):
        services.stock_dispense(actor=world.farmasi1, prescription=prescription)


def test_a_smaller_quantity_can_be_handed_out_and_more_than_owed_is_refused(
    world, store1, metformin
) -> None:
    receive(store1, metformin, 100, user=world.farmasi1)
    prescription = prescribe(world, world.patient1, metformin, 60)
    line = prescription.lines.get()
    with pytest.raises(ValidationError) as error:
        services.stock_dispense(
            actor=world.farmasi1, prescription=prescription, quantities={line.pk: 61}
        )
    assert "quantities" in error.value.message_dict
    services.stock_dispense(
        actor=world.farmasi1, prescription=prescription, quantities={line.pk: 30}
    )
    line.refresh_from_db()
    assert line.owed_quantity == 30


def test_a_named_lot_is_used_instead_of_fefo(world, store1, metformin) -> None:
    receive(store1, metformin, 50, user=world.farmasi1, expiry=dt.date(2027, 1, 1))
    late = receive(store1, metformin, 50, user=world.farmasi1, expiry=dt.date(2029, 1, 1)).lot
    prescription = prescribe(world, world.patient1, metformin, 10)
    line = prescription.lines.get()
    result = services.stock_dispense(
        actor=world.farmasi1, prescription=prescription, lots={line.pk: late}
    )
    assert [card_line.lot_id for card_line in result.card_lines] == [late.pk]


def test_nothing_to_dispense_writes_nothing(world, store1, metformin) -> None:
    prescription = prescribe(world, world.patient1, metformin, 30)
    with pytest.raises(ValidationError):
        services.stock_dispense(actor=world.farmasi1, prescription=prescription)
    assert not StockCardLine.objects.exists()
    prescription.refresh_from_db()
    assert prescription.status == Prescription.Status.WAITING


def test_a_backdated_receipt_changes_no_line_already_written(world, store1, metformin) -> None:
    lot = ten_in_eight_out(world, store1, metformin, dispensed_on=dt.date(2026, 11, 5))
    written = card(store1, lot)
    receive_more(store1, lot, 5, user=world.farmasi1, on=dt.date(2026, 11, 3))
    # The card runs in the order lines were written; the receipt keeps its own date and
    # the balance it left, and the lines before it keep theirs.
    assert card(store1, lot) == [
        *written,
        (dt.date(2026, 11, 3), 5, 0, 7),
    ]
    assert written == [(dt.date(2026, 11, 1), 10, 0, 10), (dt.date(2026, 11, 5), 0, 8, 2)]
    assert balance(store1, lot) == 7
    # No line was ever updated: pghistory recorded inserts only.
    events = StockCardLine.pgh_event_model.objects.filter(lot=lot)
    assert set(events.values_list("pgh_label", flat=True)) == {"insert"}


def test_a_backdated_entry_that_would_go_negative_is_refused(world, store1, metformin) -> None:
    lot = ten_in_eight_out(world, store1, metformin, dispensed_on=dt.date(2026, 11, 5))
    before = card(store1, lot)
    # On the 3rd there were 10 units, so 5 could go back to the IFK then, but the 8
    # dispensed on the 5th would then leave -3.
    with pytest.raises(ValidationError, match="tanggal mundur|di bawah nol"):
        services.stock_return(
            actor=world.farmasi1,
            store=store1,
            returned_on=dt.date(2026, 11, 3),
            lines=[services.LotQuantity(lot=lot, quantity=5)],
            supplier="IFK",
            reason="Retur",
        )
    assert card(store1, lot) == before
    assert balance(store1, lot) == 2


def test_a_backdated_entry_is_checked_against_the_card_read_by_date(
    world, store1, metformin
) -> None:
    lot = ten_in_eight_out(world, store1, metformin, dispensed_on=dt.date(2026, 11, 4))
    receive_more(store1, lot, 20, user=world.farmasi1, on=dt.date(2026, 11, 6))
    before = card(store1, lot)

    def give_back(quantity: int) -> None:
        services.stock_return(
            actor=world.farmasi1,
            store=store1,
            returned_on=dt.date(2026, 11, 2),
            lines=[services.LotQuantity(lot=lot, quantity=quantity)],
            supplier="IFK",
            reason="Retur",
        )

    # 22 units today, but read by date the card held 2 between the 4th and the 6th:
    # 5 going back on the 2nd would leave -3 there.
    with pytest.raises(ValidationError, match="tanggal mundur|di bawah nol"):
        give_back(5)
    assert card(store1, lot) == before and balance(store1, lot) == 22
    give_back(2)
    assert card(store1, lot) == [*before, (dt.date(2026, 11, 2), 0, 2, 20)]


def test_an_entry_dated_in_the_future_is_refused(world, store1, metformin) -> None:
    with pytest.raises(ValidationError):
        receive(store1, metformin, 10, user=world.farmasi1, on=TODAY + dt.timedelta(days=1))


def test_the_card_is_append_only_in_the_database(world, store1, metformin) -> None:
    line = receive(store1, metformin, 10, user=world.farmasi1)
    with pytest.raises(DatabaseError), transaction.atomic():
        StockCardLine.objects.filter(pk=line.pk).update(quantity_in=11)
    with pytest.raises(DatabaseError), transaction.atomic():
        StockCardLine.objects.filter(pk=line.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE pharmacy_stockcardline SET reference = 'x' WHERE id = %s", [line.pk])
    line.refresh_from_db()
    assert line.quantity_in == 10 and line.reference == "SBBK/001"


def test_the_running_balance_of_a_line_cannot_be_changed(world, store1, metformin) -> None:
    line = receive(store1, metformin, 10, user=world.farmasi1)
    with pytest.raises(DatabaseError, match="Cannot update"), transaction.atomic():
        StockCardLine.objects.filter(pk=line.pk).update(balance_after=99)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE pharmacy_stockcardline SET balance_after = balance_after + 5 WHERE id = %s",
            [line.pk],
        )
    line.refresh_from_db()
    assert line.balance_after == 10


def test_the_database_refuses_a_negative_balance(world, store1, metformin) -> None:
    line = receive(store1, metformin, 10, user=world.farmasi1)
    with pytest.raises(IntegrityError), transaction.atomic():
        StockBalance.objects.filter(store=store1, lot=line.lot).update(quantity=-1)


def test_reversing_a_dispensing_line_restores_stock_and_what_is_owed(
    world, store1, metformin
) -> None:
    lot = receive(store1, metformin, 40, user=world.farmasi1).lot
    prescription = prescribe(world, world.patient1, metformin, 30)
    dispensed = services.stock_dispense(actor=world.farmasi1, prescription=prescription).card_lines[
        0
    ]
    reversal = services.stock_card_line_reverse(
        actor=world.farmasi1, line=dispensed, reason="Salah pasien"
    )
    assert reversal.quantity_in == 30 and reversal.reverses == dispensed
    assert balance(store1, lot) == 40
    prescription.refresh_from_db()
    assert prescription.status == Prescription.Status.WAITING
    assert prescription.lines.get().owed_quantity == 30
    with pytest.raises(ValidationError):
        services.stock_card_line_reverse(actor=world.farmasi1, line=dispensed, reason="lagi")


def test_a_transfer_moves_stock_between_facilities(world, store1, store2, metformin) -> None:
    lot = receive(store1, metformin, 40, user=world.farmasi1).lot

    def transfer(quantity: int) -> list[StockCardLine]:
        return services.stock_transfer(
            actor=world.farmasi1,
            source=store1,
            destination=store2,
            transferred_on=TODAY,
            lines=[services.LotQuantity(lot=lot, quantity=quantity)],
            reference="MUT/1",
        )

    lines = transfer(15)
    assert [(line.store_id, line.change) for line in lines] == [(store1.pk, -15), (store2.pk, 15)]
    assert balance(store1, lot) == 25 and balance(store2, lot) == 15
    with pytest.raises(ValidationError):
        transfer(26)
    assert balance(store1, lot) == 25 and balance(store2, lot) == 15


def test_a_return_needs_a_reason(world, store1, metformin) -> None:
    lot = receive(store1, metformin, 40, user=world.farmasi1).lot

    def give_back(reason: str) -> None:
        services.stock_return(
            actor=world.farmasi1,
            store=store1,
            returned_on=TODAY,
            lines=[services.LotQuantity(lot=lot, quantity=5)],
            supplier="IFK",
            reason=reason,
        )

    with pytest.raises(ValidationError):
        give_back(" ")
    assert balance(store1, lot) == 40
    give_back("Kemasan bocor")
    assert balance(store1, lot) == 35


def test_expired_stock_moves_to_quarantine_and_is_destroyed_with_a_numbered_bap(
    world, store1, metformin
) -> None:
    lot = receive_expired(store1, metformin, 12, user=world.farmasi1).lot
    fresh = receive(store1, metformin, 12, user=world.farmasi1).lot

    def write_off_expired(lot: Lot, quantity: int) -> None:
        services.stock_write_off(
            actor=world.farmasi1,
            store=store1,
            on=TODAY,
            lines=[services.LotQuantity(lot=lot, quantity=quantity)],
            kind="expired",
        )

    with pytest.raises(ValidationError):
        write_off_expired(fresh, 1)
    write_off_expired(lot, 12)
    quarantine = Store.objects.get(facility=world.pkm1, kind=Store.Kind.QUARANTINE)
    assert balance(store1, lot) == 0 and balance(quarantine, lot) == 12
    first = destroy(world, quarantine, lot, 5)
    second = destroy(world, quarantine, lot, 7)
    code = world.pkm1.kemenkes_code
    assert first.number == f"BAP/{code}/2026/11/1"
    assert second.number == f"BAP/{code}/2026/11/2"
    assert balance(quarantine, lot) == 0
    assert (
        StockCardLine.objects.filter(movement="destruction", reference=first.number)
        .get()
        .quantity_out
        == 5
    )
    with pytest.raises(ValidationError):
        destroy(world, quarantine, lot, 1)  # nothing left
    assert Destruction.objects.count() == 2


def test_a_destruction_needs_two_witnesses(world, store1, metformin) -> None:
    lot = receive(store1, metformin, 5, user=world.farmasi1).lot
    with pytest.raises(ValidationError) as error:
        destroy(world, store1, lot, 1, reason="damaged", witnesses="Satu orang")
    assert "witnesses" in error.value.message_dict


def test_the_bap_number_is_unique_per_facility_and_month(world, store1) -> None:
    from tests.pharmacy.factories import StoreFactory  # noqa: F401

    kwargs = dict(
        facility=world.pkm1,
        year=2026,
        month=11,
        sequence=1,
        destroyed_on=TODAY,
        method="incineration",
        place="x",
        witnesses="a\nb",
        created_by=world.farmasi1,
    )
    Destruction.objects.create(number="BAP/A", **kwargs)
    with pytest.raises(IntegrityError), transaction.atomic():
        Destruction.objects.create(number="BAP/B", **kwargs)


def test_a_stock_count_writes_each_difference_with_its_reason(world, store1, metformin) -> None:
    lot = receive(store1, metformin, 40, user=world.farmasi1).lot
    other = receive(store1, metformin, 10, user=world.farmasi1).lot
    with pytest.raises(ValidationError, match="alasan"):
        services.stock_opname_record(
            actor=world.farmasi1,
            store=store1,
            counted_on=TODAY,
            counts=[services.OpnameCountInput(lot=lot, counted_quantity=38)],
        )
    opname = services.stock_opname_record(
        actor=world.farmasi1,
        store=store1,
        counted_on=TODAY,
        counts=[
            services.OpnameCountInput(lot=lot, counted_quantity=38, reason="Tercecer"),
            services.OpnameCountInput(lot=other, counted_quantity=10),
        ],
    )
    assert [(line.system_quantity, line.difference) for line in opname.lines.all()] == [
        (40, -2),
        (10, 0),
    ]
    assert balance(store1, lot) == 38 and balance(store1, other) == 10
    adjustment = StockCardLine.objects.get(movement="opname")
    assert adjustment.quantity_out == 2 and adjustment.note == "Tercecer"
    assert adjustment.reference == opname.reference


def test_prescription_create_still_works_as_before(world) -> None:
    medicine = MedicineFactory(max_quantity_per_month=60)
    with pytest.raises(ValidationError):
        prescribe(world, world.patient1, medicine, 61)
    prescription = prescribe(world, world.patient1, medicine, 60)
    assert prescription.facility == world.pkm1
    assert prescription.status == Prescription.Status.WAITING


def test_the_prb_store_is_opened_on_first_use(world, metformin) -> None:
    store = services.prb_store_for(world.pkm3.pk)
    assert store.kind == Store.Kind.PRB and store.facility == world.pkm3
    assert services.prb_store_for(world.pkm3.pk) == store
    assert StoreFactory(facility=world.pkm3) == store
    assert LotFactory(medicine=metformin).medicine == metformin


# ---------------------------------------------------------------- the hot path

# Lock the prescription, read its lines, lock the usable balances with their lots, read the
# later card lines, insert the card lines, update balances, lines and prescription, ask
# whether the facility sends to SATUSEHAT (+ savepoints).
DISPENSE_QUERIES = 11


def _prescription_over_two_lots_per_line(world, store, lines):  # type: ignore[no-untyped-def]
    """``lines`` medicines, 30 units each, each taken from two lots of 20 (FEFO)."""
    medicines = [MedicineFactory(max_quantity_per_month=90) for _ in range(lines)]
    for medicine in medicines:
        receive(store, medicine, 20, user=world.farmasi1, expiry=dt.date(2028, 1, 31))
        receive(store, medicine, 20, user=world.farmasi1, expiry=dt.date(2028, 6, 30))
    return services.prescription_create(
        actor=world.dokter1,
        patient=world.patient1,
        prescribed_on=TODAY,
        lines=[
            services.PrescriptionLineInput(medicine=medicine, quantity=30, signa="1x1")
            for medicine in medicines
        ],
    )


@pytest.mark.parametrize("lines", [1, 3])
def test_a_dispense_runs_in_a_fixed_number_of_queries(
    world, store1, django_assert_num_queries, lines
) -> None:  # type: ignore[no-untyped-def]
    prescription = _prescription_over_two_lots_per_line(world, store1, lines)
    with django_assert_num_queries(DISPENSE_QUERIES):
        result = services.stock_dispense(
            actor=world.farmasi1, prescription=prescription, store=store1
        )
    assert len(result.card_lines) == 2 * lines
    assert result.prescription.status == Prescription.Status.DISPENSED
    assert set(result.owed.values()) == {0}
    remaining = StockBalance.objects.filter(store=store1).order_by("lot__expiry_date")
    assert sorted(remaining.values_list("quantity", flat=True)) == [0] * lines + [10] * lines
