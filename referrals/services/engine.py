"""The adapter to the criteria engine (``eligibility.rules``): back-referral and re-referral evaluation, and the facts PRB derives for it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from eligibility.rules import RequestError, evaluate
from lib.months import add_months_same_day
from pharmacy import selectors as pharmacy_selectors
from referrals.models import (
    PrbCase,
)


def local_today() -> dt.date:
    return timezone.localdate()


# ---------------------------------------------------------------- criteria engine


def _engine(request: dict[str, Any]) -> dict[str, Any]:
    try:
        return evaluate(request)
    except RequestError as exc:
        raise ValidationError(exc.errors) from exc


def back_referral_evaluate(
    *,
    program: str,
    sex: str | None,
    birth_date: dt.date | None,
    general: dict[str, Any],
    facts: dict[str, Any],
    as_of: dt.date | None = None,
) -> dict[str, Any]:
    """The engine's back-referral verdict (BAB II.B and Diktum KEEMPAT)."""
    patient = {}
    if sex:
        patient["sex"] = sex
    if birth_date:
        patient["birth_date"] = birth_date.isoformat()
    return _engine(
        {
            "mode": "back_referral",
            "program": program,
            "as_of": (as_of or local_today()).isoformat(),
            "patient": patient,
            "general": general,
            "facts": facts,
        }
    )


def re_referral_window_start(*, baseline_on: dt.date, as_of: dt.date) -> dt.date:
    """The first day of the visits the re-referral criteria look at: three months back,
    never before the baseline."""
    return max(add_months_same_day(as_of, -3), baseline_on)


def _window_visits(case: PrbCase, as_of: dt.date, *, exclude: int | None = None) -> list[dict]:
    start = re_referral_window_start(baseline_on=case.baseline_on, as_of=as_of)
    visits = case.visits.filter(visit_date__gte=start, visit_date__lte=as_of)
    if exclude:
        visits = visits.exclude(pk=exclude)
    return [
        {"date": visit.visit_date.isoformat(), "facts": visit.facts}
        for visit in visits.order_by("visit_date", "id")
    ]


def re_referral_verdict(
    *, case: PrbCase, as_of: dt.date, visits: list[dict[str, Any]]
) -> dict[str, Any]:
    """The engine's re-referral verdict over ``visits`` (the window's visits in date order,
    as ``{"date": iso, "facts": {...}}``); no query beyond the case's patient."""
    return _engine(
        {
            "mode": "re_referral",
            "program": case.program,
            "as_of": as_of.isoformat(),
            "patient": {
                "sex": case.patient.sex,
                "birth_date": case.patient.birth_date.isoformat(),
            },
            "baseline": case.baseline_facts,
            "visits": visits,
        }
    )


def re_referral_evaluate(
    *, case: PrbCase, as_of: dt.date, new_visit: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The re-referral criteria (III.B.x.d) over the case's last three months of visits."""
    visits = _window_visits(case, as_of)
    if new_visit is not None:
        visits.append(new_visit)
    return re_referral_verdict(case=case, as_of=as_of, visits=visits)


def case_medicines_unavailable(
    case: PrbCase, *, as_of: dt.date | None = None, usable: dict[int, int] | None = None
) -> bool | None:
    """The "medicines not available" re-referral fact (III.B.x.d) for a case.

    Read from the puskesmas's stock by ``pharmacy.selectors.medicines_unavailable``
    (the one rule, shared with the re-referral sweep). Where the stock is not known
    here (no active dispensing store) or the case has no regimen, the fact the doctor
    entered at the latest visit decides (None = unknown). ``usable`` is the puskesmas's
    ``usable_units_by_medicine`` on ``as_of`` when the caller has read it already.
    """
    if case.current_regimen:
        if usable is not None:
            unavailable: bool | None = bool(
                pharmacy_selectors.regimen_lines_unavailable(case.current_regimen, usable)
            )
        else:
            unavailable = pharmacy_selectors.medicines_unavailable(
                facility_id=case.facility_id,
                regimen=case.current_regimen,
                as_of=as_of or local_today(),
            )
        if unavailable is not None:
            return unavailable
    latest = case.visits.order_by("-visit_date", "-id").values_list("facts", flat=True).first()
    if latest is None:
        return None
    return latest.get("medicines_unavailable")
