"""Every URL pattern of the project, with its parameters filled in."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

_PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def all_patterns(resolver=None, prefix=""):
    """(route, url name) for every pattern, included ones too."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from all_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name


def parameters(route: str) -> list[str]:
    return [m["name"] for m in _PARAMETER.finditer(route)]


def fill(route: str, values: dict, by_converter: dict | None = None) -> str:
    """The route with each parameter taken from `values` by name, else (when given) from
    `by_converter` by its converter ('str' when it names none)."""
    by_converter = by_converter or {}

    def value(m):
        if m["name"] in values:
            return str(values[m["name"]])
        converter = m["converter"] or "str"
        assert converter in by_converter, f"no test value for <{m[0][1:-1]}> in {route}: add one to the test's world"
        return str(by_converter[converter])

    return "/" + _PARAMETER.sub(value, route).lstrip("^").rstrip("$")
