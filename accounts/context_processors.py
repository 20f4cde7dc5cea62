"""Navigation by capability (accounts.policy): each user sees the parts of PRB their work
needs; ``can`` lets templates ask the policy (``{% if can.dispense %}``)."""

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from accounts import policy
from accounts.policy import Capabilities, Capability

# (url name, label, capability that shows it (accounts.policy); None = everyone logged in)
NAVIGATION: list[tuple[str, Any, Capability | None]] = [
    ("home", _("Home"), None),
    ("referrals:inbox", _("Referrals"), Capability.SEE_REFERRALS),
    ("referrals:case_list", _("PRB cases"), Capability.SEE_CASES),
    ("alerts:worklist", _("Control worklist"), Capability.SEE_WORKLIST),
    ("patients:list", _("Patients"), Capability.SEE_PATIENTS),
    ("pharmacy:home", _("PRB pharmacy"), Capability.SEE_PHARMACY),
    ("alerts:list", _("Notifications"), Capability.SEE_NOTIFICATIONS),
    ("dashboards:district", _("Dashboard"), Capability.SEE_DASHBOARDS),
    ("bpjs:queue", _("BPJS"), Capability.SEE_BPJS_QUEUE),
    ("bpjs:medicine_mapping", _("BPJS medicines"), Capability.MAP_BPJS_MEDICINES),
    ("satusehat:outbox", _("SATUSEHAT"), Capability.MANAGE_INTEGRATIONS),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "can": Capabilities(None)}
    items = []
    for url_name, label, capability in NAVIGATION:
        if capability is not None and not policy.can(user, capability):
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
    return {"nav_items": items, "can": Capabilities(user)}
