"""Writes of the referral workflow, by topic; this package re-exports the public services so ``referrals.services.<name>`` keeps working."""

from referrals.models import IN_CARE_STATUSES
from referrals.services.care_plans import (
    care_plan_update,
    monitoring_item_complete,
    self_management_tick,
)
from referrals.services.cases import (
    MANUAL_TRANSITIONS,
    case_assign_pustu,
    case_status_change,
)
from referrals.services.engine import (
    back_referral_evaluate,
    case_medicines_unavailable,
    local_today,
    re_referral_evaluate,
)
from referrals.services.facility_readiness import (
    readiness_update,
)
from referrals.services.letters import (
    LetterContent,
    LetterInput,
    LetterMedicineInput,
    PatientInput,
    ReadinessGapInput,
    letter_accept,
    letter_fingerprint,
    letter_receive,
    letter_receive_idempotent,
    letter_return,
)
from referrals.services.visits import (
    VisitLineInput,
    contact_attempt_record,
    home_visit_record,
    prescription_rules_check,
    rereferral_create,
    visit_record,
)

__all__ = [
    "IN_CARE_STATUSES",
    "LetterContent",
    "LetterInput",
    "LetterMedicineInput",
    "MANUAL_TRANSITIONS",
    "PatientInput",
    "ReadinessGapInput",
    "VisitLineInput",
    "back_referral_evaluate",
    "care_plan_update",
    "case_assign_pustu",
    "case_medicines_unavailable",
    "case_status_change",
    "contact_attempt_record",
    "home_visit_record",
    "letter_accept",
    "letter_fingerprint",
    "letter_receive",
    "letter_receive_idempotent",
    "letter_return",
    "local_today",
    "monitoring_item_complete",
    "prescription_rules_check",
    "re_referral_evaluate",
    "readiness_update",
    "rereferral_create",
    "self_management_tick",
    "visit_record",
]
