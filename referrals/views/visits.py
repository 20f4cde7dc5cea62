"""Control visits, home visits, contact attempts and re-referral."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import policy
from accounts.http import AuthedRequest
from accounts.policy import Capability
from referrals import forms, kmk, selectors
from referrals.models import (
    HomeVisit,
    PrbCase,
)
from referrals.services import engine, visits
from referrals.views.common import case_form_page, run_service

# ---------------------------------------------------------------- visits


def _initial_lines(case: PrbCase) -> list[dict[str, Any]]:
    return [
        {"medicine": entry["medicine"], "quantity": entry["quantity"], "signa": entry["signa"]}
        for entry in case.current_regimen
    ]


def _prescription_check(case: PrbCase, form: Any, formset: Any) -> dict[str, Any]:
    """The prescription rules on what is valid so far (the same function the service runs)."""
    form.is_valid()
    formset.is_valid()
    data = form.cleaned_data
    interval = kmk.CONTROL_INTERVAL_DAYS
    plan = selectors.current_care_plan(case)
    if plan is not None:
        interval = plan.control_interval_days
    supply_days = interval
    if data.get("visit_date") and data.get("next_control_date"):
        supply_days = max((data["next_control_date"] - data["visit_date"]).days, 1)
    lines = forms.visit_line_inputs(formset)
    errors, warnings = visits.prescription_rules_check(
        case=case,
        lines=lines,
        facts=form.fact_values(),
        dpjp_approval=data.get("dpjp_approval") or "",
        supply_days=supply_days,
    )
    return {"rx_checked": bool(lines), "rx_errors": errors, "rx_warnings": warnings}


def _visit_page(case: PrbCase, form: Any, formset: Any, **extra: Any) -> dict[str, Any]:
    return {
        "case": case,
        "form": form,
        "formset": formset,
        "baseline_glucose": selectors.baseline_glucose(case),
        **extra,
    }


@login_required
@require_POST
def visit_check(request: AuthedRequest, pk: int) -> HttpResponse:
    """The visit form's live prescription check (htmx): the KMK rules as the doctor types."""
    case = selectors.case_for_user(request.user, pk, write=Capability.RECORD_VISIT)
    form = forms.VisitForm(request.POST, case=case)
    formset = forms.VisitLineFormSet(request.POST, prefix="rx")
    return render(
        request, "referrals/visit_form.html#rx_check", _prescription_check(case, form, formset)
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_create(request: AuthedRequest, pk: int) -> HttpResponse:
    case = selectors.case_for_user(request.user, pk, write=Capability.RECORD_VISIT)
    if request.method == "GET":
        form = forms.VisitForm(case=case, initial={"visit_date": engine.local_today()})
        initial_lines = _initial_lines(case)
        formset = forms.VisitLineFormSet(prefix="rx", initial=initial_lines)
        return render(request, "referrals/visit_form.html", _visit_page(case, form, formset))
    form = forms.VisitForm(request.POST, case=case)
    formset = forms.VisitLineFormSet(request.POST, prefix="rx")
    if request.POST.get("action") == "check":  # the no-JS "check the prescription" button
        check = _prescription_check(case, form, formset)
        return render(
            request, "referrals/visit_form.html", _visit_page(case, form, formset, **check)
        )
    if form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            visit = visits.visit_record(
                actor=request.user,
                case=case,
                visit_date=data["visit_date"],
                adherence=data["adherence"],
                facts=form.fact_values(),
                next_control_date=data["next_control_date"],
                weight_kg=data["weight_kg"],
                height_cm=data["height_cm"],
                symptoms=data["symptoms"],
                side_effects=data["side_effects"],
                lines=forms.visit_line_inputs(formset),
                dpjp_approval=data.get("dpjp_approval", ""),
            )
        except ValidationError as exc:
            # The prescription's errors are shown by the check beside the lines, below.
            if not hasattr(exc, "error_dict"):
                forms.put_errors(form, exc)
            elif others := {k: v for k, v in exc.message_dict.items() if k != "lines"}:
                forms.put_errors(form, ValidationError(others))
        else:
            messages.success(request, _("Control visit saved."))
            return redirect("referrals:visit_detail", pk=visit.pk)
    check = _prescription_check(case, form, formset)
    return render(
        request, "referrals/visit_form.html", _visit_page(case, form, formset, **check), status=400
    )


@login_required
def visit_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_for_user(request.user, pk)
    lines = visit.prescription.lines.select_related("medicine") if visit.prescription else []
    return render(
        request,
        "referrals/visit_detail.html",
        {
            "visit": visit,
            "case": visit.case,
            "lines": lines,
        },
    )


# ---------------------------------------------------------------- re-referral


@login_required
@require_http_methods(["GET", "POST"])
def rereferral_create(request: AuthedRequest, pk: int) -> HttpResponse:
    case = selectors.case_for_user(request.user, pk, write=Capability.RE_REFER)
    visit = None
    visit_id = request.POST.get("visit") or request.GET.get("visit")
    if visit_id and visit_id.isdigit():
        visit = selectors.visit_for_user(request.user, int(visit_id))
        if visit.case_id != case.pk:
            visit = None
    if request.method == "GET":
        triggered = [c["id"] for c in visit.triggered] if visit else []
        form = forms.ReReferralForm(
            case=case,
            initial={"referred_on": engine.local_today(), "clause_ids": triggered},
        )
        return render(
            request, "referrals/rereferral_form.html", {"case": case, "form": form, "visit": visit}
        )
    form = forms.ReReferralForm(request.POST, case=case)
    referral = run_service(
        request,
        form,
        lambda: visits.rereferral_create(
            actor=request.user, case=case, visit=visit, **form.cleaned_data
        ),
        success=lambda referral: _("Re-referral letter %(n)s created.") % {"n": referral},
    )
    if referral:
        return redirect("referrals:rereferral_letter", pk=referral.pk)
    return render(
        request,
        "referrals/rereferral_form.html",
        {"case": case, "form": form, "visit": visit},
        status=400,
    )


# ---------------------------------------------------------------- Pustu and contacts


@login_required
@require_http_methods(["GET", "POST"])
def home_visit_create(request: AuthedRequest, pk: int) -> HttpResponse:
    case = selectors.case_for_user(request.user, pk, write=Capability.RECORD_HOME_VISIT)
    form = forms.HomeVisitForm(
        request.POST or None,
        initial={
            "visited_on": engine.local_today(),
            "visitor_name": request.user.get_full_name(),
            "visitor_role": HomeVisit.VisitorRole.PUSTU
            if policy.works_at_pustu(request.user)
            else HomeVisit.VisitorRole.NURSE,
        },
    )
    return case_form_page(
        request,
        case,
        form,
        save=lambda data: visits.home_visit_record(actor=request.user, case=case, **data),
        saved=_("Home visit saved."),
        title=_("Home visit"),
    )
