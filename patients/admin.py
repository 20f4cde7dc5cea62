from django.contrib import admin
from django.http import HttpRequest

from patients.models import Patient, PatientAccessLog


@admin.register(Patient)
class PatientAdmin(admin.ModelAdmin):
    """The admin site goes through the same scope as every other view."""

    list_display = ["name", "nik", "bpjs_number", "sex", "birth_date", "fktp", "pustu"]
    search_fields = ["name", "nik", "bpjs_number"]
    list_select_related = ["fktp", "pustu"]
    raw_id_fields = ["fktp", "pustu"]

    def get_queryset(self, request: HttpRequest):  # type: ignore[no-untyped-def]
        return Patient.objects.visible_to(request.user).select_related("fktp", "pustu")


@admin.register(PatientAccessLog)
class PatientAccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "patient", "user", "facility", "action"]
    list_select_related = ["patient", "user", "facility"]

    def get_queryset(self, request: HttpRequest):  # type: ignore[no-untyped-def]
        visible = Patient.objects.visible_to(request.user)
        return super().get_queryset(request).filter(patient__in=visible)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
