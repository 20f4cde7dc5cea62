"""PRB cases: lists, the case page, its status, pustu, care plan and the patient's timeline."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from accounts import policy
from accounts.http import AuthedRequest
from accounts.policy import Capability
from common.htmx import render_page
from patients.reads import patient_page
from patients.selectors import patient_for_user
from referrals import forms, selectors
from referrals.models import (
    CarePlan,
    MonitoringItem,
    PrbCase,
    SelfManagementItem,
)
from referrals.services import care_plans, cases, engine
from referrals.views.common import (
    PAGE_SIZE,
    case_form_page,
    require_role,
    run_service,
)

# ---------------------------------------------------------------- cases


@login_required
@vary_on_headers("HX-Request")
def case_list(request: AuthedRequest) -> HttpResponse:
    require_role(request, Capability.SEE_CASES)
    form = forms.CaseFilterForm(request.GET)
    query = status = ""
    if form.is_valid():
        query, status = form.cleaned_data["q"], form.cleaned_data["status"]
    rows = selectors.case_list(user=request.user, status=status, query=query)
    page = patient_page(request, rows, patient="patient_id", per_page=PAGE_SIZE)
    context = {"form": form, "page": page, "query": query}
    return render_page(request, "referrals/case_list.html", context)


def _case_context(request: AuthedRequest, case: PrbCase) -> dict[str, Any]:
    plan = selectors.current_care_plan(case)
    return {
        "case": case,
        "plan": plan,
        "visits": selectors.visit_list(case=case)[:12],
        "open_rereferral": selectors.open_rereferral(case),
        "status_form": forms.StatusForm(
            allowed=cases.MANUAL_TRANSITIONS.get(PrbCase.Status(case.status), set())
        ),
        "pustu_form": forms.PustuForm(
            initial={"pustu": case.patient.pustu_id}, puskesmas_id=case.facility_id
        ),
        "readiness": selectors.facility_readiness(
            facility_id=case.facility_id, program=case.program
        ),
        "readiness_gaps": selectors.readiness_gaps(case=case),
        "today": engine.local_today(),
    }


@login_required
def case_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    case = selectors.case_for_user(request.user, pk)
    return render(request, "referrals/case_detail.html", _case_context(request, case))


def _case_page_post(
    request: AuthedRequest,
    case: PrbCase,
    *,
    save: Callable[[], Model],
    success: str,
    **form: Any,
) -> HttpResponse:
    """A form posted from the case page: saved, back to the case; else the case page again
    with the form (under the name the page's template gives it), what was typed and why."""
    ((name, bound),) = form.items()
    if run_service(request, bound, save, success=success) is not None:
        return redirect("referrals:case_detail", pk=case.pk)
    context = _case_context(request, case)
    context[name] = bound
    return render(request, "referrals/case_detail.html", context, status=400)


@login_required
@require_POST
def case_status(request: AuthedRequest, pk: int) -> HttpResponse:
    case = selectors.case_for_user(request.user, pk, write=Capability.CHANGE_CASE_STATUS)
    form = forms.StatusForm(
        request.POST, allowed=cases.MANUAL_TRANSITIONS.get(PrbCase.Status(case.status), set())
    )
    return _case_page_post(
        request,
        case,
        status_form=form,
        save=lambda: cases.case_status_change(
            actor=request.user,
            case=case,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
        ),
        success=_("Case status changed."),
    )


@login_required
@require_POST
def case_pustu(request: AuthedRequest, pk: int) -> HttpResponse:
    case = selectors.case_for_user(request.user, pk, write=Capability.ASSIGN_PUSTU)
    form = forms.PustuForm(request.POST, puskesmas_id=case.facility_id)
    return _case_page_post(
        request,
        case,
        pustu_form=form,
        save=lambda: cases.case_assign_pustu(
            actor=request.user, case=case, pustu=form.cleaned_data["pustu"]
        ),
        success=_("Pustu assignment saved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def care_plan_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    case = selectors.case_for_user(request.user, pk, write=Capability.EDIT_CARE_PLAN)
    plan = selectors.current_care_plan(case)
    if plan is None:
        raise Http404
    form = forms.CarePlanForm(request.POST or None, instance=plan)
    return case_form_page(
        request,
        case,
        form,
        save=lambda data: care_plans.care_plan_update(
            actor=request.user, plan=CarePlan.objects.get(pk=plan.pk), **data
        ),
        saved=_("Care plan saved."),
        title=_("Care plan"),
    )


@login_required
@require_POST
def monitoring_done(request: AuthedRequest, pk: int, item_pk: int) -> HttpResponse:
    case = selectors.case_for_user(request.user, pk, write=Capability.TICK_CARE_ITEMS)
    item = get_object_or_404(
        MonitoringItem,
        pk=item_pk,
        care_plan__case=case,
    )
    care_plans.monitoring_item_complete(actor=request.user, item=item)
    return redirect("referrals:case_detail", pk=case.pk)


@login_required
@require_POST
def self_management_tick(request: AuthedRequest, pk: int, item_pk: int) -> HttpResponse:
    case = selectors.case_for_user(request.user, pk, write=Capability.TICK_CARE_ITEMS)
    item = get_object_or_404(SelfManagementItem, pk=item_pk, care_plan__case=case)
    care_plans.self_management_tick(
        actor=request.user, item=item, taught=request.POST.get("taught") == "1"
    )
    if request.htmx:
        item.refresh_from_db()
        return render(request, "referrals/case_detail.html#self_item", {"case": case, "item": item})
    return redirect("referrals:case_detail", pk=case.pk)


@login_required
def patient_timeline(request: AuthedRequest, patient_pk: int) -> HttpResponse:
    policy.require(request.user, Capability.SEE_CASES)
    patient = patient_for_user(request.user, patient_pk)
    return render(
        request,
        "referrals/timeline.html",
        {
            "patient": patient,
            "entries": selectors.patient_timeline(user=request.user, patient=patient),
            "cases": PrbCase.objects.visible_to(request.user).filter(patient=patient),
        },
    )
