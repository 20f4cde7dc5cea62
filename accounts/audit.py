"""Audit trail: database triggers record every insert, update and delete.

Triggers (django-pghistory) catch what `save()` hooks cannot, such as
`queryset.update()` and raw SQL; the request's user and facility ride along
as context (accounts.middleware). Services outside a request set it with
`audit_context(user=…)`.
"""

from typing import Any

import pghistory


def tracked() -> Any:
    """Class decorator: keep a full snapshot of every insert, update and delete."""
    return pghistory.track(
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        pghistory.DeleteEvent(),
        append_only=True,
    )


def audit_context(*, user: Any) -> Any:
    """Attribute writes done outside a request (commands, Celery tasks) to a user."""
    if user is None:
        return pghistory.context(user=None, facility=None)
    return pghistory.context(user=user.pk, facility=getattr(user, "facility_id", None))
