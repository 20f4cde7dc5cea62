from django.urls import reverse

from alerts.models import Alert, AlertRead
from alerts.services import AlertDraft, alerts_raise, alerts_resolve
from tests.alerts.factories import AlertFactory


def test_raising_twice_creates_one_alert(world) -> None:
    draft = AlertDraft(
        facility_id=world.pkm1.pk,
        kind=Alert.Kind.CONTROL_OVERDUE,
        key="case-1:2026-11-01",
        title="Kontrol terlambat",
        roles=["dokter"],
    )
    assert len(alerts_raise(drafts=[draft, draft])) == 1
    assert alerts_raise(drafts=[draft]) == []
    assert Alert.objects.count() == 1


def test_resolve_closes_only_alerts_whose_condition_ended(world) -> None:
    keep = AlertFactory(facility=world.pkm1, key="a")
    gone = AlertFactory(facility=world.pkm1, key="b")
    other = AlertFactory(facility=world.pkm2, key="b")
    assert alerts_resolve(facility_id=world.pkm1.pk, kind=keep.kind, keep_keys=["a"]) == 1
    for alert in (keep, gone, other):
        alert.refresh_from_db()
    assert keep.resolved_at is None and gone.resolved_at is not None and other.resolved_at is None


def test_the_centre_lists_the_facilitys_alerts_for_the_role(world, login) -> None:
    AlertFactory(facility=world.pkm1, title="Untuk dokter")
    AlertFactory(facility=world.pkm1, title="Untuk farmasi", roles=["farmasi"])
    AlertFactory(facility=world.pkm2, title="Puskesmas lain")
    body = login(world.dokter1).get(reverse("alerts:list")).content.decode()
    assert "Untuk dokter" in body
    assert "Untuk farmasi" not in body and "Puskesmas lain" not in body


def test_the_badge_counts_unread_and_opening_marks_read(world, login) -> None:
    alert = AlertFactory(facility=world.pkm1, link="/pasien/")
    AlertFactory(facility=world.pkm1)
    client = login(world.dokter1)
    badge = client.get(reverse("alerts:badge"), HTTP_HX_REQUEST="true").content.decode()
    assert ">2</span>" in badge and "2 notifikasi belum dibaca" in badge
    response = client.post(reverse("alerts:open", args=[alert.pk]))
    assert response.status_code == 302 and response["Location"] == "/pasien/"
    badge = client.get(reverse("alerts:badge")).content.decode()
    assert ">1</span>" in badge


def test_mark_all_read(world, login) -> None:
    AlertFactory.create_batch(3, facility=world.pkm1)
    client = login(world.dokter1)
    client.post(reverse("alerts:mark_all_read"))
    assert AlertRead.objects.filter(user=world.dokter1).count() == 3
    assert client.get(reverse("alerts:badge")).content.decode().strip() == ""


def test_it_rejects_other_facility(world, login) -> None:
    alert = AlertFactory(facility=world.pkm1, patient=world.patient1)
    client = login(world.dokter2)
    assert client.post(reverse("alerts:open", args=[alert.pk])).status_code == 404
    assert world.patient1.name not in client.get(reverse("alerts:list")).content.decode()
    assert not AlertRead.objects.exists()


def test_an_external_link_is_not_followed(world, login) -> None:
    alert = AlertFactory(facility=world.pkm1, link="https://evil.example/")
    response = login(world.dokter1).post(reverse("alerts:open", args=[alert.pk]))
    assert response["Location"] == reverse("alerts:list")


def test_the_list_paginates_without_n_plus_one(world, login, django_assert_num_queries) -> None:
    from tests.patients.factories import PatientFactory

    for _ in range(35):
        AlertFactory(facility=world.pkm1, patient=PatientFactory(fktp=world.pkm1))
    client = login(world.dokter1)
    client.get(reverse("alerts:list"))
    # session, user, count, one page (with read state and patient), the one insert logging
    # the patients shown, session save (3)
    with django_assert_num_queries(8):
        response = client.get(reverse("alerts:list"))
    assert len(response.context["page"].object_list) == 30
