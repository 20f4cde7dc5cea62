"""Print a back-referral letter read from VClaim as the referral API would receive it."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from bpjs.services import srb_fetch
from facilities.models import Facility
from interop.errors import InteropError


class Command(BaseCommand):
    help = (
        "Read an SRB from BPJS VClaim (prb/{noSrb}/nosep/{noSep}) and print it as JSON with the "
        "referral API's input keys plus unmapped_medicines. Exit status 2 on any error."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--facility", required=True, help="Kemenkes or BPJS code of the FKTP")
        parser.add_argument("srb_number")
        parser.add_argument("sep_number")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["facility"]
        facility = Facility.objects.filter(Q(kemenkes_code=code) | Q(bpjs_code=code)).first()
        if facility is None:
            raise CommandError(f"Fasilitas dengan kode {code!r} tidak dikenal.", returncode=2)
        try:
            letter = srb_fetch(
                facility=facility,
                srb_number=options["srb_number"],
                sep_number=options["sep_number"],
            )
        except InteropError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        self.stdout.write(json.dumps(letter.as_referral_input(), indent=2, ensure_ascii=False))
