"""The criteria engine's facts for people: form fields and printed lines, from one place.

The engine decides which facts a programme takes, their labels, units and
ranges; the form only renders them (``f_<fact>``) and turns the typed values
back into the request's JSON. Range checks stay the engine's: its
``RequestError`` messages (Indonesian) are put on the matching field, so form,
API and rules agree. ``fact_lines`` prints stored facts with the same labels,
units and choice names the form shows ("GDP 214 mg/dL", "Komplikasi
neuropati: ya"): pages, letters and exports never show a fact key or
``True``/``False``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from eligibility.rules import FactSpec, program_fact_specs
from eligibility.rules.facts import FACT_SPECS
from eligibility.rules.instruments import (
    NO_CORTICOSTEROID,
    NO_ICS,
    PANSS_REMISSION_ITEMS,
    SLEDAI_2K_LABELS,
)
from facilities.formatting import format_number

PREFIX = "f_"
YES, NO = "yes", "no"
TRI_STATE = [("", "—"), (YES, _("Yes")), (NO, _("No"))]
_LIST_SPLIT = re.compile(r"[\s,;]+")


class ItemListField(forms.CharField):
    """ACT/CAT items typed as whole numbers separated by spaces or commas."""

    def clean(self, value: Any) -> list[int] | None:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            return None
        try:
            return [int(part) for part in _LIST_SPLIT.split(text.strip()) if part]
        except ValueError as exc:
            raise forms.ValidationError(
                _("Enter whole numbers separated by spaces or commas.")
            ) from exc


def choice_label(value: str) -> str:
    """How a fact's string choice reads ("none" → "tidak ada", SLEDAI keys in Indonesian)."""
    if value in (NO_ICS, NO_CORTICOSTEROID):
        return str(_("none"))
    if value in SLEDAI_2K_LABELS:
        return SLEDAI_2K_LABELS[value]
    return value.replace("_", " ")


def _label(spec: FactSpec) -> str:
    return f"{spec.label} ({spec.unit})" if spec.unit else spec.label


def _number_help(spec: FactSpec) -> str:
    if spec.min is None or spec.max is None:
        return ""
    low, high = (f"{value:g}".replace(".", ",") for value in (spec.min, spec.max))
    return f"{low}–{high}{(' ' + spec.unit) if spec.unit else ''}"


def field_for(spec: FactSpec) -> dict[str, forms.Field]:
    """The form field(s) of one fact, keyed by field name."""
    name = PREFIX + spec.name
    if spec.type == "bool":
        return {name: forms.ChoiceField(label=spec.label, choices=TRI_STATE, required=False)}
    if spec.type in ("int", "float"):
        field_class = forms.IntegerField if spec.type == "int" else forms.FloatField
        attrs = {"inputmode": "numeric" if spec.type == "int" else "decimal"}
        if spec.min is not None:
            attrs["data-min"] = f"{spec.min:g}"
        if spec.max is not None:
            attrs["data-max"] = f"{spec.max:g}"
        return {
            name: field_class(
                label=_label(spec),
                required=False,
                localize=True,
                help_text=_number_help(spec),
                widget=forms.TextInput(attrs=attrs),
            )
        }
    if spec.type == "str":
        return {
            name: forms.ChoiceField(
                label=spec.label,
                choices=[("", "—"), *((choice, choice_label(choice)) for choice in spec.choices)],
                required=False,
            )
        }
    if spec.type == "list" and spec.choices:
        return {
            name: forms.MultipleChoiceField(
                label=spec.label,
                choices=[(choice, choice_label(choice)) for choice in spec.choices],
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        }
    if spec.type == "list":
        return {name: ItemListField(label=spec.label, required=False)}
    # object: PANSS items, one small field each
    return {
        f"{name}_{key}": forms.IntegerField(
            label=f"PANSS {key} ({PANSS_REMISSION_ITEMS.get(key, key)})",
            required=False,
            widget=forms.TextInput(attrs={"inputmode": "numeric"}),
            help_text=f"{spec.item_min}–{spec.item_max}",
        )
        for key in spec.choices
    }


@dataclass(frozen=True)
class FactLine:
    """One stored fact as people read it: ``label`` and ``value`` for tables,
    ``text`` inline ("GDP 214 mg/dL", "Komplikasi neuropati: ya")."""

    name: str
    label: str
    value: str
    text: str

    def __str__(self) -> str:
        return self.text


def _spec_for(name: str) -> FactSpec | None:
    return FACT_SPECS.get(name)


def _value_text(spec: FactSpec | None, value: Any) -> str:
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, int | float):
        if spec is not None and spec.formatter is not None:
            return spec.formatter(value)
        number = format_number(value)
        return f"{number}{spec.unit_suffix}" if spec is not None else number
    if isinstance(value, dict):
        return ", ".join(f"{key} {format_number(score)}" for key, score in value.items())
    if isinstance(value, list):
        return (
            ", ".join(
                format_number(item) if isinstance(item, int | float) else choice_label(str(item))
                for item in value
            )
            or "–"
        )
    return choice_label(str(value))


def fact_line(name: str, value: Any) -> FactLine:
    """One fact for people, labelled by its spec (unknown names are made readable)."""
    spec = _spec_for(name)
    label = spec.label if spec is not None else name.replace("_", " ").capitalize()
    short = spec.short if spec is not None else label
    text = _value_text(spec, value)
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    inline = f"{short} {text}" if numeric else f"{short}: {text}"
    return FactLine(name=name, label=label, value=text, text=inline)


def fact_lines(facts: dict[str, Any] | None, program: str | None = None) -> list[FactLine]:
    """Stored facts for people, in the programme's form order when it is known."""
    facts = facts or {}
    order: list[str] = []
    if program:
        for mode in ("re_referral", "back_referral"):
            try:
                specs = program_fact_specs(program, mode)  # type: ignore[arg-type]
            except ValueError:
                specs = []
            order += [spec.name for spec in specs if spec.name not in order]
    names = [name for name in order if name in facts]
    names += [name for name in facts if name not in names]
    return [fact_line(name, facts[name]) for name in names if facts[name] not in (None, "", [])]


def fact_fields(program: str, mode: str = "back_referral") -> dict[str, forms.Field]:
    fields: dict[str, forms.Field] = {}
    for spec in program_fact_specs(program, mode):  # type: ignore[arg-type]
        fields.update(field_for(spec))
    return fields


def facts_from(cleaned: dict[str, Any], program: str, mode: str = "back_referral") -> dict:
    """The engine's ``facts`` object from cleaned form data; blanks are left out (unknown)."""
    facts: dict[str, Any] = {}
    for spec in program_fact_specs(program, mode):  # type: ignore[arg-type]
        name = PREFIX + spec.name
        if spec.type == "object":
            items = {
                key: cleaned.get(f"{name}_{key}")
                for key in spec.choices
                if cleaned.get(f"{name}_{key}") is not None
            }
            if items:
                facts[spec.name] = items
            continue
        value = cleaned.get(name)
        if value in (None, "", []):
            continue
        if spec.type == "bool":
            facts[spec.name] = value == YES
        elif spec.type == "float":
            facts[spec.name] = float(value)
        else:
            facts[spec.name] = value
    return facts


def initial_from(facts: dict[str, Any]) -> dict[str, Any]:
    """Form initial values from stored facts (the inverse of ``facts_from``)."""
    initial: dict[str, Any] = {}
    for key, value in facts.items():
        if isinstance(value, bool):
            initial[PREFIX + key] = YES if value else NO
        elif isinstance(value, dict):
            for item, score in value.items():
                initial[f"{PREFIX}{key}_{item}"] = score
        elif isinstance(value, list) and all(isinstance(v, int) for v in value):
            initial[PREFIX + key] = " ".join(str(v) for v in value)
        else:
            initial[PREFIX + key] = value
    return initial


_PATH = re.compile(r"^(?:visits\[\d+\]\.)?(?P<root>[a-z_]+)(?:\.(?P<name>[a-z0-9_]+))?")


def field_for_path(path: str) -> str | None:
    """The form field an engine error path belongs to ("facts.hba1c_percent" → "f_hba1c_percent")."""
    match = _PATH.match(path)
    if not match:
        return None
    root, name = match["root"], match["name"]
    if root in ("facts", "baseline") and name:
        if name == "panss":
            key = path.rsplit(".", 1)[-1]
            return f"{PREFIX}panss_{key}"
        return PREFIX + name
    if root == "general" and name:
        if name == "comorbidities":
            index = re.search(r"comorbidities\[(\d+)\]", path)
            return f"comorbidity_months_{int(index[1]) + 1}" if index else None
        return f"general_{name}"
    if root == "patient" and name:
        return name
    if root == "date":
        return "visit_date"
    return None


def put_engine_errors(form: forms.Form, errors: dict[str, list[str]]) -> None:
    """Show the engine's messages on the fields they concern (else on the form)."""
    for path, messages in errors.items():
        field = field_for_path(path)
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message if target else f"{path}: {message}")
