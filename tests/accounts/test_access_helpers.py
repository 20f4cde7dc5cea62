"""The access helpers answer read and write at once (issue 10 item 1, STYLE.md 3b).

Every ``<object>_for_user(user, pk, write=...)`` goes through ``accounts.policy.get_for_user``:
a reader in scope gets the record through the read path and 403 through the write path when
they lack the write capability; a user of another puskesmas gets 404 either way, before any
write check. The write views fold their capability into the helper, so a reader who may
open the page still cannot post to it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.test import Client
from django.urls import reverse

from accounts.policy import Capability
from alerts import selectors as alert_selectors
from alerts.views import alert_for_user
from patients.selectors import patient_for_user
from pharmacy import selectors as pharmacy_selectors
from referrals import selectors as referral_selectors
from satusehat.selectors import outbox_row_for_user
from tests.accounts.test_routes import Seed, seed_world
from tests.conftest import build_world

pytestmark = pytest.mark.django_db
JAKARTA = ZoneInfo("Asia/Jakarta")
TODAY = dt.date(2026, 11, 10)


def _worklist_case_for_user(user: Any, pk: int, **kwargs: Any) -> Any:
    return alert_selectors.worklist_case_for_user(user, pk, as_of=TODAY, **kwargs)


# helper, the seeded record it takes, a write capability the in-scope reader lacks, that
# reader's role, and an out-of-scope user who holds the read capability.
HELPERS: list[tuple[str, Callable[..., Any], str, Capability, str, str]] = [
    ("patient", patient_for_user, "patient", Capability.DECIDE_LETTER, "perawat", "dokter@pkm2"),
    (
        "letter",
        referral_selectors.letter_for_user,
        "letter",
        Capability.DECIDE_LETTER,
        "perawat",
        "dokter@pkm2",
    ),
    (
        "case",
        referral_selectors.case_for_user,
        "case",
        Capability.RECORD_VISIT,
        "perawat",
        "dokter@pkm2",
    ),
    (
        "visit",
        referral_selectors.visit_for_user,
        "visit",
        Capability.RE_REFER,
        "perawat",
        "dokter@pkm2",
    ),
    (
        "rereferral",
        referral_selectors.rereferral_for_user,
        "rereferral",
        Capability.RE_REFER,
        "pustu",
        "dokter@pkm2",
    ),
    (
        "worklist_case",
        _worklist_case_for_user,
        "case",
        Capability.CHANGE_CASE_STATUS,
        "perawat",
        "dokter@pkm2",
    ),
    ("alert", alert_for_user, "alert", Capability.DISPENSE, "perawat", "perawat@pkm2"),
    (
        "outbox_row",
        outbox_row_for_user,
        "outbox_row",
        Capability.MANAGE_INTEGRATIONS,
        "perawat",
        "perawat@pkm2",
    ),
    (
        "store",
        pharmacy_selectors.store_for_user,
        "store",
        Capability.MOVE_STOCK,
        "dokter",
        "farmasi@pkm2",
    ),
    (
        "prescription",
        pharmacy_selectors.prescription_for_user,
        "prescription",
        Capability.DISPENSE,
        "dokter",
        "farmasi@pkm2",
    ),
    (
        "destruction",
        pharmacy_selectors.destruction_for_user,
        "destruction",
        Capability.DESTROY,
        "dokter",
        "farmasi@pkm2",
    ),
    (
        "card_line",
        pharmacy_selectors.card_line_for_user,
        "card_line",
        Capability.MOVE_STOCK,
        "dokter",
        "farmasi@pkm2",
    ),
]


@pytest.fixture(scope="module")
def seed(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock(), transaction.atomic():
        with time_machine.travel(dt.datetime(2026, 11, 10, 9, tzinfo=JAKARTA), tick=False):
            seeded = seed_world(build_world())
        yield seeded
        transaction.set_rollback(True)


each_helper = pytest.mark.parametrize("row", [pytest.param(row, id=row[0]) for row in HELPERS])


@each_helper
def test_a_reader_gets_the_record_but_not_the_write(seed: Seed, row: tuple[Any, ...]) -> None:
    _, helper, attribute, write, reader, _outsider = row
    record = getattr(seed, attribute)
    user = seed.in_scope[reader]

    assert helper(user, record.pk).pk == record.pk
    with pytest.raises(PermissionDenied):
        helper(user, record.pk, write=write)


@each_helper
def test_out_of_scope_is_404_on_both_paths(seed: Seed, row: tuple[Any, ...]) -> None:
    _, helper, attribute, write, _reader, outsider = row
    record = getattr(seed, attribute)
    user = seed.out_of_scope[outsider]

    with pytest.raises(Http404):
        helper(user, record.pk)
    with pytest.raises(Http404):
        helper(user, record.pk, write=write)


def test_a_holder_of_the_write_capability_gets_the_record(seed: Seed) -> None:
    case = referral_selectors.case_for_user(
        seed.in_scope["dokter"], seed.case.pk, write=Capability.RECORD_VISIT
    )
    assert case.pk == seed.case.pk
    store = pharmacy_selectors.store_for_user(
        seed.in_scope["farmasi"], seed.store.pk, write=Capability.MOVE_STOCK
    )
    assert store.pk == seed.store.pk


# Through the pages: (reader, the read page, the write page and its method).
PAGES = [
    ("perawat", "referrals:case_detail", "referrals:case_status", "post", "case"),
    ("perawat", "referrals:case_detail", "referrals:visit_create", "get", "case"),
    ("perawat", "referrals:case_detail", "referrals:rereferral_create", "get", "case"),
    ("perawat", "referrals:letter_detail", "referrals:letter_accept", "post", "letter"),
    ("pustu", "referrals:case_detail", "referrals:care_plan_edit", "get", "case"),
    ("dokter", "pharmacy:stock", "pharmacy:receive", "get", "store"),
    ("dokter", "pharmacy:stock", "pharmacy:opname", "get", "store"),
    ("dokter", "pharmacy:stock", "pharmacy:transfer", "get", "store"),
    ("dokter", "pharmacy:dispense", "pharmacy:dispense", "post", "prescription"),
]


@pytest.mark.parametrize(("reader", "read_page", "write_page", "method", "attribute"), PAGES)
def test_a_reader_opens_the_page_and_is_refused_the_write(
    seed: Seed, reader: str, read_page: str, write_page: str, method: str, attribute: str
) -> None:
    client = Client()
    client.force_login(seed.in_scope[reader])
    pk = getattr(seed, attribute).pk
    assert client.get(reverse(read_page, kwargs={"pk": pk})).status_code == 200
    response = getattr(client, method)(reverse(write_page, kwargs={"pk": pk}))
    assert response.status_code == 403

    outsider = Client()
    outsider.force_login(seed.out_of_scope["dokter@pkm2"])
    assert outsider.get(reverse(read_page, kwargs={"pk": pk})).status_code == 404
    assert getattr(outsider, method)(reverse(write_page, kwargs={"pk": pk})).status_code == 404


def test_the_dispense_api_refuses_a_reader(seed: Seed) -> None:
    client = Client()
    client.force_login(seed.in_scope["dokter"])
    url = reverse("api-pharmacy-dispense", kwargs={"pk": seed.prescription.pk})
    response = client.post(url, {}, content_type="application/json")
    assert response.status_code == 403

    outsider = Client()
    outsider.force_login(seed.out_of_scope["farmasi@pkm2"])
    assert outsider.post(url, {}, content_type="application/json").status_code == 404


# The pages show a write button by the policy's capability (``can.*``), the same rule the
# write view's access helper enforces.
BUTTONS = [
    ("referrals:case_detail", "case", "referrals:case_status", "dokter", "pustu"),
    ("pharmacy:stock", "store", "pharmacy:receive", "farmasi", "dokter"),
]


@pytest.mark.parametrize(("page", "attribute", "button", "writer", "reader"), BUTTONS)
def test_the_write_button_follows_the_write_capability(
    seed: Seed, page: str, attribute: str, button: str, writer: str, reader: str
) -> None:
    pk = getattr(seed, attribute).pk
    target = reverse(button, kwargs={"pk": pk})
    for role, shown in ((writer, True), (reader, False)):
        client = Client()
        client.force_login(seed.in_scope[role])
        response = client.get(reverse(page, kwargs={"pk": pk}))
        assert response.status_code == 200
        assert (f'"{target}"' in response.content.decode()) is shown, role
