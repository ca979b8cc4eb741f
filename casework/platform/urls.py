from django.urls import path

from casework.platform import views

urlpatterns = [
    path("", views.organisation_list, name="platform_organisations"),
    path("new/", views.organisation_open, name="platform_organisation_open"),
    path("roles/", views.role_requests, name="platform_role_requests"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="platform_organisation"),
    path("organisations/<slug:slug>/reactivate/", views.organisation_reactivate,
         name="platform_organisation_reactivate"),
    path("organisations/<slug:slug>/invitation/", views.organisation_admin_invite,
         name="platform_organisation_admin_invite"),
]
