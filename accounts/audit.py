"""Audit trail: database triggers record every insert, update and delete.

Triggers (django-pghistory) catch what `save()` hooks cannot, such as
`queryset.update()` and raw SQL; the request's user and facility ride along
as context (accounts.middleware). Services outside a request set it with
`audit_context(user=…)`.

History is append-only: the event tables refuse UPDATE and DELETE (row triggers)
and TRUNCATE (a statement trigger: row triggers never fire for TRUNCATE).

django-pgtrigger lets a session skip any of its triggers by naming it in the
``pgtrigger.ignore`` setting, which every database role may set; PRB never uses that, and
after each ``migrate`` ``seal_trigger_ignore`` redefines the check to ignore nothing, so
the guards bind every role that cannot run DDL (docs/database-role.md).
"""

from typing import Any

import pghistory
import pgtrigger
from django.db import connections
from pgtrigger.core import _ignore_func_name


def refuse_truncate(name: str = "no_truncate") -> pgtrigger.Trigger:
    """A statement-level trigger that refuses ``TRUNCATE`` on an append-only table."""
    return pgtrigger.Trigger(
        name=name,
        level=pgtrigger.Statement,
        when=pgtrigger.Before,
        operation=pgtrigger.Truncate,
        func="RAISE EXCEPTION 'PRB: % is append-only, TRUNCATE is refused', TG_TABLE_NAME;",
    )


# pgtrigger's check, as every trigger it installs calls it: here it never lets a trigger go.
SEALED_IGNORE_FUNCTION = """
CREATE OR REPLACE FUNCTION {name}(trigger_name NAME) RETURNS BOOLEAN AS $$
    SELECT FALSE
$$ LANGUAGE sql IMMUTABLE;
"""


def seal_trigger_ignore(*, using: str = "default", **_: Any) -> None:
    """Make ``SET pgtrigger.ignore = …`` skip nothing (a ``post_migrate`` receiver).

    pgtrigger re-creates its check each time it installs a trigger, so this runs after
    every ``migrate``; it is idempotent.
    """
    with connections[using].cursor() as cursor:
        cursor.execute(SEALED_IGNORE_FUNCTION.format(name=_ignore_func_name()))


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
