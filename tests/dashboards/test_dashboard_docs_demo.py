"""docs/indicators.md is generated from the definitions; the demo seed fills the dashboard."""

from django.urls import reverse
from django.utils import translation

from dashboards import docs, indicators
from dashboards.models import MonthlyFact


def test_docs_indicators_md_is_the_generated_document() -> None:
    text = docs.DOC.read_text()
    assert text == docs.render(docs.current_benchmark()), (
        "docs/indicators.md is stale: run manage.py dashboard_indicator_docs"
    )
    with translation.override("en"):
        for indicator in indicators.INDICATORS:
            assert str(indicator.definition) in text
    assert "p95" in docs.current_benchmark()


def test_the_demo_seed_fills_the_district_dashboard(db, client) -> None:
    from accounts.audit import audit_context
    from demo import seed_dashboards, seed_pharmacy, seed_referrals
    from demo.world import build_world

    with audit_context(user=None):
        world = build_world()
        seed_pharmacy.seed(world)
        seed_referrals.seed(world)
        seed_dashboards.seed(world)
        count = MonthlyFact.objects.count()
        seed_dashboards.seed(world)
    assert MonthlyFact.objects.count() == count == len(world.puskesmas) * 12 * 24
    binjai = [f.pk for f in world.puskesmas if f.regency.code == "1275"]
    assert sum(MonthlyFact.objects.filter(facility_id__in=binjai).values_list("active", flat=True))
    client.force_login(world.users["dinkes.kab1"])
    html = client.get(reverse("dashboards:district")).content.decode()
    assert "Puskesmas Binjai Kota" in html and "Puskesmas Stabat" not in html
