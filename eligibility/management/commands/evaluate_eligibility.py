import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from eligibility.rules import RequestError, evaluate


class Command(BaseCommand):
    help = (
        "Evaluate a PRB criteria request (contract eligibility.md): FILE or - for stdin. "
        "Prints the result JSON; a malformed request prints {'errors': …} and exits 2."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="request JSON file, or - to read standard input")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"]
        try:
            if path == "-":
                text = sys.stdin.read()
            else:
                with open(path, encoding="utf-8") as handle:
                    text = handle.read()
        except OSError as exc:
            self._fail({"": [f"Berkas tidak dapat dibaca: {exc.strerror}"]})
        try:
            request = json.loads(text)
        except json.JSONDecodeError as exc:
            self._fail({"": [f"JSON tidak valid: baris {exc.lineno}, kolom {exc.colno}."]})
        try:
            result = evaluate(request)
        except RequestError as exc:
            self._fail(exc.errors)
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))

    def _fail(self, errors: dict[str, list[str]]) -> None:
        self.stdout.write(json.dumps({"errors": errors}, ensure_ascii=False, indent=2))
        sys.exit(2)
