"""Reads of patient data are logged by construction (STYLE.md 7: reads are audited too).

No view writes the read log itself. During a request:

- the access helpers (``patient_for_user``, ``case_for_user``, ``visit_for_user``,
  ``prescription_for_user``, ``alert_for_user`` …) call :func:`note_record` with the
  patient of the object they return: a read of that patient's record;
- lists paginate with :func:`patient_page` (pages) or :class:`PatientReadPagination`
  (the API's default pagination class); both note the patients of the page they return.
  Each must be told which patient a row shows (``patient=`` / the view's
  ``patient_field``, ``None`` for a list without patients), so a new list cannot forget.
  A list shown whole (the stock card) calls :func:`note_list` itself;
- :class:`PatientReadMiddleware` writes what the request noted once the response is made
  (``patients.services.patient_reads_record``): a ``PatientAccessLog`` row per record read
  and one ``PatientListAccess`` row naming the patients a list showed — one INSERT per
  response. Responses that showed nothing (401, 403, 404, 5xx) write nothing.

Outside a request (Celery tasks, commands) nothing is noted: those are not a person's reads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from rest_framework.views import APIView

from accounts import policy
from accounts.policy import Capability
from common.pagination import StrictPageNumberPagination

M = TypeVar("M", bound=Model)

# What a row of a list shows: an attribute path to the patient's id ("pk" for patients,
# "patient_id", "case.patient_id"), a function of the row, or None for no patient at all.
PatientOf = str | Callable[[Any], int | None] | None


@dataclass
class PatientReads:
    """What one request has shown: record reads (patient id → explicit action) and list reads."""

    records: dict[int, str | None] = field(default_factory=dict)
    listed: dict[int, None] = field(default_factory=dict)  # an ordered set
    list_action: str | None = None
    api: bool = False

    def __bool__(self) -> bool:
        return bool(self.records or self.listed)


_current: ContextVar[PatientReads | None] = ContextVar("patient_reads", default=None)


@contextmanager
def collecting() -> Iterator[PatientReads]:
    """Collect the reads of one request (the middleware; tests of a single helper)."""
    reads = PatientReads()
    token = _current.set(reads)
    try:
        yield reads
    finally:
        _current.reset(token)


def is_collecting() -> bool:
    return _current.get() is not None


def note_record(patient_id: int | None, *, action: str | None = None) -> None:
    """The request shows this patient's record (``action`` defaults to view / API read)."""
    reads = _current.get()
    if reads is None or patient_id is None:
        return
    if action is not None or patient_id not in reads.records:
        reads.records[patient_id] = action or reads.records.get(patient_id)


def record_for_user(
    user: Any,
    visible: QuerySet[M],
    pk: Any,
    *,
    read: Capability,
    write: Capability | None = None,
    patient: str = "patient_id",
) -> M:
    """An access helper's whole rule for a record that names a patient: the policy's
    ``get_for_user`` (403 without ``read``, 404 outside ``visible``, 403 without ``write``
    when given), then the read of the patient's record, found at the ``patient`` path
    (``"case.patient_id"`` for a visit), is noted for the request's log."""
    record = policy.get_for_user(user, visible, pk, read=read, write=write)
    note_record(attrgetter(patient)(record))
    return record


class AccessHelper(Generic[M]):
    """An access helper declared once per kind of record: ``helper(user, pk, write=...)``.

    The record is looked up in ``model.objects.visible_to(user)`` (the model's one scoping
    rule, applied here so no helper can leave it out) with ``related`` joined; the policy's
    ``get_for_user`` gives 403 without ``read``, 404 outside the scope and 403 without
    ``write`` when a write view passes one. ``patient`` is where the record names its
    patient (``"case.patient_id"`` for a visit): that patient's record read is noted
    (``record_for_user``); ``None`` for records that are not a patient's (a store).
    """

    def __init__(
        self,
        model: type[M],
        *,
        read: Capability,
        related: Sequence[str] = (),
        patient: str | None = "patient_id",
    ) -> None:
        self.model = model
        self.read = read
        self.related = tuple(related)
        self.patient = patient

    def __call__(self, user: Any, pk: Any, *, write: Capability | None = None) -> M:
        manager: Any = self.model._default_manager
        visible: QuerySet[M] = manager.visible_to(user).select_related(*self.related)
        if self.patient is None:
            return policy.get_for_user(user, visible, pk, read=self.read, write=write)
        return record_for_user(user, visible, pk, read=self.read, write=write, patient=self.patient)

    def __repr__(self) -> str:
        return f"AccessHelper({self.model.__name__})"


def note_list(patient_ids: Iterable[int | None], *, action: str | None = None) -> None:
    """The request shows these patients in a list (a page, a card, an export)."""
    reads = _current.get()
    if reads is None:
        return
    for patient_id in patient_ids:
        if patient_id is not None:
            reads.listed[patient_id] = None
    if action is not None:
        reads.list_action = action


def patient_getter(patient: PatientOf) -> Callable[[Any], int | None] | None:
    if patient is None or callable(patient):
        return patient
    return attrgetter(patient)


class PatientPaginator(Paginator):
    """Django's paginator, noting the patients of the page it hands out.

    ``patient`` is required: which patient each row shows (see ``PatientOf``), or ``None``
    for a list without patients — said explicitly, so no list forgets.
    """

    def __init__(self, object_list: Any, per_page: int, *, patient: PatientOf, **kwargs: Any):
        super().__init__(object_list, per_page, **kwargs)
        self.patient_of = patient_getter(patient)

    def page(self, number: Any) -> Page:
        page = super().page(number)
        if self.patient_of is not None:
            page.object_list = list(page.object_list)
            note_list(self.patient_of(row) for row in page.object_list)
        return page


def patient_page(request: HttpRequest, rows: Any, *, patient: PatientOf, per_page: int) -> Page:
    """The page of ``rows`` that the request asks for (``?page=``), noting its patients."""
    return PatientPaginator(rows, per_page, patient=patient).get_page(request.GET.get("page"))


def view_patient_getter(view: Any) -> Callable[[Any], int | None] | None:
    if not hasattr(view, "patient_field"):
        raise ImproperlyConfigured(
            f"{type(view).__name__} lists rows: set patient_field to the patient each row "
            "shows ('pk', 'patient_id', 'case.patient_id') or to None."
        )
    return patient_getter(view.patient_field)


class PatientReadPagination(StrictPageNumberPagination):
    """The API's pagination: notes the patients of the page (the view's ``patient_field``);
    an empty or non-numeric page is refused (``common.pagination``)."""

    def paginate_queryset(
        self, queryset: Any, request: Any, view: APIView | None = None
    ) -> list[Any] | None:
        patient_of = view_patient_getter(view)
        page = super().paginate_queryset(queryset, request, view)
        if page is not None and patient_of is not None:
            note_list(patient_of(row) for row in page)
        return page


def _is_api(view_func: Any) -> bool:
    view_class = getattr(view_func, "cls", None)
    return isinstance(view_class, type) and issubclass(view_class, APIView)


class PatientReadMiddleware:
    """Collects the reads of each request and writes them once the response is made."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with collecting() as reads:
            response = self.get_response(request)
        user = getattr(request, "user", None)
        # 400 is a form shown again, with the record; 401, 403, 404 and 5xx showed nothing.
        shown = response.status_code <= 400
        if reads and shown and user is not None and user.is_authenticated:
            from patients.services import patient_reads_record

            patient_reads_record(user=user, shown=reads, path=request.path)
        return response

    def process_view(self, request: HttpRequest, view_func: Any, *args: Any) -> None:
        reads = _current.get()
        if reads is not None:
            reads.api = _is_api(view_func)
