"""What every pharmacy page family uses: the pharmacist check, the month picker and the export format."""

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from pharmacy import exports
from pharmacy.forms import MonthForm

PAGE_SIZE = 25


def export_format(request: HttpRequest) -> str | None:
    fmt = request.GET.get("format")
    return fmt if fmt in exports.FORMATS else None


def download_if_asked(
    request: HttpRequest, *, filename: str, table: exports.Table
) -> HttpResponse | None:
    """The page's table as a CSV or XLSX file when ``?format=`` asks for one."""
    fmt = export_format(request)
    return exports.table_download(fmt=fmt, filename=filename, table=table) if fmt else None


def month_from_request(request: HttpRequest) -> tuple[MonthForm, dt.date]:
    today = timezone.localdate()
    form = MonthForm(request.GET or {"month": f"{today:%Y-%m}"})
    month = form.cleaned_data["month"] if form.is_valid() else today
    return form, month.replace(day=1)
