from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dashboards import services
from dashboards.indicators import MONTHS_KEPT


class Command(BaseCommand):
    help = "Writes the district dashboard's monthly facts: the months the triggers queued."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="recompute every puskesmas, programme and kept month from scratch",
        )
        parser.add_argument(
            "--months",
            type=int,
            default=MONTHS_KEPT,
            help=f"with --rebuild: how many months back (default {MONTHS_KEPT})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rebuild"]:
            written = services.facts_rebuild(months=options["months"])
        else:
            written = services.facts_refresh_dirty()
        self.stdout.write(f"{written} monthly facts written")
