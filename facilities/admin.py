from django.contrib import admin

from facilities.models import Facility, Province, Regency


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(Regency)
class RegencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "province"]
    list_filter = ["province"]


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "regency", "kemenkes_code", "bpjs_code", "parent"]
    list_filter = ["kind", "regency"]
    search_fields = ["name", "kemenkes_code", "bpjs_code"]
