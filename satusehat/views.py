"""The facility's SATUSEHAT page: what waits, what was sent, what failed and why."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import policy
from accounts.http import AuthedRequest
from accounts.policy import Capability
from interop.models import OutboxState
from interop.services import outbox_retry
from patients.reads import patient_page
from satusehat import selectors

PAGE_SIZE = 30


@login_required
def outbox(request: AuthedRequest) -> HttpResponse:
    policy.require(request.user, Capability.SEE_SATUSEHAT_OUTBOX)
    state = request.GET.get("state", "")
    rows = selectors.outbox_list(user=request.user, state=state)
    page = patient_page(request, rows, patient="patient_id", per_page=PAGE_SIZE)
    return render(
        request,
        "satusehat/outbox.html",
        {
            "page": page,
            "state": state if state in OutboxState.values else "",
            "counts": selectors.outbox_counts(user=request.user),
            "states": OutboxState.choices,
            "config": selectors.facility_settings(request.user),
        },
    )


@login_required
@require_POST
def outbox_resend(request: AuthedRequest, pk: int) -> HttpResponse:
    row = selectors.outbox_row_for_user(request.user, pk)
    if row.is_sent:
        messages.info(request, _("Already sent."))
    else:
        outbox_retry(row=row)
        messages.success(request, _("Queued to be sent again."))
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("satusehat:outbox")
