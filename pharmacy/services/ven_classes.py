"""The VEN class a district sets for a medicine."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from facilities.models import Regency
from pharmacy.models import (
    Medicine,
    MedicineVenOverride,
)


def ven_override_set(
    *, actor: User, regency: Regency, medicine: Medicine, ven: str
) -> MedicineVenOverride | None:
    """Set the district's VEN class for a medicine; the formulary's class removes the override."""
    if ven not in Medicine.Ven.values:
        raise ValidationError({"ven": [_("Choose V, E or N.")]})
    with transaction.atomic():
        if ven == medicine.ven:
            MedicineVenOverride.objects.filter(regency=regency, medicine=medicine).delete()
            return None
        override, _created = MedicineVenOverride.objects.update_or_create(
            regency=regency, medicine=medicine, defaults={"ven": ven, "updated_by": actor}
        )
    return override
