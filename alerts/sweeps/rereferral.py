"""The re-referral sweep: cases whose latest visits meet a re-referral criterion (III.B.x.d)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models.fields.json import KT
from django.utils import translation
from django.utils.translation import gettext as _

from alerts.models import Alert
from alerts.services import CLINICAL_ROLES
from alerts.sweeps.raiser import (
    Links,
    Raiser,
    SweepResult,
    chunks,
    in_care,
    logger,
    patients_by_id,
    program_label,
)
from eligibility.rules import RULESET_ID, RequestError, evaluate
from lib.months import add_months_same_day
from pharmacy.selectors import regimen_lines_unavailable, usable_units_by_medicine
from referrals.models import ControlVisit, PrbCase

# III.B.x.d re-referral criteria read the visits of the last 3 months.
RE_REFERRAL_WINDOW_MONTHS = 3


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
    raiser = Raiser(facility_id=facility_id, kinds=[Alert.Kind.RE_REFERRAL])
    links = Links()
    stock = usable_units_by_medicine(facility_id=facility_id, as_of=as_of)
    window_start = add_months_same_day(as_of, -RE_REFERRAL_WINDOW_MONTHS)
    cases = (
        in_care(facility_id)
        .values_list("pk", "program", "baseline_on", "current_regimen", "patient_id")
        .order_by()
    )
    with translation.override(settings.LANGUAGE_CODE):
        for chunk in chunks(cases):
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
            patients = patients_by_id(row[4] for row in chunk)
            to_evaluate = []
            for pk, program, baseline_on, regimen, patient_id in chunk:
                window = [v for v in visits.get(pk, []) if v.date >= baseline_on]
                short = [] if stock is None else regimen_lines_unavailable(regimen, stock)
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
                    % {"name": name, "program": program_label(program)},
                    roles=CLINICAL_ROLES,
                    pustu_id=pustu_id,
                    patient_id=patient_id,
                    link=links.case(pk),
                    severity=Alert.Severity.URGENT,
                    body="\n".join(f"{c['id']}: {c['reason']}" for c in triggered),
                )
            raiser.flush()
        return raiser.finish()
