from django.core.management.base import BaseCommand

from accounts.audit import audit_context
from pharmacy.formulary import PRB_FORMULARY, load_formulary
from pharmacy.models import Medicine


class Command(BaseCommand):
    help = "Add the usual PRB medicines of the nine programmes that are missing from the formulary."

    def handle(self, *args: object, **options: object) -> None:
        with audit_context(user=None):
            created = load_formulary(Medicine)
        self.stdout.write(
            self.style.SUCCESS(f"PRB formulary: {created} added, {len(PRB_FORMULARY)} listed.")
        )
