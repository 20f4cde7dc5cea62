"""Labels for the criteria engine's outcome codes."""

from django import template
from django.utils.translation import gettext_lazy as _

from referrals import factfields

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


@register.filter
def fact_lines(facts: dict | None, program: str | None = None) -> list:
    """Stored facts as labelled, formatted lines (``referrals.factfields.fact_lines``)."""
    return factfields.fact_lines(facts, program)


@register.filter
def outcome_counts(criteria: list | None) -> dict[str, int]:
    """How many clauses are met, not met and unknown (the intake form's sticky summary)."""
    counts = {"met": 0, "not_met": 0, "unknown": 0}
    for clause in criteria or []:
        kind = OUTCOME_CLASSES.get(clause.get("outcome", ""), "unknown")
        counts[kind] += 1
    return counts
