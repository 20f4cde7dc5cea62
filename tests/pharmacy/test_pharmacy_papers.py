"""Planning names its columns in whole units; the LPLPO prints as a signed letter (issue 14)."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from pharmacy import services
from tests.pharmacy.conftest import prescribe, receive

pytestmark = pytest.mark.django_db


def test_planning_names_its_columns_and_lplpo_is_a_signed_letter(
    world, login, store1, metformin
) -> None:
    receive(store1, metformin, 100, user=world.farmasi1, on=dt.date(2026, 10, 1))
    services.stock_dispense(
        actor=world.farmasi1,
        prescription=prescribe(world, world.patient1, metformin, 37, on=dt.date(2026, 10, 3)),
        dispensed_on=dt.date(2026, 10, 3),
    )
    client = login(world.farmasi1)
    planning = client.get(reverse("pharmacy:planning", args=[store1.pk])).content.decode()
    for name in (
        "B: stok kerja",
        "C: stok pengaman",
        "D: stok waktu tunggu",
        "E: sisa stok yang masih dapat digunakan",
        "A: rencana kebutuhan",
    ):
        assert name in planning
    cells = re.findall(r'data-label="[A-E]: [^"]+">(?:<strong>)?([^<]*)<', planning)
    assert cells and all(re.fullmatch(r"\d+", c) for c in cells), cells
    lplpo = client.get(reverse("pharmacy:lplpo", args=[store1.pk]), {"month": "2026-10"})
    body = lplpo.content.decode()
    assert 'class="letterhead"' in body and world.pkm1.name in body
    assert "Penanggung jawab farmasi" in body and "NIP" in body
