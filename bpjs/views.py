"""BPJS pages: settings, the SRB fill of the intake form, participant check, the send queue,
Apotek Online claims and the medicine mapping. Every page is scoped to the user's puskesmas
(404 outside it); writes are POST-only and go through ``bpjs.services``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST

from accounts import policy
from accounts.http import AuthedRequest
from accounts.policy import Capability
from bpjs import forms, selectors, services
from bpjs.models import ApotekClaimOutbox, BpjsCredentials, BpjsMedicine, PCareVisitOutbox
from common.htmx import render_page
from facilities.models import Facility
from interop.errors import InteropError
from interop.models import OutboxState
from interop.services import outbox_retry
from patients.reads import patient_page
from patients.selectors import patient_for_user
from referrals import views as referral_views

PAGE_SIZE = 25
OUTBOXES: dict[str, type[PCareVisitOutbox] | type[ApotekClaimOutbox]] = {
    "pcare": PCareVisitOutbox,
    "apotek": ApotekClaimOutbox,
}
RESEND = {"pcare": Capability.RESEND_PCARE, "apotek": Capability.RESEND_APOTEK_CLAIMS}


def _puskesmas(request: AuthedRequest, capability: Capability) -> Facility:
    """The user's puskesmas (a Pustu works under its puskesmas), if the policy lets the
    user be here."""
    user = request.user
    policy.require(user, capability)
    facility = getattr(user, "facility", None)
    if facility is None:
        raise PermissionDenied
    home = facility.parent if facility.kind == Facility.Kind.PUSTU and facility.parent else facility
    if home.kind not in Facility.PRIMARY_CARE:  # hospitals and pharmacies have no PCare
        raise PermissionDenied
    return home


# ---------------------------------------------------------------- settings


@sensitive_variables()
@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "POST"])
def credentials_edit(request: AuthedRequest) -> HttpResponse:
    facility = _puskesmas(request, Capability.MANAGE_INTEGRATIONS)
    stored = BpjsCredentials.objects.filter(facility=facility).first()
    form = forms.CredentialsForm(request.POST or None, instance=stored)
    if request.method == "POST" and form.is_valid():
        services.bpjs_credentials_update(
            actor=request.user, facility=facility, values=form.cleaned_data
        )
        messages.success(request, _("BPJS settings saved."))
        return redirect("bpjs:credentials")
    return render(
        request,
        "bpjs/credentials.html",
        {"form": form, "facility": facility, "stored": stored},
        status=400 if form.errors else 200,
    )


# ---------------------------------------------------------------- SRB → intake form


@login_required
@require_POST
def srb_fill(request: AuthedRequest) -> HttpResponse:
    """Fill the intake form from VClaim, then show it as "check the criteria" does.

    Posted from the intake form (htmx or a plain submit): what the doctor typed stays,
    what VClaim knows is filled in, nothing is saved.
    """
    facility = _puskesmas(request, Capability.RECEIVE_LETTER)
    if request.headers.get("HX-Trigger") == "letter-form":
        # Leaving the SEP field for the button fires the form's live check, which htmx
        # sends to the clicked button's formaction; the fill itself answers with the whole
        # form and panel, so this request has nothing to add.
        return HttpResponse(status=204)
    data = request.POST.copy()
    try:
        letter = services.srb_fetch(
            facility=facility,
            srb_number=data.get("srb_number", ""),
            sep_number=data.get("sep_number", ""),
        )
    except InteropError as exc:
        messages.error(request, exc.message)
    else:
        services.srb_form_data(letter, data)
        messages.success(
            request,
            _("The letter was filled from BPJS VClaim; check it and complete the clinical facts."),
        )
        for note in [
            *services.srb_participant_notes(letter, data, facility=facility),
            *services.srb_notes(letter),
        ]:
            messages.warning(request, note)
    data["action"] = "check"
    request.POST = data  # type: ignore[assignment]
    return referral_views.letter_create(request)


# ---------------------------------------------------------------- participant check


@login_required
def participant_check(request: AuthedRequest) -> HttpResponse:
    """PCare ``peserta``: card active? registered at which FKTP? (intake and each visit)."""
    facility = _puskesmas(request, Capability.SEE_BPJS_QUEUE)
    patient = None
    if request.GET.get("patient"):
        patient = patient_for_user(request.user, int(request.GET["patient"]))
    card = patient.bpjs_number if patient else request.GET.get("bpjs_number", "")
    nik = patient.nik if patient else request.GET.get("nik", "")
    context: dict[str, Any] = {"facility": facility, "patient": patient}
    try:
        participant = services.participant_fetch(facility=facility, card_number=card, nik=nik)
    except InteropError as exc:
        context["error"] = exc.message
    else:
        context["participant"] = participant
        context["elsewhere"] = participant.registered_elsewhere(facility)
        if patient is not None:
            services.participant_check_record(patient=patient, participant=participant)
    return render_page(request, "bpjs/participant.html", context, partial="result")


# ---------------------------------------------------------------- queue


@login_required
def queue(request: AuthedRequest) -> HttpResponse:
    facility = _puskesmas(request, Capability.SEE_BPJS_QUEUE)
    kind = request.GET.get("jenis", "pcare")
    if kind not in OUTBOXES:
        raise Http404
    state = request.GET.get("status", "")
    rows: Any = OUTBOXES[kind].objects.filter(facility=facility)
    if state in OutboxState.values:
        rows = rows.filter(state=state)
    if kind == "pcare":
        rows = rows.select_related("visit__case__patient")
    else:
        rows = rows.select_related("prescription__patient")
    counts = {
        k: {s: model.objects.filter(facility=facility, state=s).count() for s in OutboxState.values}
        for k, model in OUTBOXES.items()
    }
    page = patient_page(
        request,
        rows.order_by("-created_at", "-id"),
        patient="visit.case.patient_id" if kind == "pcare" else "prescription.patient_id",
        per_page=PAGE_SIZE,
    )
    return render(
        request,
        "bpjs/queue.html",
        {
            "facility": facility,
            "kind": kind,
            "state": state,
            "states": OutboxState.choices,
            "page": page,
            "counts": counts,
            "can_resend": policy.can(request.user, RESEND[kind]),
        },
    )


@login_required
@require_POST
def queue_resend(request: AuthedRequest, kind: str, pk: int) -> HttpResponse:
    if kind not in OUTBOXES:
        raise Http404
    facility = _puskesmas(request, Capability.SEE_BPJS_QUEUE)
    row = get_object_or_404(OUTBOXES[kind], pk=pk, facility=facility)
    policy.require(request.user, RESEND[kind])
    if row.state == OutboxState.SENT:
        messages.info(request, _("Already sent; nothing to resend."))
    elif outbox_retry(row=row):
        messages.success(request, _("Queued to send again."))
    else:
        messages.warning(request, _("Being sent right now; look again in a few minutes."))
    return redirect(f"{reverse('bpjs:queue')}?jenis={kind}")


# ---------------------------------------------------------------- Apotek Online claims


@login_required
@require_http_methods(["GET", "POST"])
def apotek_claims(request: AuthedRequest) -> HttpResponse:
    facility = _puskesmas(request, Capability.SEE_CLAIMS)
    today = timezone.localdate()
    form = forms.MonthForm(request.GET or {"month": f"{today:%Y-%m}"})
    month = form.cleaned_data["month"] if form.is_valid() else today.replace(day=1)
    month = month.replace(day=1)
    if request.method == "POST":
        queued = services.apotek_claims_submit(actor=request.user, facility=facility, month=month)
        messages.success(
            request,
            _("%(n)s prescriptions queued for Apotek Online.") % {"n": queued},
        )
        return redirect(f"{request.path}?month={month:%Y-%m}")
    rows = services.apotek_claim_rows(facility=facility, month=month)
    context: dict[str, Any] = {"facility": facility, "form": form, "month": month, "rows": rows}
    if request.GET.get("monitoring"):
        try:
            context["reconciliation"] = services.apotek_monitoring_reconcile(
                facility=facility, month=month
            )
        except InteropError as exc:
            context["monitoring_error"] = exc.message
    return render(request, "bpjs/apotek_claims.html", context)


# ---------------------------------------------------------------- medicine mapping


@login_required
@require_http_methods(["GET", "POST"])
def medicine_mapping(request: AuthedRequest) -> HttpResponse:
    """The district pharmacist maps BPJS's PRB medicine codes to the formulary."""
    policy.require(request.user, Capability.MAP_BPJS_MEDICINES)
    if request.method == "POST":
        form = forms.MedicineMappingForm(request.POST)
        if form.is_valid():
            services.bpjs_medicine_map(
                actor=request.user,
                bpjs_medicine=form.cleaned_data["bpjs_medicine"],
                medicine=form.cleaned_data["medicine"],
            )
            messages.success(request, _("Mapping saved."))
        else:
            messages.error(request, _("Choose a formulary medicine from the list."))
        return redirect(request.get_full_path())
    rows = BpjsMedicine.objects.select_related("medicine")
    if request.GET.get("belum"):
        rows = rows.filter(medicine__isnull=True)
    if query := request.GET.get("q", "").strip():
        rows = rows.filter(name__icontains=query) | rows.filter(code__startswith=query)
    page = patient_page(request, rows.order_by("name", "code"), patient=None, per_page=PAGE_SIZE)
    medicines = list(selectors.formulary_choices())
    return render(
        request,
        "bpjs/medicine_mapping.html",
        {
            "page": page,
            "medicines": medicines,
            "query": query,
            "unmapped_only": bool(request.GET.get("belum")),
        },
    )
