"""The prescription worklist and dispensing a prescription."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from accounts import policy
from accounts.http import AuthedRequest
from accounts.policy import Capability
from common.forms import put_errors
from common.htmx import render_page
from patients.reads import patient_page
from pharmacy import selectors
from pharmacy.forms import (
    DispenseForm,
)
from pharmacy.models import Prescription
from pharmacy.services import ledger, prescriptions
from pharmacy.views.common import PAGE_SIZE
from pharmacy.views.stock import district_stock

WORKLIST_STATUSES = (
    Prescription.Status.WAITING,
    Prescription.Status.PARTLY,
    Prescription.Status.DISPENSED,
)


@login_required
@vary_on_headers("HX-Request")
def home(request: AuthedRequest) -> HttpResponse:
    if request.user.is_dinkes:
        return district_stock(request)
    policy.require(request.user, Capability.SEE_PHARMACY)
    status = request.GET.get("status", Prescription.Status.WAITING)
    if status not in WORKLIST_STATUSES:
        status = Prescription.Status.WAITING
    rows = selectors.worklist(user=request.user, status=status)
    page = patient_page(request, rows, patient="patient_id", per_page=PAGE_SIZE)
    statuses = [(s, Prescription.Status(s).label) for s in WORKLIST_STATUSES]
    context = {
        "page": page,
        "status": status,
        "statuses": statuses,
        "stores": selectors.stores_for_user(request.user),
    }
    return render_page(request, "pharmacy/home.html", context, partial="worklist")


@login_required
@require_http_methods(["GET", "POST"])
def dispense(request: AuthedRequest, pk: int) -> HttpResponse:
    # Anyone in the pharmacy sees the page; handing out needs the dispensing capability.
    write = Capability.DISPENSE if request.method == "POST" else None
    prescription = selectors.prescription_for_user(request.user, pk, write=write)
    lines = list(prescription.lines.select_related("medicine"))
    store = ledger.prb_store_for(prescription.facility_id)
    owed_lines = [line for line in lines if line.owed_quantity > 0]
    form = DispenseForm(request.POST or None, lines=owed_lines)
    if request.method == "POST" and form.is_valid():
        try:
            result = prescriptions.stock_dispense(
                actor=request.user,
                prescription=prescription,
                store=store,
                dispensed_on=form.cleaned_data["dispensed_on"],
                quantities=form.quantities(),
            )
        except ValidationError as error:
            put_errors(form, error)
        else:
            owed = sum(result.owed.values())
            if owed:
                messages.warning(
                    request,
                    _("Partly dispensed: %(owed)s units still owed to the patient.")
                    % {"owed": owed},
                )
            else:
                messages.success(request, _("Dispensed in full."))
            return redirect("pharmacy:dispense", pk=prescription.pk)
    available = {
        row.medicine.pk: row.usable_quantity for row in selectors.stock_levels(store=store)
    }
    plan = selectors.dispense_plan(store=store, lines=owed_lines)
    context = {
        "prescription": prescription,
        "store": store,
        "form": form,
        "rows": [
            {
                "line": line,
                "available": available.get(line.medicine_id, 0),
                "field": form[f"quantity_{line.pk}"] if line.owed_quantity else None,
                "lots": plan.get(line.pk, []),
            }
            for line in lines
        ],
        "card_lines": selectors.prescription_card_lines(prescription),
    }
    return render(request, "pharmacy/dispense.html", context)
