import datetime as dt
import urllib.error

import pytest
import time_machine
from django.utils import timezone

from interop.errors import InteropError, is_transient
from interop.models import OutboxState
from interop.services import (
    OUTBOX_LEASE,
    OUTBOX_MAX_ATTEMPTS,
    outbox_backoff,
    outbox_claim,
    outbox_deliver,
    outbox_retry,
)
from interop.tasks import outbox_dispatch_due
from tests.facilities.factories import FacilityFactory
from tests.support.outbox_app import tasks as example_tasks
from tests.support.outbox_app.models import BEHAVIOUR, ExampleOutbox


@pytest.fixture(autouse=True)
def _reset() -> None:
    BEHAVIOUR.clear()
    example_tasks.SENT.clear()


def _row(payload: str = "a") -> ExampleOutbox:
    return ExampleOutbox.objects.create(
        facility=FacilityFactory(), payload=payload, idempotency_key=f"example:{payload}"
    )


def test_backoff_doubles_and_is_capped() -> None:
    assert [outbox_backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert outbox_backoff(30) == dt.timedelta(hours=6)


@pytest.mark.parametrize(
    ("exc", "transient"),
    [
        (TimeoutError(), True),
        (TimeoutError(), True),
        (ConnectionRefusedError(), True),
        (urllib.error.URLError("refused"), True),
        (InteropError("503", transient=True, status=503), True),
        (InteropError("400", transient=False, status=400), False),
        (KeyError("noKartu"), False),
        (TypeError(), False),
    ],
)
def test_one_classification_of_errors(exc: BaseException, transient: bool) -> None:
    assert is_transient(exc) is transient


def test_a_sent_row_keeps_the_remote_id(db: None) -> None:
    row = _row()
    outbox_deliver(ExampleOutbox, row.pk, example_tasks._send)
    row.refresh_from_db()
    assert (row.state, row.remote_id, row.attempts) == (OutboxState.SENT, "remote-a", 1)
    assert row.sent_at is not None


def test_a_claimed_row_cannot_be_claimed_again(db: None) -> None:
    row = _row()
    assert outbox_claim(ExampleOutbox, row.pk) is not None
    assert outbox_claim(ExampleOutbox, row.pk) is None
    # The lease runs out: a worker that died only delays the row.
    with time_machine.travel(timezone.now() + OUTBOX_LEASE + dt.timedelta(seconds=1)):
        assert outbox_claim(ExampleOutbox, row.pk) is not None


def test_a_sent_row_is_never_sent_again(db: None) -> None:
    row = _row()
    example_tasks.example_deliver(row.pk)
    example_tasks.example_deliver(row.pk)
    assert example_tasks.SENT == ["a"]


def test_transient_errors_back_off_then_succeed(db: None) -> None:
    row = _row()
    BEHAVIOUR["a"] = InteropError("Layanan tidak menjawab", transient=True, status=503)
    before = timezone.now()
    outbox_deliver(ExampleOutbox, row.pk, example_tasks._send)
    row.refresh_from_db()
    assert row.state == OutboxState.WAITING
    assert row.last_error == "Layanan tidak menjawab"
    assert row.next_attempt_at >= before + dt.timedelta(minutes=1)
    # Not due yet: nothing happens.
    assert outbox_deliver(ExampleOutbox, row.pk, example_tasks._send) is None
    BEHAVIOUR.clear()
    with time_machine.travel(row.next_attempt_at + dt.timedelta(seconds=1)):
        outbox_deliver(ExampleOutbox, row.pk, example_tasks._send)
    row.refresh_from_db()
    assert (row.state, row.attempts, row.last_error) == (OutboxState.SENT, 2, "")


def test_a_rejection_fails_at_once_with_the_message(db: None) -> None:
    row = _row()
    BEHAVIOUR["a"] = InteropError("Nomor kartu tidak ditemukan", transient=False, status=400)
    outbox_deliver(ExampleOutbox, row.pk, example_tasks._send)
    row.refresh_from_db()
    assert (row.state, row.last_error) == (OutboxState.FAILED, "Nomor kartu tidak ditemukan")


def test_a_bug_fails_without_showing_the_traceback(db: None) -> None:
    row = _row()
    BEHAVIOUR["a"] = KeyError("noKartu")
    outbox_deliver(ExampleOutbox, row.pk, example_tasks._send)
    row.refresh_from_db()
    assert row.state == OutboxState.FAILED
    assert "KeyError" not in row.last_error
    assert "kesalahan internal" in row.last_error


def test_it_gives_up_after_the_last_attempt(db: None) -> None:
    row = _row()
    ExampleOutbox.objects.filter(pk=row.pk).update(attempts=OUTBOX_MAX_ATTEMPTS - 1)
    BEHAVIOUR["a"] = TimeoutError()
    outbox_deliver(ExampleOutbox, row.pk, example_tasks._send)
    row.refresh_from_db()
    assert (row.state, row.attempts) == (OutboxState.FAILED, OUTBOX_MAX_ATTEMPTS)


def test_retry_puts_a_failed_row_back_and_sends_it(
    db: None, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    row = _row()
    BEHAVIOUR["a"] = InteropError("ditolak", transient=False, status=400)
    outbox_deliver(ExampleOutbox, row.pk, example_tasks._send)
    BEHAVIOUR.clear()
    row.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        outbox_retry(row=row)
    row.refresh_from_db()
    assert (row.state, row.attempts, example_tasks.SENT) == (OutboxState.SENT, 1, ["a"])


def test_the_beat_job_sends_what_is_due_only(db: None, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    due, later, sent = _row("due"), _row("later"), _row("sent")
    ExampleOutbox.objects.filter(pk=later.pk).update(
        next_attempt_at=timezone.now() + dt.timedelta(hours=1)
    )
    ExampleOutbox.objects.filter(pk=sent.pk).update(state=OutboxState.SENT)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_dispatch_due() == 1
    assert example_tasks.SENT == ["due"]
    due.refresh_from_db()
    assert due.state == OutboxState.SENT


def test_retry_never_runs_beside_a_send_in_flight(db: None) -> None:
    row = _row()
    claimed = outbox_claim(ExampleOutbox, row.pk)
    assert claimed is not None
    assert outbox_retry(row=claimed) is False
    claimed.refresh_from_db()
    assert claimed.attempts == 1
