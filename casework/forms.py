"""Form pieces shared by several apps."""

import uuid

from django import forms


class SubmissionTokenMixin(forms.Form):
    """A hidden token, new on every form shown: submitting the same form twice creates one record."""

    submission_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


def add_service_errors(form: forms.Form, error) -> None:
    """Show a service's ValidationError on the form: by field where it names one, else above the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
