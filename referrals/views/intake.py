"""Intake: the letter inbox, receiving a back-referral letter (SRB), accepting or returning it, and the puskesmas's readiness."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import policy
from accounts.http import AuthedRequest
from accounts.policy import Capability
from patients.models import Patient
from patients.programs import Program
from patients.reads import patient_page
from patients.selectors import patient_for_user
from referrals import factfields, forms, kmk, selectors
from referrals.models import (
    BackReferralLetter,
)
from referrals.services import engine, facility_readiness, letters
from referrals.views.common import (
    PAGE_SIZE,
    own_facility,
    require_role,
    run_service,
)

# ---------------------------------------------------------------- intake


@login_required
def inbox(request: AuthedRequest) -> HttpResponse:
    require_role(request, Capability.SEE_REFERRALS)
    status = request.GET.get("status", "")
    if status not in BackReferralLetter.Status.values:
        status = ""
    rows = selectors.letter_list(user=request.user, status=status)
    page = patient_page(request, rows, patient="patient_id", per_page=PAGE_SIZE)
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
            evaluation = engine.back_referral_evaluate(
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


def _panel_context(request: AuthedRequest, form: forms.LetterForm) -> dict[str, Any]:
    form.is_valid()
    evaluation, problems = _evaluation_for(form)
    nik, bpjs = form.cleaned_data.get("nik"), form.cleaned_data.get("bpjs_number")
    known = None
    if nik or bpjs:
        match = Q(nik=nik) if nik else Q()
        if bpjs:
            match = match | Q(bpjs_number=bpjs) if nik else Q(bpjs_number=bpjs)
        known = Patient.objects.visible_to(request.user).filter(match).first()
    facility_id = request.user.facility_id
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
    request: AuthedRequest,
    form: forms.LetterForm,
    formset: Any,
    panel: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {"form": form, "formset": formset, **(panel or {"evaluation": None})}
    return render(request, "referrals/letter_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def letter_create(request: AuthedRequest) -> HttpResponse:
    require_role(request, Capability.RECEIVE_LETTER)
    if request.method == "GET":
        initial: dict[str, Any] = {k: v for k, v in request.GET.items() if k != "patient"}
        if request.GET.get("patient"):
            patient = patient_for_user(request.user, int(request.GET["patient"]))
            initial.update(
                asdict(letters.PatientInput.of(patient)),
                phone=patient.phone,
                address=patient.address,
            )
        form = forms.LetterForm(initial=initial)
        if request.htmx:
            return render(request, "referrals/letter_form.html#facts", {"form": form})
        return _letter_form_page(request, form, forms.LetterMedicineFormSet(prefix="med"))
    form = forms.LetterForm(request.POST)
    formset = forms.LetterMedicineFormSet(request.POST, prefix="med")
    if request.POST.get("action") == "check":  # the no-JS "check the criteria" button
        return _letter_form_page(request, form, formset, _panel_context(request, form))
    if form.is_valid() and formset.is_valid():
        letter = run_service(
            request,
            form,
            lambda: letters.letter_receive(
                actor=request.user,
                letter=letters.LetterInput(
                    facility=own_facility(request),
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
                ),
            ),
            success=lambda letter: (
                _("Back-referral letter %(n)s saved; it awaits the decision.") % {"n": letter}
            ),
        )
        if letter:
            return redirect("referrals:letter_detail", pk=letter.pk)
    return _letter_form_page(request, form, formset, _panel_context(request, form), status=400)


@login_required
@require_POST
def letter_evaluate(request: AuthedRequest) -> HttpResponse:
    """The live criteria panel: the intake form posts here on change (htmx)."""
    require_role(request, Capability.RECEIVE_LETTER)
    form = forms.LetterForm(request.POST)
    context = _panel_context(request, form)
    return render(request, "referrals/letter_form.html#panel", {"form": form, **context})


def letter_context(request: AuthedRequest, letter: BackReferralLetter) -> dict[str, Any]:
    return {
        "letter": letter,
        "evaluation": letter.evaluation,
        "medicines": letter.medicines.select_related("medicine"),
        "readiness": selectors.facility_readiness(
            facility_id=letter.facility_id, program=letter.program
        ),
        "can_decide": policy.can(request.user, Capability.DECIDE_LETTER)
        and letter.status == BackReferralLetter.Status.RECEIVED
        and letter.facility_id == getattr(request.user, "facility_id", None),
    }


@login_required
def letter_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    letter = selectors.letter_for_user(request.user, pk)
    context = letter_context(request, letter)
    context["accept_form"] = forms.AcceptForm(
        initial={"control_interval_days": kmk.CONTROL_INTERVAL_DAYS},
        readiness=context["readiness"],
    )
    context["return_form"] = forms.ReturnForm()
    return render(request, "referrals/letter_detail.html", context)


@login_required
@require_POST
def letter_accept(request: AuthedRequest, pk: int) -> HttpResponse:
    letter = selectors.letter_for_user(request.user, pk, write=Capability.DECIDE_LETTER)
    context = letter_context(request, letter)
    form = forms.AcceptForm(request.POST, readiness=context["readiness"])
    case = run_service(
        request,
        form,
        lambda: letters.letter_accept(
            actor=request.user,
            letter=letter,
            override_reason=form.cleaned_data["override_reason"],
            control_interval_days=form.cleaned_data["control_interval_days"],
            readiness_plan=form.readiness_plan(),
        ),
        success=_("The patient is enrolled in PRB."),
    )
    if case:
        return redirect("referrals:case_detail", pk=case.pk)
    context.update(accept_form=form, return_form=forms.ReturnForm())
    return render(request, "referrals/letter_detail.html", context, status=400)


@login_required
@require_POST
def letter_return(request: AuthedRequest, pk: int) -> HttpResponse:
    letter = selectors.letter_for_user(request.user, pk, write=Capability.DECIDE_LETTER)
    form = forms.ReturnForm(request.POST)
    returned = run_service(
        request,
        form,
        lambda: letters.letter_return(
            actor=request.user, letter=letter, reasons=form.cleaned_data["return_reasons"]
        ),
        success=_("The referral was returned to the hospital."),
    )
    if returned:
        return redirect("referrals:letter_detail", pk=letter.pk)
    context = letter_context(request, letter)
    context.update(accept_form=forms.AcceptForm(readiness=context["readiness"]), return_form=form)
    return render(request, "referrals/letter_detail.html", context, status=400)


# ---------------------------------------------------------------- facility readiness


@login_required
def readiness(request: AuthedRequest) -> HttpResponse:
    require_role(request, Capability.SEE_READINESS)
    facility_id = own_facility(request).home_puskesmas_id
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
def readiness_edit(request: AuthedRequest, program: str) -> HttpResponse:
    require_role(request, Capability.EDIT_READINESS)
    if program not in kmk.RESOURCES:
        raise Http404
    facility = own_facility(request)
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
        facility_readiness.readiness_update(
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
