"""Reading change history the way a person does (the `clock` fixture, in tests/conftest.py, gives every change
a moment of its own)."""

import datetime
import re

from tests.pages import body, text

START = datetime.datetime(2026, 3, 12, 11, 5, tzinfo=datetime.timezone.utc)  # 14:05 in Moscow


def history_text(response) -> str:
    """The history entries on a page as plain text, newest first."""
    match = re.search(r'<ol class="field-history">(.*?)</ol>', body(response), re.S)
    return text(re.sub(r'<span class="visually-hidden">.*?</span>', "", match.group(1))) if match else ""
