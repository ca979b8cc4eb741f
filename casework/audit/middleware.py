"""The request being served, for services that record a write: they find the address it came from without
every service taking a request. None in tasks, commands and the shell."""

from contextvars import ContextVar

from django.http import HttpRequest

_current: ContextVar[HttpRequest | None] = ContextVar("casework_audit_request", default=None)


def current_request() -> HttpRequest | None:
    return _current.get()


class RequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current.set(request)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
