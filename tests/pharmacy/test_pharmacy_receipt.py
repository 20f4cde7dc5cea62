"""A delivery with many lots is one form (issue 14 item 8): supplier and document typed once,
rows added without losing what was typed, past or near expiry flagged before saving."""

import datetime as dt

import pytest
from django.urls import reverse

from pharmacy.models import Lot, StockCardLine
from tests.pharmacy.conftest import TODAY, receive
from tests.pharmacy.factories import MedicineFactory

pytestmark = pytest.mark.django_db


def _delivery(lines: list[dict], **header: str) -> dict[str, str]:
    data = {
        "received_on": TODAY.isoformat(),
        "source": "ifk",
        "supplier": "IFK Kota Uji",
        "reference": "SBBK/77",
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "60",
        **header,
    }
    for i, line in enumerate(lines):
        for name, value in line.items():
            data[f"lines-{i}-{name}"] = str(value)
    return data


def test_three_lots_of_one_delivery_in_one_submit(world, login, store1, metformin) -> None:
    amlodipine = MedicineFactory(name="Amlodipin Uji", strength="10 mg")
    lines = [
        {"medicine": metformin.pk, "batch": "M-1", "expiry_date": "2028-03-31", "quantity": 100},
        {"medicine": metformin.pk, "batch": "M-2", "expiry_date": "2028-06-30", "quantity": 50},
        {"medicine": amlodipine.pk, "batch": "A-1", "expiry_date": "2028-01-31", "quantity": 30},
        {"medicine": "", "batch": "", "expiry_date": "", "quantity": ""},  # a row left empty
    ]
    response = login(world.farmasi1).post(
        reverse("pharmacy:receive", args=[store1.pk]), _delivery(lines), follow=True
    )
    assert "Penerimaan 3 lot tercatat di kartu stok." in response.content.decode()
    card = StockCardLine.objects.order_by("id")
    assert [(c.lot.batch, c.quantity_in) for c in card] == [("M-1", 100), ("M-2", 50), ("A-1", 30)]
    assert {(c.reference, c.counterparty) for c in card} == {("SBBK/77", "IFK Kota Uji")}


def test_a_lot_near_expiry_is_flagged_and_needs_a_confirmation(
    world, login, store1, metformin
) -> None:
    soon = TODAY + dt.timedelta(days=40)
    lines = [{"medicine": metformin.pk, "batch": "S-1", "expiry_date": soon, "quantity": 10}]
    client = login(world.farmasi1)
    flagged = client.post(reverse("pharmacy:receive", args=[store1.pk]), _delivery(lines))
    body = flagged.content.decode()
    assert flagged.status_code == 200
    assert "kedaluwarsa dalam 90 hari" in body and "sisa 40 hari" in body
    assert 'value="S-1"' in body
    assert not Lot.objects.exists()
    confirmed = client.post(
        reverse("pharmacy:receive", args=[store1.pk]),
        _delivery(lines, confirm_near_expiry="on"),
    )
    assert confirmed.status_code == 302
    assert Lot.objects.get().batch == "S-1"


def test_an_expired_lot_is_refused_and_the_delivery_kept(world, login, store1, metformin) -> None:
    lines = [
        {"medicine": metformin.pk, "batch": "OK-1", "expiry_date": "2028-03-31", "quantity": 5},
        {"medicine": metformin.pk, "batch": "LAMA-1", "expiry_date": "2026-01-31", "quantity": 5},
    ]
    response = login(world.farmasi1).post(
        reverse("pharmacy:receive", args=[store1.pk]), _delivery(lines)
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "sudah kedaluwarsa" in body
    assert 'value="OK-1"' in body and 'value="LAMA-1"' in body and 'value="SBBK/77"' in body
    assert not StockCardLine.objects.exists()  # all or nothing


def test_add_a_row_without_javascript_keeps_what_was_typed(world, login, store1, metformin) -> None:
    lines = [{"medicine": metformin.pk, "batch": "M-1", "expiry_date": "2028-03-31", "quantity": 9}]
    response = login(world.farmasi1).post(
        reverse("pharmacy:receive", args=[store1.pk]), {**_delivery(lines), "add_row": "1"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="lines-TOTAL_FORMS" value="2"' in body
    assert 'name="lines-1-batch"' in body and 'value="M-1"' in body and 'value="SBBK/77"' in body
    assert "error-summary" not in body
    assert not StockCardLine.objects.exists()


def test_the_stock_view_highlights_lots_expiring_within_90_days(
    world, login, store1, metformin
) -> None:
    for batch, days_left in [("SOON", 60), ("LATER", 400)]:
        expiry = TODAY + dt.timedelta(days=days_left)
        receive(store1, metformin, 10, user=world.farmasi1, batch=batch, expiry=expiry)
    body = login(world.farmasi1).get(reverse("pharmacy:stock", args=[store1.pk])).content.decode()
    soon = body.split(">SOON<", 1)[1].split("</li>", 1)[0]
    later = body.split(">LATER<", 1)[1].split("</li>", 1)[0]
    assert "kedaluwarsa dalam 90 hari" in soon
    assert "kedaluwarsa" not in later
