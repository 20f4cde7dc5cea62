"""Labels for the criteria engine's outcome codes."""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

OUTCOME_LABELS = {
    "met": _("Met"),
    "not_met": _("Not met"),
    "unknown": _("Unknown"),
    "triggered": _("Triggered"),
    "clear": _("Clear"),
    "eligible": _("Eligible"),
    "not_eligible": _("Not eligible"),
    "incomplete": _("Incomplete"),
    "re_refer": _("Re-refer"),
    "continue": _("Continue at the puskesmas"),
}
# CSS classes of prb.css: met (green), not_met (red), unknown (grey).
OUTCOME_CLASSES = {
    "met": "met",
    "clear": "met",
    "eligible": "met",
    "continue": "met",
    "not_met": "not_met",
    "triggered": "not_met",
    "not_eligible": "not_met",
    "re_refer": "not_met",
}
OUTCOME_SYMBOLS = {"met": "✔", "clear": "✔", "not_met": "✘", "triggered": "✘"}


@register.filter
def outcome_label(code: str) -> str:
    return str(OUTCOME_LABELS.get(code, code))


@register.filter
def outcome_class(code: str) -> str:
    return OUTCOME_CLASSES.get(code, "unknown")


@register.filter
def outcome_symbol(code: str) -> str:
    return OUTCOME_SYMBOLS.get(code, "?")


@register.filter
def general_criteria(criteria: list) -> list:
    return [c for c in criteria or [] if c["id"].startswith("KEEMPAT.")]


@register.filter
def program_criteria(criteria: list) -> list:
    return [c for c in criteria or [] if not c["id"].startswith("KEEMPAT.")]
