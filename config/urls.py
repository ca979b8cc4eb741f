from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import include, path

from casework.cases.views import home
from casework.security.signin import SignInForm
from casework.orgs.views import language_switch


@login_not_required
def healthz(request):
    """Liveness for the load balancer: no data, no database."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True,
                                                         authentication_form=SignInForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/invitation/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(post_reset_login=False),
        name="password_reset_confirm",
    ),
    path("accounts/invitation/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("i18n/setlang/", language_switch, name="set_language"),
    path("healthz", healthz, name="healthz"),
    path("", include("casework.cases.urls")),
    path("", include("casework.deadlines.urls")),
    path("", include("casework.clients.urls")),
    path("", include("casework.orgs.urls")),
    path("", include("casework.audit.urls")),
    path("", include("casework.security.urls")),
    path("", include("casework.privacy.urls")),
    path("platform/", include("casework.platform.urls")),
]
