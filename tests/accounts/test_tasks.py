import datetime as dt

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from accounts.tasks import sessions_clear_expired
from tests.support.celery_worker import celery_worker, wait_for


def _sessions(expired: int, live: int) -> None:
    for i in range(expired + live):
        store = SessionStore()
        store["n"] = i
        store.create()
        if i < expired:
            Session.objects.filter(session_key=store.session_key).update(
                expire_date=timezone.now() - dt.timedelta(minutes=1)
            )


@pytest.mark.django_db
def test_it_clears_only_expired_sessions() -> None:
    _sessions(expired=2, live=1)
    assert sessions_clear_expired() == 2
    assert sessions_clear_expired() == 0  # idempotent
    assert Session.objects.count() == 1


@pytest.mark.django_db
def test_run_daily_jobs_runs_the_beat_schedule_without_redis(capsys) -> None:
    _sessions(expired=1, live=0)
    call_command("run_daily_jobs")
    assert "sessions-clear-expired: 1" in capsys.readouterr().out
    assert not Session.objects.exists()


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_runs_the_task() -> None:
    _sessions(expired=3, live=2)
    with celery_worker() as worker:
        worker.send("accounts.tasks.sessions_clear_expired")
        assert wait_for(lambda: Session.objects.count() == 2), "".join(worker.log)
