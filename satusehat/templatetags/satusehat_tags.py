from typing import Any

from django import template

from satusehat.selectors import visit_sync_state

register = template.Library()


@register.inclusion_tag("satusehat/_visit_state.html", takes_context=True)
def satusehat_visit_state(context: Any, visit: Any) -> dict[str, Any]:
    """The visit's SATUSEHAT state, its error and a resend button (KMK: data feed, BAB III.A.4)."""
    return {"row": visit_sync_state(visit), "request": context.get("request")}


@register.filter
def get_item(mapping: dict, key: str) -> Any:
    return mapping.get(key, 0)
