"""What every referral page family uses: the role checks, the user's own facility and the small per-case form page.

Every object is fetched through its access helper (404 outside the user's
scope); writes are POST-only and go through ``referrals.services``. Pages work
without JavaScript; htmx only swaps partials.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpResponse
from django.shortcuts import redirect, render

from accounts import policy
from accounts.http import AuthedRequest
from accounts.policy import Capability
from common import forms as common_forms
from facilities.models import Facility
from referrals import factfields
from referrals.models import (
    PrbCase,
)

PAGE_SIZE = 25
# A referral page's service errors that name an engine fact land on that fact's field.
run_service = partial(common_forms.run_service, field_for=factfields.field_for_path)


def require_role(request: AuthedRequest, capability: Capability) -> None:
    """403 unless the user holds ``capability`` (accounts.policy)."""
    policy.require(request.user, capability)


def own_facility(request: AuthedRequest) -> Facility:
    facility = getattr(request.user, "facility", None)
    if facility is None:  # e.g. a superuser without a facility: nowhere to receive
        raise PermissionDenied
    return facility


def case_form_page(
    request: AuthedRequest,
    case: PrbCase,
    form: Any,
    *,
    save: Callable[[dict[str, Any]], Model],
    saved: str,
    title: str,
) -> HttpResponse:
    """A small form about one case: on a valid POST save and go back to the case,
    else show the form (with what was typed and the errors) on the shared page."""
    posted = request.method == "POST"
    if posted:
        record = run_service(request, form, lambda: save(form.cleaned_data), success=saved)
        if record is not None:
            return redirect("referrals:case_detail", pk=case.pk)
    status = 400 if posted else 200
    return render(
        request,
        "referrals/simple_form.html",
        {"case": case, "form": form, "title": title},
        status=status,
    )
