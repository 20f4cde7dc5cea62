"""The nightly re-referral sweep judges III.B.1.d.2 against the case's baseline (contract v2)."""

import pytest

from alerts import sweeps
from alerts.models import Alert
from tests.alerts.conftest import TODAY, days_ago
from tests.alerts.factories import CaseFactory, VisitFactory

pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.mark.parametrize(("hba1c", "raised"), [(7.4, False), (7.5, False), (7.6, True)])
def test_the_sweep_compares_dm_glucose_with_the_baseline(world, hba1c, raised) -> None:
    case = CaseFactory(patient=world.patient1, program="DM", baseline_facts={"hba1c_percent": 7.5})
    VisitFactory(case=case, visit_date=days_ago(10), facts={"hba1c_percent": hba1c})
    sweeps.alerts_sweep_rereferral(facility_id=world.pkm1.pk, as_of=TODAY, full=True)
    alerts = Alert.objects.filter(kind=Alert.Kind.RE_REFERRAL, facility=world.pkm1)
    assert alerts.exists() is raised
    if raised:
        assert alerts.get().key == (
            f"case:{case.pk}:rereferral:{days_ago(10).isoformat()}:III.B.1.d.2"
        )


def test_without_a_baseline_value_the_target_alone_raises(world) -> None:
    case = CaseFactory(patient=world.patient1, program="DM", baseline_facts={})
    VisitFactory(case=case, visit_date=days_ago(10), facts={"hba1c_percent": 7.0})
    sweeps.alerts_sweep_rereferral(facility_id=world.pkm1.pk, as_of=TODAY, full=True)
    assert Alert.objects.filter(kind=Alert.Kind.RE_REFERRAL, facility=world.pkm1).exists()
