"""Planning, ABC, VEN and PUT through the Django layer, against hand-computed examples."""

import datetime as dt
from decimal import Decimal

import pytest

from pharmacy import planning, selectors, services
from tests.pharmacy.conftest import TODAY, dispense, receive
from tests.pharmacy.factories import LotFactory, MedicineFactory, StoreFactory

pytestmark = pytest.mark.django_db


def usage_by_month(store, medicine, first_month, last_month):  # type: ignore[no-untyped-def]
    """(month, used, stock-out days) for each month from the card."""
    usage = selectors.monthly_usage(
        store=store, medicine=medicine, first_month=first_month, last_month=last_month
    )
    return [(u.month.month, u.quantity_used, u.stock_out_days) for u in usage]


@pytest.fixture
def history(world, store1, metformin):  # type: ignore[no-untyped-def]
    """May–Oct 2026: use 30, 40, 30 (out of stock from 5 July), 20, 20, 10."""
    day = dt.date

    def deliver(quantity: int, on: dt.date, batch: str, expiry: dt.date) -> None:
        receive(store1, metformin, quantity, user=world.farmasi1, on=on, batch=batch, expiry=expiry)

    deliver(100, day(2026, 5, 1), "L1", day(2028, 12, 31))
    dispense(world, store1, metformin, 30, day(2026, 5, 10))
    dispense(world, store1, metformin, 40, day(2026, 6, 10))
    dispense(world, store1, metformin, 30, day(2026, 7, 5))
    deliver(60, day(2026, 8, 1), "L2", day(2029, 6, 30))
    dispense(world, store1, metformin, 20, day(2026, 8, 15))
    dispense(world, store1, metformin, 20, day(2026, 9, 15))
    dispense(world, store1, metformin, 10, day(2026, 10, 15))
    # Received after the history: 50 units expiring in 41 days.
    deliver(50, day(2026, 11, 1), "L3", day(2026, 12, 31))


def test_monthly_usage_and_stock_out_days_come_from_the_card(history, store1, metformin) -> None:
    assert usage_by_month(store1, metformin, dt.date(2026, 5, 1), dt.date(2026, 10, 1)) == [
        (5, 30, 0),
        (6, 40, 0),
        (7, 30, 27),  # zero from 5 to 31 July
        (8, 20, 0),
        (9, 20, 0),
        (10, 10, 0),
    ]


def test_the_consumption_plan_by_hand(history, store1, metformin) -> None:
    rows = selectors.consumption_plans(
        store=store1,
        last_month=dt.date(2026, 10, 1),
        history_months=6,
        period_months=12,
        lead_time_months=1,
        buffer=planning.BufferStock.percent_of_base(10),
        as_of=dt.date(2026, 11, 20),
    )
    (row,) = rows
    plan = row.plan
    # July is left out: (30 + 40 + 20 + 20 + 10) / 5 = 24 a month.
    assert plan.average_monthly_use == Decimal("24.00")
    assert plan.months_excluded == (dt.date(2026, 7, 1),)
    assert plan.working_stock == Decimal("288.00")  # B = 24 × 12
    assert plan.buffer_stock == Decimal("28.80")  # C = 10% of B
    assert plan.lead_time_stock == Decimal("24.00")  # D = 1 × 24
    # E: L3 (50, expires in 41 days) first: 24 × 41 / 30.4375 = 32.3 → 32 usable; then
    # L2's 10 units. L1 is used up.
    assert plan.usable_remaining_stock == Decimal("42.00")
    assert plan.planned_need == Decimal("298.80")  # 288 + 28.8 + 24 − 42
    assert plan.planned_need_units == 299


def test_the_lplpo_by_hand(history, store1, metformin) -> None:
    (july,) = selectors.lplpo(store=store1, month=dt.date(2026, 7, 1))
    assert (july.opening, july.received, july.used, july.other, july.closing) == (30, 0, 30, 0, 0)
    assert july.stock_out_days == 27
    assert july.request == 60  # 2 × 30 − 0
    (august,) = selectors.lplpo(store=store1, month=dt.date(2026, 8, 1))
    assert (august.opening, august.received, august.used, august.closing, august.request) == (
        0,
        60,
        20,
        40,
        0,
    )


def test_a_receipt_written_late_counts_on_its_own_date(history, world, store1, metformin) -> None:
    """The card runs in the order lines were written; the reports read it by date."""
    receive(
        store1,
        metformin,
        15,
        user=world.farmasi1,
        on=dt.date(2026, 7, 20),
        batch="L4",
        expiry=dt.date(2029, 1, 31),
    )
    card = list(selectors.stock_card(store=store1, medicine=metformin))
    assert [(line.date, line.balance_after, line.medicine_balance) for line in card[-2:]] == [
        (dt.date(2026, 11, 1), 50, 60),
        (dt.date(2026, 7, 20), 15, 75),
    ]
    assert usage_by_month(store1, metformin, dt.date(2026, 7, 1), dt.date(2026, 8, 1)) == [
        (7, 30, 15),  # zero from 5 to 19 July only
        (8, 20, 0),
    ]
    (july,) = selectors.lplpo(store=store1, month=dt.date(2026, 7, 1))
    assert (july.opening, july.received, july.used, july.closing, july.stock_out_days) == (
        30,
        15,
        30,
        15,
        15,
    )


@pytest.fixture
def four_medicines(world, store1):  # type: ignore[no-untyped-def]
    """Alfa V 100 × Rp1000, Beta E 60 × Rp500, Gamma E 150 × Rp100, Delta N 100 × Rp50."""
    medicines = {
        "Alfa": MedicineFactory(name="Alfa", price=1000, ven="V"),
        "Beta": MedicineFactory(name="Beta", price=500, ven="E"),
        "Gamma": MedicineFactory(name="Gamma", price=100, ven="E"),
        "Delta": MedicineFactory(name="Delta", price=50, ven="N"),
    }
    used = {"Alfa": 100, "Beta": 60, "Gamma": 150, "Delta": 100}
    for name, medicine in medicines.items():
        receive(store1, medicine, 200, user=world.farmasi1, on=dt.date(2026, 10, 1))
        dispense(world, store1, medicine, used[name], dt.date(2026, 10, 10))
    return medicines


def test_abc_by_investment_and_put_by_hand(world, store1, four_medicines) -> None:
    table = selectors.abc_ven(store=store1, start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31))
    rows = {row.name.split()[0]: row for row in table.rows}
    # Values 100 000, 30 000, 15 000, 5 000 of 150 000: shares 66.67, 20, 10, 3.33 %.
    assert [r.name.split()[0] for r in table.rows] == ["Alfa", "Beta", "Gamma", "Delta"]
    assert rows["Alfa"].value == Decimal("100000.00")
    assert rows["Beta"].cumulative_percent == Decimal("86.67")
    assert {n: r.combination for n, r in rows.items()} == {
        "Alfa": "AV",
        "Beta": "AE",  # starts at 66.67 % < 70 %
        "Gamma": "BE",  # starts at 86.67 % < 90 %
        "Delta": "CN",
    }
    assert {n: r.put_group.value for n, r in rows.items()} == {
        "Alfa": "prioritas",
        "Beta": "utama",
        "Gamma": "utama",
        "Delta": "tambahan",
    }


def test_abc_by_usage_by_hand(world, store1, four_medicines) -> None:
    table = selectors.abc_ven(
        store=store1, start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31), basis="usage"
    )
    # 150, 100, 100, 60 of 410: Gamma starts at 0, Alfa at 36.59, Delta at 60.98 (all A),
    # Beta at 85.37 (B). Alfa before Delta on the tie by name.
    assert [(r.name.split()[0], r.abc_class.value) for r in table.rows] == [
        ("Gamma", "A"),
        ("Alfa", "A"),
        ("Delta", "A"),
        ("Beta", "B"),
    ]


def test_custom_cutoffs_change_the_classes(world, store1, four_medicines) -> None:
    table = selectors.abc_ven(
        store=store1,
        start=dt.date(2026, 10, 1),
        end=dt.date(2026, 10, 31),
        cutoffs=planning.AbcCutoffs(60, 30, 10),
    )
    # Beta now starts at 66.67 % ≥ 60 %: class B; Gamma at 86.67 < 90: B.
    assert [r.abc_class.value for r in table.rows] == ["A", "B", "B", "C"]


def test_the_district_ven_override_changes_put_in_that_district_only(
    world, store1, four_medicines
) -> None:
    gamma = four_medicines["Gamma"]
    services.ven_override_set(
        actor=world.dinkes_a, regency=world.regency_a, medicine=gamma, ven="N"
    )
    table = selectors.abc_ven(store=store1, start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31))
    gamma_row = next(r for r in table.rows if r.name.startswith("Gamma"))
    assert (gamma_row.combination, gamma_row.put_group.value) == ("BN", "tambahan")
    assert selectors.ven_for_regency(world.regency_b.pk)[gamma.pk] == "E"
    # Setting it back to the formulary's class removes the override.
    services.ven_override_set(
        actor=world.dinkes_a, regency=world.regency_a, medicine=gamma, ven="E"
    )
    assert selectors.ven_for_regency(world.regency_a.pk)[gamma.pk] == "E"


def test_district_stock_levels_and_gaps(world, store1, metformin) -> None:
    metformin.is_tracer = True
    metformin.save()
    receive(store1, metformin, 40, user=world.farmasi1)
    receive(StoreFactory(facility=world.pkm3), metformin, 7, user=world.farmasi1)
    rows = selectors.stock_levels_for_regency(world.regency_a)
    assert [(r.facility_name, r.quantity, r.usable_quantity) for r in rows] == [
        ("Puskesmas Satu", 40, 40)
    ]
    gaps = selectors.stock_outs_for_regency(world.regency_a)
    assert (world.pkm2, metformin) in gaps and (world.pkm1, metformin) not in gaps
    expiring = selectors.expiring_lots_for_regency(world.regency_a, within_days=365 * 3)
    assert [b.quantity for b in expiring] == [40]


def test_claims_per_patient_per_month_net_of_reversals(world, store1, metformin) -> None:
    metformin.price = Decimal("150")
    metformin.save()
    receive(store1, metformin, 200, user=world.farmasi1, on=dt.date(2026, 10, 1))
    dispense(world, store1, metformin, 60, dt.date(2026, 10, 5))
    dispense(world, store1, metformin, 30, dt.date(2026, 10, 20))
    wrong = dispense(world, store1, metformin, 10, dt.date(2026, 10, 25)).card_lines[0]
    services.stock_card_line_reverse(actor=world.farmasi1, line=wrong, reason="Batal")
    dispense(world, store1, metformin, 5, dt.date(2026, 11, 2))
    (claim,) = selectors.claims(facility_id=world.pkm1.pk, month=dt.date(2026, 10, 1))
    assert claim.patient == world.patient1
    assert [(line.quantity, line.total) for line in claim.lines] == [(90, Decimal("13500"))]


# ---------------------------------------------------------------- medicines unavailable


@pytest.fixture
def depot(world):  # type: ignore[no-untyped-def]
    """KMK III.C.8.b.2: the partner apotek PRB keeps a depot of its stock at the puskesmas."""
    from facilities.models import Facility
    from pharmacy.models import Store
    from tests.facilities.factories import FacilityFactory

    apotek = FacilityFactory(kind=Facility.Kind.APOTEK_PRB, regency=world.pkm1.regency)
    return Store.objects.create(
        facility=world.pkm1, kind=Store.Kind.DEPOT, partner=apotek, name="Depo Apotek"
    )


def _regimen(medicine, quantity=90):  # type: ignore[no-untyped-def]
    return [{"medicine": medicine.pk, "name": medicine.name, "quantity": quantity}]


def test_a_medicine_in_the_partner_depot_is_not_unavailable(world, store1, depot, metformin):  # type: ignore[no-untyped-def]
    receive(depot, metformin, 120, user=world.farmasi1)
    regimen = _regimen(metformin)
    assert selectors.usable_units_by_medicine(facility_id=world.pkm1.pk, as_of=TODAY) == {
        metformin.pk: 120
    }
    assert (
        selectors.medicines_unavailable(facility_id=world.pkm1.pk, regimen=regimen, as_of=TODAY)
        is False
    )


def test_an_inactive_stores_stock_does_not_count(world, store1, depot, metformin):  # type: ignore[no-untyped-def]
    receive(depot, metformin, 120, user=world.farmasi1)
    depot.is_active = False
    depot.save(update_fields=["is_active"])
    regimen = _regimen(metformin)
    assert selectors.usable_units_by_medicine(facility_id=world.pkm1.pk, as_of=TODAY) == {}
    assert selectors.medicines_unavailable(facility_id=world.pkm1.pk, regimen=regimen, as_of=TODAY)


def test_stock_is_unknown_without_an_active_dispensing_store(world, store1, metformin):  # type: ignore[no-untyped-def]
    store1.is_active = False
    store1.save(update_fields=["is_active"])
    assert (
        selectors.medicines_unavailable(
            facility_id=world.pkm1.pk, regimen=_regimen(metformin), as_of=TODAY
        )
        is None
    )


def test_expired_lots_and_less_than_a_month_make_a_medicine_unavailable(world, store1, metformin):  # type: ignore[no-untyped-def]
    from pharmacy.models import StockBalance

    expired = LotFactory(medicine=metformin, expiry_date=TODAY)
    StockBalance.objects.create(store=store1, lot=expired, medicine=metformin, quantity=500)
    receive(store1, metformin, 60, user=world.farmasi1)
    lines = selectors.regimen_lines_unavailable(
        _regimen(metformin),
        selectors.usable_units_by_medicine(facility_id=world.pkm1.pk, as_of=TODAY) or {},
    )
    assert [line["medicine"] for line in lines] == [metformin.pk]
    assert not selectors.regimen_lines_unavailable(_regimen(metformin, 60), {metformin.pk: 60})


def test_district_stock_levels_on_a_past_day_undo_the_later_movements(
    world, store1, metformin
) -> None:
    receive(store1, metformin, 200, user=world.farmasi1, on=dt.date(2026, 10, 1))
    dispense(world, store1, metformin, 60, dt.date(2026, 10, 5))
    dispense(world, store1, metformin, 30, dt.date(2026, 11, 2))

    def held(on: dt.date) -> list[tuple[int, int]]:
        rows = selectors.stock_levels_for_regency(world.regency_a, as_of=on)
        return [(r.quantity, r.usable_quantity) for r in rows]

    assert held(dt.date(2026, 9, 30)) == [(0, 0)]
    assert held(dt.date(2026, 10, 4)) == [(200, 200)]
    assert held(dt.date(2026, 10, 31)) == [(140, 140)]
    assert held(TODAY) == [(110, 110)]
