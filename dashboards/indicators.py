"""What each district indicator means: one definition, read by the SQL, the pages and the docs.

The figures are "as of" a reference date D: the last day of the month, or today for the
current month. Every look-back is 90 days ("3 months"), so a visit exactly 90 days before D
still counts and one 91 days before does not. ``docs/indicators.md`` is generated from this
module (``manage.py dashboard_indicator_docs``), so the page and the document never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from referrals.models import CaseStatus

LOOKBACK_DAYS = 90  # "3 months" of the issue and of KMK III.B.x.a (monthly control)
EXPIRY_WINDOW_DAYS = 90
RETENTION_MIN_DAYS = 90  # enrolled at least 3 months
CONTROL_INTERVAL_DAYS = 30  # referrals.kmk.CONTROL_INTERVAL_DAYS: first control after enrolment
MONTHS_KEPT = 24  # facts are kept (and rebuilt) for this many months back

CLOSED_STATUSES = (
    CaseStatus.MOVED,
    CaseStatus.DIED,
    CaseStatus.DROPPED_OUT,
    CaseStatus.FINISHED,
)


@dataclass(frozen=True)
class Indicator:
    code: str
    label: object
    definition: object
    kind: str  # "count", "rate" (0–1), "days", "money"
    # Colour thresholds for rates: good when ≥ good (or ≤ good when lower is better).
    higher_is_better: bool | None = None
    good: float | None = None
    bad: float | None = None
    drill: tuple[str, ...] = ()  # case lists behind the number


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "active",
        _("Active PRB cases"),
        _(
            "Cases of the puskesmas in care on the reference date: enrolled on or before it, "
            "not closed (moved, died, dropped out, finished) on or before it, and not at the "
            "hospital after a re-referral that has not returned yet."
        ),
        "count",
        drill=("active",),
    ),
    Indicator(
        "new_back_referrals",
        _("New back-referrals"),
        _(
            "Back-referral letters (SRB) received by the puskesmas with a letter date in the "
            "month, whatever the decision (KMK II.A)."
        ),
        "count",
        drill=("new_back_referrals",),
    ),
    Indicator(
        "retention",
        _("Retention"),
        _(
            "Of the active cases enrolled at least 90 days before the reference date, the "
            "share with a control visit in the 90 days up to it (the visit 90 days before "
            "still counts)."
        ),
        "rate",
        higher_is_better=True,
        good=0.8,
        bad=0.6,
        drill=("retained", "not_retained"),
    ),
    Indicator(
        "ltfu",
        _("Lost to follow-up"),
        _(
            "Share of the active cases with no control visit for more than 90 days: the last "
            "visit (or the enrolment or the return from hospital, when later) lies 91 days "
            "or more before the reference date."
        ),
        "rate",
        higher_is_better=False,
        good=0.1,
        bad=0.2,
        drill=("ltfu",),
    ),
    Indicator(
        "overdue",
        _("Overdue control"),
        _(
            "Share of the active cases whose next control date (set at the last visit, or 30 "
            "days after enrolment when there was none) lies before the reference date."
        ),
        "rate",
        higher_is_better=False,
        good=0.15,
        bad=0.3,
        drill=("overdue",),
    ),
    Indicator(
        "controlled",
        _("Controlled"),
        _(
            "Share of the active cases whose latest measurement of the programme's main "
            "target in the 90 days up to the reference date meets it (see the targets "
            "below); no measurement counts as not controlled."
        ),
        "rate",
        higher_is_better=True,
        good=0.6,
        bad=0.4,
        drill=("controlled", "not_controlled"),
    ),
    Indicator(
        "rereferrals",
        _("Re-referrals"),
        _("Re-referrals (rujuk ulang, III.B.x.d) of the puskesmas's cases dated in the month."),
        "count",
        drill=("rereferrals",),
    ),
    Indicator(
        "returns",
        _("Returns from hospital"),
        _("Re-referred cases that came back with a new back-referral letter in the month."),
        "count",
        drill=("returns",),
    ),
    Indicator(
        "availability",
        _("Tracer medicines in stock"),
        _(
            "Share of the programme's tracer PRB medicines with usable (unexpired) units in "
            "the puskesmas's PRB store or depot on the reference date (KMK III.C.5)."
        ),
        "rate",
        higher_is_better=True,
        good=0.9,
        bad=0.7,
    ),
    Indicator(
        "stockout_days",
        _("Stock-out days"),
        _(
            "Days of the month (up to the reference date) a tracer medicine's closing balance "
            "on the stock card was zero, averaged over the programme's tracer medicines."
        ),
        "days",
        higher_is_better=False,
        good=1,
        bad=7,
    ),
    Indicator(
        "expiring_value",
        _("Value expiring within 90 days"),
        _(
            "Units of the programme's PRB medicines (tracer or not) whose lot expires within "
            "90 days after the reference date, at the formulary unit price (Rp)."
        ),
        "money",
    ),
    Indicator(
        "readiness",
        _("Facility readiness"),
        _(
            "Share of the resource standards of III.B.x.b the puskesmas has ticked as "
            "available for the programme, as recorded on the reference date."
        ),
        "rate",
        higher_is_better=True,
        good=1.0,
        bad=0.7,
    ),
)
BY_CODE = {indicator.code: indicator for indicator in INDICATORS}

# Indicators drawn as 12-month trend lines on the district page.
TREND_CODES = ("active", "retention", "ltfu", "controlled", "availability")


@dataclass(frozen=True)
class ControlRule:
    """The main target of a programme: facts that carry it and the SQL test on them."""

    facts: tuple[str, ...]
    sql: str  # a boolean SQL expression over the JSON column ``f`` (a visit's facts)
    text: object
    clause: str


def _num(fact: str) -> str:
    return f"(CASE WHEN jsonb_typeof(f->'{fact}') = 'number' THEN (f->>'{fact}')::numeric END)"


def _false(fact: str) -> str:
    return f"(f->'{fact}' = 'false'::jsonb)"


_BP_SQL = f"({_num('sbp')} < 140 AND {_num('dbp')} < 90)"
_BP_TEXT = _("latest blood pressure < 140/90 mmHg")

CONTROL_RULES: dict[str, ControlRule] = {
    "DM": ControlRule(
        ("fpg_mg_dl", "hba1c_percent"),
        f"(({_num('fpg_mg_dl')} BETWEEN 80 AND 130) OR {_num('hba1c_percent')} < 7)",
        _("latest fasting glucose 80–130 mg/dL or HbA1c < 7%"),
        "II.B.1.a, III.B.1.a.1.a",
    ),
    "HT": ControlRule(("sbp", "dbp"), _BP_SQL, _BP_TEXT, "II.B.2.a, III.B.2.d.2"),
    "HEART_HHD": ControlRule(("sbp", "dbp"), _BP_SQL, _BP_TEXT, "III.B.3.a"),
    "HEART_ANGINA": ControlRule(("sbp", "dbp"), _BP_SQL, _BP_TEXT, "III.B.3.b"),
    "HEART_MI": ControlRule(("sbp", "dbp"), _BP_SQL, _BP_TEXT, "III.B.3.c"),
    "HEART_CHF": ControlRule(
        ("progressive_dyspnea", "fluid_overload_refractory"),
        "(NOT coalesce(f->'progressive_dyspnea' = 'true'::jsonb, false) AND "
        "NOT coalesce(f->'fluid_overload_refractory' = 'true'::jsonb, false))",
        _("no progressive breathlessness and no refractory fluid overload at the latest check"),
        "III.B.3.d",
    ),
    "ASTHMA": ControlRule(
        ("act_score",),
        f"({_num('act_score')} >= 20)",
        _("latest Asthma Control Test score ≥ 20"),
        "III.B.4.a.1",
    ),
    "COPD": ControlRule(
        ("cat_score",), f"({_num('cat_score')} < 10)", _("latest CAT score < 10"), "III.B.5.a.2"
    ),
    "EPILEPSY": ControlRule(
        ("seizure_occurred",),
        _false("seizure_occurred"),
        _("no seizure reported at the latest control"),
        "III.B.6.a.3.a",
    ),
    "STROKE": ControlRule(("sbp", "dbp"), _BP_SQL, _BP_TEXT, "III.B.7.a.1"),
    "SCHIZOPHRENIA": ControlRule(
        ("deterioration",),
        _false("deterioration"),
        _("no relapse (deterioration) at the latest control"),
        "III.B.8.a.1",
    ),
    "SLE": ControlRule(
        ("flare_suspected",),
        _false("flare_suspected"),
        _("no suspected flare at the latest control"),
        "III.B.9.a.2",
    ),
}
