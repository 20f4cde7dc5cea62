from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from accounts import policy
from accounts.http import AuthedRequest
from accounts.policy import Capability
from common.htmx import render_page
from facilities.models import Facility
from patients import selectors, services
from patients.forms import PatientForm, PatientSearchForm
from patients.models import Patient, PatientAccessLog
from patients.reads import patient_page

PAGE_SIZE = 25


def _staff_puskesmas(request: AuthedRequest) -> Facility:
    user = request.user
    policy.require(user, Capability.REGISTER_PATIENT)
    if user.facility is None:  # a superuser without a facility
        raise PermissionDenied
    return user.facility


@login_required
@vary_on_headers("HX-Request")
def patient_list(request: AuthedRequest) -> HttpResponse:
    policy.require(request.user, Capability.SEE_PATIENTS)
    form = PatientSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    rows = selectors.patient_list(user=request.user, query=query)
    page = patient_page(request, rows, patient="pk", per_page=PAGE_SIZE)
    context = {"form": form, "page": page, "query": query}
    return render_page(request, "patients/patient_list.html", context)


@login_required
def patient_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    patient = selectors.patient_for_user(request.user, pk)
    return render(request, "patients/patient_detail.html", {"patient": patient})


@login_required
@require_http_methods(["GET", "POST"])
def patient_create(request: AuthedRequest) -> HttpResponse:
    puskesmas = _staff_puskesmas(request)
    form = PatientForm(request.POST or None, puskesmas=puskesmas)
    form.instance.fktp = puskesmas
    if request.method == "POST" and form.is_valid():
        try:
            patient = services.patient_create(
                actor=request.user, fktp=puskesmas, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Patient %(name)s registered.") % {"name": patient.name})
            return redirect("patients:detail", pk=patient.pk)
    return render(request, "patients/patient_form.html", {"form": form, "patient": None})


@login_required
@require_http_methods(["GET", "POST"])
def patient_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    patient = selectors.patient_for_user(request.user, pk, write=Capability.REGISTER_PATIENT)
    form = PatientForm(request.POST or None, instance=patient, puskesmas=patient.fktp)
    if request.method == "POST" and form.is_valid():
        try:
            services.patient_update(
                actor=request.user,
                patient=Patient.objects.get(pk=patient.pk),
                **{f: form.cleaned_data[f] for f in form.changed_data},
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Patient data saved."))
            return redirect("patients:detail", pk=patient.pk)
    return render(request, "patients/patient_form.html", {"form": form, "patient": patient})


@login_required
def patient_audit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Who opened or changed this patient's record: for the facility's administrator."""
    patient = selectors.patient_for_user(request.user, pk)
    policy.require(request.user, Capability.SEE_AUDIT_TRAIL)
    # The reads of the one patient whose record this page is (itself logged as a read).
    accesses = patient_page(
        request, selectors.patient_access_logs(patient=patient), patient=None, per_page=50
    )
    labels = dict(PatientAccessLog.Action.choices)
    for row in accesses:
        row["action_label"] = labels.get(row["action"], row["action"])
    context = {
        "patient": patient,
        "accesses": accesses,
        "changes": selectors.patient_change_events(patient=patient),
    }
    return render(request, "patients/patient_audit.html", context)
