"""Reads of referral and case data; every one goes through ``visible_to(user)``.

One access helper per object type (STYLE.md 3): ``letter_for_user``,
``case_for_user``, ``visit_for_user``, ``rereferral_for_user`` — each 404s
outside the user's scope, 403s with ``write=`` a capability the user lacks
(``accounts.policy.get_for_user``) and logs the read of the patient's record
(``patients.reads``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import policy
from accounts.policy import Capability
from accounts.tiles import Tile
from eligibility.rules.facts import FACT_SPECS
from eligibility.rules.formatting import format_number
from facilities.models import Facility
from lib import workdays
from patients.models import Patient
from patients.reads import AccessHelper
from pharmacy.models import Prescription, PrescriptionLine
from referrals import kmk
from referrals.factfields import fact_lines
from referrals.models import (
    BackReferralLetter,
    CarePlan,
    ContactAttempt,
    ControlVisit,
    FacilityReadiness,
    HomeVisit,
    MonitoringItem,
    PrbCase,
    ReadinessGap,
    ReReferral,
)

# Access helpers (``patients.reads.AccessHelper``): 404 outside the user's scope, 403
# without the read capability or, when a write view passes one, ``write``.
letter_for_user = AccessHelper(
    BackReferralLetter,
    read=Capability.SEE_REFERRALS,
    related=("patient", "hospital", "facility", "case", "received_by", "decided_by"),
)
case_for_user = AccessHelper(
    PrbCase,
    read=Capability.SEE_CASES,
    related=("patient", "patient__pustu", "patient__fktp", "facility"),
)
visit_for_user = AccessHelper(
    ControlVisit,
    read=Capability.SEE_CASES,
    related=("case", "case__patient", "case__facility", "recorded_by", "prescription"),
    patient="case.patient_id",
)
rereferral_for_user = AccessHelper(
    ReReferral,
    read=Capability.SEE_CASES,
    related=("case", "case__patient", "case__facility", "hospital", "created_by", "visit"),
    patient="case.patient_id",
)


def letter_list(*, user: Any, status: str = "") -> QuerySet[BackReferralLetter]:
    letters = BackReferralLetter.objects.visible_to(user).select_related("patient", "hospital")
    if status:
        letters = letters.filter(status=status)
    return letters.order_by("-created_at", "-id")


def case_list(*, user: Any, status: str = "", query: str = "") -> QuerySet[PrbCase]:
    cases = PrbCase.objects.visible_to(user).select_related("patient", "patient__pustu")
    if status:
        cases = cases.filter(status=status)
    if query:
        cases = cases.filter(patient__in=Patient.objects.search(query))
    return cases.order_by("patient__name", "id")


def visit_list(*, case: PrbCase) -> QuerySet[ControlVisit]:
    return case.visits.select_related("recorded_by", "prescription").order_by("-visit_date", "-id")


def current_care_plan(case: PrbCase) -> CarePlan | None:
    return (
        case.care_plans.prefetch_related(
            Prefetch("monitoring", queryset=MonitoringItem.objects.order_by("due_on", "code")),
            "self_management",
        )
        .order_by("-started_on", "-id")
        .first()
    )


def open_rereferral(case: PrbCase) -> ReReferral | None:
    return case.re_referrals.filter(returned_on__isnull=True).order_by("-referred_on").first()


def hospitals() -> QuerySet[Facility]:
    return Facility.objects.filter(kind=Facility.Kind.RUMAH_SAKIT, is_active=True)


@dataclass(frozen=True)
class Readiness:
    program: str
    items: list[tuple[str, str, bool]]  # code, text, available
    note: str
    clause: str

    @property
    def ready(self) -> bool:
        return all(available for _code, _text, available in self.items)

    @property
    def missing(self) -> list[str]:
        return [text for _code, text, available in self.items if not available]


def facility_readiness(*, facility_id: int, program: str) -> Readiness:
    row = FacilityReadiness.objects.filter(facility_id=facility_id, program=program).first()
    available = set(row.available) if row else set()
    return Readiness(
        program=program,
        items=[(code, text, code in available) for code, text in kmk.RESOURCES[program]],
        note=row.note if row else "",
        clause=kmk.resources_clause(program),
    )


def baseline_glucose(case: PrbCase) -> list[tuple[str, str]]:
    """DM: the glucose values of the accepted letter that III.B.1.d.2 compares visits with."""
    if case.program != "DM":
        return []
    shown = []
    for name in ("hba1c_percent", "fpg_mg_dl", "ppg2h_mg_dl"):
        value = case.baseline_facts.get(name)
        if value is not None:
            spec = FACT_SPECS[name]
            shown.append((spec.short, f"{format_number(value)}{spec.unit_suffix}"))
    return shown


def readiness_gaps(*, case: PrbCase) -> QuerySet[ReadinessGap]:
    """What the puskesmas lacked at the latest acceptance of the case, and the plan for it."""
    latest = case.readiness_gaps.order_by("-recorded_at").values("letter_id")[:1]
    return case.readiness_gaps.filter(letter_id__in=latest).order_by("id")


def readiness_overview(*, facility_id: int) -> list[Readiness]:
    rows = {row.program: row for row in FacilityReadiness.objects.filter(facility_id=facility_id)}
    result = []
    for program, resources in kmk.RESOURCES.items():
        row = rows.get(program)
        available = set(row.available) if row else set()
        result.append(
            Readiness(
                program=program,
                items=[(code, text, code in available) for code, text in resources],
                note=row.note if row else "",
                clause=kmk.resources_clause(program),
            )
        )
    return result


def patient_timeline(*, user: Any, patient: Patient) -> list[dict[str, Any]]:
    """Everything that happened to a patient in PRB, newest first.

    Letters, control visits, dispensings (the pharmacy's prescriptions),
    re-referrals, home visits and contact attempts — each read through its
    own ``visible_to`` scope.
    """
    entries: list[dict[str, Any]] = []
    for letter in (
        BackReferralLetter.objects.visible_to(user)
        .filter(patient=patient)
        .select_related("hospital")
    ):
        entries.append(
            _entry(
                letter.letter_date,
                "letter",
                _("Back-referral letter %(number)s from %(hospital)s")
                % {"number": letter.srb_number, "hospital": letter.hospital},
                letter.get_status_display(),
                reverse("referrals:letter_detail", args=[letter.pk])
                if policy.can(user, Capability.SEE_REFERRALS)
                else "",
            )
        )
    for visit in (
        ControlVisit.objects.visible_to(user).filter(case__patient=patient).select_related("case")
    ):
        measured = "; ".join(line.text for line in fact_lines(visit.facts, visit.case.program))
        entries.append(
            _entry(
                visit.visit_date,
                "visit",
                _("Control visit"),
                " · ".join(part for part in (visit.get_outcome_display(), measured) if part),
                reverse("referrals:visit_detail", args=[visit.pk]),
            )
        )
    prescriptions = (
        Prescription.objects.visible_to(user)
        .filter(patient=patient)
        .prefetch_related(
            Prefetch("lines", queryset=PrescriptionLine.objects.select_related("medicine"))
        )
    )
    for prescription in prescriptions:
        entries.append(
            _entry(
                prescription.prescribed_on,
                "dispensing",
                _("Prescription (%(status)s)") % {"status": prescription.get_status_display()},
                ", ".join(
                    f"{line.medicine} × {line.quantity}" for line in prescription.lines.all()
                ),
                "",
            )
        )
    for referral in (
        ReReferral.objects.visible_to(user).filter(case__patient=patient).select_related("hospital")
    ):
        entries.append(
            _entry(
                referral.referred_on,
                "re_referral",
                _("Re-referral to %(hospital)s") % {"hospital": referral.hospital},
                ", ".join(referral.clause_ids) or referral.doctor_reason,
                reverse("referrals:rereferral_letter", args=[referral.pk]),
            )
        )
        if referral.returned_on:
            entries.append(
                _entry(referral.returned_on, "re_referral", _("Back from hospital"), "", "")
            )
    for home in HomeVisit.objects.visible_to(user).filter(case__patient=patient):
        entries.append(
            _entry(
                home.visited_on,
                "home_visit",
                _("Home visit by %(who)s") % {"who": home.visitor_name},
                home.findings,
                "",
            )
        )
    for attempt in ContactAttempt.objects.visible_to(user).filter(case__patient=patient):
        entries.append(
            _entry(
                attempt.attempted_at.date(),
                "contact",
                _("Contact attempt (%(channel)s)") % {"channel": attempt.get_channel_display()},
                attempt.get_outcome_display(),
                "",
            )
        )
    return sorted(entries, key=lambda entry: entry["date"], reverse=True)


def _entry(date: dt.date, kind: str, title: str, detail: str, url: str) -> dict[str, Any]:
    return {"date": date, "kind": kind, "title": title, "detail": detail, "url": url}


def home_tiles(*, user: Any) -> list[Tile]:
    """The letters waiting at the user's facility, for the staff who receive them."""
    if user.facility_id is None or not policy.can(user, Capability.SEE_REFERRALS):
        return []
    waiting = letter_list(user=user, status="received").count()
    return [Tile(_("Referral letters waiting"), waiting, reverse("referrals:inbox"))]


_CLAUSE_CODE = re.compile(r"\s*\((?:Diktum\s+)?(?:KEEMPAT|[IV]+\.)[^)]*\)")


@dataclass(frozen=True)
class CardRow:
    """One line of the patient's control card: the date and what will be examined."""

    date: dt.date
    examinations: list[str]


def control_card(case: PrbCase, plan: CarePlan | None, count: int = 6) -> dict[str, Any]:
    """What the control card tells the patient: dates on working days, tests, target.

    Dates follow the care plan's interval from the next control, each moved to a
    working day (``lib.workdays``); the examinations due around each date
    are named in plain words, and the target loses its clause codes.
    """
    if plan is None or case.next_control_date is None:
        return {"rows": [], "target": ""}
    dates = workdays.control_dates(case.next_control_date, plan.control_interval_days, count)
    half = dt.timedelta(days=plan.control_interval_days / 2)
    wanted: list[set[str]] = [set() for _ in dates]
    for item in plan.monitoring.all():
        if item.done_on or not dates[0] - half <= item.due_on <= dates[-1] + half:
            continue
        nearest = min(range(len(dates)), key=lambda i: abs(dates[i] - item.due_on))
        wanted[nearest].add(kmk.PATIENT_EXAMINATIONS.get(item.code, item.label))
    rows = [CardRow(date, sorted(names)) for date, names in zip(dates, wanted, strict=True)]
    targets = (plan.targets or "").strip()
    if not targets or targets == kmk.TARGETS.get(case.program):
        target = kmk.PATIENT_TARGETS.get(case.program, "")
    else:
        target = _CLAUSE_CODE.sub("", targets)
    return {"rows": rows, "target": target}
