"""Reports of a store or facility: LPLPO, planning, ABC-VEN, claims and the district's VEN classes."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import policy
from accounts.http import AuthedRequest
from accounts.policy import Capability
from lib.months import add_months_first_day
from pharmacy import exports, planning, selectors
from pharmacy.forms import (
    AbcForm,
    CaseLoadForm,
    PlanningForm,
    VenForm,
)
from pharmacy.models import Medicine, Store
from pharmacy.services import ven_classes
from pharmacy.views.common import download_if_asked, month_from_request


@login_required
def lplpo(request: AuthedRequest, pk: int) -> HttpResponse:
    store = selectors.store_for_user(request.user, pk)
    form, month = month_from_request(request)
    rows = selectors.lplpo(store=store, month=month)
    if download := download_if_asked(
        request,
        filename=f"lplpo-{store.facility.kemenkes_code}-{month:%Y-%m}",
        table=exports.lplpo_table(rows),
    ):
        return download
    return render(
        request,
        "pharmacy/lplpo.html",
        {
            "store": store,
            "form": form,
            "month": month,
            "rows": rows,
            "today": timezone.localdate(),
        },
    )


def _planning_defaults() -> dict[str, Any]:
    last = add_months_first_day(timezone.localdate().replace(day=1), -1)
    return {
        "last_month": f"{last:%Y-%m}",
        "history_months": 12,
        "period_months": 12,
        "lead_time_months": 1,
        "buffer_basis": planning.BufferBasis.PERCENT_OF_BASE.value,
        "buffer_amount": 10,
    }


@login_required
def planning_view(request: AuthedRequest, pk: int) -> HttpResponse:
    store = selectors.store_for_user(request.user, pk)
    form = PlanningForm(request.GET if "last_month" in request.GET else _planning_defaults())
    rows: list = []
    if form.is_valid():
        rows = selectors.consumption_plans(
            store=store,
            last_month=form.cleaned_data["last_month"],
            history_months=form.cleaned_data["history_months"],
            period_months=form.cleaned_data["period_months"],
            lead_time_months=form.lead_time(),
            buffer=form.buffer(),
        )
        if download := download_if_asked(
            request,
            filename=f"perencanaan-{store.facility.kemenkes_code}",
            table=exports.plan_table(rows),
        ):
            return download
    return render(request, "pharmacy/planning.html", {"store": store, "form": form, "rows": rows})


@login_required
def planning_medicine(request: AuthedRequest, pk: int, medicine_pk: int) -> HttpResponse:
    """One medicine by the consumption, morbidity or proxy-consumption method (III.C.1.a-c)."""
    store = selectors.store_for_user(request.user, pk)
    medicine = get_object_or_404(Medicine, pk=medicine_pk)
    form = CaseLoadForm(
        request.GET
        if "method" in request.GET
        else {
            "method": "consumption",
            "period_months": 12,
            "lead_time_months": 1,
            "buffer_months": 1,
        }
    )
    result, error = None, ""
    if form.is_valid():
        try:
            result = _plan_one(store, medicine, form.cleaned_data)
        except (ValueError, TypeError) as exc:
            error = str(exc)
    context = {"store": store, "medicine": medicine, "form": form, "result": result, "error": error}
    return render(request, "pharmacy/planning_medicine.html", context)


def _plan_one(store: Store, medicine: Medicine, data: dict) -> Any:
    today = timezone.localdate()
    last = add_months_first_day(today.replace(day=1), -1)
    history = selectors.monthly_usage(
        store=store, medicine=medicine, first_month=add_months_first_day(last, -11), last_month=last
    )
    remaining = selectors.stock_on_hand(store=store, medicine=medicine, as_of=today)
    return planning.plan_by_method(data, history=history, remaining_stock=remaining)


@login_required
def abc_ven(request: AuthedRequest, pk: int) -> HttpResponse:
    store = selectors.store_for_user(request.user, pk)
    today = timezone.localdate()
    defaults = {
        "start": f"{today.year - 1}-{today:%m}-01",
        "end": f"{today:%Y-%m-%d}",
        "basis": "investment",
        "cut_a": 70,
        "cut_b": 20,
        "cut_c": 10,
    }
    form = AbcForm(request.GET if "start" in request.GET else defaults)
    table, error = None, ""
    if form.is_valid():
        try:
            table = selectors.abc_ven(
                store=store,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                basis=form.cleaned_data["basis"],
                cutoffs=form.cleaned_data["cutoffs"],
            )
        except ValueError as exc:
            error = str(exc)
    if table is not None and (
        download := download_if_asked(
            request,
            filename=f"abc-ven-{store.facility.kemenkes_code}",
            table=exports.abc_ven_table(table),
        )
    ):
        return download
    context = {"store": store, "form": form, "table": table, "error": error}
    if table is not None:
        context["matrix"] = table.matrix_rows()
        context["put_counts"] = [
            (group.label, count) for group, count in table.put_counts().items()
        ]
    return render(request, "pharmacy/abc_ven.html", context)


@login_required
def claims(request: AuthedRequest) -> HttpResponse:
    user = request.user
    policy.require(user, Capability.SEE_CLAIMS)
    if user.facility is None:  # a superuser without a facility: no claim to make
        raise PermissionDenied
    facility_id = user.facility.home_puskesmas_id
    form, month = month_from_request(request)
    rows = selectors.claims(facility_id=facility_id, month=month)
    if download := download_if_asked(
        request, filename=f"klaim-prb-{month:%Y-%m}", table=exports.claims_table(rows)
    ):
        return download
    total = sum((c.total for c in rows), 0)
    return render(
        request,
        "pharmacy/claims.html",
        {"form": form, "month": month, "rows": rows, "total": total},
    )


@login_required
@require_http_methods(["GET", "POST"])
def ven(request: AuthedRequest) -> HttpResponse:
    """The district's VEN classes (dinkes of the regency)."""
    user = request.user
    policy.require(user, Capability.EDIT_DISTRICT_VEN)
    form = VenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if user.regency is None:  # a superuser: no district to classify for
            raise PermissionDenied
        ven_classes.ven_override_set(
            actor=user,
            regency=user.regency,
            medicine=form.cleaned_data["medicine"],
            ven=form.cleaned_data["ven"],
        )
        messages.success(request, _("VEN class saved."))
        return redirect("pharmacy:ven")
    classes = selectors.ven_for_regency(user.regency_id)
    medicines = Medicine.objects.active().order_by("name", "strength")
    rows = [(m, classes[m.pk], classes[m.pk] != m.ven) for m in medicines]
    return render(request, "pharmacy/ven.html", {"form": form, "rows": rows})
