"""Planning names its columns in whole units; the LPLPO prints as a signed letter (issue 14)."""

import re

import pytest
from django.urls import reverse

from tests.pharmacy.conftest import use_in_october

pytestmark = pytest.mark.django_db


def test_planning_names_its_columns_in_whole_units(world, login, store1, metformin) -> None:
    use_in_october(world, store1, metformin, 37)
    planning = (
        login(world.farmasi1).get(reverse("pharmacy:planning", args=[store1.pk])).content.decode()
    )
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


def test_the_lplpo_prints_as_a_signed_letter(world, login, october, store1) -> None:
    lplpo = login(world.farmasi1).get(
        reverse("pharmacy:lplpo", args=[store1.pk]), {"month": "2026-10"}
    )
    body = lplpo.content.decode()
    assert 'class="letterhead"' in body and world.pkm1.name in body
    assert "Penanggung jawab farmasi" in body and "NIP" in body
