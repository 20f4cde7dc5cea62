"""Reads of the schedules and the control worklist (STYLE.md 3).

Every list starts from ``PrbCase.objects.visible_to(user)``: puskesmas staff
see their puskesmas's cases, Pustu staff the cases of their Pustu's patients.
The sweeps (``alerts.sweeps``) read per facility with the same bucket rules.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    DateTimeField,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact, GreaterThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from accounts import policy
from accounts.policy import Capability
from accounts.tiles import Tile
from alerts import risk
from alerts.models import WorklistRemoval
from facilities.models import Facility
from patients.reads import record_for_user
from referrals.models import (
    IN_CARE_STATUSES,
    BackReferralLetter,
    CarePlan,
    ContactAttempt,
    ControlVisit,
    MonitoringItem,
    PrbCase,
)


@dataclass(frozen=True)
class Bucket:
    code: str
    label: Any
    first_day: int  # days overdue, inclusive
    last_day: int | None  # None: no upper bound

    def due_range(self, as_of: dt.date) -> tuple[dt.date | None, dt.date]:
        """Control dates (earliest, latest) that fall in the bucket on ``as_of``."""
        latest = as_of - dt.timedelta(days=self.first_day)
        earliest = None if self.last_day is None else as_of - dt.timedelta(days=self.last_day)
        return earliest, latest

    def contains(self, days_overdue: int) -> bool:
        return days_overdue >= self.first_day and (
            self.last_day is None or days_overdue <= self.last_day
        )


# Lost to follow-up: more than 90 days past the control date without a visit (a visit
# moves the control date forward, so a case still here has not been seen since).
LOST_AFTER_DAYS = 90
BUCKETS: tuple[Bucket, ...] = (
    Bucket("today", _("Due today"), 0, 0),
    Bucket("1-7", _("Overdue 1–7 days"), 1, 7),
    Bucket("8-30", _("Overdue 8–30 days"), 8, 30),
    Bucket("31-90", _("Overdue 31–90 days"), 31, LOST_AFTER_DAYS),
    Bucket("lost", _("Lost to follow-up (over 90 days)"), LOST_AFTER_DAYS + 1, None),
)
BUCKETS_BY_CODE = {bucket.code: bucket for bucket in BUCKETS}


def bucket_for(days_overdue: int) -> Bucket | None:
    return next((bucket for bucket in BUCKETS if bucket.contains(days_overdue)), None)


def bucket_filter(code: str, as_of: dt.date) -> Q:
    earliest, latest = BUCKETS_BY_CODE[code].due_range(as_of)
    condition = Q(next_control_date__lte=latest)
    if earliest is not None:
        condition &= Q(next_control_date__gte=earliest)
    return condition


# ---------------------------------------------------------------- risk in SQL

# The msgids of alerts.risk (a pure module), for makemessages.
_RISK_MSGIDS = (
    gettext_noop("Systolic BP ≥ 180 mmHg"),
    gettext_noop("Diastolic BP ≥ 110 mmHg"),
    gettext_noop("Fasting glucose ≥ 300 mg/dL"),
    gettext_noop("2-hour glucose ≥ 300 mg/dL"),
    gettext_noop("HbA1c ≥ 10%"),
    gettext_noop("Systolic BP ≥ 160 mmHg"),
    gettext_noop("Diastolic BP ≥ 100 mmHg"),
    gettext_noop("Fasting glucose ≥ 200 mg/dL"),
    gettext_noop("2-hour glucose ≥ 250 mg/dL"),
    gettext_noop("HbA1c ≥ 9%"),
    gettext_noop("Last visit triggered a re-referral criterion"),
    gettext_noop("Missed the control by more than 30 days after a stroke or heart attack"),
)
CONTACT_OUTCOMES = dict(ContactAttempt.Outcome.choices)
# Simple.org's overdue list: a patient who agreed to visit leaves it for 7 days, one to
# remind later for 30; "removed" leaves it for the control date (``WorklistRemoval``).
HIDDEN_DAYS = {ContactAttempt.Outcome.AGREED: 7, ContactAttempt.Outcome.REMIND_LATER: 30}
RISK_LEVEL_LABELS = {risk.VERY_HIGH: _("Very high"), risk.HIGH: _("High"), risk.NONE: ""}

_KEY = re.compile(r"^[a-z0-9_]+$")


class JsonNumber(Func):
    """``column -> key`` as a number when it is a JSON number, else NULL."""

    output_field = FloatField()

    def __init__(self, expression: Any, key: str) -> None:
        if not _KEY.match(key):
            raise ValueError(key)
        super().__init__(expression)
        self.template = (
            f"(CASE WHEN jsonb_typeof(%(expressions)s -> '{key}') = 'number'"
            f" THEN (%(expressions)s ->> '{key}')::double precision END)"
        )


def risk_expression(facts_column: str, *, outcome_column: str | None = None) -> Case:
    """The level of ``alerts.risk.assess`` computed by the database."""
    whens = [
        When(
            GreaterThanOrEqual(JsonNumber(F(facts_column), t.fact), t.minimum),
            then=Value(t.level),
        )
        for t in sorted(risk.THRESHOLDS, key=lambda t: -t.level)
        if t.level == risk.VERY_HIGH
    ]
    if outcome_column:
        whens.append(When(**{outcome_column: ControlVisit.Outcome.RE_REFER}, then=Value(risk.HIGH)))
    whens += [
        When(
            GreaterThanOrEqual(JsonNumber(F(facts_column), t.fact), t.minimum),
            then=Value(t.level),
        )
        for t in risk.THRESHOLDS
        if t.level == risk.HIGH
    ]
    return Case(*whens, default=Value(risk.NONE), output_field=IntegerField())


class JsonPathExists(Func):
    """``jsonb_path_exists(column, path)``: the path is a bound parameter cast to jsonpath."""

    output_field = BooleanField()
    template = "jsonb_path_exists(%(expressions)s::jsonpath)"
    arg_joiner = ", "


def prior_stroke_or_mi() -> Q:
    """``alerts.risk.had_stroke_or_mi`` for the case's patient, read by the database."""
    pattern = risk.PRIOR_EVENT_ICD10
    escaped = pattern.replace("\\", "\\\\")  # a jsonpath string literal
    path = f'$[*].icd10 ? (@ like_regex "{escaped}" flag "i")'
    letters = BackReferralLetter.objects.filter(patient_id=OuterRef("patient_id")).filter(
        Q(icd10__iregex=pattern) | Q(JsonPathExists(F("comorbidities"), Value(path)))
    )
    cases = PrbCase.objects.filter(
        patient_id=OuterRef("patient_id"), program__in=risk.PRIOR_EVENT_PROGRAMS
    )
    return Q(Exists(cases)) | Q(Exists(letters))


def _latest_visit() -> QuerySet[ControlVisit]:
    return ControlVisit.objects.filter(case=OuterRef("pk")).order_by("-visit_date", "-id")


def _latest_contact() -> QuerySet[ContactAttempt]:
    return ContactAttempt.objects.filter(case=OuterRef("pk")).order_by("-attempted_at", "-id")


def removed_for_current_due_date() -> Exists:
    return Exists(
        WorklistRemoval.objects.filter(case=OuterRef("pk"), due_date=OuterRef("next_control_date"))
    )


def hidden_by_contact(as_of: dt.date) -> Case:
    """True while the case's latest contact keeps it off the list (``HIDDEN_DAYS``).

    "Agreed to visit" on day D hides the case from D to D+6, "remind later" from D to
    D+29, counted in local days; a later contact with another outcome brings it back.
    """
    latest = _latest_contact()
    outcome = Subquery(latest.values("outcome")[:1], output_field=CharField())
    at = Subquery(latest.values("attempted_at")[:1], output_field=DateTimeField())
    whens = [
        When(
            Q(GreaterThanOrEqual(at, local_midnight(as_of - dt.timedelta(days=days - 1))))
            & Q(Exact(outcome, Value(code))),
            then=Value(True),
        )
        for code, days in HIDDEN_DAYS.items()
    ]
    return Case(*whens, default=Value(False), output_field=BooleanField())


def local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def on_worklist(cases: QuerySet[PrbCase], *, as_of: dt.date) -> QuerySet[PrbCase]:
    """Cases in care due today or overdue that nobody took off the list or was told to wait."""
    return (
        cases.filter(status__in=IN_CARE_STATUSES, next_control_date__lte=as_of)
        .exclude(removed_for_current_due_date())
        .alias(hidden_by_contact=hidden_by_contact(as_of))
        .filter(hidden_by_contact=False)
    )


def with_worklist_facts(cases: QuerySet[PrbCase], *, as_of: dt.date) -> QuerySet[PrbCase]:
    """The last visit, its facts and verdict, the risk level and the last contact attempt.

    The risk is ``alerts.risk.assess`` in SQL: very high for a prior stroke or MI and a
    control missed by more than 30 days on ``as_of``, else from the last facts.
    """
    latest = _latest_visit()
    missed_since = as_of - dt.timedelta(days=risk.MISSED_DAYS_AFTER_EVENT)
    return cases.annotate(
        last_visit_on=Subquery(latest.values("visit_date")[:1], output_field=DateField()),
        last_facts=Subquery(latest.values("facts")[:1], output_field=JSONField()),
        last_outcome=Subquery(latest.values("outcome")[:1], output_field=CharField()),
        prior_event=Case(
            When(prior_stroke_or_mi(), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        risk=Case(
            When(
                Q(next_control_date__lt=missed_since) & prior_stroke_or_mi(),
                then=Value(risk.VERY_HIGH),
            ),
            default=Coalesce(
                Subquery(
                    latest.annotate(
                        level=risk_expression("facts", outcome_column="outcome")
                    ).values("level")[:1],
                    output_field=IntegerField(),
                ),
                risk_expression("baseline_facts"),
            ),
            output_field=IntegerField(),
        ),
        last_contact_outcome=Subquery(
            _latest_contact().values("outcome")[:1], output_field=CharField()
        ),
        last_contact_at=Subquery(
            _latest_contact().values("attempted_at")[:1], output_field=DateTimeField()
        ),
    )


# ---------------------------------------------------------------- the worklist


def worklist(
    *, user: Any, as_of: dt.date, bucket: str = "", pustu_id: int | None = None
) -> QuerySet[PrbCase]:
    """The overdue worklist, highest risk first, then the longest overdue."""
    cases = on_worklist(PrbCase.objects.visible_to(user), as_of=as_of)
    if pustu_id:
        cases = cases.filter(patient__pustu_id=pustu_id)
    if bucket:
        cases = cases.filter(bucket_filter(bucket, as_of))
    return (
        with_worklist_facts(cases, as_of=as_of)
        .select_related("patient", "patient__pustu")
        .order_by("-risk", "next_control_date", "patient__name", "id")
    )


def worklist_counts(*, user: Any, as_of: dt.date, pustu_id: int | None = None) -> dict[str, int]:
    """Cases per bucket, in one query."""
    cases = on_worklist(PrbCase.objects.visible_to(user), as_of=as_of)
    if pustu_id:
        cases = cases.filter(patient__pustu_id=pustu_id)
    return cases.aggregate(
        **{bucket.code: Count("pk", filter=bucket_filter(bucket.code, as_of)) for bucket in BUCKETS}
    )


def worklist_case_for_user(
    user: Any, pk: int, *, as_of: dt.date, write: Capability | None = None
) -> PrbCase:
    """The access helper for a worklist row: 404 outside the user's scope, then 403
    without ``write`` when given."""
    return record_for_user(
        user,
        with_worklist_facts(PrbCase.objects.visible_to(user), as_of=as_of).select_related(
            "patient", "patient__pustu"
        ),
        pk,
        read=Capability.SEE_WORKLIST,
        write=write,
    )


def pustus_for_user(user: Any) -> QuerySet[Facility]:
    """The Pustu a puskesmas user may filter the worklist by (none for Pustu staff)."""
    if not getattr(user, "is_facility_staff", False) or policy.works_at_pustu(user):
        return Facility.objects.none()
    return Facility.objects.filter(kind=Facility.Kind.PUSTU, parent_id=user.facility_id).order_by(
        "name"
    )


def latest_plan_id() -> Subquery:
    return Subquery(
        CarePlan.objects.filter(case_id=OuterRef("care_plan__case_id"))
        .order_by("-started_on", "-id")
        .values("id")[:1]
    )


def monitoring_due(*, case_ids: list[int], until: dt.date) -> dict[int, list[MonitoringItem]]:
    """Open examinations of each case's current care plan due by ``until`` (III.B.x.a).

    One entry per examination: a monthly item missed three times is one thing to do.
    """
    items = (
        MonitoringItem.objects.filter(
            care_plan__case_id__in=case_ids, done_on__isnull=True, due_on__lte=until
        )
        .filter(care_plan_id=latest_plan_id())
        .annotate(case_id=F("care_plan__case_id"))
        .order_by("due_on", "code", "id")
    )
    result: dict[int, list[MonitoringItem]] = defaultdict(list)
    seen: set[tuple[int, str]] = set()
    for item in items:
        key = (item.case_id, item.code)  # type: ignore[attr-defined]
        if key not in seen:
            seen.add(key)
            result[item.case_id].append(item)  # type: ignore[attr-defined]
    return result


def attach_row_details(cases: list[PrbCase], *, as_of: dt.date) -> list[PrbCase]:
    """Days overdue, bucket, risk reasons and due examinations for the rows shown."""
    due = monitoring_due(case_ids=[c.pk for c in cases], until=as_of + dt.timedelta(days=7))
    for case in cases:
        days = (as_of - case.next_control_date).days if case.next_control_date else 0
        case.days_overdue = days  # type: ignore[attr-defined]
        case.bucket = bucket_for(days)  # type: ignore[attr-defined]
        facts = case.last_facts if case.last_visit_on else case.baseline_facts  # type: ignore[attr-defined]
        level, reasons = risk.assess(
            facts,
            re_referral_triggered=case.last_outcome == ControlVisit.Outcome.RE_REFER,  # type: ignore[attr-defined]
            days_overdue=days,
            prior_stroke_or_mi=case.prior_event,  # type: ignore[attr-defined]
        )
        case.risk_label = RISK_LEVEL_LABELS[level]  # type: ignore[attr-defined]
        case.risk_reasons = [gettext(reason) for reason in reasons]  # type: ignore[attr-defined]
        case.monitoring_due = due.get(case.pk, [])  # type: ignore[attr-defined]
        case.last_contact_label = str(  # type: ignore[attr-defined]
            CONTACT_OUTCOMES.get(case.last_contact_outcome, "")  # type: ignore[attr-defined]
        )
    return cases


# ---------------------------------------------------------------- the schedule


@dataclass
class ScheduleDay:
    date: dt.date
    controls: list[PrbCase]
    examinations: list[MonitoringItem]


def schedule(*, user: Any, start: dt.date, days: int = 14) -> list[ScheduleDay]:
    """Controls and care-plan examinations due from ``start`` for ``days`` days.

    Read live from the cases and their current care plan: a recorded visit
    (which moves ``next_control_date`` and ticks examinations) or a new plan
    changes it at once.
    """
    end = start + dt.timedelta(days=days - 1)
    visible = PrbCase.objects.visible_to(user).filter(status__in=IN_CARE_STATUSES)
    controls = (
        visible.filter(next_control_date__gte=start, next_control_date__lte=end)
        .select_related("patient")
        .order_by("next_control_date", "patient__name", "id")
    )
    examinations = (
        MonitoringItem.objects.filter(
            care_plan__case__in=visible,
            done_on__isnull=True,
            due_on__gte=start,
            due_on__lte=end,
        )
        .filter(care_plan_id=latest_plan_id())
        .select_related("care_plan__case__patient")
        .order_by("due_on", "care_plan__case__patient__name", "code")
    )
    by_day: dict[dt.date, ScheduleDay] = {}
    for case in controls:
        assert case.next_control_date is not None
        day = by_day.setdefault(case.next_control_date, ScheduleDay(case.next_control_date, [], []))
        day.controls.append(case)
    for item in examinations:
        by_day.setdefault(item.due_on, ScheduleDay(item.due_on, [], [])).examinations.append(item)
    return [by_day[date] for date in sorted(by_day)]


def home_tiles(*, user: Any) -> list[Tile]:
    """Controls due today, overdue and lost to follow-up, for the clinical staff."""
    if user.facility_id is None or not policy.can(user, Capability.SEE_WORKLIST):
        return []
    counts = worklist_counts(user=user, as_of=timezone.localdate())
    worklist = reverse("alerts:worklist")
    overdue = counts["1-7"] + counts["8-30"] + counts["31-90"]
    return [
        Tile(gettext("Controls due today"), counts["today"], f"{worklist}?bucket=today"),
        Tile(gettext("Controls overdue"), overdue, worklist, urgent=overdue > 0),
        Tile(
            gettext("Lost to follow-up"),
            counts["lost"],
            f"{worklist}?{urlencode({'bucket': 'lost'})}",
            urgent=counts["lost"] > 0,
        ),
    ]
