"""The PRB programs and their clause declarations (KMK BAB II.B and BAB III.B).

Program ids and their sections follow the contract's Programs table. The
facts a program accepts are derived from the facts its clauses read.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

from ..clauses import BackReferralClause, ReReferralClause
from ..facts import COMMON_RE_REFERRAL_FACTS
from . import (
    asthma,
    copd,
    dm,
    epilepsy,
    heart_angina,
    heart_chf,
    heart_hhd,
    heart_mi,
    ht,
    schizophrenia,
    sle,
    stroke,
)


@dataclass(frozen=True, slots=True)
class Program:
    id: str
    name: str  # Indonesian
    back_referral_section: str  # KMK BAB II.B.x
    re_referral_section: str  # KMK BAB III.B.x.d
    bpjs_program_prb: str  # BPJS programPRB code


_DECLARATIONS: tuple[tuple[Program, ModuleType], ...] = (
    (Program("DM", "Diabetes melitus", "II.B.1", "III.B.1.d", "01"), dm),
    (Program("HT", "Hipertensi", "II.B.2", "III.B.2.d", "02"), ht),
    (
        Program("HEART_HHD", "Penyakit jantung hipertensi", "II.B.3.a", "III.B.3.a.4", "04"),
        heart_hhd,
    ),
    (Program("HEART_ANGINA", "Angina pektoris", "II.B.3.b", "III.B.3.b.4", "04"), heart_angina),
    (
        Program("HEART_MI", "Pasca infark miokardium", "II.B.3.c", "III.B.3.c.4", "04"),
        heart_mi,
    ),
    (Program("HEART_CHF", "Gagal jantung kronik", "II.B.3.d", "III.B.3.d.4", "04"), heart_chf),
    (Program("ASTHMA", "Asma", "II.B.4", "III.B.4.d", "03"), asthma),
    (
        Program("COPD", "Penyakit paru obstruktif kronis (PPOK)", "II.B.5", "III.B.5.d", "05"),
        copd,
    ),
    (Program("EPILEPSY", "Epilepsi", "II.B.6", "III.B.6.d", "08"), epilepsy),
    (Program("SCHIZOPHRENIA", "Skizofrenia", "II.B.7", "III.B.8.d", "06"), schizophrenia),
    (Program("STROKE", "Stroke", "II.B.8", "III.B.7.d", "07"), stroke),
    (Program("SLE", "Sindroma lupus eritematosus (SLE)", "II.B.9", "III.B.9.d", "09"), sle),
)

PROGRAM_DETAILS: dict[str, Program] = {program.id: program for program, _ in _DECLARATIONS}
PROGRAMS: list[str] = list(PROGRAM_DETAILS)

BACK_REFERRAL_CLAUSES: dict[str, tuple[BackReferralClause, ...]] = {
    program.id: tuple(module.BACK_REFERRAL.clauses) for program, module in _DECLARATIONS
}
RE_REFERRAL_CLAUSES: dict[str, tuple[ReReferralClause, ...]] = {
    program.id: tuple(module.RE_REFERRAL.clauses) for program, module in _DECLARATIONS
}


def _fact_names(
    clauses: tuple[BackReferralClause, ...] | tuple[ReReferralClause, ...],
) -> list[str]:
    """Program facts read by the clauses, in clause order ("patient.x" etc. excluded)."""
    names: dict[str, None] = {}
    for clause in clauses:
        for name in clause.reads:
            if "." not in name:
                names[name] = None
    return list(names)


# Contract: a back-referral request accepts the program's back-referral facts;
# re-referral visits and the baseline accept those, the re-referral facts, and
# medical_need, deterioration, medicines_unavailable.
BACK_REFERRAL_FACTS: dict[str, tuple[str, ...]] = {
    program: tuple(_fact_names(clauses)) for program, clauses in BACK_REFERRAL_CLAUSES.items()
}
RE_REFERRAL_FACTS: dict[str, tuple[str, ...]] = {
    program: tuple(
        dict.fromkeys(
            [
                *BACK_REFERRAL_FACTS[program],
                *_fact_names(RE_REFERRAL_CLAUSES[program]),
                *COMMON_RE_REFERRAL_FACTS,
            ]
        )
    )
    for program in PROGRAMS
}
