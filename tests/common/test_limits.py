"""Every form field of free text has a maximum length (common/text.py)."""

import importlib
import inspect

from django import forms

FORM_MODULES = [
    "patients.forms",
    "referrals.forms",
    "pharmacy.forms",
    "alerts.forms",
    "dashboards.forms",
]


def _loose_fields(form_class: type[forms.BaseForm]) -> list[str]:
    fields = getattr(form_class, "base_fields", {})
    return [
        f"{form_class.__name__}.{name}"
        for name, field in fields.items()
        if isinstance(field, forms.CharField) and field.max_length is None
    ]


def test_every_text_field_of_every_form_has_a_maximum_length() -> None:
    problems: list[str] = []
    checked = 0
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for _name, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, forms.BaseForm) and obj.__module__ == module_name:
                checked += 1
                problems.extend(_loose_fields(obj))
    assert checked >= 10
    assert problems == []


def test_the_check_finds_a_field_without_one() -> None:
    class Loose(forms.Form):
        note = forms.CharField(widget=forms.Textarea)

    assert _loose_fields(Loose) == ["Loose.note"]
