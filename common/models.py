"""The foreign key as PRB models declare it, and the links many models repeat.

A link is protected from deletion unless a model says otherwise; an optional link is
``null`` and ``blank`` together. "Which user recorded this row" (no reverse accessor), "which
facility" and "which patient" are written the same way in every app. Each factory returns
exactly the field the models declared before, so using one changes no migration.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# A model's on_delete handler (models.PROTECT, models.CASCADE, models.SET_NULL).
OnDelete = Any


def foreign_key(
    to: Any,
    related_name: str = "+",
    *,
    verbose_name: Any = None,
    help_text: Any = "",
    optional: bool = False,
    on_delete: OnDelete = models.PROTECT,
) -> "models.ForeignKey[Any, Any]":
    """A foreign key to ``to`` (a model or "app.Model"): protected, required unless ``optional``."""
    return models.ForeignKey(
        to,
        on_delete=on_delete,
        null=optional,
        blank=optional,
        related_name=related_name,
        verbose_name=verbose_name,
        help_text=help_text,
    )


def staff_fk(
    *, optional: bool = False, on_delete: OnDelete = models.PROTECT
) -> "models.ForeignKey[Any, Any]":
    """The user who recorded, changed or decided a row; users keep no reverse list of them."""
    return foreign_key(settings.AUTH_USER_MODEL, optional=optional, on_delete=on_delete)


def facility_fk(
    related_name: str = "+", *, optional: bool = False
) -> "models.ForeignKey[Any, Any]":
    """The facility (puskesmas, pustu, apotek PRB) a row belongs to."""
    return foreign_key(
        "facilities.Facility", related_name, verbose_name=_("facility"), optional=optional
    )


def patient_fk(related_name: str = "+") -> "models.ForeignKey[Any, Any]":
    """The patient a clinical or pharmacy document is about; a patient is never deleted under one."""
    return foreign_key("patients.Patient", related_name, verbose_name=_("patient"))
