"""The dashboard filters: period (month), programme, puskesmas, and the indicator of the bars."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dashboards import indicators as ind
from facilities.models import Facility
from lib.months import add_months_first_day, month_start
from patients.programs import Program


def month_choices(today: dt.date, count: int = ind.MONTHS_KEPT) -> list[tuple[str, str]]:
    first = month_start(today)
    return [
        (f"{m:%Y-%m}", f"{m:%m/%Y}")
        for m in (add_months_first_day(first, -i) for i in range(count))
    ]


class FilterForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), required=False)
    program = forms.ChoiceField(label=_("Programme"), required=False)
    puskesmas = forms.TypedChoiceField(
        label=_("Puskesmas"), required=False, coerce=int, empty_value=None
    )
    indicator = forms.ChoiceField(
        label=_("Compare puskesmas by"), required=False, initial="controlled"
    )

    def __init__(
        self, data: Any, *, today: dt.date, puskesmas: list[Facility], **kwargs: Any
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(data, **kwargs)
        self.today = today
        self._choice_field("period").choices = month_choices(today)
        self._choice_field("program").choices = [("", _("All programmes")), *Program.choices]
        self._choice_field("puskesmas").choices = [
            ("", _("All puskesmas")),
            *((f.pk, f.name) for f in puskesmas),
        ]
        self._choice_field("indicator").choices = [(i.code, i.label) for i in ind.INDICATORS]

    def _choice_field(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        return field

    def _value(self, name: str) -> Any:
        """A field's valid value, or None: one bad parameter does not reset the others."""
        if not self.is_bound:
            return None
        self.is_valid()
        return self.cleaned_data.get(name)

    @property
    def month(self) -> dt.date:
        period = self._value("period")
        if period:
            year, month = period.split("-")
            return dt.date(int(year), int(month), 1)
        return month_start(self.today)

    @property
    def programs(self) -> list[str]:
        program = self._value("program")
        return [program] if program else list(Program.values)

    @property
    def program_code(self) -> str:
        return self._value("program") or ""

    @property
    def puskesmas_id(self) -> int | None:
        return self._value("puskesmas")

    @property
    def indicator_code(self) -> str:
        return self._value("indicator") or "controlled"
