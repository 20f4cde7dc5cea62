"""Print a PRB case's whole record as one FHIR R4 Bundle (JSON) on standard output."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from referrals.models import PrbCase
from satusehat.bundle import case_bundle


class Command(BaseCommand):
    help = (
        "Print the case's record as a FHIR R4 Bundle (type collection), every resource validated."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("case_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        case = (
            PrbCase.objects.select_related("patient", "facility")
            .filter(pk=options["case_id"])
            .first()
        )
        if case is None:
            raise CommandError(f"No PRB case with id {options['case_id']}.")
        self.stdout.write(json.dumps(case_bundle(case), indent=2, ensure_ascii=False))
