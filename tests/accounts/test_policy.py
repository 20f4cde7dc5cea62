"""The one permission policy (accounts/policy.py) and the holes it closed (issue 10 item 1)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from accounts import policy
from accounts.policy import Capability
from referrals.models import MonitoringItem, SelfManagementItem
from tests.pharmacy.conftest import prescribe, receive
from tests.pharmacy.factories import MedicineFactory, StoreFactory
from tests.referrals.factories import enrol

pytestmark = pytest.mark.django_db


def test_docs_permissions_md_is_generated_from_the_policy() -> None:
    written = (Path(settings.BASE_DIR) / "docs" / "permissions.md").read_text(encoding="utf-8")
    assert written == policy.table_markdown(), "run: python manage.py permissions_doc"


def test_every_capability_has_roles_and_a_label() -> None:
    assert set(policy.GRANTS) == set(Capability)
    for roles, label in policy.GRANTS.values():
        assert roles and roles <= set(policy.ROLES) and str(label)


def test_superusers_hold_everything_and_anonymous_nothing(world, django_user_model) -> None:
    root = django_user_model.objects.create_superuser("root", password="x")
    root.facility, root.regency = world.pkm1, world.regency_a
    assert all(policy.can(root, c) for c in Capability)
    assert not any(policy.can(None, c) for c in Capability)


def test_a_superuser_of_no_facility_holds_nothing_that_acts_for_one(django_user_model) -> None:
    """The system administrator's account: everything but its own puskesmas's or district's
    work (registering a patient, receiving a letter, the BPJS link, the VEN classes …)."""
    root = django_user_model.objects.create_superuser("root", password="x")
    held = {c for c in Capability if policy.can(root, c)}
    assert held == set(Capability) - policy.OWN_FACILITY - policy.OWN_DISTRICT
    assert Capability.REGISTER_PATIENT not in held and Capability.SEE_PATIENTS in held


def test_a_role_without_its_facility_holds_nothing(world) -> None:
    world.farmasi1.facility = None
    assert not policy.can(world.farmasi1, Capability.DISPENSE)


@pytest.mark.parametrize("name", ["referrals:monitoring_done", "referrals:self_management_tick"])
def test_pharmacy_staff_cannot_tick_monitoring_or_education(world, login, name) -> None:
    case = enrol(world)
    plan = case.care_plans.get()
    item = (plan.monitoring if "monitoring" in name else plan.self_management).first()
    response = login(world.farmasi1).post(reverse(name, args=[case.pk, item.pk]), {"taught": "1"})
    assert response.status_code == 403
    assert not MonitoringItem.objects.filter(done_on__isnull=False).exists()
    assert not SelfManagementItem.objects.filter(taught_on__isnull=False).exists()
    allowed = login(world.perawat1).post(reverse(name, args=[case.pk, item.pk]), {"taught": "1"})
    assert allowed.status_code == 302


@pytest.fixture
def pharmacy_world(world):  # type: ignore[no-untyped-def]
    store = StoreFactory(facility=world.pkm1, name="Gudang PRB Satu")
    medicine = MedicineFactory(name="Metformin Uji", strength="500 mg")
    receive(store, medicine, 100, user=world.farmasi1)
    prescription = prescribe(world, world.patient1, medicine, 30)
    return store, medicine, prescription


def test_pustu_staff_cannot_open_pharmacy_pages(world, login, pharmacy_world) -> None:
    store, medicine, prescription = pharmacy_world
    client = login(world.pustu_staff1)
    for url in [
        reverse("pharmacy:home"),
        reverse("pharmacy:dispense", args=[prescription.pk]),
        reverse("pharmacy:claims"),
        reverse("pharmacy:stock", args=[store.pk]),
        reverse("pharmacy:card", args=[store.pk, medicine.pk]),
        reverse("pharmacy:destruction_list"),
    ]:
        assert client.get(url).status_code == 403, url
    api = APIClient()
    api.force_authenticate(world.pustu_staff1)
    for url in [
        reverse("api-pharmacy-card", args=[store.pk]),
        reverse("api-pharmacy-stock", args=[store.pk]),
    ]:
        assert api.get(url).status_code == 403, url
    # The pharmacy staff of the same puskesmas open them.
    assert (
        login(world.farmasi1)
        .get(reverse("pharmacy:card", args=[store.pk, medicine.pk]))
        .status_code
        == 200
    )


def test_navigation_and_templates_ask_the_policy(world, login) -> None:
    body = login(world.pustu_staff1).get(reverse("home")).content.decode()
    assert reverse("pharmacy:home") not in body and reverse("referrals:case_list") in body
    context = login(world.farmasi1).get(reverse("home")).context
    assert context["can"]["dispense"] is True and context["can"]["edit_care_plan"] is False
