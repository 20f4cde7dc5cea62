"""How a service's ``ValidationError`` lands on a form, for every app's pages."""

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError


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
    for key, messages in exc.message_dict.items():
        field = key if key in form.fields or field_for is None else field_for(key)
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
