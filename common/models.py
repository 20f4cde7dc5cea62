"""Field factories for the links many PRB models repeat.

"Which user recorded this row" (a user link without a reverse accessor) and "which
facility this row belongs to" are written the same way in every app; these factories keep
that shape in one place. Each returns exactly the field the models declared before, so
using one changes no migration.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# A model's on_delete handler (models.PROTECT, models.CASCADE, models.SET_NULL).
OnDelete = Any


def staff_fk(
    *, optional: bool = False, on_delete: OnDelete = models.PROTECT
) -> "models.ForeignKey[Any, Any]":
    """The user who recorded, changed or decided a row; users keep no reverse list of them."""
    if optional:
        return models.ForeignKey(
            settings.AUTH_USER_MODEL, on_delete=on_delete, null=True, blank=True, related_name="+"
        )
    return models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=on_delete, related_name="+")


def facility_fk(
    related_name: str = "+", *, optional: bool = False, on_delete: OnDelete = models.PROTECT
) -> "models.ForeignKey[Any, Any]":
    """The facility (puskesmas, pustu, apotek PRB) a row belongs to."""
    if optional:
        return models.ForeignKey(
            "facilities.Facility",
            on_delete=on_delete,
            null=True,
            blank=True,
            related_name=related_name,
            verbose_name=_("facility"),
        )
    return models.ForeignKey(
        "facilities.Facility",
        on_delete=on_delete,
        related_name=related_name,
        verbose_name=_("facility"),
    )


def patient_fk(related_name: str = "+") -> "models.ForeignKey[Any, Any]":
    """The patient a clinical or pharmacy document is about; a patient is never deleted under one."""
    return models.ForeignKey(
        "patients.Patient",
        on_delete=models.PROTECT,
        related_name=related_name,
        verbose_name=_("patient"),
    )
