from django.core.management.base import BaseCommand

from accounts.audit import audit_context
from demo import seed_alerts, seed_dashboards, seed_district, seed_pharmacy, seed_referrals
from demo.world import DEMO_PASSWORD, build_world

# In dependency order: the formulary and stock before the letters that prescribe from them,
# the dashboard's monthly facts last.
SEEDS = (seed_pharmacy, seed_referrals, seed_district, seed_alerts, seed_dashboards)


class Command(BaseCommand):
    help = "Build (or complete) the demo district; safe to run again."

    def handle(self, *args: object, **options: object) -> None:
        with audit_context(user=None):
            world = build_world()
            for module in SEEDS:
                module.seed(world)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo district ready: {len(world.puskesmas)} puskesmas, "
                f"{len(world.users)} accounts (password {DEMO_PASSWORD})."
            )
        )
