"""Every pharmacy export, with patients and documents named like formulas (issue 10 item 3)."""

import datetime as dt

import pytest
from django.urls import reverse

from pharmacy import services
from tests.patients.factories import PatientFactory
from tests.pharmacy.conftest import ABC_OCTOBER, prescribe, receive
from tests.support.exports import HOSTILE, assert_inert, flat

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_pharmacy_export_is_inert(world, login, store1, metformin, fmt) -> None:
    metformin.name = "=cmd|' /C calc'!A0"
    metformin.save()
    receive(store1, metformin, 500, user=world.farmasi1, on=dt.date(2026, 10, 1), batch="-B1")
    for name in HOSTILE:
        patient = PatientFactory(fktp=world.pkm1, name=name)
        services.stock_dispense(
            actor=world.farmasi1,
            prescription=prescribe(world, patient, metformin, 10, on=dt.date(2026, 10, 3)),
            dispensed_on=dt.date(2026, 10, 3),
        )
    client = login(world.farmasi1)
    claims = assert_inert(
        client.get(reverse("pharmacy:claims"), {"month": "2026-10", "format": fmt})
    )
    for name in HOSTILE:
        assert "'" + name in flat(claims)
    card = assert_inert(
        client.get(reverse("pharmacy:card", args=[store1.pk, metformin.pk]), {"format": fmt})
    )
    assert "'-B1" in flat(card)
    if fmt == "xlsx":
        assert 500 in flat(card)  # the quantities PRB writes stay numbers
    lplpo = client.get(
        reverse("pharmacy:lplpo", args=[store1.pk]), {"month": "2026-10", "format": fmt}
    )
    assert any(str(v).startswith("'=cmd") for v in flat(assert_inert(lplpo)))
    plan = client.get(reverse("pharmacy:planning", args=[store1.pk]))
    assert_inert(
        client.get(
            reverse("pharmacy:planning", args=[store1.pk]),
            {**plan.context["form"].data, "format": fmt},
        )
    )
    abc = client.get(
        reverse("pharmacy:abc_ven", args=[store1.pk]),
        {**ABC_OCTOBER, "format": fmt},
    )
    assert any(str(v).startswith("'=cmd") for v in flat(assert_inert(abc)))
