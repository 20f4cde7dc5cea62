"""Referral pages by family (intake, cases, visits, printables); this package re-exports the views so ``referrals.views.<name>`` keeps working for the URLconf."""

from referrals.views.cases import (
    care_plan_edit,
    case_detail,
    case_list,
    case_pustu,
    case_status,
    monitoring_done,
    patient_timeline,
    self_management_tick,
)
from referrals.views.intake import (
    inbox,
    letter_accept,
    letter_create,
    letter_detail,
    letter_evaluate,
    letter_return,
    readiness,
    readiness_edit,
)
from referrals.views.printables import (
    case_card,
    letter_receipt,
    rereferral_letter,
)
from referrals.views.visits import (
    home_visit_create,
    rereferral_create,
    visit_check,
    visit_create,
    visit_detail,
)

__all__ = [
    "care_plan_edit",
    "case_card",
    "case_detail",
    "case_list",
    "case_pustu",
    "case_status",
    "home_visit_create",
    "inbox",
    "letter_accept",
    "letter_create",
    "letter_detail",
    "letter_evaluate",
    "letter_receipt",
    "letter_return",
    "monitoring_done",
    "patient_timeline",
    "readiness",
    "readiness_edit",
    "rereferral_create",
    "rereferral_letter",
    "self_management_tick",
    "visit_check",
    "visit_create",
    "visit_detail",
]
