"""Data migrations of the referrals app, run with Django's MigrationExecutor."""

import pytest
from django.db import connection

from referrals.models import PrbCase
from tests.alerts.factories import CaseFactory
from tests.patients.factories import PatientFactory
from tests.support.migrations import migrate_latest, migrate_to

# Each test starts before 0005_case_status_codes_in_english and ends at the latest state.
BEFORE = [("referrals", "0004_controlvisit_visit_one_per_case_day")]

OLD_TO_NEW = {
    "aktif": PrbCase.Status.ACTIVE,
    "dirujuk_ulang": PrbCase.Status.RE_REFERRED,
    "kembali_dari_rs": PrbCase.Status.BACK_FROM_HOSPITAL,
    "pindah": PrbCase.Status.MOVED,
    "meninggal": PrbCase.Status.DIED,
    "putus_berobat": PrbCase.Status.DROPPED_OUT,
    "selesai": PrbCase.Status.FINISHED,
}


@pytest.mark.django_db(transaction=True)
def test_stored_indonesian_case_statuses_become_english_codes() -> None:
    cases = {old: CaseFactory(patient=PatientFactory()) for old in OLD_TO_NEW}
    migrate_to(BEFORE)
    try:
        with connection.cursor() as cursor:
            for old, case in cases.items():
                cursor.execute(
                    "UPDATE referrals_prbcase SET status = %s WHERE id = %s", [old, case.pk]
                )
    finally:
        migrate_latest()
    stored = dict(PrbCase.objects.values_list("pk", "status"))
    assert {old: stored[case.pk] for old, case in cases.items()} == OLD_TO_NEW


@pytest.mark.django_db(transaction=True)
def test_the_migration_back_restores_the_old_codes() -> None:
    case = CaseFactory(status=PrbCase.Status.DIED)
    migrate_to(BEFORE)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT status FROM referrals_prbcase WHERE id = %s", [case.pk])
            assert cursor.fetchone() == ("meninggal",)
    finally:
        migrate_latest()
    case.refresh_from_db()
    assert case.status == PrbCase.Status.DIED
