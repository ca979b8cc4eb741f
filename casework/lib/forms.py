"""Form pieces shared by several apps."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelFormMetaclass

from casework.lib.dates import bounded_formfield


class SubmissionTokenMixin(forms.Form):
    """A hidden token, new on every form shown: submitting the same form twice creates one record."""

    submission_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


class _BoundedDatesMetaclass(ModelFormMetaclass):
    def __new__(mcs, name, bases, attrs):
        meta = attrs.get("Meta")
        if meta is not None and not hasattr(meta, "formfield_callback"):
            meta.formfield_callback = staticmethod(bounded_formfield)
        return super().__new__(mcs, name, bases, attrs)


class ModelForm(forms.ModelForm, metaclass=_BoundedDatesMetaclass):
    """The project's ModelForm: the model's date fields come out bounded (casework.lib.dates), also in a
    subclass that writes its own `class Meta`. tests/test_date_bounds.py checks every form."""


def add_service_errors(form: forms.Form, error) -> None:
    """Show a service's ValidationError on the form: by field where it names one, else above the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def submit(form: forms.Form, action):
    """Run a service on a valid form's data: `action(cleaned_data)`. A ValidationError the service raises
    lands on the form. Returns the service's result (True if it returns nothing), or None when the form
    or the service refused."""
    if not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    return True if result is None else result
