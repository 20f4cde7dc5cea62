"""The daily sweeps: services that turn the day's situation of one facility into alerts.

Each sweep reads with set-based queries (``values_list`` + ``iterator``, cases
in chunks), raises its alerts in bulk (``alerts_raise``: one row per key, the
unique constraint absorbs a redelivered or concurrent run) and resolves the
open alerts of its kind whose condition ended. A sweep commits chunk by chunk,
so a worker killed mid-sweep leaves whole chunks behind and the redelivered
task adds only what is missing. The Celery tasks (``alerts.tasks``) call them
one facility at a time.

``facility_id`` is a puskesmas (the case's ``facility``); alerts about a
patient assigned to one of its Pustu are raised at the Pustu too, for the
Pustu staff (BAB III.A: the Pustu keeps the schedule and visits the patient).
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from typing import Any, TypeVar

from django.conf import settings
from django.db.models import Count, Min, OuterRef, Q, Subquery, Sum
from django.db.models.fields.json import KT
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alerts import selectors
from alerts.gateways import reminder_gateway
from alerts.models import Alert, Reminder
from alerts.services import (
    CLINICAL_ROLES,
    PHARMACY_ROLES,
    PUSTU_ROLES,
    AlertDraft,
    alerts_email_staff,
    alerts_raise,
    alerts_resolve,
)
from eligibility.rules import RULESET_ID, RequestError, evaluate
from facilities.models import Facility
from patients.programs import Program
from referrals import kmk
from referrals.models import IN_CARE_STATUSES, ControlVisit, MonitoringItem, PrbCase

logger = logging.getLogger("prb.alerts")

CHUNK = 1000
# III.B.x.d re-referral criteria read the visits of the last 3 months.
RE_REFERRAL_WINDOW_MONTHS = 3
# Stock: minimum = lead-time stock + buffer stock (III.C.1.a, D + C), both sized
# in months of the average monthly use of the last complete months.
LEAD_TIME_MONTHS = Decimal(1)
BUFFER_MONTHS = Decimal(1)
USAGE_HISTORY_MONTHS = 3
EXPIRY_NOTICE_DAYS = 90
STOCK_OUT_HORIZON_DAYS = 7
# SLE: back to the hospital every 3 months (III.B.9.c.3); warn two weeks ahead.
SLE_REVIEW_NOTICE_DAYS = 14
SLE_REVIEW_MONTHS = 3
# Patient reminders go out from two days before the control date.
REMINDER_DAYS_BEFORE = 2
REMINDER_BATCH = 100
ALL_STAFF_ROLES = ["dokter", "perawat", "farmasi", "admin"]

T = TypeVar("T")


@dataclass
class SweepResult:
    raised: int = 0
    resolved: int = 0
    skipped: int = 0
    sent: int = 0
    failed: int = 0
    reused: int = 0
    new_alerts: list[Alert] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict[str, int]:
        return {
            "raised": self.raised,
            "resolved": self.resolved,
            "skipped": self.skipped,
            "sent": self.sent,
            "failed": self.failed,
            "reused": self.reused,
        }


def _chunks(iterable: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _program(code: str) -> str:
    return str(_program_labels().get(code, code))


def _program_labels() -> dict[str, str]:
    """Programme names in the active language, computed once per language."""
    language = translation.get_language() or ""
    labels = _PROGRAM_LABELS.get(language)
    if labels is None:
        labels = _PROGRAM_LABELS[language] = {code: str(label) for code, label in Program.choices}
    return labels


_PROGRAM_LABELS: dict[str, dict[str, str]] = {}


class _Links:
    """URLs built once per sweep (``reverse`` per row would cost seconds at 200,000)."""

    def __init__(self) -> None:
        self._case = reverse("referrals:case_detail", args=[999999999])

    def case(self, pk: int) -> str:
        return self._case.replace("999999999", str(pk))


class _Raiser:
    """Collects drafts per chunk and the keys still true per (facility, kind)."""

    def __init__(self, *, facility_id: int, kinds: Iterable[str]) -> None:
        self.facility_id = facility_id
        self.kinds = list(kinds)
        self.pustu_ids = set(
            Facility.objects.filter(parent_id=facility_id, kind=Facility.Kind.PUSTU).values_list(
                "pk", flat=True
            )
        )
        self.keep: dict[tuple[int, str], set[str]] = defaultdict(set)
        self.drafts: list[AlertDraft] = []
        self.result = SweepResult()

    def add(
        self,
        *,
        kind: str,
        key: str,
        title: str,
        roles: list[str],
        pustu_id: int | None = None,
        **extra: Any,
    ) -> None:
        key = key[:200]
        targets = [(self.facility_id, roles)]
        if pustu_id in self.pustu_ids:
            targets.append((pustu_id, PUSTU_ROLES))
        for facility_id, facility_roles in targets:
            self.keep[(facility_id, kind)].add(key)
            self.drafts.append(
                AlertDraft(
                    facility_id=facility_id,
                    kind=kind,
                    key=key,
                    title=title,
                    roles=facility_roles,
                    **extra,
                )
            )

    def flush(self) -> None:
        """Insert the chunk's alerts (committed on their own: a crash keeps them)."""
        created = alerts_raise(drafts=self.drafts)
        self.result.raised += len(created)
        self.result.new_alerts += created
        self.drafts = []

    def finish(self) -> SweepResult:
        self.flush()
        for facility_id in (self.facility_id, *self.pustu_ids):
            for kind in self.kinds:
                self.result.resolved += alerts_resolve(
                    facility_id=facility_id, kind=kind, keep_keys=self.keep[(facility_id, kind)]
                )
        by_facility: dict[int, list[Alert]] = defaultdict(list)
        for alert in self.result.new_alerts:
            by_facility[alert.facility_id].append(alert)
        for facility_id, alerts in by_facility.items():
            alerts_email_staff(facility_id=facility_id, alerts=alerts)
        return self.result


def _in_care(facility_id: int) -> Any:
    return PrbCase.objects.filter(facility_id=facility_id, status__in=IN_CARE_STATUSES)


def _patients(ids: Iterable[int]) -> dict[int, tuple[str, str, dt.date, int | None, dt.datetime]]:
    """name, sex, birth date and Pustu of the patients of a chunk, by id.

    Read apart from the cases: joined, the planner hashes the whole patient table
    for every facility's thousand cases.
    """
    from patients.models import Patient

    return {
        pk: (name, sex, birth_date, pustu_id, updated_at)
        for pk, name, sex, birth_date, pustu_id, updated_at in Patient.objects.filter(
            pk__in=list(set(ids))
        )
        .order_by()
        .values_list("pk", "name", "sex", "birth_date", "pustu_id", "updated_at")
    }


# ---------------------------------------------------------------- control overdue


def alerts_sweep_overdue(*, facility_id: int, as_of: dt.date) -> SweepResult:
    """One alert per case and missed control date; a separate one once lost to follow-up.

    Buckets as on the worklist (``alerts.selectors.BUCKETS``): overdue from the
    day after the control date, lost to follow-up after 90 days. A case taken
    off the list for this date, or closed (died, moved…), gets none and its
    open alert is resolved; so is the alert of a case that came for its visit.
    """
    kinds = [Alert.Kind.CONTROL_OVERDUE, Alert.Kind.LOST_TO_FOLLOW_UP]
    raiser = _Raiser(facility_id=facility_id, kinds=kinds)
    links = _Links()
    cases = (
        selectors.on_worklist(_in_care(facility_id), as_of=as_of)
        .filter(next_control_date__lt=as_of)
        .values_list("pk", "next_control_date", "program", "patient_id")
        .order_by()  # no ORDER BY: a cursor would pick a fast-start scan of every case
    )
    with translation.override(settings.LANGUAGE_CODE):
        for chunk in _chunks(cases.iterator(chunk_size=CHUNK)):
            patients = _patients(row[3] for row in chunk)
            for pk, due, program, patient_id in chunk:
                assert due is not None  # filtered on next_control_date
                name, _sex, _birth, pustu_id, _updated = patients[patient_id]
                days = (as_of - due).days
                lost = days > selectors.LOST_AFTER_DAYS
                values = {"name": name, "program": _program(program), "date": _date(due)}
                if lost:
                    kind, key = Alert.Kind.LOST_TO_FOLLOW_UP, f"case:{pk}:lost:{due.isoformat()}"
                    title = _("Lost to follow-up: %(name)s (%(program)s), control was due %(date)s")
                    severity = Alert.Severity.URGENT
                else:
                    kind, key = Alert.Kind.CONTROL_OVERDUE, f"case:{pk}:due:{due.isoformat()}"
                    title = _("Control overdue: %(name)s (%(program)s), due %(date)s")
                    severity = Alert.Severity.WARNING
                raiser.add(
                    kind=kind,
                    key=key,
                    title=title % values,
                    roles=CLINICAL_ROLES,
                    pustu_id=pustu_id,
                    patient_id=patient_id,
                    link=links.case(pk),
                    severity=severity,
                    body=_("Call the patient and record the contact on the control worklist."),
                )
            raiser.flush()
        return raiser.finish()


# ---------------------------------------------------------------- stock read by several sweeps


def usable_stock(*, facility_id: int, as_of: dt.date) -> dict[int, int] | None:
    """Units per medicine in the facility's dispensing PRB stores, expired lots left out.

    None when the facility keeps no PRB store (it works with an apotek PRB):
    its stock is not known here, so nothing is derived from it.
    """
    from pharmacy.models import StockBalance, Store

    if not Store.objects.filter(
        facility_id=facility_id, kind__in=Store.DISPENSING, is_active=True
    ).exists():
        return None
    rows = (
        StockBalance.objects.filter(
            store__facility_id=facility_id,
            store__kind__in=Store.DISPENSING,
            store__is_active=True,
            quantity__gt=0,
            lot__expiry_date__gt=as_of,
        )
        .values("medicine_id")
        .annotate(units=Sum("quantity"))
        .order_by()
    )
    return {row["medicine_id"]: row["units"] for row in rows}


def _monthly_quantity(line: dict[str, Any]) -> int:
    quantity = line.get("quantity")
    return max(quantity, 1) if isinstance(quantity, int) else 1


def _short_medicines(regimen: Any, stock: dict[int, int] | None) -> list[dict[str, Any]]:
    """Regimen lines the stock cannot cover for one month ("obat tidak bisa disediakan")."""
    if stock is None or not isinstance(regimen, list):
        return []
    short = []
    for line in regimen:
        if not isinstance(line, dict) or not isinstance(line.get("medicine"), int):
            continue
        if stock.get(line["medicine"], 0) < _monthly_quantity(line):
            short.append(line)
    return short


# ---------------------------------------------------------------- re-referral criteria


@dataclass(frozen=True)
class _Visit:
    pk: int
    date: dt.date
    created_at: dt.datetime
    outcome: str


def _cleared_at_latest_visit(
    window: list[_Visit], patient_updated: dt.datetime, rulesets: dict[int, str | None]
) -> bool:
    """Whether the verdict stored with the latest visit still decides today: "continue".

    ``referrals.services.visit_record`` evaluates the re-referral criteria over the
    window ending at the visit and stores the verdict with it (``evaluation``, and
    its outcome in ``outcome``). That verdict holds today when it came from this
    ruleset, the latest visit was recorded after the other visits of today's window
    (so it saw them all) and after the last change of the patient's record (sex and
    birth date enter the eGFR). Since then the window has only lost its oldest
    visits; every III.B.x.d criterion is "any visit" or "the latest reading", so
    nothing can have become triggered.
    """
    if not window:
        return False
    latest = window[-1]
    return (
        latest.outcome == ControlVisit.Outcome.CONTINUE
        and rulesets.get(latest.pk) == RULESET_ID
        and all(v.created_at <= latest.created_at for v in window)
        and patient_updated <= latest.created_at
    )


def alerts_sweep_rereferral(*, facility_id: int, as_of: dt.date, full: bool = False) -> SweepResult:
    """Run the re-referral criteria (III.B.x.d) over each case's visits of the last 3 months.

    ``medicines_unavailable`` is derived from the PRB stock too (contract: "in
    the application ``medicines_unavailable`` is also derived from the facility's
    PRB stock"): when the stock cannot cover a medicine of the current regimen
    it is set on the latest visit of the window (or on a visit dated today when
    the window has none), so HT's "deterioration and medicines unavailable"
    still needs the deterioration recorded at that visit.

    A case is not evaluated again when the engine already cleared it at its
    latest visit and nothing has changed since (``_cleared_at_latest_visit``):
    as days pass without a visit the window only loses visits, and a criterion
    triggered on fewer visits was triggered on more, so the verdict stays
    "continue". ``full=True`` evaluates every case (after an engine upgrade).
    """
    raiser = _Raiser(facility_id=facility_id, kinds=[Alert.Kind.RE_REFERRAL])
    links = _Links()
    stock = usable_stock(facility_id=facility_id, as_of=as_of)
    window_start = kmk.add_months(as_of, -RE_REFERRAL_WINDOW_MONTHS)
    cases = (
        _in_care(facility_id)
        .values_list("pk", "program", "baseline_on", "current_regimen", "patient_id")
        .order_by()
    )
    with translation.override(settings.LANGUAGE_CODE):
        for chunk in _chunks(cases.iterator(chunk_size=CHUNK)):
            in_window = ControlVisit.objects.filter(
                case_id__in=[row[0] for row in chunk],
                visit_date__gte=window_start,
                visit_date__lte=as_of,
            )
            visits: dict[int, list[_Visit]] = defaultdict(list)
            for row in in_window.values_list(
                "case_id", "pk", "visit_date", "created_at", "outcome"
            ).order_by("case_id", "visit_date", "id"):
                visits[row[0]].append(_Visit(*row[1:]))
            # The ruleset of the latest visits' stored verdicts, read only where the
            # verdict was "continue" (a JSON key: the evaluation is read once per case).
            latest_continue = [
                window[-1].pk
                for window in visits.values()
                if window[-1].outcome == ControlVisit.Outcome.CONTINUE
            ]
            rulesets = dict(
                ControlVisit.objects.filter(pk__in=latest_continue)
                .annotate(ruleset=KT("evaluation__ruleset"))
                .values_list("pk", "ruleset")
            )
            patients = _patients(row[4] for row in chunk)
            to_evaluate = []
            for pk, program, baseline_on, regimen, patient_id in chunk:
                window = [v for v in visits.get(pk, []) if v.date >= baseline_on]
                short = _short_medicines(regimen, stock)
                if not window and not short:
                    continue
                if (
                    not full
                    and not short
                    and _cleared_at_latest_visit(window, patients[patient_id][4], rulesets)
                ):
                    raiser.result.reused += 1
                    continue
                to_evaluate.append((pk, program, patient_id, window, short))
            # Facts and baselines are read only for the cases the engine evaluates.
            evaluated_ids = [row[0] for row in to_evaluate]
            facts = dict(in_window.filter(case_id__in=evaluated_ids).values_list("pk", "facts"))
            baselines = dict(
                PrbCase.objects.filter(pk__in=evaluated_ids).values_list("pk", "baseline_facts")
            )
            for pk, program, patient_id, window, short in to_evaluate:
                baseline = baselines[pk]
                name, sex, birth_date, pustu_id, _updated = patients[patient_id]
                request_visits = [
                    {"date": v.date.isoformat(), "facts": facts[v.pk]} for v in window
                ]
                if short:
                    if request_visits:
                        latest = request_visits[-1]
                        request_visits[-1] = {
                            "date": latest["date"],
                            "facts": {**latest["facts"], "medicines_unavailable": True},
                        }
                    else:
                        request_visits = [
                            {"date": as_of.isoformat(), "facts": {"medicines_unavailable": True}}
                        ]
                try:
                    result = evaluate(
                        {
                            "mode": "re_referral",
                            "program": program,
                            "as_of": as_of.isoformat(),
                            "patient": {"sex": sex, "birth_date": birth_date.isoformat()},
                            "baseline": baseline or {},
                            "visits": request_visits,
                        }
                    )
                except RequestError as error:
                    raiser.result.skipped += 1
                    logger.warning("re-referral sweep: case %s not evaluated: %s", pk, error.errors)
                    continue
                if result["outcome"] != "re_refer":
                    continue
                triggered = [c for c in result["criteria"] if c["outcome"] == "triggered"]
                last_date = max((c.get("visit_date") or "" for c in triggered), default="")
                ids = "+".join(c["id"] for c in triggered)
                raiser.add(
                    kind=Alert.Kind.RE_REFERRAL,
                    key=f"case:{pk}:rereferral:{last_date}:{ids}",
                    title=_("Re-referral criteria met: %(name)s (%(program)s)")
                    % {"name": name, "program": _program(program)},
                    roles=CLINICAL_ROLES,
                    pustu_id=pustu_id,
                    patient_id=patient_id,
                    link=links.case(pk),
                    severity=Alert.Severity.URGENT,
                    body="\n".join(f"{c['id']}: {c['reason']}" for c in triggered),
                )
            raiser.flush()
        return raiser.finish()


# ---------------------------------------------------------------- stock


def _minimums(store: Any, *, as_of: dt.date) -> dict[int, int]:
    """Minimum stock per medicine = lead-time stock + buffer stock (III.C.1.a D + C)."""
    from pharmacy import planning
    from pharmacy.selectors import add_months, consumption_plans, month_start

    rows = consumption_plans(
        store=store,
        last_month=add_months(month_start(as_of), -1),
        history_months=USAGE_HISTORY_MONTHS,
        period_months=1,
        lead_time_months=LEAD_TIME_MONTHS,
        buffer=planning.BufferStock.months_of_use(BUFFER_MONTHS),
        as_of=as_of,
    )
    return {
        row.medicine.pk: math.ceil(row.plan.lead_time_stock + row.plan.buffer_stock)
        for row in rows
        if row.plan is not None
    }


def alerts_sweep_stock(*, facility_id: int, as_of: dt.date) -> SweepResult:
    """Stock below the minimum, lots expiring within 90 days or expired (III.C), and a
    medicine the stock cannot give a patient due within 7 days (the KMK's "obat tidak
    bisa disediakan", a re-referral reason of III.B.x.d)."""
    from pharmacy.models import Medicine, StockBalance, Store

    kinds = [
        Alert.Kind.STOCK_LOW,
        Alert.Kind.LOT_EXPIRING,
        Alert.Kind.LOT_EXPIRED,
        Alert.Kind.STOCK_OUT_FOR_DUE_PATIENT,
    ]
    raiser = _Raiser(facility_id=facility_id, kinds=kinds)
    raiser.pustu_ids = set()  # stock is the pharmacy's business, not the Pustu's
    links = _Links()
    stores = list(
        Store.objects.filter(facility_id=facility_id, kind__in=Store.DISPENSING, is_active=True)
    )
    with translation.override(settings.LANGUAGE_CODE):
        for store in stores:
            on_hand = dict(
                StockBalance.objects.filter(store=store, lot__expiry_date__gt=as_of)
                .values("medicine_id")
                .annotate(units=Sum("quantity"))
                .order_by()
                .values_list("medicine_id", "units")
            )
            minimums = _minimums(store, as_of=as_of)
            names = {m.pk: str(m) for m in Medicine.objects.filter(pk__in=minimums)}
            for medicine_id, minimum in minimums.items():
                units = on_hand.get(medicine_id, 0)
                if minimum > 0 and units < minimum:
                    raiser.add(
                        kind=Alert.Kind.STOCK_LOW,
                        key=f"store:{store.pk}:medicine:{medicine_id}:low:{as_of:%Y-%m}",
                        title=_("Stock below minimum: %(medicine)s (%(store)s)")
                        % {"medicine": names[medicine_id], "store": store.name},
                        roles=PHARMACY_ROLES,
                        link=reverse("pharmacy:card", args=[store.pk, medicine_id]),
                        body=_(
                            "%(units)s units usable; minimum %(minimum)s"
                            " (lead-time stock + buffer stock, KMK III.C.1.a)."
                        )
                        % {"units": units, "minimum": minimum},
                    )
            lots = (
                StockBalance.objects.filter(
                    store=store,
                    quantity__gt=0,
                    lot__expiry_date__lte=as_of + dt.timedelta(days=EXPIRY_NOTICE_DAYS),
                )
                .select_related("lot", "medicine")
                .order_by("lot__expiry_date", "pk")
            )
            for balance in lots:
                expired = balance.lot.expiry_date <= as_of
                values = {
                    "medicine": str(balance.medicine),
                    "batch": balance.lot.batch,
                    "date": _date(balance.lot.expiry_date),
                    "store": store.name,
                }
                raiser.add(
                    kind=Alert.Kind.LOT_EXPIRED if expired else Alert.Kind.LOT_EXPIRING,
                    key=f"store:{store.pk}:lot:{balance.lot_id}:{'expired' if expired else 'expiring'}",
                    title=(
                        _("Lot expired: %(medicine)s batch %(batch)s (%(date)s, %(store)s)")
                        if expired
                        else _("Lot expiring: %(medicine)s batch %(batch)s (%(date)s, %(store)s)")
                    )
                    % values,
                    roles=PHARMACY_ROLES,
                    link=reverse("pharmacy:stock", args=[store.pk]),
                    severity=Alert.Severity.URGENT if expired else Alert.Severity.WARNING,
                    body=_("%(units)s units.") % {"units": balance.quantity}
                    + " "
                    + (
                        _("Move it to quarantine and destroy it with a report (III.C).")
                        if expired
                        else _("Dispense it first (FEFO) or arrange a redistribution.")
                    ),
                )
            raiser.flush()
        _stock_out_for_due_patients(raiser, links, facility_id=facility_id, as_of=as_of)
        return raiser.finish()


def _stock_out_for_due_patients(
    raiser: _Raiser, links: _Links, *, facility_id: int, as_of: dt.date
) -> None:
    stock = usable_stock(facility_id=facility_id, as_of=as_of)
    if stock is None:
        return
    remaining = dict(stock)
    due = (
        _in_care(facility_id)
        .filter(
            next_control_date__gte=as_of,
            next_control_date__lte=as_of + dt.timedelta(days=STOCK_OUT_HORIZON_DAYS),
        )
        .exclude(current_regimen=[])
        .values_list("pk", "next_control_date", "current_regimen", "patient_id", "program")
        .order_by("next_control_date", "pk")
    )
    rows = list(due)
    patients = _patients(row[3] for row in rows)
    for pk, due_date, regimen, patient_id, program in rows:
        name = patients[patient_id][0]
        # Patients are served in order of their control date: the stock goes to the first.
        for line in regimen if isinstance(regimen, list) else []:
            if not isinstance(line, dict) or not isinstance(line.get("medicine"), int):
                continue
            medicine_id = line["medicine"]
            needed = _monthly_quantity(line)
            if remaining.get(medicine_id, 0) >= needed:
                remaining[medicine_id] -= needed
                continue
            medicine = " ".join(filter(None, [line.get("name"), line.get("strength")])) or str(
                medicine_id
            )
            raiser.add(
                kind=Alert.Kind.STOCK_OUT_FOR_DUE_PATIENT,
                key=f"case:{pk}:due:{due_date.isoformat()}:medicine:{medicine_id}:stockout",
                title=_("%(medicine)s not available for %(name)s, control %(date)s")
                % {"medicine": medicine, "name": name, "date": _date(due_date)},
                roles=[*CLINICAL_ROLES, "farmasi"],
                patient_id=patient_id,
                link=links.case(pk),
                severity=Alert.Severity.URGENT,
                body=_(
                    "The PRB stock cannot cover %(quantity)s units for this %(program)s patient."
                    " Request stock or arrange the medicine through the network; a medicine that"
                    " cannot be provided is a re-referral reason (KMK III.B.x.d)."
                )
                % {"quantity": needed, "program": _program(program)},
            )
    raiser.flush()


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
        _in_care(facility_id)
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
    for chunk in _chunks(rows.iterator(chunk_size=CHUNK)):
        patients = _patients(row[4] for row in chunk)
        for pk, open_item, letter_review, baseline_on, patient_id in chunk:
            name, _sex, _birth, pustu_id, _updated = patients[patient_id]
            review = open_item or letter_review or kmk.add_months(baseline_on, SLE_REVIEW_MONTHS)
            yield pk, review, patient_id, name, pustu_id


def alerts_sweep_sle_review(*, facility_id: int, as_of: dt.date) -> SweepResult:
    """Remind the team of an SLE patient's 3-monthly hospital review (III.B.9.c.3)."""
    raiser = _Raiser(facility_id=facility_id, kinds=[Alert.Kind.SLE_HOSPITAL_REVIEW])
    links = _Links()
    horizon = as_of + dt.timedelta(days=SLE_REVIEW_NOTICE_DAYS)
    with translation.override(settings.LANGUAGE_CODE):
        for pk, review, patient_id, name, pustu_id in sle_review_dates(facility_id=facility_id):
            if review > horizon:
                continue
            raiser.add(
                kind=Alert.Kind.SLE_HOSPITAL_REVIEW,
                key=f"case:{pk}:sle_review:{review.isoformat()}",
                title=_("SLE hospital review due %(date)s: %(name)s")
                % {"date": _date(review), "name": name},
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


# ---------------------------------------------------------------- patient reminders


def reminders_send(*, facility_id: int, as_of: dt.date) -> SweepResult:
    """Remind consenting patients of their control, at most once per control date.

    Rows are claimed before the gateway is called: the unique (patient, due
    date) constraint lets one run claim a reminder, and a run interrupted after
    the claim leaves it ``pending`` instead of sending twice. A reminder the
    gateway reported as failed is tried again on a later run before its date.
    """
    from patients.models import Patient

    result = SweepResult()
    gateway = reminder_gateway()
    claim = uuid.uuid4()
    due = (
        _in_care(facility_id)
        .filter(
            next_control_date__gte=as_of,
            next_control_date__lte=as_of + dt.timedelta(days=REMINDER_DAYS_BEFORE),
        )
        .values_list("patient_id", "next_control_date")
        .order_by()
        .distinct()
    )
    facility_name = Facility.objects.filter(pk=facility_id).values_list("name", flat=True).first()
    with translation.override(settings.LANGUAGE_CODE):
        for chunk in _chunks(due.iterator(chunk_size=CHUNK)):
            consenting = set(
                Patient.objects.filter(
                    pk__in=[patient_id for patient_id, _due in chunk], reminder_consent=True
                )
                .exclude(phone="")
                .values_list("pk", flat=True)
            )
            Reminder.objects.bulk_create(
                [
                    Reminder(
                        patient_id=patient_id,
                        due_date=due_date,
                        channel=gateway.channel,
                        status=Reminder.Status.PENDING,
                        message="",
                        claim=claim,
                    )
                    for patient_id, due_date in chunk
                    if patient_id in consenting
                ],
                ignore_conflicts=True,
            )
        # Failed deliveries of controls still ahead are tried again, claimed the same way.
        Reminder.objects.filter(
            status=Reminder.Status.FAILED,
            due_date__gte=as_of,
            patient__in=_in_care(facility_id).values("patient_id"),
        ).update(status=Reminder.Status.PENDING, claim=claim)
        claimed = list(
            Reminder.objects.filter(claim=claim, status=Reminder.Status.PENDING).order_by(
                "due_date", "pk"
            )
        )
        contacts = {
            pk: (name, phone)
            for pk, name, phone in Patient.objects.filter(pk__in=[r.patient_id for r in claimed])
            .order_by()
            .values_list("pk", "name", "phone")
        }
        done: list[Reminder] = []
        for reminder in claimed:
            message = _(
                "Dear %(name)s, your PRB control at %(facility)s is on %(date)s."
                " Please bring your BPJS card and your remaining medicines."
            ) % {
                "name": contacts[reminder.patient_id][0],
                "facility": facility_name,
                "date": _date(reminder.due_date),
            }
            try:
                delivery = gateway.send(phone=contacts[reminder.patient_id][1], message=message)
            except Exception as error:  # a gateway outage must not stop the other reminders
                logger.exception("reminder %s not sent", reminder.pk)
                ok, detail = False, str(error)
            else:
                ok, detail = delivery.ok, delivery.detail
            reminder.status = Reminder.Status.SENT if ok else Reminder.Status.FAILED
            reminder.message, reminder.detail = message, detail[:255]
            reminder.channel, reminder.sent_at = gateway.channel, timezone.now()
            done.append(reminder)
            if ok:
                result.sent += 1
            else:
                result.failed += 1
            if len(done) >= REMINDER_BATCH:
                _record_deliveries(done)
        _record_deliveries(done)
    return result


def _record_deliveries(done: list[Reminder]) -> None:
    """Write the outcome of sent reminders (a crash before this leaves them ``pending``:
    never sent again)."""
    if done:
        Reminder.objects.bulk_update(
            done, ["status", "message", "detail", "channel", "sent_at"], batch_size=REMINDER_BATCH
        )
        done.clear()


# ---------------------------------------------------------------- weekly digest


def _digest_lines(cases: Any, *, as_of: dt.date) -> list[str]:
    counts = selectors.on_worklist(cases, as_of=as_of).aggregate(
        **{
            b.code: Count("pk", filter=selectors.bucket_filter(b.code, as_of))
            for b in selectors.BUCKETS
        }
    )
    upcoming = cases.filter(
        status__in=IN_CARE_STATUSES,
        next_control_date__gt=as_of,
        next_control_date__lte=as_of + dt.timedelta(days=7),
    ).count()
    lines = [_("Controls due in the next 7 days: %(n)s") % {"n": upcoming}]
    lines += [f"{bucket.label}: {counts[bucket.code]}" for bucket in selectors.BUCKETS]
    return lines


def digest_raise(*, facility_id: int, as_of: dt.date) -> SweepResult:
    """The weekly digest of a puskesmas and of each of its Pustu (one per ISO week)."""
    result = SweepResult()
    year, week, _weekday = as_of.isocalendar()
    key = f"digest:{year}-W{week:02d}"
    drafts = []
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Weekly summary, week %(week)s of %(year)s") % {"week": week, "year": year}
        cases = PrbCase.objects.filter(facility_id=facility_id)
        lines = _digest_lines(cases, as_of=as_of)
        open_alerts = (
            Alert.objects.unresolved()
            .filter(facility_id=facility_id)
            .exclude(kind=Alert.Kind.WEEKLY_DIGEST)
            .values("kind")
            .annotate(n=Count("pk"))
            .order_by("kind")
        )
        kinds = dict(Alert.Kind.choices)
        lines += [
            _("Open notifications — %(kind)s: %(n)s") % {"kind": kinds[row["kind"]], "n": row["n"]}
            for row in open_alerts
        ]
        sent = Reminder.objects.filter(
            status=Reminder.Status.SENT,
            sent_at__date__gt=as_of - dt.timedelta(days=7),
            patient__in=cases.values("patient_id"),
        ).count()
        lines.append(_("Patient reminders sent in the last 7 days: %(n)s") % {"n": sent})
        drafts.append(
            AlertDraft(
                facility_id=facility_id,
                kind=Alert.Kind.WEEKLY_DIGEST,
                key=key,
                title=title,
                roles=ALL_STAFF_ROLES,
                body="\n".join(lines),
                link=reverse("alerts:worklist"),
                severity=Alert.Severity.INFO,
            )
        )
        for pustu_id in Facility.objects.filter(
            parent_id=facility_id, kind=Facility.Kind.PUSTU
        ).values_list("pk", flat=True):
            drafts.append(
                AlertDraft(
                    facility_id=pustu_id,
                    kind=Alert.Kind.WEEKLY_DIGEST,
                    key=key,
                    title=title,
                    roles=PUSTU_ROLES,
                    body="\n".join(
                        _digest_lines(cases.filter(patient__pustu_id=pustu_id), as_of=as_of)
                    ),
                    link=reverse("alerts:worklist"),
                    severity=Alert.Severity.INFO,
                )
            )
        created = alerts_raise(drafts=drafts)
    result.raised = len(created)
    for alert in created:
        alerts_email_staff(facility_id=alert.facility_id, alerts=[alert])
    return result


# ---------------------------------------------------------------- which facilities


SWEEPS = {
    "overdue": alerts_sweep_overdue,
    "rereferral": alerts_sweep_rereferral,
    "stock": alerts_sweep_stock,
    "sle_review": alerts_sweep_sle_review,
    "reminders": reminders_send,
    "digest": digest_raise,
}


def sweep_facility_ids(sweep: str) -> list[int]:
    """The puskesmas a sweep visits: those with cases in care (and, for stock, a PRB store)."""
    from pharmacy.models import Store

    ids = set(
        PrbCase.objects.filter(status__in=IN_CARE_STATUSES)
        .values_list("facility_id", flat=True)
        .distinct()
        .order_by()
    )
    if sweep in ("stock", "digest"):
        ids |= set(
            Store.objects.filter(kind__in=Store.DISPENSING, is_active=True)
            .values_list("facility_id", flat=True)
            .distinct()
            .order_by()
        )
    if sweep == "digest":
        ids |= set(
            PrbCase.objects.filter(~Q(status__in=IN_CARE_STATUSES))
            .values_list("facility_id", flat=True)
            .distinct()
            .order_by()
        )
    return sorted(ids)
