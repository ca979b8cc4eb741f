"""The project's URLs plus a bare view, for bench/run.py only (through override_settings(ROOT_URLCONF)).

The bare view answers "ok" behind the same middleware as every page (session, authentication, second
factor, CSP, …): the floor that every page's time is compared with."""

from django.http import HttpResponse
from django.urls import include, path


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/ok/", ok, name="bench_ok"),
    path("", include("config.urls")),
]
