"""Double-submit protection: a form carries a random submission token; a repeated token returns the row it
already created instead of creating another.

The lookup is scoped (an organisation's clients and cases, a case's events and notes), so a token seen
in one organisation can never hand back another organisation's row."""

import uuid

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _


def replayed(scope: QuerySet, token: uuid.UUID | None) -> Model | None:
    """The row `scope` already holds for this submission token, if any."""
    return scope.filter(submission_token=token).first() if token else None


def replayed_or_refuse(scope: QuerySet, token: uuid.UUID | None) -> Model:
    """After an insert lost a race on the unique token: the row the other request created. A token held
    outside the scope is refused as a stale form, without saying what holds it."""
    if (existing := replayed(scope, token)) is not None:
        return existing
    raise ValidationError(_("This form was already used. Reload the page and try again."))
