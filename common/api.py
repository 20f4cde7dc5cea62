"""What every PRB API shares: one exception handler, a bounded JSON parser, strict input.

- ``exception_handler`` (``REST_FRAMEWORK["EXCEPTION_HANDLER"]``) is the one place API
  errors are mapped: a Django ``ValidationError`` from a service becomes field errors, a
  violated database constraint becomes a field error (never the constraint's name), and
  everything else is DRF's answer. Every message goes through gettext: PRB's own in the
  apps' catalogs, DRF's defaults translated in ``common/drf_messages.py``.
- ``common.parsers.BoundedJSONParser`` (the only parser) refuses a body larger than
  ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (413) or nested deeper than ``MAX_JSON_DEPTH`` (400)
  instead of failing inside the decoder with a 500.
- ``StrictSerializer``: the base of every input serializer; a key the serializer does not
  know is an error, so a misspelt field is never silently ignored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from operator import attrgetter
from typing import Any, TypeVar

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models
from django.db.models.constraints import BaseConstraint
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

NON_FIELD = "non_field_errors"
T = TypeVar("T")


# --------------------------------------------------------------------------- errors


def django_error_detail(error: DjangoValidationError) -> dict[str, list[str]]:
    """A service's ``ValidationError`` as the API's field errors."""
    if hasattr(error, "error_dict"):
        return {
            (NON_FIELD if key == "__all__" else key): messages
            for key, messages in error.message_dict.items()
        }
    return {NON_FIELD: list(error.messages)}


def _condition_fields(condition: Any) -> list[str]:
    """The model fields a CheckConstraint's condition names, in order."""
    found: list[str] = []
    for child in getattr(condition, "children", []):
        if isinstance(child, tuple):
            found.append(child[0].split("__")[0])
            value = child[1]
            if isinstance(value, models.F):
                found.append(value.name.split("__")[0])
        else:
            found.extend(_condition_fields(child))
    return list(dict.fromkeys(found))


def _first(items: Iterable[T], attribute: str, value: str | None) -> T | None:
    """The first of ``items`` whose ``attribute`` is ``value`` (``None`` for no value)."""
    if not value:
        return None
    get = attrgetter(attribute)
    return next((item for item in items if get(item) == value), None)


def _model_for_table(table: str | None) -> type[models.Model] | None:
    return _first(apps.get_models(), "_meta.db_table", table)


def _field_for_column(model: type[models.Model] | None, column: str | None) -> str | None:
    field = _first(model._meta.concrete_fields if model else (), "column", column)
    return field.name if field else None


def _constraint(model: type[models.Model] | None, name: str | None) -> BaseConstraint | None:
    return _first(model._meta.constraints if model else (), "name", name)


def integrity_error_detail(error: IntegrityError) -> dict[str, list[str]]:
    """A violated database constraint as a field error, in words (never its name).

    PostgreSQL names the table, constraint and column (psycopg's ``diag``); the model's
    own constraint declaration says which fields it is about.
    """
    diag = getattr(error.__cause__, "diag", None)
    sqlstate = getattr(error.__cause__, "sqlstate", None)
    table = getattr(diag, "table_name", None)
    model = _model_for_table(table)
    constraint = _constraint(model, getattr(diag, "constraint_name", None))
    field: str | None = None
    if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
        field = constraint.fields[-1]
    elif isinstance(constraint, models.CheckConstraint):
        names = _condition_fields(constraint.condition)
        field = names[0] if names else None
    if field is None:
        field = _field_for_column(model, getattr(diag, "column_name", None))
    if field is None and model is not None:
        # Unique columns and foreign keys: "Key (column)=(value) …".
        detail = getattr(diag, "message_detail", None) or ""
        if detail.startswith("Key (") and ")=" in detail:
            columns = detail[5 : detail.index(")=")].split(", ")
            field = _field_for_column(model, columns[-1])
    if model is not None and field is not None:
        try:
            model._meta.get_field(field)
        except FieldDoesNotExist:
            field = None
    if sqlstate == "23505":  # unique_violation
        message = _("A record with this value already exists.")
    elif sqlstate == "23503":  # foreign_key_violation
        message = _("The record this refers to does not exist.")
    elif sqlstate == "23502":  # not_null_violation
        message = _("This field is required.")
    else:
        message = _("This value is not allowed.")
    return {field or NON_FIELD: [message]}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """The one mapping of exceptions to API answers (``REST_FRAMEWORK["EXCEPTION_HANDLER"]``)."""
    if isinstance(exc, Http404):
        # Django's message names the model ("No Patient matches…"): answer DRF's own words.
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(django_error_detail(exc))
    elif isinstance(exc, IntegrityError):
        exc = exceptions.ValidationError(integrity_error_detail(exc))
    return drf_exception_handler(exc, context)


# --------------------------------------------------------------------------- input


class StrictSerializerMixin:
    """Refuse keys the serializer does not declare (or declares read-only)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            writable = {
                name
                for name, field in self.fields.items()  # type: ignore[attr-defined]
                if not field.read_only
            }
            unknown = sorted(str(key) for key in data if key not in writable)
            if unknown:
                raise serializers.ValidationError(
                    {key: [_("Unknown field.")] for key in unknown}, code="unknown_field"
                )
        return super().to_internal_value(data)  # type: ignore[misc]


class StrictSerializer(StrictSerializerMixin, serializers.Serializer):
    """The base of every API input serializer (and of the serializers nested in one)."""


# --------------------------------------------------------------------------- output


class RecordDetailApi(APIView):
    """GET one record: fetched through its access helper ``access`` (403 without the read
    capability, 404 outside the user's scope), shown by ``serializer_class`` (which the
    schema documents)."""

    serializer_class: type[serializers.BaseSerializer]
    access: Callable[[Any, int], Any]

    def get(self, request: Request, pk: int) -> Response:
        return Response(self.serializer_class(self.access(request.user, pk)).data)


# --------------------------------------------------------------------------- 404 outside views


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler404``: an API path no route matches (``/api/v1/cases/abc/``) answers JSON like
    every other API error; pages keep Django's 404 page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(exceptions.NotFound.default_detail)}, status=404)
    return page_not_found(request, exception)
