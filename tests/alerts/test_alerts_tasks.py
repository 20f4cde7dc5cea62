import datetime as dt
import os
import signal
import time
from collections import Counter

import psycopg
import pytest
from celery.exceptions import Retry
from django.core.management import call_command
from django.db import OperationalError, connection
from django.db.models import Count
from django.utils import timezone

from alerts import sweeps
from alerts.models import Alert
from alerts.tasks import sweep_all, sweep_facility
from tests.alerts.factories import CaseFactory, VisitFactory
from tests.alerts.worker import new_queue, worker_on
from tests.patients.factories import PatientFactory
from tests.support.celery_worker import wait_for

TODAY = timezone.localdate()


def _today() -> dt.date:
    """One date for the whole module: the tasks get it too, so midnight cannot split a test."""
    return TODAY


def _overdue_cases(facility, n: int, *, start: int = 1) -> list:  # type: ignore[no-untyped-def]
    return [
        CaseFactory(
            patient=PatientFactory(fktp=facility),
            next_control_date=_today() - dt.timedelta(days=start + i),
        )
        for i in range(n)
    ]


def _assert_each_alert_once() -> None:
    keys = Counter(Alert.objects.values_list("facility_id", "kind", "key"))
    assert keys and max(keys.values()) == 1


# ---------------------------------------------------------------- in-process (eager)


@pytest.mark.django_db
def test_sweep_all_fans_out_one_task_per_facility(world) -> None:
    _overdue_cases(world.pkm1, 2)
    _overdue_cases(world.pkm2, 3)
    result = sweep_all.apply(args=["overdue"]).get()
    assert result["facilities"] == 2 and result["failed"] == []
    counts = dict(
        Alert.objects.filter(kind=Alert.Kind.CONTROL_OVERDUE)
        .values_list("facility_id")
        .annotate(n=Count("pk"))
    )
    assert counts == {world.pkm1.pk: 2, world.pkm2.pk: 3}
    sweep_all.apply(args=["overdue"]).get()
    assert Alert.objects.count() == 5
    _assert_each_alert_once()


@pytest.mark.django_db
def test_a_failing_facility_does_not_stop_the_others(world, monkeypatch) -> None:
    _overdue_cases(world.pkm1, 1)
    _overdue_cases(world.pkm2, 1)
    real = sweeps.SWEEPS["overdue"]
    calls: list[int] = []

    def flaky(*, facility_id: int, as_of: dt.date) -> sweeps.SweepResult:
        calls.append(facility_id)
        if facility_id == world.pkm1.pk:
            raise OperationalError("database hiccup")
        return real(facility_id=facility_id, as_of=as_of)

    monkeypatch.setitem(sweeps.SWEEPS, "overdue", flaky)
    result = sweep_all.apply(args=["overdue"]).get()
    assert result["failed"] == [world.pkm1.pk] and result["facilities"] == 1
    # Eagerly (no broker) the retry is scheduled, not run: pkm1 was tried, pkm2 still ran.
    assert calls == [world.pkm1.pk, world.pkm2.pk]
    assert list(Alert.objects.values_list("facility_id", flat=True)) == [world.pkm2.pk]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (OperationalError("connection lost"), Retry),
        (ConnectionError("broker unreachable"), Retry),
        (TimeoutError("network"), Retry),
        (TypeError("a programming error"), TypeError),
        (KeyError("bad data"), KeyError),
    ],
)
def test_only_transient_errors_are_retried(world, monkeypatch, error, outcome) -> None:
    def broken(*, facility_id: int, as_of: dt.date) -> sweeps.SweepResult:
        raise error

    monkeypatch.setitem(sweeps.SWEEPS, "overdue", broken)
    # Eagerly, a scheduled retry surfaces as Retry; a failure as the error itself.
    with pytest.raises(outcome):
        sweep_facility.apply(args=[world.pkm1.pk, "overdue", _today().isoformat()]).get()


@pytest.mark.django_db
def test_an_unknown_sweep_is_refused(world) -> None:
    with pytest.raises(ValueError):
        sweep_all.apply(args=["everything"]).get()


@pytest.mark.django_db
def test_run_daily_jobs_runs_the_alert_sweeps_without_redis(world, capsys) -> None:
    _overdue_cases(world.pkm1, 1)
    call_command("run_daily_jobs")
    out = capsys.readouterr().out
    for job in (
        "alerts-overdue-sweep",
        "alerts-rereferral-sweep",
        "alerts-stock-sweep",
        "alerts-sle-review-sweep",
        "alerts-patient-reminders",
        "alerts-weekly-digest",
    ):
        assert f"{job}: " in out
    assert Alert.objects.filter(kind=Alert.Kind.CONTROL_OVERDUE, facility=world.pkm1).exists()
    assert Alert.objects.filter(kind=Alert.Kind.WEEKLY_DIGEST, facility=world.pkm1).exists()
    call_command("run_daily_jobs")
    _assert_each_alert_once()


# ---------------------------------------------------------------- a real worker on Redis


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_sweeps_and_a_second_run_adds_nothing(world) -> None:
    overdue = _overdue_cases(world.pkm1, 3) + _overdue_cases(world.pkm2, 2, start=95)
    high = CaseFactory(
        patient=PatientFactory(fktp=world.pkm2),
        program="HT",
        next_control_date=_today() + dt.timedelta(days=20),
    )
    VisitFactory(
        case=high, visit_date=_today() - dt.timedelta(days=10), facts={"sbp": 165, "dbp": 92}
    )
    queue = new_queue()
    with worker_on(queue) as worker:
        worker.send("alerts.tasks.sweep_all", "overdue", _today().isoformat())
        worker.send("alerts.tasks.sweep_all", "rereferral", _today().isoformat())
        assert wait_for(lambda: Alert.objects.count() == 6, timeout=60), "".join(worker.log)
        assert set(Alert.objects.values_list("kind", "key")) == {
            *(
                (Alert.Kind.CONTROL_OVERDUE, f"case:{c.pk}:due:{c.next_control_date}")
                for c in overdue[:3]
            ),
            *(
                (Alert.Kind.LOST_TO_FOLLOW_UP, f"case:{c.pk}:lost:{c.next_control_date}")
                for c in overdue[3:]
            ),
            (
                Alert.Kind.RE_REFERRAL,
                f"case:{high.pk}:rereferral:{_today() - dt.timedelta(days=10)}:III.B.2.d.2",
            ),
        }
        # Run both again, then once more with one new overdue case at the last facility
        # swept: when its alert exists, the runs queued before it have finished.
        worker.send("alerts.tasks.sweep_all", "overdue", _today().isoformat())
        worker.send("alerts.tasks.sweep_all", "rereferral", _today().isoformat())
        late = _overdue_cases(world.pkm2, 1, start=2)[0]
        worker.send("alerts.tasks.sweep_all", "overdue", _today().isoformat())
        assert wait_for(
            lambda: Alert.objects.filter(
                key=f"case:{late.pk}:due:{late.next_control_date}"
            ).exists(),
            timeout=60,
        ), "".join(worker.log)
        assert worker.wait_for_log("succeeded", timeout=5)
    assert Alert.objects.count() == 7
    _assert_each_alert_once()


def _running_task_id(log: list[str]) -> str:
    """The id of the last task received before the kill."""
    received = [line for line in log if "sweep_facility[" in line and " received" in line]
    return received[-1].split("sweep_facility[")[1].split("]")[0]


def _blocking_connection():  # type: ignore[no-untyped-def]
    params = connection.settings_dict
    return psycopg.connect(
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        user=params["USER"],
        password=params.get("PASSWORD") or None,
        dbname=params["NAME"],
    )


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_sweep_leaves_every_alert_exactly_once(world) -> None:
    """The sweep of pkm2 is held on a row lock, its worker process is SIGKILLed, a new
    worker takes over: the redelivered task (acks_late + reject_on_worker_lost) and the
    facility not yet swept complete, and no alert exists twice."""
    first = _overdue_cases(world.pkm1, 4)
    held = _overdue_cases(world.pkm2, 4)
    last = _overdue_cases(world.pkm3, 4)
    expected = {
        (c.facility_id, f"case:{c.pk}:due:{c.next_control_date}") for c in first + held + last
    }
    # Another transaction inserts (and keeps uncommitted) one of pkm2's alerts: the sweep's
    # INSERT … ON CONFLICT waits for it, in the middle of the district's sweep.
    blocker = _blocking_connection()
    victim = held[0]
    blocker.execute(
        "INSERT INTO alerts_alert (facility_id, roles, kind, severity, key, title, body, link,"
        " created_at) VALUES (%s, '{dokter}', 'control_overdue', 'warning', %s, 'x', '', '', now())",
        [victim.facility_id, f"case:{victim.pk}:due:{victim.next_control_date}"],
    )
    queue = new_queue()
    try:
        with worker_on(queue) as worker:
            worker.send("alerts.tasks.sweep_all", "overdue", _today().isoformat())
            assert wait_for(
                lambda: Alert.objects.filter(facility=world.pkm1).count() == 4, timeout=60
            ), "".join(worker.log)
            waiting = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            with connection.cursor() as cursor:

                def blocked() -> bool:
                    cursor.execute(waiting)
                    return cursor.fetchone()[0] == 1

                assert wait_for(blocked, timeout=30), "".join(worker.log)
            assert not Alert.objects.filter(facility__in=[world.pkm2, world.pkm3]).exists()
            (child,) = worker.child_pids()
            os.kill(child, signal.SIGKILL)
            assert worker.wait_for_log("signal 9", timeout=30), "".join(worker.log)
            killed = _running_task_id(worker.log)
            # Stop the worker (warm shutdown: it finishes what it runs), release the lock.
            worker.process.terminate()
            blocker.rollback()
            worker.process.wait(30)
        # A new worker on the same queue finishes the sweep.
        with worker_on(queue) as restarted:
            assert wait_for(lambda: Alert.objects.count() == len(expected), timeout=60), "".join(
                restarted.log
            )
            time.sleep(1)
        logs = "".join(worker.log + restarted.log)
    finally:
        blocker.close()
    # The killed task ran again to the end (redelivered), in either worker.
    assert f"sweep_facility[{killed}] succeeded" in logs, logs
    assert set(Alert.objects.values_list("facility_id", "key")) == expected
    assert Alert.objects.count() == len(expected)
    _assert_each_alert_once()
