"""Destruction (KMK III.C.7): the form, the four reasons, the printed Berita Acara."""

import re

import pytest
from django.urls import reverse

from pharmacy.models import Destruction
from tests.pharmacy.conftest import TODAY, receive_expired

pytestmark = pytest.mark.django_db

REASONS_ID = {
    "damaged": "Produk tidak memenuhi persyaratan mutu, khasiat/kemanfaatan dan kemasan",
    "expired": "Kedaluwarsa",
    "no_licence": "Tidak memiliki izin edar",
    "criminal": "Berhubungan dengan tindak pidana di bidang kesehatan",
}


def _expired_balances(world, store, medicine, count):  # type: ignore[no-untyped-def]
    balances = []
    for n in range(count):
        lot = receive_expired(store, medicine, 10, user=world.farmasi1, batch=f"BAP-{n}").lot
        balances.append(lot.balances.get(store=store))
    return balances


def _header() -> dict[str, str]:
    return {
        "destroyed_on": TODAY.isoformat(),
        "method": "incineration",
        "place": "Insinerator RSUD",
        "witnesses": "dr. Rina, Kepala Puskesmas\nYusuf, Dinkes",
    }


def test_each_lot_has_one_quantity_field_and_one_reason(world, login, store1, metformin) -> None:
    (balance,) = _expired_balances(world, store1, metformin, 1)
    body = login(world.farmasi1).get(reverse("pharmacy:destruction_create")).content.decode()
    assert body.count(f'name="destroy_{balance.pk}"') == 1
    assert body.count(f'id="id_destroy_{balance.pk}"') == 1
    assert body.count(f'name="reason_{balance.pk}"') == 1
    # An expired lot is proposed as "b. expired"; all four reasons of III.C.7 can be chosen.
    select = re.search(rf'<select name="reason_{balance.pk}".*?</select>', body, re.S).group(0)  # type: ignore[union-attr]
    assert re.search(r'<option value="expired" selected>', select)
    for text in REASONS_ID.values():
        assert text in select


def test_the_berita_acara_prints_each_of_the_four_reasons(world, login, store1, metformin) -> None:
    balances = _expired_balances(world, store1, metformin, 4)
    data = _header()
    for balance, reason in zip(balances, REASONS_ID, strict=True):
        data[f"destroy_{balance.pk}"] = "2"
        data[f"reason_{balance.pk}"] = reason
    response = login(world.farmasi1).post(reverse("pharmacy:destruction_create"), data, follow=True)
    record = Destruction.objects.get()
    assert sorted(record.lines.values_list("reason", flat=True)) == sorted(REASONS_ID)
    body = response.content.decode()
    table = body.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    for letter, (value, text) in zip("abcd", REASONS_ID.items(), strict=True):
        assert f"{letter}. {text}" in table, value
    # A letter: the puskesmas letterhead, the number, the signature block.
    assert 'class="letterhead"' in body and world.pkm1.name in body
    assert record.number in body and "NIP" in body
    assert "Yusuf, Dinkes" in body


def test_a_wrong_quantity_keeps_what_was_typed(world, login, store1, metformin) -> None:
    (balance,) = _expired_balances(world, store1, metformin, 1)
    data = {**_header(), f"destroy_{balance.pk}": "11", f"reason_{balance.pk}": "criminal"}
    response = login(world.farmasi1).post(reverse("pharmacy:destruction_create"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "lebih kecil dari atau sama dengan 10" in body
    assert f'name="destroy_{balance.pk}" value="11"' in body
    assert re.search(r'<option value="criminal" selected>', body)
    assert 'value="Insinerator RSUD"' in body
    assert not Destruction.objects.exists()
