"""The one bound on dates: a year outside PLAUSIBLE_YEARS is a typing mistake, and at the extremes
(`0001-01-01`, `9999-12-31`) a reminder moment or a time of day in UTC cannot even be computed.

Every date field of every form is bounded here (BoundedDateField, BoundedDateTimeField; ModelForms get
them through casework.lib.forms.ModelForm), and services check what they are given with
`require_plausible` before they store or schedule anything: scripts call them without a form."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

PLAUSIBLE_YEARS = range(1900, 2101)
IMPLAUSIBLE = _("Enter a date between %(first)d and %(last)d.")
_BOUNDS = {"first": PLAUSIBLE_YEARS[0], "last": PLAUSIBLE_YEARS[-1]}


def is_plausible(value: datetime.date) -> bool:
    """A date or a date and time (its year as written; the bound is far wider than any time zone)."""
    return value.year in PLAUSIBLE_YEARS


def validate_plausible_date(value) -> None:
    """Form-field validator."""
    if isinstance(value, datetime.date) and not is_plausible(value):
        raise ValidationError(IMPLAUSIBLE, code="implausible_date", params=_BOUNDS)


def require_plausible(**values) -> None:
    """For services: refuse any implausible date among the named values, by field name. None passes."""
    errors = {name: ValidationError(IMPLAUSIBLE, code="implausible_date", params=_BOUNDS)
              for name, value in values.items() if isinstance(value, datetime.date) and not is_plausible(value)}
    if errors:
        raise ValidationError(errors)


class _Bounded:
    default_validators = [validate_plausible_date]
    bounds: tuple[str, str]

    def widget_attrs(self, widget):
        """The browser's date picker stays inside the bound too."""
        attrs = super().widget_attrs(widget)
        if widget.attrs.get("type", widget.input_type) in ("date", "datetime-local"):
            attrs.update(zip(("min", "max"), self.bounds))
        return attrs


class BoundedDateField(_Bounded, forms.DateField):
    bounds = (f"{PLAUSIBLE_YEARS[0]}-01-01", f"{PLAUSIBLE_YEARS[-1]}-12-31")


class BoundedDateTimeField(_Bounded, forms.DateTimeField):
    bounds = (f"{PLAUSIBLE_YEARS[0]}-01-01T00:00", f"{PLAUSIBLE_YEARS[-1]}-12-31T23:59")


def bounded_formfield(db_field: models.Field, **kwargs) -> forms.Field | None:
    """ModelForm `formfield_callback`: model date and date-time fields (encrypted ones too) become bounded
    form fields; every other field is Django's own."""
    if isinstance(db_field, models.DateTimeField):
        kwargs.setdefault("form_class", BoundedDateTimeField)
    elif isinstance(db_field, models.DateField):
        kwargs.setdefault("form_class", BoundedDateField)
    return db_field.formfield(**kwargs)
