"""The one rule behind every `visible_to(user)` queryset (STYLE.md item 3).

- Anonymous users see nothing; superusers everything.
- Dinas kesehatan and users without a facility see no rows: they work on
  aggregates (dashboards), never on patient or stock records.
- Pustu staff see the rows of the patients assigned to their Pustu where rows
  belong to a patient (`pustu_field`), else the rows of their puskesmas.
- Everyone else sees the rows of their own puskesmas.
"""

from typing import Any, TypeVar

from django.db.models import QuerySet

from accounts import policy

Q = TypeVar("Q", bound=QuerySet[Any])


def staff_scope(
    queryset: Q, user: Any, *, facility_field: str = "facility", pustu_field: str | None = None
) -> Q:
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if getattr(user, "is_superuser", False):
        return queryset.all()
    if not user.is_facility_staff:
        return queryset.none()
    if policy.works_at_pustu(user) and pustu_field is not None:
        return queryset.filter(**{f"{pustu_field}_id": user.facility_id})
    return queryset.filter(**{f"{facility_field}_id": user.facility.home_puskesmas_id})
