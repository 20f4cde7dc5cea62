"""The facility's SATUSEHAT page and the visit's sync state."""

import pytest

from interop.models import OutboxState
from satusehat.models import SatusehatOutbox, SatusehatSettings
from tests.satusehat.factories import SECRET, control_visit, enrolled_case, sending_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed_row(world):
    sending_settings(world.pkm1)
    case = enrolled_case(world, "DM")
    visit = control_visit(world, case)
    row = SatusehatOutbox.objects.get(visit=visit)
    SatusehatOutbox.objects.filter(pk=row.pk).update(
        state=OutboxState.FAILED, attempts=1, last_error="SATUSEHAT menolak Observation"
    )
    return row


def test_the_page_lists_rows_by_state_in_indonesian(world, login, failed_row) -> None:
    page = login(world.admin1).get("/satusehat/?state=failed")

    assert page.status_code == 200
    html = page.content.decode()
    assert "Pengiriman ke SATUSEHAT" in html
    assert "SATUSEHAT menolak Observation" in html
    assert "Kirim ulang" in html
    assert failed_row.patient.name in html
    sent_page = login(world.admin1).get("/satusehat/?state=sent").content.decode()
    assert failed_row.patient.name not in sent_page


def test_resend_puts_a_failed_row_back_in_the_queue(world, login, failed_row) -> None:
    response = login(world.dokter1).post(f"/satusehat/{failed_row.pk}/kirim-ulang/")

    assert response.status_code == 302
    failed_row.refresh_from_db()
    # Nothing answers at the default root in the test run: the row waits for a retry.
    assert failed_row.state == OutboxState.WAITING


def test_another_facility_gets_404(world, login, failed_row) -> None:
    client = login(world.dokter2)
    assert client.post(f"/satusehat/{failed_row.pk}/kirim-ulang/").status_code == 404
    assert failed_row.patient.name not in client.get("/satusehat/").content.decode()
    failed_row.refresh_from_db()
    assert failed_row.state == OutboxState.FAILED


def test_dinkes_cannot_open_the_page(world, login, failed_row) -> None:
    assert login(world.dinkes_a).get("/satusehat/").status_code == 403


def test_the_visit_page_shows_its_sync_state(world, login, failed_row) -> None:
    html = login(world.dokter1).get(f"/rujukan/kunjungan/{failed_row.visit_id}/").content.decode()

    assert 'id="satusehat-state"' in html
    assert "Gagal" in html
    assert "SATUSEHAT menolak Observation" in html


def test_the_admin_never_shows_the_secret_again(world, login, failed_row) -> None:
    config = SatusehatSettings.objects.get(facility=world.pkm1)

    html = login(world.admin1).get(f"/admin/satusehat/satusehatsettings/{config.pk}/change/")

    assert html.status_code == 200
    assert SECRET not in html.content.decode()
    assert login(world.admin1).get("/admin/satusehat/satusehatsettings/").status_code == 200


def test_a_facility_admin_sees_only_their_own_settings(world, login, failed_row) -> None:
    other = SatusehatSettings.objects.create(
        facility=world.pkm2, organization_id="2", location_id="l", client_id="c"
    )
    from tests.accounts.factories import UserFactory

    admin2 = UserFactory(username="admin2", role="admin", facility=world.pkm2, is_staff=True)
    url = f"/admin/satusehat/satusehatsettings/{other.pk}/change/"
    assert login(world.admin1).get(url).status_code in (302, 404)
    assert login(admin2).get(url).status_code == 200


def test_the_list_has_no_n_plus_one(world, login, failed_row, django_assert_num_queries) -> None:
    case = failed_row.visit.case

    def queue_episodes(indexes: range) -> None:
        for index in indexes:
            SatusehatOutbox.objects.create(
                kind="episode",
                facility=world.pkm1,
                patient=case.patient,
                case=case,
                idempotency_key=f"episode:test:{index}",
            )

    queue_episodes(range(5))
    client = login(world.admin1)
    client.get("/satusehat/")
    with django_assert_num_queries(10) as few:  # with the one insert logging the patients
        client.get("/satusehat/")
    queue_episodes(range(5, 15))
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/satusehat/")
