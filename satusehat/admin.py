from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from facilities.models import Facility
from satusehat.models import EpisodeOfCareType, FormularyKfaCode, SatusehatSettings


@admin.register(EpisodeOfCareType)
class EpisodeOfCareTypeAdmin(admin.ModelAdmin):
    list_display = ["program", "code", "display"]
    list_editable = ["code", "display"]


@admin.register(FormularyKfaCode)
class FormularyKfaCodeAdmin(admin.ModelAdmin):
    list_display = ["name", "strength", "form", "kfa_code", "is_active"]
    list_editable = ["kfa_code"]
    list_filter = ["is_active"]
    search_fields = ["name", "kfa_code"]
    fields = ["name", "strength", "form", "kfa_code"]
    readonly_fields = ["name", "strength", "form"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(SatusehatSettings)
class SatusehatSettingsAdmin(admin.ModelAdmin):
    """Each facility administrator edits their own facility's row; the secret is write-only."""

    list_display = ["facility", "is_enabled", "organization_id", "location_id", "updated_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = [
        "facility",
        "is_enabled",
        "auth_root",
        "fhir_root",
        "organization_id",
        "location_id",
        "pharmacy_location_id",
        "client_id",
        "client_secret",
    ]

    def _allowed(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff and getattr(user, "is_facility_admin", False))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def get_queryset(self, request: HttpRequest) -> QuerySet[SatusehatSettings]:
        rows = super().get_queryset(request).select_related("facility")
        if request.user.is_superuser:
            return rows
        return rows.filter(facility_id=getattr(request.user, "facility_id", None))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "facility" and not request.user.is_superuser:
            kwargs["queryset"] = Facility.objects.filter(
                pk__in=[getattr(request.user, "facility_id", None)]
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
