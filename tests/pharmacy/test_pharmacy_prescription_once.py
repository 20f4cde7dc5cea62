"""The dispensing queue never holds the same visit's request twice."""

import pytest
from django.core.exceptions import ValidationError

from pharmacy import services
from pharmacy.models import Prescription
from tests.pharmacy.conftest import TODAY

pytestmark = pytest.mark.django_db


def _prescribe(world, medicine, reference: str) -> Prescription:  # type: ignore[no-untyped-def]
    return services.prescription_create(
        actor=world.dokter1,
        patient=world.patient1,
        prescribed_on=TODAY,
        lines=[services.PrescriptionLineInput(medicine=medicine, quantity=90, signa="3x1")],
        reference=reference,
    )


def test_a_second_prescription_of_the_same_day_and_source_is_refused(world, metformin) -> None:
    first = _prescribe(world, metformin, "PRB 7")
    with pytest.raises(ValidationError) as error:
        _prescribe(world, metformin, "PRB 7")
    assert "sudah memiliki resep" in " ".join(error.value.messages)
    assert Prescription.objects.filter(patient=world.patient1, prescribed_on=TODAY).count() == 1
    # Another programme's case the same day is a different request.
    _prescribe(world, metformin, "PRB 8")
    # Once cancelled, the day is free again.
    first.status = Prescription.Status.CANCELLED
    first.save(update_fields=["status"])
    _prescribe(world, metformin, "PRB 7")
