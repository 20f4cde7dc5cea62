"""What every sweep shares: the result, the chunking and the raiser.

Each sweep reads with set-based queries (``values_list`` + ``iterator``, cases
in chunks), raises its alerts in bulk (``alerts_raise``: one row per key, the
unique constraint absorbs a redelivered or concurrent run) and resolves the
open alerts of its kind whose condition ended. A sweep commits chunk by chunk,
so a worker killed mid-sweep leaves whole chunks behind and the redelivered
task adds only what is missing. The Celery tasks (``alerts.tasks``) call them
one facility at a time.

``facility_id`` is a puskesmas (the case's ``facility``); alerts about a
patient assigned to one of its Pustu are raised at the Pustu too, for the
Pustu staff (BAB III.A: the Pustu keeps the schedule and visits the patient).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from itertools import islice
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation

from alerts.models import Alert
from alerts.services import (
    PUSTU_ROLES,
    AlertDraft,
    alerts_email_staff,
    alerts_raise,
    alerts_resolve,
)
from facilities.models import Facility
from patients.programs import Program
from referrals.models import IN_CARE_STATUSES, PrbCase

logger = logging.getLogger("prb.alerts")

CHUNK = 1000

T = TypeVar("T")
# name, sex, birth date, Pustu id and last change of a patient (``patients_by_id``).
PatientRow = tuple[str, str, dt.date, int | None, dt.datetime]


@dataclass
class SweepResult:
    raised: int = 0
    resolved: int = 0
    skipped: int = 0
    sent: int = 0
    failed: int = 0
    reused: int = 0
    new_alerts: list[Alert] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict[str, int]:
        """The counts, for the task's result (the new alerts themselves stay out)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "new_alerts"}


def chunks(rows: QuerySet[Any, T]) -> Iterator[list[T]]:
    """A sweep's rows streamed from the database (``iterator``) in lists of ``CHUNK``."""
    iterator = rows.iterator(chunk_size=CHUNK)
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


Row = TypeVar("Row", bound=tuple[Any, ...])


def patient_chunks(
    rows: QuerySet[Any, Row], *, patient_at: int
) -> Iterator[tuple[list[Row], dict[int, PatientRow]]]:
    """``chunks`` of case rows, each with its patients (``patients_by_id``) read once.

    ``patient_at`` is the position of ``patient_id`` in a row.
    """
    for chunk in chunks(rows):
        yield chunk, patients_by_id(row[patient_at] for row in chunk)


def date_text(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def program_label(code: str) -> str:
    return str(_program_labels().get(code, code))


def _program_labels() -> dict[str, str]:
    """Programme names in the active language, computed once per language."""
    language = translation.get_language() or ""
    labels = _PROGRAM_LABELS.get(language)
    if labels is None:
        labels = _PROGRAM_LABELS[language] = {code: str(label) for code, label in Program.choices}
    return labels


_PROGRAM_LABELS: dict[str, dict[str, str]] = {}


class Links:
    """URLs built once per sweep (``reverse`` per row would cost seconds at 200,000)."""

    def __init__(self) -> None:
        self._case = reverse("referrals:case_detail", args=[999999999])

    def case(self, pk: int) -> str:
        return self._case.replace("999999999", str(pk))


class Raiser:
    """Collects drafts per chunk and the keys still true per (facility, kind)."""

    def __init__(self, *, facility_id: int, kinds: Iterable[str]) -> None:
        self.facility_id = facility_id
        self.kinds = list(kinds)
        self.pustu_ids = set(
            Facility.objects.filter(parent_id=facility_id, kind=Facility.Kind.PUSTU).values_list(
                "pk", flat=True
            )
        )
        self.keep: dict[tuple[int, str], set[str]] = defaultdict(set)
        self.drafts: list[AlertDraft] = []
        self.result = SweepResult()

    def add(
        self,
        *,
        kind: str,
        key: str,
        title: str,
        roles: list[str],
        pustu_id: int | None = None,
        **extra: Any,
    ) -> None:
        key = key[:200]
        targets = [(self.facility_id, roles)]
        if pustu_id in self.pustu_ids:
            targets.append((pustu_id, PUSTU_ROLES))
        for facility_id, facility_roles in targets:
            self.keep[(facility_id, kind)].add(key)
            self.drafts.append(
                AlertDraft(
                    facility_id=facility_id,
                    kind=kind,
                    key=key,
                    title=title,
                    roles=facility_roles,
                    **extra,
                )
            )

    def flush(self) -> None:
        """Insert the chunk's alerts (committed on their own: a crash keeps them)."""
        created = alerts_raise(drafts=self.drafts)
        self.result.raised += len(created)
        self.result.new_alerts += created
        self.drafts = []

    def finish(self) -> SweepResult:
        self.flush()
        for facility_id in (self.facility_id, *self.pustu_ids):
            for kind in self.kinds:
                self.result.resolved += alerts_resolve(
                    facility_id=facility_id, kind=kind, keep_keys=self.keep[(facility_id, kind)]
                )
        by_facility: dict[int, list[Alert]] = defaultdict(list)
        for alert in self.result.new_alerts:
            by_facility[alert.facility_id].append(alert)
        for facility_id, alerts in by_facility.items():
            alerts_email_staff(facility_id=facility_id, alerts=alerts)
        return self.result


def in_care(facility_id: int) -> Any:
    return PrbCase.objects.filter(facility_id=facility_id, status__in=IN_CARE_STATUSES)


def patients_by_id(
    ids: Iterable[int],
) -> dict[int, PatientRow]:
    """name, sex, birth date and Pustu of the patients of a chunk, by id.

    Read apart from the cases: joined, the planner hashes the whole patient table
    for every facility's thousand cases.
    """
    from patients.models import Patient

    return {
        pk: (name, sex, birth_date, pustu_id, updated_at)
        for pk, name, sex, birth_date, pustu_id, updated_at in Patient.objects.filter(
            pk__in=list(set(ids))
        )
        .order_by()
        .values_list("pk", "name", "sex", "birth_date", "pustu_id", "updated_at")
    }
