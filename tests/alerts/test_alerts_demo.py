import pytest

from alerts.models import Alert
from demo import seed_alerts, seed_pharmacy, seed_referrals
from demo.world import build_world


@pytest.mark.django_db
def test_the_demo_seed_fills_the_notification_centre_once() -> None:
    world = build_world()
    seed_pharmacy.seed(world)
    seed_referrals.seed(world)
    seed_alerts.seed(world)
    count = Alert.objects.count()
    puskesmas = world.puskesmas[0]
    assert Alert.objects.filter(facility=puskesmas, kind=Alert.Kind.WEEKLY_DIGEST).exists()
    assert (
        Alert.objects.filter(facility__in=world.puskesmas)
        .exclude(kind=Alert.Kind.WEEKLY_DIGEST)
        .exists()
    )
    seed_alerts.seed(world)
    assert Alert.objects.count() == count
