from typing import Any

from django.core.management.base import BaseCommand

from dashboards import docs


class Command(BaseCommand):
    help = "Write docs/indicators.md from the indicator definitions (keeps the benchmark block)."

    def handle(self, *args: Any, **options: Any) -> None:
        docs.write()
        self.stdout.write(str(docs.DOC))
