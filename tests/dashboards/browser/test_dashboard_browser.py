"""The district officer's journey: dashboard → DM → one puskesmas → CSV (real clock)."""

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.utils import timezone

from dashboards import services
from tests.accounts.factories import PASSWORD
from tests.dashboards.factories import CaseFactory, VisitFactory
from tests.patients.factories import PatientFactory
from tests.support.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dinkes_filters_to_dm_drills_down_and_downloads_a_csv(world, page) -> None:
    today = timezone.localdate()
    for i in range(3):
        case = CaseFactory(
            patient=PatientFactory(fktp=world.pkm1), enrolled_on=today - dt.timedelta(days=200)
        )
        VisitFactory(
            case=case, visit_date=today - dt.timedelta(days=10 + i), facts={"fpg_mg_dl": 100}
        )
    CaseFactory(patient=world.patient2, program="HT", enrolled_on=today - dt.timedelta(days=40))
    services.facts_rebuild(months=12)

    log_in(page, "dinkes_a", PASSWORD)
    page.wait_for_url("**/")
    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Dasbor").click()
    page.wait_for_url("**/dasbor/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Dasbor kabupaten/kota")

    page.get_by_label("Program", exact=True).select_option("DM")
    page.wait_for_url("**program=DM**")  # htmx pushed the filtered URL
    table = page.locator("table.perf")
    satu = table.get_by_role("row").filter(has_text="Puskesmas Satu")
    assert satu.locator("td").first.inner_text() == "3"  # active DM cases
    assert (
        table.get_by_role("row").filter(has_text="Puskesmas Dua").locator("td").first.inner_text()
        == "0"
    )

    satu.get_by_role("link", name="Puskesmas Satu").click()
    page.wait_for_url(f"**/dasbor/puskesmas/{world.pkm1.pk}/**")
    assert page.get_by_role("heading", level=1).inner_text() == "Puskesmas Satu"

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh CSV").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0][:2] == ["Program", "Kasus PRB aktif"]
    assert [row[:2] for row in rows[1:]] == [["Diabetes melitus", "3"]]
