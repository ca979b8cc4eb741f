"""Session rules for every signed-in request: a suspended organisation, ended sessions, idle timeout,
sign-in age, two factors, the language the person chose, and no caching of what it answers."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casework import access
from casework.security import services
from casework.security.sessions import LAST_SEEN, LOGIN_AT
from casework.security.signin import ORGANISATION_SUSPENDED

DEFAULT_IDLE_MINUTES = 30
# Pages a signed-in user may reach before the second factor is checked.
OPEN_BEFORE_SECOND_FACTOR = ("two_factor_setup", "two_factor_verify", "logout", "set_language", "healthz")


class SessionSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        signed_in = user.is_authenticated
        # Quick exit ends the session itself, whatever state it is in (stale, second factor not yet given).
        if signed_in and request.path_info != reverse("quick_exit"):
            if response := self._end_if_stale(request, user):
                return response
            request.session[LAST_SEEN] = time.time()
            self._use_chosen_language(request, user)
            if not user.is_verified() and not self._open_before_second_factor(request):
                target = "two_factor_verify" if services.totp_device(user) else "two_factor_setup"
                return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        response = self.get_response(request)
        if signed_in or request.user.is_authenticated:
            # Personal data must not stay in the browser's cache: no back-button return after signing out.
            if "no-store" not in response.get("Cache-Control", ""):
                patch_cache_control(response, private=True, no_store=True)
        return response

    def _end_if_stale(self, request, user):
        now = time.time()
        login_at = request.session.get(LOGIN_AT, 0)
        m = access.membership(user)
        idle_minutes = m.organisation.idle_timeout_minutes if m else DEFAULT_IDLE_MINUTES
        if access.organisation_suspended(user):
            message = ORGANISATION_SUSPENDED
        elif now - request.session.get(LAST_SEEN, now) > idle_minutes * 60:
            message = ngettext(
                "You were signed out after %(minutes)d minute without activity.",
                "You were signed out after %(minutes)d minutes without activity.",
                idle_minutes,
            ) % {"minutes": idle_minutes}
        elif now - login_at > settings.SIGN_IN_MAX_HOURS * 3600:
            message = ngettext(
                "You were signed out because you signed in more than %(hours)d hour ago. Sign in again.",
                "You were signed out because you signed in more than %(hours)d hours ago. Sign in again.",
                settings.SIGN_IN_MAX_HOURS,
            ) % {"hours": settings.SIGN_IN_MAX_HOURS}
        elif services.session_fenced(user_id=user.pk, login_at=login_at):
            message = _("Your session was ended. Sign in again.")
        else:
            return None
        logout(request)
        messages.info(request, message)
        return redirect("login")

    @staticmethod
    def _use_chosen_language(request, user) -> None:
        """A device that has not chosen a language yet (no cookie) gets the one the person last chose."""
        if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
            return
        m = access.membership(user)
        if m is not None and m.language:
            translation.activate(m.language)
            request.LANGUAGE_CODE = m.language

    @staticmethod
    def _open_before_second_factor(request) -> bool:
        try:
            return resolve(request.path_info).url_name in OPEN_BEFORE_SECOND_FACTOR
        except Resolver404:
            return False
