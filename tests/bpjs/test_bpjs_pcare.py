import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from bpjs.models import PCareVisitOutbox
from bpjs.services import pcare_visits_collect
from bpjs.tasks import pcare_visit_deliver
from interop.models import OutboxState
from interop.tasks import outbox_dispatch_due
from referrals import services as referrals
from tests.conftest import World
from tests.referrals.factories import FormularyMedicineFactory, enrol, record_visit
from tests.support.bpjs_fake import BpjsFake

VISIT_DAY = dt.date(2026, 11, 5)


@pytest.fixture
def pcare_on(settings, bpjs_fake: BpjsFake) -> BpjsFake:  # type: ignore[no-untyped-def]
    settings.BPJS_PCARE_SYNC_FROM = "2026-11-01"
    settings.BPJS_PCARE_DOCTOR_CODE = "DOK001"
    return bpjs_fake


def _visit(world: World, day: dt.date = VISIT_DAY):  # type: ignore[no-untyped-def]
    case = enrol(world)
    return record_visit(
        world,
        case,
        on=day,
        facts={"fpg_mg_dl": 110.0, "sbp": 132.0, "dbp": 84.0},
        weight_kg=61.5,
        height_cm=155,
        symptoms="Kontrol rutin, tidak ada keluhan",
        lines=[
            referrals.VisitLineInput(medicine=FormularyMedicineFactory(), quantity=90, signa="3x1")
        ],
    )


def test_a_visit_recorded_while_bpjs_is_down_is_sent_once_when_it_returns(
    world: World, pcare_on: BpjsFake, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    pcare_on.go_down()
    visit = _visit(world)  # recording never waits for BPJS
    with django_capture_on_commit_callbacks(execute=True):
        assert pcare_visits_collect() == 1
    row = PCareVisitOutbox.objects.get(visit=visit)
    assert row.state == OutboxState.WAITING
    assert "tidak menjawab" in row.last_error
    assert row.attempts == 1

    pcare_on.come_back()
    with (
        time_machine.travel(row.next_attempt_at + dt.timedelta(seconds=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert outbox_dispatch_due() == 1
    row.refresh_from_db()
    assert row.state == OutboxState.SENT
    assert (row.registration_number, row.visit_number) == ("A1", "0114U0010000001")
    assert len(pcare_on.registrations) == 1
    registration = pcare_on.registrations[0]
    assert registration["noKartu"] == world.patient1.bpjs_number
    assert registration["tglDaftar"] == "05-11-2026"
    assert (registration["sistole"], registration["diastole"]) == (132, 84)
    encounter = pcare_on.visits[0]
    assert (encounter["kdDiag1"], encounter["kdDokter"]) == ("E11.9", "DOK001")
    assert encounter["kdStatusPulang"] == "3"  # looked up in PCare's list by name
    assert [(m["signa1"], m["signa2"], m["jmlObat"]) for m in pcare_on.visit_medicines] == [
        ("3", "1", 90)
    ]
    # Collected again, the visit is not queued twice.
    assert pcare_visits_collect() == 0


def test_sending_twice_registers_once(world: World, pcare_on: BpjsFake) -> None:
    visit = _visit(world)
    row = PCareVisitOutbox.objects.create(
        visit=visit, facility=world.pkm1, idempotency_key=f"pcare-visit:{visit.pk}"
    )
    pcare_visit_deliver(row.pk)
    pcare_visit_deliver(row.pk)
    # Even a row put back in the queue by hand skips the steps already done.
    PCareVisitOutbox.objects.filter(pk=row.pk).update(state=OutboxState.WAITING)
    pcare_visit_deliver(row.pk)
    assert len(pcare_on.registrations) == 1
    assert len(pcare_on.visits) == 1
    assert len(pcare_on.visit_medicines) == 1


def test_a_visit_pcare_recorded_before_its_answer_was_lost_is_not_sent_again(
    world: World, pcare_on: BpjsFake
) -> None:
    visit = _visit(world)
    row = PCareVisitOutbox.objects.create(
        visit=visit, facility=world.pkm1, idempotency_key=f"pcare-visit:{visit.pk}"
    )
    pcare_on.lose_answer_to = "kunjungan/v1"  # PCare records the visit; PRB never hears it
    pcare_visit_deliver(row.pk)
    row.refresh_from_db()
    assert (row.state, row.visit_number) == (OutboxState.WAITING, "")
    assert len(pcare_on.visits) == 1  # sent once: a write is not retried inside the call

    with time_machine.travel(row.next_attempt_at + dt.timedelta(seconds=1), tick=False):
        pcare_visit_deliver(row.pk)
    row.refresh_from_db()
    assert (row.state, row.visit_number) == (OutboxState.SENT, "0114U0010000001")
    assert len(pcare_on.visits) == 1  # found by the look-up, not registered twice
    assert [m["noKunjungan"] for m in pcare_on.visit_medicines] == ["0114U0010000001"]


def test_a_failure_midway_resumes_where_it_stopped(world: World, pcare_on: BpjsFake) -> None:
    visit = _visit(world)
    row = PCareVisitOutbox.objects.create(
        visit=visit, facility=world.pkm1, idempotency_key=f"pcare-visit:{visit.pk}"
    )
    pcare_on.refuse_visit_with = "Kode diagnosa tidak valid"
    pcare_visit_deliver(row.pk)
    row.refresh_from_db()
    assert row.state == OutboxState.FAILED
    assert row.registration_number == "A1"
    assert "Kode diagnosa tidak valid" in row.last_error
    pcare_on.refuse_visit_with = ""
    PCareVisitOutbox.objects.filter(pk=row.pk).update(
        state=OutboxState.WAITING, next_attempt_at=timezone.now()
    )
    pcare_visit_deliver(row.pk)
    row.refresh_from_db()
    assert row.state == OutboxState.SENT
    assert len(pcare_on.registrations) == 1


def test_5xx_waits_and_retries(world: World, pcare_on: BpjsFake) -> None:
    visit = _visit(world)
    row = PCareVisitOutbox.objects.create(
        visit=visit, facility=world.pkm1, idempotency_key=f"pcare-visit:{visit.pk}"
    )
    pcare_on.fail_with_5xx = 10
    pcare_visit_deliver(row.pk)
    row.refresh_from_db()
    assert (row.state, row.registration_number) == (OutboxState.WAITING, "")
    assert "HTTP 503" in row.last_error


def test_visits_before_the_start_date_are_not_sent(world: World, pcare_on: BpjsFake) -> None:
    _visit(world, day=dt.date(2026, 10, 20))
    assert pcare_visits_collect() == 0


def test_without_a_start_date_nothing_is_sent(world: World, bpjs_fake: BpjsFake) -> None:
    _visit(world)
    assert pcare_visits_collect() == 0
    assert bpjs_fake.requests == []
