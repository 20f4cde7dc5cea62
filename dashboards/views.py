"""District dashboards: district → puskesmas → the cases behind a number; medicine balance.

Every page reads the monthly facts (one query), filters over htmx with a plain GET
fallback, and exports its tables with ``?export=csv|xlsx&table=…``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers

from accounts.http import AuthedRequest
from common.htmx import render_page
from dashboards import charts, exports, selectors
from dashboards import indicators as ind
from dashboards.facts import reference_date
from dashboards.forms import FilterForm, month_choices
from facilities.models import Facility
from patients.models import PatientAccessLog
from patients.programs import Program
from patients.reads import note_list, patient_page


def _chosen_puskesmas(request: AuthedRequest) -> Facility | None:
    """The ``?puskesmas=`` filter; one outside the user's scope is a 404, not a silent reset."""
    raw = request.GET.get("puskesmas")
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    return selectors.puskesmas_for_user(request.user, int(raw))


def _filters(
    request: AuthedRequest, puskesmas: list[Facility]
) -> tuple[FilterForm, Facility | None]:
    form = FilterForm(request.GET or None, today=timezone.localdate(), puskesmas=puskesmas)
    return form, _chosen_puskesmas(request)


def _query(form: FilterForm, **extra: Any) -> str:
    params = {"period": f"{form.month:%Y-%m}", "program": form.program_code, **extra}
    return urlencode({k: v for k, v in params.items() if v not in ("", None)})


def _trends(figures: selectors.Figures) -> list[dict[str, Any]]:
    result = []
    first, last = f"{figures.months[0]:%m/%Y}", f"{figures.months[-1]:%m/%Y}"
    for code in ind.TREND_CODES:
        indicator = ind.BY_CODE[code]
        values = [figures.by_month[m].value(code) for m in figures.months]
        numbers = [float(v) if v is not None else None for v in values]
        known = [v for v in values if v is not None]
        low = selectors.format_value(indicator, min(known)) if known else "–"
        high = selectors.format_value(indicator, max(known)) if known else "–"
        title = _(
            "%(name)s, %(first)s to %(last)s: lowest %(low)s, highest %(high)s, now %(now)s"
        ) % {
            "name": indicator.label,
            "first": first,
            "last": last,
            "low": low,
            "high": high,
            "now": selectors.format_value(indicator, values[-1]),
        }
        result.append(
            {
                "indicator": indicator,
                "svg": charts.trend_line(
                    numbers,
                    title=title,
                    low_label=low,
                    high_label=high,
                    first_label=first,
                    last_label=last,
                ),
                "first": first,
                "last": selectors.format_value(indicator, values[-1]),
                "low": low,
                "high": high,
            }
        )
    return result


def _slug(*parts: Any) -> str:
    """An export's file name from its table and filters: "puskesmas-2026-11-dm-semua-puskesmas"."""
    return "-".join(slugify(str(p)) for p in parts if p not in ("", None))


def _export(
    request: HttpRequest, *, filename: str, title: str, headers: list, rows: list
) -> HttpResponse | None:
    fmt = request.GET.get("export")
    if fmt not in exports.FORMATS:
        return None
    return exports.table_response(
        fmt=fmt, filename=filename, title=title, headers=headers, rows=rows
    )


def _indicator_headers() -> list[str]:
    """Column names of an export; rates are in percent, as the page shows them."""
    return [f"{i.label} (%)" if i.kind == "rate" else str(i.label) for i in ind.INDICATORS]


def _raw(cell: selectors.Cell) -> Any:
    """A cell for CSV/XLSX: the number the page shows (a rate as a percent, 1 decimal)."""
    value = cell.value
    if value is None:
        return None
    if cell.indicator.kind == "rate":
        return round(float(value) * 100, 1)
    return round(float(value), 1) if isinstance(value, float) else value


def _raw_cells(totals: selectors.Totals) -> list[Any]:
    return [_raw(c) for c in selectors.cells(totals)]


def _trend_export(
    request: HttpRequest, figures: selectors.Figures, filters: list[str]
) -> HttpResponse | None:
    """The month-by-month trend table of a dashboard."""
    return _export(
        request,
        filename=_slug(_("trend"), *filters),
        title=_("Trend"),
        headers=[_("Month"), *_indicator_headers()],
        rows=[[f"{m:%Y-%m}", *_raw_cells(figures.by_month[m])] for m in figures.months],
    )


def _dashboard_export(
    request: HttpRequest,
    figures: selectors.Figures,
    filters: list[str],
    *,
    name: str,
    title: str,
    rows: list[tuple[Any, list[selectors.Cell]]],
    first_header: str = "",
) -> HttpResponse | None:
    """A dashboard's table as CSV/XLSX when asked: the trend (``table=trend``) or its rows."""
    if request.GET.get("table") == "trend":
        return _trend_export(request, figures, filters)
    return _export(
        request,
        filename=_slug(name, *filters),
        title=title,
        headers=[first_header or title, *_indicator_headers()],
        rows=[[label, *(_raw(c) for c in cells)] for label, cells in rows],
    )


def _filter_names(form: FilterForm, chosen: Facility | None) -> list[str]:
    return [
        f"{form.month:%Y-%m}",
        form.program_code or _("all programmes"),
        chosen.kemenkes_code if chosen else _("all puskesmas"),
    ]


@login_required
@vary_on_headers("HX-Request")
def district(request: AuthedRequest) -> HttpResponse:
    puskesmas = selectors.dashboard_puskesmas(request.user)
    form, chosen = _filters(request, puskesmas)
    shown = [chosen] if chosen else puskesmas
    figures = selectors.figures(
        facility_ids=[f.pk for f in shown], programs=form.programs, month=form.month
    )
    rows = [(f, selectors.cells(figures.by_facility.get(f.pk, selectors.Totals()))) for f in shown]
    export = _dashboard_export(
        request,
        figures,
        _filter_names(form, chosen),
        name="puskesmas",
        title=_("Puskesmas"),
        rows=[(f.name, cells) for f, cells in rows],
    )
    if export:
        return export
    bar_indicator = ind.BY_CODE[form.indicator_code]
    bar_items = []
    for facility, cells in rows:
        cell = next(c for c in cells if c.indicator.code == bar_indicator.code)
        value = float(cell.value) if cell.value is not None else None
        bar_items.append((facility.name, value, cell.display, cell.level))
    context = {
        "form": form,
        "month": form.month,
        "summary": selectors.cells(figures.total),
        "trends": _trends(figures),
        "bars": charts.bars(
            bar_items,
            title=str(bar_indicator.label),
            maximum=1 if bar_indicator.kind == "rate" else None,
        ),
        "bar_indicator": bar_indicator,
        "rows": rows,
        "query": _query(form),
        "filter_query": _query(
            form, puskesmas=chosen.pk if chosen else "", indicator=form.indicator_code
        ),
        "headers": ind.INDICATORS,
        "control_rules": _control_rules(),
        "regency": request.user.regency if request.user.is_dinkes else None,
        "as_of": selectors.facts_computed_at([f.pk for f in shown]),
    }
    return render_page(request, "dashboards/district.html", context)


def _control_rules() -> list[tuple[str, Any, str]]:
    return [
        (str(Program(p).label), rule.text, rule.clause) for p, rule in ind.CONTROL_RULES.items()
    ]


@login_required
@vary_on_headers("HX-Request")
def puskesmas(request: AuthedRequest, pk: int) -> HttpResponse:
    facility = selectors.puskesmas_for_user(request.user, pk)
    form = FilterForm(request.GET or None, today=timezone.localdate(), puskesmas=[facility])
    figures = selectors.figures(
        facility_ids=[facility.pk], programs=form.programs, month=form.month, by="program"
    )
    programs = [p for p in Program if p.value in form.programs]
    program_rows = [
        (p, selectors.cells(figures.by_program.get(p.value, selectors.Totals()))) for p in programs
    ]
    export = _dashboard_export(
        request,
        figures,
        _filter_names(form, facility),
        name=_("programmes"),
        title=_("Programmes"),
        first_header=_("Programme"),
        rows=[(p.label, cells) for p, cells in program_rows],
    )
    if export:
        return export
    context = {
        "facility": facility,
        "form": form,
        "month": form.month,
        "summary": selectors.cells(figures.total),
        "trends": _trends(figures),
        "program_rows": program_rows,
        "query": _query(form),
        "headers": ind.INDICATORS,
        "control_rules": _control_rules(),
        "as_of": selectors.facts_computed_at([facility.pk]),
    }
    return render_page(request, "dashboards/puskesmas.html", context)


@login_required
def patients(request: AuthedRequest, pk: int) -> HttpResponse:
    facility = selectors.puskesmas_for_user(request.user, pk)
    form = FilterForm(request.GET or None, today=timezone.localdate(), puskesmas=[facility])
    drill = request.GET.get("drill", "active")
    if drill not in selectors.DRILLS:
        raise Http404
    rows = selectors.drill_rows(
        user=request.user,
        facility=facility,
        programs=form.programs,
        month=form.month,
        drill=drill,
        today=timezone.localdate(),
    )
    export = _export(
        request,
        filename=f"pasien-{drill}-{facility.kemenkes_code}-{form.month:%Y-%m}",
        title=str(selectors.DRILLS[drill]),
        headers=[
            _("Patient"),
            _("Programme"),
            _("Sex"),
            _("Age"),
            _("Date"),
            _("Last visit"),
            _("Next control"),
        ],
        rows=[[r.label, r.program_label, r.sex, r.age, r.date, r.last_visit, r.due] for r in rows],
    )
    if export:
        note_list((r.patient_id for r in rows), action=PatientAccessLog.Action.EXPORT)
        return export
    page = patient_page(request, rows, patient="patient_id", per_page=50)
    context = {
        "facility": facility,
        "form": form,
        "month": form.month,
        "drill": drill,
        "drill_label": selectors.DRILLS[drill],
        "page": page,
        "query": _query(form, drill=drill),
        "back_query": _query(form),
        "names": request.user.can_see_patient_names,
        "as_of": timezone.localtime(),
    }
    return render(request, "dashboards/patients.html", context)


@login_required
def medicine_balance(request: AuthedRequest) -> HttpResponse:
    puskesmas = selectors.dashboard_puskesmas(request.user)
    today = timezone.localdate()
    tracer_only = request.GET.get("tracer") == "1"
    chosen = _chosen_puskesmas(request)
    state = request.GET.get("state", "")
    state = state if state in ("shortage", "excess") else ""
    # The period: a month of the dashboards' choices, read at its last day (today for this one).
    period_form = FilterForm(request.GET or None, today=today, puskesmas=[])
    month = period_form.month
    as_of = reference_date(month, today)
    rows, transfers = selectors.medicine_balance(
        puskesmas=puskesmas, as_of=as_of, tracer_only=tracer_only
    )
    if chosen:
        rows = [r for r in rows if r.facility.pk == chosen.pk]
        transfers = [t for t in transfers if chosen.pk in (t.source.pk, t.destination.pk)]
    if state:
        rows = [r for r in rows if r.state == state]
    filters = [
        chosen.kemenkes_code if chosen else _("all puskesmas"),
        state and _state_label(state),
        _("tracer") if tracer_only else "",
        f"{as_of:%Y-%m-%d}",
    ]
    query = urlencode(
        {
            k: v
            for k, v in {
                "period": f"{month:%Y-%m}",
                "puskesmas": chosen.pk if chosen else "",
                "state": state,
                "tracer": "1" if tracer_only else "",
            }.items()
            if v
        }
    )
    if request.GET.get("table") == "transfers":
        export = _export(
            request,
            filename=_slug(_("suggested transfers"), *filters),
            title=_("Suggested transfers"),
            headers=[_("Medicine"), _("From puskesmas"), _("To puskesmas"), _("Quantity")],
            rows=[
                [t.medicine_name, t.source.name, t.destination.name, t.quantity] for t in transfers
            ],
        )
    else:
        export = _export(
            request,
            filename=_slug(_("medicine balance"), *filters),
            title=_("Medicine balance"),
            headers=[
                _("Medicine"),
                _("Puskesmas"),
                _("State"),
                _("Usable stock"),
                _("Use per month"),
                _("Months of stock"),
                _("Units short / in excess"),
            ],
            rows=[
                [
                    r.medicine_name,
                    r.facility.name,
                    _state_label(r.state),
                    r.usable,
                    round(r.monthly_use, 1),
                    round(r.months_of_stock, 1) if r.months_of_stock is not None else None,
                    r.quantity,
                ]
                for r in rows
            ],
        )
    if export:
        return export
    context = {
        "rows": rows,
        "transfers": transfers,
        "today": today,
        "balance_as_of": as_of,
        "period": f"{month:%Y-%m}",
        "periods": month_choices(today),
        "tracer_only": tracer_only,
        "query": query,
        "puskesmas": puskesmas,
        "chosen": chosen,
        "state": state,
        "as_of": timezone.localtime(),
        "states": {"shortage": _("Shortage"), "excess": _("Excess")},
        "rules": {
            "shortage": selectors.SHORTAGE_MONTHS,
            "excess": selectors.EXCESS_MONTHS,
            "target": selectors.TARGET_MONTHS,
            "window": selectors.USE_WINDOW_DAYS,
        },
    }
    return render(request, "dashboards/medicine_balance.html", context)


def _state_label(state: str) -> str:
    return {"shortage": _("Shortage"), "excess": _("Excess")}.get(state, _("Enough"))
