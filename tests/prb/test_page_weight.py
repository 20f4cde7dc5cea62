"""Pages stay light for slow links: under 100 KB transferred (gzip, as whitenoise serves it)."""

import gzip
import re

from django.contrib.staticfiles import finders
from django.urls import reverse

BUDGET = 100 * 1024


def _transferred(html: str) -> int:
    size = len(gzip.compress(html.encode()))
    for asset in re.findall(r'(?:src|href)="/static/([^"]+)"', html):
        path = finders.find(asset)
        assert path, asset
        with open(path, "rb") as handle:
            size += len(gzip.compress(handle.read()))
    return size


def test_the_patient_list_fits_the_budget(world, login) -> None:
    from tests.patients.factories import PatientFactory

    PatientFactory.create_batch(25, fktp=world.pkm1)
    html = login(world.dokter1).get(reverse("patients:list")).content.decode()
    assert "htmx" in html and "prb.css" in html
    assert _transferred(html) < BUDGET
