"""Audit trail: database triggers record every insert, update and delete.

Triggers (django-pghistory) catch what `save()` hooks cannot, such as
`queryset.update()` and raw SQL; the request's user and facility ride along
as context (accounts.middleware). Services outside a request set it with
`audit_context(user=…)`.

History is append-only: the event tables refuse UPDATE and DELETE (row triggers)
and TRUNCATE (a statement trigger: row triggers never fire for TRUNCATE).
"""

from typing import Any

import pghistory
import pgtrigger


def refuse_truncate(name: str = "no_truncate") -> pgtrigger.Trigger:
    """A statement-level trigger that refuses ``TRUNCATE`` on an append-only table."""
    return pgtrigger.Trigger(
        name=name,
        level=pgtrigger.Statement,
        when=pgtrigger.Before,
        operation=pgtrigger.Truncate,
        func="RAISE EXCEPTION 'PRB: % is append-only, TRUNCATE is refused', TG_TABLE_NAME;",
    )


def tracked() -> Any:
    """Class decorator: keep a full snapshot of every insert, update and delete."""
    return pghistory.track(
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        pghistory.DeleteEvent(),
        append_only=True,
        meta={"triggers": [refuse_truncate()]},
    )


def audit_context(*, user: Any) -> Any:
    """Attribute writes done outside a request (commands, Celery tasks) to a user."""
    if user is None:
        return pghistory.context(user=None, facility=None)
    return pghistory.context(user=user.pk, facility=getattr(user, "facility_id", None))
