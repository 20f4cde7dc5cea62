"""Navigation by role: each user sees the parts of PRB their work needs."""

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (url name, label, roles that see it; None = every facility role)
NAVIGATION: list[tuple[str, Any, set[str] | None]] = [
    ("home", _("Home"), None),
    ("referrals:inbox", _("Referrals"), {"dokter", "perawat", "admin"}),
    ("referrals:case_list", _("PRB cases"), {"dokter", "perawat", "pustu", "admin"}),
    ("alerts:worklist", _("Control worklist"), {"dokter", "perawat", "pustu", "admin"}),
    ("patients:list", _("Patients"), {"dokter", "perawat", "pustu", "farmasi", "admin"}),
    ("pharmacy:home", _("PRB pharmacy"), {"farmasi", "dokter", "admin"}),
    ("alerts:list", _("Notifications"), {"dokter", "perawat", "pustu", "farmasi", "admin"}),
    ("dashboards:district", _("Dashboard"), {"dinkes", "admin"}),
    ("bpjs:queue", _("BPJS"), {"dokter", "perawat", "farmasi", "admin"}),
    ("bpjs:medicine_mapping", _("BPJS medicines"), {"dinkes"}),
    ("satusehat:outbox", _("SATUSEHAT"), {"admin"}),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for url_name, label, roles in NAVIGATION:
        if roles is not None and user.role not in roles and not user.is_superuser:
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue  # the feature is not installed in this deployment
        items.append(
            {
                "url": url,
                "label": label,
                "active": False,
                # The unread count loads after the page (htmx): one query less per page view.
                "badge_url": reverse("alerts:badge") if url_name == "alerts:list" else None,
            }
        )
    # The current section is the longest link the path starts with (/rujukan/kasus/ is
    # "Kasus PRB", not "Rujukan masuk").
    matches = [
        i
        for i in items
        if request.path == i["url"] or (i["url"] != "/" and request.path.startswith(i["url"]))
    ]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    return {"nav_items": items}
