"""Choice labels from a table per field and language.

Django's get_FOO_display rebuilds a dict of every choice of the field on each call, translating each
label to hash it: on the case list that was ~1,100 gettext calls a page (bench/RESULTS.md)."""

import functools

from django.utils.translation import get_language


@functools.cache
def _labels(field, language: str | None) -> dict:
    return {value: str(label) for value, label in field.flatchoices}


class ChoiceLabels:
    """Mixin for models listed in tables: get_FOO_display() reads the table of the active language."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        return _labels(field, get_language()).get(value, value)
