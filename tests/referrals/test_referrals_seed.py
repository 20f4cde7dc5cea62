import pytest

from accounts.audit import audit_context
from demo.seed_referrals import seed
from demo.world import build_world
from referrals.models import BackReferralLetter, ControlVisit, PrbCase

pytestmark = pytest.mark.django_db


def test_the_demo_seed_is_idempotent() -> None:
    with audit_context(user=None):
        world = build_world()
    seed(world)
    counts = (
        BackReferralLetter.objects.count(),
        PrbCase.objects.count(),
        ControlVisit.objects.count(),
    )
    assert counts[0] == 24 and counts[1] == 18 and counts[2] > 18
    assert BackReferralLetter.objects.filter(status="returned").count() == 2
    assert PrbCase.objects.filter(status=PrbCase.Status.RE_REFERRED).exists()
    seed(world)
    assert (
        BackReferralLetter.objects.count(),
        PrbCase.objects.count(),
        ControlVisit.objects.count(),
    ) == counts
