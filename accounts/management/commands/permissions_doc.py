from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.policy import table_markdown


class Command(BaseCommand):
    help = "Write docs/permissions.md (the role × capability table) from accounts/policy.py."

    def handle(self, *args: object, **options: object) -> None:
        path = Path(settings.BASE_DIR) / "docs" / "permissions.md"
        path.write_text(table_markdown(), encoding="utf-8")
        self.stdout.write(str(path.relative_to(settings.BASE_DIR)))
