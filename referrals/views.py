"""Referral intake, PRB cases, control visits, re-referral and printables.

Every object is fetched through its access helper (404 outside the user's
scope); writes are POST-only and go through ``referrals.services``. Pages work
without JavaScript; htmx only swaps partials.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from facilities.models import Facility
from patients.models import Patient, PatientAccessLog
from patients.programs import Program
from patients.selectors import patient_for_user
from patients.services import patient_record_access
from referrals import factfields, forms, kmk, selectors, services
from referrals.models import (
    BackReferralLetter,
    CarePlan,
    MonitoringItem,
    PrbCase,
    SelfManagementItem,
)

PAGE_SIZE = 25
INTAKE_ROLES = {"dokter", "perawat", "admin"}
DOCTOR_ROLES = {"dokter"}


def _require_role(request: HttpRequest, roles: set[str]) -> None:
    user = request.user
    if user.is_superuser:  # type: ignore[union-attr]
        return
    if not user.is_facility_staff or user.role not in roles:  # type: ignore[union-attr]
        raise PermissionDenied


def _own_facility(request: HttpRequest) -> Facility:
    facility = getattr(request.user, "facility", None)
    if facility is None:  # e.g. a superuser without a facility: nowhere to receive
        raise PermissionDenied
    return facility


def _is_doctor(user: Any) -> bool:
    return user.is_superuser or (user.is_facility_staff and user.role in DOCTOR_ROLES)


# ---------------------------------------------------------------- intake


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in BackReferralLetter.Status.values:
        status = ""
    page = Paginator(selectors.letter_list(user=request.user, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "referrals/inbox.html",
        {"page": page, "status": status, "statuses": BackReferralLetter.Status.choices},
    )


def _evaluation_for(form: forms.LetterForm) -> tuple[dict | None, list[str]]:
    """Evaluate what is valid so far; facts the engine refuses are listed and left out."""
    data = form.cleaned_data
    facts = form.fact_values()
    general: dict[str, Any] = {**form.attestations(), "comorbidities": form.comorbidities()}
    problems = [
        f"{form.fields[name].label}: {error}"
        for name, errors in form.errors.items()
        if name.startswith(factfields.PREFIX) or name.startswith("comorbidity_")
        for error in errors
    ]
    for _attempt in range(2):
        try:
            evaluation = services.back_referral_evaluate(
                program=form.program_code,
                sex=data.get("sex") or None,
                birth_date=data.get("birth_date"),
                general=general,
                facts=facts,
            )
            return evaluation, problems
        except ValidationError as exc:
            for path, messages_ in exc.message_dict.items():
                field = factfields.field_for_path(path)
                label = form.fields[field].label if field in form.fields else path
                problems.extend(f"{label}: {message}" for message in messages_)
                if path.startswith("facts."):
                    facts.pop(path.split(".")[1].split("[")[0], None)
                elif path.startswith("general.comorbidities"):
                    general["comorbidities"] = []
                elif path.startswith("patient."):
                    data.pop(path.split(".")[1], None)
    return None, problems


def _panel_context(request: HttpRequest, form: forms.LetterForm) -> dict[str, Any]:
    form.is_valid()
    evaluation, problems = _evaluation_for(form)
    nik, bpjs = form.cleaned_data.get("nik"), form.cleaned_data.get("bpjs_number")
    known = None
    if nik or bpjs:
        match = Q(nik=nik) if nik else Q()
        if bpjs:
            match = match | Q(bpjs_number=bpjs) if nik else Q(bpjs_number=bpjs)
        known = Patient.objects.visible_to(request.user).filter(match).first()
    facility_id = request.user.facility_id  # type: ignore[union-attr]
    return {
        "evaluation": evaluation,
        "problems": problems,
        "known_patient": known,
        "readiness": (
            selectors.facility_readiness(facility_id=facility_id, program=form.program_code)
            if facility_id
            else None
        ),
    }


def _letter_form_page(
    request: HttpRequest,
    form: forms.LetterForm,
    formset: Any,
    panel: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {"form": form, "formset": formset, **(panel or {"evaluation": None})}
    return render(request, "referrals/letter_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def letter_create(request: HttpRequest) -> HttpResponse:
    _require_role(request, INTAKE_ROLES)
    if request.method == "GET":
        initial: dict[str, Any] = {k: v for k, v in request.GET.items() if k != "patient"}
        if request.GET.get("patient"):
            patient = patient_for_user(request.user, int(request.GET["patient"]))
            initial.update(
                nik=patient.nik,
                bpjs_number=patient.bpjs_number,
                name=patient.name,
                sex=patient.sex,
                birth_date=patient.birth_date,
                phone=patient.phone,
                address=patient.address,
            )
        form = forms.LetterForm(initial=initial)
        if request.htmx:  # type: ignore[attr-defined]
            return render(request, "referrals/letter_form.html#facts", {"form": form})
        return _letter_form_page(request, form, forms.LetterMedicineFormSet(prefix="med"))
    form = forms.LetterForm(request.POST)
    formset = forms.LetterMedicineFormSet(request.POST, prefix="med")
    if request.POST.get("action") == "check":  # the no-JS "check the criteria" button
        return _letter_form_page(request, form, formset, _panel_context(request, form))
    if form.is_valid() and formset.is_valid():
        try:
            letter = services.letter_receive(
                actor=request.user,
                facility=_own_facility(request),
                hospital=form.cleaned_data["hospital"],
                dpjp_name=form.cleaned_data["dpjp_name"],
                srb_number=form.cleaned_data["srb_number"],
                sep_number=form.cleaned_data["sep_number"],
                letter_date=form.cleaned_data["letter_date"],
                patient=form.patient_input(),
                program=form.cleaned_data["program"],
                icd10=form.cleaned_data["icd10"],
                comorbidities=form.comorbidities(),
                attestations=form.attestations(),
                clinical_resume=form.cleaned_data["clinical_resume"],
                management_plan=form.cleaned_data["management_plan"],
                next_hospital_review=form.cleaned_data["next_hospital_review"],
                facts=form.fact_values(),
                medicines=forms.letter_medicine_inputs(formset),
            )
        except ValidationError as exc:
            forms.put_errors(form, exc)
        else:
            messages.success(request, _("Back-referral letter %(n)s received.") % {"n": letter})
            return redirect("referrals:letter_detail", pk=letter.pk)
    return _letter_form_page(request, form, formset, _panel_context(request, form), status=400)


@login_required
@require_POST
def letter_evaluate(request: HttpRequest) -> HttpResponse:
    """The live criteria panel: the intake form posts here on change (htmx)."""
    _require_role(request, INTAKE_ROLES)
    form = forms.LetterForm(request.POST)
    context = _panel_context(request, form)
    return render(request, "referrals/letter_form.html#panel", {"form": form, **context})


def _letter_context(request: HttpRequest, letter: BackReferralLetter) -> dict[str, Any]:
    return {
        "letter": letter,
        "evaluation": letter.evaluation,
        "medicines": letter.medicines.select_related("medicine"),
        "readiness": selectors.facility_readiness(
            facility_id=letter.facility_id, program=letter.program
        ),
        "can_decide": _is_doctor(request.user)
        and letter.status == BackReferralLetter.Status.RECEIVED
        and letter.facility_id == getattr(request.user, "facility_id", None),
    }


@login_required
def letter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    letter = selectors.letter_for_user(request.user, pk)
    patient_record_access(user=request.user, patient=letter.patient, path=request.path)
    context = _letter_context(request, letter)
    context["accept_form"] = forms.AcceptForm(
        initial={
            "control_interval_days": kmk.CONTROL_INTERVAL_DAYS,
        }
    )
    context["return_form"] = forms.ReturnForm()
    return render(request, "referrals/letter_detail.html", context)


@login_required
@require_POST
def letter_accept(request: HttpRequest, pk: int) -> HttpResponse:
    letter = selectors.letter_for_user(request.user, pk)
    _require_role(request, DOCTOR_ROLES)
    form = forms.AcceptForm(request.POST)
    if form.is_valid():
        try:
            case = services.letter_accept(
                actor=request.user,
                letter=letter,
                override_reason=form.cleaned_data["override_reason"],
                control_interval_days=form.cleaned_data["control_interval_days"],
            )
        except ValidationError as exc:
            forms.put_errors(form, exc)
        else:
            messages.success(request, _("The patient is enrolled in PRB."))
            return redirect("referrals:case_detail", pk=case.pk)
    context = _letter_context(request, letter)
    context.update(accept_form=form, return_form=forms.ReturnForm())
    return render(request, "referrals/letter_detail.html", context, status=400)


@login_required
@require_POST
def letter_return(request: HttpRequest, pk: int) -> HttpResponse:
    letter = selectors.letter_for_user(request.user, pk)
    _require_role(request, DOCTOR_ROLES)
    form = forms.ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.letter_return(
                actor=request.user, letter=letter, reasons=form.cleaned_data["return_reasons"]
            )
        except ValidationError as exc:
            forms.put_errors(form, exc)
        else:
            messages.success(request, _("The referral was returned to the hospital."))
            return redirect("referrals:letter_detail", pk=letter.pk)
    context = _letter_context(request, letter)
    context.update(accept_form=forms.AcceptForm(), return_form=form)
    return render(request, "referrals/letter_detail.html", context, status=400)


@login_required
def letter_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    letter = selectors.letter_for_user(request.user, pk)
    patient_record_access(
        user=request.user,
        patient=letter.patient,
        action=PatientAccessLog.Action.EXPORT,
        path=request.path,
    )
    return render(request, "referrals/print_receipt.html", _letter_context(request, letter))


# ---------------------------------------------------------------- cases


@login_required
@vary_on_headers("HX-Request")
def case_list(request: HttpRequest) -> HttpResponse:
    form = forms.CaseFilterForm(request.GET)
    query = status = ""
    if form.is_valid():
        query, status = form.cleaned_data["q"], form.cleaned_data["status"]
    page = Paginator(
        selectors.case_list(user=request.user, status=status, query=query), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    template = "referrals/case_list.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#results"
    return render(request, template, {"form": form, "page": page, "query": query})


@login_required
def worklist(request: HttpRequest) -> HttpResponse:
    today = services.local_today()
    page = Paginator(selectors.worklist(user=request.user, today=today), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "referrals/worklist.html", {"page": page, "today": today})


def _case_context(request: HttpRequest, case: PrbCase) -> dict[str, Any]:
    plan = selectors.current_care_plan(case)
    return {
        "case": case,
        "plan": plan,
        "visits": selectors.visit_list(case=case)[:12],
        "open_rereferral": selectors.open_rereferral(case),
        "is_doctor": _is_doctor(request.user),
        "status_form": forms.StatusForm(
            allowed=services.MANUAL_TRANSITIONS.get(case.status, set())
        ),
        "pustu_form": forms.PustuForm(
            initial={"pustu": case.patient.pustu_id}, puskesmas_id=case.facility_id
        ),
        "readiness": selectors.facility_readiness(
            facility_id=case.facility_id, program=case.program
        ),
        "today": services.local_today(),
    }


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for_user(request.user, pk)
    patient_record_access(user=request.user, patient=case.patient, path=request.path)
    return render(request, "referrals/case_detail.html", _case_context(request, case))


@login_required
@require_POST
def case_status(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for_user(request.user, pk)
    _require_role(request, DOCTOR_ROLES)
    form = forms.StatusForm(
        request.POST, allowed=services.MANUAL_TRANSITIONS.get(case.status, set())
    )
    if form.is_valid():
        try:
            services.case_status_change(
                actor=request.user,
                case=case,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            forms.put_errors(form, exc)
        else:
            messages.success(request, _("Case status changed."))
            return redirect("referrals:case_detail", pk=case.pk)
    context = _case_context(request, case)
    context["status_form"] = form
    return render(request, "referrals/case_detail.html", context, status=400)


@login_required
@require_POST
def case_pustu(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for_user(request.user, pk)
    _require_role(request, INTAKE_ROLES)
    form = forms.PustuForm(request.POST, puskesmas_id=case.facility_id)
    if form.is_valid():
        try:
            services.case_assign_pustu(
                actor=request.user, case=case, pustu=form.cleaned_data["pustu"]
            )
        except ValidationError as exc:
            forms.put_errors(form, exc)
        else:
            messages.success(request, _("Pustu assignment saved."))
            return redirect("referrals:case_detail", pk=case.pk)
    context = _case_context(request, case)
    context["pustu_form"] = form
    return render(request, "referrals/case_detail.html", context, status=400)


def _case_form(
    request: HttpRequest,
    case: PrbCase,
    form: Any,
    *,
    save: Callable[[dict[str, Any]], object],
    saved: str,
    title: str,
) -> HttpResponse:
    """A small form about one case: on a valid POST save and go back to the case,
    else show the form (with what was typed and the errors) on the shared page."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            forms.put_errors(form, exc)
        else:
            messages.success(request, saved)
            return redirect("referrals:case_detail", pk=case.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "referrals/simple_form.html",
        {"case": case, "form": form, "title": title},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def care_plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for_user(request.user, pk)
    _require_role(request, INTAKE_ROLES)
    plan = selectors.current_care_plan(case)
    if plan is None:
        raise Http404
    form = forms.CarePlanForm(request.POST or None, instance=plan)
    return _case_form(
        request,
        case,
        form,
        save=lambda data: services.care_plan_update(
            actor=request.user, plan=CarePlan.objects.get(pk=plan.pk), **data
        ),
        saved=_("Care plan saved."),
        title=_("Care plan"),
    )


@login_required
@require_POST
def monitoring_done(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    case = selectors.case_for_user(request.user, pk)
    item = get_object_or_404(
        MonitoringItem,
        pk=item_pk,
        care_plan__case=case,
    )
    services.monitoring_item_complete(actor=request.user, item=item)
    return redirect("referrals:case_detail", pk=case.pk)


@login_required
@require_POST
def self_management_tick(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    case = selectors.case_for_user(request.user, pk)
    item = get_object_or_404(SelfManagementItem, pk=item_pk, care_plan__case=case)
    services.self_management_tick(
        actor=request.user, item=item, taught=request.POST.get("taught") == "1"
    )
    if request.htmx:  # type: ignore[attr-defined]
        item.refresh_from_db()
        return render(request, "referrals/case_detail.html#self_item", {"case": case, "item": item})
    return redirect("referrals:case_detail", pk=case.pk)


@login_required
def case_card(request: HttpRequest, pk: int) -> HttpResponse:
    """The patient's control card: schedule and self-management advice, for printing."""
    case = selectors.case_for_user(request.user, pk)
    patient_record_access(
        user=request.user,
        patient=case.patient,
        action=PatientAccessLog.Action.EXPORT,
        path=request.path,
    )
    plan = selectors.current_care_plan(case)
    dates = []
    if case.next_control_date and plan:
        step = plan.control_interval_days
        dates = [case.next_control_date + dt.timedelta(days=step * i) for i in range(6)]
    return render(
        request,
        "referrals/print_card.html",
        {"case": case, "plan": plan, "control_dates": dates},
    )


@login_required
def patient_timeline(request: HttpRequest, patient_pk: int) -> HttpResponse:
    patient = patient_for_user(request.user, patient_pk)
    patient_record_access(user=request.user, patient=patient, path=request.path)
    return render(
        request,
        "referrals/timeline.html",
        {
            "patient": patient,
            "entries": selectors.patient_timeline(user=request.user, patient=patient),
            "cases": PrbCase.objects.visible_to(request.user).filter(patient=patient),
        },
    )


# ---------------------------------------------------------------- visits


def _initial_lines(case: PrbCase) -> list[dict[str, Any]]:
    return [
        {"medicine": entry["medicine"], "quantity": entry["quantity"], "signa": entry["signa"]}
        for entry in case.current_regimen
    ]


@login_required
@require_http_methods(["GET", "POST"])
def visit_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for_user(request.user, pk)
    _require_role(request, DOCTOR_ROLES)
    if request.method == "GET":
        form = forms.VisitForm(case=case, initial={"visit_date": services.local_today()})
        initial_lines = _initial_lines(case)
        formset = forms.VisitLineFormSet(prefix="rx", initial=initial_lines)
        return render(
            request, "referrals/visit_form.html", {"case": case, "form": form, "formset": formset}
        )
    form = forms.VisitForm(request.POST, case=case)
    formset = forms.VisitLineFormSet(request.POST, prefix="rx")
    if form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            visit = services.visit_record(
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
                dpjp_approval=data["dpjp_approval"],
            )
        except ValidationError as exc:
            forms.put_errors(form, exc)
        else:
            messages.success(request, _("Control visit saved."))
            return redirect("referrals:visit_detail", pk=visit.pk)
    return render(
        request,
        "referrals/visit_form.html",
        {"case": case, "form": form, "formset": formset},
        status=400,
    )


@login_required
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_for_user(request.user, pk)
    patient_record_access(user=request.user, patient=visit.case.patient, path=request.path)
    lines = visit.prescription.lines.select_related("medicine") if visit.prescription else []
    return render(
        request,
        "referrals/visit_detail.html",
        {
            "visit": visit,
            "case": visit.case,
            "lines": lines,
            "is_doctor": _is_doctor(request.user),
        },
    )


# ---------------------------------------------------------------- re-referral


@login_required
@require_http_methods(["GET", "POST"])
def rereferral_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for_user(request.user, pk)
    _require_role(request, DOCTOR_ROLES)
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
            initial={"referred_on": services.local_today(), "clause_ids": triggered},
        )
        return render(
            request, "referrals/rereferral_form.html", {"case": case, "form": form, "visit": visit}
        )
    form = forms.ReReferralForm(request.POST, case=case)
    if form.is_valid():
        try:
            referral = services.rereferral_create(
                actor=request.user,
                case=case,
                hospital=form.cleaned_data["hospital"],
                referred_on=form.cleaned_data["referred_on"],
                clause_ids=form.cleaned_data["clause_ids"],
                doctor_reason=form.cleaned_data["doctor_reason"],
                visit=visit,
            )
        except ValidationError as exc:
            forms.put_errors(form, exc)
        else:
            messages.success(request, _("Re-referral letter %(n)s created.") % {"n": referral})
            return redirect("referrals:rereferral_letter", pk=referral.pk)
    return render(
        request,
        "referrals/rereferral_form.html",
        {"case": case, "form": form, "visit": visit},
        status=400,
    )


@login_required
def rereferral_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable re-referral letter with the case's history."""
    referral = selectors.rereferral_for_user(request.user, pk)
    case = referral.case
    patient_record_access(
        user=request.user,
        patient=case.patient,
        action=PatientAccessLog.Action.EXPORT,
        path=request.path,
    )
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


# ---------------------------------------------------------------- Pustu and contacts


@login_required
@require_http_methods(["GET", "POST"])
def home_visit_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for_user(request.user, pk)
    _require_role(request, {"dokter", "perawat", "pustu", "admin"})
    form = forms.HomeVisitForm(
        request.POST or None,
        initial={
            "visited_on": services.local_today(),
            "visitor_name": request.user.get_full_name(),  # type: ignore[union-attr]
            "visitor_role": "pustu" if request.user.role == "pustu" else "perawat",  # type: ignore[union-attr]
        },
    )
    return _case_form(
        request,
        case,
        form,
        save=lambda data: services.home_visit_record(actor=request.user, case=case, **data),
        saved=_("Home visit saved."),
        title=_("Home visit"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_attempt_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for_user(request.user, pk)
    _require_role(request, {"dokter", "perawat", "pustu", "admin"})
    form = forms.ContactAttemptForm(request.POST or None)
    return _case_form(
        request,
        case,
        form,
        save=lambda data: services.contact_attempt_record(actor=request.user, case=case, **data),
        saved=_("Contact attempt saved."),
        title=_("Contact attempt"),
    )


# ---------------------------------------------------------------- facility readiness


@login_required
def readiness(request: HttpRequest) -> HttpResponse:
    _require_role(request, {"dokter", "perawat", "admin", "farmasi"})
    facility_id = _own_facility(request).home_puskesmas_id
    return render(
        request,
        "referrals/readiness.html",
        {
            "rows": selectors.readiness_overview(facility_id=facility_id),
            "programs": dict(Program.choices),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def readiness_edit(request: HttpRequest, program: str) -> HttpResponse:
    _require_role(request, {"dokter", "admin"})
    if program not in kmk.RESOURCES:
        raise Http404
    facility = _own_facility(request)
    current = selectors.facility_readiness(facility_id=facility.pk, program=program)
    form = forms.ReadinessForm(
        request.POST or None,
        program=program,
        initial={
            "available": [code for code, _text, ok in current.items if ok],
            "note": current.note,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.readiness_update(
            actor=request.user,
            facility=facility,
            program=program,
            available=form.cleaned_data["available"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("Readiness checklist saved."))
        return redirect("referrals:readiness")
    return render(
        request,
        "referrals/readiness_form.html",
        {
            "form": form,
            "program": program,
            "program_label": Program(program).label,
            "clause": kmk.resources_clause(program),
        },
    )
