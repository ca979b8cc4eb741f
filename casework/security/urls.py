from django.urls import path

from casework.security import views

urlpatterns = [
    path("accounts/two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("accounts/two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("accounts/two-factor/recovery-codes/", views.recovery_codes_regenerate, name="recovery_codes_regenerate"),
    path("accounts/", views.account, name="account"),
    path("accounts/password/", views.password_change, name="password_change"),
    path("exit/", views.quick_exit, name="quick_exit"),
    path("accounts/sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
]
