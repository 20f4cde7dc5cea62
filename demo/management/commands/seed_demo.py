from django.core.management.base import BaseCommand

from accounts.audit import audit_context
from demo.world import DEMO_PASSWORD, build_world


class Command(BaseCommand):
    help = "Build (or complete) the demo district; safe to run again."

    def handle(self, *args: object, **options: object) -> None:
        with audit_context(user=None):
            world = build_world()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo district ready: {len(world.puskesmas)} puskesmas, "
                f"{len(world.users)} accounts (password {DEMO_PASSWORD})."
            )
        )
