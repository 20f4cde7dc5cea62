import datetime as dt

import pytest

from demo.seed_pharmacy import seed
from demo.world import build_world
from lib.months import add_months_first_day
from pharmacy import planning, selectors
from pharmacy.models import Prescription, StockBalance, StockCardLine, Store

pytestmark = pytest.mark.django_db


def test_the_demo_puskesmas_have_stock_history_and_lots_near_expiry(frozen_today) -> None:
    world = build_world()
    seed(world)
    lines = StockCardLine.objects.count()
    seed(world)
    assert StockCardLine.objects.count() == lines  # idempotent
    for puskesmas in world.puskesmas:
        store = Store.objects.get(facility=puskesmas, kind=Store.Kind.PRB)
        assert StockBalance.objects.filter(store=store, quantity__gt=0).exists()
    today = frozen_today
    near = StockBalance.objects.filter(
        quantity__gt=0, lot__expiry_date__lte=today + dt.timedelta(days=60)
    )
    assert near.exists()
    first = Store.objects.get(facility=world.puskesmas[0], kind=Store.Kind.PRB)
    assert StockCardLine.objects.filter(store=first, movement="dispense").count() > 20
    assert Store.objects.filter(facility=world.puskesmas[0], kind=Store.Kind.DEPOT).exists()
    assert Prescription.objects.filter(facility=world.puskesmas[0], status="waiting").exists()
    plans = selectors.consumption_plans(
        store=first,
        last_month=add_months_first_day(today.replace(day=1), -1),
        history_months=6,
        period_months=12,
        lead_time_months=1,
        buffer=planning.BufferStock.months_of_use(1),
    )
    assert any(row.plan and row.plan.planned_need_units > 0 for row in plans)
