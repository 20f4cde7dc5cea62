"""Pages made to print: the letter receipt, the patient's control card and the re-referral letter."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from accounts.http import AuthedRequest
from patients.models import PatientAccessLog
from patients.services import patient_record_read
from referrals import forms, selectors
from referrals.views.intake import letter_context


@login_required
def letter_receipt(request: AuthedRequest, pk: int) -> HttpResponse:
    letter = selectors.letter_for_user(request.user, pk)
    patient_record_read(request, letter.patient, action=PatientAccessLog.Action.EXPORT)
    return render(request, "referrals/print_receipt.html", letter_context(request, letter))


@login_required
def case_card(request: AuthedRequest, pk: int) -> HttpResponse:
    """The patient's control card: schedule and self-management advice, for printing."""
    case = selectors.case_for_user(request.user, pk)
    patient_record_read(request, case.patient, action=PatientAccessLog.Action.EXPORT)
    plan = selectors.current_care_plan(case)
    return render(
        request,
        "referrals/print_card.html",
        {"case": case, "plan": plan, "card": selectors.control_card(case, plan)},
    )


@login_required
def rereferral_letter(request: AuthedRequest, pk: int) -> HttpResponse:
    """The printable re-referral letter with the case's history."""
    referral = selectors.rereferral_for_user(request.user, pk)
    case = referral.case
    patient_record_read(request, case.patient, action=PatientAccessLog.Action.EXPORT)
    clauses = {c["id"]: c for c in (referral.evaluation or {}).get("criteria", [])}
    texts = dict(forms.rereferral_clause_choices(case.program))
    reasons = [
        {"id": cid, "text": texts.get(cid, cid), "reason": clauses.get(cid, {}).get("reason", "")}
        for cid in referral.clause_ids
    ]
    return render(
        request,
        "referrals/print_rereferral.html",
        {
            "referral": referral,
            "case": case,
            "reasons": reasons,
            "visits": selectors.visit_list(case=case)[:6],
            "letters": case.letters.select_related("hospital").order_by("-letter_date"),
            "regimen": case.current_regimen,
        },
    )
