"""The SLE sweep: the three-monthly hospital review coming up (III.B.9.c.3)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db.models import Min, OuterRef, Subquery
from django.utils import translation
from django.utils.translation import gettext as _

from alerts import selectors
from alerts.models import Alert
from alerts.services import CLINICAL_ROLES
from alerts.sweeps.raiser import Links, Raiser, SweepResult, date_text, in_care, patient_chunks
from lib.months import add_months_same_day
from patients.programs import Program
from referrals.models import MonitoringItem

# SLE: back to the hospital every 3 months (III.B.9.c.3); warn two weeks ahead.
SLE_REVIEW_NOTICE_DAYS = 14
SLE_REVIEW_MONTHS = 3


# ---------------------------------------------------------------- SLE hospital review


def sle_review_dates(*, facility_id: int) -> Iterator[tuple[Any, ...]]:
    """(case id, review date, patient id, name, pustu id) of the facility's SLE cases in care.

    The review due is the earliest open "hospital review" examination of the
    current care plan (III.B.9.c.3, every 3 months, ticked when done); without
    one, the hospital's ``next_hospital_review`` from the letter; without that,
    3 months after the back-referral.
    """
    open_review = (
        MonitoringItem.objects.filter(
            care_plan__case_id=OuterRef("pk"), code="hospital_review", done_on__isnull=True
        )
        .filter(care_plan_id=selectors.latest_plan_id())
        .order_by()
        .values("care_plan__case_id")
        .annotate(first=Min("due_on"))
        .values("first")
    )
    rows = (
        in_care(facility_id)
        .filter(program=Program.SLE)
        .annotate(open_review=Subquery(open_review[:1]))
        .values_list(
            "pk",
            "open_review",
            "next_hospital_review",
            "baseline_on",
            "patient_id",
        )
        .order_by()
    )
    for chunk, patients in patient_chunks(rows, patient_at=4):
        for pk, open_item, letter_review, baseline_on, patient_id in chunk:
            name, _sex, _birth, pustu_id, _updated = patients[patient_id]
            review = (
                open_item or letter_review or add_months_same_day(baseline_on, SLE_REVIEW_MONTHS)
            )
            yield pk, review, patient_id, name, pustu_id


def alerts_sweep_sle_review(*, facility_id: int, as_of: dt.date) -> SweepResult:
    """Remind the team of an SLE patient's 3-monthly hospital review (III.B.9.c.3)."""
    raiser = Raiser(facility_id=facility_id, kinds=[Alert.Kind.SLE_HOSPITAL_REVIEW])
    links = Links()
    horizon = as_of + dt.timedelta(days=SLE_REVIEW_NOTICE_DAYS)
    with translation.override(settings.LANGUAGE_CODE):
        for pk, review, patient_id, name, pustu_id in sle_review_dates(facility_id=facility_id):
            if review > horizon:
                continue
            raiser.add(
                kind=Alert.Kind.SLE_HOSPITAL_REVIEW,
                key=f"case:{pk}:sle_review:{review.isoformat()}",
                title=_("SLE hospital review due %(date)s: %(name)s")
                % {"date": date_text(review), "name": name},
                roles=CLINICAL_ROLES,
                pustu_id=pustu_id,
                patient_id=patient_id,
                link=links.case(pk),
                severity=Alert.Severity.URGENT if review < as_of else Alert.Severity.WARNING,
                body=_(
                    "SLE patients return to the hospital every 3 months (KMK III.B.9.c.3):"
                    " make sure the patient has a referral for the review."
                ),
            )
        return raiser.finish()
