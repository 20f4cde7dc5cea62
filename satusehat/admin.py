from django.contrib import admin

from satusehat.models import EpisodeOfCareType, FormularyKfaCode


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
