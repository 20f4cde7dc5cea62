"""The dashboard pages: scope, names, drill-down, filters, exports and query counts."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dashboards import services
from tests.dashboards.factories import CaseFactory, ReReferralFactory, VisitFactory
from tests.facilities.factories import FacilityFactory
from tests.patients.factories import PatientFactory

DISTRICT = reverse("dashboards:district")


def pkm_url(facility, name="dashboards:puskesmas"):  # type: ignore[no-untyped-def]
    return reverse(name, args=[facility.pk])


@pytest.fixture
def cases(world, frozen_today):  # type: ignore[no-untyped-def]
    """pkm1: one DM case seen last month and one lost; pkm2: one HT case; then the facts."""
    seen = CaseFactory(patient=world.patient1, enrolled_on=dt.date(2026, 2, 1))
    VisitFactory(case=seen, visit_date=dt.date(2026, 11, 2), facts={"fpg_mg_dl": 110})
    lost = CaseFactory(
        patient=PatientFactory(fktp=world.pkm1, name="Rahmat Ginting"),
        enrolled_on=dt.date(2026, 2, 1),
    )
    VisitFactory(case=lost, visit_date=dt.date(2026, 6, 1))
    CaseFactory(patient=world.patient2, program="HT", enrolled_on=dt.date(2026, 3, 1))
    CaseFactory(patient=PatientFactory(fktp=world.pkm3), enrolled_on=dt.date(2026, 3, 1))
    services.facts_rebuild(months=12)
    return {"seen": seen, "lost": lost}


def test_dinkes_sees_its_regency_with_every_indicator_and_its_definition(world, login, cases):
    response = login(world.dinkes_a).get(DISTRICT)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Puskesmas Satu" in html and "Puskesmas Dua" in html
    assert "Puskesmas Tiga" not in html  # regency B
    for label in (
        "Kasus PRB aktif",
        "Retensi",
        "Putus kontrol",
        "Terkendali",
        "Obat pelacak tersedia",
    ):
        assert label in html
    assert "tidak ada kunjungan kontrol lebih dari 90 hari" in html  # a definition beside it
    assert "<svg" in html and "<polyline" in html
    assert "Siti Lubis" not in html


def test_dinkes_gets_404_for_another_regencys_puskesmas(world, login, cases):
    client = login(world.dinkes_a)
    assert client.get(pkm_url(world.pkm3)).status_code == 404
    assert client.get(pkm_url(world.pkm3, "dashboards:patients")).status_code == 404
    assert client.get(DISTRICT, {"puskesmas": world.pkm3.pk}).status_code == 404
    assert login(world.dinkes_b).get(pkm_url(world.pkm1)).status_code == 404


def test_a_puskesmas_head_sees_only_the_own_puskesmas(world, login, cases):
    client = login(world.admin1)
    html = client.get(DISTRICT).content.decode()
    assert "Puskesmas Satu" in html and "Puskesmas Dua" not in html
    assert client.get(pkm_url(world.pkm1)).status_code == 200
    assert client.get(pkm_url(world.pkm2)).status_code == 404


@pytest.mark.parametrize("user", ["dokter1", "farmasi2", "pustu_staff1"])
def test_other_roles_have_no_dashboard(world, login, cases, user):
    client = login(getattr(world, user))
    assert client.get(DISTRICT).status_code == 403
    assert client.get(pkm_url(world.pkm1)).status_code == 403
    assert client.get(reverse("dashboards:medicine_balance")).status_code == 403


def test_the_drill_down_lists_the_cases_behind_the_number_anonymised_for_dinkes(
    world, login, cases
):
    url = pkm_url(world.pkm1, "dashboards:patients")
    response = login(world.dinkes_a).get(url, {"program": "DM", "drill": "ltfu"})
    html = response.content.decode()
    assert f"Kasus #{cases['lost'].pk}" in html
    assert f"Kasus #{cases['seen'].pk}" not in html
    assert "Rahmat Ginting" not in html and "Siti Lubis" not in html
    export = login(world.dinkes_a).get(url, {"program": "DM", "drill": "active", "export": "csv"})
    text = export.content.decode("utf-8-sig")
    assert "Rahmat Ginting" not in text and f"Kasus #{cases['lost'].pk}" in text


def test_the_puskesmas_head_sees_names_of_the_own_patients(world, login, cases):
    url = pkm_url(world.pkm1, "dashboards:patients")
    html = login(world.admin1).get(url, {"drill": "active"}).content.decode()
    assert "Rahmat Ginting" in html and "Siti Lubis" in html


def test_the_drill_down_of_re_referrals_lists_the_month_s_referrals(world, login, cases):
    ReReferralFactory(case=cases["seen"], referred_on=dt.date(2026, 11, 10))
    url = pkm_url(world.pkm1, "dashboards:patients")
    html = login(world.admin1).get(url, {"drill": "rereferrals"}).content.decode()
    assert "Siti Lubis" in html and "Rahmat Ginting" not in html
    assert login(world.admin1).get(url, {"drill": "nonsense"}).status_code == 404


def test_filters_narrow_to_a_programme_and_a_month(world, login, cases):
    client = login(world.dinkes_a)
    ht = client.get(DISTRICT, {"program": "HT", "period": "2026-11", "indicator": "active"})
    rows = _csv(client.get(DISTRICT, {"program": "HT", "export": "csv", "table": "puskesmas"}))
    assert ht.status_code == 200
    assert rows[0][0] == "Puskesmas" and rows[0][1] == "Kasus PRB aktif"
    assert {row[0]: row[1] for row in rows[1:]} == {"Puskesmas Satu": "0", "Puskesmas Dua": "1"}
    dm = _csv(client.get(DISTRICT, {"program": "DM", "export": "csv"}))
    assert {row[0]: row[1] for row in dm[1:]} == {"Puskesmas Satu": "2", "Puskesmas Dua": "0"}
    march = _csv(client.get(DISTRICT, {"program": "DM", "period": "2026-01", "export": "csv"}))
    assert {row[0]: row[1] for row in march[1:]} == {"Puskesmas Satu": "0", "Puskesmas Dua": "0"}


def test_htmx_gets_only_the_results_partial(world, login, cases):
    response = login(world.dinkes_a).get(DISTRICT, {"program": "DM"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results">')
    assert "<html" not in html
    full = login(world.dinkes_a).get(DISTRICT, {"program": "DM"}).content.decode()
    assert 'hx-get="/dasbor/"' in full and 'action="/dasbor/"' in full


def every_table(world) -> list[tuple[str, dict[str, str]]]:  # type: ignore[no-untyped-def]
    """Each dashboard table that downloads, with the parameters that pick it."""
    balance = reverse("dashboards:medicine_balance")
    return [
        (DISTRICT, {"table": "puskesmas"}),
        (DISTRICT, {"table": "trend"}),
        (pkm_url(world.pkm1), {"table": "programs"}),
        (pkm_url(world.pkm1), {"table": "trend"}),
        (balance, {"table": "balance"}),
        (balance, {"table": "transfers"}),
    ]


def test_every_table_exports_to_xlsx(world, login, cases):
    client = login(world.dinkes_a)
    drill = (pkm_url(world.pkm1, "dashboards:patients"), {"drill": "active"})
    for url, params in [*every_table(world), drill]:
        response = client.get(url, {**params, "export": "xlsx"})
        assert response.status_code == 200, url
        assert "attachment" in response["Content-Disposition"]
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet.max_row >= 1 and sheet.cell(1, 1).value


def test_the_trend_export_has_twelve_months(world, login, cases):
    rows = _csv(login(world.dinkes_a).get(DISTRICT, {"export": "csv", "table": "trend"}))
    assert len(rows) == 13 and rows[-1][0] == "2026-11" and rows[1][0] == "2025-12"


def test_the_district_page_reads_a_fixed_number_of_queries(world, login, cases, frozen_today):
    client = login(world.dinkes_a)
    client.get(DISTRICT)  # warm the session
    with CaptureQueriesContext(connection) as small:
        assert client.get(DISTRICT).status_code == 200
    for i in range(8):
        facility = FacilityFactory(regency=world.regency_a, name=f"Puskesmas Tambahan {i}")
        CaseFactory(patient=PatientFactory(fktp=facility), enrolled_on=dt.date(2026, 1, 1))
    services.facts_rebuild(months=12)
    with CaptureQueriesContext(connection) as large:
        html = client.get(DISTRICT).content.decode()
    assert "Puskesmas Tambahan 7" in html
    # session, user, puskesmas, facts, their "data as of" time; then the session's save
    # (SESSION_SAVE_EVERY_REQUEST)
    assert len(large) == len(small) <= 8


def test_the_puskesmas_and_patient_pages_read_a_fixed_number_of_queries(
    world, login, cases, django_assert_max_num_queries
):
    client = login(world.admin1)
    for _ in range(20):
        case = CaseFactory(patient=PatientFactory(fktp=world.pkm1), enrolled_on=dt.date(2026, 1, 1))
        VisitFactory(case=case, visit_date=dt.date(2026, 11, 1))
    with django_assert_max_num_queries(8):  # 7 + the facts' "data as of" time
        assert client.get(pkm_url(world.pkm1)).status_code == 200
    with django_assert_max_num_queries(10):  # 9 + the one insert logging the patients shown
        html = client.get(pkm_url(world.pkm1, "dashboards:patients"), {"drill": "active"}).content
    assert html.count(b"<tr>") == 23  # header + 22 cases


def test_the_district_page_stays_light(world, login, cases):
    import gzip

    for i in range(38):
        FacilityFactory(regency=world.regency_a, name=f"Puskesmas Kecamatan {i}")
    services.facts_rebuild(months=12)
    html = login(world.dinkes_a).get(DISTRICT).content
    assert len(gzip.compress(html)) < 100 * 1024
    assert html.count(b"Puskesmas Kecamatan") >= 38 * 2  # in the bars and the table


def _csv(response):  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_dashboard_export_is_inert_with_patients_named_like_formulas(
    world, login, frozen_today, fmt
):
    from tests.support.exports import HOSTILE, assert_inert, flat

    for name in HOSTILE:
        CaseFactory(
            patient=PatientFactory(fktp=world.pkm1, name=name), enrolled_on=dt.date(2026, 2, 1)
        )
    services.facts_rebuild(months=12)
    drill = login(world.admin1).get(
        pkm_url(world.pkm1, "dashboards:patients"), {"drill": "active", "export": fmt}
    )
    assert {"'" + name for name in HOSTILE} <= set(flat(assert_inert(drill)))
    client = login(world.dinkes_a)
    for url, params in every_table(world):
        assert_inert(client.get(url, {**params, "export": fmt}))


def test_indicator_pages_say_when_the_data_was_computed_and_fold_definitions(
    world, login, cases
) -> None:
    from dashboards.models import MonthlyFact

    at = MonthlyFact.objects.order_by("-computed_at").values_list("computed_at", flat=True)[0]
    client = login(world.dinkes_a)
    stamp = f"Data per {timezone.localtime(at):%-d} "
    for url in (DISTRICT, pkm_url(world.pkm1)):
        html = client.get(url).content.decode()
        assert stamp in html, url
        assert '<details class="definitions">' in html  # folded, not open
        assert 'class="kpi-def"' not in html  # not repeated under every figure
        assert "terendah" in html and "tertinggi" in html  # trend min and max
    balance = client.get(reverse("dashboards:medicine_balance")).content.decode()
    assert "Data per " in balance


def test_exports_say_the_filters_and_give_rates_in_percent(world, login, cases) -> None:
    client = login(world.dinkes_a)
    response = client.get(
        DISTRICT,
        {"program": "DM", "puskesmas": world.pkm1.pk, "export": "csv", "table": "puskesmas"},
    )
    disposition = response["Content-Disposition"]
    assert "dm" in disposition and world.pkm1.kemenkes_code.lower() in disposition
    header, *rows = response.content.decode("utf-8-sig").splitlines()
    assert "(%)" in header
    everyone = client.get(DISTRICT, {"export": "csv"})["Content-Disposition"]
    assert "semua-program" in everyone and "semua-puskesmas" in everyone
    balance = client.get(
        reverse("dashboards:medicine_balance"),
        {"puskesmas": world.pkm1.pk, "state": "shortage", "export": "csv", "table": "balance"},
    )["Content-Disposition"]
    assert "keseimbangan-obat" in balance and "kekurangan" in balance


def test_the_medicine_balance_filter_refuses_another_regency(world, login) -> None:
    response = login(world.dinkes_a).get(
        reverse("dashboards:medicine_balance"), {"puskesmas": world.pkm3.pk}
    )
    assert response.status_code == 404
