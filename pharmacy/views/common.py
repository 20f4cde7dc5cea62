"""What every pharmacy page family uses: the pharmacist check, the month picker and the export format."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone

from pharmacy import exports
from pharmacy.forms import (
    MonthForm,
)

PAGE_SIZE = 25


def may_move_stock(user: Any) -> bool:
    """Stock is moved by pharmacy staff (and the facility administrator)."""
    return bool(user.is_superuser or user.role in (user.Role.FARMASI, user.Role.ADMIN))


def require_pharmacist(user: Any) -> None:
    if not may_move_stock(user):
        raise PermissionDenied


def export_format(request: HttpRequest) -> str | None:
    fmt = request.GET.get("format")
    return fmt if fmt in exports.FORMATS else None


def month_from_request(request: HttpRequest) -> tuple[MonthForm, dt.date]:
    today = timezone.localdate()
    form = MonthForm(request.GET or {"month": f"{today:%Y-%m}"})
    month = form.cleaned_data["month"] if form.is_valid() else today
    return form, month.replace(day=1)


def error_messages(error: ValidationError) -> list[str]:
    return error.messages
