"""Form pieces every app's pages share: how a service's ``ValidationError`` lands on a
form (``put_errors``, ``run_service``) and the free-text box (``text_box``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

if TYPE_CHECKING:  # django-stubs-ext is a development dependency
    from django_stubs_ext import StrOrPromise

T = TypeVar("T")


def text_box(
    label: StrOrPromise,
    *,
    rows: int,
    max_length: int,
    required: bool = False,
    help_text: StrOrPromise = "",
) -> forms.CharField:
    """A multi-line free-text field, optional unless said; every one has a maximum length
    (``common.text``)."""
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        required=required,
        max_length=max_length,
        help_text=help_text,
    )


def put_errors(
    form: forms.BaseForm,
    exc: ValidationError,
    *,
    field_for: Callable[[str], str | None] | None = None,
) -> None:
    """A service's ValidationError on the form: each message on its field, else on the form.

    ``field_for`` names the field of an error key that is not one (e.g. an engine path).
    """
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for key, texts in exc.message_dict.items():
        field = key if key in form.fields or field_for is None else field_for(key)
        for message in texts:
            form.add_error(field if field in form.fields else None, message)


def run_service(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[], T],
    *,
    success: str | Callable[[T], str],
    field_for: Callable[[str], str | None] | None = None,
) -> T | None:
    """Call the service behind ``form`` when the form is valid (else ``None``): its
    ``ValidationError`` goes onto the form (``put_errors``, with ``field_for``) and gives
    ``None``; what it returns (the record) gives the ``success`` message."""
    if not form.is_valid():
        return None
    try:
        result = save()
    except ValidationError as exc:
        put_errors(form, exc, field_for=field_for)
        return None
    messages.success(request, success if isinstance(success, str) else success(result))
    return result
