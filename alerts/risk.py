"""Who to call first on the control worklist: risk from the last measured facts.

Pure Python (no Django): the worklist orders by the same table in SQL
(``alerts.selectors``) and explains it with ``assess`` on the page.

The thresholds are clinical urgency markers, not KMK re-referral criteria:
a blood pressure of 180/110 mmHg or more is a hypertensive crisis (the HT
re-referral line of III.B.2.d.2 is 140/90), and a glucose of 300 mg/dL or an
HbA1c of 10% is far above the DM targets of II.B.1.a (fasting 80–130, 2-hour
< 180, HbA1c < 7). A patient whose last visit already triggered a re-referral
criterion (III.B.x.d) and who has not come back is high risk too.

A patient with a prior stroke or myocardial infarction who has missed the
control by more than 30 days is very high risk, as the crises are (the
Simple.org overdue list's "high risk"). PRB records no history field, so
"prior stroke or MI" is read from what the programme keeps:

- a PRB case of the patient (any status) in the stroke programme (III.B.7) or
  the post-myocardial-infarction heart programme (III.B.3, ``HEART_MI``);
- an ICD-10 code of stroke or MI on a back-referral letter of the patient, as
  the diagnosis or as a comorbidity (``general.comorbidities`` of the letter):
  I21–I22 (acute and subsequent MI), I25.2 (old MI), I60–I64 (stroke) and I69
  (sequelae of stroke).

``alerts.selectors`` reads the same programmes and codes in SQL.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

VERY_HIGH = 3
HIGH = 2
NONE = 0


@dataclass(frozen=True)
class Threshold:
    level: int
    fact: str
    minimum: float
    label: str  # msgid, translated where shown


THRESHOLDS: tuple[Threshold, ...] = (
    Threshold(VERY_HIGH, "sbp", 180, "Systolic BP ≥ 180 mmHg"),
    Threshold(VERY_HIGH, "dbp", 110, "Diastolic BP ≥ 110 mmHg"),
    Threshold(VERY_HIGH, "fpg_mg_dl", 300, "Fasting glucose ≥ 300 mg/dL"),
    Threshold(VERY_HIGH, "ppg2h_mg_dl", 300, "2-hour glucose ≥ 300 mg/dL"),
    Threshold(VERY_HIGH, "hba1c_percent", 10, "HbA1c ≥ 10%"),
    Threshold(HIGH, "sbp", 160, "Systolic BP ≥ 160 mmHg"),
    Threshold(HIGH, "dbp", 100, "Diastolic BP ≥ 100 mmHg"),
    Threshold(HIGH, "fpg_mg_dl", 200, "Fasting glucose ≥ 200 mg/dL"),
    Threshold(HIGH, "ppg2h_mg_dl", 250, "2-hour glucose ≥ 250 mg/dL"),
    Threshold(HIGH, "hba1c_percent", 9, "HbA1c ≥ 9%"),
)
RE_REFERRAL_LABEL = "Last visit triggered a re-referral criterion"

PRIOR_EVENT_PROGRAMS = ("STROKE", "HEART_MI")
# ICD-10 codes of a stroke or an MI (upper case, as the letter forms store them).
PRIOR_EVENT_ICD10 = r"^I(2[12]|25\.2|6[0-4]|69)"
MISSED_DAYS_AFTER_EVENT = 30
PRIOR_EVENT_LABEL = "Missed the control by more than 30 days after a stroke or heart attack"


def had_stroke_or_mi(programs: Iterable[str], icd10_codes: Iterable[str]) -> bool:
    """A prior stroke or MI on record: a stroke / post-MI case, or its ICD-10 code on a letter."""
    pattern = re.compile(PRIOR_EVENT_ICD10)
    return any(p in PRIOR_EVENT_PROGRAMS for p in programs) or any(
        pattern.match((code or "").strip().upper()) for code in icd10_codes
    )


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def assess(
    facts: Mapping[str, Any] | None,
    *,
    re_referral_triggered: bool = False,
    days_overdue: int = 0,
    prior_stroke_or_mi: bool = False,
) -> tuple[int, list[str]]:
    """The risk level and the reasons (msgids) for the highest level reached."""
    facts = facts or {}
    hits: list[Threshold] = []
    for threshold in THRESHOLDS:
        value = _number(facts.get(threshold.fact))
        if value is not None and value >= threshold.minimum:
            hits.append(threshold)
    missed_after_event = prior_stroke_or_mi and days_overdue > MISSED_DAYS_AFTER_EVENT
    level = max((hit.level for hit in hits), default=NONE)
    if re_referral_triggered:
        level = max(level, HIGH)
    if missed_after_event:
        level = VERY_HIGH
    reasons = [hit.label for hit in hits if hit.level == level]
    if re_referral_triggered and level == HIGH:
        reasons.append(RE_REFERRAL_LABEL)
    if missed_after_event:
        reasons.append(PRIOR_EVENT_LABEL)
    return level, reasons
