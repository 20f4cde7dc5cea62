"""Load BPJS's PRB medicine and diagnosis lists from VClaim (the mapping is kept)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from bpjs.services import reference_data_load
from facilities.models import Facility
from interop.errors import InteropError


class Command(BaseCommand):
    help = "Load BPJS's PRB medicine list and PRB diagnosis list (VClaim referensi)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--facility", help="Kemenkes or BPJS code of the facility whose credentials to use"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        facility = None
        if code := options.get("facility"):
            facility = Facility.objects.filter(Q(kemenkes_code=code) | Q(bpjs_code=code)).first()
            if facility is None:
                raise CommandError(f"Fasilitas dengan kode {code!r} tidak dikenal.", returncode=2)
        try:
            counts = reference_data_load(facility=facility)
        except InteropError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        self.stdout.write(
            f"Diagnosis PRB: {counts['diagnoses']}; obat PRB: {counts['medicines']} "
            f"({counts['new_medicines']} baru)."
        )
