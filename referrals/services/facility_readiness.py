"""A puskesmas's declared readiness (resources) per programme."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from facilities.models import Facility
from referrals import kmk
from referrals.models import (
    FacilityReadiness,
)


def readiness_update(
    *, actor: User, facility: Facility, program: str, available: Sequence[str], note: str = ""
) -> FacilityReadiness:
    known = {code for code, _text in kmk.RESOURCES[program]}
    unknown = set(available) - known
    if unknown:
        raise ValidationError(
            {
                "available": [
                    _("Unknown resource: %(codes)s") % {"codes": ", ".join(sorted(unknown))}
                ]
            }
        )
    with transaction.atomic():
        row, _created = FacilityReadiness.objects.select_for_update().get_or_create(
            facility=facility,
            program=program,
            defaults={"updated_by": actor, "available": sorted(available), "note": note},
        )
        row.available = sorted(available)
        row.note = note.strip()
        row.updated_by = actor
        row.full_clean()
        row.save(update_fields=["available", "note", "updated_by", "updated_at"])
    return row
