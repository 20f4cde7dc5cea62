from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "role",
        "facility",
        "regency",
        "is_active",
    ]
    list_filter = ["role", "is_active", "regency"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        ("PRB", {"fields": ("role", "facility", "regency", "nip", "nik", "ihs_number")}),
    )
    readonly_fields = ["ihs_number"]
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("PRB", {"fields": ("role", "facility", "regency", "nip")}),
    )

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        qs = super().get_queryset(request).select_related("facility", "regency")
        if request.user.is_superuser:
            return qs
        return qs.filter(facility_id=request.user.facility_id)
