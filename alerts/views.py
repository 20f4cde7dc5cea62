import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from accounts import policy
from accounts.http import AuthedRequest
from accounts.policy import Capability
from alerts import selectors, services
from alerts.forms import ContactForm
from alerts.models import Alert
from common.exports import table_response
from common.forms import put_errors
from common.htmx import render_page
from patients.reads import AccessHelper, note_list, patient_page

# The access helper for alerts: 404 outside the user's facility and role, then 403
# without ``write`` when given. Opening an alert is a read of its patient's record.
alert_for_user = AccessHelper(Alert, read=Capability.SEE_NOTIFICATIONS)


@login_required
def alert_list(request: AuthedRequest) -> HttpResponse:
    policy.require(request.user, Capability.SEE_NOTIFICATIONS)
    alerts = (
        Alert.objects.visible_to(request.user)
        .with_read_state(request.user)
        .select_related("patient")
        .order_by("is_read", "-created_at", "-id")
    )
    if request.GET.get("status") != "all":
        alerts = alerts.unresolved()
    page = patient_page(request, alerts, patient="patient_id", per_page=30)
    return render(request, "alerts/alert_list.html", {"page": page})


@login_required
@vary_on_headers("HX-Request")
def alert_badge(request: AuthedRequest) -> HttpResponse:
    policy.require(request.user, Capability.SEE_NOTIFICATIONS)
    unread = Alert.objects.visible_to(request.user).unresolved().unread_by(request.user).count()
    return render(request, "alerts/alert_list.html#badge", {"unread": unread})


@login_required
@require_POST
def alert_open(request: AuthedRequest, pk: int) -> HttpResponse:
    """Mark read and go to what the alert is about."""
    alert = alert_for_user(request.user, pk)
    services.alert_mark_read(user=request.user, alert=alert)
    if alert.link and url_has_allowed_host_and_scheme(alert.link, allowed_hosts=None):
        return HttpResponseRedirect(alert.link)
    return redirect("alerts:list")


@login_required
@require_POST
def alert_mark_all_read(request: AuthedRequest) -> HttpResponse:
    policy.require(request.user, Capability.SEE_NOTIFICATIONS)
    services.alerts_mark_all_read(user=request.user)
    return redirect("alerts:list")


# ---------------------------------------------------------------- control worklist and schedule

WORKLIST_PAGE_SIZE = 30
# Who calls patients and records contacts (BAB III.A: puskesmas team and Pustu).


def _today() -> dt.date:
    return timezone.localdate()


def _filters(request: AuthedRequest) -> tuple[str, int | None]:
    bucket = request.GET.get("bucket", "")
    if bucket not in selectors.BUCKETS_BY_CODE:
        bucket = ""
    pustu = request.GET.get("pustu", "")
    pustu_id = int(pustu) if pustu.isdigit() else None
    if pustu_id and not selectors.pustus_for_user(request.user).filter(pk=pustu_id).exists():
        pustu_id = None
    return bucket, pustu_id


def _row_context(request: AuthedRequest, case: Any, *, as_of: dt.date, **extra: Any) -> dict:
    case.contact_form = extra.pop("form", None) or ContactForm(auto_id=f"c{case.pk}_%s")
    return {"case": case, "today": as_of, **extra}


@login_required
def worklist(request: AuthedRequest) -> HttpResponse:
    """The one control worklist: controls due today and overdue, per bucket, highest risk
    first, with the contact form of each row (Simple.org outcomes)."""
    policy.require(request.user, Capability.SEE_WORKLIST)
    as_of = _today()
    bucket, pustu_id = _filters(request)
    rows = selectors.worklist(user=request.user, as_of=as_of, bucket=bucket, pustu_id=pustu_id)
    page = patient_page(request, rows, patient="patient_id", per_page=WORKLIST_PAGE_SIZE)
    page.object_list = selectors.attach_row_details(list(page.object_list), as_of=as_of)
    for case in page.object_list:
        case.contact_form = ContactForm(auto_id=f"c{case.pk}_%s")  # type: ignore[attr-defined]
    counts = selectors.worklist_counts(user=request.user, as_of=as_of, pustu_id=pustu_id)
    query = urlencode({k: v for k, v in (("bucket", bucket), ("pustu", pustu_id or "")) if v})
    context = {
        "page": page,
        "today": as_of,
        "bucket": bucket,
        "pustu_id": pustu_id,
        "pustus": selectors.pustus_for_user(request.user),
        "buckets": selectors.BUCKETS,
        "bucket_tabs": [(b, counts[b.code]) for b in selectors.BUCKETS],
        "filter_query": query,
    }
    return render_page(request, "alerts/worklist.html", context)


@login_required
def worklist_export(request: AuthedRequest) -> HttpResponse:
    """The worklist as CSV (all rows of the current filter); the export is audited."""
    policy.require(request.user, Capability.SEE_WORKLIST)
    as_of = _today()
    bucket, pustu_id = _filters(request)
    cases: list[Any] = selectors.attach_row_details(
        list(selectors.worklist(user=request.user, as_of=as_of, bucket=bucket, pustu_id=pustu_id)),
        as_of=as_of,
    )
    services.worklist_export_audit(
        user=request.user, patient_ids=[c.patient_id for c in cases], path=request.get_full_path()
    )
    headers = [
        _("Patient"),
        _("BPJS card number"),
        _("Phone"),
        _("Pustu"),
        _("Programme"),
        _("Control date"),
        _("Days overdue"),
        _("Group"),
        _("Risk"),
        _("Last visit"),
        _("Last contact"),
    ]
    rows = (
        [
            case.patient.name,
            case.patient.bpjs_number,
            case.patient.phone,
            case.patient.pustu.name if case.patient.pustu else "",
            case.get_program_display(),
            case.next_control_date.isoformat(),
            case.days_overdue,
            case.bucket.label if case.bucket else "",
            "; ".join([str(case.risk_label), *case.risk_reasons]).strip("; "),
            case.last_visit_on.isoformat() if case.last_visit_on else "",
            case.last_contact_label,
        ]
        for case in cases
    )
    return table_response(
        fmt="csv",
        filename=f"daftar-kerja-kontrol-{as_of.isoformat()}",
        title=_("Control worklist"),
        headers=headers,
        rows=rows,
    )


@login_required
@require_http_methods(["GET", "POST"])
def worklist_contact(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record a contact attempt; with htmx the row is replaced by its new state."""
    as_of = _today()
    case = selectors.worklist_case_for_user(
        request.user, pk, as_of=as_of, write=Capability.RECORD_CONTACT
    )
    form = ContactForm(request.POST or None, auto_id=f"c{case.pk}_%s")
    if request.method == "POST" and form.is_valid():
        try:
            attempt = services.worklist_contact_record(
                actor=request.user, case=case, **form.cleaned_data
            )
        except ValidationError as exc:
            put_errors(form, exc)
        else:
            if request.htmx:
                case = selectors.worklist_case_for_user(request.user, pk, as_of=as_of)
                selectors.attach_row_details([case], as_of=as_of)
                return render(
                    request,
                    "alerts/worklist.html#row",
                    _row_context(
                        request,
                        case,
                        as_of=as_of,
                        saved=True,
                        saved_outcome=attempt.outcome,
                    ),
                )
            messages.success(request, _("Contact attempt saved."))
            return redirect("alerts:worklist")
    if request.htmx:
        selectors.attach_row_details([case], as_of=as_of)
        return render(
            request,
            "alerts/worklist.html#row",
            _row_context(request, case, as_of=as_of, form=form, open_form=True),
        )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "alerts/worklist_form.html",
        {"case": case, "form": form, "title": _("Record a contact attempt")},
        status=status,
    )


@login_required
def schedule(request: AuthedRequest) -> HttpResponse:
    """Controls and care-plan examinations of the next two weeks."""
    policy.require(request.user, Capability.SEE_WORKLIST)
    start = _today()
    days = selectors.schedule(user=request.user, start=start, days=14)
    # Two weeks shown whole: every patient with a control or an examination on it.
    note_list(
        [case.patient_id for day in days for case in day.controls]
        + [item.care_plan.case.patient_id for day in days for item in day.examinations]
    )
    return render(request, "alerts/schedule.html", {"days": days, "start": start})
