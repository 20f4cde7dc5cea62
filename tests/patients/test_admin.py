from django.urls import reverse


def test_the_admin_lists_only_the_staff_members_facility(world, client) -> None:
    world.admin1.is_staff = True
    world.admin1.save()
    from django.contrib.auth.models import Permission

    world.admin1.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_patient", "change_patient"])
    )
    client.force_login(world.admin1)
    body = client.get(reverse("admin:patients_patient_changelist")).content.decode()
    assert "Siti Lubis" in body and "Budi Nasution" not in body
    other = client.get(reverse("admin:patients_patient_change", args=[world.patient2.pk]))
    assert other.status_code in (302, 404)  # Django's admin redirects a missing object


def test_the_admin_rejects_other_facility(world, client) -> None:
    from django.contrib.auth.models import Permission

    world.dokter2.is_staff = True
    world.dokter2.save()
    world.dokter2.user_permissions.add(*Permission.objects.filter(codename="view_patient"))
    client.force_login(world.dokter2)
    response = client.get(
        reverse("admin:patients_patient_change", args=[world.patient1.pk]), follow=True
    )
    assert world.patient1.nik not in response.content.decode()
