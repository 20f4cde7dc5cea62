import time

from django.core.management.base import BaseCommand
from django.db import connection

from accounts.audit import audit_context
from demo import seed_alerts, seed_dashboards, seed_district, seed_pharmacy, seed_referrals
from demo.world import DEMO_PASSWORD, build_world

# In dependency order: the formulary and stock before the letters that prescribe from them,
# the dashboard's monthly facts last.
SEEDS = (
    (seed_pharmacy, "PRB formulary, stores, stock and six months of dispensing"),
    (seed_referrals, "back-referral letters and cases at the first two puskesmas"),
    (seed_district, "a PRB case for every other patient, with months of control visits"),
    (seed_alerts, "the daily alert sweeps"),
    (seed_dashboards, "the dashboard's monthly facts"),
)


class Command(BaseCommand):
    help = "Build (or complete) the demo district; safe to run again. Prints its progress."

    def handle(self, *args: object, **options: object) -> None:
        started = time.monotonic()
        steps = len(SEEDS) + 1

        def say(message: str) -> None:
            self.stdout.write(f"[seed_demo {time.monotonic() - started:5.1f}s] {message}")
            self.stdout.flush()

        with connection.cursor() as cursor:
            # Demo data can be rebuilt: do not wait for the disk at every commit.
            cursor.execute("SET synchronous_commit TO off")
        with audit_context(user=None):
            say(f"1/{steps} organisation, accounts and patients")
            world = build_world()
            for number, (module, label) in enumerate(SEEDS, start=2):
                say(f"{number}/{steps} {label}")
                if module is seed_district:
                    seed_district.seed(world, progress=say)
                else:
                    module.seed(world)
        say("done")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo district ready: {len(world.puskesmas)} puskesmas, "
                f"{len(world.users)} accounts (password {DEMO_PASSWORD})."
            )
        )
