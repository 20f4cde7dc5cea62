from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from alerts import services
from alerts.models import Alert


def alert_for_user(user: object, pk: int) -> Alert:
    """The access helper for alerts: 404 outside the user's facility and role."""
    return get_object_or_404(Alert.objects.visible_to(user), pk=pk)


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    alerts = (
        Alert.objects.visible_to(request.user)
        .with_read_state(request.user)
        .select_related("patient")
        .order_by("is_read", "-created_at", "-id")
    )
    if request.GET.get("status") != "all":
        alerts = alerts.unresolved()
    page = Paginator(alerts, 30).get_page(request.GET.get("page"))
    return render(request, "alerts/alert_list.html", {"page": page})


@login_required
@vary_on_headers("HX-Request")
def alert_badge(request: HttpRequest) -> HttpResponse:
    unread = Alert.objects.visible_to(request.user).unresolved().unread_by(request.user).count()
    return render(request, "alerts/alert_list.html#badge", {"unread": unread})


@login_required
@require_POST
def alert_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark read and go to what the alert is about."""
    alert = alert_for_user(request.user, pk)
    services.alert_mark_read(user=request.user, alert=alert)
    if alert.link and url_has_allowed_host_and_scheme(alert.link, allowed_hosts=None):
        return HttpResponseRedirect(alert.link)
    return redirect("alerts:list")


@login_required
@require_POST
def alert_mark_all_read(request: HttpRequest) -> HttpResponse:
    services.alerts_mark_all_read(user=request.user)
    return redirect("alerts:list")
