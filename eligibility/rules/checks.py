"""Reading facts and turning them into findings.

A :class:`Subject` is one set of facts being judged — the request's facts,
the baseline, or one re-referral visit — with the patient data needed to
derive values (age, eGFR). A :class:`Measure` is a number read or derived
from it, with the words to name it in a reason. The leaf checks below turn
measures and yes/no facts into :class:`~.logic.Finding` values.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from . import instruments
from .facts import FACT_SPECS, PREGNANCY_FACTS
from .formatting import format_date, format_number, format_pair, join_labels
from .logic import FALSE, TRUE, UNKNOWN, Finding, all_of, negate

SEX_LABELS = {"M": "laki-laki", "F": "perempuan"}
NOT_ENTERED = "belum diisi"


class Subject:
    """The facts of one evaluation and where they live in the request."""

    __slots__ = ("values", "prefix", "sex", "birth_date", "on", "baseline")

    def __init__(
        self,
        values: Mapping[str, Any],
        prefix: str,
        *,
        sex: str | None,
        birth_date: date | None,
        on: date,
        baseline: Subject | None = None,
    ) -> None:
        self.values = values
        self.prefix = prefix  # "facts.", "baseline.", "visits[2].facts.", "general."
        self.sex = sex
        self.birth_date = birth_date
        self.on = on  # the date ages are computed at (as_of, or the visit's date)
        self.baseline = baseline

    def get(self, name: str) -> Any:
        return self.values.get(name)

    def path(self, name: str) -> str:
        return self.prefix + name

    def age(self) -> int | None:
        if self.birth_date is None:
            return None
        return instruments.age_in_years(self.birth_date, self.on)


@dataclass(slots=True)
class Measure:
    """A number to compare, how to name it, and what would supply it if absent.

    ``unit`` is written as it follows a number: ``" mg/dL"``, ``"%"``.
    """

    label: str
    value: float | None
    unit: str = ""
    missing: tuple[str, ...] = ()
    detail: str = ""  # how a derived value was obtained, appended in parentheses
    absent: str = NOT_ENTERED  # why the value is unknown
    decimals: int = 2
    formatter: Callable[[float], str] | None = None


def fact(subject: Subject, name: str) -> Measure:
    spec = FACT_SPECS[name]
    value = subject.values.get(name)
    missing = (subject.prefix + name,) if value is None else ()
    return Measure(spec.short, value, spec.unit_suffix, missing, "", NOT_ENTERED, 2, spec.formatter)


# --- Leaf checks --------------------------------------------------------------

# op → (test, symbol when it holds, symbol when it does not)
_COMPARISONS: dict[str, tuple[Callable[[Any, Any], bool], str, str]] = {
    "<": (operator.lt, "<", "≥"),
    "<=": (operator.le, "≤", ">"),
    ">": (operator.gt, ">", "≤"),
    ">=": (operator.ge, "≥", "<"),
    "==": (operator.eq, "=", "≠"),
}


def _unknown(measure: Measure) -> Finding:
    return Finding(UNKNOWN, f"{measure.label} {measure.absent}", measure.missing)


def compare(measure: Measure, op: str, limit: float) -> Finding:
    """``measure <op> limit``; the reason shows the relation that actually holds."""
    value = measure.value
    if value is None:
        return _unknown(measure)
    test, holds_symbol, fails_symbol = _COMPARISONS[op]
    holds = test(value, limit)
    if measure.formatter is not None:
        shown_value, shown_limit = measure.formatter(value), measure.formatter(limit)
    else:
        shown_value = format_number(value, measure.decimals)
        shown_limit = format_number(limit)
        if shown_value == shown_limit and value != limit:
            shown_value, shown_limit = format_pair(value, limit, measure.decimals)
    unit = measure.unit
    reason = (
        f"{measure.label} {shown_value}{unit} "
        f"{holds_symbol if holds else fails_symbol} {shown_limit}{unit}"
    )
    if measure.detail:
        reason = f"{reason} ({measure.detail})"
    return Finding(TRUE if holds else FALSE, reason)


def between(measure: Measure, low: float, high: float) -> Finding:
    """``low <= measure <= high`` (both ends inclusive, as "80-130 mg/dl")."""
    value = measure.value
    if value is None:
        return _unknown(measure)
    holds = low <= value <= high
    reason = (
        f"{measure.label} {format_number(value, measure.decimals)}{measure.unit} "
        f"{'dalam' if holds else 'di luar'} rentang "
        f"{format_number(low)}–{format_number(high)}{measure.unit}"
    )
    if measure.detail:
        reason = f"{reason} ({measure.detail})"
    return Finding(TRUE if holds else FALSE, reason)


MALE_NOTE = " (pasien laki-laki)"


def _false_for_men(subject: Subject, name: str) -> bool:
    """Contract: for sex M every (missing) pregnancy fact counts as false."""
    return subject.sex == "M" and name in PREGNANCY_FACTS


def is_true(subject: Subject, name: str) -> Finding:
    label = FACT_SPECS[name].label
    value = subject.values.get(name)
    if value is None:
        if _false_for_men(subject, name):
            return Finding(FALSE, f"{label}: tidak{MALE_NOTE}")
        return Finding(UNKNOWN, f"{label}: {NOT_ENTERED}", (subject.prefix + name,))
    return Finding(TRUE if value else FALSE, f"{label}: {'ya' if value else 'tidak'}")


def is_false(subject: Subject, name: str) -> Finding:
    return negate(is_true(subject, name))


def none_of(subject: Subject, *names: str) -> Finding:
    """Every listed condition is absent ("tidak ada X, Y, Z")."""
    present: list[str] = []
    absent: list[str] = []
    undecided: list[str] = []
    missing: list[str] = []
    for name in names:
        label = FACT_SPECS[name].label
        value = subject.values.get(name)
        if value is None and _false_for_men(subject, name):
            value, label = False, label + MALE_NOTE
        if value is None:
            undecided.append(label)
            missing.append(subject.prefix + name)
        elif value:
            present.append(label)
        else:
            absent.append(label)
    if present:
        return Finding(FALSE, f"Ada: {join_labels(present)}")
    reason = f"Tidak ada: {join_labels(absent)}" if absent else ""
    if undecided:
        gap = f"{NOT_ENTERED}: {join_labels(undecided)}"
        reason = f"{reason}; {gap}" if reason else gap[0].upper() + gap[1:]
        return Finding(UNKNOWN, reason, tuple(missing))
    return Finding(TRUE, reason)


def bp_below(subject: Subject, systolic: float, diastolic: float) -> Finding:
    """Both pressures strictly below the limits, as printed ("<140/90 mmHg")."""
    return all_of(
        compare(fact(subject, "sbp"), "<", systolic),
        compare(fact(subject, "dbp"), "<", diastolic),
    )


# --- Derived measures ---------------------------------------------------------


def age(subject: Subject) -> Measure:
    years = subject.age()
    return Measure(
        "Usia",
        years,
        " tahun",
        ("patient.birth_date",),
        detail="" if years is None else f"usia genap per {format_date(subject.on)}",
        absent="tidak diketahui (tanggal lahir belum diisi)",
    )


def egfr(subject: Subject) -> Measure:
    """eGFR as entered, else CKD-EPI 2021 from creatinine, sex and age.

    Contract: "Where egfr is absent and creatinine_mg_dl, sex and age are
    known, compute eGFR by CKD-EPI 2021"; compared unrounded.
    """
    unit = FACT_SPECS["egfr"].unit_suffix
    entered = subject.values.get("egfr")
    if entered is not None:
        return Measure("eGFR", entered, unit, (subject.prefix + "egfr",))
    creatinine = subject.values.get("creatinine_mg_dl")
    years = subject.age()
    if creatinine is not None and subject.sex is not None and years is not None:
        value = instruments.ckd_epi_2021(creatinine, subject.sex, years)
        detail = (
            f"dihitung CKD-EPI 2021 dari kreatinin {format_number(creatinine)} mg/dL, "
            f"{SEX_LABELS[subject.sex]}, {years} tahun"
        )
        return Measure("eGFR", value, unit, detail=detail, decimals=1)
    missing = [subject.prefix + "egfr"]
    gaps = []
    if creatinine is None:
        missing.append(subject.prefix + "creatinine_mg_dl")
        gaps.append("kreatinin")
    if subject.sex is None:
        missing.append("patient.sex")
        gaps.append("jenis kelamin")
    if years is None:
        missing.append("patient.birth_date")
        gaps.append("tanggal lahir")
    absent = f"belum diisi dan tidak dapat dihitung ({join_labels(gaps)} belum diisi)"
    return Measure("eGFR", None, unit, tuple(missing), absent=absent)


def _score_or_items(
    subject: Subject,
    score_name: str,
    items_name: str,
    total: Callable[[list[Any]], int],
    describe: Callable[[list[Any]], str],
) -> Measure:
    """A score as entered, else computed from its items (contract: items may stand in)."""
    label = FACT_SPECS[score_name].short
    score = subject.values.get(score_name)
    if score is not None:
        return Measure(label, score)
    items = subject.values.get(items_name)
    if items is not None:
        return Measure(label, total(items), detail=describe(items))
    return Measure(label, None, missing=(subject.prefix + score_name, subject.prefix + items_name))


def _sum_of_items(items: list[int]) -> str:
    return "jumlah butir " + " + ".join(str(item) for item in items)


def _sledai_descriptors(items: list[str]) -> str:
    if not items:
        return "tidak ada deskriptor SLEDAI-2K"
    return "dari deskriptor " + ", ".join(
        f"{instruments.SLEDAI_2K_LABELS[name]} {instruments.SLEDAI_2K_WEIGHTS[name]}"
        for name in items
    )


def act_score(subject: Subject) -> Measure:
    """ACT total (KMK II.B.4.a); the five items may stand in for it."""
    return _score_or_items(subject, "act_score", "act_items", sum, _sum_of_items)


def cat_score(subject: Subject) -> Measure:
    """CAT total (KMK II.B.5.a.1); the eight items may stand in for it."""
    return _score_or_items(subject, "cat_score", "cat_items", sum, _sum_of_items)


def sledai_2k(subject: Subject) -> Measure:
    """SLEDAI-2K (KMK II.B.9.a); the list of present descriptors may stand in for it."""
    return _score_or_items(
        subject, "sledai_2k", "sledai_items", instruments.sledai_2k_score, _sledai_descriptors
    )


def prednisone_equivalent(subject: Subject) -> Measure:
    """Daily corticosteroid dose as prednisone mg (KMK II.B.9.b)."""
    label = "Dosis setara prednison"
    drug = subject.values.get("corticosteroid_drug")
    mg = subject.values.get("corticosteroid_mg_per_day")
    drug_path = subject.prefix + "corticosteroid_drug"
    dose_path = subject.prefix + "corticosteroid_mg_per_day"
    if drug == instruments.NO_CORTICOSTEROID or mg == 0:
        return Measure(label, 0.0, " mg/hari", detail="tanpa kortikosteroid")
    if drug is None or mg is None:
        missing = tuple(
            path for path, value in ((drug_path, drug), (dose_path, mg)) if value is None
        )
        return Measure(label, None, " mg/hari", missing)
    value = instruments.prednisone_equivalent_mg(drug, mg)
    if value is None:
        return Measure(
            label,
            None,
            " mg/hari",
            (drug_path,),
            absent=(
                f"tidak dapat dihitung: '{drug}' tidak ada dalam tabel kesetaraan "
                "(prednison, prednisolon, metilprednisolon, triamsinolon, hidrokortison, "
                "kortison, deflazakort, deksametason, betametason)"
            ),
        )
    detail = "" if drug == "prednisone" else f"{drug} {format_number(mg)} mg/hari"
    return Measure(label, value, " mg/hari", detail=detail)
