"""Reads are logged by construction (issue 10 item 6).

Each list page and list API records, in one bounded row, exactly the patients it returned;
the access helpers record the patient record they open. One INSERT per response.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver, reverse
from rest_framework.generics import ListAPIView
from rest_framework.mixins import ListModelMixin
from rest_framework.settings import api_settings

from patients.models import Patient, PatientAccessLog, PatientListAccess
from patients.reads import PatientPaginator, PatientReadPagination, collecting, note_list
from patients.selectors import patient_access_logs
from patients.services import patient_reads_record
from pharmacy import services as pharmacy_services
from tests.alerts.factories import AlertFactory, CaseFactory, VisitFactory
from tests.patients.factories import PatientFactory
from tests.pharmacy.factories import MedicineFactory, StoreFactory

TODAY = dt.date(2026, 11, 10)
pytestmark = pytest.mark.today(TODAY)

LOG_TABLES = ('"patients_patientaccesslog"', '"patients_patientlistaccess"')


@pytest.fixture(autouse=True)
def _today(frozen_today) -> None:  # type: ignore[no-untyped-def]
    """Worklists and prescriptions count from one fixed day."""


@dataclass
class Surface:
    """A page or API that shows patients: who opens it, how, and what a row is made of."""

    name: str
    user: str  # attribute of the world
    url: Callable  # (world, rows) -> url
    make: Callable  # (world, patient) -> a row showing the patient
    kind: str = "list"  # "list": a PatientListAccess row; "record": PatientAccessLog rows
    method: str = "get"
    api: bool = False


def _case(world, patient):  # type: ignore[no-untyped-def]
    return CaseFactory(patient=patient, next_control_date=TODAY - dt.timedelta(days=3))


def _dispense(world, patient):  # type: ignore[no-untyped-def]
    store = StoreFactory(facility=patient.fktp)
    medicine = _medicine()
    pharmacy_services.stock_receive(
        actor=world.farmasi1 if patient.fktp == world.pkm1 else world.farmasi2,
        store=store,
        received_on=TODAY,
        lines=[
            pharmacy_services.ReceiptLineInput(
                medicine=medicine, batch="B-1", expiry_date=dt.date(2028, 1, 31), quantity=30
            )
        ],
        source="ifk",
    )
    prescription = _prescribe(world, patient)
    pharmacist = world.farmasi1 if patient.fktp == world.pkm1 else world.farmasi2
    pharmacy_services.stock_dispense(actor=pharmacist, prescription=prescription)
    return store


def _medicine():  # type: ignore[no-untyped-def]
    from pharmacy.models import Medicine

    return Medicine.objects.filter(name="Metformin Baca").first() or MedicineFactory(
        name="Metformin Baca", strength="500 mg", max_quantity_per_month=90
    )


def _prescribe(world, patient):  # type: ignore[no-untyped-def]
    return pharmacy_services.prescription_create(
        actor=world.dokter1 if patient.fktp == world.pkm1 else world.dokter2,
        patient=patient,
        prescribed_on=TODAY,
        lines=[
            pharmacy_services.PrescriptionLineInput(medicine=_medicine(), quantity=1, signa="1x1")
        ],
    )


def _store_url(name: str) -> Callable:
    def url(world, rows):  # type: ignore[no-untyped-def]
        store = StoreFactory(facility=world.pkm1)
        if name == "pharmacy:card":
            return reverse(name, args=[store.pk, _medicine().pk])
        return reverse(name, args=[store.pk])

    return url


def _static(name: str) -> Callable:
    return lambda world, rows: reverse(name)


SURFACES = [
    Surface("patient list", "dokter1", _static("patients:list"), lambda w, p: p),
    Surface(
        "patient search",
        "dokter1",
        lambda w, rows: reverse("patients:list") + "?q=Lubis",
        lambda w, p: p,
    ),
    Surface("patient list API", "dokter1", _static("api-patient-list"), lambda w, p: p, api=True),
    Surface("case list", "dokter1", _static("referrals:case_list"), _case),
    Surface("case list API", "dokter1", _static("api-case-list"), _case, api=True),
    Surface(
        "visits API",
        "dokter1",
        lambda w, rows: reverse("api-case-visits", args=[rows[0].case_id]),
        lambda w, p: VisitFactory(case=_case(w, p)),
        kind="record",
        api=True,
    ),
    Surface("stock card", "farmasi1", _store_url("pharmacy:card"), _dispense),
    Surface("stock card API", "farmasi1", _store_url("api-pharmacy-card"), _dispense, api=True),
    Surface("dispensing list", "farmasi1", _static("pharmacy:home"), _prescribe),
    Surface(
        "dispensing page",
        "farmasi1",
        lambda w, rows: reverse("pharmacy:dispense", args=[rows[0].pk]),
        _prescribe,
        kind="record",
    ),
    Surface("worklist", "dokter1", _static("alerts:worklist"), _case),
    Surface(
        "control schedule",
        "dokter1",
        _static("alerts:schedule"),
        lambda w, p: CaseFactory(patient=p, next_control_date=TODAY + dt.timedelta(days=2)),
    ),
    Surface(
        "alerts list",
        "dokter1",
        _static("alerts:list"),
        lambda w, p: AlertFactory(facility=p.fktp, patient=p, link="/pasien/"),
    ),
    Surface(
        "alert open",
        "dokter1",
        lambda w, rows: reverse("alerts:open", args=[rows[0].pk]),
        lambda w, p: AlertFactory(facility=p.fktp, patient=p, link="/pasien/"),
        kind="record",
        method="post",
    ),
]


def _patients(world, count: int) -> list[Patient]:  # type: ignore[no-untyped-def]
    """patient1 and more patients of puskesmas 1 (named to match the search)."""
    more = [PatientFactory(fktp=world.pkm1, name=f"Ani Lubis {i}") for i in range(count - 1)]
    return [world.patient1, *more]


def _open(client, surface: Surface, url: str):  # type: ignore[no-untyped-def]
    response = getattr(client, surface.method)(url)
    assert response.status_code in (200, 302), (surface.name, response.status_code)
    return response


@pytest.mark.parametrize("surface", SURFACES, ids=[s.name for s in SURFACES])
def test_the_read_is_recorded_with_exactly_the_patients_returned(world, login, surface) -> None:
    patients = _patients(world, 3)
    rows = [surface.make(world, patient) for patient in patients]
    surface.make(world, world.patient2)  # another puskesmas: never shown, never logged
    PatientFactory(fktp=world.pkm1, name="Budi Tidak Dicari")  # no row on any list but one
    user = getattr(world, surface.user)
    url = surface.url(world, rows)
    _open(login(user), surface, url)
    path = url.split("?")[0]
    action = PatientAccessLog.Action.API_VIEW if surface.api else PatientAccessLog.Action.VIEW
    if surface.kind == "record":
        log = PatientAccessLog.objects.get()
        assert (log.patient, log.user, log.facility, log.action, log.path) == (
            world.patient1,
            user,
            user.facility,
            action,
            path,
        )
        assert not PatientListAccess.objects.exists()
        return
    listed = PatientListAccess.objects.get()
    expected = {p.pk for p in patients}
    if surface.name == "patient list" or surface.name == "patient list API":
        expected.add(Patient.objects.get(name="Budi Tidak Dicari").pk)
    assert set(listed.patient_ids) == expected
    assert len(listed.patient_ids) == len(expected)  # each patient once
    assert (listed.user, listed.facility, listed.action, listed.path) == (
        user,
        user.facility,
        action,
        path,
    )
    assert not PatientAccessLog.objects.exists()


def _log_inserts(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if "INSERT INTO" in q["sql"] and any(table in q["sql"] for table in LOG_TABLES)
    ]


@pytest.mark.parametrize("surface", SURFACES, ids=[s.name for s in SURFACES])
def test_logging_is_one_insert_per_response_whatever_the_rows(world, login, surface) -> None:
    patients = _patients(world, 2)
    rows = [surface.make(world, patient) for patient in patients]
    client = login(getattr(world, surface.user))
    url = surface.url(world, rows)
    _open(client, surface, url)  # warm the session
    with CaptureQueriesContext(connection) as few:
        _open(client, surface, url)
    assert len(_log_inserts(few)) == 1, [q["sql"][:90] for q in few.captured_queries]
    if surface.kind == "record":
        return
    for i in range(5):
        surface.make(world, PatientFactory(fktp=world.pkm1, name=f"Ani Lubis {i + 10}"))
    with CaptureQueriesContext(connection) as many:
        _open(client, surface, url)
    assert len(_log_inserts(many)) == 1
    assert len(many) == len(few), "logging (or the list) costs a query per row"
    assert len(PatientListAccess.objects.order_by("-id").first().patient_ids) == 7


def test_a_list_logs_only_the_page_it_returned(world, login) -> None:
    PatientFactory.create_batch(30, fktp=world.pkm1)
    response = login(world.dokter1).get(reverse("patients:list"), {"page": 2})
    shown = {p.pk for p in response.context["page"].object_list}
    assert len(shown) == 6
    assert set(PatientListAccess.objects.get().patient_ids) == shown


def test_another_facilitys_user_is_refused_and_nothing_is_logged(world, login) -> None:
    case = CaseFactory(patient=world.patient1)
    client = login(world.dokter2)
    assert client.get(reverse("api-case-visits", args=[case.pk])).status_code == 404
    assert client.get(reverse("patients:detail", args=[world.patient1.pk])).status_code == 404
    assert not PatientAccessLog.objects.exists()
    client.get(reverse("patients:list"))
    assert PatientListAccess.objects.get().patient_ids == [world.patient2.pk]


def test_an_empty_list_writes_nothing(world, login) -> None:
    login(world.dokter1).get(reverse("referrals:case_list"))
    assert not PatientListAccess.objects.exists()


def test_an_export_of_the_stock_card_is_logged_as_an_export(world, login) -> None:
    store = _dispense(world, world.patient1)
    login(world.farmasi1).get(
        reverse("pharmacy:card", args=[store.pk, _medicine().pk]), {"format": "csv"}
    )
    listed = PatientListAccess.objects.get()
    assert (listed.patient_ids, listed.action) == ([world.patient1.pk], "export")


def test_a_list_longer_than_a_page_takes_bounded_rows_in_one_insert(world) -> None:
    ids = list(range(1, 2 * PatientListAccess.MAX_PATIENTS + 11))
    with collecting() as shown:
        note_list(ids)
    with CaptureQueriesContext(connection) as queries:
        patient_reads_record(user=world.dokter1, shown=shown, path="/farmasi/")
    assert len(_log_inserts(queries)) == 1
    rows = list(PatientListAccess.objects.order_by("id"))
    assert [len(r.patient_ids) for r in rows] == [100, 100, 10]
    assert [i for r in rows for i in r.patient_ids] == ids


def test_the_database_refuses_an_unbounded_or_empty_row(world) -> None:
    for ids in ([], list(range(1, PatientListAccess.MAX_PATIENTS + 2))):
        with pytest.raises(DatabaseError), transaction.atomic():
            PatientListAccess.objects.create(user=world.dokter1, patient_ids=ids)


def test_a_list_read_cannot_be_rewritten_deleted_or_truncated(world) -> None:
    row = PatientListAccess.objects.create(user=world.dokter1, patient_ids=[world.patient1.pk])
    for change in (
        lambda: PatientListAccess.objects.filter(pk=row.pk).update(patient_ids=[1]),
        lambda: PatientListAccess.objects.filter(pk=row.pk).delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            change()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE patients_patientlistaccess CASCADE")
    row.refresh_from_db()
    assert row.patient_ids == [world.patient1.pk]


def test_a_paginator_must_say_which_patient_a_row_shows() -> None:
    with pytest.raises(TypeError):
        PatientPaginator([], 10)  # type: ignore[call-arg]


def test_the_audit_page_shows_record_and_list_reads(world, login) -> None:
    doctor = login(world.dokter1)
    doctor.get(reverse("patients:list"))
    doctor.get(reverse("patients:detail", args=[world.patient1.pk]))
    login(world.dokter2).get(reverse("patients:list"))  # another patient's list
    reads = list(patient_access_logs(patient=world.patient1))
    assert [(r["listed"], r["path"], r["user"]) for r in reads] == [
        (False, reverse("patients:detail", args=[world.patient1.pk]), "dokter1"),
        (True, reverse("patients:list"), "dokter1"),
    ]
    body = login(world.admin1).get(reverse("patients:audit", args=[world.patient1.pk]))
    text = body.content.decode()
    assert text.count(reverse("patients:list") + "</code>") == 1
    assert "dokter1" in text


def _project_sources() -> list[Path]:
    root = Path(__file__).resolve().parents[2]
    skip = {".venv", "tests", "node_modules", "migrations"}
    return [p for p in root.rglob("*.py") if not skip & set(p.relative_to(root).parts)]


def test_every_paged_list_goes_through_the_logging_paginator() -> None:
    """A page that paginates with Django's Paginator would show patients unlogged."""
    offenders = [
        str(path)
        for path in _project_sources()
        if "django.core.paginator" in path.read_text() and path.name != "reads.py"
    ]
    assert offenders == []


def _api_views(patterns, found):  # type: ignore[no-untyped-def]
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _api_views(pattern.url_patterns, found)
        elif getattr(pattern.callback, "cls", None) is not None:
            found.append(pattern.callback.cls)
    return found


def test_every_list_api_says_which_patient_a_row_shows() -> None:
    lists = [
        view
        for view in _api_views(get_resolver().url_patterns, [])
        if issubclass(view, ListModelMixin)
    ]
    assert lists  # the patient, case, visit and stock card lists at least
    assert [v.__name__ for v in lists if not hasattr(v, "patient_field")] == []
    assert api_settings.DEFAULT_PAGINATION_CLASS is PatientReadPagination
    with pytest.raises(ImproperlyConfigured):
        PatientReadPagination().paginate_queryset([], None, view=ListAPIView())  # type: ignore[arg-type]
