"""Reading pages the way a user does: what is listed, which errors and messages are shown."""

import html
import re

from django.contrib.auth import SESSION_KEY

REFERENCE = re.compile(r"^[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}$")
_CASE_LINK = re.compile(r'href="/cases/([0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3})/"')
_ERRORS = re.compile(r'<div class="errors" role="alert">(.*?)</div>', re.S)
_MESSAGES = re.compile(r'<ul class="messages">(.*?)</ul>', re.S)
_TAG = re.compile(r"<[^>]+>")


def text(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


def body(response) -> str:
    return response.content.decode()


def references_listed(response) -> list[str]:
    """Case references linked from the page, in page order, each once."""
    return list(dict.fromkeys(_CASE_LINK.findall(body(response))))


def errors_shown(response) -> str:
    """All form errors on the page as one string of plain text ('' when the form shows none)."""
    return " ".join(text(block) for block in _ERRORS.findall(body(response)))


def messages_shown(response) -> str:
    return " ".join(text(block) for block in _MESSAGES.findall(body(response)))


def signed_in(client) -> bool:
    return SESSION_KEY in client.session
