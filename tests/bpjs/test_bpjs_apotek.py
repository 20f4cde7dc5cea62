import datetime as dt

import pytest
from django.utils import timezone

from bpjs.models import ApotekClaimOutbox
from bpjs.services import apotek_claim_rows, apotek_claims_submit
from bpjs.tasks import apotek_claim_deliver
from interop.models import OutboxState
from referrals.models import BackReferralLetter
from tests.conftest import World
from tests.support.bpjs_fake import BpjsFake

NOVEMBER = dt.date(2026, 11, 1)


def _queued(world: World, prescription) -> ApotekClaimOutbox:  # type: ignore[no-untyped-def]
    return ApotekClaimOutbox.objects.create(
        facility=world.pkm1,
        prescription=prescription,
        month=NOVEMBER,
        submitted_by=world.farmasi1,
        idempotency_key=f"apotek-claim:{prescription.pk}",
    )


def test_the_month_lists_what_was_dispensed(world: World, dispensed) -> None:  # type: ignore[no-untyped-def]
    rows = apotek_claim_rows(facility=world.pkm1, month=NOVEMBER)
    assert [(r.prescription, [line.quantity for line in r.lines]) for r in rows] == [
        (dispensed, [90])
    ]
    assert apotek_claim_rows(facility=world.pkm1, month=dt.date(2026, 10, 1)) == []
    assert apotek_claim_rows(facility=world.pkm2, month=NOVEMBER) == []


def test_lines_failing_after_the_header_resume_without_a_second_header(
    world: World, bpjs_fake: BpjsFake, dispensed
) -> None:  # type: ignore[no-untyped-def]
    row = _queued(world, dispensed)
    original = bpjs_fake._route

    def refuse_lines(service, method, path, body):  # type: ignore[no-untyped-def]
        if path == "obatnonracikan/v3/insert":
            return 500, "500", "Internal Server Error", None
        return original(service, method, path, body)

    bpjs_fake._route = refuse_lines  # type: ignore[method-assign]
    apotek_claim_deliver(row.pk)
    row.refresh_from_db()
    assert (row.state, row.sjp_number, row.lines_sent) == (
        OutboxState.WAITING,
        "0112A0011200001",
        [],
    )
    bpjs_fake._route = original  # type: ignore[method-assign]
    ApotekClaimOutbox.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    apotek_claim_deliver(row.pk)
    row.refresh_from_db()
    assert row.state == OutboxState.SENT
    assert len(bpjs_fake.prescriptions) == 1
    assert len(bpjs_fake.prescription_lines) == 1


def test_a_letter_without_sep_fails_with_a_message(
    world: World, bpjs_fake: BpjsFake, dispensed
) -> None:  # type: ignore[no-untyped-def]
    BackReferralLetter.objects.update(sep_number="")
    row = _queued(world, dispensed)
    apotek_claim_deliver(row.pk)
    row.refresh_from_db()
    assert row.state == OutboxState.FAILED
    assert "nomor SEP" in row.last_error
    assert bpjs_fake.prescriptions == []


def test_without_credentials_nothing_is_sent_and_the_row_says_why(
    world: World, dispensed, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.BPJS_APOTEK_URL = "http://127.0.0.1:9"
    settings.BPJS_CONS_ID = ""
    row = _queued(world, dispensed)
    apotek_claim_deliver(row.pk)
    row.refresh_from_db()
    assert row.state == OutboxState.FAILED
    assert "Pengaturan BPJS" in row.last_error


def test_submitting_twice_queues_once(
    world: World, bpjs_fake: BpjsFake, dispensed, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        assert apotek_claims_submit(actor=world.farmasi1, facility=world.pkm1, month=NOVEMBER) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert apotek_claims_submit(actor=world.farmasi1, facility=world.pkm1, month=NOVEMBER) == 0
    assert len(bpjs_fake.prescriptions) == 1


@pytest.mark.parametrize("status", [OutboxState.SENT])
def test_a_sent_claim_is_never_sent_again(
    world: World, bpjs_fake: BpjsFake, dispensed, status: str
) -> None:  # type: ignore[no-untyped-def]
    row = _queued(world, dispensed)
    apotek_claim_deliver(row.pk)
    apotek_claim_deliver(row.pk)
    row.refresh_from_db()
    assert row.state == status
    assert len(bpjs_fake.prescriptions) == 1
