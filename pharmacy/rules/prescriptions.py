"""Every rule a PRB prescription must pass at primary care (FKTP), in one place.

Sources: KMK HK.01.07/MENKES/1645/2024 (clause ids in ``RULES``) and the Fornas PRB
list (monthly maxima). Pure Python — no Django, nothing of the project — so the
rules can be read, tested and tabulated alone; ``docs/prescription-rules.md`` is
generated from ``RULES`` and the tables below (``pharmacy/rules/docs.py``).

Two entry points:

- ``formulary_problems(line, months=…)``: any prescription, the pharmacy's own and a
  control visit's: a quantity of at least 1, within the Fornas PRB monthly maximum,
  of a medicine still in the formulary.
- ``visit_problems(case, lines)``: the KMK's limits for the case at a control visit.
  The visit form's live check and the visit service both call it, so the browser
  never holds a rule of its own.

Messages are English msgids marked with ``gettext_noop`` (extracted by
``makemessages``) with ``%(name)s`` placeholders; the caller translates them.
Medicines are recognised by their formulary rule group (anti-seizure, basal
insulin: set per formulary row) or by generic name (warfarin, corticosteroids,
immunosuppressants: the tables below), English or Indonesian spelling.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

ANTI_SEIZURE = "anti_seizure"
BASAL_INSULIN = "basal_insulin"


def gettext_noop(message: str) -> str:
    """Mark a msgid for extraction; the caller translates it."""
    return message


# --- Data -------------------------------------------------------------------

# Basal insulin at FKTP: at most 20 IU a day (KMK II.B.1.a "dosis < 20 unit",
# III.B.1.d.3 re-referral "melebihi 20 unit per hari").
BASAL_INSULIN_MAX_IU_PER_DAY = 20
# Priming assumption: every injection with a pen starts with a 2 IU safety shot
# (the pen makers' instructions), so a pen gives less than its content as dose.
PRIMING_IU_PER_INJECTION = 2
# A month's supply lasts until the next control: 14–31 days (referrals.kmk); the
# formulary maximum must cover the longest interval at the highest allowed dose.
LONGEST_SUPPLY_DAYS = 31

# SLE at FKTP: "hanya menggunakan obat kortikosteroid dosis rendah (setara
# prednison dosis ≤ 5mg per hari) dan/atau hidroksiklorokuin" (KMK II.B.9.b).
SLE_MAX_PREDNISONE_MG_PER_DAY = 5
# mg of each corticosteroid equal to 5 mg of prednisone (the table of the criteria
# contract, II.B.9.b; a test keeps the two tables equal). Longer names first, so
# "methylprednisolone" is not read as "prednisolone".
PREDNISONE_5MG_EQUIVALENTS: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    ("methylprednisolone", 4, ("methylprednisolone", "metilprednisolon")),
    ("prednisolone", 5, ("prednisolone", "prednisolon")),
    ("prednisone", 5, ("prednisone", "prednison")),
    ("triamcinolone", 4, ("triamcinolone", "triamsinolon")),
    ("hydrocortisone", 20, ("hydrocortisone", "hidrokortison")),
    ("deflazacort", 6, ("deflazacort", "deflazakort")),
    ("dexamethasone", 0.75, ("dexamethasone", "deksametason")),
    ("betamethasone", 0.75, ("betamethasone", "betametason")),
    ("cortisone", 25, ("cortisone", "kortison")),
)
# Immunosuppressants other than corticosteroids, refused for SLE at FKTP (II.B.9.b).
# Hydroxychloroquine is the one other medicine the clause allows.
IMMUNOSUPPRESSANTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("azathioprine", ("azathioprin", "azatioprin")),
    ("mycophenolate", ("mycophenol", "mikofenolat")),
    ("cyclosporine", ("cyclosporin", "ciclosporin", "siklosporin")),
    ("methotrexate", ("methotrexat", "metotreksat")),
    ("tacrolimus", ("tacrolimus", "takrolimus")),
    ("cyclophosphamide", ("cyclophosphamid", "siklofosfamid")),
    ("leflunomide", ("leflunomid",)),
    ("sirolimus", ("sirolimus",)),
    ("everolimus", ("everolimus",)),
)
WARFARIN_NAMES = ("warfarin",)


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule as ``docs/prescription-rules.md`` lists it."""

    id: str
    clause: str
    programs: str
    medicines: str
    rule: str
    outcome: str


RULES: tuple[Rule, ...] = (
    Rule(
        "formulary_maximum",
        "Fornas PRB",
        "all",
        "every PRB medicine",
        "Quantity at least 1 and at most the formulary's maximum per month × months; the "
        "medicine is still active in the formulary.",
        "refused",
    ),
    Rule(
        "anti_seizure_unchanged",
        "III.B.6.a.3.a, III.B.6.d.3",
        "any case on an anti-seizure medicine",
        "rule group *anti-seizure*",
        "The anti-seizure medicines and their signa equal the current regimen; a new, "
        "dropped or changed one (other strength or form, other signa) needs the DPJP's "
        "agreement, recorded with the visit.",
        "refused; a warning with the DPJP's agreement",
    ),
    Rule(
        "basal_insulin_dose",
        "II.B.1.a, III.B.1.d.3",
        "any",
        "rule group *basal insulin*",
        "The daily dose (IU) is entered (on the line, else the visit's "
        "`basal_insulin_units_per_day`) and is at most 20 IU/day.",
        "refused above 20; a warning at exactly 20",
    ),
    Rule(
        "basal_insulin_pens",
        "II.B.1.a",
        "any",
        "rule group *basal insulin*, content in the strength (e.g. `100 IU/mL 3 mL`)",
        "Pens needed = ⌈days to the next control × (dose + 2 IU priming × injections a day) ÷ "
        "IU per pen⌉; more pens than that are refused, fewer give a warning. The formulary "
        "maximum equals the pens needed at 20 IU/day for 31 days, so the two rules agree.",
        "refused above the need; a warning below it",
    ),
    Rule(
        "warfarin_chf",
        "II.B.3.d.6",
        "HEART_CHF",
        "warfarin",
        "A heart-failure patient at FKTP is not on warfarin.",
        "refused: re-refer",
    ),
    Rule(
        "warfarin_stroke",
        "II.A, KEEMPAT.f",
        "STROKE",
        "warfarin",
        "Warfarin continues at FKTP only when the accepted back-referral letter carried it "
        "(the DPJP's management plan); starting it is the hospital's decision.",
        "refused: re-refer",
    ),
    Rule(
        "sle_corticosteroid",
        "II.B.9.b",
        "SLE",
        "corticosteroids (table below)",
        "The day's corticosteroids together are at most 5 mg of prednisone-equivalent; the "
        "daily dose in mg is the line's, else signa × strength.",
        "refused, with the equivalence shown",
    ),
    Rule(
        "sle_immunosuppressant",
        "II.B.9.b",
        "SLE",
        "immunosuppressants (table below)",
        "Besides low-dose corticosteroid only hydroxychloroquine: any other immunosuppressant "
        "is refused.",
        "refused: re-refer",
    ),
)


# --- Inputs and outputs ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Drug:
    """A formulary medicine as the rules see it."""

    key: int
    name: str  # generic name ("Methylprednisolone")
    label: str  # as shown ("Methylprednisolone 8 mg tablet")
    strength: str = ""
    rule_group: str = ""
    max_quantity_per_month: int | None = None
    is_active: bool = True


@dataclass(frozen=True, slots=True)
class Line:
    drug: Drug
    quantity: int
    signa: str = ""
    daily_dose: float | None = None  # IU/day for insulin, mg/day for a corticosteroid


@dataclass(frozen=True, slots=True)
class RegimenEntry:
    """A medicine of the case's current regimen."""

    key: int
    label: str
    signa: str = ""
    rule_group: str = ""


@dataclass(frozen=True, slots=True)
class CaseContext:
    program: str
    regimen: tuple[RegimenEntry, ...] = ()
    letter_medicines: tuple[str, ...] = ()  # generic names on the accepted letter
    supply_days: int = 30  # from the visit to the next control
    dpjp_approval: str = ""
    basal_insulin_units_per_day: float | None = None  # the visit's fact


@dataclass(frozen=True, slots=True)
class Problem:
    rule: str
    message: str  # English msgid with %(name)s placeholders
    params: Mapping[str, str] = field(default_factory=dict)
    line: int | None = None  # index of the line concerned


@dataclass(slots=True)
class Check:
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


# --- Helpers ------------------------------------------------------------------


def number(value: float) -> str:
    """Indonesian decimal comma, trailing zeros dropped: 0.75 → "0,75", 10.0 → "10"."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def signa_key(signa: str) -> str:
    """Signa compared without case or spaces: "2 X 1" is "2x1"."""
    return "".join(signa.lower().split())


_TIMES_A_DAY = re.compile(r"^\s*(\d+)\s*[x×]", re.IGNORECASE)
# "2x1", "2 x 1 tablet", "1x8 mg": times a day, then tablets (or mg) per dose.
_PER_DOSE = re.compile(r"^\s*\d+\s*[x×]\s*(\d+(?:[.,]\d+)?)\s*(mg\b)?", re.IGNORECASE)
_MG = re.compile(r"(\d+(?:[.,]\d+)?)\s*mg", re.IGNORECASE)
_IU_PER_ML = re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:IU|U|unit)\s*/\s*mL", re.IGNORECASE)
_ML = re.compile(r"(?<![/\w])(\d+(?:[.,]\d+)?)\s*mL", re.IGNORECASE)


def _decimal(text: str) -> float:
    return float(text.replace(",", "."))


def times_a_day(signa: str) -> int | None:
    """ "2x1" → 2 (the number before the x)."""
    match = _TIMES_A_DAY.match(signa)
    return int(match[1]) if match else None


def units_per_pen(strength: str) -> float | None:
    """IU in one pen from its strength: "100 IU/mL 3 mL" → 300."""
    concentration, volume = _IU_PER_ML.search(strength), _ML.search(strength)
    if concentration is None or volume is None:
        return None
    return _decimal(concentration[1]) * _decimal(volume[1])


def pens_needed(*, dose: float, injections: int, days: int, per_pen: float) -> int:
    """Pens for ``days`` at ``dose`` IU/day, each injection primed with 2 IU."""
    return math.ceil(days * (dose + injections * PRIMING_IU_PER_INJECTION) / per_pen)


def formulary_pen_maximum(strength: str) -> int | None:
    """The monthly pen maximum the 20 IU rule implies (1 injection a day, 31 days)."""
    per_pen = units_per_pen(strength)
    if per_pen is None:
        return None
    return pens_needed(
        dose=BASAL_INSULIN_MAX_IU_PER_DAY, injections=1, days=LONGEST_SUPPLY_DAYS, per_pen=per_pen
    )


def _matches(name: str, spellings: tuple[str, ...]) -> bool:
    lowered = name.lower()
    return any(spelling in lowered for spelling in spellings)


def corticosteroid(name: str) -> tuple[str, float] | None:
    """(generic, mg equal to prednisone 5 mg) when ``name`` is a systemic corticosteroid."""
    for generic, equivalent, spellings in PREDNISONE_5MG_EQUIVALENTS:
        if _matches(name, spellings):
            return generic, equivalent
    return None


def immunosuppressant(name: str) -> str | None:
    for generic, spellings in IMMUNOSUPPRESSANTS:
        if _matches(name, spellings):
            return generic
    return None


def is_warfarin(name: str) -> bool:
    return _matches(name, WARFARIN_NAMES)


def corticosteroid_mg_per_day(line: Line) -> float | None:
    """The line's daily dose in mg, else times a day × tablets × mg per tablet."""
    if line.daily_dose is not None:
        return line.daily_dose
    times, per_dose = times_a_day(line.signa), _PER_DOSE.match(line.signa)
    if times is None or per_dose is None:
        return None
    if per_dose[2]:  # "1x8 mg": the mg per dose is written
        return times * _decimal(per_dose[1])
    strength = _MG.search(line.drug.strength)
    if strength is None:
        return None
    return times * _decimal(per_dose[1]) * _decimal(strength[1])


# --- Rules ----------------------------------------------------------------------


def formulary_problems(line: Line, *, months: int = 1, index: int | None = None) -> list[Problem]:
    """Fornas PRB: quantity at least 1, within the monthly maximum, medicine active."""
    problems = []
    drug = line.drug
    if line.quantity <= 0:
        problems.append(
            Problem(
                "formulary_maximum", gettext_noop("The quantity must be at least 1."), {}, index
            )
        )
    limit = drug.max_quantity_per_month
    if limit is not None and line.quantity > limit * months:
        problems.append(
            Problem(
                "formulary_maximum",
                gettext_noop(
                    "%(medicine)s: %(quantity)s exceeds the formulary maximum of %(limit)s per "
                    "month."
                ),
                {"medicine": drug.label, "quantity": str(line.quantity), "limit": str(limit)},
                index,
            )
        )
    if not drug.is_active:
        problems.append(
            Problem(
                "formulary_maximum",
                gettext_noop("%(medicine)s is no longer in the PRB formulary."),
                {"medicine": drug.label},
                index,
            )
        )
    return problems


def _anti_seizure(case: CaseContext, lines: Sequence[Line], check: Check) -> None:
    """III.B.6.a.3.a: no change of an anti-seizure medicine at FKTP without the DPJP."""
    current = {e.key: signa_key(e.signa) for e in case.regimen if e.rule_group == ANTI_SEIZURE}
    prescribed = {
        line.drug.key: signa_key(line.signa)
        for line in lines
        if line.drug.rule_group == ANTI_SEIZURE
    }
    if not lines or current == prescribed:
        return
    names = {entry.key: entry.label for entry in case.regimen}
    names.update({line.drug.key: line.drug.label for line in lines})
    changed = ", ".join(
        sorted(
            names[key]
            for key in set(current) | set(prescribed)
            if current.get(key) != prescribed.get(key)
        )
    )
    approval = case.dpjp_approval.strip()
    if approval:
        check.warnings.append(
            Problem(
                "anti_seizure_unchanged",
                gettext_noop("Anti-seizure medicine changed with the DPJP's agreement: %(who)s."),
                {"who": approval},
            )
        )
        return
    check.errors.append(
        Problem(
            "anti_seizure_unchanged",
            gettext_noop(
                "Anti-seizure medicine %(medicines)s: the dose or form may not be changed at the "
                "puskesmas without the hospital doctor (DPJP) (KMK III.B.6.a.3.a). Prescribe the "
                "current regimen or re-refer (III.B.6.d.3)."
            ),
            {"medicines": changed},
        )
    )


def _basal_insulin(case: CaseContext, index: int, line: Line, check: Check) -> None:
    """II.B.1.a / III.B.1.d.3: at most 20 IU a day; pens consistent with the dose."""
    label = line.drug.label
    dose = line.daily_dose if line.daily_dose is not None else case.basal_insulin_units_per_day
    if dose is None:
        check.errors.append(
            Problem(
                "basal_insulin_dose",
                gettext_noop("%(medicine)s: enter the daily dose in units (KMK II.B.1.a)."),
                {"medicine": label},
                index,
            )
        )
        return
    if dose > BASAL_INSULIN_MAX_IU_PER_DAY:
        check.errors.append(
            Problem(
                "basal_insulin_dose",
                gettext_noop(
                    "%(medicine)s: %(dose)s units/day is above the 20 units/day allowed at "
                    "primary care (KMK II.B.1.a, III.B.1.d.3); re-refer the patient to the "
                    "hospital."
                ),
                {"medicine": label, "dose": number(dose)},
                index,
            )
        )
        return
    if dose == BASAL_INSULIN_MAX_IU_PER_DAY:
        check.warnings.append(
            Problem(
                "basal_insulin_dose",
                gettext_noop(
                    "%(medicine)s: 20 units/day is the most primary care may give (KMK "
                    "III.B.1.d.3); any increase means re-referral."
                ),
                {"medicine": label},
                index,
            )
        )
    per_pen = units_per_pen(line.drug.strength)
    if per_pen is None:
        check.warnings.append(
            Problem(
                "basal_insulin_pens",
                gettext_noop(
                    "%(medicine)s: the formulary strength does not give the units per pen "
                    "(e.g. 100 IU/mL 3 mL), so the number of pens was not checked against the dose."
                ),
                {"medicine": label},
                index,
            )
        )
        return
    injections = times_a_day(line.signa) or 1
    days = max(case.supply_days, 1)
    needed = pens_needed(dose=dose, injections=injections, days=days, per_pen=per_pen)
    params = {
        "medicine": label,
        "quantity": str(line.quantity),
        "needed": str(needed),
        "days": str(days),
        "dose": number(dose),
        "injections": str(injections),
        "priming": number(injections * PRIMING_IU_PER_INJECTION),
        "per_pen": number(per_pen),
    }
    if line.quantity > needed:
        check.errors.append(
            Problem(
                "basal_insulin_pens",
                gettext_noop(
                    "%(medicine)s: %(quantity)s pens are more than the dose needs: %(days)s days "
                    "× (%(dose)s IU + %(priming)s IU priming) a day ÷ %(per_pen)s IU per pen = "
                    "%(needed)s pens (KMK II.B.1.a, at most 20 IU/day at primary care)."
                ),
                params,
                index,
            )
        )
    elif line.quantity < needed:
        check.warnings.append(
            Problem(
                "basal_insulin_pens",
                gettext_noop(
                    "%(medicine)s: %(quantity)s pens will not last until the next control: "
                    "%(days)s days × (%(dose)s IU + %(priming)s IU priming) a day needs "
                    "%(needed)s pens of %(per_pen)s IU."
                ),
                params,
                index,
            )
        )


def _warfarin(case: CaseContext, index: int, line: Line, check: Check) -> None:
    if case.program == "HEART_CHF":
        check.errors.append(
            Problem(
                "warfarin_chf",
                gettext_noop(
                    "%(medicine)s: a heart-failure patient in PRB may not be on warfarin (KMK "
                    'II.B.3.d.6, "tidak dalam terapi warfarin"). Do not prescribe it at the '
                    "puskesmas: re-refer the patient to the hospital."
                ),
                {"medicine": line.drug.label},
                index,
            )
        )
    elif case.program == "STROKE" and not any(is_warfarin(n) for n in case.letter_medicines):
        check.errors.append(
            Problem(
                "warfarin_stroke",
                gettext_noop(
                    "%(medicine)s: warfarin for a stroke patient is continued at the puskesmas "
                    "only when the hospital's back-referral letter carried it (KMK II.A, "
                    "Diktum KEEMPAT.f); this case's letter did not. Re-refer the patient to the "
                    "hospital to start it."
                ),
                {"medicine": line.drug.label},
                index,
            )
        )


def _sle(case: CaseContext, lines: Sequence[Line], check: Check) -> None:
    """II.B.9.b: corticosteroid ≤ 5 mg prednisone a day and/or hydroxychloroquine only."""
    steroids: list[tuple[int, Line, str, float, float]] = []
    for index, line in enumerate(lines):
        other = immunosuppressant(line.drug.name)
        if other is not None:
            check.errors.append(
                Problem(
                    "sle_immunosuppressant",
                    gettext_noop(
                        "%(medicine)s: at the puskesmas an SLE patient may take only low-dose "
                        "corticosteroid (at most 5 mg prednisone a day) and/or "
                        "hydroxychloroquine (KMK II.B.9.b); %(medicine)s is another "
                        "immunosuppressant. Re-refer the patient to the hospital."
                    ),
                    {"medicine": line.drug.label},
                    index,
                )
            )
            continue
        steroid = corticosteroid(line.drug.name)
        if steroid is None:
            continue
        mg = corticosteroid_mg_per_day(line)
        if mg is None:
            check.errors.append(
                Problem(
                    "sle_corticosteroid",
                    gettext_noop(
                        "%(medicine)s: enter the daily dose in mg, or a signa such as 1x1 "
                        "(KMK II.B.9.b)."
                    ),
                    {"medicine": line.drug.label},
                    index,
                )
            )
            continue
        generic, equivalent = steroid
        steroids.append((index, line, generic, equivalent, mg))
    total = sum(mg * SLE_MAX_PREDNISONE_MG_PER_DAY / eq for _i, _l, _g, eq, mg in steroids)
    if total <= SLE_MAX_PREDNISONE_MG_PER_DAY:
        return
    for index, line, generic, equivalent, mg in steroids:
        check.errors.append(
            Problem(
                "sle_corticosteroid",
                gettext_noop(
                    "%(medicine)s: %(dose)s mg/day equals %(prednisone)s mg of prednisone a day "
                    "(%(generic)s %(equivalent)s mg = prednisone 5 mg); with %(total)s mg "
                    "prednisone-equivalent a day in all it is above the 5 mg allowed at the "
                    "puskesmas for SLE (KMK II.B.9.b). Re-refer the patient to the hospital."
                ),
                {
                    "medicine": line.drug.label,
                    "dose": number(mg),
                    "prednisone": number(mg * SLE_MAX_PREDNISONE_MG_PER_DAY / equivalent),
                    "generic": generic,
                    "equivalent": number(equivalent),
                    "total": number(total),
                },
                index,
            )
        )


def visit_problems(case: CaseContext, lines: Sequence[Line]) -> Check:
    """The KMK's limits on a control visit's prescription: errors refuse it, warnings are kept."""
    check = Check()
    _anti_seizure(case, lines, check)
    for index, line in enumerate(lines):
        if line.drug.rule_group == BASAL_INSULIN:
            _basal_insulin(case, index, line, check)
        if is_warfarin(line.drug.name):
            _warfarin(case, index, line, check)
    if case.program == "SLE":
        _sle(case, lines, check)
    return check
