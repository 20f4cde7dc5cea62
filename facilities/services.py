"""Services of the facilities core: the one allocator of per-facility document numbers."""

from collections.abc import Callable

from django.db import transaction

from facilities.models import FacilitySequence


def facility_sequence_next(
    *, facility_id: int, kind: str, period: str, floor: Callable[[], int] = lambda: 0
) -> int:
    """The next number of a facility's series ``kind`` in ``period`` (1, 2, 3...).

    The counter row is locked (``SELECT ... FOR UPDATE``) until the caller's transaction ends,
    so concurrent callers queue and each gets its own number; a caller that rolls back gives
    its number back with it. ``floor`` gives the highest number already issued before the
    series had a counter row; it is read once, when the row is created.
    """
    lookup = {"facility_id": facility_id, "kind": kind, "period": period}
    with transaction.atomic():
        row = FacilitySequence.objects.select_for_update().filter(**lookup).first()
        if row is None:
            # Two first callers may race here: one insert wins, the other does nothing and
            # waits for the winner's row below.
            FacilitySequence.objects.bulk_create(
                [FacilitySequence(**lookup, last=floor())], ignore_conflicts=True
            )
            row = FacilitySequence.objects.select_for_update().get(**lookup)
        row.last += 1
        row.save(update_fields=["last"])
        return row.last
