"""What every referral page family uses: the role checks, the user's own facility and the small per-case form page.

Every object is fetched through its access helper (404 outside the user's
scope); writes are POST-only and go through ``referrals.services``. Pages work
without JavaScript; htmx only swaps partials.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import HttpResponse
from django.shortcuts import redirect, render

from accounts import policy
from accounts.http import AuthedRequest
from accounts.policy import Capability
from facilities.models import Facility
from referrals import forms
from referrals.models import (
    PrbCase,
)

PAGE_SIZE = 25

T = TypeVar("T")


def require_role(request: AuthedRequest, capability: Capability) -> None:
    """403 unless the user holds ``capability`` (accounts.policy)."""
    policy.require(request.user, capability)


def own_facility(request: AuthedRequest) -> Facility:
    facility = getattr(request.user, "facility", None)
    if facility is None:  # e.g. a superuser without a facility: nowhere to receive
        raise PermissionDenied
    return facility


def run_service(
    request: AuthedRequest, form: Any, save: Callable[[], T], *, success: str | Callable[[T], str]
) -> T | None:
    """Call the service behind ``form`` when the form is valid (else ``None``): its
    ``ValidationError`` goes onto the form and gives ``None``; what it returns (the record)
    gives the ``success`` message."""
    if not form.is_valid():
        return None
    try:
        result = save()
    except ValidationError as exc:
        forms.put_errors(form, exc)
        return None
    messages.success(request, success if isinstance(success, str) else success(result))
    return result


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
