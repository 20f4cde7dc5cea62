"""Reads of the BPJS integration: whose credentials, which formulary medicine."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from bpjs.client import BpjsClient, Credentials, Service
from bpjs.models import BpjsCredentials, BpjsMedicine
from facilities.models import Facility
from interop.errors import InteropError
from pharmacy.models import Medicine


def _home(facility: Facility) -> Facility:
    # A Pustu works under its puskesmas's BPJS contract.
    return facility.parent if facility.kind == Facility.Kind.PUSTU and facility.parent else facility


def bpjs_credentials(facility: Facility, service: Service) -> Credentials:
    """The facility's own credentials when its administrator entered them, else the
    environment's (``BPJS_*``); never a mix of the two."""
    stored = BpjsCredentials.objects.filter(facility=_home(facility)).first()
    if stored is not None and stored.cons_id and stored.secret_key:
        source = {
            "cons_id": stored.cons_id,
            "secret_key": stored.secret_key,
            "user_key": getattr(stored, f"{service.value}_user_key"),
            "username": stored.pcare_username,
            "password": stored.pcare_password,
        }
    else:
        source = {
            "cons_id": settings.BPJS_CONS_ID,
            "secret_key": settings.BPJS_SECRET_KEY,
            "user_key": getattr(settings, f"BPJS_{service.name}_USER_KEY"),
            "username": settings.BPJS_PCARE_USERNAME,
            "password": settings.BPJS_PCARE_PASSWORD,
        }
    missing = not (source["cons_id"] and source["secret_key"] and source["user_key"])
    if service == Service.PCARE and not (source["username"] and source["password"]):
        missing = True
    if missing:
        raise InteropError(
            _(
                "The BPJS %(service)s credentials of %(facility)s are not complete; the "
                "facility administrator enters them on the BPJS settings page."
            )
            % {"service": service.label, "facility": _home(facility)},
            transient=False,
        )
    return Credentials(app_code=settings.BPJS_PCARE_APP_CODE, **source)


def bpjs_client(facility: Facility, service: Service) -> BpjsClient:
    return BpjsClient(service, bpjs_credentials(facility, service))


def formulary_medicines_for_codes(codes: list[str]) -> dict[str, Medicine]:
    """BPJS generic code → formulary medicine, from the district's mapping, else the
    formulary's own BPJS code."""
    found: dict[str, Medicine] = {}
    for row in BpjsMedicine.objects.filter(code__in=codes, medicine__isnull=False).select_related(
        "medicine"
    ):
        if row.medicine is not None:
            found[row.code] = row.medicine
    rest = [code for code in codes if code not in found]
    if rest:
        for medicine in Medicine.objects.active().filter(bpjs_code__in=rest):
            found.setdefault(medicine.bpjs_code, medicine)
    return found


def bpjs_code_for_medicine(medicine: Medicine) -> str:
    """The code Apotek Online knows the formulary medicine by."""
    mapped = (
        BpjsMedicine.objects.filter(medicine=medicine)
        .order_by("code")
        .values_list("code", flat=True)
    )
    return medicine.bpjs_code or next(iter(mapped), "")


def formulary_choices() -> list[Medicine]:
    return list(Medicine.objects.active().order_by("name", "strength", "form"))
