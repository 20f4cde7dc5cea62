"""Demo notifications: run the daily sweeps and the weekly digest once for the demo district.

Runs after the pharmacy and referral seeds (it reads their cases, visits and stock).
Idempotent: the sweeps raise each alert once per key and each reminder once per
control date, so running the seed again adds nothing new for the same day.
"""

from __future__ import annotations

from django.utils import timezone

from alerts.sweeps import registry
from demo.world import DemoWorld


def seed(world: DemoWorld) -> None:
    today = timezone.localdate()
    for puskesmas in world.puskesmas:
        for sweep in registry.SWEEPS.values():
            sweep(facility_id=puskesmas.pk, as_of=today)
